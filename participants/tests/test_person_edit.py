import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from participants.models import AccessLogEntry, MenteeEntry, ParentLink, Person
from participants.tests.factories import ParentLinkFactory, PartnerFactory, PersonFactory, TeacherFactory

STUDENT = {
    "category": "student",
    "last_name": "Черных",
    "first_name": "Илья",
    "patronymic": "Сергеевич",
    "gender": "M",
    "birth_date": "2013-03-08",
    "grade": "7",
    "class_letter": "б",
    "position": "учитель",  # not a student's field: cleared
    "tags_text": "#Робототехника, шахматы",
}


def test_curator_adds_a_student_with_tags(client, school_a, curator_a):
    client.force_login(curator_a)
    response = client.post(reverse("participants:person_add", kwargs={"org": school_a.slug}), STUDENT, follow=True)
    assert "Запись «Черных Илья Сергеевич» создана." in response.content.decode()
    person = school_a.people.get()
    assert (person.class_name, person.position, person.birth_date) == ("7Б", "", datetime.date(2013, 3, 8))
    assert sorted(tag.name for tag in person.tags.all()) == ["робототехника", "шахматы"]
    assert AccessLogEntry.objects.filter(person=person, action="change").exists()


def test_student_without_class_and_future_birth_date_are_explained(client, school_a, curator_a):
    client.force_login(curator_a)
    data = {**STUDENT, "grade": "", "birth_date": "2099-01-01"}
    response = client.post(reverse("participants:person_add", kwargs={"org": school_a.slug}), data)
    content = response.content.decode()
    assert "Укажите класс обучающегося." in content
    assert "Дата рождения не может быть в будущем." in content
    assert not school_a.people.exists()


def test_malformed_date_is_explained(client, school_a, curator_a):
    client.force_login(curator_a)
    data = {**STUDENT, "birth_date": "31.02.2013"}
    response = client.post(reverse("participants:person_add", kwargs={"org": school_a.slug}), data)
    assert "Введите правильную дату." in response.content.decode()


def test_partner_of_another_school_cannot_be_chosen(client, school_a, school_b, curator_a):
    foreign_partner = PartnerFactory(organisation=school_b)
    client.force_login(curator_a)
    data = {**STUDENT, "category": "partner_employee", "grade": "", "partner": foreign_partner.pk}
    response = client.post(reverse("participants:person_add", kwargs={"org": school_a.slug}), data)
    assert "Выберите корректный вариант" in response.content.decode()
    assert not school_a.people.exists()


def test_editing_a_teacher_keeps_teacher_fields(client, school_a, curator_a):
    teacher = TeacherFactory(organisation=school_a)
    client.force_login(curator_a)
    data = {
        "category": "teacher",
        "last_name": teacher.last_name,
        "first_name": teacher.first_name,
        "patronymic": teacher.patronymic,
        "gender": "F",
        "position": "учитель физики",
        "subjects": "физика, астрономия",
        "experience_years": "2",
    }
    client.post(reverse("participants:person_edit", kwargs={"org": school_a.slug, "pk": teacher.pk}), data)
    teacher.refresh_from_db()
    assert teacher.position == "учитель физики" and teacher.is_young_specialist


def test_delete_person(client, school_a, curator_a):
    person = PersonFactory(organisation=school_a)
    client.force_login(curator_a)
    response = client.post(
        reverse("participants:person_delete", kwargs={"org": school_a.slug, "pk": person.pk}), follow=True
    )
    assert "удалена" in response.content.decode()
    assert not Person.objects.filter(pk=person.pk).exists()


def test_parent_is_created_and_linked_then_unlinked(client, school_a, curator_a):
    child = PersonFactory(organisation=school_a, last_name="Кляпка")
    client.force_login(curator_a)
    url = reverse("participants:parent_add", kwargs={"org": school_a.slug, "pk": child.pk})
    assert client.get(url).context["form"]["last_name"].initial == "Кляпка"
    client.post(url, {"last_name": "Кляпка", "first_name": "Ольга", "patronymic": "Викторовна", "gender": "F"})
    link = ParentLink.objects.get(child=child)
    assert (link.parent.category, link.parent.full_name, link.organisation) == (
        "parent",
        "Кляпка Ольга Викторовна",
        school_a,
    )
    unlink = reverse(
        "participants:parent_unlink", kwargs={"org": school_a.slug, "pk": child.pk, "parent_pk": link.parent_id}
    )
    client.post(unlink)
    assert not ParentLink.objects.filter(child=child).exists()


