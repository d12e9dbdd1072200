"""Programme notifications: a pair without meetings, an expiring certificate, a withdrawn consent.

Each: the right people get it once, in the app and by e-mail, their preference respected; a second
run of send_notifications sends nothing new; e-mails name a child by first name and class only."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mentorship.models import Meeting
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from organisations.notifications.kinds import Delivery
from organisations.notifications.models import Notification
from organisations.notifications.services import preferences_save
from organisations.tests.factories import MembershipFactory, SchoolFactory
from participants.models import Consent
from participants.tests.factories import MentorDocumentFactory, PersonFactory, TeacherFactory
from participants.tests.factories_consents import consent_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def digest_time(settings):
    settings.NOTIFICATION_DIGEST_HOUR = 0


def _user(school, role, name):
    return MembershipFactory(
        organisation=school, role=role, user__username=name, user__email=f"{name}@school.example"
    ).user


def _run(date=TODAY) -> str:
    out = StringIO()
    call_command("send_notifications", "--date", f"{date:%Y-%m-%d}", stdout=out)
    return out.getvalue()


@pytest.fixture
def school():
    return SchoolFactory(slug="school-n")


@pytest.fixture
def curator(school):
    return _user(school, "curator", "curator")


@pytest.fixture
def mentor_user(school):
    return _user(school, "mentor", "mentor")


@pytest.fixture
def pair(school, curator, mentor_user):
    programme = ProgrammeFactory(organisation=school, school_year=2026, curator=curator)
    mentor = TeacherFactory(organisation=school, last_name="Кляпка", first_name="Ольга", patronymic="Викторовна")
    mentor.user = mentor_user
    mentor.save()
    mentee = PersonFactory(organisation=school, last_name="Иванов", first_name="Пётр", grade=7, class_letter="Б")
    return PairFactory(
        organisation=school, programme=programme, mentor=mentor, mentees=[mentee], starts_on=datetime.date(2026, 9, 1)
    )


def _meet(pair, day):
    Meeting.objects.create(
        organisation=pair.organisation,
        pair=pair,
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 0))),
        topic="Встреча",
    )


def _texts(user, kind):
    return [n.text for n in Notification.objects.filter(recipient=user, kind=kind).order_by("pk")]


def test_pair_without_meetings_for_30_days(pair, curator, mentor_user, school):
    other_curator = _user(SchoolFactory(), "curator", "elsewhere")
    _meet(pair, TODAY - datetime.timedelta(days=31))
    _run()
    kind = "mentorship.pair_inactive"
    assert _texts(mentor_user, kind) == [
        "Ваша пара Кляпка О.В. → Пётр (7Б) не встречалась 31 день: запланируйте встречу и отметьте её в «Мои пары»."
    ]
    assert _texts(curator, kind) == ["Пара Кляпка О.В. → Пётр (7Б) не встречалась 31 день — требует внимания."]
    assert not Notification.objects.filter(recipient=other_curator).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["curator@school.example", "mentor@school.example"]
    assert all("Иванов" not in m.body and "Иванов" not in m.subject for m in mail.outbox)
    _run()
    _run(TODAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2 and Notification.objects.count() == 2
    # Over 60 days: the curator is offered to close or re-pair; a meeting starts a new count.
    _run(TODAY + datetime.timedelta(days=29))
    assert "завершите" not in _texts(curator, kind)[-1], "at 60 days exactly, as the pair page: not yet"
    _run(TODAY + datetime.timedelta(days=30))
    assert (
        "завершите её с указанием причины или подберите наставляемому другого наставника" in _texts(curator, kind)[-1]
    )
    _meet(pair, TODAY + datetime.timedelta(days=31))
    _run(TODAY + datetime.timedelta(days=40))
    assert len(_texts(mentor_user, kind)) == 1


def test_found_at_60_days_the_curator_gets_only_the_offer(pair, curator, mentor_user):
    _meet(pair, TODAY - datetime.timedelta(days=61))
    _run()
    (offer,) = _texts(curator, "mentorship.pair_inactive")
    assert "не встречалась 61 день: завершите её" in offer
    assert len(_texts(mentor_user, "mentorship.pair_inactive")) == 1


def test_recent_meeting_is_quiet(pair):
    _meet(pair, TODAY - datetime.timedelta(days=5))
    assert _run().startswith("Новых уведомлений: 0.")


def test_mentor_may_turn_the_nudge_off(pair, curator, mentor_user):
    preferences_save(user=mentor_user, choices={"mentorship.pair_inactive": Delivery.OFF})
    _meet(pair, TODAY - datetime.timedelta(days=31))
    _run()
    assert _texts(mentor_user, "mentorship.pair_inactive")
    assert [m.to[0] for m in mail.outbox] == ["curator@school.example"]


def test_certificate_expiring_in_30_days(pair, school, curator, mentor_user):
    lonely_curator = _user(school, "curator", "second-curator")
    document = MentorDocumentFactory(person=pair.mentor, valid_until=TODAY + datetime.timedelta(days=30))
    MentorDocumentFactory(person=pair.mentor, valid_until=TODAY + datetime.timedelta(days=31))  # not yet
    _run()
    kind = "mentorship.certificate_expiring"
    expected = "Медицинская справка наставника Кляпка О.В. действует до 20.12.2026 (осталось 30 дней): попросите новую."
    assert _texts(curator, kind) == [expected]
    assert _texts(mentor_user, kind) == [
        "Ваша медицинская справка действует до 20.12.2026 (осталось 30 дней): принесите новую куратору программы."
    ]
    assert Notification.objects.get(recipient=mentor_user, kind=kind).url == f"/o/{school.slug}/programme/my/"
    assert not _texts(lonely_curator, kind)  # the pair's programme names its curator
    assert Notification.objects.get(recipient=curator, kind=kind).delivery == Delivery.DIGEST
    assert len([m for m in mail.outbox if "едицинская справка" in m.body]) == 2
    _run()
    assert Notification.objects.filter(kind=kind).count() == 2
    assert len([m for m in mail.outbox if "едицинская справка" in m.body]) == 2
    # A new certificate date is a new event.
    document.valid_until = TODAY + datetime.timedelta(days=20)
    document.save()
    _run()
    assert len(_texts(curator, kind)) == 2


def test_certificate_of_a_mentor_without_pairs_goes_to_the_school_curators(school, curator):
    MentorDocumentFactory(organisation=school, valid_until=TODAY + datetime.timedelta(days=10))
    _run()
    assert len(_texts(curator, "mentorship.certificate_expiring")) == 1


def test_consent_withdrawn_in_a_pair(pair, curator, mentor_user, school):
    mentee = pair.mentees.get()
    consent = consent_for(mentee)
    consent.status = Consent.Status.WITHDRAWN
    consent.withdrawn_on = TODAY - datetime.timedelta(days=1)
    consent.save()
    old = consent_for(PersonFactory(organisation=school))
    old.status, old.withdrawn_on = Consent.Status.WITHDRAWN, TODAY - datetime.timedelta(days=1)
    old.save()  # not in a pair: nobody hears
    _run()
    kind = "mentorship.consent_withdrawn"
    expected = (
        "Отозвано согласие на обработку персональных данных (участие в программе наставничества): "
        "Пётр (7Б) из пары наставника Кляпка О.В. — решите, как продолжать работу пары."
    )
    assert _texts(curator, kind) == [expected]
    assert _texts(mentor_user, kind) == [
        "Отозвано согласие на обработку персональных данных (участие в программе наставничества): "
        "Пётр (7Б) из вашей пары — куратор скажет, как продолжать работу."
    ]
    assert Notification.objects.filter(kind=kind).count() == 2
    sent = [m for m in mail.outbox if "Отозвано согласие" in m.subject]
    assert sorted(m.to[0] for m in sent) == ["curator@school.example", "mentor@school.example"]
    _run()
    assert len([m for m in mail.outbox if "Отозвано согласие" in m.subject]) == 2


def test_certificate_and_consent_respect_preferences(pair, curator, mentor_user, settings):
    settings.NOTIFICATION_DIGEST_HOUR = 24  # no digest in this run
    preferences_save(user=curator, choices={"mentorship.certificate_expiring": Delivery.OFF})
    preferences_save(user=mentor_user, choices={"mentorship.certificate_expiring": Delivery.IMMEDIATE})
    preferences_save(user=curator, choices={"mentorship.consent_withdrawn": Delivery.DIGEST})
    MentorDocumentFactory(person=pair.mentor, valid_until=TODAY + datetime.timedelta(days=5))
    consent = consent_for(pair.mentees.get())
    consent.status, consent.withdrawn_on = Consent.Status.WITHDRAWN, TODAY
    consent.save()
    _run()
    assert [m.to[0] for m in mail.outbox if "справка" in m.body] == ["mentor@school.example"]
    assert [m.to[0] for m in mail.outbox if "Отозвано согласие" in m.body] == ["mentor@school.example"]
    waiting = Notification.objects.get(recipient=curator, kind="mentorship.consent_withdrawn")
    assert waiting.delivery == Delivery.DIGEST and waiting.emailed_at is None
    settings.NOTIFICATION_DIGEST_HOUR = 0
    _run()
    (digest,) = [m for m in mail.outbox if m.to == ["curator@school.example"] and "Отозвано согласие" in m.body]
    assert "справка" not in digest.body  # the curator turned certificates off
