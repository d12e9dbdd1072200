from django.conf import settings
from django.db import models

from .kinds import Delivery, kind_of

# A failed e-mail is tried again at each run of send_notifications until this many attempts.
MAX_ATTEMPTS = 5


class Notification(models.Model):
    """One notice to one person in one organisation: the in-app message and its e-mail state."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="получатель", on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="организация", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("вид", max_length=64)
    text = models.CharField("текст", max_length=500)
    url = models.CharField("ссылка", max_length=500)
    # The event's identity: the same event never notifies the same person twice.
    key = models.CharField("ключ события", max_length=200)
    created_at = models.DateTimeField("создано", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)
    # E-mail: the recipient's choice for the kind when the notice was made.
    delivery = models.CharField("доставка по почте", max_length=16, choices=Delivery.choices)
    emailed_at = models.DateTimeField("отправлено письмом", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("попыток отправки", default=0)
    last_error = models.CharField("ошибка отправки", max_length=500, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "organisation", "read_at"], name="notification_unread"),
            models.Index(fields=["delivery", "emailed_at"], name="notification_pending_mail"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def kind_title(self) -> str:
        try:
            return kind_of(self.kind).title
        except ValueError:
            return self.kind

    @property
    def email_pending(self) -> bool:
        return self.delivery != Delivery.OFF and self.emailed_at is None and self.attempts < MAX_ATTEMPTS

    @property
    def email_failed(self) -> bool:
        """Tried and not sent yet (retried at the next run) or given up after MAX_ATTEMPTS."""
        return self.emailed_at is None and self.attempts > 0


class NotificationPreference(models.Model):
    """A person's choice of e-mail delivery for one kind; without a row the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField("вид", max_length=64)
    delivery = models.CharField("доставка по почте", max_length=16, choices=Delivery.choices)

    class Meta:
        verbose_name = "настройка уведомлений"
        verbose_name_plural = "настройки уведомлений"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} — {self.get_delivery_display()}"
