"""Browser flow: a curator creates the roadmap from the standard template, marks an item done with a
comment, sees completion change and downloads the XLSX."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from organisations.school_year import current_school_year
from organisations.tests.factories import TEST_PASSWORD, MembershipFactory, SchoolFactory
from roadmap.models import Evidence, Occurrence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIRST_ITEM = "Издание приказа о внедрении целевой модели наставничества"


@pytest.fixture
def curator(db):
    school = SchoolFactory(slug="school-1", short_name="МБОУ СОШ № 1")
    return MembershipFactory(organisation=school, role="curator", user__username="curator").user


def _log_in(page, username):
    page.goto(page.live_server_url + "/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/o/school-1/")


def test_curator_creates_roadmap_marks_item_done_and_downloads_xlsx(curator, browser_page, screenshots_dir):
    page = browser_page
    year = current_school_year()
    _log_in(page, "curator")
    page.get_by_role("link", name="Дорожная карта", exact=True).click()
    page.get_by_role("link", name="Создать дорожную карту").click()
    page.get_by_label("Типовая дорожная карта ЦМН").check()
    page.get_by_role("button", name="Создать").click()
    page.wait_for_url(re.compile(r"/roadmap/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Дорожная карта внедрения целевой модели наставничества на {year}/{year + 1} учебный год"
    )
    assert page.get_by_test_id("roadmap-section").count() == 7
    before = page.get_by_test_id("roadmap-completion").inner_text()

    row = page.get_by_test_id("roadmap-item").filter(has_text=FIRST_ITEM)
    assert f"сентябрь {year} г." in row.inner_text()
    row.get_by_role("link", name="Отметить выполнение").click()
    page.wait_for_url(re.compile(r"/occurrences/\d+/done/"))
    page.get_by_label("Дата выполнения").fill(f"{year}-09-01")
    page.get_by_label("Комментарий").fill("Приказ от 01.09 № 56-ОД подписан, Положение утверждено")
    page.get_by_role("button", name="Выполнено").click()
    page.wait_for_url(re.compile(r"/roadmap/\d+/(#item-\d+)?$"))

    expect(page.get_by_role("alert").filter(has_text="Выполнение отмечено.")).to_be_visible()
    after = page.get_by_test_id("roadmap-completion").inner_text()
    assert after != before
    assert re.search(r"в срок 1 из \d+", after), after
    row = page.get_by_test_id("roadmap-item").filter(has_text=FIRST_ITEM)
    assert "выполнено" in row.get_by_test_id("item-progress").inner_text()
    occurrence = Occurrence.objects.get(item__content__startswith=FIRST_ITEM)
    assert (occurrence.status, occurrence.done_by) == ("done", curator)
    assert Evidence.objects.get(occurrence=occurrence).comment.startswith("Приказ от 01.09")
    page.screenshot(path=screenshots_dir / "roadmap-table.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать XLSX").click()
    download = download_info.value
    assert download.suggested_filename.startswith("roadmap-school-1-") and download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(open(download.path(), "rb").read()), read_only=True)  # noqa: SIM115
    rows = [row for row in workbook.active.iter_rows(values_only=True) if row and row[0]]
    first = next(row for row in rows if str(row[0]).startswith(FIRST_ITEM))
    assert first[1] == f"сентябрь {year} г."
    assert first[8] == "выполнено"
