import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

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


def name_search_condition(text: str, person_prefix: str = "") -> Q:
    """Every word of the text in the person's full name; person_prefix like "person__" for entries."""
    condition = Q()
    for word in normalise_for_search(text).split():
        condition &= Q(**{f"{person_prefix}search_name__contains": word})
    return condition


class PersonQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for person in objs:
            person.search_name = person.build_search_name()
        return super().bulk_create(objs, *args, **kwargs)

    def search(self, text: str):
        """People whose full name contains every word of the text, in any case."""
        return self.filter(name_search_condition(text))


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
    processing_blocked_at = models.DateTimeField(
        "обработка приостановлена", null=True, blank=True, help_text="Согласие отозвано: данные только хранятся."
    )
    anonymised_at = models.DateTimeField("обезличен", null=True, blank=True)
    # Left the school (not in the new year's lists, archived by the year change): kept for the
    # past years' reports, no longer counted in the current year's.
    left_on = models.DateField("выбыл из школы", null=True, blank=True)
    tags = models.ManyToManyField("Tag", verbose_name="теги", through="PersonTag", blank=True, related_name="people")
    # The user's corrections of the declined full name, by case: {"dative": "Кляпке Ольге Викторовне"}.
    # Documents take these before the declension library (organisations.declension).
    name_forms = models.JSONField("формы ФИО по падежам", default=dict, blank=True)
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

    def get_additional_data(self) -> dict:
        """Ties audit-log entries to the person whose card shows them."""
        return {"person_id": self.pk}

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
    # «мать», «отец», «опекун»… as a class list names it; empty when nobody said.
    relation = models.CharField("кем приходится", max_length=100, blank=True)

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

    def get_additional_data(self) -> dict:
        return {"person_id": self.child_id}


class PersonYearRecord(models.Model):
    """Who a person was in a school year the school has closed (the new school year's change).

    The year's reports read the people of a closed year from here, so that promotion, graduation
    and the newcomers of the next year do not change them.
    """

    organisation = models.ForeignKey(Organisation, verbose_name="организация", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, verbose_name="участник", on_delete=models.CASCADE, related_name="year_records")
    school_year = models.PositiveSmallIntegerField("учебный год")
    category = models.CharField("категория", max_length=20, choices=Person.Category.choices)
    grade = models.PositiveSmallIntegerField("класс (параллель)", null=True, blank=True)
    class_letter = models.CharField("литера класса", max_length=3, blank=True)

    class Meta:
        verbose_name = "участник в закрытом учебном году"
        verbose_name_plural = "участники в закрытых учебных годах"
        indexes = [models.Index(fields=["organisation", "school_year"], name="person_year_org_year")]
        constraints = [
            models.UniqueConstraint(fields=["person", "school_year"], name="unique_person_year_record"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.school_year})"


# --- Reference data shared by every school ---------------------------------------------