def test_new_parent_needs_a_name(client, school_a, curator_a):
    child = PersonFactory(organisation=school_a)
    client.force_login(curator_a)
    response = client.post(reverse("participants:parent_add", kwargs={"org": school_a.slug, "pk": child.pk}), {})
    assert "Заполните поле или выберите родителя из базы школы." in response.content.decode()
    assert not ParentLink.objects.exists()


def test_bulk_add_to_mentee_base(client, school_a, curator_a):
    people = PersonFactory.create_batch(3, organisation=school_a)
    client.force_login(curator_a)
    url = reverse("participants:person_bulk_base", kwargs={"org": school_a.slug})
    response = client.post(url, {"base": "mentee", "person": [p.pk for p in people]}, follow=True)
    assert "В базу наставляемых добавлено: 3 человека." in response.content.decode()
    assert MenteeEntry.objects.filter(organisation=school_a).count() == 3
    assert AccessLogEntry.objects.get(what="Добавление в базу наставляемых").people_count == 3
    card = client.get(people[0].get_absolute_url()).content.decode()
    assert "Запись базы наставляемых: создание" in card
    response = client.post(url, {"base": "mentee", "person": [people[0].pk]}, follow=True)
    assert "Уже были в базе: 1." in response.content.decode()


def test_bulk_without_selection_is_explained(client, school_a, curator_a):
    client.force_login(curator_a)
    url = reverse("participants:person_bulk_base", kwargs={"org": school_a.slug})
    response = client.post(url, {"base": "mentor"}, follow=True)
    assert "Отметьте хотя бы одного человека" in response.content.decode()


def test_list_filters_by_tag_and_consent_and_shows_consent_badges(client, school_a, curator_a):
    from participants.tests.factories_consents import consent_for

    tagged = PersonFactory(organisation=school_a, last_name="Сидоров")
    client.force_login(curator_a)
    client.post(
        reverse("participants:person_edit", kwargs={"org": school_a.slug, "pk": tagged.pk}),
        {**STUDENT, "last_name": "Сидоров", "tags_text": "шахматы"},
    )
    consent_for(PersonFactory(organisation=school_a, last_name="Согласный"))
    tag = school_a.tags.get(name="шахматы")
    list_url = reverse("participants:person_list", kwargs={"org": school_a.slug})
    by_tag = client.get(list_url, {"tags": tag.pk}).context["object_list"]
    assert [p.last_name for p in by_tag] == ["Сидоров"]
    with_consent = client.get(list_url, {"consent": "valid"})
    assert [p.last_name for p in with_consent.context["object_list"]] == ["Согласный"]
    without = client.get(list_url, {"consent": "missing"}).context["object_list"]
    assert [p.last_name for p in without] == ["Сидоров"]


def test_list_query_count_stays_flat_with_tags_and_consents(client, school_a, curator_a):
    from participants.tests.factories_consents import consent_for

    client.force_login(curator_a)
    url = reverse("participants:person_list", kwargs={"org": school_a.slug})
    PersonFactory(organisation=school_a)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for person in PersonFactory.create_batch(20, organisation=school_a):
        consent_for(person)
    ParentLinkFactory.create_batch(3, child__organisation=school_a)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_views_of_people_are_recorded_and_the_director_reads_the_journal(client, school_a, curator_a, director_a):
    person = PersonFactory(organisation=school_a, last_name="Черных")
    client.force_login(curator_a)
    client.get(person.get_absolute_url())
    client.get(reverse("participants:person_list", kwargs={"org": school_a.slug}))
    client.force_login(director_a)
    journal = client.get(reverse("participants:access_log", kwargs={"org": school_a.slug}), {"action": "view"})
    entries = list(journal.context["object_list"])
    assert sorted((e.user, e.what) for e in entries) == [
        (curator_a, "Карточка участника"),
        (curator_a, "Список участников"),
    ]
    assert next(e for e in entries if e.what == "Карточка участника").person == person
    by_person = client.get(reverse("participants:access_log", kwargs={"org": school_a.slug}), {"q": "черных"})
    assert [e.what for e in by_person.context["object_list"]] == ["Карточка участника"]


