"""The new school year walked in Chromium on the demo school: the promotion, the new lists
uploaded, the diff with a decision, «Применить», the year archived, «Отменить переход»."""

import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from mentorship.models import YearChange
from mentorship.services_year import proposed_to_year
from organisations.models import Organisation
from organisations.tests.test_browser_accessibility import axe_problems
from participants.models import Person, PersonYearRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "nastavnik-demo"
SCHOOL = "school-1"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _new_lists(tmp_path):
    """The demo school's students one class up; two left, the last grade gone, one newcomer."""
    school = Organisation.objects.get(slug=SCHOOL)
    students = list(
        school.people.filter(category=Person.Category.STUDENT, grade__isnull=False, left_on__isnull=True).order_by("pk")
    )
    last = max(person.grade for person in students)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ФИО", "Класс", "Дата рождения"])
    kept = [person for person in students if person.grade < last][2:]
    for person in kept:
        sheet.append([person.full_name, f"{person.grade + 1}{person.class_letter}", person.birth_date])
    sheet.append(["Новенький Никита Ильич", "1А", "01.02.2019"])
    path = tmp_path / "списки.xlsx"
    workbook.save(path)
    return path, len(students) - len(kept)


def test_curator_walks_the_year_change(demo, browser_page, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    page = browser_page
    to_year = proposed_to_year()
    page.goto(page.live_server_url + "/")
    page.get_by_label("Имя пользователя").fill("curator")
    page.get_by_label("Пароль").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"**/o/{SCHOOL}/")
    page.get_by_role("button", name="Участники").click()
    page.get_by_role("link", name="Новый учебный год", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("^Новый учебный год"))).to_be_visible()
    expect(page.get_by_test_id("year-promotion")).to_contain_text("выпускники")

    path, gone = _new_lists(tmp_path)
    page.get_by_label("Списки нового учебного года").set_input_files(path)
    page.get_by_role("button", name="Сравнить со списками").click()
    expect(page.get_by_role("alert").filter(has_text="Списки сравнены")).to_be_visible()
    counts = page.get_by_test_id("year-counts")
    expect(counts).to_contain_text("Новые обучающиеся: 1")
    expect(counts).to_contain_text(f"Нет в новых списках: {gone}")
    problems = axe_problems(Axe(), page, "year change diff")
    assert not problems, "\n".join(problems)
    # At a phone's width the page does not scroll sideways (wide tables scroll inside their frame).
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    problems = axe_problems(Axe(), page, "year change diff at 390 px")
    assert not problems, "\n".join(problems)
    page.set_viewport_size({"width": 1280, "height": 900})

    # One who left is kept by hand; then everything is applied at once.
    left_table = page.get_by_test_id("year-left")
    left_table.get_by_role("radio", name="оставить как есть").first.check()
    page.get_by_test_id("year-apply").click()
    expect(page.get_by_test_id("year-applied")).to_be_visible()
    change = YearChange.objects.get(organisation__slug=SCHOOL, to_year=to_year)
    assert change.status == YearChange.Status.APPLIED
    assert PersonYearRecord.objects.filter(organisation=change.organisation, school_year=to_year - 1).exists()
    assert Person.objects.filter(organisation=change.organisation, last_name="Новенький").exists()

    page.get_by_test_id("year-undo").click()
    expect(page.get_by_role("alert").filter(has_text="Переход отменён")).to_be_visible()
    change.refresh_from_db()
    assert change.status == YearChange.Status.UNDONE
    assert not Person.objects.filter(organisation=change.organisation, last_name="Новенький").exists()
