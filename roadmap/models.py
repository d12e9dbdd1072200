"""Roadmaps (дорожные карты) of schools and district authorities.

A roadmap has sections, a section has items, and an item has occurrences: one for a one-off
item, one per month, quarter or year for a recurring one. Status and evidence live on the
occurrence; «overdue» is never stored, it is computed from the due date and today.

A district roadmap's item can be assigned to schools: each school gets its own item (linked to
the district item) in its copy of the district roadmap, with its own statuses.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from organisations.models import Organisation
from participants.models import Person

from .deadlines import Deadline, DeadlineKind, Period, Recurrence, ru_date


def period_label(starts_on: datetime.date, ends_on: datetime.date) -> str:
    """«2026/2027 учебный год» for one school year, «2024–2026 годы» for several."""
    if starts_on.month == 9 and starts_on.day == 1 and ends_on == datetime.date(starts_on.year + 1, 8, 31):
        return f"{starts_on.year}/{ends_on.year} учебный год"
    if starts_on.year == ends_on.year:
        return f"{starts_on.year} год"
    return f"{starts_on.year}–{ends_on.year} годы"


class Roadmap(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        APPROVED = "approved", "утверждена"
        ARCHIVED = "archived", "в архиве"

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="roadmaps"
    )
    title = models.CharField("название", max_length=500)
    starts_on = models.DateField("начало периода")
    ends_on = models.DateField("конец периода")
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The «УТВЕРЖДАЮ» block as printed: position, name, date; the order, if there was one.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="утвердил (пользователь)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approver_position = models.CharField("должность утвердившего", max_length=300, blank=True)
    approver_name = models.CharField("подпись утвердившего", max_length=200, blank=True)
    approved_on = models.DateField("дата утверждения", null=True, blank=True)
    approval_order = models.CharField("приказ об утверждении", max_length=200, blank=True)
    # A school's copy of its district's roadmap: the items the district assigned to the school.
    district_roadmap = models.ForeignKey(
        "self",
        verbose_name="дорожная карта управления образования",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="school_copies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="создал", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["-starts_on", "title", "pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="roadmap_org_status")]
        constraints = [
            models.CheckConstraint(
                name="roadmap_ends_after_start",
                condition=Q(ends_on__gte=F("starts_on")),
                violation_error_message="Конец периода не может быть раньше его начала.",
            ),
            models.UniqueConstraint(
                fields=["organisation", "district_roadmap"],
                condition=Q(district_roadmap__isnull=False),
                name="one_copy_of_district_roadmap",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmap:detail", kwargs={"org": self.organisation.slug, "pk": self.pk})

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on)

    @property
    def period_label(self) -> str:
        return period_label(self.starts_on, self.ends_on)

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    @property
    def is_district_copy(self) -> bool:
        return self.district_roadmap_id is not None

    @property
    def approval_sentence(self) -> str:
        """«Утверждена 2 сентября 2024 г.: Директор МБОУ … О.В. Кляпка, приказ от … № 56-ОД.»"""
        if self.status == self.Status.DRAFT:
            return "Черновик: ещё не утверждена."
        if self.status == self.Status.ARCHIVED:
            text = "В архиве" + (f"; была утверждена {ru_date(self.approved_on)}" if self.approved_on else "")
        else:
            text = "Утверждена" + (f" {ru_date(self.approved_on)}" if self.approved_on else "")
            if self.approver_name:
                text += f": {self.approver_position} {self.approver_name}".rstrip()
            if self.approval_order:
                text += f", {self.approval_order}"
        return text if text.endswith(".") else text + "."


class Section(models.Model):
    """A section of the table: a programme stage or a line of work («Информационное сопровождение»)."""

    organisation = models.ForeignKey(Organisation, verbose_name="организация", on_delete=models.CASCADE)
    roadmap = models.ForeignKey(
        Roadmap, verbose_name="дорожная карта", on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField("название раздела", max_length=500)
    position = models.PositiveIntegerField("порядок", default=0)
    district_section = models.ForeignKey(
        "self", verbose_name="раздел дорожной карты УО", on_delete=models.CASCADE, null=True, blank=True
    )

    class Meta:
        verbose_name = "раздел дорожной карты"
        verbose_name_plural = "разделы дорожных карт"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    """An activity of the roadmap: one row of the printed table."""

    class DocumentKind(models.TextChoices):
        ORDER = "order", "приказ"
        REGULATION = "regulation", "положение, локальный акт"
        PLAN = "plan", "план, программа"
        PROTOCOL = "protocol", "протокол"
        REGISTER = "register", "реестр, база"
        REPORT = "report", "отчёт, аналитическая справка"
        AGREEMENT = "agreement", "соглашение"
        QUESTIONNAIRE = "questionnaire", "анкеты"
        PUBLICATION = "publication", "публикация"
        OTHER = "other", "другой документ"

    organisation = models.ForeignKey(Organisation, verbose_name="организация", on_delete=models.CASCADE)
    roadmap = models.ForeignKey(Roadmap, verbose_name="дорожная карта", on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, verbose_name="раздел", on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("порядок", default=0)
    content = models.TextField("содержание")

    # The deadline as typed, and its real value (roadmap.deadlines).
    deadline_text = models.CharField("сроки (как в документе)", max_length=300, blank=True)
    deadline_kind = models.CharField(
        "вид срока", max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.NONE
    )
    deadline_start = models.DateField("срок: начало", null=True, blank=True)
    deadline_end = models.DateField("срок: окончание", null=True, blank=True)
    recurrence = models.CharField("повторение", max_length=16, choices=Recurrence.choices, blank=True)
    recurrence_month = models.PositiveSmallIntegerField("месяц повторения", null=True, blank=True)
    deadline_note = models.CharField("примечание к сроку", max_length=300, blank=True)

    expected_result = models.TextField("ожидаемый результат", blank=True)
    document_kind = models.CharField("вид документа", max_length=16, choices=DocumentKind.choices, blank=True)
    indicator = models.TextField("показатели эффективности", blank=True)
    target_value = models.DecimalField("целевое значение", max_digits=12, decimal_places=2, null=True, blank=True)
    target_unit = models.CharField("единица измерения", max_length=50, blank=True)
    actual_value = models.DecimalField("достигнутое значение", max_digits=12, decimal_places=2, null=True, blank=True)
    responsible_text = models.CharField(
        "ответственный (как в документе)",
        max_length=500,
        blank=True,
        help_text="Например: «Заместители директора: Николаева О.А., Яковенко О.Н.».",
    )
    district_item = models.ForeignKey(
        "self",
        verbose_name="мероприятие дорожной карты УО",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="school_items",
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "мероприятие дорожной карты"
        verbose_name_plural = "мероприятия дорожных карт"
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["organisation", "roadmap"], name="roadmap_item_org_roadmap")]
        constraints = [
            models.CheckConstraint(
                name="roadmap_item_month_1_12",
                condition=Q(recurrence_month__isnull=True) | Q(recurrence_month__gte=1, recurrence_month__lte=12),
                violation_error_message="Месяц повторения — от 1 до 12.",
            ),
        ]

    def __str__(self) -> str:
        return self.content[:100]

    def get_absolute_url(self) -> str:
        return reverse("roadmap:item_detail", kwargs={"org": self.organisation.slug, "pk": self.pk})

    @property
    def deadline(self) -> Deadline:
        return Deadline(
            kind=self.deadline_kind,
            start=self.deadline_start,
            end=self.deadline_end,
            recurrence=self.recurrence,
            month=self.recurrence_month,
            note=self.deadline_note,
            text=self.deadline_text if self.deadline_kind == DeadlineKind.TEXT else "",
        )

    def set_deadline(self, deadline: Deadline, text: str) -> None:
        self.deadline_text = text[:300]
        self.deadline_kind = deadline.kind
        self.deadline_start, self.deadline_end = deadline.start, deadline.end
        self.recurrence, self.recurrence_month = deadline.recurrence, deadline.month
        self.deadline_note = deadline.note[:300]

    @property
    def deadline_display(self) -> str:
        return self.deadline.display()

    @property
    def deadline_unrecognised(self) -> bool:
        """Typed, but not understood: the item has no due date until the curator fixes the text."""
        return self.deadline_kind == DeadlineKind.TEXT

    @property
    def is_recurring(self) -> bool:
        return self.deadline_kind == DeadlineKind.RECURRING

    def progress(self, today: datetime.date) -> "ItemProgress":
        """The item's state from its occurrences (prefetch them): overdue if any is, done when all are."""
        occurrences = list(self.occurrences.all())
        live = [o for o in occurrences if o.status != Occurrence.Status.CANCELLED]
        states = {o.state(today) for o in live}
        if not live:
            state = Occurrence.Status.CANCELLED
        elif Occurrence.OVERDUE in states:
            state = Occurrence.OVERDUE
        elif states == {Occurrence.Status.DONE}:
            state = Occurrence.Status.DONE
        elif states & {Occurrence.Status.DONE, Occurrence.Status.IN_PROGRESS}:
            state = Occurrence.Status.IN_PROGRESS
        else:
            state = Occurrence.Status.PLANNED
        return ItemProgress(
            state=state,
            label=Occurrence.STATE_LABELS[state],
            occurrences=occurrences,
            done=sum(1 for o in live if o.status == Occurrence.Status.DONE),
            total=len(live),
            next_open=next((o for o in occurrences if o.status in Occurrence.OPEN), None),
        )


