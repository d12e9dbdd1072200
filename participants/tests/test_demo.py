from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from organisations.models import Membership, Organisation
from organisations.roles import Role
from participants.demo import DEMO_PASSWORD, build_district, feminine_surname, inn_for
from participants.models import ParentLink, PartnerOrganisation, Person

User = get_user_model()


@pytest.fixture
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(fast_hashing):
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, Person, ParentLink, PartnerOrganisation, User, Membership)
    }


@pytest.mark.django_db
def test_load_demo_creates_a_district_with_three_schools(demo):
    district = Organisation.objects.get(slug="zarechny")
    assert district.is_district
    assert district.short_name == "УО Заречного района"
    schools = list(district.schools.order_by("slug"))
    assert [s.slug for s in schools] == ["school-1", "school-2", "school-3"]
    school = schools[1]
    assert school.short_name == "МБОУ СОШ № 2"
    assert school.full_name == (
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 2»"
    )
    assert len(school.inn) == 10 and school.inn.isdigit()
    assert school.order_number_suffix == "-ОД"
    assert school.director_position == "Директор"
    assert school.director_name and school.address and school.town
    for school in schools:
        assert PartnerOrganisation.objects.filter(organisation=school).count() == 3
        assert school.people.filter(category=Person.Category.PARTNER_EMPLOYEE).exists()
        assert school.people.filter(category=Person.Category.GRADUATE).exists()


@pytest.mark.django_db
def test_students_fill_grades_1_to_11_with_birth_dates_matching_the_grade(demo):
    students = Person.objects.filter(category=Person.Category.STUDENT)
    assert 550 <= students.count() <= 650
    for school in Organisation.objects.filter(kind=Organisation.Kind.SCHOOL):
        assert set(school.people.filter(category=Person.Category.STUDENT).values_list("grade", flat=True)) == set(
            range(1, 12)
        )
    assert set(students.values_list("class_letter", flat=True)) <= {"А", "Б", "В"}
    start = date(2026, 9, 1)
    for grade, birth_date in students.values_list("grade", "birth_date"):
        age = (start - birth_date).days / 365.25
        assert grade + 5.4 <= age <= grade + 7.6, (grade, birth_date)


@pytest.mark.django_db
def test_teachers_include_young_specialists(demo):
    teachers = list(Person.objects.filter(category=Person.Category.TEACHER))
    assert 50 <= len(teachers) <= 80
    young = [t for t in teachers if t.is_young_specialist]
    assert 0.10 <= len(young) / len(teachers) <= 0.25
    positions = {t.position for t in teachers}
    assert {"учитель начальных классов", "педагог-психолог", "заместитель директора по УВР"} <= positions
    assert all(t.position and t.experience_years is not None for t in teachers)


@pytest.mark.django_db
def test_parents_are_linked_to_children_of_the_same_school(demo):
    links = list(ParentLink.objects.select_related("parent", "child"))
    assert len(links) > 300
    for link in links:
        parent, child = link.parent, link.child
        assert link.organisation_id == parent.organisation_id == child.organisation_id
        assert parent.category == Person.Category.PARENT
        assert child.category == Person.Category.STUDENT
        assert (child.birth_date - parent.birth_date).days > 18 * 365
        # The same surname, in the parent's gender form: Иванов / Иванова, Черных / Черных.
        if parent.gender == child.gender:
            assert parent.last_name == child.last_name
        elif parent.gender == "F":
            assert parent.last_name == feminine_surname(child.last_name)
        else:
            assert child.last_name == feminine_surname(parent.last_name)
    with_parents = {link.child_id for link in links}
    students = Person.objects.filter(category=Person.Category.STUDENT).count()
    assert 0.3 < len(with_parents) / students < 0.9
    per_child = Counter(link.child_id for link in links)
    assert set(per_child.values()) == {1, 2}


@pytest.mark.django_db
def test_a_user_for_each_role_with_the_demo_password(demo):
    expected = {
        "director": ("school-1", Role.DIRECTOR),
        "deputy": ("school-1", Role.DEPUTY_DIRECTOR),
        "curator": ("school-1", Role.CURATOR),
        "methodist": ("school-1", Role.METHODIST),
        "mentor": ("school-1", Role.MENTOR),
        "district": ("zarechny", Role.DISTRICT_OFFICER),
        "curator2": ("school-2", Role.CURATOR),
        "curator3": ("school-3", Role.CURATOR),
    }
    for username, (slug, role) in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.last_name and user.first_name and user.patronymic
        assert set(user.memberships.values_list("organisation__slug", "role")) == {(slug, role)}
    admin = User.objects.get(username="admin")
    assert admin.check_password(DEMO_PASSWORD)
    assert admin.is_staff and admin.is_superuser
    assert set(admin.memberships.values_list("organisation__slug", "role")) == {
        ("zarechny", Role.ADMINISTRATOR),
        ("school-1", Role.ADMINISTRATOR),
    }
    assert DEMO_PASSWORD in demo
    assert "http://127.0.0.1:8000/" in demo
    assert "curator2" in demo and "Специалист УО" in demo


@pytest.mark.django_db
def test_a_second_run_creates_nothing(demo):
    before = counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "Участники: создано 0" in out.getvalue()
    assert "Пользователи: создано 0" in out.getvalue()


@pytest.mark.django_db
def test_build_district_is_deterministic_and_idempotent():
    district = build_district(slug_prefix="t-", schools=2, students_per_school=30, teachers_per_school=5, seed=1)
    assert district.slug == "t-zarechny"
    names = sorted(Person.objects.values_list("last_name", "first_name", "patronymic", "birth_date"))
    build_district(slug_prefix="t-", schools=2, students_per_school=30, teachers_per_school=5, seed=1)
    assert sorted(Person.objects.values_list("last_name", "first_name", "patronymic", "birth_date")) == names


@pytest.mark.parametrize(
    ("masculine", "feminine"),
    [
        ("Иванов", "Иванова"),
        ("Ильин", "Ильина"),
        ("Вишневский", "Вишневская"),
        ("Толстой", "Толстая"),
        ("Черных", "Черных"),
        ("Кляпка", "Кляпка"),
        ("Шевченко", "Шевченко"),
    ],
)
def test_feminine_surname(masculine, feminine):
    assert feminine_surname(masculine) == feminine


def test_inn_has_a_valid_control_digit():
    import random

    inn = inn_for(random.Random(5))
    digits = [int(c) for c in inn]
    assert len(digits) == 10
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    assert digits[9] == sum(w * d for w, d in zip(weights, digits, strict=False)) % 11 % 10
