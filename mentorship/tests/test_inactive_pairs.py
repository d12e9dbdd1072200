"""Inactive pairs: more than 30 days without a meeting is «Требует внимания» (one selector, read by the
lists, the pair page and the home pages); more than 60, the curator is offered to close or re-pair."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Meeting, Pair
from mentorship.selectors_meetings import days_without_meeting, pairs_without_meeting_since, with_last_meeting
from mentorship.tests.factories import PairFactory

TODAY = datetime.date(2026, 12, 7)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))


def _pair(school, *, met_days_ago=None, started_days_ago=200, **kwargs):
    pair = PairFactory(organisation=school, starts_on=TODAY - datetime.timedelta(days=started_days_ago), **kwargs)
    if met_days_ago is not None:
        Meeting.objects.create(
            organisation=school, pair=pair, starts_at=_at(TODAY - datetime.timedelta(days=met_days_ago))
        )
    return pair


def test_pairs_without_meeting_since_counts_days_from_the_last_meeting_or_the_start(school_a, school_b):
    silent = _pair(school_a, met_days_ago=31)
    _pair(school_a, met_days_ago=30)  # exactly 30 days: not yet
    never = _pair(school_a, started_days_ago=45)
    _pair(school_a, started_days_ago=20)  # new, never met: not yet
    _pair(school_a, met_days_ago=90, status=Pair.Status.CLOSED, closed_on=TODAY, outcome="completed")
    planned = _pair(school_a, met_days_ago=50)
    Meeting.objects.create(organisation=school_a, pair=planned, starts_at=_at(TODAY + datetime.timedelta(days=3)))
    _pair(school_b, met_days_ago=100)  # another school
    found = list(pairs_without_meeting_since(organisation=school_a, today=TODAY))
    assert found == [never, silent]  # never met first, then the oldest last meeting
    assert [days_without_meeting(p, today=TODAY) for p in found] == [45, 31]
    assert [p.pk for p in pairs_without_meeting_since(organisation=school_a, today=TODAY, days=60)] == []


def test_days_without_meeting_is_none_for_a_pair_not_working(school_a):
    pair = _pair(school_a, status=Pair.Status.APPROVED)
    assert days_without_meeting(with_last_meeting(Pair.objects.filter(pk=pair.pk)).get(), today=TODAY) is None


@pytest.fixture
def silent_pairs(school_a):
    now = timezone.localdate()
    month = PairFactory(organisation=school_a, starts_on=now - datetime.timedelta(days=100))
    Meeting.objects.create(organisation=school_a, pair=month, starts_at=_at(now - datetime.timedelta(days=40)))
    quarter = PairFactory(organisation=school_a, starts_on=now - datetime.timedelta(days=100))
    Meeting.objects.create(organisation=school_a, pair=quarter, starts_at=_at(now - datetime.timedelta(days=70)))
    fine = PairFactory(organisation=school_a, starts_on=now - datetime.timedelta(days=100))
    Meeting.objects.create(organisation=school_a, pair=fine, starts_at=_at(now - datetime.timedelta(days=3)))
    return month, quarter, fine


def test_pair_list_marks_pairs_needing_attention(client, school_a, curator_a, silent_pairs):
    client.force_login(curator_a)
    url = reverse("mentorship:pair_list", kwargs={"org": school_a.slug})
    body = client.get(url).content.decode()
    assert body.count('data-testid="pair-attention"') == 2
    month, quarter, _ = silent_pairs
    response = client.get(url, {"inactive": "on"})
    assert {pair.pk for pair in response.context["object_list"]} == {month.pk, quarter.pk}
    assert "Только требующие внимания: без встреч больше 30 дней" in response.content.decode()


def test_pair_page_after_30_days_shows_the_status_and_after_60_offers_to_close(
    client, school_a, curator_a, member, silent_pairs
):
    month, quarter, fine = silent_pairs
    client.force_login(curator_a)

    def page(pair):
        return client.get(
            reverse("mentorship:pair_detail", kwargs={"org": school_a.slug, "pk": pair.pk})
        ).content.decode()

    body = page(month)
    assert "Требует внимания" in body and "без встреч 40 дней (больше 30)" in body and "pair-close-offer" not in body
    body = page(quarter)
    assert "без встреч 70 дней" in body and 'data-testid="pair-close-offer"' in body
    assert "Пара не встречается больше 60 дней." in body
    assert "Завершить с указанием причины" in body and "Заменить наставника" in body
    assert "Требует внимания" not in page(fine)
    # The methodist sees the status, not the offer (closing is the curator's).
    client.force_login(member(school_a, "methodist"))
    body = page(quarter)
    assert "Требует внимания" in body and "pair-close-offer" not in body


def test_close_from_the_offer_starts_with_an_early_end_and_its_reason(client, school_a, curator_a, silent_pairs):
    _, quarter, _ = silent_pairs
    client.force_login(curator_a)
    url = reverse("mentorship:pair_close", kwargs={"org": school_a.slug, "pk": quarter.pk})
    form = client.get(url + "?inactive=1").context["form"]
    assert form.initial["outcome"] == Pair.Outcome.TERMINATED
    assert form.initial["reason"] == "Пара не встречалась 70 дней."
    response = client.post(
        url, {"outcome": "terminated", "closed_on": timezone.localdate().isoformat(), "reason": form.initial["reason"]}
    )
    assert response.status_code == 302
    quarter.refresh_from_db()
    assert quarter.status == Pair.Status.CLOSED and quarter.termination_reason == "Пара не встречалась 70 дней."
