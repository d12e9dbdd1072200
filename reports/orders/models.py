"""Orders (приказы): templates, drafts, approval with the school's register numbering.

An order is drafted from a template and live data, submitted, and approved by the director:
approval gives it the date and the next number of the organisation's register, freezes its text
and the data of its appendices (``snapshot``) and applies its effects (reports.orders.services).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from mentorship.models import IndividualPlan, Pair, Programme
from organisations.models import Organisation
from organisations.roles import Role
from participants.models import MentorEntry, PartnerOrganisation, Person
from reports.orders.kinds import kind_choices


class OrderKind(models.TextChoices):
    """The codes of the built-in order types, for code that names one. A type's title and rules are
    its declaration (reports.orders.order_types); Order.kind accepts every declared code."""

    IMPLEMENTATION = "implementation"
    MENTOR_REGISTER = "mentor_register"
    TRAINING = "training"
    PAIRS = "pairs"
    PLANS = "plans"
    FINAL_EVENT = "final_event"
    ENCOURAGEMENT = "encouragement"
    MENTORING_PAY = "mentoring_pay"
    MENTORING_END = "mentoring_end"
    DISTRICT_CURATOR = "district_curator"
    DISTRICT_IMPLEMENTATION = "district_implementation"


class OrderTemplate(models.Model):
    """The wording an order of one kind starts from.

    Standard templates have no organisation; a district's own versions are offered to its schools
    once published; a school may keep its own version too. Points are a list of
    ``{"action", "responsible", "deadline"}`` whose text may hold placeholders such as
    ``{curator_accusative}`` (reports.orders.drafting.PLACEHOLDERS).
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="организация",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="order_templates",
        help_text="Пусто у стандартных шаблонов.",
    )
    kind = models.CharField("вид приказа", max_length=32, choices=kind_choices)
    title = models.CharField("заголовок", max_length=500)
    preamble = models.TextField("преамбула", blank=True)
    points = models.JSONField("пункты", default=list, blank=True)
    control_text = models.CharField(
        "контроль исполнения", max_length=500, blank=True, default="Контроль за исполнением приказа оставляю за собой."
    )
    is_published = models.BooleanField(
        "опубликован для школ", default=False, help_text="Школы района составляют приказы по этой версии."
    )
    based_on = models.ForeignKey(
        "self", verbose_name="создан на основе", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "шаблон приказа"
        verbose_name_plural = "шаблоны приказов"
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                name="unique_order_template_per_organisation",
                violation_error_message="У организации уже есть свой шаблон приказа этого вида.",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(organisation__isnull=True),
                name="unique_standard_order_template",
                violation_error_message="Стандартный шаблон приказа этого вида уже есть.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_standard(self) -> bool:
        return self.organisation_id is None


class Regulation(models.Model):
    """«Положение о наставничестве»: an editable document appended to the implementation order.

    The same lookup as order templates: the school's own, else its district's published one,
    else the standard text (no organisation).
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="организация",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="regulations",
    )
    title = models.CharField("название", max_length=300, default="Положение о наставничестве")
    body = models.TextField(
        "текст", help_text="Абзацы разделяются пустой строкой; строка, начинающаяся с «#», — заголовок раздела."
    )
    is_published = models.BooleanField("опубликовано для школ", default=False)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "положение о наставничестве"
        verbose_name_plural = "положения о наставничестве"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                name="unique_regulation_per_organisation",
                violation_error_message="У организации уже есть своё положение о наставничестве.",
            ),
            models.UniqueConstraint(
                fields=["title"],
                condition=Q(organisation__isnull=True),
                name="unique_standard_regulation",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Order(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "на утверждении"
        # On the approval route's visas (OrderVisa) before it reaches the director.
        VISAS = "visas", "на согласовании"
        RETURNED = "returned", "возвращён на доработку"
        APPROVED = "approved", "утверждён"
        CANCELLED = "cancelled", "отменён"

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="orders"
    )
    kind = models.CharField("вид приказа", max_length=32, choices=kind_choices)
    template = models.ForeignKey(
        OrderTemplate, verbose_name="шаблон", on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    programme = models.ForeignKey(
        Programme, verbose_name="программа", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    title = models.CharField("заголовок", max_length=500)
    preamble = models.TextField("преамбула", blank=True)
    control_text = models.CharField("контроль исполнения", max_length=500, blank=True)
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.DRAFT)

    # What the order is about; its appendices are built from these.
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="куратор",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="curator_orders",
    )
    pairs = models.ManyToManyField(Pair, verbose_name="пары и группы", blank=True, related_name="orders")
    plans = models.ManyToManyField(
        IndividualPlan, verbose_name="индивидуальные планы", blank=True, related_name="orders"
    )
    mentor_entries = models.ManyToManyField(
        MentorEntry, verbose_name="наставники реестра", blank=True, related_name="orders"
    )
    people = models.ManyToManyField(Person, verbose_name="участники", blank=True, related_name="orders")
    partners = models.ManyToManyField(
        PartnerOrganisation, verbose_name="организации-партнёры", blank=True, related_name="orders"
    )
    include_regulation = models.BooleanField("приложить положение о наставничестве", default=False)
    include_roadmap = models.BooleanField("приложить дорожную карту", default=False)
    regulation_text = models.TextField("текст положения", blank=True)

    # Set on submission, return and approval.
    submitted_at = models.DateTimeField("передан на утверждение", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="передал", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    return_comment = models.TextField("замечания руководителя", blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="вернул", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    number_year = models.PositiveSmallIntegerField("год регистрации", null=True, blank=True)
    number = models.PositiveIntegerField("порядковый номер", null=True, blank=True)
    number_label = models.CharField("номер", max_length=40, blank=True)
    approved_on = models.DateField("дата приказа", null=True, blank=True)
    approved_at = models.DateTimeField("утверждён", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="утвердил", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signer_position = models.CharField("должность подписавшего", max_length=200, blank=True)
    signer_name = models.CharField("подписавший", max_length=300, blank=True)
    # The appendices' data as they were on approval (reports.orders.documents.order_snapshot).
    snapshot = models.JSONField("данные приложений на дату приказа", default=dict, blank=True)

    # ГОСТ Р 7.0.97-2025: the document's QR code leads to a public verification page
    # (reports.orders.verification). The token is made at approval; it is kept as issued (not hashed)
    # because every later DOCX and reprint draws the same QR code, and 24 random bytes cannot be guessed.
    verification_token = models.CharField("ключ проверки", max_length=64, blank=True, default="", editable=False)
    verification_url = models.URLField("ссылка проверки", max_length=300, blank=True, default="", editable=False)
    # The PDF as approved, served from then on, so its SHA-256 on the verification page is that of every download.
    # Saved as «<organisation>/order/<name>» under private/ (reports.orders.verification), like every private file;
    # a plain string here keeps the migration free of app code.
    approved_pdf = models.FileField("PDF утверждённого приказа", upload_to="private", blank=True)
    approved_pdf_sha256 = models.CharField("SHA-256 PDF", max_length=64, blank=True, default="")
    # The electronic-signature mark (ГОСТ Р 7.0.97-2025), typed by the director from the certificate.
    esign_certificate = models.CharField("сертификат ЭП (серийный номер)", max_length=100, blank=True, default="")
    esign_owner = models.CharField("владелец сертификата", max_length=300, blank=True, default="")
    esign_valid_from = models.DateField("сертификат действителен с", null=True, blank=True)
    esign_valid_to = models.DateField("сертификат действителен по", null=True, blank=True)

    amends = models.ForeignKey(
        "self",
        verbose_name="вносит изменения в приказ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amended_by",
    )
    cancelled_at = models.DateTimeField("отменён", null=True, blank=True)
    cancel_reason = models.TextField("основание отмены", blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="составил", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "приказ"
        verbose_name_plural = "приказы"
        ordering = ["-approved_on", "-number", "-created_at"]
        indexes = [models.Index(fields=["organisation", "status"], name="order_org_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number_year", "number"],
                condition=Q(number__isnull=False),
                name="unique_order_number_per_year",
                violation_error_message="Приказ с этим номером в этом году уже зарегистрирован.",
            ),
            models.UniqueConstraint(
                fields=["verification_token"],
                condition=~Q(verification_token=""),
                name="unique_order_verification_token",
            ),
            models.CheckConstraint(
                name="order_esign_validity_ordered",
                condition=Q(esign_valid_from__isnull=True)
                | Q(esign_valid_to__isnull=True)
                | Q(esign_valid_from__lte=F("esign_valid_to")),
                violation_error_message="Срок действия сертификата заканчивается раньше, чем начинается.",
            ),
            models.CheckConstraint(
                name="approved_order_has_number",
                condition=Q(status__in=["draft", "submitted", "visas", "returned"])
                | (Q(number__isnull=False) & Q(approved_on__isnull=False)),
                violation_error_message="У утверждённого приказа должны быть номер и дата.",
            ),
        ]

    def __str__(self) -> str:
        if self.number_label:
            return f"Приказ от {self.approved_on:%d.%m.%Y} № {self.number_label} «{self.title}»"
        return f"Проект приказа «{self.title}»"

    @property
    def is_editable(self) -> bool:
        """A draft, a returned order, and an order on visas: an edit there takes its visas back."""
        return self.status in {self.Status.DRAFT, self.Status.RETURNED, self.Status.VISAS}

    @property
    def is_esigned(self) -> bool:
        return bool(self.esign_certificate)

    @property
    def label(self) -> str:
        """«от 25.10.2025 № 56-ОД», the way other documents cite the order."""
        if not self.number_label:
            return ""
        return f"от {self.approved_on:%d.%m.%Y} № {self.number_label}"


class OrderPoint(models.Model):
    """One numbered point after «ПРИКАЗЫВАЮ:»."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    order = models.ForeignKey(Order, verbose_name="приказ", on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField("№", default=0)
    action = models.TextField("содержание")
    responsible = models.CharField("ответственный", max_length=300, blank=True)
    deadline = models.CharField(
        "срок", max_length=100, blank=True, help_text="Например, «до 01.09.2026» или «постоянно»."
    )

    class Meta:
        verbose_name = "пункт приказа"
        verbose_name_plural = "пункты приказа"
        ordering = ["order", "position", "pk"]

    def __str__(self) -> str:
        return self.action[:80]


class OrderNumberSequence(models.Model):
    """The last number of an organisation's register of orders in a calendar year.

    Approval increments it with one UPDATE, so concurrent approvals queue on the row lock and
    never share a number; the unique constraint on Order is the backstop.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="order_sequences")
    year = models.PositiveSmallIntegerField("год")
    last_number = models.PositiveIntegerField(
        "последний номер", default=0, help_text="Следующий утверждённый приказ получит номер на единицу больше."
    )

    class Meta:
        verbose_name = "нумерация приказов"
        verbose_name_plural = "нумерация приказов"
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="unique_order_sequence_year")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.year}, № {self.last_number}"


class ApprovalStep(models.Model):
    """One visa of the organisation's approval route for orders (лист согласования).

    The route is the steps in ``position`` order, then the director. A step is a role (any member
    holding it may give the visa) or one named person; ``skip_kinds`` lists the order types the
    step is not needed for. An organisation without steps keeps the short route: author → director.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="approval_steps"
    )
    position = models.PositiveSmallIntegerField("№ по порядку")
    role = models.CharField("роль", max_length=32, choices=Role.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="сотрудник",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    skip_kinds = models.JSONField("не нужна для приказов", default=list, blank=True)

    class Meta:
        verbose_name = "шаг согласования приказов"
        verbose_name_plural = "маршрут согласования приказов"
        ordering = ["organisation", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="approval_step_role_or_user",
                condition=(Q(role="") & Q(user__isnull=False)) | (~Q(role="") & Q(user__isnull=True)),
                violation_error_message="Шаг согласования — это роль или один сотрудник.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_role_display() if self.role else str(self.user)

    def applies_to(self, kind: str) -> bool:
        return kind not in (self.skip_kinds or [])


class OrderVisa(models.Model):
    """One visa of an order on its way to the director, made from a step of the route on submission.

    Exactly one visa of an order on visas is ``waiting`` (its turn); the ones after it are
    ``pending``. Agreement moves the turn on; a return sends the order back to its author.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "ожидает очереди"
        WAITING = "waiting", "ожидает визы"
        AGREED = "agreed", "согласовано"
        RETURNED = "returned", "возвращено с замечанием"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, verbose_name="приказ", on_delete=models.CASCADE, related_name="visas")
    position = models.PositiveSmallIntegerField("№ по порядку")
    role = models.CharField("роль", max_length=32, choices=Role.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="сотрудник",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField("виза", max_length=16, choices=Status.choices, default=Status.PENDING)
    turn_at = models.DateTimeField("очередь пришла", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="визу дал",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_visas",
    )
    decided_at = models.DateTimeField("дата визы", null=True, blank=True)
    comment = models.TextField("замечание", blank=True)

    class Meta:
        verbose_name = "виза приказа"
        verbose_name_plural = "визы приказов"
        ordering = ["order", "position"]
        indexes = [models.Index(fields=["organisation", "status"], name="order_visa_org_status")]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="unique_order_visa_position"),
            models.CheckConstraint(
                name="order_visa_decided_has_person",
                condition=Q(status__in=["pending", "waiting"]) | (Q(decided_at__isnull=False)),
                violation_error_message="У визы, которую дали, должна быть дата.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step_label}: {self.get_status_display()}"

    @property
    def step_label(self) -> str:
        """«Методист», or the named person's name."""
        if self.role:
            return self.get_role_display()
        return self.user.display_name if self.user_id else "сотрудник"