def test_journal_export(client, school_a, curator_a, director_a):
    client.force_login(curator_a)
    client.get(PersonFactory(organisation=school_a, last_name="Черных").get_absolute_url())
    client.force_login(director_a)
    url = reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "access-journal"})
    workbook = load_workbook(io.BytesIO(client.get(url).content))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert "Карточка участника" in values
    assert any(isinstance(v, str) and v.startswith("Черных") for v in values)
    client.force_login(curator_a)
    assert client.get(url).status_code == 403


def test_person_card_shows_the_history_of_changes(client, school_a, curator_a):
    client.force_login(curator_a)
    client.post(reverse("participants:person_add", kwargs={"org": school_a.slug}), STUDENT)
    person = school_a.people.get()
    client.post(
        reverse("participants:person_edit", kwargs={"org": school_a.slug, "pk": person.pk}),
        {**STUDENT, "grade": "8"},
    )
    response = client.get(person.get_absolute_url())
    history = response.context["history"]
    assert [entry.action for entry in history][:2] == [1, 0]
    content = response.content.decode()
    assert "Участник: изменение" in content and "Участник: создание" in content
    assert "класс (параллель):</span> 7 → 8" in content
    assert "Николаева Ольга Андреевна" in content  # who made the change


def test_person_is_linked_to_an_account_of_the_school_only(client, school_a, curator_a, curator_b):
    teacher = TeacherFactory(organisation=school_a)
    client.force_login(curator_a)
    url = reverse("participants:person_edit", kwargs={"org": school_a.slug, "pk": teacher.pk})
    data = {
        "category": "teacher",
        "last_name": teacher.last_name,
        "first_name": teacher.first_name,
        "patronymic": teacher.patronymic,
        "gender": "F",
    }
    foreign = client.post(url, {**data, "user": curator_b.pk})
    assert "Выберите корректный вариант" in foreign.content.decode()
    client.post(url, {**data, "user": curator_a.pk})
    teacher.refresh_from_db()
    assert teacher.user == curator_a


def test_parent_search_as_you_type_returns_a_few_matches_of_this_school(
    client, school_a, school_b, curator_a, django_assert_max_num_queries
):
    child = PersonFactory(organisation=school_a, last_name="Кляпка")
    for n in range(30):
        PersonFactory(organisation=school_a, category="parent", grade=None, class_letter="", last_name=f"Петрова{n}")
    PersonFactory(
        organisation=school_a,
        category="parent",
        grade=None,
        class_letter="",
        last_name="Сидорова",
        email="s@example.org",
    )
    PersonFactory(organisation=school_b, category="parent", grade=None, class_letter="", last_name="Сидорова")
    PersonFactory(organisation=school_a, category="student", last_name="Сидоров")
    client.force_login(curator_a)
    url = reverse("participants:parent_search", kwargs={"org": school_a.slug, "pk": child.pk})

    with django_assert_max_num_queries(12):
        page = client.get(url, {"q": "петров"}).content.decode()
    assert page.count('type="radio"') == 8 and "уточните запрос" in page
    page = client.get(url, {"q": "сидор"}).content.decode()
    assert page.count('type="radio"') == 1 and "s@example.org" in page
    assert "хотя бы две буквы" in client.get(url, {"q": "с"}).content.decode()
    assert "нет родителя «Ёжиков»" in client.get(url, {"q": "Ёжиков"}).content.decode()

    # The form takes the found one; a parent of another school is refused.
    found = school_a.people.get(last_name="Сидорова")
    add = reverse("participants:parent_add", kwargs={"org": school_a.slug, "pk": child.pk})
    foreign = school_b.people.get(last_name="Сидорова")
    response = client.post(add, {"existing": foreign.pk})
    assert "Выберите родителя из найденных в базе школы." in response.content.decode()
    client.post(add, {"existing": found.pk})
    assert ParentLink.objects.get(child=child).parent == found


def test_a_new_parent_gets_an_email_for_the_electronic_consent(client, school_a, curator_a):
    child = PersonFactory(organisation=school_a)
    client.force_login(curator_a)
    url = reverse("participants:parent_add", kwargs={"org": school_a.slug, "pk": child.pk})
    client.post(url, {"last_name": "Кляпка", "first_name": "Ольга", "gender": "F", "email": "o@example.org"})
    assert ParentLink.objects.get(child=child).parent.email == "o@example.org"
