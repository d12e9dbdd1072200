"""Order notifications: waiting for the director, returned to the author, approved; once each, by preference."""

import pytest
from django.core import mail
from django.core.management import call_command

from mentorship.models import Pair
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from organisations.notifications.kinds import Delivery
from organisations.notifications.models import Notification
from organisations.notifications.services import preferences_save
from organisations.roles import Role
from organisations.tests.factories import MembershipFactory, SchoolFactory, UserFactory
from participants.tests.factories import TeacherFactory
from reports.models import OrderKind
from reports.orders.notifications import notify_order_awaiting
from reports.orders.services import order_approve, order_draft, order_return, order_save, order_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return SchoolFactory(order_number_suffix="-ОД", director_name="Кляпка Ольга Викторовна")


def _user(school, role, name, **extra):
    user = UserFactory(username=name, email=f"{name}@school.example", first_name="Ольга", patronymic="Викторовна")
    MembershipFactory(user=user, organisation=school, role=role)
    return user


@pytest.fixture
def director(school):
    return _user(school, Role.DIRECTOR, "director")


@pytest.fixture
def curator(school):
    return _user(school, Role.CURATOR, "curator")


@pytest.fixture
def order(school, curator):
    programme = ProgrammeFactory(organisation=school)
    mentor = TeacherFactory(organisation=school)
    PairFactory(organisation=school, programme=programme, mentor=mentor, status=Pair.Status.DRAFT)
    order = order_draft(organisation=school, kind=OrderKind.PAIRS, programme=programme, user=curator)
    order_save(order=order, fields={}, points=[{"action": "Закрепить пары."}], pairs=order.pairs.all())
    return order


def _send():
    call_command("send_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _mine(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_submit_notifies_the_director_once(order, curator, director, school):
    other_school_director = _user(SchoolFactory(), Role.DIRECTOR, "elsewhere")
    order_submit(order=order, user=curator)
    (notice,) = _mine(director, "orders.awaiting")
    assert notice.text == f"Приказ «{order.title}» ждёт вашей подписи."
    assert notice.url == f"/o/{school.slug}/orders/{order.pk}/"
    assert not _mine(curator, "orders.awaiting") and not Notification.objects.filter(recipient=other_school_director)
    _send()
    _send()
    assert [message.to for message in mail.outbox] == [["director@school.example"]]
    assert "ждёт вашей подписи" in mail.outbox[0].subject


def test_return_and_resubmit_notify_again(order, curator, director):
    order_submit(order=order, user=curator)
    _send()
    order_return(order=order, comment="Уточните сроки.", user=director)
    (returned,) = _mine(curator, "orders.returned")
    assert _mine(director, "orders.awaiting")[0].read_at is not None
    assert "возвращён на доработку" in returned.text and "Уточните" not in returned.text
    order_submit(order=order, user=curator)
    assert len(_mine(director, "orders.awaiting")) == 2  # a new round of the route
    _send()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "curator@school.example",
        "director@school.example",
        "director@school.example",
    ]
    _send()
    assert len(mail.outbox) == 3


def test_approved_goes_to_the_authors_digest(order, curator, director, settings):
    settings.NOTIFICATION_DIGEST_HOUR = 0
    order_submit(order=order, user=curator)
    order = order_approve(order=order, user=director)
    (approved,) = _mine(curator, "orders.approved")
    assert approved.delivery == Delivery.DIGEST
    assert approved.text == f"Приказ «{order.title}» утверждён от {order.approved_on:%d.%m.%Y} № {order.number_label}."
    assert not _mine(director, "orders.approved")
    assert _mine(director, "orders.awaiting")[0].read_at is not None  # done: no longer waits in the bell
    _send()
    _send()
    # (the approved pair, with no meeting since the programme began, brings the curator its own notices)
    to_curator = [m for m in mail.outbox if m.to == ["curator@school.example"] and "утверждён" in m.body]
    assert len(to_curator) == 1


def test_preference_off_keeps_only_the_bell(order, curator, director):
    preferences_save(user=director, choices={"orders.awaiting": Delivery.OFF})
    order_submit(order=order, user=curator)
    assert _mine(director, "orders.awaiting")[0].delivery == Delivery.OFF
    _send()
    assert mail.outbox == []


def test_visa_steps_use_the_same_function(order, curator, director, school):
    methodist = _user(school, Role.METHODIST, "methodist")
    order_submit(order=order, user=curator)
    made = notify_order_awaiting(order, [methodist], step="visa-1")
    assert [n.text for n in made] == [f"Приказ «{order.title}» ждёт вашей визы."]
    assert notify_order_awaiting(order, [methodist], step="visa-1") == []
