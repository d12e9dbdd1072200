"""An order as files: the PDF and the DOCX read back and checked against DESIGN.md §4 (header,
«ПРИКАЗ», date, number, points, signature, appendices, лист ознакомления), drafts marked
«ПРОЕКТ», approved orders printed from their snapshot, prints recorded in the access journal."""

import datetime
import io
import re
import shutil
import subprocess
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document
from docx.shared import Pt
from pypdf import PdfReader

from mentorship.models import Pair
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from participants.models import AccessLogEntry
from participants.tests.factories import PersonFactory, TeacherFactory
from reports.models import OrderKind
from reports.orders.docx import order_docx
from reports.orders.services import order_approve, order_draft, order_save, order_submit
from roadmap.tests import seed_000
from roadmap.tests.conftest import enter_seed_000

pytestmark = pytest.mark.django_db

ORDER_DATE = datetime.date(2026, 10, 25)
POINTS = [
    {
        "action": "Закрепить наставнические пары в составе согласно приложению № 1.",
        "responsible": "Николаева О.А.",
        "deadline": "до 01.11.2026",
    },
    {"action": "Наставникам составить индивидуальные планы.", "responsible": "", "deadline": "до 15.11.2026"},
]
REGULATION = (
    "# 1. Общие положения\n\n"
    "Настоящее положение определяет порядок организации наставничества.\n\n"
    "# 2. Цели и задачи наставничества\n\n"
    "Целью наставничества является раскрытие потенциала каждого наставляемого."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _flat(text: str) -> str:
    """One space for any run of whitespace (justified lines stretch spaces, cells wrap), none
    after «-» or «/» (a line may break there)."""
    return re.sub(r"([-/])\s+", r"\1", " ".join(text.split()))


def _pdf_pages(content: bytes) -> list[str]:
    return [_flat(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def _docx_text(content: bytes) -> tuple[Document, str, list[list[list[str]]]]:
    """The document, its paragraphs' text and its tables as rows of cell texts."""
    document = Document(io.BytesIO(content))
    text = _flat("\n".join(p.text for p in document.paragraphs))
    tables = [[[_flat(cell.text) for cell in row.cells] for row in table.rows] for table in document.tables]
    return document, text, tables


def _filename(response) -> str:
    header = response["Content-Disposition"]
    match = re.search(r"filename\*=utf-8''([^;]+)", header)
    return unquote(match.group(1)) if match else re.search(r'filename="([^"]+)"', header).group(1)


@pytest.fixture
def programme(school_a):
    return ProgrammeFactory(organisation=school_a)


@pytest.fixture
def mentors(school_a):
    return [
        TeacherFactory(organisation=school_a, last_name="Черных", first_name="Илья", patronymic="Петрович", gender="M"),
        TeacherFactory(
            organisation=school_a,
            last_name="Яковенко",
            first_name="Оксана",
            patronymic="Николаевна",
            position="учитель физики",
        ),
    ]


@pytest.fixture
def draft_pairs(school_a, programme, mentors):
    mentees = [
        PersonFactory(organisation=school_a, last_name="Петров", first_name="Артём", grade=7, class_letter="Б"),
        PersonFactory(
            organisation=school_a, last_name="Сидорова", first_name="Анна", patronymic="Викторовна", gender="F", grade=8
        ),
    ]
    return [
        PairFactory(
            organisation=school_a, programme=programme, mentor=mentor, status=Pair.Status.DRAFT, mentees=[mentee]
        )
        for mentor, mentee in zip(mentors, mentees, strict=True)
    ]


@pytest.fixture
def pairs_draft(school_a, curator_a, programme, draft_pairs):
    order = order_draft(organisation=school_a, kind=OrderKind.PAIRS, user=curator_a, programme=programme)
    return order_save(
        order=order,
        fields={"preamble": "В соответствии с Положением о наставничестве,"},
        points=POINTS,
        pairs=draft_pairs,
    )


@pytest.fixture
def pairs_order(pairs_draft, curator_a, director_a):
    order_submit(order=pairs_draft, user=curator_a)
    return order_approve(order=pairs_draft, user=director_a, on=ORDER_DATE)


def _get(client, user, name, order, **params):
    client.force_login(user)
    url = reverse(f"reports:{name}", kwargs={"org": order.organisation.slug, "pk": order.pk})
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_approved_pairs_order_prints_in_the_order_layout_with_its_appendix_and_sheet(
    client, school_a, curator_a, pairs_order
):
    response = _get(client, curator_a, "order_pdf", pairs_order)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert _filename(response) == "Приказ № 1-ОД от 25.10.2026.pdf"

    pages = _pdf_pages(response.content)
    first = pages[0]
    # Header: full name with the short one in brackets, «ПРИКАЗ», date and number, place.
    assert first.startswith(f"{_flat(school_a.full_name)} ({school_a.short_name}) ПРИКАЗ 25 октября 2026 г. № 1-ОД")
    assert "г. Энгельс" in first
    assert "О закреплении наставнических пар (групп)" in first
    assert "ПРИКАЗЫВАЮ:" in first
    # Numbered points with the responsible person and the deadline, then the control point.
    assert "1. Закрепить наставнические пары в составе согласно приложению № 1." in first
    assert "Ответственная: Николаева О. А. Срок: до 01.11.2026." in first
    assert "2. Наставникам составить индивидуальные планы. Срок: до 15.11.2026." in first
    assert f"3. {pairs_order.control_text}" in first
    assert first.endswith("Директор О. В. Кляпка")
    assert "ПРОЕКТ" not in " ".join(pages)

    # The appendix on its own page, cited by the order's date and number.
    appendix = pages[1]
    assert appendix.startswith("Приложение № 1 к приказу от 25.10.2026 № 1-ОД")
    assert appendix.endswith(" 2")  # page numbers from the second page (read last from the page)
    assert "Состав наставнических пар (групп)" in appendix
    assert "№ Наставник Наставляемые (класс/должность) Форма Ролевая модель Срок" in appendix
    assert "Черных Илья Петрович" in appendix
    assert "Яковенко Оксана Николаевна учитель физики" in appendix
    assert "Петров Артём Сергеевич (обучающийся 7Б)" in appendix
    assert "Сидорова Анна Викторовна (обучающаяся 8Б)" in appendix

    sheet = pages[-1]
    assert "Лист ознакомления с приказом от 25.10.2026 № 1-ОД «О закреплении наставнических пар (групп)»" in sheet
    assert "№ ФИО Должность Дата Подпись" in sheet
    for name in ("Черных Илья Петрович", "Яковенко Оксана Николаевна", "Николаева О. А."):
        assert name in sheet
    assert not pages[0].endswith(" 1")

    entry = AccessLogEntry.objects.get(organisation=school_a, action=AccessLogEntry.Action.PRINT)
    assert entry.user == curator_a
    assert entry.what.startswith("Приказ: Приказ № 1-ОД от 25.10.2026")


def test_pdf_page_setup_follows_gost(client, curator_a, pairs_order):
    """A4 portrait; the text starts 20 mm from the left edge (WeasyPrint's page box)."""
    reader = PdfReader(io.BytesIO(_get(client, curator_a, "order_pdf", pairs_order).content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert len(reader.pages) == 3  # the order, the appendix, the лист ознакомления


def test_docx_has_the_same_content_as_real_word_tables(client, school_a, director_a, pairs_order):
    response = _get(client, director_a, "order_docx", pairs_order)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].startswith("attachment")
    assert _filename(response) == "Приказ № 1-ОД от 25.10.2026.docx"

    document, text, tables = _docx_text(response.content)
    assert text.startswith(f"{_flat(school_a.full_name)} ({school_a.short_name}) ПРИКАЗ 25 октября 2026 г. № 1-ОД")
    for fact in (
        "г. Энгельс",
        "О закреплении наставнических пар (групп)",
        "В соответствии с Положением о наставничестве,",
        "ПРИКАЗЫВАЮ:",
        "1. Закрепить наставнические пары в составе согласно приложению № 1.",
        "Ответственная: Николаева О. А. Срок: до 01.11.2026.",
        f"3. {pairs_order.control_text}",
        "Директор О. В. Кляпка",
        "Приложение № 1 к приказу от 25.10.2026 № 1-ОД",
        "Состав наставнических пар (групп)",
        "Лист ознакомления",
        "с приказом от 25.10.2026 № 1-ОД «О закреплении наставнических пар (групп)»",
    ):
        assert fact in text, fact

    pairs, sheet = tables
    assert pairs[0] == ["№", "Наставник", "Наставляемые (класс/должность)", "Форма", "Ролевая модель", "Срок"]
    assert [row[1] for row in pairs[1:]] == [
        "Черных Илья Петрович учитель математики",
        "Яковенко Оксана Николаевна учитель физики",
    ]
    assert pairs[1][2] == "Петров Артём Сергеевич (обучающийся 7Б)"
    assert sheet[0] == ["№", "ФИО", "Должность", "Дата", "Подпись"]
    assert "Черных Илья Петрович" in [row[1] for row in sheet]

    # ГОСТ Р 7.0.97: margins top 20, right 10, bottom 20, left 20 mm; Times New Roman 14 pt.
    section = document.sections[0]
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert [round(margin.mm) for margin in margins] == [20, 10, 20, 20]  # Word stores twips
    assert round(section.page_width.mm) == 210
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size == Pt(14)
    # The page number is a PAGE field in the header, with none on the first page.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml

    assert AccessLogEntry.objects.filter(
        organisation=school_a, user=director_a, action=AccessLogEntry.Action.EXPORT
    ).exists()


def test_draft_is_marked_and_has_no_number(client, curator_a, pairs_draft):
    response = _get(client, curator_a, "order_pdf", pairs_draft)
    assert _filename(response) == "Проект приказа — О закреплении наставнических пар (групп).pdf"
    pages = _pdf_pages(response.content)
    text = " ".join(pages)
    assert all("ПРОЕКТ" in page for page in pages)  # on every page, like a watermark
    assert "№ ____" in text
    assert "-ОД" not in text
    assert "Приложение № 1 к приказу от «___» __________ 20__ г. № ____" in text
    assert "Лист ознакомления с проектом приказа «О закреплении наставнических пар (групп)»" in text

    _document, docx_text, _tables = _docx_text(order_docx(pairs_draft))
    assert "№ ____" in docx_text and "-ОД" not in docx_text
    document = Document(io.BytesIO(order_docx(pairs_draft)))
    assert "ПРОЕКТ" in document.sections[0].first_page_header.paragraphs[0].text


def test_approved_order_prints_its_snapshot_after_a_person_is_renamed(client, curator_a, pairs_order, mentors):
    mentor = mentors[0]
    mentor.last_name = "Черных-Иванова"
    mentor.save()
    text = " ".join(_pdf_pages(_get(client, curator_a, "order_pdf", pairs_order).content))
    assert "Черных Илья Петрович" in text
    assert "Черных-Иванова" not in text
    _document, _text, tables = _docx_text(order_docx(pairs_order))
    assert "Черных-Иванова" not in " ".join(cell for table in tables for row in table for cell in row)


def test_implementation_order_appends_the_regulation_and_the_roadmap(client, school_a, curator_a, programme):
    enter_seed_000(school_a)
    order = order_draft(organisation=school_a, kind=OrderKind.IMPLEMENTATION, user=curator_a, programme=programme)
    order = order_save(
        order=order,
        fields={"regulation_text": REGULATION, "include_regulation": True, "include_roadmap": True},
        points=[{"action": "Утвердить Положение о наставничестве (приложение № 1)."}],
    )
    response = _get(client, curator_a, "order_pdf", order)
    reader = PdfReader(io.BytesIO(response.content))
    pages = [_flat(page.extract_text()) for page in reader.pages]
    text = " ".join(pages)
    regulation_page = next(page for page in pages if "Приложение № 1" in page)
    assert "Положение о наставничестве" in regulation_page
    assert "1. Общие положения" in regulation_page
    assert "2. Цели и задачи наставничества" in regulation_page
    assert "Целью наставничества является раскрытие потенциала каждого наставляемого." in regulation_page
    # The roadmap appendix in its five columns, by sections, on landscape pages.
    roadmap_index = next(i for i, page in enumerate(pages) if "Приложение № 2" in page)
    assert "Содержание Сроки Ожидаемый результат Показатели эффективности Ответственный" in pages[roadmap_index]
    for title, _rows in seed_000.SECTIONS:
        assert _flat(title) in text
    box = reader.pages[roadmap_index].mediabox
    assert float(box.width) > float(box.height)
    assert float(reader.pages[0].mediabox.width) < float(reader.pages[0].mediabox.height)

    document, docx_text, tables = _docx_text(order_docx(order))
    for heading in ("1. Общие положения", "2. Цели и задачи наставничества", "Положение о наставничестве"):
        assert heading in docx_text
    roadmap = tables[0]
    assert roadmap[0] == ["Содержание", "Сроки", "Ожидаемый результат", "Показатели эффективности", "Ответственный"]
    assert roadmap[1] == [_flat(seed_000.SECTIONS[0][0])] * 5  # a section row spans the table
    landscape = [s for s in document.sections if s.page_width > s.page_height]
    assert len(landscape) == 1
    assert not landscape[0].different_first_page_header_footer  # numbered from its first page


def test_acquaintance_sheet_alone(client, school_a, curator_a, pairs_order):
    response = _get(client, curator_a, "order_acquaintance", pairs_order)
    assert _filename(response) == "Лист ознакомления — Приказ № 1-ОД от 25.10.2026.pdf"
    pages = _pdf_pages(response.content)
    assert len(pages) == 1
    assert pages[0].startswith("Лист ознакомления с приказом от 25.10.2026 № 1-ОД")
    assert "Яковенко Оксана Николаевна учитель физики" in pages[0]
    assert "ПРИКАЗЫВАЮ" not in pages[0]
    assert AccessLogEntry.objects.get(organisation=school_a).what.startswith("Лист ознакомления с приказом")


def test_html_preview_uses_the_scoped_markup(client, curator_a, pairs_draft):
    response = _get(client, curator_a, "order_pdf", pairs_draft, format="html")
    html = response.content.decode()
    assert '<article class="order-document order-is-draft">' in html
    assert "css/order-pdf.css" in html


def test_another_school_cannot_print_the_order(client, curator_b, pairs_order):
    client.force_login(curator_b)
    for name in ("order_pdf", "order_docx", "order_acquaintance"):
        url = reverse(f"reports:{name}", kwargs={"org": "school-b", "pk": pairs_order.pk})
        assert client.get(url).status_code == 404


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice is not installed")
def test_libreoffice_converts_the_docx(tmp_path, pairs_order):
    source = tmp_path / "order.docx"
    source.write_bytes(order_docx(pairs_order))
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run(  # noqa: S603 - the installed LibreOffice on a file we wrote
        [binary, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    text = " ".join(_pdf_pages((tmp_path / "order.pdf").read_bytes()))
    assert "ПРИКАЗ" in text and "№ 1-ОД" in text and "Черных Илья Петрович" in text


NBSP = "\u00a0"


def test_number_date_and_initials_are_tied_with_non_breaking_spaces_in_pdf_and_docx(
    client, curator_a, director_a, pairs_order
):
    """«№ 1-ОД», «25 октября 2026 г.», «О. В. Кляпка» never break across lines: the PDF and the DOCX
    carry non-breaking spaces there (pypdf and python-docx read them back as U+00A0)."""
    pdf = _get(client, curator_a, "order_pdf", pairs_order).content
    first, appendix = (page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages[:2])
    docx = Document(io.BytesIO(_get(client, director_a, "order_docx", pairs_order).content))
    docx_text = "\n".join(p.text for p in docx.paragraphs)
    for text in (first, docx_text):
        assert f"25{NBSP}октября 2026{NBSP}г." in text
        assert f"№{NBSP}1-ОД" in text
        assert f"Николаева{NBSP}О.{NBSP}А." in text  # typed «Николаева О.А.»: spaced as ГОСТ Р 7.0.97-2025 wants
        assert f"О.{NBSP}В.{NBSP}Кляпка" in text
        assert "№ 1" not in text and "О.А." not in text
    assert f"Приложение №{NBSP}1 к приказу от 25.10.2026 №{NBSP}1-ОД" in appendix


def test_role_model_column_does_not_repeat_the_form(client, curator_a, school_a, programme, mentors):
    from participants.models import MentoringForm, RoleModel

    form = MentoringForm.objects.get(name="ученик – ученик")
    role_model = RoleModel.objects.get(form=form, name="успевающий – неуспевающий")
    mentee = PersonFactory(organisation=school_a, last_name="Петров", first_name="Артём", grade=7, class_letter="Б")
    pair = PairFactory(
        organisation=school_a,
        programme=programme,
        mentor=mentors[0],
        status=Pair.Status.DRAFT,
        form=form,
        role_model=role_model,
        mentees=[mentee],
    )
    order = order_draft(organisation=school_a, kind=OrderKind.PAIRS, user=curator_a, programme=programme)
    order = order_save(order=order, fields={}, points=POINTS, pairs=[pair])
    appendix = _pdf_pages(_get(client, curator_a, "order_pdf", order).content)[1]
    assert "ученик – ученик успевающий – неуспевающий" in appendix
    assert appendix.count("ученик – ученик") == 1  # «ученик – ученик: успевающий – неуспевающий» repeated it


# A line of the PDF's text that ends or starts where Russian typesetting forbids a break.
BAD_BREAKS = re.compile(
    r"№\n|\d-\n[А-ЯЁ]|\d\n(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
    r"|\d\nг\.|\b[А-ЯЁ]\.\n[А-ЯЁ]"
)


def test_no_demo_order_breaks_a_number_a_date_or_initials_across_lines(demo):
    from reports.exports.pdf import render_pdf
    from reports.orders.documents import order_context
    from reports.orders.models import Order

    orders = list(Order.objects.filter(organisation=demo).order_by("pk"))
    assert orders
    for order in orders:
        pdf = render_pdf(template_name="reports/pdf/order.html", context=order_context(order))
        for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
            text = page.extract_text()
            assert not BAD_BREAKS.search(text), (order.title, number, BAD_BREAKS.search(text).group())


def test_docx_number_hyphen_is_a_non_breaking_hyphen(client, director_a, pairs_order):
    docx = Document(io.BytesIO(_get(client, director_a, "order_docx", pairs_order).content))
    xml = docx.element.body.xml
    assert "<w:noBreakHyphen/>" in xml
    assert "\u2060" not in xml  # the PDF's word joiner stays out of Word


def test_responsible_label_agrees_with_the_person_or_group_named(client, curator_a, pairs_draft):
    points = [
        {"action": "Закрепить пары.", "responsible": "Кляпка О.В.", "deadline": "до 01.11.2026"},
        {"action": "Составить планы.", "responsible": "Наставники", "deadline": "до 15.11.2026"},
        {"action": "Разместить приказ.", "responsible": "Ответственный за ведение официального сайта", "deadline": ""},
    ]
    order = order_save(order=pairs_draft, fields={}, points=points, pairs=list(pairs_draft.pairs.all()))
    first = _pdf_pages(_get(client, curator_a, "order_pdf", order).content)[0]
    # «Кляпка» alone does not tell; the director's full name «Кляпка Ольга Викторовна» does.
    assert "Ответственная: Кляпка О. В. Срок: до 01.11.2026." in first
    assert "Ответственные: Наставники. Срок: до 15.11.2026." in first
    assert "Ответственный за ведение официального сайта." in first
    assert "Ответственный: Ответственный" not in first
