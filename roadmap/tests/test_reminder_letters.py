"""``manage.py send_reminders``: one letter a day per responsible person without an account (those with an
account are notified, roadmap/tests/test_reminders.py)."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from participants.tests.factories import TeacherFactory
from roadmap.models import ItemResponsible
from roadmap.tests.factories import ItemFactory, SectionFactory

pytestmark = pytest.mark.django_db


def _responsible(item, *, user=None, person=None):
    ItemResponsible.objects.create(organisation=item.organisation, item=item, user=user, person=person)


def _run(date="2026-10-27") -> str:
    out = StringIO()
    call_command("send_reminders", "--date", date, stdout=out)
    return out.getvalue()


def test_each_responsible_person_without_an_account_gets_one_letter(school_a, curator_a, school_b):
    curator_a.email = "nikolaeva@school.example"
    curator_a.save()
    section = SectionFactory(roadmap__organisation=school_a)
    overdue = ItemFactory(section=section, content="Формирование базы наставников", deadline="До 15.10.2026")
    soon = ItemFactory(section=section, content="Приказ о закреплении пар", deadline="Октябрь 2026")
    later = ItemFactory(section=section, content="Итоговое мероприятие", deadline="Май 2027")
    done = ItemFactory(section=section, content="Сделано", deadline="До 01.10.2026")
    done.occurrences.update(status="done", done_on=datetime.date(2026, 9, 30))
    teacher = TeacherFactory(
        organisation=school_a, first_name="Ирина", patronymic="Павловна", email="yakovenko@school.example"
    )
    with_account = TeacherFactory(organisation=school_a, email="account@school.example")
    with_account.user = curator_a
    with_account.save()
    blocked = TeacherFactory(organisation=school_a, email="blocked@school.example")
    blocked.processing_blocked_at = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)
    blocked.save()
    for item in (overdue, soon, later, done):
        _responsible(item, person=teacher)
        # A user of the school is told by a notification, not by this letter.
        _responsible(item, user=curator_a)
    _responsible(soon, person=with_account)
    _responsible(soon, person=blocked)
    # Another school's teacher without an address: no letter.
    _responsible(
        ItemFactory(section__roadmap__organisation=school_b, deadline="До 15.10.2026"),
        person=TeacherFactory(organisation=school_b, email=""),
    )

    assert _run() == "Отправлено 1 письмо с напоминаниями.\n"
    [letter] = mail.outbox
    assert letter.to == ["yakovenko@school.example"]
    assert letter.subject == "Наставник: мероприятия дорожной карты — просрочено 1, 1 срок на этой неделе"
    assert letter.body.startswith("Здравствуйте, Ирина Павловна!")
    assert "— Формирование базы наставников (срок 15.10.2026; МБОУ СОШ № 1)" in letter.body
    assert "— Приказ о закреплении пар (срок 31.10.2026; МБОУ СОШ № 1)" in letter.body
    assert "Итоговое мероприятие" not in letter.body and "Сделано" not in letter.body
    assert "Письмо отправлено 27 октября 2026 г." in letter.body


def test_nothing_due_sends_nothing(school_a):
    ItemFactory(section__roadmap__organisation=school_a, deadline="Май 2027")
    assert _run() == "Отправлено 0 писем с напоминаниями.\n"
    assert mail.outbox == []


def test_archived_roadmaps_are_quiet(school_a):
    item = ItemFactory(section__roadmap__organisation=school_a, deadline="До 15.10.2026")
    _responsible(item, person=TeacherFactory(organisation=school_a, email="yakovenko@school.example"))
    item.roadmap.status = "archived"
    item.roadmap.save()
    assert _run() == "Отправлено 0 писем с напоминаниями.\n"


def test_a_wrong_date_is_explained():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        call_command("send_reminders", "--date", "27.10.2026")
