"""A deterministic generator of realistic Russian demo data: a district, its schools, people.

Used by ``manage.py load_demo`` (three schools, ≈ 600 students) and by the benchmark
(``manage.py bench``, up to tens of thousands of people). Everything is drawn from
``random.Random`` seeded per school, so the same arguments give the same data, and a second
run finds every record by its natural key and creates nothing:

- an organisation by its slug;
- a person by (organisation, last name, first name, patronymic, birth date);
- a partner by (organisation, name); a parent link by (parent, child).

Existence checks are one query per school, never one per row, and new rows are written with
``bulk_create`` in batches.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from organisations.models import Membership, Organisation
from organisations.roles import Role

from .models import (
    Consent,
    ConsentPurpose,
    ConsentText,
    Gender,
    MenteeEntry,
    MentorEntry,
    ParentLink,
    PartnerOrganisation,
    Person,
)

DEMO_PASSWORD = "nastavnik-demo"  # noqa: S105 (printed by load_demo; demo accounts only)
DEMO_URL = "http://127.0.0.1:8000/"
DEMO_DISTRICT_SLUG = "zarechny"
DEMO_SEED = 2026
SCHOOL_YEAR_START = date(2026, 9, 1)
BATCH_SIZE = 500

M, F = Gender.MALE, Gender.FEMALE

# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


# Surnames in the masculine form; the feminine form is derived by ``feminine_surname``.
# The first ones are the most frequent in Russia and get a higher weight.
_COMMON_SURNAMES = _words("Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров")
_OTHER_SURNAMES = _words(
    """
Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев
Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев
Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин
Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев
Герасимов Богданов Осипов Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов
Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов
Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов
Коновалов Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов
Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров
Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов
Кондратьев Бирюков Горбунов Анисимов Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов
Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронов Аксёнов Мальцев
Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов Плотников Дёмин Хохлов
Фадеев Молчанов Игнатов Литвинов Ершов Ушаков Дементьев Рябов Мухин Калашников Леонтьев Лобанов
Корнеев Евдокимов Бородин Платонов Некрасов Балашов Бобров Жданов Блинов Игнатьев Коротков
Муравьёв Крюков Беляков Богомолов Дроздов Лавров Зуев Петухов Ларин Никулин Серов Терентьев
Зотов Устинов Фокин Самойлов Константинов Сахаров Шишкин Самсонов Черкасов Чистяков Носов
Спиридонов Карасёв Авдеев Воронцов Зверев Селезнёв Нечаев Кудряшов Седов Фирсов Панин Головин
Терехов Ульянов Шестаков Агеев Никонов Баженов Гордеев Кожевников Пахомов Зимин Костин Широков
Гарипов Хабибуллин Сафин Вишневский Никольский Покровский Островский Успенский Жилинский Донской
Луговой Толстой Полевой Рыжий
"""
)
# The same in both genders: «Черных Илья», «Черных Анна»; «Кляпка Ольга», «Кляпка Иван».
_INVARIABLE_SURNAMES = _words("Черных Седых Белых Долгих Кляпка Шевченко Бондаренко Ткаченко Кравченко Ковальчук Дзюба")

SURNAMES: list[str] = _COMMON_SURNAMES + _OTHER_SURNAMES + _INVARIABLE_SURNAMES
_SURNAME_WEIGHTS = [6] * len(_COMMON_SURNAMES) + [1] * len(_OTHER_SURNAMES) + [1] * len(_INVARIABLE_SURNAMES)
_SURNAME_CUM = list(accumulate(_SURNAME_WEIGHTS))
_INVARIABLE = frozenset(_INVARIABLE_SURNAMES)


def feminine_surname(masculine: str) -> str:
    """Иванов → Иванова, Ильин → Ильина, Вишневский → Вишневская, Толстой → Толстая, Черных → Черных."""
    if masculine in _INVARIABLE:
        return masculine
    for ending, replacement in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая"), ("ый", "ая"), ("ий", "ая")):
        if masculine.endswith(ending):
            return masculine[: -len(ending)] + replacement
    if masculine.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return masculine + "а"
    return masculine


def surname_for(masculine: str, gender: str) -> str:
    return masculine if gender == M else feminine_surname(masculine)


# Fathers' names with the patronymics they give: (name, son's, daughter's), and a weight.
# The rare and hard ones (Ильич, Кузьминична, Лукинична, Фоминична) have a low weight.
FATHERS: list[tuple[str, str, str, int]] = [
    ("Александр", "Александрович", "Александровна", 12),
    ("Сергей", "Сергеевич", "Сергеевна", 12),
    ("Андрей", "Андреевич", "Андреевна", 10),
    ("Алексей", "Алексеевич", "Алексеевна", 10),
    ("Дмитрий", "Дмитриевич", "Дмитриевна", 10),
    ("Владимир", "Владимирович", "Владимировна", 8),
    ("Николай", "Николаевич", "Николаевна", 7),
    ("Евгений", "Евгеньевич", "Евгеньевна", 7),
    ("Михаил", "Михайлович", "Михайловна", 7),
    ("Игорь", "Игоревич", "Игоревна", 6),
    ("Иван", "Иванович", "Ивановна", 6),
    ("Максим", "Максимович", "Максимовна", 6),
    ("Олег", "Олегович", "Олеговна", 5),
    ("Юрий", "Юрьевич", "Юрьевна", 5),
    ("Виктор", "Викторович", "Викторовна", 5),
    ("Роман", "Романович", "Романовна", 5),
    ("Денис", "Денисович", "Денисовна", 5),
    ("Павел", "Павлович", "Павловна", 5),
    ("Василий", "Васильевич", "Васильевна", 4),
    ("Анатолий", "Анатольевич", "Анатольевна", 4),
    ("Валерий", "Валерьевич", "Валерьевна", 4),
    ("Геннадий", "Геннадьевич", "Геннадьевна", 3),
    ("Вячеслав", "Вячеславович", "Вячеславовна", 3),
    ("Константин", "Константинович", "Константиновна", 3),
    ("Артём", "Артёмович", "Артёмовна", 3),
    ("Антон", "Антонович", "Антоновна", 3),
    ("Кирилл", "Кириллович", "Кирилловна", 3),
    ("Григорий", "Григорьевич", "Григорьевна", 3),
    ("Пётр", "Петрович", "Петровна", 3),
    ("Фёдор", "Фёдорович", "Фёдоровна", 2),
    ("Степан", "Степанович", "Степановна", 2),
    ("Борис", "Борисович", "Борисовна", 2),
    ("Георгий", "Георгиевич", "Георгиевна", 2),
    ("Станислав", "Станиславович", "Станиславовна", 2),
    ("Эдуард", "Эдуардович", "Эдуардовна", 2),
    ("Вадим", "Вадимович", "Вадимовна", 2),
    ("Руслан", "Русланович", "Руслановна", 2),
    ("Яков", "Яковлевич", "Яковлевна", 1),
    ("Лев", "Львович", "Львовна", 1),
    ("Семён", "Семёнович", "Семёновна", 1),
    ("Аркадий", "Аркадьевич", "Аркадьевна", 1),
    ("Тимур", "Тимурович", "Тимуровна", 1),
    ("Ринат", "Ринатович", "Ринатовна", 1),
    ("Марат", "Маратович", "Маратовна", 1),
    ("Илья", "Ильич", "Ильинична", 2),
    ("Никита", "Никитич", "Никитична", 1),
    ("Кузьма", "Кузьмич", "Кузьминична", 1),
    ("Лука", "Лукич", "Лукинична", 1),
    ("Фома", "Фомич", "Фоминична", 1),
]
_FATHER_CUM = list(accumulate(weight for *_, weight in FATHERS))

MALE_CHILD_NAMES = _words(
    """
