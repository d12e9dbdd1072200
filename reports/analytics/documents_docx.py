"""The school's analytical report («Аналитическая справка…») as a Word document, with the content
of the PDF, for a curator who edits it further in Word.

Built on reports.orders.docx.DocxWriter: the same ГОСТ Р 7.0.97 page (Times New Roman 14 pt,
margins 20/10/20/20 mm, indent 1.25 cm, page numbers from page 2) and real Word tables.
"""

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from reports.exports.docx import CONTENT_TYPE, DocxWriter

__all__ = ["CONTENT_TYPE", "school_report_docx"]


class _ReportWriter(DocxWriter):
    def __init__(self, context: dict):
        super().__init__()
        self.c = context

    def section(self, title: str) -> None:
        self.paragraph(title, bold=True, before=12).paragraph_format.keep_with_next = True

    def subsection(self, title: str) -> None:
        self.paragraph(title, italic=True, before=6).paragraph_format.keep_with_next = True

    def header(self) -> None:
        c = self.c
        organisation = c["organisation"]
        self.centred(organisation.full_name, bold=True)
        if organisation.short_name and organisation.short_name != organisation.full_name:
            self.centred(f"({organisation.short_name})")
        self.centred(c["title"], bold=True, before=14)
        self.centred(f"за {c['period_phrase']}")
        self.centred(f"Данные на {c['as_of_text']}", size=Pt(12)).paragraph_format.space_after = Pt(10)

    def general(self) -> None:
        c = self.c
        period = c["period"]
        self.section("1. Общие сведения")
        # Left-aligned: a long name justified on one line stretches its spaces.
        self.paragraph(f"Образовательная организация: {c['organisation'].full_name}.", indent=True)
        self.text(f"Отчётный период: {c['period_phrase']} ({period.start:%d.%m.%Y}–{period.end:%d.%m.%Y}).")
        self.text(f"Куратор программы наставничества: {c['curators'] or 'не назначен'}.")
        if not c["programmes"]:
            self.text("Программа наставничества на отчётный период не создана.")
            return
        self.table(
            ["Программа наставничества", "Вид", "Сроки", "Текущий этап", "Куратор"],
            [[p.title, p.kind, p.dates, p.stage, p.curator or "—"] for p in c["programmes"]],
            [0.3, 0.15, 0.17, 0.2, 0.18],
        )

    def indicators(self) -> None:
        self.section("2. Показатели эффективности")
        rows = []
        for indicator in self.c["indicators"]:
            value = indicator.display
            if indicator.counts_text:
                value += f"\n{indicator.counts_text}"
            target = indicator.target_display if indicator.target is not None else "—"
            rows.append([indicator.title, value, target, indicator.status_label])
        self.table(["Показатель", "Значение", "Целевое значение", "Статус"], rows, [0.42, 0.2, 0.18, 0.2])
        self.subsection("Как считаются показатели")
        numbered = [i for i in self.c["indicators"] if i.formula_text]
        for n, indicator in enumerate(numbered, start=1):
            self.paragraph(f"{n}. {indicator.title}: {indicator.formula_text}.", size=Pt(12), indent=True)
        self.text(self.c["rounding_note"])

    def monitoring(self) -> None:
        monitoring = self.c["monitoring"]
        self.section("3. Результаты мониторинга")
        self.subsection("3.1. Удовлетворённость участников (итоговое анкетирование)")
        self.table(
            ["Участники", "Средний балл (из 10)", "Ответили на итоговую анкету"],
            [
                ["Наставляемые", monitoring.mentees_display, monitoring.mentees_counts],
                ["Наставники", monitoring.mentors_display, monitoring.mentors_counts],
            ],
            [0.4, 0.3, 0.3],
        )
        self.subsection("3.2. Рост участников: входное и итоговое анкетирование")
        if not monitoring.groups:
            self.text("Участников, ответивших на входную и итоговую анкеты с одинаковыми вопросами, в периоде нет.")
        for group in monitoring.groups:
            self.text(
                f"{group.title}: ответили на обе анкеты — {group.participants}, средний прирост — {group.mean_display}."
            )
            self.table(
                ["Вопрос", "Ответили на обе", "На входе", "На выходе", "Прирост"],
                [[i.text, str(i.participants), i.entry, i.exit, i.growth] for i in group.items],
                [0.44, 0.14, 0.14, 0.14, 0.14],
            )

    def roadmap(self) -> None:
        roadmap = self.c["roadmap"]
        completion = roadmap.completion
        self.section("4. Выполнение дорожной карты")
        if completion.counted:
            self.text(
                f"Мероприятий, срок которых наступил: {completion.counted}; выполнено в срок — "
                f"{completion.on_time} ({roadmap.percent_display}), с опозданием — {completion.late}, "
                f"просрочено — {completion.overdue}."
            )
        else:
            self.text("Мероприятий дорожной карты со сроком в отчётном периоде нет.")
        if roadmap.overdue:
            self.subsection("Просроченные мероприятия")
            self.table(
                ["№", "Мероприятие", "Срок", "Ответственный"],
                [
                    [str(n), f"{row.content}\n{row.section}", row.due_text, row.responsible or "—"]
                    for n, row in enumerate(roadmap.overdue, start=1)
                ],
                [0.06, 0.54, 0.15, 0.25],
            )

    def forms(self) -> None:
        self.section("5. Наставнические пары и группы по формам")
        forms = self.c["forms"]
        if not forms:
            self.text("Наставнические пары и группы в отчётном периоде не работали.")
            return
        table = self.table(
            ["Форма наставничества", "Ролевая модель", "Всего", "Работают", "Завершены", "Наставляемых"],
            [
                [row.form, row.role_model, str(row.total), str(row.working), str(row.closed), str(row.mentees)]
                for row in forms
            ],
            [0.24, 0.24, 0.1, 0.13, 0.13, 0.16],
            size=Pt(11),
        )
        for row, values in zip(table.rows[1:], forms, strict=True):
            if values.is_subtotal:
                for cell in row.cells:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True

    def best_cases(self) -> None:
        self.section("6. Лучшие практики наставничества")
        cases = self.c["best_cases"]
        if not cases:
            self.text("Пары и группы, отмеченные как лучшие практики, в отчётном периоде отсутствуют.")
        for n, case in enumerate(cases, start=1):
            role = f" («{case.role_model}»)" if case.role_model else ""
            self.paragraph(f"{n}. {case.form}{role}, {case.term}, {case.state}", bold=True, before=4)
            if case.mentor:
                mentees = f"; наставляемые: {case.mentees}" if case.mentees else ""
                self.text(f"Наставник: {case.mentor}{mentees}.")
            self.text(f"Описание практики: {case.description or 'не заполнено'}")
            self.text(f"Результаты: {case.results or 'не заполнены'}")

    def conclusions(self) -> None:
        self.section("7. Выводы")
        for sentence in self.c["conclusions"]:
            self.text(sentence)
        self.section("8. Рекомендации")
        for paragraph in self.c["recommendation_paragraphs"] or ["—"]:
            self.text(paragraph)
        self.two_sides(self.c["signer_position"], f"______________ {self.c['signer_signature']}", before=28)
        self.paragraph(self.c["date_text"], align=WD_ALIGN_PARAGRAPH.LEFT, size=Pt(12), before=6)


def school_report_docx(context: dict) -> bytes:
    """The report of ``reports.analytics.documents.school_report`` as a DOCX."""
    writer = _ReportWriter(context)
    writer.header()
    writer.general()
    writer.indicators()
    writer.monitoring()
    writer.roadmap()
    writer.forms()
    writer.best_cases()
    writer.conclusions()
    organisation = context["organisation"]
    return writer.to_bytes(title=f"{context['title']} за {context['period_phrase']}", author=organisation.short_name)
