"""Monitoring campaigns (issue 20): a region or district asks its schools for a form.

A ``Campaign`` of an authority (region or district) names indicators (reports.analytics.models)
and extra questions, a school year, a deadline and the schools: each school gets a ``Response``
(status «не начато» until it opens the form). The school's answers are rows of ``Answer``: the
value computed from its data when the form was first opened (kept), the value it reports, the
reason when they differ. Submitted answers are never recomputed: a later change of the school's
data does not alter a submitted report.
"""

from django.db import models

from organisations.models import Organisation, User
from reports.analytics.models import Indicator


class Campaign(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name="кто проводит", on_delete=models.CASCADE, related_name="campaigns"
    )
    title = models.CharField("название", max_length=300)
    school_year = models.PositiveSmallIntegerField("учебный год", help_text="Год начала: 2026 — 2026/2027.")
    deadline = models.DateField("срок сдачи")
    indicators = models.ManyToManyField(Indicator, verbose_name="показатели", blank=True, related_name="campaigns")
    created_at = models.DateTimeField("создана", auto_now_add=True)
    created_by = models.ForeignKey(User, verbose_name="создал", on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = "мониторинг"
        verbose_name_plural = "мониторинги"
        ordering = ["-deadline", "-pk"]
        indexes = [models.Index(fields=["organisation", "deadline"], name="campaign_org_deadline")]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        NUMBER = "number", "число"
        TEXT = "text", "текст"
        FILE = "file", "файл"

    campaign = models.ForeignKey(
        Campaign, verbose_name="мониторинг", on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField("порядок", default=0)
    text = models.CharField("вопрос", max_length=500)
    kind = models.CharField("ответ", max_length=8, choices=Kind.choices, default=Kind.NUMBER)

    class Meta:
        verbose_name = "вопрос мониторинга"
        verbose_name_plural = "вопросы мониторинга"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "не начато"
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "отправлено"
        RETURNED = "returned", "возвращено"
        ACCEPTED = "accepted", "принято"

    # The school answering: every tenant table keeps its organisation column first in an index.
    organisation = models.ForeignKey(
        Organisation, verbose_name="школа", on_delete=models.CASCADE, related_name="campaign_responses"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name="мониторинг", on_delete=models.CASCADE, related_name="responses"
    )
    status = models.CharField("состояние", max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    submitted_at = models.DateTimeField("отправлено", null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, verbose_name="отправил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    return_comment = models.TextField("замечания при возврате", blank=True)
    accepted_at = models.DateTimeField("принято", null=True, blank=True)
    reminded_at = models.DateTimeField("напоминание", null=True, blank=True)

    class Meta:
        verbose_name = "ответ школы на мониторинг"
        verbose_name_plural = "ответы школ на мониторинг"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "campaign"],
                name="unique_campaign_response",
                violation_error_message="Школа уже включена в этот мониторинг.",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="response_campaign_status")]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.organisation}"

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.ACCEPTED)


def answer_upload_path(instance, filename: str) -> str:
    return f"private/monitoring/{instance.organisation_id}/{filename}"


class Answer(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name="школа", on_delete=models.CASCADE, related_name="campaign_answers"
    )
    response = models.ForeignKey(Response, verbose_name="ответ", on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, verbose_name="показатель", on_delete=models.CASCADE, null=True, blank=True)
    question = models.ForeignKey(Question, verbose_name="вопрос", on_delete=models.CASCADE, null=True, blank=True)
    # What the product computed from the school's data when the form was first opened.
    computed = models.DecimalField("рассчитано", max_digits=12, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField("числитель", max_digits=12, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField("знаменатель", max_digits=12, decimal_places=2, null=True, blank=True)
    value = models.DecimalField("значение", max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.CharField("причина изменения", max_length=500, blank=True)
    text = models.TextField("ответ", blank=True)
    file = models.FileField("файл", upload_to=answer_upload_path, blank=True)

    class Meta:
        verbose_name = "ответ на вопрос мониторинга"
        verbose_name_plural = "ответы на вопросы мониторинга"
        indexes = [models.Index(fields=["organisation", "response"], name="answer_org_response")]
        constraints = [
            models.CheckConstraint(
                name="answer_to_indicator_or_question",
                condition=models.Q(indicator__isnull=True) ^ models.Q(question__isnull=True),
                violation_error_message="Ответ относится либо к показателю, либо к вопросу.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator or self.question}: {self.value if self.value is not None else self.text}"

    @property
    def is_changed(self) -> bool:
        return self.computed is not None and self.value != self.computed


class ExportColumn(models.Model):
    """One column of the region's (district's) own XLSX layout of the consolidated table."""

    class Source(models.TextChoices):
        SCHOOL = "school", "школа"
        DISTRICT = "district", "район"
        STATUS = "status", "состояние"
        INDICATOR = "indicator", "показатель"

    organisation = models.ForeignKey(
        Organisation, verbose_name="чья раскладка", on_delete=models.CASCADE, related_name="export_columns"
    )
    column = models.PositiveSmallIntegerField("номер столбца", help_text="1 — столбец A.")
    header = models.CharField("заголовок", max_length=200)
    source = models.CharField("что в столбце", max_length=16, choices=Source.choices)
    indicator = models.ForeignKey(Indicator, verbose_name="показатель", on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        verbose_name = "столбец выгрузки мониторинга"
        verbose_name_plural = "столбцы выгрузки мониторинга"
        ordering = ["column"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "column"],
                name="unique_export_column",
                violation_error_message="Этот столбец уже описан.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.column}: {self.header}"
