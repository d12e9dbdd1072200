"""The employee mentor's documents as DOCX, on the product's ГОСТ page (reports.exports.docx)."""

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reports.employees.documents import PaperDocument
from reports.exports.docx import DocxWriter, add_text, cant_split, text_width


def _whole(table) -> None:
    """A layout table (the parties' signatures, the author beside the addressee) is one row that Word
    never splits across pages; marked as the header row too, as every table of the product is."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        for tag in ("w:cantSplit", "w:tblHeader"):  # Word's order: cantSplit before tblHeader
            element = OxmlElement(tag)
            element.set(qn("w:val"), "true")
            tr_pr.append(element)


class EmployeeDocxWriter(DocxWriter):
    def write(self, paper: PaperDocument) -> None:
        if paper.qr:
            self.qr_code(paper.qr["png"])
        if paper.author:
            self._author_and_addressee(paper)
        for index, line in enumerate([] if paper.author else paper.addressee):
            paragraph = self.paragraph(line)
            paragraph.paragraph_format.left_indent = Cm(9)
            if index == len(paper.addressee) - 1:
                paragraph.paragraph_format.space_after = Pt(18)
        self.centred(paper.title.upper() if paper.addressee else paper.title, bold=True)
        if paper.subtitle:
            self.centred(paper.subtitle, bold=True)
        if paper.place_and_date:
            place, date = paper.place_and_date
            self.two_sides(place, date, before=12)
        self.paragraph("")
        for block in paper.blocks:
            if block["heading"]:
                self.centred(block["text"], bold=True, before=6)
            else:
                self.text(block["text"])
        if len(paper.signatures) == 1:
            signature = paper.signatures[0]
            left = paper.date_line or signature.lines[-1]
            self.two_sides(left, f"______________ / {signature.signer} /", before=24)
        else:
            self._signature_table(paper)
        for mark in paper.marks:
            self.paragraph(mark, before=18, size=Pt(12))

    def _author_and_addressee(self, paper: PaperDocument) -> None:
        """The school's name upper left, the addressee upper right, on one level (ГОСТ Р 7.0.97-2025)."""
        table = self.document.add_table(rows=1, cols=2)
        table.autofit = False
        width = int(text_width(self.document.sections[-1]) / 2)
        _whole(table)
        author, addressee = table.rows[0].cells
        for cell in (author, addressee):
            cell.width = width
        for index, line in enumerate(paper.author):
            paragraph = author.paragraphs[0] if index == 0 else author.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_text(paragraph, line).font.size = Pt(12)
        for index, line in enumerate(paper.addressee):
            add_text(addressee.paragraphs[0] if index == 0 else addressee.add_paragraph(), line)
        self.paragraph("").paragraph_format.space_after = Pt(6)

    def _signature_table(self, paper: PaperDocument) -> None:
        self.paragraph("")
        table = self.document.add_table(rows=1, cols=len(paper.signatures))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _whole(table)
        width = int(text_width(self.document.sections[-1]) / len(paper.signatures))
        cant_split(table.rows[0])  # each party's signature block stays on one page
        for cell, signature in zip(table.rows[0].cells, paper.signatures, strict=True):
            cell.width = width
            first = cell.paragraphs[0]
            add_text(first, signature.caption).bold = True
            for line in signature.lines:
                add_text(cell.add_paragraph(), line).font.size = Pt(12)
            last = cell.add_paragraph()
            add_text(last, f"______________ / {signature.signer} /")
            last.paragraph_format.space_before = Pt(18)
            cell.add_paragraph(
                "М.П." if signature.caption == "Работодатель" else ""
            ).alignment = WD_ALIGN_PARAGRAPH.LEFT


def paper_docx(paper: PaperDocument, *, author: str) -> bytes:
    writer = EmployeeDocxWriter()
    writer.write(paper)
    return writer.to_bytes(title=paper.filename, author=author)
