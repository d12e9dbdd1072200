"""Layout rules every PDF and DOCX of the exporter registry keeps, on the demo and on a large case
(an order with 300 pairs, the report of a 30-school district), read back from the files:

PDF (pypdf, per page): no page number on page 1 and the right one from page 2; no page whose only
content is a heading and no heading last on a page; no signature line at the top of a page (it goes
over with text above it) and, in an order, the signature on the page of the last point; an
appendix's mark «Приложение № N» heads its page.
DOCX: every table's first row repeats (tblHeader), no row splits (cantSplit), the lines before an
order's signature are kept with it, numbered headings are kept with what follows.

A heading is what the rendered HTML marks as one (h1–h6, a table's section row) and the PDF prints
bold, so a bold figure of a table is never taken for a heading.
"""

import datetime
import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from mentorship.models import Pair
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from organisations.models import Membership
from organisations.roles import Role
from organisations.tests.factories import DistrictFactory, SchoolFactory
from participants.tests.factories import PersonFactory, TeacherFactory
from reports.exports import pdf as pdf_module
from reports.exports.base import REGISTRY
from reports.models import OrderKind
from reports.orders.services import order_approve, order_draft, order_save, order_submit
from reports.tests import test_exporter_registry as registry_tests

# The demo, loaded once for this module (the fixture of the registry's own test).
demo_data = registry_tests.demo_data

