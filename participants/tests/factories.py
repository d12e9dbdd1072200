import datetime

import factory
from django.utils import timezone

from organisations.school_year import current_school_year
from organisations.tests.factories import SchoolFactory
from participants.models import (
    MenteeEntry,
    MentorDocument,
    MentorEntry,
    ParentLink,
    PartnerAgreement,
    PartnerOrganisation,
    Person,
)


class PersonFactory(factory.django.DjangoModelFactory):
    """A student by default; related objects stay in the person's school."""

    class Meta:
        model = Person

    organisation = factory.SubFactory(SchoolFactory)
    last_name = factory.Sequence(lambda n: f"Иванов{n}")
    first_name = "Илья"
    patronymic = "Сергеевич"
    gender = "M"
    birth_date = datetime.date(2012, 5, 17)
    category = Person.Category.STUDENT
    grade = 7
    class_letter = "Б"


class TeacherFactory(PersonFactory):
    last_name = factory.Sequence(lambda n: f"Яковенко{n}")
    first_name = "Оксана"
    patronymic = "Николаевна"
    gender = "F"
    birth_date = datetime.date(1985, 3, 2)
    category = Person.Category.TEACHER
    grade = None
    class_letter = ""
    position = "учитель математики"
    subjects = "математика"
    experience_years = 12


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    organisation = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"ООО «Партнёр {n}»")


class ParentLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentLink

    child = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("child.organisation")
    parent = factory.SubFactory(
        PersonFactory,
        organisation=factory.SelfAttribute("..child.organisation"),
        category=Person.Category.PARENT,
        grade=None,
        class_letter="",
        birth_date=datetime.date(1984, 1, 1),
    )


class GraduateFactory(PersonFactory):
    """An external mentor: needs both certificates before approval."""

    last_name = factory.Sequence(lambda n: f"Черных{n}")
    birth_date = datetime.date(2003, 4, 11)
    category = Person.Category.GRADUATE
    grade = None
    class_letter = ""
    graduation_year = 2021


class _InOneSchoolFactory(factory.django.DjangoModelFactory):
    """Made with ``organisation=school`` (the owner is then made there) or with the owner itself
    (``person=...`` / ``partner=...``), whose school is then taken: the two never differ."""

    class Meta:
        abstract = True

    _owner_field = ""

    @classmethod
    def _generate(cls, strategy, params):
        owner = params.get(cls._owner_field)
        if owner is not None and "organisation" not in params:
            params = {**params, "organisation": owner.organisation}
        return super()._generate(strategy, params)


class MentorEntryFactory(_InOneSchoolFactory):
    class Meta:
        model = MentorEntry

    _owner_field = "person"
    organisation = factory.SubFactory(SchoolFactory)
    person = factory.SubFactory(TeacherFactory, organisation=factory.SelfAttribute("..organisation"))
    school_year = factory.LazyFunction(current_school_year)
    competencies = "подготовка к олимпиадам по математике"


class MenteeEntryFactory(_InOneSchoolFactory):
    class Meta:
        model = MenteeEntry

    _owner_field = "person"
    organisation = factory.SubFactory(SchoolFactory)
    person = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..organisation"))
    school_year = factory.LazyFunction(current_school_year)
    need_kind = MenteeEntry.NeedKind.EDUCATIONAL
    needs = "трудности с дробями"


class MentorDocumentFactory(_InOneSchoolFactory):
    class Meta:
        model = MentorDocument

    _owner_field = "person"
    organisation = factory.SubFactory(SchoolFactory)
    person = factory.SubFactory(GraduateFactory, organisation=factory.SelfAttribute("..organisation"))
    kind = MentorDocument.Kind.MEDICAL
    number = factory.Sequence(lambda n: f"{n:06d}")
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    valid_until = factory.LazyAttribute(lambda o: o.issued_on + datetime.timedelta(days=365))


class AgreementFactory(_InOneSchoolFactory):
    class Meta:
        model = PartnerAgreement

    _owner_field = "partner"
    organisation = factory.SubFactory(SchoolFactory)
    partner = factory.SubFactory(PartnerFactory, organisation=factory.SelfAttribute("..organisation"))
    number = factory.Sequence(lambda n: f"{n}-С")
    signed_on = factory.LazyFunction(lambda: datetime.date(current_school_year(), 9, 1))
    valid_until = None
    subject = "совместная реализация программы наставничества"
    mentors_planned = 3