class MentoringForm(models.Model):
    """A form of mentoring («ученик – ученик», «учитель – учитель»…): editable reference data."""

    class Audience(models.TextChoices):
        STUDENTS = "students", "для обучающихся"
        TEACHERS = "teachers", "для педагогов"

    name = models.CharField("название", max_length=200, unique=True)
    audience = models.CharField("для кого", max_length=16, choices=Audience.choices)
    description = models.TextField("описание", blank=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    is_active = models.BooleanField("используется", default=True)
    # Who may stand on each side (participants.mentoring_forms reads them for matching and for the
    # pair form). An empty list, an empty range or empty positions restrict nothing.
    mentor_categories = models.JSONField(
        "категории наставников", default=list, blank=True, help_text="Пусто — любая категория."
    )
    mentor_grade_min = models.PositiveSmallIntegerField("наставник: класс от", null=True, blank=True)
    mentor_grade_max = models.PositiveSmallIntegerField("наставник: класс до", null=True, blank=True)
    mentor_positions = models.CharField(
        "должность наставника",
        max_length=300,
        blank=True,
        help_text="Начала слов через запятую, например «директор, заместитель»; пусто — любая должность.",
    )
    mentee_categories = models.JSONField(
        "категории наставляемых", default=list, blank=True, help_text="Пусто — любая категория."
    )
    mentee_grade_min = models.PositiveSmallIntegerField("наставляемый: класс от", null=True, blank=True)
    mentee_grade_max = models.PositiveSmallIntegerField("наставляемый: класс до", null=True, blank=True)

    class Meta:
        verbose_name = "форма наставничества"
        verbose_name_plural = "формы наставничества"
        ordering = ["audience", "position", "name"]
        constraints = [
            models.CheckConstraint(
                name="form_mentor_grades_in_order",
                condition=Q(mentor_grade_min__isnull=True)
                | Q(mentor_grade_max__isnull=True)
                | Q(mentor_grade_min__lte=models.F("mentor_grade_max")),
                violation_error_message="Класс наставника «от» не может быть больше, чем «до».",
            ),
            models.CheckConstraint(
                name="form_mentee_grades_in_order",
                condition=Q(mentee_grade_min__isnull=True)
                | Q(mentee_grade_max__isnull=True)
                | Q(mentee_grade_min__lte=models.F("mentee_grade_max")),
                violation_error_message="Класс наставляемого «от» не может быть больше, чем «до».",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        known = set(Person.Category.values)
        errors = {}
        for field in ("mentor_categories", "mentee_categories"):
            value = getattr(self, field)
            if not isinstance(value, list) or not set(value) <= known:
                errors[field] = "Выберите категории участников из списка."
        if errors:
            raise ValidationError(errors)


class RoleModel(models.Model):
    """A role model within a form, e.g. «успевающий – неуспевающий»."""

    form = models.ForeignKey(
        MentoringForm, verbose_name="форма наставничества", on_delete=models.CASCADE, related_name="role_models"
    )
    name = models.CharField("название", max_length=200)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "ролевая модель"
        verbose_name_plural = "ролевые модели"
        ordering = ["form", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["form", "name"], name="unique_role_model_per_form")]

    def __str__(self) -> str:
        return f"{self.form}: {self.name}"


# --- Tags, bases, documents -------------------------------------------------------------


class Tag(models.Model):
    """A hashtag of a school («#робототехника»): competencies, interests, needs."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField("тег", max_length=60)

    class Meta:
        verbose_name = "тег"
        verbose_name_plural = "теги"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_tag_name", violation_error_message="Такой тег уже есть."
            )
        ]

    def __str__(self) -> str:
        return self.name


class PersonTag(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="person_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="person_tags")

    class Meta:
        verbose_name = "тег участника"
        verbose_name_plural = "теги участников"
        constraints = [models.UniqueConstraint(fields=["person", "tag"], name="unique_person_tag")]

    def __str__(self) -> str:
        return f"{self.person}: {self.tag}"


class MentorEntry(models.Model):
    """A person in the school's mentor base for one school year."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", "кандидат"
        APPROVED = "approved", "утверждён"
        ACTIVE = "active", "работает с наставляемыми"
        LEFT = "left", "выбыл"

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="mentor_entries"
    )
    person = models.ForeignKey(
        Person, verbose_name="наставник", on_delete=models.CASCADE, related_name="mentor_entries"
    )
    school_year = models.PositiveSmallIntegerField("учебный год", help_text="Год начала учебного года, например 2026.")
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.CANDIDATE)
    competencies = models.TextField("компетенции", blank=True)
    motivation = models.TextField("мотивация", blank=True)
    availability = models.CharField("когда может заниматься", max_length=300, blank=True)
    capacity = models.PositiveSmallIntegerField(
        "наставляемых не больше", default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    preferred_forms = models.ManyToManyField(
        MentoringForm, verbose_name="предпочтительные формы", through="MentorPreferredForm", blank=True
    )
    approved_on = models.DateField("дата утверждения", null=True, blank=True)
    left_on = models.DateField("дата выбытия", null=True, blank=True)
    created_at = models.DateTimeField("добавлен", auto_now_add=True)

    class Meta:
        verbose_name = "запись базы наставников"
        verbose_name_plural = "база наставников"
        ordering = ["person__last_name", "person__first_name"]
        indexes = [models.Index(fields=["organisation", "school_year", "status"], name="mentor_org_year_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "school_year"],
                name="unique_mentor_entry",
                violation_error_message="Этот человек уже есть в базе наставников этого учебного года.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.school_year})"

    def get_additional_data(self) -> dict:
        return {"person_id": self.person_id}

    @property
    def is_in_register(self) -> bool:
        return self.status in {self.Status.APPROVED, self.Status.ACTIVE}


class MentorPreferredForm(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    entry = models.ForeignKey(MentorEntry, on_delete=models.CASCADE)
    form = models.ForeignKey(MentoringForm, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "form"], name="unique_mentor_preferred_form")]

    def __str__(self) -> str:
        return f"{self.entry}: {self.form}"


class MenteeEntry(models.Model):
    """A person in the school's mentee base for one school year."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", "кандидат"
        INCLUDED = "included", "включён в базу"
        IN_PAIR = "in_pair", "в паре или группе"
        COMPLETED = "completed", "завершил программу"
        LEFT = "left", "выбыл"

    class NeedKind(models.TextChoices):
        EDUCATIONAL = "educational", "образовательный дефицит"
        PROFESSIONAL = "professional", "профессиональный дефицит"
        SOCIAL = "social", "социальная адаптация"
        TALENT = "talent", "развитие способностей"

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="mentee_entries"
    )
    person = models.ForeignKey(
        Person, verbose_name="наставляемый", on_delete=models.CASCADE, related_name="mentee_entries"
    )
    school_year = models.PositiveSmallIntegerField("учебный год", help_text="Год начала учебного года, например 2026.")
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.CANDIDATE)
    need_kind = models.CharField("вид запроса", max_length=16, choices=NeedKind.choices, blank=True)
    needs = models.TextField("запрос и дефициты", blank=True)
    created_at = models.DateTimeField("добавлен", auto_now_add=True)

    class Meta:
        verbose_name = "запись базы наставляемых"
        verbose_name_plural = "база наставляемых"
        ordering = ["person__last_name", "person__first_name"]
        indexes = [models.Index(fields=["organisation", "school_year", "status"], name="mentee_org_year_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "school_year"],
                name="unique_mentee_entry",
                violation_error_message="Этот человек уже есть в базе наставляемых этого учебного года.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.school_year})"

    def get_additional_data(self) -> dict:
        return {"person_id": self.person_id}


def private_upload_path(instance, filename: str) -> str:
    # Files of personal data are served only through permission-checked views, never by URL.
    return f"private/{instance.organisation_id}/{type(instance).__name__.lower()}/{filename}"


class MentorDocument(models.Model):
    """A certificate an external mentor must bring, with its expiry."""

    class Kind(models.TextChoices):
        NO_CRIMINAL_RECORD = "no_criminal_record", "справка об отсутствии судимости"
        MEDICAL = "medical", "медицинская справка"

    organisation = models.ForeignKey(Organisation, verbose_name="организация", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, verbose_name="наставник", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("документ", max_length=32, choices=Kind.choices)
    number = models.CharField("номер", max_length=100, blank=True)
    issued_on = models.DateField("дата выдачи")
    valid_until = models.DateField("действует до", null=True, blank=True)
    file = models.FileField("скан", upload_to=private_upload_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="внёс", on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField("внесён", auto_now_add=True)

    class Meta:
        verbose_name = "документ наставника"
        verbose_name_plural = "документы наставников"
        ordering = ["person", "kind", "-issued_on"]
        constraints = [
            models.CheckConstraint(
                name="document_valid_after_issue",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("issued_on")),
                violation_error_message="Срок действия не может закончиться раньше даты выдачи.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"

    def get_additional_data(self) -> dict:
        return {"person_id": self.person_id}

    def is_expired(self, on: datetime.date | None = None) -> bool:
        return self.valid_until is not None and self.valid_until < (on or timezone.localdate())


class PartnerAgreement(models.Model):
    """An agreement with a partner organisation (соглашение о сотрудничестве)."""

    organisation = models.ForeignKey(Organisation, verbose_name="организация", on_delete=models.CASCADE)
    partner = models.ForeignKey(
        PartnerOrganisation, verbose_name="партнёр", on_delete=models.CASCADE, related_name="agreements"
    )
    number = models.CharField("номер", max_length=50)
    signed_on = models.DateField("дата заключения")
    valid_until = models.DateField("действует до", null=True, blank=True)
    subject = models.CharField("предмет соглашения", max_length=500, blank=True)
    mentors_planned = models.PositiveSmallIntegerField("наставников по соглашению", default=0)
    file = models.FileField("скан", upload_to=private_upload_path, blank=True)

    class Meta:
        verbose_name = "соглашение с партнёром"
        verbose_name_plural = "соглашения с партнёрами"
        ordering = ["-signed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "number", "signed_on"],
                name="unique_partner_agreement",
                violation_error_message="Соглашение с таким номером и датой уже есть.",
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} от {self.signed_on:%d.%m.%Y}"


# --- Consents to personal-data processing (152-ФЗ) --------------------------------------


class ConsentPurpose(models.TextChoices):
    """The kinds of purpose (156-ФЗ: one consent per purpose, a transfer never bundled with processing).

    A purpose is its kind plus, for a transfer to a partner organisation, the partner: one consent
    per partner (Consent.partner). Each kind has its own versioned texts (ConsentText).
    """

    PARTICIPATION = "participation", "участие в программе наставничества"
    AUTHORITY_TRANSFER = "authority", "передача органу управления образованием"
    PARTNER_TRANSFER = "partner", "передача организации-партнёру"
    PUBLICATION = "publication", "публикация фото и материалов"


# The kinds that are a transfer to a third party: named for each partner or for the authority.
TRANSFER_PURPOSES = (ConsentPurpose.AUTHORITY_TRANSFER, ConsentPurpose.PARTNER_TRANSFER)
# In a partner's text this placeholder stands for the partner's name.
PARTNER_PLACEHOLDER = "{partner}"


def quoted(name: str) -> str:
    """«Завод» for Завод; a name that already has its quotes (ООО «Прогресс») stays as it is."""
    return name if "«" in name else f"«{name}»"


def text_sha256(title: str, body: str) -> str:
    """The SHA-256 of a text exactly as shown: its title, a blank line, its body."""
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


class ConsentText(models.Model):
    """A version of the text a person agrees to; a consent keeps the version it was signed on."""

    purpose = models.CharField("цель", max_length=20, choices=ConsentPurpose.choices)
    version = models.CharField("версия", max_length=20)
    title = models.CharField("заголовок", max_length=300)
    body = models.TextField("текст")
    is_current = models.BooleanField("действующая редакция", default=True)
    sha256 = models.CharField("SHA-256 текста", max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField("создана", auto_now_add=True)

    class Meta:
        verbose_name = "текст согласия"
        verbose_name_plural = "тексты согласий"
        ordering = ["purpose", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="unique_consent_text_version"),
            models.UniqueConstraint(
                fields=["purpose"], condition=Q(is_current=True), name="one_current_consent_text_per_purpose"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}, ред. {self.version}"

    def save(self, *args, **kwargs):
        self.sha256 = text_sha256(self.title, self.body)
        super().save(*args, **kwargs)

    def rendered(self, partner=None) -> tuple[str, str]:
        """(title, body) as the person reads them: a partner's text names the partner."""
        name = quoted(partner.name) if partner is not None else ""
        return self.title.replace(PARTNER_PLACEHOLDER, name), self.body.replace(PARTNER_PLACEHOLDER, name)


class Consent(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", "действует"
        WITHDRAWN = "withdrawn", "отозвано"

    class Channel(models.TextChoices):
        PAPER = "paper", "на бумаге"
        ELECTRONIC = "electronic", "электронно по ссылке"

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="consents"
    )
    person = models.ForeignKey(Person, verbose_name="субъект данных", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField("цель", max_length=20, choices=ConsentPurpose.choices)
    # A transfer to a partner organisation: one consent per partner.
    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name="организация-партнёр",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
    )
    text = models.ForeignKey(ConsentText, verbose_name="редакция текста", on_delete=models.PROTECT)
    # The hash of the text as the person read it (a partner's text with the partner's name).
    text_sha256 = models.CharField("SHA-256 текста", max_length=64, blank=True)
    # Carried over from a participation consent whose text bundled the transfer (before 156-ФЗ):
    # it stays covered, but a new separate consent is due.
    bundled = models.BooleanField("перенесено из совмещённого согласия", default=False)
    channel = models.CharField("форма", max_length=16, choices=Channel.choices, default=Channel.PAPER)
    # An electronic consent: who typed their name, when it was confirmed, from where, by which code.
    signer_name = models.CharField("ФИО подписавшего", max_length=300, blank=True)
    confirmed_at = models.DateTimeField("подтверждено", null=True, blank=True)
    ip_address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)
    user_agent = models.CharField("браузер", max_length=500, blank=True)
    code_channel = models.CharField("канал кода", max_length=50, blank=True)
    copy = models.FileField("экземпляр согласия (PDF)", upload_to=private_upload_path, blank=True)
    representative = models.ForeignKey(
        Person,
        verbose_name="законный представитель",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents_as_representative",
        help_text="Подписывает за несовершеннолетнего.",
    )
    signed_by_subject = models.BooleanField("подписано самим субъектом", default=False)
    signed_on = models.DateField("дата подписания")
    scan = models.FileField("скан подписанного согласия", upload_to=private_upload_path, blank=True)
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.VALID)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="внёс",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("внесено", auto_now_add=True)
    withdrawn_on = models.DateField("дата отзыва", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="отзыв внёс",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "согласие на обработку персональных данных"
        verbose_name_plural = "согласия на обработку персональных данных"
        ordering = ["-signed_on"]
        indexes = [models.Index(fields=["organisation", "purpose", "status"], name="consent_org_purpose_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=Q(status="valid", partner__isnull=True),
                name="one_valid_consent_per_purpose",
                violation_error_message="У человека уже есть действующее согласие с этой целью.",
            ),
            models.UniqueConstraint(
                fields=["person", "partner"],
                condition=Q(status="valid", partner__isnull=False),
                name="one_valid_consent_per_partner",
                violation_error_message="У человека уже есть действующее согласие на передачу этому партнёру.",
            ),
            models.CheckConstraint(
                name="consent_partner_iff_partner_purpose",
                condition=Q(purpose="partner", partner__isnull=False)
                | (~Q(purpose="partner") & Q(partner__isnull=True)),
                violation_error_message="Организация-партнёр указывается только в согласии на передачу партнёру.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.purpose_label} ({self.get_status_display()})"

    @property
    def purpose_label(self) -> str:
        """«передача организации-партнёру «Завод»» for a partner's consent, the purpose's label otherwise."""
        label = self.get_purpose_display()
        return f"{label} {quoted(self.partner.name)}" if self.partner_id else label

    def get_additional_data(self) -> dict:
        return {"person_id": self.person_id}


class ConsentLink(models.Model):
    """A personal link by which a parent (or an adult participant) gives or withdraws consents.

    Only the SHA-256 of the token is kept. The link gives consents once (used_at); after that it
    serves only withdrawals. The one-time code goes to the e-mail on file; its hash is kept.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="consent_links"
    )
    person = models.ForeignKey(
        Person, verbose_name="субъект данных", on_delete=models.CASCADE, related_name="consent_links"
    )
    signer = models.ForeignKey(
        Person,
        verbose_name="кто подписывает",
        on_delete=models.CASCADE,
        related_name="consent_links_as_signer",
        help_text="Родитель (законный представитель) или сам совершеннолетний участник.",
    )
    token_hash = models.CharField("хеш ссылки", max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField("действует до")
    used_at = models.DateTimeField("согласие дано", null=True, blank=True)
    # The choices waiting for the code: {"participation": true, "partner:12": false, ...} and the typed name.
    pending = models.JSONField("ожидает подтверждения", default=dict, blank=True)
    code_hash = models.CharField("хеш кода", max_length=64, blank=True)
    code_expires_at = models.DateTimeField("код действует до", null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField("попыток ввода кода", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="отправил", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("отправлено", auto_now_add=True)

    class Meta:
        verbose_name = "ссылка на электронное согласие"
        verbose_name_plural = "ссылки на электронные согласия"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.person}: ссылка от {self.created_at:%d.%m.%Y}"

    def get_additional_data(self) -> dict:
        return {"person_id": self.person_id}

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class DestructionAct(models.Model):
    """Акт об уничтожении персональных данных (приказ Роскомнадзора от 28.10.2022 № 179), with the
    extract from the event journal; kept three years. People are named by internal ids, not names."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="оператор", on_delete=models.CASCADE, related_name="destruction_acts"
    )
    number = models.PositiveIntegerField("номер акта")
    destroyed_at = models.DateTimeField("дата уничтожения")
    person_ids = models.JSONField("внутренние номера субъектов", default=list)
    subject_categories = models.CharField("категории субъектов", max_length=300)
    data_categories = models.TextField("перечень уничтоженных данных")
    reason = models.CharField("основание", max_length=500)
    method = models.CharField("способ уничтожения", max_length=500)
    performed_by = models.CharField("кто уничтожил", max_length=300)
    # The extract: rows of (time, event, subject id, what, who) written when the data were destroyed.
    journal = models.JSONField("выгрузка из журнала", default=list)
    keep_until = models.DateField("хранить до")

    class Meta:
        verbose_name = "акт об уничтожении персональных данных"
        verbose_name_plural = "акты об уничтожении персональных данных"
        ordering = ["-destroyed_at", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="unique_destruction_act_number"),
        ]

    def __str__(self) -> str:
        return f"Акт № {self.number} от {self.destroyed_at:%d.%m.%Y}"

    @property
    def people_count(self) -> int:
        return len(self.person_ids)


# --- The access journal -----------------------------------------------------------------


class AccessLogEntry(models.Model):
    """Who viewed, exported or printed whose personal data, when and from where."""

    class Action(models.TextChoices):
        VIEW = "view", "просмотр"
        EXPORT = "export", "выгрузка"
        PRINT = "print", "печать"
        CHANGE = "change", "изменение"

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="access_log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="пользователь", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField("когда", default=timezone.now)
    action = models.CharField("действие", max_length=16, choices=Action.choices)
    person = models.ForeignKey(
        Person, verbose_name="участник", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    what = models.CharField("что", max_length=300)
    people_count = models.PositiveIntegerField("сколько человек", default=1)
    path = models.CharField("адрес страницы", max_length=500, blank=True)
    ip_address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)

    class Meta:
        verbose_name = "запись журнала доступа"
        verbose_name_plural = "журнал доступа к персональным данным"
        ordering = ["-at"]
        indexes = [models.Index(fields=["organisation", "-at"], name="access_log_org_at")]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.user}: {self.get_action_display()} — {self.what}"


