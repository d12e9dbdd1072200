"""The mentoring programme of a school year: stages, pairs and groups, plans, meetings, training."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from organisations.models import Organisation
from participants.models import MentoringForm, Person, RoleModel, private_upload_path
from roadmap.stages import Stage


class Programme(models.Model):
    """One school year's mentoring programme of a school, for students or for teachers."""

    class Kind(models.TextChoices):
        STUDENTS = "students", "для обучающихся"
        TEACHERS = "teachers", "для педагогов"

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="programmes"
    )
    school_year = models.PositiveSmallIntegerField("учебный год", help_text="Год начала учебного года, например 2026.")
    kind = models.CharField("вид программы", max_length=16, choices=Kind.choices)
    title = models.CharField("название", max_length=300)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="куратор",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="curated_programmes",
    )
    current_stage = models.PositiveSmallIntegerField("текущий этап", choices=Stage.choices, default=Stage.PREPARATION)
    forms = models.ManyToManyField(
        MentoringForm, verbose_name="формы наставничества", through="ProgrammeForm", blank=True
    )
    role_models = models.ManyToManyField(
        RoleModel, verbose_name="ролевые модели", through="ProgrammeRoleModel", blank=True
    )
    # mentorship.matching.Weights.to_dict(); empty means the engine's defaults.
    matching_weights = models.JSONField("веса критериев подбора", default=dict, blank=True)
    attention_weeks = models.PositiveSmallIntegerField(
        "недель без встреч до напоминания",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
        help_text="Пара без встреч дольше этого срока попадает в список «Давно не встречались».",
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)

    class Meta:
        verbose_name = "программа наставничества"
        verbose_name_plural = "программы наставничества"
        ordering = ["-school_year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school_year", "kind"],
                name="unique_programme_per_year_and_kind",
                violation_error_message="Программа этого вида на этот учебный год уже есть.",
            ),
            models.CheckConstraint(
                name="programme_ends_after_start",
                condition=Q(ends_on__gte=models.F("starts_on")),
                violation_error_message="Программа не может закончиться раньше, чем начнётся.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeForm(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE)
    form = models.ForeignKey(MentoringForm, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "form"], name="unique_programme_form")]

    def __str__(self) -> str:
        return f"{self.programme}: {self.form}"


class ProgrammeRoleModel(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE)
    role_model = models.ForeignKey(RoleModel, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "role_model"], name="unique_programme_role_model")]

    def __str__(self) -> str:
        return f"{self.programme}: {self.role_model}"


