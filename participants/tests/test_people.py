from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.tests.factories import ParentLinkFactory, PartnerFactory, PersonFactory, TeacherFactory


def _list_url(school, **params):
    url = reverse("participants:person_list", kwargs={"org": school.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_list_shows_people_of_the_school_only(client, school_a, school_b, curator_a):
    PersonFactory(organisation=school_a, last_name="Черных", first_name="Илья")
    PersonFactory(organisation=school_b, last_name="Кляпка", first_name="Ольга")
    client.force_login(curator_a)
    content = client.get(_list_url(school_a)).content.decode()
    assert "Черных Илья" in content
    assert "Кляпка" not in content
    assert "Найдено: 1 человек" in content


def test_search_by_name_and_filter_by_class(client, school_a, curator_a):
    PersonFactory(organisation=school_a, last_name="Николаева", first_name="Ольга", grade=5)
    PersonFactory(organisation=school_a, last_name="Николаев", first_name="Пётр", grade=9)
    TeacherFactory(organisation=school_a, last_name="Яковенко")
    client.force_login(curator_a)
    found = client.get(_list_url(school_a, q="николаев ольга")).context["object_list"]
    assert [p.last_name for p in found] == ["Николаева"]
    ninth = client.get(_list_url(school_a, grade=9)).context["object_list"]
    assert [p.last_name for p in ninth] == ["Николаев"]
    teachers = client.get(_list_url(school_a, category="teacher")).context["object_list"]
    assert [p.last_name for p in teachers] == ["Яковенко"]


def test_bad_filter_value_is_explained(client, school_a, curator_a):
    client.force_login(curator_a)
    content = client.get(_list_url(school_a, grade=12)).content.decode()
    assert "Убедитесь, что это значение меньше либо равно 11" in content


def test_list_paginates_and_query_count_does_not_grow(client, school_a, curator_a):
    client.force_login(curator_a)
    PersonFactory(organisation=school_a)
    with CaptureQueriesContext(connection) as few:
        client.get(_list_url(school_a))
    partner = PartnerFactory(organisation=school_a)
    PersonFactory.create_batch(60, organisation=school_a)
    PersonFactory.create_batch(
        5, organisation=school_a, category="partner_employee", grade=None, class_letter="", partner=partner
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(_list_url(school_a))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(response.context["object_list"]) == 50
    assert "Страница 1 из 2" in response.content.decode()


def test_empty_list_tells_what_to_do(client, school_a, curator_a):
    client.force_login(curator_a)
    assert "загрузки списков классов и педагогов" in client.get(_list_url(school_a)).content.decode()
    assert "Никого не нашлось" in client.get(_list_url(school_a, q="Нет")).content.decode()


def test_person_card_shows_category_details_and_family(client, school_a, curator_a):
    link = ParentLinkFactory(
        child__organisation=school_a,
        child__last_name="Черных",
        parent__last_name="Черных",
        parent__first_name="Анна",
        parent__patronymic="Викторовна",
        parent__gender="F",
    )
    client.force_login(curator_a)
    child_page = client.get(link.child.get_absolute_url()).content.decode()
    assert "7Б класс" in child_page
    assert "17 мая 2012 г." in child_page
    assert "Родители" in child_page and "Черных Анна Викторовна" in child_page
    parent_page = client.get(link.parent.get_absolute_url()).content.decode()
    assert "Дети" in parent_page and link.child.full_name in parent_page


def test_young_specialist_is_marked(client, school_a, curator_a):
    teacher = TeacherFactory(organisation=school_a, experience_years=2)
    client.force_login(curator_a)
    assert "молодой специалист" in client.get(teacher.get_absolute_url()).content.decode()
