"""Look and feel beyond the browser: a new school's empty lists tell the curator what to do
next, with a link to the page where it is done; the hand-written plan form shows each error
next to its field."""

import re

import pytest
from django.urls import reverse

from mentorship.tests.factories import PairFactory


def _url(name, school, **kwargs):
    return reverse(name, kwargs={"org": school.slug, **kwargs})


# (list page, a phrase of its empty state, the page its link leads to)
EMPTY_LISTS = [
    ("participants:person_list", "В базе школы пока нет участников", "participants:import_upload"),
    ("participants:mentor_list", "В базе наставников", "participants:mentor_add"),
    ("participants:mentee_list", "В базе наставляемых", "participants:mentee_add"),
    ("participants:partner_list", "Организаций-партнёров пока нет", "participants:partner_add"),
    ("participants:invitation_list", "Приглашений пока нет", "participants:questionnaire_list"),
    ("mentorship:programme_list", "Программ пока нет", "mentorship:programme_create"),
    ("mentorship:pair_list", "Пар и групп пока нет", "mentorship:programme_list"),
    ("mentorship:plan_list", "Пар и групп пока нет", "mentorship:pair_list"),
    ("mentorship:calendar", "Встречи вносят наставники", "mentorship:pair_list"),
    ("reports:order_list", "Приказов пока нет", "reports:order_new"),
    ("roadmap:list", "Дорожных карт пока нет", "roadmap:create"),
    ("reports:dashboard", "В школе пока нет участников", "participants:import_upload"),
]


@pytest.mark.parametrize(("name", "phrase", "next_page"), EMPTY_LISTS, ids=[row[0] for row in EMPTY_LISTS])
def test_an_empty_list_tells_what_to_do_next(client, school_a, curator_a, name, phrase, next_page):
    client.force_login(curator_a)
    response = client.get(_url(name, school_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert phrase in page
    assert f'href="{_url(next_page, school_a)}' in page


def test_a_pair_without_meetings_invites_to_log_the_first(client, school_a, curator_a):
    pair = PairFactory(organisation=school_a)
    client.force_login(curator_a)
    page = client.get(_url("mentorship:meeting_list", school_a, pair_pk=pair.pk)).content.decode()
    assert "Встреч пока нет. Начните со встречи-знакомства" in page
    assert f'href="{_url("mentorship:meeting_add", school_a, pair_pk=pair.pk)}"' in page


def test_everyone_answered_is_said_so(client, school_a, curator_a):
    client.force_login(curator_a)
    page = client.get(_url("participants:invitation_list", school_a) + "?pending=1").content.decode()
    assert "Неотвеченных приглашений нет: все, кому отправлена анкета, ответили." in page


def test_a_methodist_is_told_who_forms_the_pairs(client, school_a, member):
    client.force_login(member(school_a, "methodist"))
    page = client.get(_url("mentorship:pair_list", school_a)).content.decode()
    assert "Их формирует куратор программы наставничества." in page


def test_plan_item_errors_are_shown_next_to_the_field(client, school_a, curator_a):
    pair = PairFactory(organisation=school_a)
    client.force_login(curator_a)
    response = client.post(
        _url("mentorship:plan_edit", school_a, pair_pk=pair.pk),
        {
            "goals": "Повысить успеваемость",
            "tasks": "",
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-activity": "Разбор трудных тем",
            "form-0-work_form": "я" * 201,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    cell = re.search(r'<td><input[^>]*name="form-0-work_form".*?</td>', page, re.S)
    assert cell is not None
    assert "не более 200 символов" in cell.group(0)
