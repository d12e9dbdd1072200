"""The matching page end to end: run, pin, forbid, rerun, accept; the weights form."""

import pytest
from django.urls import reverse

from mentorship.matching import ERROR_GAPS, REASON_NO_FREE_PLACES
from mentorship.models import MatchDecision, Pair, Programme
from mentorship.tests.factories import ProgrammeFactory
from mentorship.tests.test_pairs import make_mentee, make_mentor
from participants.models import MentoringForm


@pytest.fixture
def setup(school_a):
    programme = ProgrammeFactory(organisation=school_a, kind=Programme.Kind.STUDENTS)
    form = MentoringForm.objects.get(name="учитель – ученик")
    programme.forms.add(form, through_defaults={"organisation": school_a})
    mentors = [make_mentor(programme, capacity=1, last_name=name) for name in ("Алексеева", "Борисова")]
    mentees = [make_mentee(programme, last_name=name) for name in ("Васильев", "Григорьев")]
    return programme, form, mentors, mentees


def _urls(programme):
    slug = programme.organisation.slug
    return (
        reverse("mentorship:matching", args=[slug, programme.pk]),
        reverse("mentorship:matching_decision", args=[slug, programme.pk]),
        reverse("mentorship:matching_accept", args=[slug, programme.pk]),
    )


def _suggested(response) -> set[tuple[str, str]]:
    return {(s.mentor.name, s.mentee.name) for s in response.context["suggestions"]}


def test_run_pin_forbid_rerun_accept(client, setup, curator_a):
    programme, form, (m1, m2), (e1, e2) = setup
    page_url, decision_url, accept_url = _urls(programme)
    client.force_login(curator_a)

    response = client.get(page_url, {"form": form.pk})
    assert len(response.context["suggestions"]) == 2
    html = response.content.decode()
    assert "Запрос и компетенции" in html and "Разница в возрасте/классах" in html and "взрослый наставник" in html

    client.post(decision_url, {"mentee": e1.pk, "mentor": m2.pk, "kind": "pin"})
    response = client.get(page_url, {"form": form.pk})
    assert (m2.full_name, e1.full_name) in _suggested(response)
    assert (m1.full_name, e2.full_name) in _suggested(response)
    assert any(s.pinned for s in response.context["suggestions"])

    client.post(decision_url, {"mentee": e2.pk, "mentor": m1.pk, "kind": "forbid"})
    response = client.get(page_url, {"form": form.pk})
    assert _suggested(response) == {(m2.full_name, e1.full_name)}
    unassigned = response.context["run"].result.unassigned
    assert [(u.mentee.name, u.reason) for u in unassigned] == [(e2.full_name, REASON_NO_FREE_PLACES)]
    assert f"{e2.full_name}: {REASON_NO_FREE_PLACES}" in response.content.decode()
    assert MatchDecision.objects.filter(programme=programme).count() == 2

    client.post(decision_url, {"mentee": e2.pk, "mentor": m1.pk, "kind": "clear"})
    response = client.get(page_url, {"form": form.pk})
    keys = [f"{s.mentee.person_id}:{s.mentor.person_id}" for s in response.context["suggestions"]]
    response = client.post(accept_url, {"form": form.pk, "pair": keys})
    assert response.status_code == 302
    pairs = Pair.objects.filter(programme=programme)
    assert {(p.mentor_id, p.mentees.get().pk, p.status) for p in pairs} == {
        (m2.pk, e1.pk, "draft"),
        (m1.pk, e2.pk, "draft"),
    }

    # Paired mentees leave the pool and the mentors' places are taken.
    response = client.get(page_url, {"form": form.pk})
    assert response.context["suggestions"] == [] and response.context["run"].mentees_total == 0


def test_accept_is_all_or_nothing_with_the_reasons(client, setup, curator_a):
    programme, form, (m1, _m2), (e1, e2) = setup
    _, _, accept_url = _urls(programme)
    client.force_login(curator_a)
    # Both mentees to the same capacity-1 mentor: the second breaks the capacity rule.
    response = client.post(accept_url, {"form": form.pk, "pair": [f"{e1.pk}:{m1.pk}", f"{e2.pk}:{m1.pk}"]}, follow=True)
    html = response.content.decode()
    assert "Ни одна пара не создана" in html
    assert f"{m1.short_name} — {e2.short_name}: У наставника {m1.full_name} не хватает мест" in html
    assert not Pair.objects.exists()


def test_accepting_as_groups(client, setup, curator_a):
    programme, form, (m1, _m2), (e1, e2) = setup
    m1.mentor_entries.update(capacity=2)
    _, _, accept_url = _urls(programme)
    client.force_login(curator_a)
    client.post(accept_url, {"form": form.pk, "pair": [f"{e1.pk}:{m1.pk}", f"{e2.pk}:{m1.pk}"], "as_groups": "on"})
    pair = Pair.objects.get()
    assert set(pair.mentees.all()) == {e1, e2}


def test_weights_form_saves_and_validates(client, setup, curator_a):
    programme, *_ = setup
    client.force_login(curator_a)
    url = reverse("mentorship:matching_weights", args=[programme.organisation.slug, programme.pk])
    data = {
        "needs_weight": 10,
        "subject_weight": 0,
        "gap_weight": 4,
        "gap_required": "on",
        "availability_weight": 2,
        "form_weight": 3,
        "form_required": "on",
        "min_grade_gap": 2,
        "min_age_gap": 2,
        "max_grade_gap": 5,
        "min_experience_gap": 3,
    }
    assert client.post(url, data).status_code == 302
    programme.refresh_from_db()
    criteria = programme.matching_weights["criteria"]
    assert criteria["needs"] == {"weight": 10, "required": False}
    assert criteria["form"] == {"weight": 3, "required": True}

    response = client.post(url, {**data, "min_grade_gap": 6})
    assert ERROR_GAPS in response.content.decode()
    response = client.post(url, {**data, "needs_weight": 11})
    assert response.status_code == 200 and "11" not in str(Programme.objects.get().matching_weights)
