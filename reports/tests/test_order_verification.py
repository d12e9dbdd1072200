"""ГОСТ Р 7.0.97-2025 on orders: the document's QR code on the first page (PDF and DOCX) leads to
a public verification page (registration data, status, SHA-256 of the approved PDF, nothing
personal); the electronic-signature mark in the signature's place."""

import datetime
import hashlib
import io
import os
import pathlib
import re
import shutil
import subprocess

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from docx import Document
from PIL import Image
from pypdf import PdfReader

from mentorship.models import Pair
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from participants.tests.factories import PersonFactory, TeacherFactory
from reports.models import Order, OrderKind
from reports.orders.services import (
    order_amend,
    order_approve,
    order_cancel,
    order_draft,
    order_esign_mark,
    order_save,
    order_submit,
)
from reports.orders.verification import order_by_token

PDFTOPPM = shutil.which("pdftoppm")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(PDFTOPPM is None, reason="poppler-utils (pdftoppm) is not installed"),
]

ORDER_DATE = datetime.date(2026, 10, 25)
POINTS = [
    {"action": "Закрепить наставнические пары согласно приложению № 1.", "responsible": "", "deadline": "до 01.11.2026"}
]
# Everyone the order names: none of them may appear on the public page.
NAMES = ["Черных", "Яковенко", "Петров", "Сидорова"]
ESIGN = {
    "certificate": "01D7A3C5E2B94F10000000000000A1B2",
    "owner": "Кляпка Ольга Викторовна",
    "valid_from": "2026-09-01",
    "valid_to": "2027-09-01",
}


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def draft(school_a, curator_a):
    school_a.director_name = "Кляпка Ольга Викторовна"
    school_a.save()
    programme = ProgrammeFactory(organisation=school_a)
    mentors = [
        TeacherFactory(organisation=school_a, last_name="Черных", first_name="Илья", patronymic="Петрович", gender="M"),
        TeacherFactory(organisation=school_a, last_name="Яковенко", first_name="Оксана", patronymic="Николаевна"),
    ]
    mentees = [
        PersonFactory(organisation=school_a, last_name="Петров", first_name="Артём", grade=7, class_letter="Б"),
        PersonFactory(organisation=school_a, last_name="Сидорова", first_name="Анна", gender="F", grade=8),
    ]
    pairs = [
        PairFactory(organisation=school_a, programme=programme, mentor=m, status=Pair.Status.DRAFT, mentees=[e])
        for m, e in zip(mentors, mentees, strict=True)
    ]
    order = order_draft(organisation=school_a, kind=OrderKind.PAIRS, user=curator_a, programme=programme)
    order = order_save(order=order, fields={"preamble": "В соответствии с Положением,"}, points=POINTS, pairs=pairs)
    order_submit(order=order, user=curator_a)
    return order


@pytest.fixture
def approved(client, draft, director_a, freezer_date):
    """Approved through the page, as a director does: the QR code prints the site's own address."""
    client.force_login(director_a)
    response = client.post(reverse("reports:order_approve", kwargs={"org": draft.organisation.slug, "pk": draft.pk}))
    assert response.status_code == 302
    client.logout()
    return Order.objects.get(pk=draft.pk)


@pytest.fixture
def freezer_date(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: ORDER_DATE)


def _download(client, user, name, order) -> bytes:
    client.force_login(user)
    response = client.get(reverse(f"reports:{name}", kwargs={"org": order.organisation.slug, "pk": order.pk}))
    assert response.status_code == 200
    client.logout()
    return b"".join(response.streaming_content) if response.streaming else response.content


