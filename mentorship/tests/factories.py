"""Factories of the programme: everything a pair refers to stays in the pair's school."""

import datetime

import factory
from django.utils import timezone

from mentorship.models import MentoringConsent, Pair, PairMentee, Programme
from organisations.school_year import current_school_year
from organisations.tests.factories import SchoolFactory
from participants.models import MentoringForm, Person
from participants.tests.factories import PersonFactory, TeacherFactory


def _form():
    # «учитель – ученик» fits the factory's pair: a teacher mentors a student.
    return MentoringForm.objects.filter(name="учитель – ученик").first() or MentoringForm.objects.create(
        name="учитель – ученик",
        audience=MentoringForm.Audience.STUDENTS,
        mentor_categories=["teacher"],
        mentee_categories=["student"],
    )


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["organisation", "school_year", "kind"]

    organisation = factory.SubFactory(SchoolFactory)
    school_year = factory.LazyFunction(current_school_year)
    kind = Programme.Kind.STUDENTS
    title = factory.LazyAttribute(lambda o: f"Программа наставничества на {o.school_year}/{o.school_year + 1} год")
    starts_on = factory.LazyAttribute(lambda o: datetime.date(o.school_year, 9, 1))
    ends_on = factory.LazyAttribute(lambda o: datetime.date(o.school_year + 1, 5, 31))


class PairFactory(factory.django.DjangoModelFactory):
    """An active pair with one new mentee; ``mentees=[...]`` gives others (of the same school).

    ``PairFactory(organisation=school)`` or ``PairFactory(mentor=person)``: the programme, the
    mentor and the mentees are made in that school.
    """

    class Meta:
        model = Pair
        skip_postgeneration_save = True

    organisation = factory.LazyAttribute(lambda o: o.mentor.organisation if o.mentor else SchoolFactory())
    mentor = None
    programme = factory.SubFactory(ProgrammeFactory, organisation=factory.SelfAttribute("..organisation"))
    form = factory.LazyFunction(_form)
    starts_on = factory.LazyAttribute(lambda o: o.programme.starts_on)
    planned_end_on = factory.LazyAttribute(lambda o: o.programme.ends_on)
    status = Pair.Status.ACTIVE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("mentor") is None:
            kwargs["mentor"] = TeacherFactory(organisation=kwargs["organisation"])
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def mentees(self, create, extracted, **kwargs):
        if not create:
            return
        people = extracted if extracted is not None else [PersonFactory(organisation=self.organisation)]
        PairMentee.objects.bulk_create(
            PairMentee(organisation=self.organisation, pair=self, mentee=person) for person in people
        )

    @factory.post_generation
    def consented(self, create, extracted, **kwargs):
        """A staff mentor's written consent (ст. 351.8 ТК РФ), given in the mentor's account, so a
        pairs order approves; ``PairFactory(consented=False)`` leaves it missing."""
        if not create or extracted is False or self.mentor.category != Person.Category.TEACHER:
            return
        MentoringConsent.objects.create(
            organisation=self.organisation,
            pair=self,
            signed_on=self.starts_on,
            accepted_at=timezone.now(),
            accepted_text="Даю согласие на выполнение наставничества.",
        )