class ImportBatch(models.Model):
    """An uploaded class or staff list: previewed first, applied all at once on confirmation."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "ожидает подтверждения"
        APPLIED = "applied", "загружен"
        REJECTED = "rejected", "отклонён"

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="import_batches"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="загрузил", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)
    file = models.FileField("файл", upload_to=private_upload_path)
    original_name = models.CharField("имя файла", max_length=255)
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.PREVIEW)
    summary = models.JSONField("итог", default=dict, blank=True)
    applied_at = models.DateTimeField("применён", null=True, blank=True)

    class Meta:
        verbose_name = "загрузка списка"
        verbose_name_plural = "загрузки списков"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.uploaded_at:%d.%m.%Y %H:%M})"


# --- Questionnaires ---------------------------------------------------------------------
# Templates (global standard ones have no organisation), their questions, invitations sent by
# a one-time link and the responses. A template that already has answers is never edited in
# place: editing makes a new version (questionnaires.services.questionnaire_template_edit).


class QuestionnaireTemplate(models.Model):
    """A questionnaire of one version; organisation is empty for the standard (global) set."""

    class Audience(models.TextChoices):
        MENTOR = "mentor", "наставник"
        STUDENT_MENTEE = "student_mentee", "наставляемый-обучающийся"
        TEACHER_MENTEE = "teacher_mentee", "наставляемый-педагог"
        PARENT = "parent", "родитель"
        CURATOR = "curator", "куратор"

    class Phase(models.TextChoices):
        ENTRY = "entry", "входная"
        INTERIM = "interim", "промежуточная"
        QUARTERLY = "quarterly", "ежеквартальная"
        EXIT = "exit", "итоговая"

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="организация",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaire_templates",
        help_text="Пусто у стандартных анкет, общих для всех школ.",
    )
    title = models.CharField("название", max_length=300)
    audience = models.CharField("для кого", max_length=20, choices=Audience.choices)
    phase = models.CharField("этап", max_length=16, choices=Phase.choices)
    version = models.PositiveSmallIntegerField("версия", default=1)
    replaces = models.ForeignKey(
        "self",
        verbose_name="заменяет версию",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    is_current = models.BooleanField("текущая версия", default=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)

    class Meta:
        verbose_name = "анкета"
        verbose_name_plural = "анкеты"
        ordering = ["audience", "phase", "title", "-version"]
        indexes = [models.Index(fields=["organisation", "is_current"], name="qtemplate_org_current")]

    def __str__(self) -> str:
        return f"{self.title} (версия {self.version})"

    @property
    def is_standard(self) -> bool:
        return self.organisation_id is None


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE_10 = "scale_10", "шкала от 1 до 10"
        SCALE_5 = "scale_5", "шкала от 1 до 5"
        SINGLE = "single", "один вариант"
        MULTIPLE = "multiple", "несколько вариантов"
        YES_NO = "yes_no", "да или нет"
        SHORT_TEXT = "short_text", "короткий ответ"
        LONG_TEXT = "long_text", "развёрнутый ответ"

    template = models.ForeignKey(
        QuestionnaireTemplate, verbose_name="анкета", on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField("порядок", default=0)
    text = models.CharField("вопрос", max_length=500)
    kind = models.CharField("тип ответа", max_length=16, choices=Kind.choices)
    required = models.BooleanField("обязательный", default=True)
    choices = models.JSONField("варианты ответа", default=list, blank=True)

    class ProfileField(models.TextChoices):
        NONE = "", "не переносится"
        COMPETENCIES = "competencies", "компетенции наставника"
        NEEDS = "needs", "запрос и дефициты наставляемого"
        TAGS = "tags", "теги участника (выбранные варианты)"
        AVAILABILITY = "availability", "когда может заниматься"

    # Where a submitted answer goes in the person's profile that matching reads.
    profile_field = models.CharField(
        "переносится в профиль", max_length=16, choices=ProfileField.choices, default="", blank=True
    )

    class Meta:
        verbose_name = "вопрос анкеты"
        verbose_name_plural = "вопросы анкеты"
        ordering = ["template", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind in {self.Kind.SINGLE, self.Kind.MULTIPLE}


class Invitation(models.Model):
    """A one-time link to a questionnaire: only the sha256 of the token is stored."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="invitations"
    )
    template = models.ForeignKey(
        QuestionnaireTemplate, verbose_name="анкета", on_delete=models.PROTECT, related_name="invitations"
    )
    person = models.ForeignKey(Person, verbose_name="участник", on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField("хеш ссылки", max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField("действует до")
    answered_at = models.DateTimeField("ответ получен", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="отправил", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("отправлено", auto_now_add=True)

    class Meta:
        verbose_name = "приглашение к анкете"
        verbose_name_plural = "приглашения к анкетам"
        ordering = ["-created_at", "pk"]
        constraints = [
            # One unused link per person and version; a repeated survey adds a new one after an answer.
            models.UniqueConstraint(
                fields=["person", "template"],
                condition=models.Q(answered_at__isnull=True),
                name="unique_open_invitation_per_template",
                violation_error_message="У этого участника уже есть неиспользованная ссылка на эту анкету.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template}: {self.person}"

    def get_additional_data(self) -> dict:
        return {"person_id": self.person_id}

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class Response(models.Model):
    """The answers of one invitation: a draft until submitted_at is set."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    invitation = models.OneToOneField(
        Invitation, verbose_name="приглашение", on_delete=models.CASCADE, related_name="response"
    )
    template = models.ForeignKey(
        QuestionnaireTemplate, verbose_name="анкета", on_delete=models.PROTECT, related_name="responses"
    )
    person = models.ForeignKey(
        Person, verbose_name="участник", on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    submitted_at = models.DateTimeField("отправлены", null=True, blank=True)
    answers = models.JSONField("ответы", default=dict, blank=True)
    draft = models.JSONField("черновик", default=dict, blank=True)
    updated_at = models.DateTimeField("изменены", auto_now=True)

    class Meta:
        verbose_name = "ответы на анкету"
        verbose_name_plural = "ответы на анкеты"
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.template}: {self.person}"

    def get_additional_data(self) -> dict:
        return {"person_id": self.person_id}
