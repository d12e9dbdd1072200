"""Mentors who are the school's employees (ТК РФ ст. 351.8, in force since 1 March 2025).

A member of staff who mentors does so with written consent per assignment, under an additional
agreement to the labour contract that sets the content, term and pay; either side may end the
mentoring early with three working days' written notice. These models keep those facts about a
person and an assignment (a pair or group); the documents and the pay register are made of them
in reports/employees/.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from organisations.models import Organisation
from participants.models import Person, private_upload_path


class EmploymentTerms(models.Model):
    """What the school's documents need of an employee: the labour contract, the salary rate, and
    the school's mark that this member of staff is not mentoring as an employee (an exception)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="employment_terms")
    person = models.OneToOneField(Person, verbose_name="работник", on_delete=models.CASCADE, related_name="employment")
    contract_number = models.CharField("номер трудового договора", max_length=50, blank=True)
    contract_date = models.DateField("дата трудового договора", null=True, blank=True)
    salary_rate = models.DecimalField(
        "должностной оклад (ставка), руб.",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Нужен, если выплата установлена процентом от ставки.",
    )
    not_employee_mentor = models.BooleanField(
        "не наставник-работник",
        default=False,
        help_text="Например, совместитель по договору ГПХ: требования ст. 351.8 ТК РФ к нему не применяются.",
    )
    exception_reason = models.CharField("основание исключения", max_length=300, blank=True)

    class Meta:
        verbose_name = "трудовой договор работника"
        verbose_name_plural = "трудовые договоры работников"
        constraints = [
            models.CheckConstraint(
                name="employment_exception_has_reason",
                condition=Q(not_employee_mentor=False) | ~Q(exception_reason=""),
                violation_error_message="Укажите, почему этот работник наставничает не как работник школы.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: договор № {self.contract_number or '—'}"


class MentoringConsent(models.Model):
    """The employee's written consent to one assignment: the signed paper's scan, or the text
    accepted in the person's own account (with the time and the text as it was)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mentoring_consents")
    pair = models.OneToOneField(
        "mentorship.Pair", verbose_name="пара (группа)", on_delete=models.CASCADE, related_name="employee_consent"
    )
    signed_on = models.DateField("дата согласия")
    scan = models.FileField("скан подписанного согласия", upload_to=private_upload_path, blank=True)
    accepted_at = models.DateTimeField("дано в личном кабинете", null=True, blank=True)
    accepted_text = models.TextField("текст, с которым согласился работник", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="внёс", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("внесено", auto_now_add=True)

    class Meta:
        verbose_name = "согласие работника на наставничество"
        verbose_name_plural = "согласия работников на наставничество"
        constraints = [
            models.CheckConstraint(
                name="mentoring_consent_has_evidence",
                condition=~Q(scan="") | Q(accepted_at__isnull=False),
                violation_error_message="Приложите скан подписанного согласия.",
            ),
        ]

    def __str__(self) -> str:
        return f"Согласие от {self.signed_on:%d.%m.%Y}: {self.pair}"


class PayRule(models.Model):
    """The school's rule of mentoring pay (its Положение об оплате труда), valid for a period."""

    class Basis(models.TextChoices):
        FIXED = "fixed", "фиксированная сумма в месяц"
        PERCENT = "percent", "процент от должностного оклада (ставки)"
        PER_MENTEE = "per_mentee", "сумма в месяц за каждого наставляемого"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="pay_rules")
    basis = models.CharField("основа расчёта", max_length=16, choices=Basis.choices)
    amount = models.DecimalField(
        "размер (руб. или %)", max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    valid_from = models.DateField("действует с")
    valid_to = models.DateField("действует по", null=True, blank=True)
    source = models.CharField(
        "локальный акт", max_length=300, blank=True, help_text="Например, «Положение об оплате труда, п. 5.4»."
    )
    created_at = models.DateTimeField("добавлено", auto_now_add=True)

    class Meta:
        verbose_name = "правило оплаты наставничества"
        verbose_name_plural = "правила оплаты наставничества"
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                name="pay_rule_period",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                violation_error_message="Правило не может закончиться раньше, чем начнёт действовать.",
            ),
            models.CheckConstraint(
                name="pay_rule_percent_at_most_100",
                condition=~Q(basis="percent") | Q(amount__lte=100),
                violation_error_message="Процент от оклада не может быть больше 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()}: {self.amount}"


class AdditionalAgreement(models.Model):
    """The additional agreement to the labour contract for one assignment, with its pay as agreed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="additional_agreements")
    pair = models.OneToOneField(
        "mentorship.Pair", verbose_name="пара (группа)", on_delete=models.PROTECT, related_name="agreement"
    )
    year = models.PositiveSmallIntegerField("год регистрации")
    number = models.PositiveIntegerField("номер")
    concluded_on = models.DateField("дата соглашения")
    starts_on = models.DateField("наставничество с")
    ends_on = models.DateField("наставничество по")
    pay_basis = models.CharField("основа расчёта выплаты", max_length=16, choices=PayRule.Basis.choices)
    pay_rate = models.DecimalField("размер (руб. или %)", max_digits=10, decimal_places=2)
    monthly_amount = models.DecimalField("выплата в месяц, руб.", max_digits=10, decimal_places=2)
    pay_source = models.CharField("локальный акт об оплате", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="оформил", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("оформлено", auto_now_add=True)

    class Meta:
        verbose_name = "дополнительное соглашение о наставничестве"
        verbose_name_plural = "дополнительные соглашения о наставничестве"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "number"],
                name="unique_agreement_number_per_year",
                violation_error_message="Соглашение с этим номером в этом году уже зарегистрировано.",
            ),
            models.CheckConstraint(
                name="agreement_ends_after_start",
                condition=Q(ends_on__gte=models.F("starts_on")),
                violation_error_message="Наставничество не может закончиться раньше, чем начнётся.",
            ),
        ]

    def __str__(self) -> str:
        return f"Дополнительное соглашение № {self.number} от {self.concluded_on:%d.%m.%Y}"

    @property
    def label(self) -> str:
        return f"от {self.concluded_on:%d.%m.%Y} № {self.number}"


class EarlyEnd(models.Model):
    """The mentor's refusal or the school's cancellation before the agreed term (ст. 351.8 ТК РФ).

    A refusal is the employee's right: it is recorded with its dates only, never as a fault.
    """

    class Initiator(models.TextChoices):
        MENTOR = "mentor", "отказ работника от наставничества"
        SCHOOL = "school", "отмена поручения работодателем"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="early_ends")
    pair = models.OneToOneField(
        "mentorship.Pair", verbose_name="пара (группа)", on_delete=models.CASCADE, related_name="early_end"
    )
    initiator = models.CharField("кто прекращает", max_length=8, choices=Initiator.choices)
    notice_on = models.DateField("дата заявления (уведомления)")
    earliest_end_on = models.DateField("не ранее")
    ends_on = models.DateField("дата прекращения")
    # Set when the order ending the assignment is approved (the pair is then closed).
    order_label = models.CharField("приказ о прекращении", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="внёс", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("внесено", auto_now_add=True)

    class Meta:
        verbose_name = "досрочное прекращение наставничества"
        verbose_name_plural = "досрочные прекращения наставничества"
        constraints = [
            models.CheckConstraint(
                name="early_end_after_notice_period",
                condition=Q(ends_on__gte=models.F("earliest_end_on")) & Q(earliest_end_on__gt=models.F("notice_on")),
                violation_error_message=(
                    "Наставничество прекращается не ранее чем через три рабочих дня после уведомления."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_initiator_display()} с {self.ends_on:%d.%m.%Y}"


class CalendarCorrection(models.Model):
    """A day the school's production calendar has otherwise than the package knows (a transfer of
    a day off by the government's decree published after the release)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="calendar_corrections")
    day = models.DateField("день")
    is_working = models.BooleanField("рабочий день")
    note = models.CharField("основание", max_length=300, blank=True)

    class Meta:
        verbose_name = "поправка производственного календаря"
        verbose_name_plural = "поправки производственного календаря"
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day"],
                name="unique_calendar_correction",
                violation_error_message="Поправка на этот день уже есть.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}: {'рабочий' if self.is_working else 'выходной'}"
