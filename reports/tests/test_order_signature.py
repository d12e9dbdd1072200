"""The order's signature block never stands alone on a page: the director signs the text above it.

An order whose points fill the first page to its last line is the hard case: the signature no
longer fits and moves to page 2; the last point must move with it (PDF), and in the DOCX the lines
before the signature are kept with it.
"""

import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from mentorship.tests.factories import ProgrammeFactory
from reports.exports.pdf import render_pdf
from reports.models import OrderKind
from reports.orders.documents import order_context
from reports.orders.docx import docx_from_context
from reports.orders.exporters import ORDER_TEMPLATE
from reports.orders.services import order_draft, order_save

pytestmark = pytest.mark.django_db

LAST_POINT = "Контроль исполнения приказа возложить на заместителя директора"
FILLER = "Провести заседание методического объединения по вопросам наставничества"


def _order(school, curator, count: int):
    programme = ProgrammeFactory(organisation=school)
    order = order_draft(organisation=school, kind=OrderKind.IMPLEMENTATION, user=curator, programme=programme)
    points = [{"action": f"{FILLER} № {n}.", "responsible": "", "deadline": ""} for n in range(1, count)]
    points.append({"action": f"{LAST_POINT}.", "responsible": "", "deadline": ""})
    order = order_save(
        order=order,
        fields={"control_text": "", "include_regulation": False, "include_roadmap": False, "preamble": ""},
        points=points,
    )
    return order


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(order) -> list[str]:
    content = render_pdf(template_name=ORDER_TEMPLATE, context=order_context(order))
    return [_flat(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def _signature_page(pages: list[str], signature: str) -> int:
    return next(n for n, text in enumerate(pages) if _flat(signature) in text)


@pytest.fixture
def crowded_order(school_a, curator_a):
    """The order with the fewest points whose signature no longer fits on page 1 (bisection)."""
    low, high = 1, 80
    while low < high:
        middle = (low + high) // 2
        order = _order(school_a, curator_a, middle)
        context = order_context(order)
        if _signature_page(_pages(order), context["signer_signature"]) > 0:
            high = middle
        else:
            low = middle + 1
        order.delete()
    return _order(school_a, curator_a, low)


def test_the_signature_is_never_alone_on_a_page(crowded_order):
    context = order_context(crowded_order)
    pages = _pages(crowded_order)
    page = _signature_page(pages, context["signer_signature"])
    assert page > 0, "the case does not push the signature over the page"
    before_signature = pages[page].split(context["signer_position"])[0]
    assert LAST_POINT in before_signature, f"the signature stands alone on page {page + 1}: {pages[page][:200]!r}"


def test_the_docx_keeps_the_last_point_with_the_signature(crowded_order):
    document = Document(io.BytesIO(docx_from_context(order_context(crowded_order))))
    paragraphs = document.paragraphs
    signature = next(n for n, p in enumerate(paragraphs) if re.search(r"\t", p.text) and "Директор" in p.text)
    last_point = next(n for n, p in enumerate(paragraphs) if LAST_POINT in p.text)
    assert last_point < signature
    for paragraph in paragraphs[last_point:signature]:
        assert paragraph.paragraph_format.keep_with_next, paragraph.text
        assert paragraph.paragraph_format.keep_together, paragraph.text
    assert paragraphs[signature].paragraph_format.keep_together
