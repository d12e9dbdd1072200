"""The notifications core: notify() once per event and person, delivery by preference, retries, pages."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from organisations.notifications import sending
from organisations.notifications.channels import EmailChannel
from organisations.notifications.kinds import Delivery, all_kinds, kind_of
from organisations.notifications.models import MAX_ATTEMPTS, Notification
from organisations.notifications.services import notify, preferences_save
from organisations.tests.factories import MembershipFactory

KIND = "orders.awaiting"  # immediate by default
DIGEST_KIND = "orders.approved"  # a daily digest by default


def _user(organisation, role="curator", username=None, email=True, **extra):
    username = username or f"{role}-{organisation.slug}"
    membership = MembershipFactory(
        organisation=organisation,
        role=role,
        user__username=username,
        user__email=f"{username}@example.org" if email else "",
        **{f"user__{k}": v for k, v in extra.items()},
    )
    return membership.user


def _notify(organisation, users, key="event-1", kind=KIND, text="Приказ «О наставничестве» ждёт вашей подписи."):
    return notify(kind=kind, organisation=organisation, recipients=users, text=text, url="/o/x/orders/1/", key=key)


def _morning(day=None):
    day = day or timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def test_notify_once_per_event_and_person(school_a):
    director = _user(school_a, "director")
    made = _notify(school_a, [director, director.pk])
    assert len(made) == 1 and made[0].recipient == director and made[0].delivery == Delivery.IMMEDIATE
    assert _notify(school_a, [director]) == []
    assert Notification.objects.count() == 1
    assert len(_notify(school_a, [director], key="event-2")) == 1


def test_notify_skips_inactive_users_and_outsiders(school_a, school_b):
    inactive = _user(school_a, "mentor", is_active=False)
    outsider = _user(school_b, "director")
    assert _notify(school_a, [inactive, outsider, None]) == []
    assert not Notification.objects.exists()


def test_unknown_kind_is_refused(school_a):
    with pytest.raises(ValueError):
        notify(kind="nope", organisation=school_a, recipients=[], text="x", url="/", key="k")


def test_long_text_is_cut(school_a):
    director = _user(school_a, "director")
    (notification,) = _notify(school_a, [director], text="а" * 800)
    assert len(notification.text) == 500 and notification.text.endswith("…")


def test_preference_and_missing_address_decide_delivery(school_a):
    digest, off, plain, no_mail = (
        _user(school_a, "curator", "digest"),
        _user(school_a, "curator", "off"),
        _user(school_a, "curator", "plain"),
        _user(school_a, "curator", "nomail", email=False),
    )
    preferences_save(user=digest, choices={KIND: Delivery.DIGEST})
    preferences_save(user=off, choices={KIND: Delivery.OFF})
    made = {n.recipient.username: n.delivery for n in _notify(school_a, [digest, off, plain, no_mail])}
    assert made == {"digest": "digest", "off": "off", "plain": "immediate", "nomail": "off"}


def test_immediate_mail_once_even_when_run_twice(school_a):
    director = _user(school_a, "director", first_name="Ольга", patronymic="Андреевна")
    _notify(school_a, [director])
    assert sending.send_pending(now=_morning(), digests=False).sent == 1
    assert sending.send_pending(now=_morning()).sent == 0
    call_command("send_notifications")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["director-school-a@example.org"]
    assert "ждёт вашей подписи" in message.subject
    assert "Здравствуйте, Ольга Андреевна!" in message.body
    assert "http://127.0.0.1:8000/o/x/orders/1/" in message.body
    assert Notification.objects.get().emailed_at is not None


def test_notify_queues_the_immediate_mail_after_commit(school_a, django_capture_on_commit_callbacks, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    director = _user(school_a, "director")
    with django_capture_on_commit_callbacks(execute=True):
        _notify(school_a, [director])
    assert len(mail.outbox) == 1  # the immediate backend runs the task at once; db_worker would


def test_digest_once_a_day_listing_the_notices(school_a, settings):
    settings.NOTIFICATION_DIGEST_HOUR = 7
    curator = _user(school_a, "curator")
    _notify(school_a, [curator], key="a", kind=DIGEST_KIND, text="Приказ «Первый» утверждён.")
    _notify(school_a, [curator], key="b", kind=DIGEST_KIND, text="Приказ «Второй» утверждён.")
    today = timezone.localdate()
    early = timezone.make_aware(datetime.datetime.combine(today, datetime.time(6, 0)))
    assert sending.send_pending(now=early).sent == 0  # before the digest hour
    assert sending.send_pending(now=_morning()).sent == 1
    assert len(mail.outbox) == 1 and "2 уведомления" in mail.outbox[0].subject
    assert "Приказ «Первый» утверждён." in mail.outbox[0].body and "Приказ «Второй» утверждён." in mail.outbox[0].body
    # A notice later that day waits for tomorrow's digest.
    _notify(school_a, [curator], key="c", kind=DIGEST_KIND, text="Приказ «Третий» утверждён.")
    later = _morning() + datetime.timedelta(hours=3)
    assert sending.send_pending(now=later).sent == 0
    assert sending.send_pending(now=_morning(today + datetime.timedelta(days=1))).sent == 1
    assert "Приказ «Третий» утверждён." in mail.outbox[1].body and len(mail.outbox) == 2


def test_failed_send_is_kept_retried_and_shown(school_a, client, monkeypatch):
    mentor = _user(school_a, "mentor")
    _notify(school_a, [mentor])

    def broken(self, notifications):
        raise ConnectionRefusedError("SMTP-сервер недоступен")

    monkeypatch.setattr(EmailChannel, "send", broken)
    result = sending.send_pending(now=_morning())
    assert (result.sent, result.failed) == (0, 1)
    notification = Notification.objects.get()
    assert notification.emailed_at is None and notification.attempts == 1
    assert notification.last_error == "SMTP-сервер недоступен"
    client.force_login(mentor)
    page = client.get(reverse("notifications:list", kwargs={"org": school_a.slug})).content.decode()
    assert "письмо не отправлено, повторим при следующей отправке" in page and "SMTP-сервер недоступен" in page
    monkeypatch.undo()
    assert sending.send_pending(now=_morning()).sent == 1
    notification.refresh_from_db()
    assert notification.emailed_at and notification.attempts == 2 and notification.last_error == ""
    assert len(mail.outbox) == 1


def test_gives_up_after_max_attempts(school_a, monkeypatch):
    mentor = _user(school_a, "mentor")
    _notify(school_a, [mentor])
    Notification.objects.update(attempts=MAX_ATTEMPTS)
    assert sending.send_pending(now=_morning()).sent == 0
    assert not mail.outbox


def test_every_kind_has_a_title_and_a_known_default():
    codes = {kind.code for kind in all_kinds()}
    assert {"orders.awaiting", "orders.returned", "orders.approved"} <= codes
    for code in codes:
        assert kind_of(code).title and kind_of(code).default_delivery in Delivery.values


# Pages.


def _url(name, organisation, **kwargs):
    return reverse(f"notifications:{name}", kwargs={"org": organisation.slug, **kwargs})


def test_list_shows_own_notices_of_this_school_unread_first(client, school_a, school_b):
    mentor = _user(school_a, "mentor")
    MembershipFactory(organisation=school_b, role="mentor", user=mentor)
    other = _user(school_a, "curator")
    (read,) = _notify(school_a, [mentor], key="old", text="Старое уведомление.")
    read.read_at = timezone.now()
    read.save()
    _notify(school_a, [mentor], key="new", text="Новое уведомление.")
    _notify(school_a, [other], key="other", text="Чужое уведомление.")
    _notify(school_b, [mentor], key="b", text="Уведомление другой школы.")
    client.force_login(mentor)
    page = client.get(_url("list", school_a)).content.decode()
    assert page.index("Новое уведомление.") < page.index("Старое уведомление.")
    assert "Чужое" not in page and "другой школы" not in page
    assert 'data-testid="notification-count">1<' in page


def test_open_marks_read_and_goes_to_the_page(client, school_a):
    mentor, other = _user(school_a, "mentor"), _user(school_a, "curator")
    (mine,) = _notify(school_a, [mentor], key="m")
    (theirs,) = _notify(school_a, [other], key="t")
    client.force_login(mentor)
    response = client.post(_url("open", school_a, pk=mine.pk))
    assert response.status_code == 302 and response["Location"] == "/o/x/orders/1/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(_url("open", school_a, pk=theirs.pk)).status_code == 404
    assert client.get(_url("open", school_a, pk=mine.pk)).status_code == 405


def test_open_never_redirects_off_site(client, school_a):
    mentor = _user(school_a, "mentor")
    (notification,) = notify(
        kind=KIND, organisation=school_a, recipients=[mentor], text="x", url="https://evil.example/", key="k"
    )
    client.force_login(mentor)
    assert client.post(_url("open", school_a, pk=notification.pk))["Location"] == _url("list", school_a)


def test_read_all(client, school_a):
    mentor, other = _user(school_a, "mentor"), _user(school_a, "curator")
    _notify(school_a, [mentor, other], key="1")
    _notify(school_a, [mentor], key="2")
    client.force_login(mentor)
    response = client.post(_url("read_all", school_a), follow=True)
    assert "2 уведомления отмечены прочитанными." in response.content.decode()
    assert not Notification.objects.filter(recipient=mentor, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).exists()


def test_preferences_page_saves_choices(client, school_a):
    mentor = _user(school_a, "mentor")
    client.force_login(mentor)
    page = client.get(_url("preferences", school_a)).content.decode()
    assert "Приказ ждёт вашей визы или подписи" in page
    data = {kind.code: kind.default_delivery for kind in all_kinds()}
    data[KIND] = Delivery.OFF
    response = client.post(_url("preferences", school_a), data, follow=True)
    assert "Настройки уведомлений сохранены." in response.content.decode()
    assert mentor.notification_preferences.get().delivery == Delivery.OFF
    assert _notify(school_a, [mentor])[0].delivery == Delivery.OFF
    bad = client.post(_url("preferences", school_a), {**data, KIND: "sometimes"})
    assert bad.status_code == 200 and "Выберите корректный вариант" in bad.content.decode()


def test_list_queries_do_not_grow_with_rows(client, school_a, django_assert_max_num_queries):
    mentor = _user(school_a, "mentor")
    client.force_login(mentor)
    _notify(school_a, [mentor], key="first")
    with django_assert_max_num_queries(12) as few:
        client.get(_url("list", school_a))
    for number in range(30):
        _notify(school_a, [mentor], key=f"more-{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("list", school_a))


def test_bell_costs_one_query(client, school_a, django_assert_max_num_queries):
    mentor = _user(school_a, "mentor")
    client.force_login(mentor)
    _notify(school_a, [mentor])
    with django_assert_max_num_queries(100) as queries:
        page = client.get(_url("preferences", school_a)).content.decode()
    assert 'aria-label="Уведомления, непрочитанных: 1"' in page
    bell = [q for q in queries.captured_queries if 'FROM "notifications_notification"' in q["sql"]]
    assert len(bell) == 1


def test_settled_event_is_read_and_not_mailed(school_a):
    from organisations.notifications.services import notifications_settle

    director = _user(school_a, "director")
    _notify(school_a, [director], key="orders.awaiting:7:1:approve")
    assert notifications_settle(kind=KIND, key_prefix="orders.awaiting:7:") == 1
    assert Notification.objects.get().read_at is not None
    assert sending.send_pending(now=_morning()).sent == 0


def test_demo_leaves_unread_notifications(demo):
    from organisations.models import User

    unread = Notification.objects.filter(read_at__isnull=True, organisation=demo)
    assert unread.filter(recipient=User.objects.get(username="director"), kind="orders.awaiting").exists()
    assert unread.filter(recipient=User.objects.get(username="curator")).exists()
    assert not Notification.objects.exclude(delivery=Delivery.OFF).filter(emailed_at__isnull=True).exists()
    before = Notification.objects.count()
    call_command("load_demo", verbosity=0)
    assert Notification.objects.count() == before


def test_command_can_queue_the_run_for_the_worker(school_a, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    director = _user(school_a, "director")
    _notify(school_a, [director])
    out = io.StringIO()
    call_command("send_notifications", "--enqueue", stdout=out)
    assert out.getvalue().startswith("Задача поставлена в очередь")
    assert len(mail.outbox) == 1
