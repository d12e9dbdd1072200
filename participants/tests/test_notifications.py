"""A questionnaire sending closing within 3 days with under half answered: its sender hears once."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from organisations.notifications.models import Notification
from organisations.tests.factories import MembershipFactory, SchoolFactory
from participants.models import Invitation, QuestionnaireTemplate
from participants.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

KIND = "questionnaires.low_answers"


def _run() -> str:
    out = StringIO()
    call_command("send_notifications", stdout=out)
    return out.getvalue()


@pytest.fixture
def school():
    return SchoolFactory(slug="school-q")


@pytest.fixture
def sender(school):
    return MembershipFactory(
        organisation=school, role="curator", user__username="q", user__email="q@school.example"
    ).user


@pytest.fixture
def template():
    return QuestionnaireTemplate.objects.filter(organisation__isnull=True).order_by("pk").first()


def _send(school, template, sender, *, count, answered, expires_in):
    expires_at = timezone.now() + expires_in
    for number in range(count):
        Invitation.objects.create(
            organisation=school,
            template=template,
            person=PersonFactory(organisation=school),
            token_hash=f"{sender.pk}-{expires_in}-{number}",
            expires_at=expires_at,
            answered_at=timezone.now() if number < answered else None,
            created_by=sender,
        )


def test_low_answers_closing_soon(school, sender, template):
    _send(school, template, sender, count=10, answered=4, expires_in=datetime.timedelta(days=2))
    _send(
        school,
        template,
        sender,
        count=4,
        answered=2,
        expires_in=datetime.timedelta(days=2, hours=1) + datetime.timedelta(days=30),
    )
    _run()
    (notice,) = Notification.objects.filter(recipient=sender, kind=KIND)
    closes = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).date()
    assert notice.text == f"Анкета «{template.title}» закрывается {closes:%d.%m.%Y}: ответили 4 из 10 (40 %)."
    assert notice.url.endswith(f"?template={template.pk}&pending=1")
    assert [m.to for m in mail.outbox] == [["q@school.example"]]
    _run()
    assert len(mail.outbox) == 1 and Notification.objects.filter(kind=KIND).count() == 1


def test_half_answered_or_closed_is_quiet(school, sender, template):
    _send(school, template, sender, count=4, answered=2, expires_in=datetime.timedelta(days=1))
    _send(school, template, sender, count=3, answered=0, expires_in=-datetime.timedelta(hours=1))
    _run()
    assert not Notification.objects.filter(kind=KIND).exists()


def test_sender_preference_is_respected(school, sender, template):
    from organisations.notifications.kinds import Delivery
    from organisations.notifications.services import preferences_save

    preferences_save(user=sender, choices={KIND: Delivery.OFF})
    _send(school, template, sender, count=4, answered=0, expires_in=datetime.timedelta(days=1))
    _run()
    assert Notification.objects.get(recipient=sender, kind=KIND).delivery == Delivery.OFF
    assert mail.outbox == []