class StageTransition(models.Model):
    """Who moved the programme to which stage, when, and what was still missing then."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.PositiveSmallIntegerField("с этапа", choices=Stage.choices)
    to_stage = models.PositiveSmallIntegerField("на этап", choices=Stage.choices)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="перевёл", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    moved_at = models.DateTimeField("когда", auto_now_add=True)
    missing = models.JSONField("чего не хватало", default=list, blank=True)

    class Meta:
        verbose_name = "переход этапа"
        verbose_name_plural = "переходы этапов"
        ordering = ["-moved_at"]

    def __str__(self) -> str:
        return f"{self.programme}: {self.from_stage} → {self.to_stage}"


LABEL_MENTEES_NAMED = 2  # a group's label names this many mentees, then «и ещё N»


def _initials(*names: str) -> str:
    return " ".join(f"{name[0]}." for name in names if name)


def person_label(person: Person) -> str:
    """«Кляпка О. В.» for an adult, «Иванов П., 7 А» for a student: short, and tells namesakes apart."""
    if person.grade:
        letter = f" {person.class_letter}" if person.class_letter else ""
        return f"{person.last_name} {_initials(person.first_name)}, {person.grade}{letter}"
    return f"{person.last_name} {_initials(person.first_name, person.patronymic)}".strip()


class PairQuerySet(models.QuerySet):
    def labelled(self):
        """What ``Pair.label`` reads, loaded for a whole list: two queries however many pairs."""
        mentees = PairMentee.objects.select_related("mentee").order_by("mentee__last_name", "mentee__first_name", "pk")
        return self.select_related("mentor", "form", "programme").prefetch_related(
            models.Prefetch("pair_mentees", queryset=mentees)
        )


class Pair(models.Model):
    """A mentoring pair (one mentee) or group (several mentees) with one mentor."""

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        APPROVED = "approved", "утверждена приказом"
        ACTIVE = "active", "работает"
        CLOSED = "closed", "завершена"

    class Outcome(models.TextChoices):
        COMPLETED = "completed", "программа выполнена"
        CONTINUED = "continued", "продолжит работу в следующем году"
        TERMINATED = "terminated", "прекращена досрочно"

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="pairs"
    )
    programme = models.ForeignKey(Programme, verbose_name="программа", on_delete=models.CASCADE, related_name="pairs")
    mentor = models.ForeignKey(Person, verbose_name="наставник", on_delete=models.PROTECT, related_name="mentor_pairs")
    mentees = models.ManyToManyField(
        Person, verbose_name="наставляемые", through="PairMentee", related_name="mentee_pairs"
    )
    form = models.ForeignKey(MentoringForm, verbose_name="форма наставничества", on_delete=models.PROTECT)
    role_model = models.ForeignKey(
        RoleModel, verbose_name="ролевая модель", on_delete=models.PROTECT, null=True, blank=True
    )
    starts_on = models.DateField("начало")
    planned_end_on = models.DateField("плановое окончание")
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.DRAFT)
    closed_on = models.DateField("дата завершения", null=True, blank=True)
    outcome = models.CharField("итог", max_length=16, choices=Outcome.choices, blank=True)
    termination_reason = models.TextField("причина прекращения", blank=True)
    # Until the orders module exists, the director records the order that approved the pair.
    approval_order = models.CharField("приказ об утверждении", max_length=200, blank=True)
    approved_at = models.DateTimeField("утверждена", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="утвердил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name="заменяет пару",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    # The school's case base (stage 7).
    is_best_practice = models.BooleanField("лучшая практика", default=False)
    case_description = models.TextField("описание практики", blank=True)
    case_results = models.TextField("результаты", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="создал", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)

    objects = PairQuerySet.as_manager()

    class Meta:
        verbose_name = "наставническая пара или группа"
        verbose_name_plural = "наставнические пары и группы"
        ordering = ["mentor__last_name", "mentor__first_name", "pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="pair_org_status")]
        constraints = [
            models.CheckConstraint(
                name="pair_ends_after_start",
                condition=Q(planned_end_on__gte=models.F("starts_on")),
                violation_error_message="Плановое окончание не может быть раньше начала.",
            ),
            models.CheckConstraint(
                name="closed_pair_has_outcome",
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(outcome="")),
                violation_error_message="У завершённой пары должны быть дата завершения и итог.",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """«Кляпка О. В. → Иванов П., 7 А (ученик – ученик, 2025/26)»: two pairs of one mentor read
        differently in every list and select. Lists load it with ``Pair.objects.labelled()``."""
        rows = sorted(self.pair_mentees.all(), key=lambda row: (row.mentee.last_name, row.mentee.first_name, row.pk))
        names = [person_label(row.mentee) for row in rows[:LABEL_MENTEES_NAMED]]
        if len(rows) > LABEL_MENTEES_NAMED:
            names.append(f"и ещё {len(rows) - LABEL_MENTEES_NAMED}")
        mentees = "; ".join(names[:LABEL_MENTEES_NAMED]) + (f" {names[-1]}" if len(rows) > LABEL_MENTEES_NAMED else "")
        year = self.programme.school_year
        return f"{person_label(self.mentor)} → {mentees or '—'} ({self.form.name}, {year}/{(year + 1) % 100:02d})"


class PairMentee(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="pair_mentees")
    mentee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "наставляемый в паре"
        verbose_name_plural = "наставляемые в парах"
        constraints = [models.UniqueConstraint(fields=["pair", "mentee"], name="unique_pair_mentee")]

    def __str__(self) -> str:
        return f"{self.pair}: {self.mentee}"


class MatchDecision(models.Model):
    """The curator's word on a mentee–mentor pair before matching: keep it, or never suggest it."""

    class Kind(models.TextChoices):
        PIN = "pin", "закрепить"
        FORBID = "forbid", "запретить"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="match_decisions")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("решение", max_length=8, choices=Kind.choices)

    class Meta:
        verbose_name = "решение куратора о паре"
        verbose_name_plural = "решения куратора о парах"
        constraints = [
            models.UniqueConstraint(fields=["programme", "mentee", "mentor"], name="unique_match_decision"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentor} — {self.mentee}"


class CasePhoto(models.Model):
    """A photo of a best-practice case; published only with everyone's publication consent."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="case_photos")
    image = models.FileField("фото", upload_to=private_upload_path)
    caption = models.CharField("подпись", max_length=300, blank=True)

    class Meta:
        verbose_name = "фото практики"
        verbose_name_plural = "фото практик"

    def __str__(self) -> str:
        return self.caption or f"Фото {self.pk}"


class IndividualPlan(models.Model):
    """The individual plan (персонализированная программа наставничества) of a pair or group."""

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        APPROVED = "approved", "утверждён"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="plans")
    pair = models.OneToOneField(Pair, verbose_name="пара", on_delete=models.CASCADE, related_name="plan")
    goals = models.TextField("цели", blank=True)
    tasks = models.TextField("задачи", blank=True)
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.DRAFT)
    approved_on = models.DateField("дата утверждения", null=True, blank=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "индивидуальный план"
        verbose_name_plural = "индивидуальные планы"

    def __str__(self) -> str:
        return f"План: {self.pair}"


class PlanItem(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("№", default=0)
    activity = models.TextField("мероприятие")
    due_on = models.DateField("срок", null=True, blank=True)
    work_form = models.CharField("форма работы", max_length=200, blank=True)
    expected_result = models.TextField("ожидаемый результат", blank=True)
    done = models.BooleanField("выполнено", default=False)
    done_on = models.DateField("дата выполнения", null=True, blank=True)
    comment = models.TextField("комментарий", blank=True)

    class Meta:
        verbose_name = "пункт плана"
        verbose_name_plural = "пункты плана"
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.activity[:80]


class Meeting(models.Model):
    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", "встреча-знакомство"
        TRIAL = "trial", "пробная встреча"
        PLANNING = "planning", "встреча-планирование"
        REGULAR = "regular", "регулярная встреча"
        FINAL = "final", "итоговая встреча"
        GROUP = "group", "групповая встреча"

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "очно"
        ONLINE = "online", "дистанционно"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="meetings")
    pair = models.ForeignKey(Pair, verbose_name="пара", on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField("вид встречи", max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    starts_at = models.DateTimeField("дата и время")
    duration_minutes = models.PositiveSmallIntegerField(
        "длительность, мин", default=45, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    format = models.CharField("формат", max_length=16, choices=Format.choices, default=Format.IN_PERSON)
    topic = models.CharField("тема", max_length=300, blank=True)
    notes = models.TextField("заметки", blank=True)
    usefulness = models.PositiveSmallIntegerField(
        "полезность по оценке наставляемого (1–10)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    attendees = models.ManyToManyField(Person, verbose_name="присутствовали", through="MeetingAttendance", blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="внёс", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("внесена", auto_now_add=True)

    class Meta:
        verbose_name = "встреча"
        verbose_name_plural = "встречи"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["organisation", "starts_at"], name="meeting_org_starts")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%d.%m.%Y}"


class MeetingAttendance(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="unique_meeting_attendance")]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.person}"


class TrainingGroup(models.Model):
    """A group of the «Школа наставника»."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="training_groups")
    programme = models.ForeignKey(
        Programme, verbose_name="программа", on_delete=models.CASCADE, related_name="training_groups"
    )
    title = models.CharField("название группы", max_length=200)
    members = models.ManyToManyField(Person, verbose_name="наставники", through="TrainingMember", blank=True)
    sessions_target = models.PositiveSmallIntegerField("занятий по плану", default=10)

    class Meta:
        verbose_name = "группа «Школы наставника»"
        verbose_name_plural = "группы «Школы наставника»"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class TrainingMember(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    group = models.ForeignKey(TrainingGroup, on_delete=models.CASCADE, related_name="memberships")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="training_memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "mentor"], name="unique_training_member")]

    def __str__(self) -> str:
        return f"{self.group}: {self.mentor}"


class TrainingSession(models.Model):
    class Format(models.TextChoices):
        LECTURE = "lecture", "лекция"
        WORKSHOP = "workshop", "практикум"
        TRAINING = "training", "тренинг"
        ONLINE = "online", "вебинар"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    group = models.ForeignKey(TrainingGroup, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("дата")
    topic = models.CharField("тема", max_length=300)
    expert = models.CharField("ведущий", max_length=300, blank=True)
    format = models.CharField("формат", max_length=16, choices=Format.choices, default=Format.WORKSHOP)
    attendees = models.ManyToManyField(Person, verbose_name="присутствовали", through="TrainingAttendance", blank=True)

    class Meta:
        verbose_name = "занятие «Школы наставника»"
        verbose_name_plural = "занятия «Школы наставника»"
        ordering = ["group", "held_on"]

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y} {self.topic}"


class TrainingAttendance(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="training_attendance")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "mentor"], name="unique_training_attendance")]

    def __str__(self) -> str:
        return f"{self.session}: {self.mentor}"


