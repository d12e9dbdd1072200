import datetime

import factory

from organisations.tests.factories import SchoolFactory
from participants.models import ParentLink, PartnerOrganisation, Person


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
