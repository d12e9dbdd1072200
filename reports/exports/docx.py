"""Word documents (DOCX): the ГОСТ Р 7.0.97 page every DOCX of the product is built on.

Orders and analytical reports are built with python-docx (docxtpl's own dependency) rather than
from a docxtpl template: an order is a variable sequence of numbered points, appendices after
page breaks, a landscape section for the roadmap and tables whose row count follows the data,
which is plain code in python-docx and awkward Jinja inside Word XML; and there is no binary
.docx template to keep in step with the HTML one. Layout per ГОСТ Р 7.0.97: Times New Roman
14 pt, margins top 20, right 10, bottom 20, left 20 mm, paragraph indent 1.25 cm, page numbers
centred at the top from page 2.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from organisations.russian import WORD_JOINER, tie

FONT = "Times New Roman"
FONT_SIZE = Pt(14)
TABLE_FONT_SIZE = Pt(12)
ROADMAP_FONT_SIZE = Pt(11)
INDENT = Cm(1.25)
A4_SHORT, A4_LONG = Mm(210), Mm(297)
DRAFT_COLOUR = RGBColor(0xA0, 0x00, 0x00)
# The QR code (ГОСТ Р 7.0.97-2025): 20 mm, its footer 5 mm from the paper's edge.
QR_SIZE = Mm(20)
QR_FOOTER_DISTANCE = Mm(5)
ESIGN_FONT_SIZE = Pt(9)
ESIGN_COLOUR = RGBColor(0x1F, 0x3B, 0x7A)
RPR_AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _set_defaults(document) -> None:
    """Times New Roman 14 pt, Russian, single spacing for every paragraph, tables included.

    The template's defaults point at theme fonts (Calibri), which win over a style's font in
    some Word versions: they are replaced in docDefaults itself.
    """
    styles_element = document.styles.element
    r_pr = styles_element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = r_pr.find(qn("w:rFonts"))
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for name in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(name), FONT)
    for name in ("w:sz", "w:szCs"):
        r_pr.find(qn(name)).set(qn("w:val"), str(int(FONT_SIZE.pt * 2)))
    lang = r_pr.find(qn("w:lang"))
    lang.set(qn("w:val"), "ru-RU")
    lang.set(qn("w:eastAsia"), "ru-RU")
    spacing = styles_element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = FONT_SIZE
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _page_setup(section, *, landscape: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    section.top_margin = Mm(20)
    section.right_margin = Mm(10)
    section.bottom_margin = Mm(20)
    section.left_margin = Mm(20)


def text_width(section):
    return section.page_width - section.left_margin - section.right_margin


def _add_field(paragraph, instruction: str) -> None:
    """A Word field (PAGE), computed by Word and LibreOffice when the page is laid out."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run._r.append(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run("2")  # shown until the field is updated
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def add_text(paragraph, text: str):
    """A run of ``text`` with Russian non-breaking spaces (organisations.russian.tie); a hyphen that
    must not break («№ 48-ОД») becomes Word's non-breaking hyphen."""
    text = tie(text)
    if WORD_JOINER not in text:
        return paragraph.add_run(text)
    run = paragraph.add_run()
    for index, piece in enumerate(text.split("-" + WORD_JOINER)):
        if index:
            run._r.append(OxmlElement("w:noBreakHyphen"))
        for part_index, part in enumerate(piece.replace(WORD_JOINER, "").split("\t")):
            if part_index:
                run._r.append(OxmlElement("w:tab"))
            if part:
                run._r.add_t(part)
    return run


