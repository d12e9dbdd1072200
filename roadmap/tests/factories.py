"""Factories of roadmaps: every object stays in the roadmap's organisation."""

import datetime

import factory

from organisations.tests.factories import SchoolFactory
from roadmap.deadlines import parse_deadline
from roadmap.models import Item, Occurrence, Roadmap, Section


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap

    organisation = factory.SubFactory(SchoolFactory)
    title = "Дорожная карта внедрения целевой модели наставничества на 2026/2027 учебный год"
    starts_on = datetime.date(2026, 9, 1)
    ends_on = datetime.date(2027, 8, 31)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    roadmap = factory.SubFactory(RoadmapFactory)
    organisation = factory.SelfAttribute("roadmap.organisation")
    title = factory.Sequence(lambda n: f"Раздел {n}")
    position = factory.Sequence(lambda n: n)


class ItemFactory(factory.django.DjangoModelFactory):
    """An item with its occurrences made from ``deadline`` (default: a month of the period)."""

    class Meta:
        model = Item
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    roadmap = factory.SelfAttribute("section.roadmap")
    organisation = factory.SelfAttribute("section.organisation")
    content = factory.Sequence(lambda n: f"Мероприятие {n}")
    position = factory.Sequence(lambda n: n)

    deadline = "Октябрь 2026"  # typed text; made into the deadline fields and occurrences by _create

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        deadline_text = kwargs.pop("deadline")
        item = model_class(*args, **kwargs)
        item.set_deadline(parse_deadline(deadline_text, period=item.roadmap.period), deadline_text)
        item.save()
        from roadmap.services import _sync_occurrences

        _sync_occurrences([item], item.roadmap.period, new=True)
        return item


def occurrence_of(item) -> Occurrence:
    return item.occurrences.order_by("position").first()