def _page_images(pdf: bytes, tmp_path, *, dpi: int = 300) -> list[Image.Image]:
    (tmp_path / "order.pdf").write_bytes(pdf)
    subprocess.run(  # noqa: S603 - poppler's pdftoppm on a file we wrote
        [PDFTOPPM, "-r", str(dpi), "-png", str(tmp_path / "order.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=120,
    )
    return [Image.open(path) for path in sorted(tmp_path.glob("page-*.png"))]


def _codes(image: Image.Image) -> list:
    return [code for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]


def _verify_page(client, url: str) -> str:
    path = re.sub(r"^https?://[^/]+", "", url)
    response = client.get(path)
    assert response.status_code == 200
    return _flat(response.content.decode())


def test_the_qr_code_on_the_first_page_of_an_approved_order_decodes_to_its_verification_link(
    client, approved, curator_a, tmp_path
):
    pdf = _download(client, curator_a, "order_pdf", approved)
    pages = _page_images(pdf, tmp_path)
    assert len(pages) >= 2

    codes = _codes(pages[0])
    assert len(codes) == 1
    lines = codes[0].text.split("\n")
    assert lines == ["МБОУ СОШ № 1", "Приказ от 25.10.2026 № 1-ОД", approved.verification_url]
    assert re.fullmatch(r"http://testserver/verify/[A-Za-z0-9_-]{32}/", approved.verification_url)

    # The lower right corner of the first page, below the text; the other pages carry no code.
    width, height = pages[0].size
    corner = codes[0].position.top_left
    assert corner.x > width * 0.75 and corner.y > height * 0.88
    assert all(not _codes(page) for page in pages[1:])


def test_the_verification_page_shows_status_and_the_hash_of_the_downloaded_pdf_and_no_names(
    client, approved, curator_a
):
    pdf = _download(client, curator_a, "order_pdf", approved)
    assert _download(client, curator_a, "order_pdf", approved) == pdf  # the stored file, every time

    page = _verify_page(client, approved.verification_url)  # anonymous: no login needed
    assert "Статус в силе" in re.sub(r"<[^>]+>", " ", page).replace("  ", " ") or "в силе" in page
    assert "№&nbsp;1-ОД" in page and "25.10.2026" in page and approved.organisation.full_name in page
    assert hashlib.sha256(pdf).hexdigest() in page
    assert approved.approved_pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert approved.approved_pdf.name.startswith(f"private/{approved.organisation_id}/order/")
    for name in [*NAMES, "Кляпка", approved.title]:
        assert name not in page


def test_a_draft_has_no_qr_code(client, draft, curator_a, tmp_path):
    pdf = _download(client, curator_a, "order_pdf", draft)
    assert not _codes(_page_images(pdf, tmp_path, dpi=200)[0])
    assert not draft.verification_token


def test_another_token_gives_404(client, approved):
    token = approved.verification_token
    other = ("A" if token[0] != "A" else "B") + token[1:]
    assert client.get(reverse("document_verify", kwargs={"token": other})).status_code == 404
    assert client.get(reverse("document_verify", kwargs={"token": "x" * 200})).status_code == 404
    assert order_by_token("") is None


def test_a_cancelled_order_page_says_cancelled(client, approved, director_a):
    order_cancel(order=approved, reason="Ошибка в составе пар Черных", user=director_a)
    page = _verify_page(client, approved.verification_url)
    approved.refresh_from_db()
    assert f"отменён {timezone.localtime(approved.cancelled_at):%d.%m.%Y}" in page and "в силе" not in page
    assert "Черных" not in page  # the reason may name people: it stays inside the school


def test_an_amended_order_page_names_the_amending_order(client, approved, curator_a, director_a):
    amendment = order_amend(order=approved, user=curator_a)
    school = approved.organisation
    extra = PairFactory(
        organisation=school,
        programme=approved.programme,
        mentor=TeacherFactory(organisation=school),
        status=Pair.Status.DRAFT,
        mentees=[PersonFactory(organisation=school, grade=6)],
    )
    amendment.pairs.set([extra])
    order_submit(order=amendment, user=curator_a)
    order_approve(order=amendment, user=director_a, on=datetime.date(2026, 11, 2))
    page = _verify_page(client, approved.verification_url)
    assert "изменён приказом от 02.11.2026 № 2-ОД" in page
    # The amending order has its own link and status.
    amendment.refresh_from_db()
    assert amendment.verification_token != approved.verification_token
    assert "в силе" in _verify_page(client, amendment.verification_url)


def test_the_docx_carries_the_same_qr_code_in_the_first_page_footer(client, approved, curator_a):
    document = Document(io.BytesIO(_download(client, curator_a, "order_docx", approved)))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    blips = section.first_page_footer._element.xpath(".//a:blip/@r:embed")
    assert len(blips) == 1
    image = Image.open(io.BytesIO(section.first_page_footer.part.related_parts[blips[0]].blob))
    assert _codes(image)[0].text.endswith(approved.verification_url)
    assert not section.footer._element.xpath(".//a:blip")  # other pages: no code


def test_the_electronic_signature_mark_is_printed_in_the_signature_place(client, approved, director_a, curator_a):
    before = approved.approved_pdf_sha256
    client.force_login(director_a)
    url = reverse("reports:order_esign", kwargs={"org": approved.organisation.slug, "pk": approved.pk})
    assert client.post(url, ESIGN).status_code == 302
    client.logout()

    pdf = _download(client, curator_a, "order_pdf", approved)
    if os.environ.get("GOST_DUMP"):
        pathlib.Path(os.environ["GOST_DUMP"]).write_bytes(pdf)
    first = _flat(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in first
    # A long serial wraps inside the frame.
    assert "Сертификат: 01D7A3C5E2B94F10000000000000A1B2" in re.sub(r"(?<=[0-9A-F]) (?=[0-9A-F])", "", first)
    assert "Владелец: Кляпка Ольга Викторовна" in first
    assert "Действителен с 01.09.2026 по 01.09.2027" in first
    # Rendered again and kept: the page shows the new file's hash, and still no name.
    approved.refresh_from_db()
    assert approved.approved_pdf_sha256 == hashlib.sha256(pdf).hexdigest() != before
    page = _verify_page(client, approved.verification_url)
    assert approved.approved_pdf_sha256 in page and "электронная подпись" in page and "Кляпка" not in page

    docx = _download(client, curator_a, "order_docx", approved)
    if os.environ.get("GOST_DUMP"):
        pathlib.Path(os.environ["GOST_DUMP"]).with_suffix(".docx").write_bytes(docx)
    document = Document(io.BytesIO(docx))
    cells = [_flat(cell.text) for table in document.tables for row in table.rows for cell in row.cells]
    assert any(cell.startswith("ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ Сертификат: 01D7") for cell in cells)


def test_a_certificate_not_valid_on_the_order_date_is_refused_in_russian(client, approved, director_a):
    client.force_login(director_a)
    url = reverse("reports:order_esign", kwargs={"org": approved.organisation.slug, "pk": approved.pk})
    response = client.post(url, {**ESIGN, "valid_from": "2025-01-01", "valid_to": "2026-01-01"})
    assert response.status_code == 200
    assert "Сертификат действителен с 01.01.2025 по 01.01.2026, а приказ подписан 25.10.2026" in _flat(
        response.content.decode()
    )
    approved.refresh_from_db()
    assert not approved.is_esigned


def test_the_mark_is_set_once_and_only_on_an_approved_order(draft, approved, director_a):
    dates = {"valid_from": datetime.date(2026, 9, 1), "valid_to": datetime.date(2027, 9, 1)}
    order_esign_mark(order=approved, certificate="01", owner="Кляпка О.В.", user=director_a, **dates)
    with pytest.raises(Exception, match="уже отмечен"):
        order_esign_mark(order=approved, certificate="02", owner="Кляпка О.В.", user=director_a, **dates)


def test_an_order_approved_before_files_were_kept_gets_its_code_and_file_on_the_first_download(
    client, approved, curator_a
):
    Order.objects.filter(pk=approved.pk).update(
        verification_token="", verification_url="", approved_pdf="", approved_pdf_sha256=""
    )
    pdf = _download(client, curator_a, "order_pdf", approved)
    approved.refresh_from_db()
    assert approved.verification_url.startswith("http://testserver/verify/")
    assert approved.approved_pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert _download(client, curator_a, "order_pdf", approved) == pdf


def test_a_thank_you_letter_has_a_heading_to_its_text(school_a, tmp_path):
    from reports.exports.pdf import render_pdf
    from reports.letters.documents import thank_you_letter_context

    mentor = TeacherFactory(
        organisation=school_a, last_name="Черных", first_name="Илья", patronymic="Петрович", gender="M"
    )
    pdf = render_pdf(
        template_name="reports/pdf/thank_you_letter.html",
        context=thank_you_letter_context(organisation=school_a, person=mentor, signed_on=ORDER_DATE),
    )
    if os.environ.get("GOST_DUMP"):
        pathlib.Path(os.environ["GOST_DUMP"]).with_suffix(".letter.pdf").write_bytes(pdf)
    text = _flat(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "БЛАГОДАРСТВЕННОЕ ПИСЬМО" in text
    # The heading stands between the addressee and the salutation.
    assert re.search(r"Черных Илье Петровичу О благодарности за наставническую деятельность Уважаем", text)


def test_the_acquaintance_sheet_printed_alone_carries_the_orders_qr_code(client, approved, curator_a, tmp_path):
    pdf = _download(client, curator_a, "order_acquaintance", approved)
    if os.environ.get("GOST_DUMP"):
        pathlib.Path(os.environ["GOST_DUMP"]).with_suffix(".sheet.pdf").write_bytes(pdf)
    codes = _codes(_page_images(pdf, tmp_path)[0])
    assert [code.text.split("\n")[-1] for code in codes] == [approved.verification_url]


def test_a_lost_approved_file_is_printed_anew_rather_than_failing(client, approved, curator_a):
    approved.approved_pdf.storage.delete(approved.approved_pdf.name)
    pdf = _download(client, curator_a, "order_pdf", approved)
    assert "№ 1-ОД" in _flat(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