# Employee mentors (ТК РФ ст. 351.8): their own module, loaded with the app's models.
from mentorship.employment import (  # noqa: E402, F401
    AdditionalAgreement,
    CalendarCorrection,
    EarlyEnd,
    EmploymentTerms,
    MentoringConsent,
    PayRule,
)


class YearChange(models.Model):
    """The move of a school to a new school year, reviewed as one diff and applied at once.

    ``diff`` holds what the new lists change against the promoted classes (one entry per person
    or row), ``decisions`` the curator's choices, ``snapshot`` what applying changed, so that
    undoing restores it exactly (within UNDO_DAYS).
    """

    UNDO_DAYS = 7

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        APPLIED = "applied", "применён"
        UNDONE = "undone", "отменён"

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="year_changes"
    )
    from_year = models.PositiveSmallIntegerField("прошлый учебный год")
    to_year = models.PositiveSmallIntegerField("новый учебный год")
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.DRAFT)
    files = models.JSONField("загруженные списки", default=list, blank=True)
    diff = models.JSONField("изменения", default=dict, blank=True)
    decisions = models.JSONField("решения куратора", default=dict, blank=True)
    snapshot = models.JSONField("что изменено при применении", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="начал", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("начат", auto_now_add=True)
    applied_at = models.DateTimeField("применён", null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="применил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField("отменён", null=True, blank=True)

    class Meta:
        verbose_name = "переход на новый учебный год"
        verbose_name_plural = "переходы на новый учебный год"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "to_year"],
                condition=Q(status="applied"),
                name="one_applied_year_change",
                violation_error_message="Переход на этот учебный год уже применён.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_year}/{self.from_year + 1} → {self.to_year}/{self.to_year + 1}"
