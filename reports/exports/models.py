"""Files built in the background: a user's request for an export, its progress and its file."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from organisations.models import Organisation
from participants.models import private_upload_path


class ReportJob(models.Model):
    """A file a user asked for that is built in the background (reports.exports.tasks.build_report).

    The file holds personal data: it lives under MEDIA_ROOT/private/, is handed out only to the
    user who asked for it, and ``manage.py purge_report_jobs`` deletes it after KEEP_DAYS days.
    """

    KEEP_DAYS = 7

    class Status(models.TextChoices):
        QUEUED = "queued", "в очереди"
        RUNNING = "running", "готовится"
        DONE = "done", "готов"
        FAILED = "failed", "ошибка"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="report_jobs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="заказал", on_delete=models.CASCADE, related_name="+"
    )
    exporter = models.CharField("выгрузка", max_length=64, help_text="Идентификатор выгрузки в реестре экспортёров.")
    title = models.CharField("название", max_length=300)
    params = models.JSONField("параметры", default=dict, blank=True, help_text="Фильтры списка: имя → значения.")
    fmt = models.CharField("формат", max_length=8)
    status = models.CharField("состояние", max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("готовность, %", default=0)
    message = models.CharField("сообщение", max_length=300, blank=True)
    file = models.FileField("файл", upload_to=private_upload_path, blank=True)
    filename = models.CharField("имя файла", max_length=255, blank=True)
    content_type = models.CharField("тип содержимого", max_length=100, blank=True)
    people_count = models.PositiveIntegerField("сколько человек", default=0)
    # Where and from which address it was asked for: the access journal records the export when the
    # file is built, outside any request.
    request_path = models.CharField("адрес запроса", max_length=500, blank=True)
    ip_address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)
    task_id = models.CharField("задача", max_length=64, blank=True)
    created_at = models.DateTimeField("заказан", default=timezone.now)
    finished_at = models.DateTimeField("готов", null=True, blank=True)

    class Meta:
        verbose_name = "фоновая выгрузка"
        verbose_name_plural = "фоновые выгрузки"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "user", "-created_at"], name="report_job_org_user_created")]

    def __str__(self) -> str:
        return f"{self.title} ({self.fmt.upper()}) — {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def looks_stuck(self) -> bool:
        """Not built an hour after it was asked for: the worker is down or died on it."""
        return not self.is_finished and self.created_at < timezone.now() - datetime.timedelta(hours=1)
