from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from organisations.models import Organisation

YOUNG_SPECIALIST_MAX_YEARS = 3


class Gender(models.TextChoices):
    MALE = "M", "мужской"
    FEMALE = "F", "женский"


class PartnerOrganisation(models.Model):
    """An enterprise, college or NGO that provides mentors to a school."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField("наименование", max_length=500)
    inn = models.CharField("ИНН", max_length=12, blank=True)
    contact = models.CharField("контактное лицо и телефон", max_length=300, blank=True)

    class Meta:
        verbose_name = "организация-партнёр"
        verbose_name_plural = "организации-партнёры"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="unique_partner_name",
                violation_error_message="Партнёр с таким наименованием уже есть.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def normalise_for_search(text: str) -> str:
    """Lower case with «ё» as «е»: SQLite's LIKE folds only ASCII, and people type «Петр»."""
    return text.lower().replace("ё", "е")


class PersonQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for person in objs:
            person.search_name = person.build_search_name()
        return super().bulk_create(objs, *args, **kwargs)

    def search(self, text: str):
        """People whose full name contains every word of the text, in any case."""
        queryset = self
        for word in normalise_for_search(text).split():
            queryset = queryset.filter(search_name__contains=word)
        return queryset


class Person(models.Model):
    """A participant record kept by the school; most people have no account."""

    class Category(models.TextChoices):
        STUDENT = "student", "Обучающийся"
        TEACHER = "teacher", "Педагог"
        PARENT = "parent", "Родитель (законный представитель)"
        GRADUATE = "graduate", "Выпускник"
        PARTNER_EMPLOYEE = "partner_employee", "Сотрудник организации-партнёра"

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="people"
    )
    last_name = models.CharField("фамилия", max_length=150)
    first_name = models.CharField("имя", max_length=150)
    patronymic = models.CharField("отчество", max_length=150, blank=True)
    gender = models.CharField("пол", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("дата рождения", null=True, blank=True)
    category = models.CharField("категория", max_length=20, choices=Category.choices)

    # Students: the class, e.g. 7 and «Б» for «7Б».
    grade = models.PositiveSmallIntegerField("класс (параллель)", null=True, blank=True)
    class_letter = models.CharField("литера класса", max_length=3, blank=True)
    # Teachers.
    position = models.CharField("должность", max_length=200, blank=True)
    subjects = models.CharField("предметы", max_length=300, blank=True)
    experience_years = models.PositiveSmallIntegerField("педагогический стаж, лет", null=True, blank=True)
    # Graduates.
    graduation_year = models.PositiveSmallIntegerField("год выпуска", null=True, blank=True)
    # Partner employees.
    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name="организация-партнёр",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
    )

    phone = models.CharField("телефон", max_length=50, blank=True)
    email = models.EmailField("электронная почта", blank=True)
    notes = models.TextField("примечания", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="учётная запись",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person_records",
    )
    # Kept by save() and bulk_create(): the full name folded for case-insensitive search.
    search_name = models.CharField(max_length=460, editable=False, default="")
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "участник"
        verbose_name_plural = "участники"
        ordering = ["last_name", "first_name", "patronymic"]
        indexes = [
            models.Index(fields=["organisation", "category"], name="person_org_category"),
            models.Index(fields=["organisation", "last_name", "first_name"], name="person_org_name"),
        ]
        constraints = [
            models.CheckConstraint(
                name="person_grade_1_11",
                condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=11),
                violation_error_message="Класс должен быть от 1 до 11.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = self.build_search_name()
        if (update_fields := kwargs.get("update_fields")) is not None:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("participants:person_detail", kwargs={"org": self.organisation.slug, "pk": self.pk})

    def build_search_name(self) -> str:
        return normalise_for_search(self.full_name)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        """«Николаева О.А.»"""
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip()

    @property
    def class_name(self) -> str:
        return f"{self.grade}{self.class_letter}" if self.grade else ""

    @property
    def is_young_specialist(self) -> bool:
        return (
            self.category == self.Category.TEACHER
            and self.experience_years is not None
            and self.experience_years <= YOUNG_SPECIALIST_MAX_YEARS
        )

    def clean(self):
        errors = {}
        if self.category == self.Category.STUDENT and not self.grade:
            errors["grade"] = "Укажите класс обучающегося."
        if self.category != self.Category.STUDENT and self.grade:
            errors["grade"] = "Класс указывается только для обучающихся."
        if self.category == self.Category.PARTNER_EMPLOYEE and not self.partner_id:
            errors["partner"] = "Укажите организацию-партнёра."
        if self.partner_id and self.partner.organisation_id != self.organisation_id:
            errors["partner"] = "Организация-партнёр принадлежит другой школе."
        if errors:
            raise ValidationError(errors)


class ParentLink(models.Model):
    """A parent (legal representative) of a child, both records of the same school."""

    organisation = models.ForeignKey(Organisation, verbose_name="организация", on_delete=models.CASCADE)
    parent = models.ForeignKey(Person, verbose_name="родитель", on_delete=models.CASCADE, related_name="children_links")
    child = models.ForeignKey(Person, verbose_name="ребёнок", on_delete=models.CASCADE, related_name="parent_links")

    class Meta:
        verbose_name = "связь родителя и ребёнка"
        verbose_name_plural = "связи родителей и детей"
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "child"],
                name="unique_parent_child",
                violation_error_message="Этот родитель уже связан с ребёнком.",
            ),
            models.CheckConstraint(
                name="parent_is_not_child",
                condition=~Q(parent=models.F("child")),
                violation_error_message="Человек не может быть родителем самому себе.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent} → {self.child}"
