"""A partner organisation's mentor sees a child only with the consent to the transfer to that partner."""

import datetime

import pytest
from django.urls import reverse

from participants.models import ConsentPurpose, PartnerOrganisation
from participants.tests.factories import PersonFactory
from participants.tests.factories_consents import ConsentFactory

from .factories import PairFactory


@pytest.fixture
def partner(school_a):
    return PartnerOrganisation.objects.create(organisation=school_a, name="Завод «Прогресс»")


@pytest.fixture
def other_partner(school_a):
    return PartnerOrganisation.objects.create(organisation=school_a, name="Колледж связи")


@pytest.fixture
def partner_mentor(school_a, mentor_a, partner):
    return PersonFactory(
        organisation=school_a,
        user=mentor_a,
        category="partner_employee",
        grade=None,
        class_letter="",
        partner=partner,
        last_name="Инженеров",
    )


def _consent(person, purpose, partner=None):
    return ConsentFactory(person=person, purpose=purpose, partner=partner, signed_on=datetime.date(2025, 9, 1))


def test_partner_mentor_sees_only_children_with_the_consent_for_that_partner(
    client, school_a, mentor_a, partner, other_partner, partner_mentor
):
    allowed = PersonFactory(organisation=school_a, last_name="Согласнова")
    no_transfer = PersonFactory(organisation=school_a, last_name="Безпередачин")
    wrong_partner = PersonFactory(organisation=school_a, last_name="Другопартнёров")
    for child in (allowed, no_transfer, wrong_partner):
        _consent(child, ConsentPurpose.PARTICIPATION)
    _consent(allowed, ConsentPurpose.PARTNER_TRANSFER, partner)
    _consent(wrong_partner, ConsentPurpose.PARTNER_TRANSFER, other_partner)
    pairs = {
        child: PairFactory(organisation=school_a, mentor=partner_mentor, mentees=[child])
        for child in (allowed, no_transfer, wrong_partner)
    }
    client.force_login(mentor_a)

    page = client.get(reverse("mentorship:my_pairs", kwargs={"org": school_a.slug})).content.decode()
    assert "Согласнова" in page
    assert "Безпередачин" not in page and "Другопартнёров" not in page
    for child in (no_transfer, wrong_partner):
        url = reverse("mentorship:meeting_list", kwargs={"org": school_a.slug, "pair_pk": pairs[child].pk})
        assert client.get(url).status_code == 404
    url = reverse("mentorship:meeting_list", kwargs={"org": school_a.slug, "pair_pk": pairs[allowed].pk})
    assert client.get(url).status_code == 200

    # Withdrawn: hidden at once.
    allowed.consents.filter(purpose=ConsentPurpose.PARTNER_TRANSFER).update(status="withdrawn")
    page = client.get(reverse("mentorship:my_pairs", kwargs={"org": school_a.slug})).content.decode()
    assert "Согласнова" not in page


def test_a_schools_own_mentor_needs_no_partner_consent(client, school_a, mentor_a):
    teacher = PersonFactory(organisation=school_a, user=mentor_a, category="teacher", grade=None, class_letter="")
    child = PersonFactory(organisation=school_a, last_name="Ученикова")
    PairFactory(organisation=school_a, mentor=teacher, mentees=[child])
    client.force_login(mentor_a)
    page = client.get(reverse("mentorship:my_pairs", kwargs={"org": school_a.slug})).content.decode()
    assert "Ученикова" in page