@dataclass(frozen=True)
class ItemProgress:
    state: str  # an Occurrence status or Occurrence.OVERDUE
    label: str
    occurrences: list
    done: int
    total: int
    next_open: "Occurrence | None"


class ItemResponsible(models.Model):
    """A responsible person: a user of the organisation or a person record of the school."""

    organisation = models.ForeignKey(Organisation, verbose_name="организация", on_delete=models.CASCADE)
    item = models.ForeignKey(Item, verbose_name="мероприятие", on_delete=models.CASCADE, related_name="responsibles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="пользователь", on_delete=models.CASCADE, null=True, blank=True
    )
    person = models.ForeignKey(Person, verbose_name="участник", on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        verbose_name = "ответственный"
        verbose_name_plural = "ответственные"
        constraints = [
            models.CheckConstraint(
                name="responsible_is_user_or_person",
                condition=Q(user__isnull=False, person__isnull=True) | Q(user__isnull=True, person__isnull=False),
                violation_error_message="Ответственный — либо пользователь, либо участник из базы школы.",
            ),
            models.UniqueConstraint(
                fields=["item", "user"], condition=Q(user__isnull=False), name="unique_responsible_user"
            ),
            models.UniqueConstraint(
                fields=["item", "person"], condition=Q(person__isnull=False), name="unique_responsible_person"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.user_id:
            return self.user.display_name
        return self.person.short_name


class Occurrence(models.Model):
    """One time an item must be done: its span, status, who marked it done and when."""

    class Status(models.TextChoices):
        PLANNED = "planned", "запланировано"
        IN_PROGRESS = "in_progress", "выполняется"
        DONE = "done", "выполнено"
        CANCELLED = "cancelled", "отменено"

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)
    OVERDUE = "overdue"
    OVERDUE_LABEL = "просрочено"
    STATE_LABELS = {**dict(Status.choices), OVERDUE: OVERDUE_LABEL}

    organisation = models.ForeignKey(Organisation, verbose_name="организация", on_delete=models.CASCADE)
    item = models.ForeignKey(Item, verbose_name="мероприятие", on_delete=models.CASCADE, related_name="occurrences")
    position = models.PositiveIntegerField("номер", default=0)
    starts_on = models.DateField("начало", null=True, blank=True)
    due_on = models.DateField("срок", null=True, blank=True)
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.PLANNED)
    done_on = models.DateField("дата выполнения", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="отметил выполнение",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status_changed_at = models.DateTimeField("статус изменён", null=True, blank=True)

    class Meta:
        verbose_name = "срок выполнения мероприятия"
        verbose_name_plural = "сроки выполнения мероприятий"
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"], name="occurrence_org_status_due")]
        constraints = [
            models.CheckConstraint(
                name="occurrence_done_has_date",
                condition=~Q(status="done") | Q(done_on__isnull=False),
                violation_error_message="У выполненного мероприятия должна быть дата выполнения.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.due_on:%d.%m.%Y})" if self.due_on else str(self.item)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in self.OPEN and self.due_on is not None and self.due_on < today

    def state(self, today: datetime.date | None = None) -> str:
        """The status to show: «просрочено» is computed, never stored."""
        return self.OVERDUE if self.is_overdue(today) else self.status

    def state_label(self, today: datetime.date | None = None) -> str:
        return self.OVERDUE_LABEL if self.is_overdue(today) else self.get_status_display()

    @property
    def done_on_time(self) -> bool:
        return self.status == self.Status.DONE and self.due_on is not None and self.done_on <= self.due_on


def evidence_upload_path(instance, filename: str) -> str:
    # Served only through a permission-checked view; the stored name tells nothing.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/{instance.organisation_id}/roadmap-evidence/{uuid.uuid4().hex}.{extension[:5]}"


class Evidence(models.Model):
    """What proves an occurrence was done: a scan, a link, a comment, or a document of the product."""

    organisation = models.ForeignKey(Organisation, verbose_name="организация", on_delete=models.CASCADE)
    occurrence = models.ForeignKey(
        Occurrence, verbose_name="срок выполнения", on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField("файл", upload_to=evidence_upload_path, blank=True)
    file_name = models.CharField("имя файла", max_length=255, blank=True)
    url = models.URLField("ссылка", max_length=500, blank=True)
    comment = models.TextField("комментарий", blank=True)
    # A document of a higher app (an order, a report) proving the result; linked by content type
    # so that this app needs no import of it.
    document_type = models.ForeignKey(
        ContentType, verbose_name="тип документа", on_delete=models.CASCADE, null=True, blank=True
    )
    document_id = models.PositiveBigIntegerField("документ", null=True, blank=True)
    document = GenericForeignKey("document_type", "document_id")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="добавил", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField("добавлено", default=timezone.now)

    class Meta:
        verbose_name = "подтверждение выполнения"
        verbose_name_plural = "подтверждения выполнения"
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="evidence_not_empty",
                condition=~Q(file="") | ~Q(url="") | ~Q(comment="") | Q(document_id__isnull=False),
                violation_error_message="Добавьте файл, ссылку или комментарий.",
            ),
        ]

    def __str__(self) -> str:
        return self.comment[:60] or self.file_name or self.url or f"документ № {self.document_id}"


class RoadmapImport(models.Model):
    """An uploaded roadmap table: previewed first, then created at once on confirmation.

    The parsed rows are kept in ``summary``; the file itself is not stored.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", "ожидает подтверждения"
        APPLIED = "applied", "загружена"

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="roadmap_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="загрузил", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("загружена", auto_now_add=True)
    original_name = models.CharField("имя файла", max_length=255)
    title = models.CharField("название дорожной карты", max_length=500)
    starts_on = models.DateField("начало периода")
    ends_on = models.DateField("конец периода")
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.PREVIEW)
    summary = models.JSONField("разбор файла", default=dict, blank=True)
    roadmap = models.ForeignKey(
        Roadmap, verbose_name="созданная дорожная карта", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = "загрузка дорожной карты"
        verbose_name_plural = "загрузки дорожных карт"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.uploaded_at:%d.%m.%Y %H:%M})"

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on)
