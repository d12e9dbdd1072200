"""Editing a draft pair: the rules of forming a pair, and only while it is a draft."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentorship import services
from mentorship.models import Pair, Programme
from mentorship.services import pair_approve, pair_update
from mentorship.tests.factories import ProgrammeFactory
from mentorship.tests.test_pairs import form_pair, make_mentee, make_mentor
from participants.models import ConsentPurpose, MentoringForm
from participants.services import ERROR_CONSENT_REQUIRED


@pytest.fixture
def programme(school_a):
    programme = ProgrammeFactory(organisation=school_a, kind=Programme.Kind.STUDENTS)
    for name in ("учитель – ученик", "ученик – ученик"):
        programme.forms.add(MentoringForm.objects.get(name=name), through_defaults={"organisation": school_a})
    return programme


@pytest.fixture
def form():
    return MentoringForm.objects.get(name="учитель – ученик")


def _edit(pair, **changes):
    data = {
        "pair": pair,
        "mentees": list(pair.mentees.all()),
        "form": pair.form,
        "role_model": pair.role_model,
        "starts_on": pair.starts_on,
        "planned_end_on": pair.planned_end_on,
        "user": None,
    }
    return pair_update(**{**data, **changes})


def test_curator_edits_a_draft_on_its_page(client, programme, form, curator_a):
    mentor = make_mentor(programme, capacity=3)
    staying, leaving, joining = (make_mentee(programme, last_name=n) for n in ("Черных", "Кляпка", "Николаев"))
    pair = form_pair(programme, mentor, [staying, leaving], form, curator_a)
    other_form = MentoringForm.objects.get(name="ученик – ученик")
    role_model = other_form.role_models.get(name="равный – равному")
    client.force_login(curator_a)
    detail = client.get(reverse("mentorship:pair_detail", args=[programme.organisation.slug, pair.pk])).content
    url = reverse("mentorship:pair_edit", args=[programme.organisation.slug, pair.pk])
    assert url in detail.decode()  # «Изменить черновик»

    page = client.get(url).content.decode()
    assert mentor.full_name in page and "Изменить черновик пары" in page
    starts = programme.starts_on + datetime.timedelta(days=14)
    response = client.post(
        url,
        {
            "mentees": [staying.pk, joining.pk],
            "form": form.pk,
            "role_model": form.role_models.get(name="мастер – ученик").pk,
            "starts_on": f"{starts:%Y-%m-%d}",
            "planned_end_on": f"{programme.ends_on:%Y-%m-%d}",
        },
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert set(pair.mentees.all()) == {staying, joining}
    assert (pair.role_model.name, pair.starts_on, pair.status) == ("мастер – ученик", starts, Pair.Status.DRAFT)
    assert pair.mentor == mentor

    # A role model of another form is refused with the same message as on creation.
    response = client.post(
        url,
        {
            "mentees": [staying.pk],
            "form": form.pk,
            "role_model": role_model.pk,
            "starts_on": f"{starts:%Y-%m-%d}",
            "planned_end_on": f"{programme.ends_on:%Y-%m-%d}",
        },
    )
    assert response.status_code == 200
    assert services.ERROR_ROLE_MODEL_OF_OTHER_FORM.format(role_model=role_model.name, form=form.name) in (
        response.content.decode()
    )
    assert pair.mentees.count() == 2


def test_the_pairs_own_places_and_mentees_do_not_count_against_it(programme, form):
    mentor = make_mentor(programme, capacity=2)
    first, second, third = (make_mentee(programme) for _ in range(3))
    pair = form_pair(programme, mentor, [first], form)
    # The mentee already in this draft is not «busy», and its place is not «taken».
    _edit(pair, mentees=[first, second])
    assert pair.mentees.count() == 2
    with pytest.raises(ValidationError) as excinfo:
        _edit(pair, mentees=[first, second, third])
    assert excinfo.value.messages == [
        services.ERROR_MENTOR_CAPACITY.format(name=mentor.full_name, capacity=2, taken=0, requested=3)
    ]
    assert pair.mentees.count() == 2


def test_edit_checks_consents_other_pairs_and_both_sides(programme, form):
    mentor = make_mentor(programme, capacity=3)
    mentee = make_mentee(programme)
    pair = form_pair(programme, mentor, [mentee], form)
    without_consent = make_mentee(programme, consent=False)
    with pytest.raises(ValidationError) as excinfo:
        _edit(pair, mentees=[mentee, without_consent])
    purpose = ConsentPurpose.PARTICIPATION.label
    assert excinfo.value.messages == [ERROR_CONSENT_REQUIRED.format(name=without_consent.full_name, purpose=purpose)]

    other_mentor = make_mentor(programme)
    taken = make_mentee(programme)
    form_pair(programme, other_mentor, [taken], form)
    with pytest.raises(ValidationError) as excinfo:
        _edit(pair, mentees=[taken])
    assert excinfo.value.messages == [
        services.ERROR_MENTEE_BUSY.format(name=taken.full_name, mentor=other_mentor.full_name)
    ]

    with pytest.raises(ValidationError) as excinfo:
        _edit(pair, mentees=[mentee, mentor])
    assert services.ERROR_SAME_PERSON.format(name=mentor.full_name) in excinfo.value.messages

    with pytest.raises(ValidationError) as excinfo:
        _edit(pair, planned_end_on=pair.starts_on - datetime.timedelta(days=1))
    assert excinfo.value.messages == [services.ERROR_DATES]
    assert list(pair.mentees.all()) == [mentee]


def test_an_approved_pair_says_why_it_cannot_be_edited(client, programme, form, curator_a, director_a):
    pair = form_pair(programme, make_mentor(programme), [make_mentee(programme)], form, curator_a)
    pair_approve(pair=pair, user=director_a, order_label="№ 56-ОД от 01.10.2026")
    why = services.ERROR_EDIT_NOT_DRAFT.format(state="утверждена приказом № 56-ОД от 01.10.2026")
    client.force_login(curator_a)
    url = reverse("mentorship:pair_edit", args=[programme.organisation.slug, pair.pk])
    page = client.get(url).content.decode()
    assert why in page and "<form" not in page.split('data-testid="edit-refusal"')[1]
    detail = client.get(reverse("mentorship:pair_detail", args=[programme.organisation.slug, pair.pk])).content
    assert url not in detail.decode()

    response = client.post(
        url,
        {
            "mentees": [make_mentee(programme).pk],
            "form": form.pk,
            "starts_on": f"{pair.starts_on:%Y-%m-%d}",
            "planned_end_on": f"{pair.planned_end_on:%Y-%m-%d}",
        },
    )
    assert response.status_code == 200 and why in response.content.decode()
    assert pair.mentees.count() == 1
    with pytest.raises(ValidationError) as excinfo:
        _edit(pair)
    assert excinfo.value.messages == [why]
