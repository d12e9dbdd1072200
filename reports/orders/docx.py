"""An order as a Word document (DOCX) with the content of the PDF, for a director who edits in Word.

Built on reports.exports.docx.DocxWriter (the ГОСТ Р 7.0.97 page); this module adds the order's parts:
the header, the numbered points, the signature, the appendices, the лист ознакомления and the
лист согласования (when the order went through visas).
"""

import re

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.shared import Pt

from reports.exports.docx import (
    ROADMAP_FONT_SIZE,
    DocxWriter,
    letter_spacing,
    text_width,
)
from reports.orders.documents import order_context
from reports.orders.models import Order


class _Writer(DocxWriter):
    """Adds the order's parts to a python-docx Document in the order they are printed."""

    def __init__(self, context: dict):
        super().__init__(is_draft=context["is_draft"])
        self.context = context

    # The order's parts.
    def header(self) -> None:
        c = self.context
        organisation = c["organisation"]
        self.centred(organisation.full_name, bold=True)
        if organisation.short_name and organisation.short_name != organisation.full_name:
            self.centred(f"({organisation.short_name})")
        heading = self.centred("ПРИКАЗ", bold=True, size=Pt(16), before=14)
        letter_spacing(heading.runs[0], Pt(3))
        self.two_sides(c["date_text"], f"№ {c['number_text']}", before=12)
        if organisation.town:
            self.centred(organisation.town, before=4)
        self.centred(c["order"].title, bold=True, before=14).paragraph_format.space_after = Pt(14)
        self.gost_requisites()

    def gost_requisites(self) -> None:
        """ГОСТ Р 7.0.97-2025: the QR code of a registered order on its first page."""
        if self.context.get("qr"):
            self.qr_code(self.context["qr"]["png"])

    def signature(self, *, before: int) -> None:
        """The signature line, or the electronic-signature mark in the signature's place."""
        c = self.context
        if c.get("esign"):
            self.esign_signature(c["signer_position"], c["signer_signature"], c["esign"], before=before)
        else:
            line = self.two_sides(c["signer_position"], c["signer_signature"], before=before)
            line.paragraph_format.keep_together = True

    def body(self) -> None:
        c = self.context
        order = c["order"]
        for paragraph in _paragraphs(order.preamble):
            self.text(paragraph)
        self.paragraph("ПРИКАЗЫВАЮ:", bold=True, before=8).paragraph_format.keep_with_next = True
        last_point: list = []  # the paragraphs of the last point, kept with the signature
        for number, point in enumerate(c["points"], start=1):
            last_point = [self.text(f"{number}. {point.action}", before=4)]
            meta = []
            if point.responsible:
                label = getattr(point, "responsible_label", "Ответственный")
                meta.append(f"{label}: {_sentence(point.responsible)}" if label else _sentence(point.responsible))
            if point.deadline:
                meta.append(f"Срок: {_sentence(point.deadline)}")
            if meta:
                last_point.append(self.text(" ".join(meta), italic=True))
        if order.control_text:
            last_point = [self.text(f"{len(c['points']) + 1}. {order.control_text}", before=4)]
        # The director signs the text above: Word moves the last point to the next page with the
        # signature rather than leave the signature alone there (issue #16).
        for paragraph in last_point:
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.keep_together = True
        self.signature(before=36)

    def appendices(self) -> None:
        c = self.context
        data = c["data"]
        for appendix in c["appendices"]:
            key = appendix["key"]
            self.new_page(landscape=key == "roadmap")
            caption = self.paragraph(appendix["caption"], size=Pt(12))
            caption.paragraph_format.left_indent = int(text_width(self.document.sections[-1]) / 2)
            caption.paragraph_format.space_after = Pt(12)
            caption.paragraph_format.keep_with_next = True
            title = appendix["title"]
            if key == "roadmap":
                title = (data.get("roadmap") or {}).get("title") or title
            heading = self.centred(title, bold=True)
            heading.paragraph_format.space_after = Pt(10)
            heading.paragraph_format.keep_with_next = True
            getattr(self, f"appendix_{key}")(data)

    def appendix_regulation(self, data: dict) -> None:
        blocks = self.context["regulation"]
        if not blocks:
            self.text("Текст положения не заполнен.", italic=True)
        for block in blocks:
            if block["heading"]:
                self.centred(block["text"], bold=True, before=10).paragraph_format.keep_with_next = True
            else:
                self.text(block["text"])

    def appendix_roadmap(self, data: dict) -> None:
        sections = (data.get("roadmap") or {}).get("sections") or []
        if not sections:
            self.text("Дорожная карта на период программы не составлена.", italic=True)
            return
        rows: list[list[str]] = []
        for section in sections:
            rows.append([section["title"]])
            rows += [
                [item["content"], item["deadline"], item["result"], item["indicator"], item["responsible"]]
                for item in section["items"]
            ]
        self.table(
            ["Содержание", "Сроки", "Ожидаемый результат", "Показатели эффективности", "Ответственный"],
            rows,
            [0.30, 0.13, 0.22, 0.20, 0.15],
            size=ROADMAP_FONT_SIZE,
        )

    def appendix_register(self, data: dict) -> None:
        organisation = self.context["organisation"]
        rows = [
            [str(n), row["name"], row["who"], row["organisation"] or organisation.short_name, row["competencies"]]
            for n, row in enumerate(data.get("register", []), start=1)
        ]
        self.table(
            ["№", "ФИО наставника", "Должность", "Организация", "Компетенции"], rows, [0.06, 0.26, 0.2, 0.2, 0.28]
        )

    def appendix_pairs(self, data: dict) -> None:
        rows = []
        for n, row in enumerate(data.get("pairs", []), start=1):
            mentor = row["mentor"] + (f"\n{row['mentor_who']}" if row["mentor_who"] else "")
            mentees = "\n".join(f"{m['name']} ({m['who']})" if m["who"] else m["name"] for m in row["mentees"])
            rows.append([str(n), mentor, mentees, row["form"], row["role_model"], row["term"]])
        self.table(
            ["№", "Наставник", "Наставляемые (класс/должность)", "Форма", "Ролевая модель", "Срок"],
            rows,
            [0.06, 0.22, 0.26, 0.14, 0.14, 0.18],
        )

    def appendix_plans(self, data: dict) -> None:
        rows = [
            [str(n), row["mentor"], row["mentees"], row["form"], row["goals"]]
            for n, row in enumerate(data.get("plans", []), start=1)
        ]
        self.table(["№", "Наставник", "Наставляемые", "Форма", "Цели плана"], rows, [0.06, 0.22, 0.26, 0.14, 0.32])

    def appendix_pay(self, data: dict) -> None:
        rows = [
            [
                str(n),
                row["mentor"] + (f"\n{row['who']}" if row["who"] else ""),
                row["basis"],
                row["rule"],
                row["amount"],
                row["term"],
            ]
            for n, row in enumerate(data.get("pay", []), start=1)
        ]
        self.table(
            [
                "№",
                "Работник, должность",
                "Основание: согласие, дополнительное соглашение",
                "Порядок расчёта выплаты",
                "Выплата в месяц",
                "Срок",
            ],
            rows,
            [0.05, 0.2, 0.27, 0.2, 0.12, 0.16],
        )

    def acquaintance(self, *, new_page: bool = True) -> None:
        c = self.context
        if new_page:
            self.new_page(landscape=False)
        self.centred("Лист ознакомления", bold=True).paragraph_format.keep_with_next = True
        if c["is_draft"]:
            subject = f"с проектом приказа «{c['order'].title}»"
        else:
            subject = f"с приказом от {c['date_short']} № {c['number_text']} «{c['order'].title}»"
        subject_line = self.centred(subject)
        subject_line.paragraph_format.space_after = Pt(12)
        subject_line.paragraph_format.keep_with_next = True
        people = c["data"].get("acquaintance", [])
        rows = [[str(n), row["name"], row["who"], "", ""] for n, row in enumerate(people, start=1)]
        rows = rows or [[str(n), "", "", "", ""] for n in range(1, 6)]
        table = self.table(["№", "ФИО", "Должность", "Дата", "Подпись"], rows, [0.06, 0.36, 0.26, 0.15, 0.17])
        for row in table.rows[1:]:
            row.height = Pt(24)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST

    def approval(self) -> None:
        """The лист согласования on a page of its own, when the order has visas; rows never split."""
        c = self.context
        visas = c.get("approval") or []
        if not visas:
            return
        self.new_page(landscape=False)
        self.centred("Лист согласования", bold=True).paragraph_format.keep_with_next = True
        if c["is_draft"]:
            subject = f"проекта приказа «{c['order'].title}»"
        else:
            subject = f"приказа от {c['date_short']} № {c['number_text']} «{c['order'].title}»"
        subject_line = self.centred(subject)
        subject_line.paragraph_format.space_after = Pt(12)
        subject_line.paragraph_format.keep_with_next = True
        rows = [
            [str(row["number"]), row["position"], row["name"], row["decision"], row["date"], row["comment"]]
            for row in visas
        ]
        table = self.table(
            ["№", "Должность", "ФИО", "Решение", "Дата", "Замечания, подпись"],
            rows,
            [0.06, 0.22, 0.22, 0.16, 0.13, 0.21],
        )
        for row in table.rows[1:]:
            row.height = Pt(24)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST

    def save(self) -> bytes:
        c = self.context
        return self.to_bytes(title=c["order"].title, author=c["organisation"].short_name)


def _sentence(text: str) -> str:
    """The text with one full stop at its end («Николаева О.А.» stays as it is)."""
    text = text.strip()
    return text if text.endswith(".") else f"{text}."


def _paragraphs(text: str) -> list[str]:
    """The preamble as typed: each line its own paragraph, empty lines dropped."""
    return [line.strip() for line in re.split(r"\n+", (text or "").replace("\r\n", "\n")) if line.strip()]


def docx_from_context(context: dict) -> bytes:
    """The DOCX of an order_context(), for a caller that has it already."""
    writer = _Writer(context)
    writer.header()
    writer.body()
    writer.appendices()
    writer.acquaintance()
    writer.approval()
    return writer.save()


def order_docx(order: Order) -> bytes:
    """The order, its appendices and the лист ознакомления as a DOCX."""
    return docx_from_context(order_context(order))


def acquaintance_docx(order: Order) -> bytes:
    """The лист ознакомления alone."""
    writer = _Writer(order_context(order))
    writer.gost_requisites()
    writer.acquaintance(new_page=False)
    return writer.save()
