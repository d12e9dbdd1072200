"""Browser flow: a curator drafts a pairs order from the standard template, edits a point with the
live preview, submits it; the director approves it; both files are downloaded and read back."""

import io
import re

import pytest
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from mentorship.models import Pair
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from organisations.tests.factories import TEST_PASSWORD, MembershipFactory, SchoolFactory
from participants.tests.factories import TeacherFactory
from reports.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school(reference_data):
    school = SchoolFactory(
        slug="school-1",
        short_name="МБОУ СОШ № 1",
        full_name="Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»",
        director_name="Кляпка Ольга Викторовна",
        order_number_suffix="-ОД",
    )
    MembershipFactory(organisation=school, role="curator", user__username="curator")
    MembershipFactory(organisation=school, role="director", user__username="director")
    programme = ProgrammeFactory(organisation=school, title="Шаг вперёд")
    for surname in ("Черных", "Николаева"):
        mentor = TeacherFactory(organisation=school, last_name=surname)
        PairFactory(organisation=school, programme=programme, mentor=mentor, status=Pair.Status.DRAFT)
    return school


def _log_in(page, username):
    page.context.clear_cookies()
    page.goto(page.live_server_url + "/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/o/school-1/")


def test_pairs_order_drafted_submitted_approved_and_downloaded(school, browser_page, screenshots_dir):
    page = browser_page
    _log_in(page, "curator")
    page.get_by_role("link", name="Приказы", exact=True).click()
    page.get_by_test_id("empty-orders").wait_for()
    page.get_by_role("link", name="Новый приказ").click()
    page.get_by_label("Вид приказа").select_option("pairs")
    page.get_by_role("button", name="Составить проект").click()
    page.wait_for_url(re.compile(r"/orders/\d+/edit/$"))

    # Both draft pairs are in the order; the preview shows them in the appendix.
    preview = page.get_by_test_id("order-preview")
    assert "Черных" in preview.inner_text() and "Николаева" in preview.inner_text()

    # Edit the first point: the preview follows without saving.
    first_point = page.get_by_test_id("order-points").get_by_label("Содержание пункта").first
    first_point.fill("Закрепить наставнические пары согласно приложению № 1 с 1 ноября.")
    expect(preview).to_contain_text("с 1 ноября")
    page.screenshot(path=screenshots_dir / "order-edit.png", full_page=True)
    page.get_by_role("button", name="Сохранить и передать на утверждение").click()
    page.wait_for_url(re.compile(r"/orders/\d+/$"))
    page.screenshot(path=screenshots_dir / "order-submitted.png", full_page=True)
    assert "на утверждении" in page.get_by_role("heading", level=1).locator("..").inner_text()

    _log_in(page, "director")
    page.goto(page.live_server_url + "/o/school-1/orders/")
    page.get_by_test_id("orders-waiting").wait_for()
    page.get_by_test_id("order-table").get_by_role("link").first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Утвердить").click()
    page.get_by_text("Приказ утверждён и зарегистрирован").wait_for()
    order = Order.objects.get()
    assert order.status == Order.Status.APPROVED and order.number_label == "1-ОД"
    assert set(Pair.objects.values_list("status", flat=True)) == {Pair.Status.ACTIVE}
    page.screenshot(path=screenshots_dir / "order-approved.png", full_page=True)

    # The PDF opens in the browser's viewer: fetch it the way the link does, with the session.
    pdf_url = page.get_by_test_id("order-downloads").get_by_role("link", name="PDF").get_attribute("href")
    pdf = page.request.get(page.live_server_url + pdf_url)
    assert pdf.headers["content-type"] == "application/pdf"
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    flat = " ".join(pdf_text.split())
    assert "ПРИКАЗ" in flat and "№ 1-ОД" in flat
    assert "с 1 ноября" in flat
    assert "Черных" in flat and "Лист ознакомления" in flat

    with page.expect_download() as docx_info:
        page.get_by_test_id("order-downloads").get_by_role("link", name="DOCX").click()
    document = Document(io.BytesIO(open(docx_info.value.path(), "rb").read()))  # noqa: SIM115
    # Non-breaking spaces keep «№ 1-ОД» on one line; read them as spaces.
    text = "\n".join(p.text for p in document.paragraphs).replace("\xa0", " ")
    cells = " ".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "№ 1-ОД" in text and "с 1 ноября" in text
    assert "Черных" in cells
