from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .roles import Role


class User(AbstractUser):
    patronymic = models.CharField("отчество", max_length=150, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"

    @property
    def display_name(self) -> str:
        """«Николаева Ольга Андреевна», or the login when no name is filled in."""
        full = " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)
        return full or self.username


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", "Образовательная организация"
        DISTRICT = "district", "Управление образования"
        REGION = "region", "Орган управления образованием региона"

    kind = models.CharField("тип", max_length=16, choices=Kind.choices, default=Kind.SCHOOL)
    # A school's parent is its district; a district's parent, when there is one, is its region;
    # a region has none (the check constraint below; the kinds of the levels in clean()).
    # The related name is historical: a district's "schools", a region's districts.
    parent = models.ForeignKey(
        "self",
        verbose_name="вышестоящая организация",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schools",
        limit_choices_to={"kind__in": ["district", "region"]},
    )
    slug = models.SlugField(
        "адрес в системе",
        max_length=64,
        unique=True,
        help_text="Латинские буквы, цифры и дефис: часть адреса страниц организации.",
    )
    full_name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200)
    address = models.CharField("адрес", max_length=500, blank=True)
    town = models.CharField(
        "населённый пункт", max_length=200, blank=True, help_text="Печатается в приказах как место издания."
    )
    inn = models.CharField(
        "ИНН",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^(\d{10}|\d{12})$", "ИНН состоит из 10 цифр (организация) или 12 цифр.")],
    )
    order_number_suffix = models.CharField(
        "суффикс номера приказа", max_length=20, blank=True, default="-ОД", help_text="Например, «-ОД» в «№ 56-ОД»."
    )
    director_name = models.CharField("ФИО руководителя", max_length=300, blank=True)
    director_position = models.CharField("должность руководителя", max_length=200, blank=True, default="Директор")
    # The age rule of consents (152-ФЗ): a legal representative signs for anyone younger than
    # consent_adult_age; from consent_cosign_age the child signs too.
    consent_adult_age = models.PositiveSmallIntegerField(
        "возраст самостоятельного согласия",
        default=18,
        validators=[MinValueValidator(14), MaxValueValidator(18)],
        help_text="Младше этого возраста согласие подписывает законный представитель.",
    )
    consent_cosign_age = models.PositiveSmallIntegerField(
        "возраст подписи ребёнка вместе с представителем",
        default=14,
        validators=[MinValueValidator(10), MaxValueValidator(18)],
        help_text="С этого возраста ребёнок подписывает согласие вместе с законным представителем.",
    )

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                name="region_has_no_parent",
                condition=~Q(kind="region") | Q(parent__isnull=True),
                violation_error_message="У региона не может быть вышестоящей организации.",
            ),
            models.CheckConstraint(
                name="organisation_is_not_its_own_parent",
                condition=~Q(parent=models.F("pk")),
                violation_error_message="Организация не может быть вышестоящей для самой себя.",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("reports:dashboard", kwargs={"org": self.slug})

    # The kind of parent each kind takes: a school's is a district, a district's a region.
    PARENT_KIND = {"school": "district", "district": "region"}

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        expected = self.PARENT_KIND.get(self.kind)
        if expected is None:
            raise ValidationError({"parent": "У региона не может быть вышестоящей организации."})
        if self.parent.kind != expected:
            label = self.Kind(expected).label.lower()
            raise ValidationError({"parent": f"Вышестоящей организацией здесь может быть только {label}."})

    @property
    def is_district(self) -> bool:
        return self.kind == self.Kind.DISTRICT

    @property
    def is_region(self) -> bool:
        return self.kind == self.Kind.REGION

    @property
    def is_authority(self) -> bool:
        """A district or a region: an organisation above schools, which sees their aggregates only."""
        return self.kind != self.Kind.SCHOOL

    def schools_q(self, prefix: str = "") -> Q:
        """The condition «a school below this organisation» on ``<prefix>``: the school itself, a
        district's schools, a region's schools through its districts."""
        path = f"{prefix}__" if prefix else ""
        if self.kind == self.Kind.REGION:
            return Q(**{f"{path}parent__parent": self, f"{path}kind": self.Kind.SCHOOL})
        if self.kind == self.Kind.DISTRICT:
            return Q(**{f"{path}parent": self, f"{path}kind": self.Kind.SCHOOL})
        return Q(**{prefix: self}) if prefix else Q(pk=self.pk)

    def schools_below(self):
        """The schools of a district, or of every district of a region."""
        return Organisation.objects.filter(self.schools_q())


class Membership(models.Model):
    """One role of a user in one organisation; a user may hold several."""

    user = models.ForeignKey(User, verbose_name="пользователь", on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("роль", max_length=32, choices=Role.choices)
    created_at = models.DateTimeField("назначена", auto_now_add=True)

    class Meta:
        verbose_name = "роль пользователя"
        verbose_name_plural = "роли пользователей"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="unique_membership_role",
                violation_error_message="У пользователя уже есть эта роль в этой организации.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} — {self.get_role_display()} ({self.organisation})"

    def clean(self):
        if self.organisation_id is None:
            return
        if self.organisation.is_region:
            if self.role not in {Role.REGION_OFFICER, Role.ADMINISTRATOR}:
                raise ValidationError({"role": "В регионе доступны роли «Специалист региона» и «Администратор»."})
            return
        if self.role == Role.REGION_OFFICER:
            raise ValidationError({"role": "Роль «Специалист региона» назначается в регионе."})
        district_roles = {Role.DISTRICT_OFFICER, Role.ADMINISTRATOR}
        if self.organisation.is_district and self.role not in district_roles:
            raise ValidationError({"role": "В управлении образования доступны роли «Специалист УО» и «Администратор»."})
        if not self.organisation.is_district and self.role == Role.DISTRICT_OFFICER:
            raise ValidationError({"role": "Роль «Специалист УО» назначается в управлении образования, а не в школе."})