DOCUMENT_FORMATS = ("pdf", "docx")
DOCUMENTS = sorted(
    identifier for identifier, exporter in REGISTRY.items() if set(exporter.formats) & set(DOCUMENT_FORMATS)
)
# Each printed form numbers its own pages (a class's forms are handed out one by one).
NUMBERED_PER_FORM = {"consent-forms-class"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
HEADING_CLASSES = {"section", "order-table-section"}
# Blank lines to sign on; an order's signature is its signer's name.
SIGNATURE_LINE = re.compile(r"_{5,}")
APPENDIX_MARK = re.compile(r"^Приложение № \d+")
PAGE_NUMBER = re.compile(r"^(\d+)( / \d+)?$")
# Margin boxes (page numbers) lie within this distance of the page's edge; text never does
# (the narrowest margin of our documents is 15 mm, 42.5 pt).
MARGIN_BOX = 40
# LAYOUT_LOOK_DIR=/tmp/x keeps the rendered files there, to look at their pages (pdftoppm -r 60).
LOOK_DIR = Path(os.environ["LAYOUT_LOOK_DIR"]) if os.environ.get("LAYOUT_LOOK_DIR") else None
ORDER_DATE = datetime.date(2026, 10, 26)
LARGE_PAIRS = 300
LARGE_SCHOOLS = 30


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- Reading the files ----------------------------------------------------------------------------


class _Headings(HTMLParser):
    """The texts of the headings of a rendered HTML document."""

    def __init__(self):
        super().__init__()
        self.headings: list[str] = []
        self._tag: str | None = None
        self._depth = 0
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self._tag is not None:
            self._depth += tag == self._tag
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in HEADING_TAGS or classes & HEADING_CLASSES:
            self._tag, self._depth, self._text = tag, 0, []

    def handle_endtag(self, tag):
        if tag != self._tag:
            return
        if self._depth:
            self._depth -= 1
            return
        text = _flat("".join(self._text))
        if text:
            self.headings.append(text)
        self._tag = None

    def handle_data(self, data):
        if self._tag is not None:
            self._text.append(data)


def _headings(html: str) -> list[str]:
    parser = _Headings()
    parser.feed(html)
    return parser.headings


def _page(page) -> tuple[list[str], list[dict]]:
    """(texts in the margin boxes, the body's lines top to bottom as {"text", "bold"}); a text that
    starts beyond the right edge of the paper (a table wider than its page) comes as a margin text
    «OFF-PAGE: …»."""
    height = float(page.mediabox.height)
    width = float(page.mediabox.width)
    margin: list[str] = []
    lines: dict[int, dict] = {}

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        if x > width - 5:
            margin.append(f"OFF-PAGE: {text.strip()}")
            return
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if y > height - MARGIN_BOX or y < MARGIN_BOX:
            margin.append(text.strip())
            return
        bold = "Bold" in str((font or {}).get("/BaseFont", ""))
        line = lines.setdefault(round(y), {"text": "", "bold": True})
        line["text"] += text
        line["bold"] = line["bold"] and bold

    page.extract_text(visitor_text=visit)
    body = [{"text": _flat(line["text"]), "bold": line["bold"]} for _y, line in sorted(lines.items(), reverse=True)]
    return margin, [line for line in body if line["text"]]


def _is_heading(line: dict, headings: list[str]) -> bool:
    return line["bold"] and len(line["text"]) > 1 and any(line["text"] in heading for heading in headings)


def pdf_layout_problems(content: bytes, *, headings: list[str], numbered_per_form=False, order=None) -> list[str]:
    """What breaks the layout rules, page by page ([] when nothing does)."""
    problems = []
    pages = [_page(page) for page in PdfReader(io.BytesIO(content)).pages]
    numbered_since = 0  # the page (from 1) that starts the current form
    for number, (margin, lines) in enumerate(pages, start=1):
        where = f"page {number}"
        numbers = [m for m in margin if PAGE_NUMBER.match(m)]
        problems += [
            f"{where}: text beyond the right edge of the page: {m[10:]!r}" for m in margin if m.startswith("OFF-PAGE")
        ]
        margin = [m for m in margin if not m.startswith("OFF-PAGE")]
        if not lines:
            problems.append(f"{where} is empty")
            continue
        starts_a_form = numbered_per_form and _is_heading(lines[0], headings)
        if number == 1 or starts_a_form:
            numbered_since = number
            if numbers:
                problems.append(f"{where} starts the document but is numbered {numbers}")
        else:
            expected = str(number - numbered_since + 1)
            if [PAGE_NUMBER.match(m).group(1) for m in numbers] != [expected]:
                problems.append(f"{where} should be numbered {expected}, its margins say {margin}")
        if all(_is_heading(line, headings) for line in lines):
            problems.append(f"{where} holds only a heading: {lines[0]['text']!r}")
        if number < len(pages) and _is_heading(lines[-1], headings):
            problems.append(f"{where} ends with a heading: {lines[-1]['text']!r}")
        if len(pages) > 1 and len(lines) < 2:
            problems.append(f"{where} holds one line alone: {lines[0]['text']!r}")
        if number > 1 and SIGNATURE_LINE.search(lines[0]["text"]):
            problems.append(f"{where} starts with a signature line, without the text it signs: {lines[0]['text']!r}")
        for index, line in enumerate(lines):
            if APPENDIX_MARK.match(line["text"]) and index > 0:
                problems.append(f"{where}: «{line['text'][:14]}» is not at the top of its page")
    if order is not None:
        problems += _order_signature_problems(pages, order)
    return problems


def _order_signature_problems(pages, order) -> list[str]:
    """The signature is on the page of the last point's end, under it."""
    signature = _flat(order["signature"])  # as the page's text is read: a non-breaking space is a space
    last_words = " ".join(order["last_point"].split()[-3:])
    for number, (_margin, lines) in enumerate(pages, start=1):
        texts = [line["text"] for line in lines]
        at = next((i for i, text in enumerate(texts) if text.endswith(signature)), None)
        if at is None:
            continue
        if last_words not in " ".join(texts[:at]):
            return [f"page {number}: the signature {signature!r} is not under the last point ({last_words!r})"]
        return []
    return [f"the signature {signature!r} is nowhere"]


def _ends_a_page(paragraph) -> bool:
    """The paragraph holds a page break or ends a section (a new section starts a new page)."""
    p_pr = paragraph._p.pPr
    ends_section = p_pr is not None and p_pr.find(qn("w:sectPr")) is not None
    return ends_section or bool(paragraph._p.xpath('.//w:br[@w:type="page"]'))


def docx_layout_problems(content: bytes, *, order=None) -> list[str]:
    problems = []
    document = Document(io.BytesIO(content))
    first = document.sections[0]
    numbered = any("PAGE" in (code.text or "") for code in first.header._element.iter(qn("w:instrText")))
    if not (first.different_first_page_header_footer and numbered):
        problems.append("page numbers are not in the header from page 2 (none on page 1)")
    for number, table in enumerate(document.tables, start=1):
        rows = table.rows
        header = rows[0]._tr.trPr
        # A table of one row (the parties' signatures side by side) has no header to repeat.
        if len(rows) > 1 and (header is None or header.find(qn("w:tblHeader")) is None):
            problems.append(f"table {number}: its header row does not repeat on each page")
        for index, row in enumerate(rows, start=1):
            tr_pr = row._tr.trPr
            if tr_pr is None or tr_pr.find(qn("w:cantSplit")) is None:
                problems.append(f"table {number}, row {index}: may split across pages")
                break
    paragraphs = document.paragraphs
    for paragraph in paragraphs[:-1]:
        runs = [run for run in paragraph.runs if run.text.strip()]
        numbered_heading = runs and all(run.bold for run in runs) and re.match(r"^\d+\.\s", paragraph.text)
        if numbered_heading and not paragraph.paragraph_format.keep_with_next:
            problems.append(f"heading {paragraph.text!r} is not kept with what follows")
    for index, paragraph in enumerate(paragraphs[1:], start=1):
        if APPENDIX_MARK.match(paragraph.text) and not _ends_a_page(paragraphs[index - 1]):
            problems.append(f"«{paragraph.text[:14]}» does not start a new page")
    if order is not None:
        signature = next((i for i, p in enumerate(paragraphs) if p.text.endswith("\t" + order["signature"])), None)
        if signature is None:
            problems.append(f"the signature {order['signature']!r} is nowhere")
        else:
            before = paragraphs[signature - 1]
            if not before.paragraph_format.keep_with_next:
                problems.append(f"the line before the signature ({before.text[:40]!r}) is not kept with it")
            if order["last_point"][:30] not in " ".join(p.text for p in paragraphs[signature - 3 : signature]):
                problems.append("the last point is not just before the signature")
    return problems


# --- Rendering ------------------------------------------------------------------------------------


@pytest.fixture
def captured_html(monkeypatch):
    """The HTML each PDF was rendered from (for its headings)."""
    rendered: list[str] = []
    original = pdf_module.render_html

    def capture(**kwargs):
        html = original(**kwargs)
        rendered.append(html)
        return html

    monkeypatch.setattr(pdf_module, "render_html", capture)
    return rendered


def _order_facts(params) -> dict | None:
    """The signature and the last point of the order a file prints, for the order's own rules."""
    from reports.models import Order
    from reports.orders.documents import order_context

    order = Order.objects.get(pk=params["order"])
    context = order_context(order)
    last_point = order.control_text or context["points"][-1].action
    return {"signature": context["signer_signature"], "last_point": _flat(last_point)}


def _check(data, identifier, captured_html, params=None) -> list[str]:
    exporter = REGISTRY[identifier]
    params = data["params"].get(identifier, {}) if params is None else params
    order = _order_facts(params) if identifier in {"order-pdf", "order-docx"} else None
    problems = []
    for fmt in (f for f in exporter.formats if f in DOCUMENT_FORMATS):
        captured_html.clear()
        content = registry_tests._render(data, exporter, fmt, params).content
        if LOOK_DIR:
            (LOOK_DIR / f"{data['school'].slug}-{identifier}.{fmt}").write_bytes(content)
        if fmt == "pdf":
            headings = [heading for html in captured_html for heading in _headings(html)]
            found = pdf_layout_problems(
                content, headings=headings, numbered_per_form=identifier in NUMBERED_PER_FORM, order=order
            )
        else:
            found = docx_layout_problems(content, order=order)
        problems += [f"{identifier} ({fmt}): {problem}" for problem in found]
    return problems


@pytest.mark.parametrize("identifier", DOCUMENTS)
def test_every_document_keeps_the_layout_rules_on_the_demo(demo_data, db, captured_html, identifier):
    assert _check(demo_data, identifier, captured_html) == []


# --- The large case: an order with 300 pairs, a district of 30 schools -----------------------------


@pytest.fixture(scope="module")
def large_data(django_db_setup, django_db_blocker):
    """A school whose pairs order lists 300 pairs and a district of 30 schools with their pairs;
    built once for the module, rolled back when its tests are done."""
    from django.apps import apps

    from conftest import SEEDED_BY_MIGRATIONS

    User = get_user_model()
    with django_db_blocker.unblock(), transaction.atomic():
        from importlib import import_module

        for module in SEEDED_BY_MIGRATIONS:
            import_module(module).seed(apps, None)
        district = DistrictFactory(slug="large-district")
        schools = [
            SchoolFactory(slug=f"large-{n}", parent=district, short_name=f"МБОУ СОШ № {n}")
            for n in range(1, LARGE_SCHOOLS + 1)
        ]
        school = schools[0]
        director = User.objects.create_user("large-director", password="x")
        curator = User.objects.create_user("large-curator", password="x")
        officer = User.objects.create_user("large-officer", password="x")
        Membership.objects.create(user=director, organisation=school, role=Role.DIRECTOR)
        Membership.objects.create(user=curator, organisation=school, role=Role.CURATOR)
        Membership.objects.create(user=officer, organisation=district, role=Role.DISTRICT_OFFICER)
        programme = ProgrammeFactory(organisation=school, school_year=2026)
        pairs = [
            PairFactory(
                organisation=school,
                programme=programme,
                status=Pair.Status.DRAFT,
                mentor=TeacherFactory(organisation=school, last_name=f"Наставникова-{n}", position="учитель"),
                mentees=[PersonFactory(organisation=school, last_name=f"Учеников-{n}", grade=5 + n % 7)],
            )
            for n in range(LARGE_PAIRS)
        ]
        order = order_draft(organisation=school, kind=OrderKind.PAIRS, user=curator, programme=programme)
        order = order_save(order=order, fields={}, points=_points(order), pairs=pairs)
        order_submit(order=order, user=curator)
        order = order_approve(order=order, user=director, on=ORDER_DATE)
        for other in schools[1:]:
            other_programme = ProgrammeFactory(organisation=other, school_year=2026)
            for _ in range(3):
                PairFactory(organisation=other, programme=other_programme)
        yield {
            "school": school,
            "district": district,
            "director": director,
            "officer": officer,
            "params": {"order-pdf": {"order": order.pk}, "order-docx": {"order": order.pk}},
            "order": order,
        }
        transaction.set_rollback(True)


def _points(order) -> list[dict]:
    return [
        {"action": point.action, "responsible": point.responsible, "deadline": point.deadline}
        for point in order.points.all()
    ]


@pytest.mark.parametrize("identifier", ["order-pdf", "order-docx", "order-acquaintance"])
def test_an_order_with_300_pairs_keeps_the_layout_rules(large_data, db, captured_html, identifier):
    params = {"order": large_data["order"].pk}
    assert _check(large_data, identifier, captured_html, params) == []


def test_the_report_of_a_30_school_district_keeps_the_layout_rules(large_data, db, captured_html):
    assert _check(large_data, "district-report", captured_html, {}) == []


def test_the_large_order_runs_over_many_pages_with_each_pair_once(large_data, db):
    """The large case is large: the pairs table runs over pages, and no row is lost or doubled."""
    params = {"order": large_data["order"].pk}
    content = registry_tests._render(large_data, REGISTRY["order-pdf"], "pdf", params).content
    if LOOK_DIR:
        (LOOK_DIR / "large-order.pdf").write_bytes(content)
    pages = [_page(page)[1] for page in PdfReader(io.BytesIO(content)).pages]
    # The pairs appendix: from page 2 up to the лист ознакомления (which names the mentors again).
    sheet = next(n for n, lines in enumerate(pages) if lines[0]["text"] == "Лист ознакомления")
    appendix = pages[1:sheet]
    assert len(appendix) > 10
    text = " ".join(line["text"] for lines in appendix for line in lines)
    missing_or_doubled = [n for n in range(LARGE_PAIRS) if text.count(f"Наставникова-{n} ") != 1]
    assert missing_or_doubled == []
    continued = appendix[1:]
    # Each continued page opens with the table's header row again (its cells wrap over lines).
    heads = [" ".join(line["text"] for line in lines[:3]) for lines in continued]
    assert heads and all("Наставник" in head and "Срок" in head for head in heads), heads[:2]
