"""Roadmap deadlines as notifications (roadmap/notifications.py, run by ``manage.py send_notifications``):
each responsible user is told once when the date is 3 days away and once when it has passed."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from organisations.notifications.kinds import Delivery
from organisations.notifications.models import Notification
from organisations.notifications.services import preferences_save
from organisations.tests.factories import MembershipFactory
from participants.tests.factories import TeacherFactory
from roadmap.models import ItemResponsible
from roadmap.tests.factories import ItemFactory, SectionFactory

pytestmark = pytest.mark.django_db

KIND = "roadmap.due"


def _responsible(item, *, user=None, person=None):
    ItemResponsible.objects.create(organisation=item.organisation, item=item, user=user, person=person)


def _run(date="2026-10-28", command="send_notifications") -> str:
    out = StringIO()
    call_command(command, "--date", date, stdout=out)
    return out.getvalue()


@pytest.fixture
def digest_time(settings):
    settings.NOTIFICATION_DIGEST_HOUR = 0


def test_each_responsible_user_is_told_once(school_a, curator_a, school_b, curator_b, digest_time):
    curator_a.email = "nikolaeva@school.example"
    curator_a.save()
    section = SectionFactory(roadmap__organisation=school_a)
    overdue = ItemFactory(section=section, content="Формирование базы наставников", deadline="До 15.10.2026")
    soon = ItemFactory(section=section, content="Приказ о закреплении пар", deadline="Октябрь 2026")
    later = ItemFactory(section=section, content="Итоговое мероприятие", deadline="Май 2027")
    done = ItemFactory(section=section, content="Сделано", deadline="До 01.10.2026")
    done.occurrences.update(status="done", done_on=datetime.date(2026, 9, 30))
    teacher_user = MembershipFactory(organisation=school_a, role="mentor", user__email="yakovenko@school.example").user
    teacher = TeacherFactory(organisation=school_a, email="yakovenko@school.example", user=teacher_user)
    blocked_user = MembershipFactory(organisation=school_a, role="mentor", user__email="blocked@school.example").user
    blocked = TeacherFactory(organisation=school_a, user=blocked_user)
    blocked.processing_blocked_at = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)
    blocked.save()
    for item in (overdue, soon, later, done):
        _responsible(item, user=curator_a)
    _responsible(soon, person=teacher)
    _responsible(soon, person=blocked)
    # Another school's curator without an address: in the app only.
    _responsible(ItemFactory(section__roadmap__organisation=school_b, deadline="До 15.10.2026"), user=curator_b)

    assert _run() == "Новых уведомлений: 4. Отправлено 2 письма.\n"
    texts = {(n.recipient.username, n.text) for n in Notification.objects.filter(kind=KIND)}
    assert texts >= {
        (
            curator_a.username,
            "Просрочено мероприятие дорожной карты «Формирование базы наставников»: срок был 15.10.2026.",
        ),
        (curator_a.username, "Срок мероприятия дорожной карты «Приказ о закреплении пар» — 31.10.2026 (через 3 дня)."),
        (
            teacher_user.username,
            "Срок мероприятия дорожной карты «Приказ о закреплении пар» — 31.10.2026 (через 3 дня).",
        ),
    }
    assert not Notification.objects.filter(recipient=blocked_user).exists()
    assert Notification.objects.get(recipient=curator_b).delivery == Delivery.OFF
    letters = {message.to[0]: message for message in mail.outbox}
    assert set(letters) == {"nikolaeva@school.example", "yakovenko@school.example"}
    letter = letters["nikolaeva@school.example"]
    assert "2 уведомления" in letter.subject  # the daily digest
    assert "Формирование базы наставников" in letter.body and "/roadmap/items/" in letter.body
    assert "Итоговое мероприятие" not in letter.body and "Сделано" not in letter.body

    # The next run tells nobody anything again; when the date has passed, the teacher hears once more.
    assert _run() == "Новых уведомлений: 0. Отправлено 0 писем.\n"
    assert _run("2026-11-01").startswith("Новых уведомлений: 2.")  # «soon» became overdue: curator and teacher


def test_preference_off_keeps_it_in_the_app_only(school_a, curator_a, digest_time):
    curator_a.email = "nikolaeva@school.example"
    curator_a.save()
    preferences_save(user=curator_a, choices={KIND: Delivery.OFF})
    _responsible(ItemFactory(section__roadmap__organisation=school_a, deadline="До 15.10.2026"), user=curator_a)
    assert _run().startswith("Новых уведомлений: 1. Отправлено 0 писем")
    assert mail.outbox == []
    assert Notification.objects.get(recipient=curator_a).read_at is None


def test_immediate_preference_sends_at_once(school_a, curator_a, settings):
    settings.NOTIFICATION_DIGEST_HOUR = 24  # no digest this run
    curator_a.email = "nikolaeva@school.example"
    curator_a.save()
    preferences_save(user=curator_a, choices={KIND: Delivery.IMMEDIATE})
    _responsible(ItemFactory(section__roadmap__organisation=school_a, deadline="До 15.10.2026"), user=curator_a)
    _run()
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Наставник: Просрочено мероприятие")


def test_nothing_due_makes_nothing(school_a, curator_a):
    _responsible(ItemFactory(section__roadmap__organisation=school_a, deadline="Май 2027"), user=curator_a)
    assert _run().startswith("Новых уведомлений: 0.")
    assert mail.outbox == []


def test_archived_roadmaps_are_quiet(school_a, curator_a):
    item = ItemFactory(section__roadmap__organisation=school_a, deadline="До 15.10.2026")
    _responsible(item, user=curator_a)
    item.roadmap.status = "archived"
    item.roadmap.save()
    assert _run().startswith("Новых уведомлений: 0.")


def test_a_wrong_date_is_explained():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        call_command("send_notifications", "--date", "27.10.2026")


def test_today_is_the_default(school_a, curator_a):
    due = timezone.localdate() - datetime.timedelta(days=1)
    _responsible(ItemFactory(section__roadmap__organisation=school_a, deadline=f"До {due:%d.%m.%Y}"), user=curator_a)
    out = StringIO()
    call_command("send_notifications", stdout=out)
    assert out.getvalue().startswith("Новых уведомлений: 1.")