def _draft_mark(paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run("ПРОЕКТ")
    run.bold = True
    run.font.size = Pt(16)
    run.font.color.rgb = DRAFT_COLOUR


def _headers(section, *, is_draft: bool) -> None:
    """Page numbers centred at the top from the second page; a draft says «ПРОЕКТ» on every page."""
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_field(number, "PAGE")
    if is_draft:
        _draft_mark(section.header.add_paragraph())
        _draft_mark(section.first_page_header.paragraphs[0])


class DocxWriter:
    """A ГОСТ-like Word document (defaults, margins, page numbers) with paragraph and table helpers;
    subclasses add a document's parts (reports.orders.docx, reports.analytics.documents_docx)."""

    def __init__(self, *, is_draft: bool = False):
        self.document = Document()
        _set_defaults(self.document)
        _page_setup(self.document.sections[0])
        _headers(self.document.sections[0], is_draft=is_draft)

    # Paragraphs.
    def paragraph(self, text: str = "", *, align=None, bold=False, italic=False, indent=False, size=None, before=0):
        paragraph = self.document.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = INDENT
        if before:
            paragraph.paragraph_format.space_before = Pt(before)
        if text:
            run = add_text(paragraph, text)
            run.bold = bold or None  # None inherits: no needless <w:b w:val="0"/>
            run.italic = italic or None
            if size is not None:
                run.font.size = size
        return paragraph

    def text(self, text: str, **kwargs):
        return self.paragraph(text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, **kwargs)

    def centred(self, text: str, **kwargs):
        return self.paragraph(text, align=WD_ALIGN_PARAGRAPH.CENTER, **kwargs)

    def two_sides(self, left: str, right: str, *, before=0):
        """«left … right» on one line: a right tab stop at the edge of the text."""
        paragraph = self.paragraph(before=before)
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            text_width(self.document.sections[-1]), WD_TAB_ALIGNMENT.RIGHT
        )
        add_text(paragraph, f"{left}\t{right}")
        return paragraph

    def new_page(self, *, landscape: bool | None = None) -> None:
        """A page break; a new section when the orientation changes (the roadmap is landscape)."""
        current = self.document.sections[-1]
        is_landscape = current.orientation == WD_ORIENT.LANDSCAPE
        if landscape is None or landscape == is_landscape:
            self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            return
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section, landscape=landscape)
        # The new section copies «no number on the first page»; only the order's first page has none.
        section.different_first_page_header_footer = False

    # Tables.
    def table(self, headers: list[str], rows: list[list[str]], widths: list[float], *, size=TABLE_FONT_SIZE):
        """A real Word table with borders; the header row repeats on every page. ``widths`` are
        shares of the text width; a row of one cell spans the whole table (a section title)."""
        total = text_width(self.document.sections[-1])
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        column_widths = [int(total * share) for share in widths]
        for column, width in zip(table.columns, column_widths, strict=True):
            column.width = width
        header = table.rows[0]
        _repeat_header(header)
        cant_split(header)
        for cell, text, width in zip(header.cells, headers, column_widths, strict=True):
            cell.width = width
            self._cell(cell, text, size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for values in rows:
            row = table.add_row()
            cant_split(row)  # a row is never split across pages
            cells = row.cells
            if len(values) == 1:
                merged = cells[0].merge(cells[-1])
                merged.width = sum(column_widths)
                self._cell(merged, values[0], size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
                # A section's title row is a heading: Word keeps it on the page of the row below.
                for paragraph in merged.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
                continue
            for cell, text, width in zip(cells, values, column_widths, strict=True):
                cell.width = width
                self._cell(cell, text, size=size)
        return table

    @staticmethod
    def _cell(cell, text: str, *, size, bold=False, align=None) -> None:
        lines = str(text or "").split("\n")
        paragraph = cell.paragraphs[0]
        for index, line in enumerate(lines):
            if index:
                paragraph = cell.add_paragraph()
            if align is not None:
                paragraph.alignment = align
            run = add_text(paragraph, line)
            run.bold = bold or None
            run.font.size = size

    # ГОСТ Р 7.0.97-2025 requisites, for every document built on this writer.
    def qr_code(self, png: bytes, *, size=QR_SIZE) -> None:
        """The document's QR code in the lower right corner of the first page: the first page's footer,
        which Word grows on that page alone, so the text keeps its room on the others."""
        section = self.document.sections[0]
        section.different_first_page_header_footer = True
        section.footer_distance = QR_FOOTER_DISTANCE
        paragraph = section.first_page_footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run().add_picture(io.BytesIO(png), width=size, height=size)

    def esign_signature(self, position: str, name: str, esign: dict, *, before=0):
        """The signature line with the electronic-signature mark in the signature's place: the position,
        a framed block «ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ», the initials and surname."""
        if before:
            # The distance above goes before the table: inside the frame it would look like a blank line.
            self.paragraph().paragraph_format.space_before = Pt(max(before - FONT_SIZE.pt, 0))
        total = text_width(self.document.sections[-1])
        widths = [int(total * share) for share in (0.28, 0.5, 0.22)]
        table = self.document.add_table(rows=1, cols=3)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        left, mark, right = table.rows[0].cells
        for cell, width in zip((left, mark, right), widths, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        left.paragraphs[0].add_run(position)
        right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        right.paragraphs[0].add_run(name)
        lines = [
            ("ДОКУМЕНТ ПОДПИСАН", True),
            ("ЭЛЕКТРОННОЙ ПОДПИСЬЮ", True),
            (f"Сертификат: {esign['certificate']}", False),
            (f"Владелец: {esign['owner']}", False),
        ]
        if esign.get("validity"):
            lines.append((f"Действителен {esign['validity']}", False))
        for index, (line, bold) in enumerate(lines):
            paragraph = mark.paragraphs[0] if index == 0 else mark.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if bold else WD_ALIGN_PARAGRAPH.LEFT
            run = paragraph.add_run(line)
            run.bold = bold or None
            run.font.size = ESIGN_FONT_SIZE
            run.font.color.rgb = ESIGN_COLOUR
        _box(mark)
        return table

    def to_bytes(self, *, title: str, author: str) -> bytes:
        properties = self.document.core_properties
        properties.title = title
        properties.author = author
        properties.last_modified_by = author
        properties.language = "ru-RU"
        properties.comments = ""
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def letter_spacing(run, spacing) -> None:
    element = OxmlElement("w:spacing")
    element.set(qn("w:val"), str(int(spacing.pt * 20)))
    # Word refuses a file whose rPr children are out of the schema's order.
    run._r.get_or_add_rPr().insert_element_before(element, *RPR_AFTER_SPACING)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    # First, as Word writes it (cantSplit before tblHeader and trHeight).
    tr_pr.insert(0, cant_split)


def _box(cell) -> None:
    """A frame around one cell (the electronic-signature mark) in a table without borders."""
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "8")
        border.set(qn("w:space"), "0")
        border.set(qn("w:color"), str(ESIGN_COLOUR))
        borders.append(border)
    cell._tc.get_or_add_tcPr().append(borders)
