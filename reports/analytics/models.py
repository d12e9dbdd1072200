"""Indicators as data (issue 20): what a region or district monitors, and its targets per school year.

An ``Indicator`` names a measure of the library the product computes (reports.analytics.indicators:
each declaration there is a measure) or says the school enters the value itself («entered»).
The standard federal set is seeded by a migration (no organisation); a region or district adds
its own. An ``IndicatorTarget`` is the target of one indicator for one school year, set by the
federal seed (no organisation, no year: every year), a region or a district; whether the levels
below may tighten it (reports.analytics.targets resolves the one that applies).
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from organisations.models import Organisation

ENTERED = "entered"


class Indicator(models.Model):
    class Unit(models.TextChoices):
        PERCENT = "percent", "процент"
        COUNT = "count", "количество"
        MEAN = "mean", "средний балл"

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="чей показатель",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        help_text="Пусто — стандартный федеральный набор.",
    )
    code = models.SlugField(
        "код",
        max_length=64,
        validators=[RegexValidator(r"^[a-z0-9_]+$", "Код — латинские строчные буквы, цифры и подчёркивание.")],
    )
    title = models.CharField("название", max_length=300)
    short_title = models.CharField("краткое название", max_length=100, help_text="Заголовок столбца таблиц.")
    description = models.TextField("описание", blank=True)
    unit = models.CharField("единица", max_length=16, choices=Unit.choices, default=Unit.PERCENT)
    # A code of the library of measures (reports.analytics.indicators) or ENTERED.
    measure = models.CharField("как получается значение", max_length=64, default=ENTERED)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    is_active = models.BooleanField("используется", default=True)

    class Meta:
        verbose_name = "показатель мониторинга"
        verbose_name_plural = "показатели мониторинга"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                name="unique_indicator_code_per_organisation",
                violation_error_message="Показатель с таким кодом уже есть.",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organisation__isnull=True),
                name="unique_standard_indicator_code",
                violation_error_message="Стандартный показатель с таким кодом уже есть.",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "position"], name="indicator_org_position")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_entered(self) -> bool:
        return self.measure == ENTERED


class IndicatorTarget(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", "не менее (≥)"
        LOWER = "lower", "не более (≤)"

    indicator = models.ForeignKey(
        Indicator, verbose_name="показатель", on_delete=models.CASCADE, related_name="targets"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="кто установил",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicator_targets",
        help_text="Пусто — федеральный ориентир.",
    )
    school_year = models.PositiveSmallIntegerField(
        "учебный год", null=True, blank=True, help_text="Год начала: 2026 — 2026/2027. Пусто — каждый год."
    )
    target = models.DecimalField("целевое значение", max_digits=9, decimal_places=2, null=True, blank=True)
    direction = models.CharField("направление", max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    may_tighten = models.BooleanField(
        "нижестоящие могут ужесточить", default=True, help_text="Районы (школы) могут поставить цель строже."
    )

    class Meta:
        verbose_name = "целевое значение показателя"
        verbose_name_plural = "целевые значения показателей"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "indicator", "school_year"],
                name="unique_indicator_target",
                violation_error_message="Цель этого показателя на этот год уже установлена.",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "school_year"], name="target_org_year")]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.target}"
