"""The stage checklist shows the stage's activities from the school's roadmap."""

import datetime

import pytest
from django.urls import reverse

from mentorship.models import Programme
from mentorship.selectors import programme_stage_activities, stage_checklist
from mentorship.tests.factories import ProgrammeFactory
from roadmap.services import occurrence_mark_done, roadmap_create_standard
from roadmap.stages import Stage, stage_from_title
from roadmap.template import STANDARD_TEMPLATE


@pytest.mark.parametrize(
    ("title", "stage"),
    [
        ("Подготовка условий для запуска Модели наставничества", Stage.PREPARATION),
        ("Формирование базы наставляемых", Stage.MENTEE_BASE),
        ("Формирование базы наставников", Stage.MENTOR_BASE),
        ("Отбор и обучение наставников", Stage.MENTOR_TRAINING),
        ("Формирование наставнических пар / групп", Stage.PAIRING),
        ("Организация работы наставнических пар / групп", Stage.PAIR_WORK),
        ("Завершение наставничества", Stage.COMPLETION),
        ("Информационное сопровождение", None),
        ("Организационно-методическое сопровождение деятельности", None),
    ],
)
def test_section_titles_of_the_seeds_name_their_stage(title, stage):
    assert stage_from_title(title) == stage


def test_the_standard_template_has_the_seven_stages_in_order():
    assert [stage_from_title(section.title) for section in STANDARD_TEMPLATE] == list(Stage)


def test_checklist_asks_for_a_roadmap_until_there_is_one(school_a):
    programme = ProgrammeFactory(organisation=school_a)
    texts = [item.text for item in stage_checklist(programme=programme) if item.missing]
    assert "Нет дорожной карты на период программы" in texts


def test_stage_activities_come_from_the_roadmap_covering_the_programme(client, school_a, curator_a):
    programme = ProgrammeFactory(organisation=school_a)
    year = programme.school_year
    roadmap = roadmap_create_standard(
        organisation=school_a,
        title="Дорожная карта",
        starts_on=datetime.date(year, 9, 1),
        ends_on=datetime.date(year + 1, 8, 31),
        user=curator_a,
    )
    activities = programme_stage_activities(programme=programme, stage=Stage.PREPARATION)
    assert activities.roadmap == roadmap
    assert activities.occurrences
    assert {o.item.section.title for o in activities.occurrences} == {STANDARD_TEMPLATE[0].title}

    for occurrence in activities.occurrences:
        done_on = min(occurrence.due_on or programme.starts_on, datetime.date.today())
        occurrence_mark_done(occurrence=occurrence, user=curator_a, done_on=done_on)
    client.force_login(curator_a)
    page = client.get(reverse("mentorship:programme_detail", kwargs={"org": school_a.slug, "pk": programme.pk}))
    content = page.content.decode()
    assert "Мероприятия этапа по дорожной карте" in content
    assert "выполнено" in content


def test_the_schools_copy_of_the_district_roadmap_adds_to_its_own(demo):
    programme = Programme.objects.get(organisation=demo, current_stage=Stage.PAIR_WORK)
    activities = programme_stage_activities(programme=programme)
    assert activities.roadmap.district_roadmap is None  # the link goes to the school's own roadmap
    assert activities.occurrences
