"""ГОСТ Р 7.0.97-2025 on the additional agreement (ст. 351.8 ТК РФ): its QR code on the first page
(PDF and DOCX) leads to the same public verification page as orders' (organisation, «Дополнительное
соглашение № N от …», status, SHA-256 of the kept PDF, no name); and every employee document carries
the heading to the text and its place, date and number."""

import datetime
import hashlib
import io
import re
import shutil
import subprocess

import pytest
import zxingcpp
from django.urls import reverse
from docx import Document
from PIL import Image
from pypdf import PdfReader

from mentorship.models import Pair
from mentorship.services_employees import agreement_conclude, early_end_register
from mentorship.tests.factories import ProgrammeFactory
from participants.tests.factories import TeacherFactory
from reports.employees.models import AgreementVerification
from reports.orders.services import order_approve, order_draft, order_submit
from reports.tests.test_employee_mentors import _consent, _pair, _rule, _terms

PDFTOPPM = shutil.which("pdftoppm")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(PDFTOPPM is None, reason="poppler-utils (pdftoppm) is not installed"),
]
TODAY = datetime.date(2025, 9, 2)


def _flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def school(school_a):
    school_a.director_name = "Петрова Анна Сергеевна"
    school_a.director_position = "Директор"
    school_a.town = "г. Тула"
    school_a.save()
    return school_a


@pytest.fixture
def programme(school):
    return ProgrammeFactory(organisation=school, school_year=2025, kind="teachers")


@pytest.fixture
def teacher(school):
    return TeacherFactory(
        organisation=school,
        last_name="Иванова",
        first_name="Мария",
        patronymic="Петровна",
        gender="F",
        position="учитель математики",
    )


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def mentee(school):
    return TeacherFactory(organisation=school, last_name="Сидоров", first_name="Олег", patronymic="Ильич", gender="M")


@pytest.fixture
def agreement(school, programme, teacher, mentee):
    pair = _pair(programme, teacher, status=Pair.Status.ACTIVE, mentees=[mentee])
    _consent(pair)
    _terms(teacher)
    _rule(school)
    return agreement_conclude(pair=pair, concluded_on=datetime.date(2025, 9, 1))


def _download(client, user, identifier, pair, fmt="pdf", **params) -> bytes:
    client.force_login(user)
    url = reverse("reports:export", kwargs={"org": pair.organisation.slug, "identifier": identifier})
    response = client.get(url, {"pair": pair.pk, "format": fmt, **params})
    assert response.status_code == 200, response.content[:300]
    client.logout()
    return b"".join(response.streaming_content) if response.streaming else response.content


def _pages(pdf: bytes, tmp_path, *, dpi=300) -> list[Image.Image]:
    (tmp_path / "doc.pdf").write_bytes(pdf)
    subprocess.run(  # noqa: S603 - poppler's pdftoppm on a file we wrote
        [PDFTOPPM, "-r", str(dpi), "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True, timeout=120
    )
    return [Image.open(path) for path in sorted(tmp_path.glob("page-*.png"))]


def _codes(image: Image.Image) -> list:
    return [code for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]


def _verify_page(client, url: str):
    return client.get(re.sub(r"^https?://[^/]+", "", url))


def _pdf_text(pdf: bytes) -> str:
    return _flat(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))


def test_the_agreement_qr_code_decodes_to_its_verification_link(client, agreement, director_a, tmp_path):
    pdf = _download(client, director_a, "employee-agreement", agreement.pair)
    check = AgreementVerification.objects.get(agreement=agreement)
    assert re.fullmatch(r"http://testserver/verify/[A-Za-z0-9_-]{32}/", check.url)

    pages = _pages(pdf, tmp_path)
    codes = _codes(pages[0])
    assert len(codes) == 1
    assert codes[0].text.split("\n") == ["МБОУ СОШ № 1", "Дополнительное соглашение № 1 от 01.09.2025", check.url]
    # The lower right corner of the first page, below the text.
    width, height = pages[0].size
    corner = codes[0].position.top_left
    assert corner.x > width * 0.75 and corner.y > height * 0.88
    assert all(not _codes(page) for page in pages[1:])

    # The DOCX carries the same code in the first page's footer.
    docx = Document(io.BytesIO(_download(client, director_a, "employee-agreement", agreement.pair, "docx")))
    footer = docx.sections[0].first_page_footer
    assert docx.sections[0].different_first_page_header_footer
    blips = footer._element.xpath(".//a:blip/@r:embed")
    assert len(blips) == 1
    image = Image.open(io.BytesIO(footer.part.related_parts[blips[0]].blob))
    assert [code.text.split("\n")[-1] for code in _codes(image)] == [check.url]