Александр Максим Михаил Артём Иван Дмитрий Даниил Кирилл Андрей Егор Никита Илья Алексей Матвей
Тимофей Роман Владимир Ярослав Фёдор Георгий Константин Лев Марк Степан Платон Арсений Глеб
Сергей Денис Тимур Семён Макар Савелий Захар Всеволод
"""
)
FEMALE_CHILD_NAMES = _words(
    """
Анастасия Мария Анна Виктория Полина Елизавета Екатерина Дарья Софья София Алиса Ксения
Александра Варвара Вероника Арина Ульяна Алёна Кира Милана Василиса Ева Валерия Маргарита Таисия
Есения Злата Алина Диана Юлия Вера Стефания
"""
)
MALE_ADULT_NAMES = [name for name, *_ in FATHERS]
FEMALE_ADULT_NAMES = _words(
    """
Елена Ольга Наталья Татьяна Ирина Светлана Екатерина Юлия Анна Марина Людмила Галина Надежда
Оксана Анастасия Мария Евгения Валентина Любовь Лариса Жанна Инна Алла Виктория Кристина Нина
Вера Елизавета Алёна Яна Зинаида Раиса Эльвира
"""
)

# A few Azerbaijani families, with patronymics in «оглы» / «кызы».
AZ_SURNAMES = ["Алиев", "Мамедов", "Гасанов", "Гусейнов"]
AZ_MALE_NAMES = ["Эльчин", "Рустам", "Али", "Тимур", "Эмиль"]
AZ_FEMALE_NAMES = ["Айгюн", "Лейла", "Сабина", "Нармин", "Айсель"]
AZ_FATHERS = [("Рафик", "Рафик оглы", "Рафик кызы"), ("Эльдар", "Эльдар оглы", "Эльдар кызы")]
AZ_FAMILY_SHARE = 0.01

# ---------------------------------------------------------------------------------------------
# Schools, staff, partners
# ---------------------------------------------------------------------------------------------

REGION = "Краснодарский край"
DISTRICT_CENTRE = "ст-ца Заречная"
SETTLEMENTS = [
    "ст-ца Заречная",
    "ст-ца Заречная",
    "х. Красный",
    "пос. Октябрьский",
    "с. Покровское",
    "ст-ца Новоивановская",
    "пос. Южный",
    "х. Садовый",
    "ст-ца Ольгинская",
    "с. Михайловка",
    "пос. Первомайский",
    "х. Лебяжий",
    "ст-ца Успенская",
]
STREETS = ["ул. Ленина", "ул. Красная", "ул. Школьная", "ул. Мира", "ул. Советская", "ул. Садовая", "ул. Гагарина"]

# (position, subjects, weight, share of women)
SUBJECT_TEACHERS: list[tuple[str, str, float, float]] = [
    ("учитель математики", "математика, алгебра, геометрия", 3, 0.85),
    ("учитель русского языка и литературы", "русский язык, литература", 3, 0.97),
    ("учитель английского языка", "английский язык", 2, 0.95),
    ("учитель истории и обществознания", "история, обществознание", 1.5, 0.75),
    ("учитель физической культуры", "физическая культура", 1.5, 0.45),
    ("учитель физики", "физика", 1, 0.7),
    ("учитель химии", "химия", 0.8, 0.85),
    ("учитель биологии", "биология", 0.8, 0.9),
    ("учитель географии", "география", 0.8, 0.85),
    ("учитель информатики", "информатика", 1, 0.55),
    ("учитель музыки", "музыка", 0.5, 0.85),
    ("учитель изобразительного искусства", "изобразительное искусство", 0.5, 0.9),
    ("учитель труда (технологии)", "труд (технология)", 0.7, 0.55),
    ("учитель ОБЗР", "основы безопасности и защиты Родины", 0.5, 0.3),
]
_SUBJECT_CUM = list(accumulate(weight for _, _, weight, _ in SUBJECT_TEACHERS))
PRIMARY_TEACHER = ("учитель начальных классов", "русский язык, литературное чтение, математика, окружающий мир")
PRIMARY_SHARE = 0.28
# Staff every school of a reasonable size has; they have at least 5 years of experience.
CORE_STAFF: list[tuple[str, str]] = [
    ("заместитель директора по УВР", "математика"),
    ("заместитель директора по ВР", "история"),
    ("педагог-психолог", ""),
    ("социальный педагог", ""),
    ("учитель-логопед", ""),
    ("советник директора по воспитанию", ""),
    ("педагог-организатор", ""),
    ("педагог-библиотекарь", ""),
]
YOUNG_SPECIALIST_SHARE = 0.19
WOMEN_AMONG_TEACHERS = 0.85

# Partners by kind; school number n takes the (n-1)-th of each kind (cycling).
PARTNERS: list[list[tuple[str, list[str]]]] = [
    [
        ("ООО «Агрохолдинг «Кубань»»", ["главный агроном", "инженер-механик", "специалист по кадрам"]),
        ("АО «Заречный сахарный завод»", ["инженер-технолог", "мастер смены"]),
        ("ООО «Кубаньагроснаб»", ["менеджер по продажам", "механизатор"]),
        ("ПАО «Россети Кубань», Заречный РЭС", ["инженер", "электромонтёр"]),
    ],
    [
        ("ГБПОУ КК «Заречный аграрно-технологический колледж»", ["преподаватель", "мастер производственного обучения"]),
        ("ГБПОУ КК «Заречный медицинский колледж»", ["преподаватель", "заведующий практикой"]),
        ("ГБУЗ «Заречная центральная районная больница» МЗ КК", ["врач-педиатр", "медицинская сестра"]),
    ],
    [
        (
            "МБУК «Межпоселенческая центральная библиотека Заречного района»",
            ["библиотекарь", "заведующий отделом обслуживания"],
        ),
        ("МБУ ДО «Дом детского творчества Заречного района»", ["педагог дополнительного образования"]),
        ("МКУ «Молодёжный центр Заречного района»", ["специалист по работе с молодёжью"]),
        ("Местное отделение «Движения первых» Заречного района", ["координатор", "куратор проектов"]),
    ],
]


# ---------------------------------------------------------------------------------------------
# The result
# ---------------------------------------------------------------------------------------------


@dataclass
class BuildStats:
    organisations_created: int = 0
    organisations_existing: int = 0
    partners_created: int = 0
    partners_existing: int = 0
    people_created: Counter = field(default_factory=Counter)  # by category
    people_existing: int = 0
    links_created: int = 0
    links_existing: int = 0

    @property
    def people_created_total(self) -> int:
        return sum(self.people_created.values())


@dataclass
class DistrictBuild:
    district: Organisation
    schools: list[Organisation]
    stats: BuildStats


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def inn_for(rng: random.Random, prefix: str = "2336") -> str:
    """A 10-digit INN of a legal entity with a correct control digit."""
    digits = [int(c) for c in prefix] + [rng.randrange(10) for _ in range(9 - len(prefix))]
    control = sum(w * d for w, d in zip((2, 4, 10, 3, 5, 9, 4, 6, 8), digits, strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(control)


def _date_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _years_before(day: date, years: float, rng: random.Random, spread_years: float) -> date:
    """A date about ``years`` (plus up to ``spread_years``) before ``day``."""
    return day - timedelta(days=int(365.25 * years) + rng.randrange(max(1, int(365.25 * spread_years))))


def _surname(rng: random.Random) -> str:
    return SURNAMES[bisect(_SURNAME_CUM, rng.random() * _SURNAME_CUM[-1])]


def _father(rng: random.Random) -> tuple[str, str, str]:
    name, son, daughter, _ = FATHERS[bisect(_FATHER_CUM, rng.random() * _FATHER_CUM[-1])]
    return name, son, daughter


def _patronymic(rng: random.Random, gender: str) -> str:
    _, son, daughter = _father(rng)
    return son if gender == M else daughter


def _adult_name(rng: random.Random, gender: str) -> tuple[str, str, str]:
    """(last, first, patronymic) of an adult."""
    first = rng.choice(MALE_ADULT_NAMES if gender == M else FEMALE_ADULT_NAMES)
    return surname_for(_surname(rng), gender), first, _patronymic(rng, gender)


def school_names(number: int) -> tuple[str, str]:
    full = f"Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № {number}»"
    return full, f"МБОУ СОШ № {number}"


# ---------------------------------------------------------------------------------------------
# One school's people, in memory
# ---------------------------------------------------------------------------------------------


@dataclass
class _Family:
    surname: str  # masculine form
    father: tuple[str, str, str]
    azerbaijani: bool
    children_grades: list[int] = field(default_factory=list)
    parent_keys: list[tuple] = field(default_factory=list)


class _SchoolPeople:
    """Generates the people of one school; keys are unique within the school."""

    def __init__(self, school: Organisation, rng: random.Random):
        self.school = school
        self.rng = rng
        self.people: list[Person] = []
        self.keys: set[tuple] = set()
        self.links: list[tuple[tuple, tuple]] = []  # (parent key, child key)
        self.partner_of: dict[tuple, str] = {}  # person key -> partner name

    def add(self, **fields) -> tuple:
        person = Person(organisation=self.school, **fields)
        key = natural_key(person)
        while key in self.keys:  # a namesake born the same day: move the birthday a day on
            person.birth_date += timedelta(days=1)
            key = natural_key(person)
        self.keys.add(key)
        self.people.append(person)
        return key

    # Students and their parents -------------------------------------------------------------

    def students(self, count: int) -> None:
        weights = [1.15] * 4 + [1.0] * 5 + [0.6] * 2  # fewer pupils stay for grades 10–11
        per_grade = _spread(count, weights)
        families: list[_Family] = []
        for grade, grade_count in enumerate(per_grade, start=1):
            classes = max(1, min(3, -(-grade_count // 20)))
            letters = "АБВ"[:classes]
            for index in range(grade_count):
                family = self._family_for(families, grade)
                self._student(family, grade, letters[index % classes])

    def _family_for(self, families: list[_Family], grade: int) -> _Family:
        rng = self.rng
        if families and rng.random() < 0.12:
            family = rng.choice(families[-40:])
            # An older sibling, at most 4 years older than the first child: the parents' ages
            # were drawn for the first child.
            if len(family.children_grades) < 3 and 0 < grade - family.children_grades[0] <= 4:
                return family
        if rng.random() < AZ_FAMILY_SHARE:
            family = _Family(rng.choice(AZ_SURNAMES), rng.choice(AZ_FATHERS), azerbaijani=True)
        else:
            family = _Family(_surname(rng), _father(rng), azerbaijani=False)
        families.append(family)
        return family

    def _student(self, family: _Family, grade: int, letter: str) -> None:
        rng = self.rng
        gender = M if rng.random() < 0.51 else F
        if family.azerbaijani:
            first = rng.choice(AZ_MALE_NAMES if gender == M else AZ_FEMALE_NAMES)
        else:
            first = rng.choice(MALE_CHILD_NAMES if gender == M else FEMALE_CHILD_NAMES)
        # A first-grader is 6.5–7.5 years old on 1 September; a few started a year late.
        late = 1 if rng.random() < 0.04 else 0
        born_from = date(SCHOOL_YEAR_START.year + 1 - grade - 7 - late, 3, 1)
        birth = _date_between(rng, born_from, date(born_from.year + 1, 2, 28))
        key = self.add(
            last_name=surname_for(family.surname, gender),
            first_name=first,
            patronymic=family.father[1] if gender == M else family.father[2],
            gender=gender,
            birth_date=birth,
            category=Person.Category.STUDENT,
            grade=grade,
            class_letter=letter,
        )
        if not family.children_grades:
            self._parents(family, birth)
        family.children_grades.append(grade)
        self.links.extend((parent_key, key) for parent_key in family.parent_keys)

    def _parents(self, family: _Family, child_birth: date) -> None:
        rng = self.rng
        if rng.random() >= 0.65:  # no parent recorded for about a third of the families
            return
        mother = rng.random() < 0.92
        father = not mother or rng.random() < 0.45
        if mother:
            if family.azerbaijani:
                first, patronymic = rng.choice(AZ_FEMALE_NAMES), rng.choice(AZ_FATHERS)[2]
            else:
                first, patronymic = rng.choice(FEMALE_ADULT_NAMES), _patronymic(rng, F)
            family.parent_keys.append(
                self.add(
                    last_name=surname_for(family.surname, F),
                    first_name=first,
                    patronymic=patronymic,
                    gender=F,
                    birth_date=_years_before(child_birth, 23, rng, 16),
                    category=Person.Category.PARENT,
                )
            )
        if father:
            patronymic = rng.choice(AZ_FATHERS)[1] if family.azerbaijani else _patronymic(rng, M)
            family.parent_keys.append(
                self.add(
                    last_name=family.surname,
                    first_name=family.father[0],
                    patronymic=patronymic,
                    gender=M,
                    birth_date=_years_before(child_birth, 25, rng, 18),
                    category=Person.Category.PARENT,
                )
            )

    # Teachers -------------------------------------------------------------------------------

    def teachers(self, count: int) -> None:
        rng = self.rng
        core = CORE_STAFF[: len(CORE_STAFF) if count >= 20 else max(1, count // 5)]
        rest = count - len(core)
        primary = round(rest * PRIMARY_SHARE)
        positions: list[tuple[str, str, float, bool]] = [(pos, subj, WOMEN_AMONG_TEACHERS, True) for pos, subj in core]
        positions += [(*PRIMARY_TEACHER, 0.97, False)] * primary
        for _ in range(rest - primary):
            pos, subj, _, women = SUBJECT_TEACHERS[bisect(_SUBJECT_CUM, rng.random() * _SUBJECT_CUM[-1])]
            positions.append((pos, subj, women, False))
        # Young specialists (0–3 years) are exactly YOUNG_SPECIALIST_SHARE of the teachers,
        # never among the core staff.
        candidates = [i for i, (*_, is_core) in enumerate(positions) if not is_core]
        young = set(rng.sample(candidates, min(len(candidates), round(count * YOUNG_SPECIALIST_SHARE))))
        for index, (position, subjects, women, is_core) in enumerate(positions):
            gender = F if rng.random() < women else M
            if index in young:
                experience = rng.randint(0, 3)
                age = 21 + experience + rng.randint(0, 4)
            else:
                experience = rng.randint(5 if is_core else 4, 40)
                age = min(70, 22 + experience + rng.randint(0, 10))
            last, first, patronymic = _adult_name(rng, gender)
            self.add(
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                gender=gender,
                birth_date=_years_before(SCHOOL_YEAR_START, age, rng, 1),
                category=Person.Category.TEACHER,
                position=position,
                subjects=subjects,
                experience_years=experience,
            )

    # Graduates and partner employees ------------------------------------------------------

    def graduates(self, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            gender = M if rng.random() < 0.5 else F
            year = rng.randint(2015, 2025)
            first = rng.choice(MALE_CHILD_NAMES if gender == M else FEMALE_CHILD_NAMES)
            self.add(
                last_name=surname_for(_surname(rng), gender),
                first_name=first,
                patronymic=_patronymic(rng, gender),
                gender=gender,
                birth_date=_date_between(rng, date(year - 18, 9, 1), date(year - 17, 8, 31)),
                category=Person.Category.GRADUATE,
                graduation_year=year,
            )

    def partner_employees(self, partners: list[tuple[str, list[str]]]) -> None:
        rng = self.rng
        for name, positions in partners:
            for _ in range(rng.randint(1, 2)):
                gender = M if rng.random() < 0.5 else F
                last, first, patronymic = _adult_name(rng, gender)
                key = self.add(
                    last_name=last,
                    first_name=first,
                    patronymic=patronymic,
                    gender=gender,
                    birth_date=_years_before(SCHOOL_YEAR_START, 25, rng, 30),
                    category=Person.Category.PARTNER_EMPLOYEE,
                    position=rng.choice(positions),
                )
                self.partner_of[key] = name


def _spread(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, summing exactly to ``total``."""
    whole = sum(weights)
    counts = [int(total * w / whole) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1
    return counts


def natural_key(person: Person) -> tuple:
    return (person.organisation_id, person.last_name, person.first_name, person.patronymic, person.birth_date)


# ---------------------------------------------------------------------------------------------
# Writing to the database
# ---------------------------------------------------------------------------------------------


def _organisation(slug: str, defaults: dict, stats: BuildStats) -> Organisation:
    organisation, created = Organisation.objects.get_or_create(slug=slug, defaults=defaults)
    if created:
        stats.organisations_created += 1
    else:
        stats.organisations_existing += 1
    return organisation


def _school_partners(school: Organisation, number: int, rng: random.Random, stats: BuildStats):
    chosen = [kind[(number - 1) % len(kind)] for kind in PARTNERS]
    existing = {p.name: p for p in PartnerOrganisation.objects.filter(organisation=school)}
    missing = []
    for name, _ in chosen:
        # Drawn even when the partner exists, so that the random stream does not depend on it.
        inn = inn_for(rng)
        last, first, patronymic = _adult_name(rng, F if rng.random() < 0.6 else M)
        phone = f"+7 (86135) {rng.randint(2, 7)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
        if name in existing:
            stats.partners_existing += 1
            continue
        missing.append(
            PartnerOrganisation(
                organisation=school, name=name, inn=inn, contact=f"{last} {first} {patronymic}, {phone}"
            )
        )
    if missing:
        PartnerOrganisation.objects.bulk_create(missing)
        stats.partners_created += len(missing)
        existing = {p.name: p for p in PartnerOrganisation.objects.filter(organisation=school)}
    return chosen, existing


def _save_people(school: Organisation, generated: _SchoolPeople, partners: dict, stats: BuildStats) -> None:
    known = {
        (school.pk, *row[1:]): row[0]
        for row in Person.objects.filter(organisation=school).values_list(
            "pk", "last_name", "first_name", "patronymic", "birth_date"
        )
    }
    new = []
    for person in generated.people:
        key = natural_key(person)
        if key in known:
            stats.people_existing += 1
            continue
        if key in generated.partner_of:
            person.partner = partners[generated.partner_of[key]]
        new.append(person)
    if new:
        Person.objects.bulk_create(new, batch_size=BATCH_SIZE)
        stats.people_created.update(person.category for person in new)
        if any(person.pk is None for person in new):  # a backend that returns no ids
            known = {
                (school.pk, *row[1:]): row[0]
                for row in Person.objects.filter(organisation=school).values_list(
                    "pk", "last_name", "first_name", "patronymic", "birth_date"
                )
            }
        else:
            known.update((natural_key(person), person.pk) for person in new)

    existing_links = set(ParentLink.objects.filter(organisation=school).values_list("parent_id", "child_id"))
    new_links = []
    for parent_key, child_key in generated.links:
        pair = (known[parent_key], known[child_key])
        if pair in existing_links:
            stats.links_existing += 1
            continue
        existing_links.add(pair)
        new_links.append(ParentLink(organisation=school, parent_id=pair[0], child_id=pair[1]))
    if new_links:
        ParentLink.objects.bulk_create(new_links, batch_size=BATCH_SIZE)
        stats.links_created += len(new_links)


CONSENT_SHARE = 0.85  # of students and staff; the rest is what the curator still has to collect
CONSENTS_SIGNED_ON = date(2026, 9, 7)


def _age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _populate_consents_and_bases(school: Organisation, rng: random.Random) -> None:
    """Consents signed in September (by a parent for minors) and this year's mentor and mentee
    bases, so that a new school is not a wall of empty pages. Skipped when the school has consents."""
    if Consent.objects.filter(organisation=school).exists():
        return
    text = ConsentText.objects.filter(purpose=ConsentPurpose.PARTICIPATION, is_current=True).first()
    if text is None:
        return
    # Its own generator: the draws of the other demo data stay as they were.
    transfer_rng = random.Random(f"transfer-{school.slug}")  # noqa: S311
    transfer_texts = {
        t.purpose: t for t in ConsentText.objects.filter(purpose=ConsentPurpose.AUTHORITY_TRANSFER, is_current=True)
    }
    parent_of = dict(
        ParentLink.objects.filter(organisation=school)
        .order_by("child_id", "parent_id")
        .values_list("child_id", "parent_id")
    )
    people = list(
        Person.objects.filter(organisation=school)
        .exclude(category=Person.Category.PARENT)
        .order_by("pk")
        .only("pk", "category", "birth_date", "grade", "experience_years")
    )
    consents, consented = [], []
    for person in people:
        if rng.random() > CONSENT_SHARE:
            continue
        age = _age_on(person.birth_date, CONSENTS_SIGNED_ON)
        minor = age is not None and age < school.consent_adult_age
        if minor and person.pk not in parent_of:
            continue
        consents.append(
            Consent(
                organisation=school,
                person_id=person.pk,
                purpose=ConsentPurpose.PARTICIPATION,
                text=text,
                representative_id=parent_of[person.pk] if minor else None,
                signed_by_subject=not minor or age >= school.consent_cosign_age,
                signed_on=CONSENTS_SIGNED_ON,
            )
        )
        consented.append(person)
        # 156-ФЗ: the transfer to the authority is a separate consent; most gave it, some still have the
        # one carried over from the old bundled text, a few none (counted, not named, in the district).
        transfer_text = transfer_texts.get(ConsentPurpose.AUTHORITY_TRANSFER)
        draw = transfer_rng.random()
        if transfer_text is not None and draw < 0.9:
            consents.append(
                Consent(
                    organisation=school,
                    person_id=person.pk,
                    purpose=ConsentPurpose.AUTHORITY_TRANSFER,
                    text=transfer_text,
                    text_sha256=transfer_text.sha256,
                    bundled=draw >= 0.8,
                    representative_id=parent_of[person.pk] if minor else None,
                    signed_by_subject=not minor or age >= school.consent_cosign_age,
                    signed_on=CONSENTS_SIGNED_ON,
                )
            )
    Consent.objects.bulk_create(consents, batch_size=BATCH_SIZE)

    year = SCHOOL_YEAR_START.year
    own_staff = {Person.Category.TEACHER, Person.Category.STUDENT}
    mentors = [
        p
        for p in consented
        if (p.category == Person.Category.TEACHER and (p.experience_years or 0) > 5 and rng.random() < 0.5)
        or (p.category == Person.Category.STUDENT and (p.grade or 0) >= 9 and rng.random() < 0.15)
        or p.category in {Person.Category.GRADUATE, Person.Category.PARTNER_EMPLOYEE}
    ]
    mentees = [
        p
        for p in consented
        if (p.category == Person.Category.STUDENT and (p.grade or 0) in range(5, 9) and rng.random() < 0.25)
        or (p.category == Person.Category.TEACHER and p.experience_years is not None and p.experience_years <= 3)
    ]
    MentorEntry.objects.bulk_create(
        [
            MentorEntry(
                organisation=school,
                person_id=p.pk,
                school_year=year,
                # External mentors stay candidates until their certificates are brought in.
                status=MentorEntry.Status.APPROVED if p.category in own_staff else MentorEntry.Status.CANDIDATE,
                approved_on=CONSENTS_SIGNED_ON if p.category in own_staff else None,
                capacity=rng.choice([1, 2, 3]),
                competencies=rng.choice(MENTOR_COMPETENCIES),
            )
            for p in mentors
        ],
        batch_size=BATCH_SIZE,
    )
    MenteeEntry.objects.bulk_create(
        [
            MenteeEntry(
                organisation=school,
                person_id=p.pk,
                school_year=year,
                status=MenteeEntry.Status.INCLUDED,
                need_kind=MenteeEntry.NeedKind.PROFESSIONAL
                if p.category == Person.Category.TEACHER
                else rng.choice([MenteeEntry.NeedKind.EDUCATIONAL, MenteeEntry.NeedKind.SOCIAL]),
                needs=rng.choice(MENTEE_NEEDS[p.category]),
            )
            for p in mentees
        ],
        batch_size=BATCH_SIZE,
    )


MENTOR_COMPETENCIES = [
    "подготовка к олимпиадам и конкурсам",
    "проектная и исследовательская деятельность",
    "методика урока, работа с классом",
    "профориентация, знакомство с профессией",
    "робототехника и программирование",
    "адаптация в новом коллективе",
]
MENTEE_NEEDS = {
    Person.Category.STUDENT: [
        "трудности с математикой",
        "низкая мотивация к учёбе",
        "адаптация после перехода в новую школу",
        "интерес к исследовательским проектам",
    ],
    Person.Category.TEACHER: [
        "дисциплина на уроке",
        "подготовка рабочих программ",
        "работа с родителями",
    ],
}


def populate_district(
    *,
    slug_prefix: str = "",
    schools: int = 3,
    students_per_school: int = 200,
    teachers_per_school: int = 20,
    graduates_per_school: int | None = None,
    seed: int = DEMO_SEED,
    director_names: dict[int, str] | None = None,
) -> DistrictBuild:
    """Creates (or finds) the district «<prefix>zarechny» and its schools «<prefix>school-N» with people."""
    stats = BuildStats()
    director_names = director_names or {}
    if graduates_per_school is None:
        graduates_per_school = max(2, round(students_per_school * 0.015))
    with transaction.atomic():
        # Demo data, not secrets: a seeded non-cryptographic generator is what we want.
        rng = random.Random(f"{seed}-district")  # noqa: S311
        district = _organisation(
            f"{slug_prefix}{DEMO_DISTRICT_SLUG}",
            {
                "kind": Organisation.Kind.DISTRICT,
                "full_name": "Управление образования администрации Заречного муниципального района",
                "short_name": "УО Заречного района",
                "address": f"353100, {REGION}, Заречный район, {DISTRICT_CENTRE}, ул. Красная, 24",
                "town": DISTRICT_CENTRE,
                "inn": inn_for(rng),
                "order_number_suffix": "-ОД",
                "director_name": " ".join(_adult_name(rng, F)),
                "director_position": "Начальник управления образования",
            },
            stats,
        )
        built_schools = []
        for number in range(1, schools + 1):
            rng = random.Random(f"{seed}-school-{number}")  # noqa: S311
            full_name, short_name = school_names(number)
            town = SETTLEMENTS[(number - 1) % len(SETTLEMENTS)]
            director = " ".join(_adult_name(rng, F if rng.random() < 0.7 else M))
            school = _organisation(
                f"{slug_prefix}school-{number}",
                {
                    "kind": Organisation.Kind.SCHOOL,
                    "parent": district,
                    "full_name": full_name,
                    "short_name": short_name,
                    "address": (
                        f"{353100 + number * 7}, {REGION}, Заречный район, {town}, "
                        f"{rng.choice(STREETS)}, {rng.randint(1, 120)}"
                    ),
                    "town": town,
                    "inn": inn_for(rng),
                    "order_number_suffix": "-ОД",
                    "director_name": director_names.get(number, director),
                    "director_position": "Директор",
                },
                stats,
            )
            chosen_partners, partners = _school_partners(school, number, rng, stats)
            generated = _SchoolPeople(school, rng)
            generated.teachers(teachers_per_school)
            generated.students(students_per_school)
            generated.graduates(graduates_per_school)
            generated.partner_employees(chosen_partners)
            _save_people(school, generated, partners, stats)
            _populate_consents_and_bases(school, rng)
            built_schools.append(school)
    return DistrictBuild(district=district, schools=built_schools, stats=stats)


def build_district(
    *, slug_prefix: str, schools: int, students_per_school: int, teachers_per_school: int, seed: int
) -> Organisation:
    """The district with its schools and people, created or found; see ``populate_district``."""
    return populate_district(
        slug_prefix=slug_prefix,
        schools=schools,
        students_per_school=students_per_school,
        teachers_per_school=teachers_per_school,
        seed=seed,
    ).district


# ---------------------------------------------------------------------------------------------
# Demo users
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: tuple[str, str, str]  # last, first, patronymic
    gender: str
    memberships: tuple[tuple[str, str], ...]  # (organisation slug, role)
    superuser: bool = False
    # The staff record of the school for a school employee: (position, subjects, experience, birth date).
    staff: tuple[str, str, int, date] | None = None


DEMO_USERS: list[DemoUser] = [
    DemoUser(
        "director",
        ("Громов", "Сергей", "Ильич"),
        M,
        (("school-1", Role.DIRECTOR),),
        staff=("директор", "история", 27, date(1972, 4, 18)),
    ),
    DemoUser(
        "deputy",
        ("Соколова", "Марина", "Кузьминична"),
        F,
        (("school-1", Role.DEPUTY_DIRECTOR),),
        staff=("заместитель директора по УВР", "математика", 19, date(1979, 11, 2)),
    ),
    DemoUser(
        "curator",
        ("Николаева", "Ольга", "Андреевна"),
        F,
        (("school-1", Role.CURATOR),),
        staff=("заместитель директора по ВР", "русский язык, литература", 14, date(1985, 6, 9)),
    ),
    DemoUser(
        "methodist",
        ("Мамедова", "Айгюн", "Рафик кызы"),
        F,
        (("school-1", Role.METHODIST),),
        staff=("методист", "английский язык", 11, date(1988, 2, 23)),
    ),
    DemoUser(
        "mentor",
        ("Кляпка", "Ольга", "Викторовна"),
        F,
        (("school-1", Role.MENTOR),),
        staff=("учитель математики", "математика, алгебра, геометрия", 24, date(1976, 9, 30)),
    ),
    DemoUser("district", ("Бондаренко", "Татьяна", "Петровна"), F, (("zarechny", Role.DISTRICT_OFFICER),)),
    DemoUser(
        "admin",
        ("Черных", "Илья", "Сергеевич"),
        M,
        (("zarechny", Role.ADMINISTRATOR), ("school-1", Role.ADMINISTRATOR)),
        superuser=True,
    ),
    DemoUser(
        "curator2",
        ("Вишневская", "Елена", "Юрьевна"),
        F,
        (("school-2", Role.CURATOR),),
        staff=("заместитель директора по УВР", "биология, химия", 16, date(1983, 3, 14)),
    ),
    # The finished programme (school-3): entry vs exit questionnaires, the closing orders.
    DemoUser(
        "curator3",
        ("Ахмедов", "Руслан", "Тимур оглы"),
        M,
        (("school-3", Role.CURATOR),),
        staff=("заместитель директора по НМР", "физика", 12, date(1987, 7, 21)),
    ),
    # The chief accountant gives the visa on the pay orders of school-1's approval route.
    DemoUser("accountant", ("Белова", "Нина", "Петровна"), F, (("school-1", Role.ACCOUNTANT),)),
]


@dataclass
class DemoUsersResult:
    users: list  # of User, in the order of DEMO_USERS
    created: int
    existing: int
    staff_records_created: int
    staff_records_existing: int


def ensure_demo_users(*, users: list[DemoUser] = DEMO_USERS) -> DemoUsersResult:
    """Creates the demo users, their memberships and their staff records; finds existing ones.

    Existing users keep their password: a second run changes nothing.
    """
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once, shared by the demo users
    slugs = {slug for spec in users for slug, _ in spec.memberships}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    with transaction.atomic():
        found = {u.username: u for u in User.objects.filter(username__in=[spec.username for spec in users])}
        new = []
        for spec in users:
            if spec.username in found:
                continue
            last, first, patronymic = spec.name
            user = User(
                username=spec.username,
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                password=password,
                is_staff=spec.superuser,
                is_superuser=spec.superuser,
            )
            new.append(user)
        for user in new:
            user.save()
            found[user.username] = user

        memberships = set(
            Membership.objects.filter(user__in=found.values()).values_list("user_id", "organisation_id", "role")
        )
        Membership.objects.bulk_create(
            [
                Membership(user=found[spec.username], organisation=organisations[slug], role=role)
                for spec in users
                for slug, role in spec.memberships
                if (found[spec.username].pk, organisations[slug].pk, role) not in memberships
            ]
        )

        staff_with_records = set(
            Person.objects.filter(user__in=found.values()).values_list("user_id", "organisation_id")
        )
        records = []
        for spec in users:
            if spec.staff is None:
                continue
            user = found[spec.username]
            school = organisations[spec.memberships[0][0]]
            if (user.pk, school.pk) in staff_with_records:
                continue
            position, subjects, experience, birth_date = spec.staff
            last, first, patronymic = spec.name
            records.append(
                Person(
                    organisation=school,
                    last_name=last,
                    first_name=first,
                    patronymic=patronymic,
                    gender=spec.gender,
                    birth_date=birth_date,
                    category=Person.Category.TEACHER,
                    position=position,
                    subjects=subjects,
                    experience_years=experience,
                    user=user,
                )
            )
        Person.objects.bulk_create(records)
    return DemoUsersResult(
        users=[found[spec.username] for spec in users],
        created=len(new),
        existing=len(users) - len(new),
        staff_records_created=len(records),
        staff_records_existing=sum(1 for spec in users if spec.staff) - len(records),
    )


def load_demo() -> tuple[DistrictBuild, DemoUsersResult]:
    """The demo district «zarechny» with three schools of ≈ 200 students each, and the demo users."""
    directors = {1: " ".join(DEMO_USERS[0].name)}
    with transaction.atomic():
        build = populate_district(
            slug_prefix="", schools=3, students_per_school=200, teachers_per_school=20, director_names=directors
        )
        users = ensure_demo_users()
    return build, users


def populate_school(
    school: Organisation, *, number: int, students: int, teachers: int, seed: int = DEMO_SEED
) -> BuildStats:
    """People of one more school (the demo region's small district): the generator of
    ``populate_district``, with the school's own random stream. Only for a school without people."""
    stats = BuildStats()
    rng = random.Random(f"{seed}-{school.slug}-{number}")  # noqa: S311
    chosen_partners, partners = _school_partners(school, number, rng, stats)
    generated = _SchoolPeople(school, rng)
    generated.teachers(teachers)
    generated.students(students)
    generated.graduates(max(2, round(students * 0.015)))
    generated.partner_employees(chosen_partners)
    _save_people(school, generated, partners, stats)
    _populate_consents_and_bases(school, rng)
    return stats
