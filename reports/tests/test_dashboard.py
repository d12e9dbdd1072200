from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.tests.factories import SchoolFactory
from participants.tests.factories import ParentLinkFactory, PersonFactory, TeacherFactory


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_school_dashboard_shows_the_seven_stages_and_people(client, school_a, curator_a):
    PersonFactory.create_batch(3, organisation=school_a)
    TeacherFactory(organisation=school_a, experience_years=2)
    TeacherFactory(organisation=school_a, experience_years=20)
    client.force_login(curator_a)
    content = client.get(school_a.get_absolute_url()).content.decode()
    for stage in (
        "Подготовка условий",
        "Формирование базы наставляемых",
        "Формирование базы наставников",
        "Отбор и обучение наставников",
        "Формирование пар и групп",
        "Организация работы пар и групп",
        "Завершение программы",
    ):
        assert stage in content
    assert "из них молодых специалистов: 1" in content
    assert "Всего в базе школы 5 участников." in content


def test_empty_school_dashboard_says_what_to_do(client, school_a, curator_a):
    client.force_login(curator_a)
    assert "Начните с загрузки списков" in client.get(school_a.get_absolute_url()).content.decode()


def test_school_dashboard_query_count_does_not_grow_with_people(client, school_a, curator_a):
    client.force_login(curator_a)
    PersonFactory(organisation=school_a)
    few = _queries(client, school_a.get_absolute_url())
    PersonFactory.create_batch(30, organisation=school_a)
    TeacherFactory.create_batch(5, organisation=school_a)
    ParentLinkFactory.create_batch(5, child__organisation=school_a)
    assert _queries(client, school_a.get_absolute_url()) == few


def test_district_dashboard_lists_schools_with_their_counts_and_totals(client, district, school_a, district_officer):
    school_b = SchoolFactory(slug="school-b", parent=district, short_name="МБОУ СОШ № 2")
    PersonFactory.create_batch(4, organisation=school_a)
    PersonFactory.create_batch(2, organisation=school_b)
    TeacherFactory(organisation=school_b, experience_years=1)
    client.force_login(district_officer)
    response = client.get(district.get_absolute_url())
    schools = {school.slug: school for school in response.context["schools"]}
    assert (schools["school-a"].students, schools["school-b"].students) == (4, 2)
    assert schools["school-b"].young_specialists == 1
    assert response.context["totals"] == {"people_total": 7, "students": 6, "teachers": 1, "young_specialists": 1}
    assert "2 школы в районе" in response.content.decode()


def test_district_dashboard_query_count_does_not_grow_with_schools(client, district, school_a, district_officer):
    client.force_login(district_officer)
    few = _queries(client, district.get_absolute_url())
    for n in range(5):
        school = SchoolFactory(slug=f"extra-{n}", parent=district)
        PersonFactory.create_batch(3, organisation=school)
    assert _queries(client, district.get_absolute_url()) == few


def test_empty_district_says_how_schools_are_added(client, district_officer, district):
    client.force_login(district_officer)
    assert "ни одна школа" in client.get(reverse("reports:dashboard", kwargs={"org": district.slug})).content.decode()