def test_the_page_shows_status_and_the_hash_of_the_downloaded_pdf_and_no_names(
    client, agreement, director_a, teacher, mentee
):
    pdf = _download(client, director_a, "employee-agreement", agreement.pair)
    assert _download(client, director_a, "employee-agreement", agreement.pair) == pdf  # the kept file, every time
    check = AgreementVerification.objects.get(agreement=agreement)
    assert check.pdf.name.startswith(f"private/{agreement.organisation_id}/agreement/")

    response = _verify_page(client, check.url)  # anonymous: no login
    assert response.status_code == 200 and response["Cache-Control"] == "no-cache"
    page = _flat(response.content.decode())
    assert "Дополнительное соглашение № 1 от 01.09.2025" in page
    assert agreement.organisation.full_name in page
    assert re.search(r'data-testid="verify-status"><span class="badge text-bg-success">в силе<', page)
    assert hashlib.sha256(pdf).hexdigest() in page
    for name in ["Иванова", "Мария", "Сидоров", "Петрова", teacher.short_name, mentee.full_name]:
        assert name not in page


def test_a_changed_agreement_is_printed_anew_with_a_new_hash(client, agreement, director_a, teacher, tmp_path):
    first = _download(client, director_a, "employee-agreement", agreement.pair)
    _terms(teacher, number="16-ТД")  # the school corrects the labour contract's number
    second = _download(client, director_a, "employee-agreement", agreement.pair)
    assert first != second and "№ 16-ТД" in _pdf_text(second)
    check = AgreementVerification.objects.get(agreement=agreement)
    assert check.pdf_sha256 == hashlib.sha256(second).hexdigest()
    assert (
        _codes_url(second, tmp_path) == check.url
    )  # the link stays: the paper already signed keeps leading to the page


def _codes_url(pdf: bytes, folder) -> str:
    return _codes(_pages(pdf, folder, dpi=200)[0])[0].text.split("\n")[-1]


def test_an_ended_assignment_agreement_page_says_ended(client, school, programme, agreement, director_a):
    _download(client, director_a, "employee-agreement", agreement.pair)
    check = AgreementVerification.objects.get(agreement=agreement)
    early_end_register(pair=agreement.pair, initiator="mentor", notice_on=datetime.date(2025, 12, 26))
    page = _flat(_verify_page(client, check.url).content.decode())
    assert "в силе; прекращается досрочно 12.01.2026" in page  # the notice given, the last day to come

    order = order_draft(organisation=school, kind="mentoring_end", programme=programme, user=director_a)
    order_submit(order=order, user=director_a)
    order_approve(order=order, user=director_a, on=datetime.date(2025, 12, 29))
    page = _flat(_verify_page(client, check.url).content.decode())
    assert "прекращено 12.01.2026" in page and "в силе" not in page


def test_another_token_gives_404(client, agreement, director_a):
    _download(client, director_a, "employee-agreement", agreement.pair)
    token = AgreementVerification.objects.get(agreement=agreement).token
    other = ("A" if token[0] != "A" else "B") + token[1:]
    assert client.get(reverse("document_verify", kwargs={"token": other})).status_code == 404
    assert client.get(reverse("document_verify", kwargs={"token": "x" * 200})).status_code == 404


# --- ГОСТ Р 7.0.97-2025 requisites of every employee document -----------------------------------------


def test_every_employee_document_has_its_heading_date_number_and_place(client, agreement, director_a, tmp_path):
    pair = agreement.pair
    consent = _pdf_text(_download(client, director_a, "employee-consent", pair))
    assert "СОГЛАСИЕ на выполнение наставничества" in consent  # type, then the heading to the text
    assert "1 сентября 2025 г. ______________ / М. П. Иванова /" in consent  # the date by the writer's signature

    text = _pdf_text(_download(client, director_a, "employee-agreement", pair))
    assert "Дополнительное соглашение № 1" in text
    assert "к трудовому договору от 26.08.2019 № 15-ТД о выполнении наставничества" in text
    assert "г. Тула 1 сентября 2025 г." in text  # place, date

    early_end_register(pair=pair, initiator="school", notice_on=datetime.date(2025, 12, 26))
    for fmt in ("pdf", "docx"):
        content = _download(client, director_a, "employee-early-end", pair, fmt)
        if fmt == "pdf":
            notice = _pdf_text(content)
        else:
            document = Document(io.BytesIO(content))
            head = [cell.text for cell in document.tables[0].rows[0].cells]
            notice = _flat(" ".join(head + [p.text for p in document.paragraphs]))
        assert notice.startswith(agreement.organisation.full_name)  # the author: an outgoing document
        assert "УВЕДОМЛЕНИЕ об отмене поручения о выполнении наставничества" in notice.replace(
            "Уведомление", "УВЕДОМЛЕНИЕ"
        )
        assert "г. Тула 26.12.2025 № ____" in notice  # place, date, number written in at registration
        assert "Директор ______________ / А. С. Петрова /" in notice

    register = _pdf_text(_download(client, director_a, "employee-pay-register", pair, "pdf", month="2025-09"))
    assert "Реестр выплат за наставничество за сентябрь 2025 г." in register
    assert "г. Тула 02.09.2025" in register
    assert "Директор ______________ / А. С. Петрова /" in register
