"""Browser flows of the participants part on the demo school: list import, consents, the mentor
base, the access journal, rights of a methodist and the pages at a phone's width."""

import io
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from organisations.school_year import current_school_year
from participants.models import AccessLogEntry, Consent, ConsentPurpose, ImportBatch, MentorEntry, ParentLink, Person
from participants.services import age_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "nastavnik-demo"
SCHOOL = "school-1"
IMPORT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
PHONE = {"width": 390, "height": 844}
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # Uploaded lists and scans go to a temporary directory, not to var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _log_in(page, username):
    page.goto(page.live_server_url + "/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"**/o/{SCHOOL}/")


def _open_participants_menu(page, item):
    page.get_by_role("button", name="Участники").click()
    page.get_by_role("link", name=item, exact=True).click()


def _school_url(page, path=""):
    return f"{page.live_server_url}/o/{SCHOOL}/people/{path}"


def _search_people(page, text):
    page.get_by_label("Поиск по ФИО").fill(text)
    page.get_by_role("button", name="Найти").click()
    page.wait_for_url(re.compile(r"\?.*q="))


def _alert(page, text):
    return page.get_by_role("alert").filter(has_text=text)


# --- 1. Import of a class list -----------------------------------------------------------


def test_curator_imports_a_messy_class_list(demo, browser_page):
    page = browser_page
    _log_in(page, "curator")
    _open_participants_menu(page, "Загрузка списков")
    expect(page.get_by_role("heading", name="Загрузка списков классов и педагогов")).to_be_visible()

    page.get_by_label("Файл со списком").set_input_files(IMPORT_FIXTURES / "class_7b_messy.xlsx")
    page.get_by_role("button", name="Проверить файл").click()
    page.wait_for_url(re.compile(r"/people/import/\d+/$"))

    expect(page.get_by_role("heading", name="Проверка списка «class_7b_messy.xlsx»")).to_be_visible()
    assert "Список класса, лист «7Б», названия столбцов в строке 3." in page.get_by_test_id("import-meta").inner_text()
    counts = page.get_by_test_id("import-counts").inner_text()
    assert re.search(r"Новые\s+8\b", counts), counts
    assert re.search(r"Ошибки\s+0\b", counts), counts
    expect(page.get_by_role("heading", name="Будут добавлены: 8 человек")).to_be_visible()
    created_rows = page.get_by_test_id("import-create")
    expect(created_rows.get_by_role("cell", name="Ёлкина Алёна Викторовна")).to_be_visible()
    expect(created_rows.get_by_role("cell", name="Сидоров Иван Петрович")).to_be_visible()  # written in capitals
    assert not Person.objects.filter(organisation=demo, last_name="Ёлкина").exists()  # nothing written yet

    page.get_by_role("button", name="Загрузить").click()
    page.wait_for_url(_school_url(page))
    expect(_alert(page, "Список «class_7b_messy.xlsx» загружен: добавлено 8 человек.")).to_be_visible()

    _search_people(page, "ёлкина")
    expect(page.get_by_text("Найдено: 1 человек")).to_be_visible()
    page.get_by_role("link", name="Ёлкина Алёна Викторовна").click()
    expect(page.get_by_role("heading", level=1, name="Ёлкина Алёна Викторовна")).to_be_visible()
    expect(page.get_by_text("Обучающийся, 7Б класс")).to_be_visible()

    batch = ImportBatch.objects.get(organisation=demo)
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.summary["result"] == {"created": 8, "updated": 0}
    elkina = Person.objects.get(organisation=demo, last_name="Ёлкина")
    assert (elkina.grade, elkina.class_letter, str(elkina.birth_date)) == (7, "Б", "2012-12-12")


def test_a_picture_renamed_to_xlsx_is_refused_in_russian(demo, browser_page):
    page = browser_page
    _log_in(page, "curator")
    page.goto(_school_url(page, "import/"))
    page.get_by_label("Файл со списком").set_input_files(IMPORT_FIXTURES / "photo.xlsx")
    page.get_by_role("button", name="Проверить файл").click()

    error = page.get_by_text("Файл «photo.xlsx» — не таблица, а изображение PNG.")
    error.wait_for()
    assert page.url == _school_url(page, "import/")
    assert page.get_by_label("Файл со списком").get_attribute("aria-invalid") == "true"
    expect(page.get_by_text("Списков ещё не загружали.")).to_be_visible()
    assert not ImportBatch.objects.exists()


# --- 2. A consent signed by a parent, and the consent form PDF ----------------------------


def _student_of_13_with_a_parent(school):
    today = timezone.localdate()
    valid = Consent.objects.filter(purpose=ConsentPurpose.PARTICIPATION, status=Consent.Status.VALID)
    children = set(ParentLink.objects.filter(organisation=school).values_list("child_id", flat=True))
    students = (
        Person.objects.filter(organisation=school, category=Person.Category.STUDENT, pk__in=children)
        .exclude(pk__in=valid.values("person_id"))
        .order_by("pk")
    )
    student = next(p for p in students if p.birth_date and age_on(birth_date=p.birth_date, on=today) == 13)
    parent = Person.objects.filter(children_links__child=student).order_by("last_name", "first_name").first()
    return student, parent


def _fill_consent_form(page, parent, signed_on):
    page.get_by_label("Цель согласия").select_option(label="участие в программе наставничества")
    page.get_by_label("Законный представитель").select_option(label=parent.full_name)
    page.get_by_label("Дата подписания").fill(signed_on.isoformat())
    page.get_by_role("button", name="Внести согласие").click()


def test_curator_records_a_parents_consent_and_prints_the_form(demo, browser_page):
    student, parent = _student_of_13_with_a_parent(demo)
    signed_on = timezone.localdate()
    page = browser_page
    _log_in(page, "curator")
    _open_participants_menu(page, "Все участники")
    _search_people(page, student.full_name.lower())
    page.get_by_role("link", name=student.full_name).click()
    expect(page.get_by_role("heading", level=1, name=student.full_name)).to_be_visible()
    consents = page.get_by_test_id("person-consents")
    expect(consents.get_by_text("Согласий пока нет.")).to_be_visible()

    consents.get_by_role("link", name="Добавить согласие").click()
    expect(
        page.get_by_text("Участник несовершеннолетний: согласие подписывает законный представитель.")
    ).to_be_visible()
    _fill_consent_form(page, parent, signed_on)

    page.wait_for_url(re.compile(rf"/people/{student.pk}/#consents$"))
    expect(_alert(page, f"от {signed_on:%d.%m.%Y} внесено.")).to_be_visible()
    row = consents.get_by_role("row").filter(has_text="участие в программе наставничества")
    expect(row.get_by_text("действует")).to_be_visible()
    expect(row.get_by_text(f"законный представитель {parent.short_name}")).to_be_visible()
    expect(row.get_by_text(f"{signed_on:%d.%m.%Y}")).to_be_visible()
    consent = Consent.objects.get(person=student, status=Consent.Status.VALID)
    assert (consent.purpose, consent.representative, consent.signed_on) == (
        ConsentPurpose.PARTICIPATION,
        parent,
        signed_on,
    )
    assert consent.recorded_by.username == "curator"

    # The same consent once more: refused, and the reason stands next to the purpose.
    consents.get_by_role("link", name="Добавить согласие").click()
    _fill_consent_form(page, parent, signed_on)
    purpose = page.get_by_label("Цель согласия")
    assert purpose.get_attribute("aria-invalid") == "true"
    duplicate = (
        f"У участника уже есть действующее согласие с целью «участие в программе наставничества» "
        f"от {signed_on:%d.%m.%Y}. Чтобы внести новое, сначала отметьте отзыв прежнего."
    )
    error = page.locator(f"#{purpose.get_attribute('aria-describedby').split()[0]}")
    assert error.inner_text() == duplicate
    expect(error).to_be_visible()
    assert Consent.objects.filter(person=student).count() == 1

    # The pre-filled form for the next time, as a PDF.
    page.get_by_role("link", name="Отмена").click()
    # Chromium shows the PDF inline rather than downloading it: fetch the link with the session.
    link = page.get_by_role("link", name="Бланк согласия на участие (PDF)")
    response = page.request.get(page.live_server_url + link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert f"Согласие — {student.full_name}.pdf" in unquote(response.headers["content-disposition"])
    data = response.body()
    assert data.startswith(b"%PDF-")
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages)
    assert student.full_name in " ".join(text.split())


# --- 3. A teacher into the mentor base with the bulk action -------------------------------


def test_curator_adds_a_teacher_to_the_mentor_base_from_the_list(demo, browser_page):
    year = current_school_year()
    teacher = (
        Person.objects.filter(organisation=demo, category=Person.Category.TEACHER)
        .exclude(mentor_entries__school_year=year)
        .order_by("pk")
        .first()
    )
    page = browser_page
    _log_in(page, "curator")
    _open_participants_menu(page, "Все участники")
    page.get_by_label("Категория").select_option(label="Педагог")
    _search_people(page, teacher.last_name.lower())
    page.get_by_role("checkbox", name=f"Выбрать: {teacher.full_name}").check()
    page.get_by_role("button", name="Выбранных — в базу наставников").click()

    expect(_alert(page, "В базу наставников добавлено: 1 человек.")).to_be_visible()
    assert MentorEntry.objects.filter(organisation=demo, person=teacher, school_year=year).count() == 1

    _open_participants_menu(page, "База наставников")
    expect(page.get_by_role("heading", name=re.compile("^База наставников"))).to_be_visible()
    row = page.get_by_test_id("mentor-table").get_by_role("row").filter(has_text=teacher.full_name)
    expect(row.get_by_role("link", name=teacher.full_name)).to_be_visible()
    expect(row.get_by_text("кандидат", exact=False)).to_be_visible()


# --- 4. The access journal -----------------------------------------------------------------


def test_director_sees_the_curators_views_in_the_access_journal(demo, browser_page):
    student = Person.objects.filter(organisation=demo, category=Person.Category.STUDENT).order_by("pk").first()
    page = browser_page
    _log_in(page, "curator")
    _open_participants_menu(page, "Все участники")
    _search_people(page, student.last_name.lower())
    page.get_by_role("link", name=student.full_name).click()
    expect(page.get_by_role("heading", level=1, name=student.full_name)).to_be_visible()
    page.get_by_role("button", name="Николаева Ольга Андреевна").click()
    page.get_by_role("button", name="Выйти").click()
    page.get_by_label("Имя пользователя").wait_for()

    _log_in(page, "director")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Журнал доступа").click()
    expect(page.get_by_role("heading", name="Журнал доступа к персональным данным")).to_be_visible()
    curators = page.get_by_role("row").filter(has_text="Николаева Ольга Андреевна")
    card = curators.filter(has_text="Карточка участника")
    assert card.count() == 1
    expect(card.get_by_role("cell", name="просмотр", exact=True)).to_be_visible()
    expect(card.get_by_role("link", name=student.short_name)).to_be_visible()
    assert curators.filter(has_text="Список участников").count() == 2  # the whole list, then the search
    assert AccessLogEntry.objects.filter(user__username="curator", person=student, what="Карточка участника").exists()


# --- 5. A methodist may look but not change -----------------------------------------------


def test_methodist_sees_the_list_without_edit_actions_and_cannot_import(demo, browser_page):
    page = browser_page
    _log_in(page, "methodist")
    page.get_by_role("button", name="Участники").click()
    assert page.get_by_role("link", name="Загрузка списков").count() == 0
    page.get_by_role("link", name="Все участники").click()
    expect(page.get_by_role("heading", level=1, name="Участники")).to_be_visible()
    assert page.get_by_role("row").count() > 1
    assert page.get_by_role("link", name="Добавить участника").count() == 0
    assert page.get_by_role("link", name="Загрузить список").count() == 0
    assert page.get_by_role("button", name="Выбранных — в базу наставников").count() == 0
    assert page.get_by_role("button", name="Выбранных — в базу наставляемых").count() == 0

    response = page.goto(_school_url(page, "import/"))
    assert response.status == 403
    expect(page.get_by_role("heading", name="Доступ запрещён")).to_be_visible()
    expect(page.get_by_text("Недостаточно прав: действие «ведение баз участников» недоступно")).to_be_visible()


# --- 6. Lists at a phone's width -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "path", "heading"),
    [
        pytest.param("people-list", "", "Участники", id="people-list"),
        pytest.param("consent-list", "consents/", "Согласия на обработку персональных данных", id="consent-list"),
        pytest.param("mentor-base", "mentors/", re.compile("^База наставников"), id="mentor-base"),
    ],
)
def test_list_fits_a_phone_screen(demo, browser_page, screenshots_dir, name, path, heading):
    page = browser_page
    _log_in(page, "curator")
    page.goto(_school_url(page, path))
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    expect(page.locator(".table-responsive table").first).to_be_visible()
    page.screenshot(path=screenshots_dir / f"{name}-desktop.png", full_page=True)

    page.set_viewport_size(PHONE)
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    page.screenshot(path=screenshots_dir / f"{name}-phone.png", full_page=True)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), f"{name}: the page is {widths[0]}px wide on a {widths[1]}px screen"
