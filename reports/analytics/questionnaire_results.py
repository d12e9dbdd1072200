"""The XLSX file of a questionnaire's results (the counting is participants.questionnaires.results)."""

import io
import re

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from organisations.models import Organisation
from participants.models import Question, QuestionnaireTemplate
from participants.questionnaires.results import NO_FILTER, ResultsFilter, submitted_responses, template_results
from reports.exports.base import FORMULA_PREFIXES, XLSX_CONTENT_TYPE, ExportResult, as_text

Kind = Question.Kind


# --- XLSX --------------------------------------------------------------------------------------


def _answer_cell(question: Question, value):
    if value in (None, "", []):
        return None
    if question.kind == Kind.MULTIPLE and isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def _xlsx_cell(sheet, value, *, font=None, wrap=False):
    cell = WriteOnlyCell(sheet, value=as_text(value))
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"  # an answer starting with «=» stays text, never a formula
    if font is not None:
        cell.font = font
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _xlsx_sheet(workbook, name, *, title, notes, columns, rows):
    sheet = workbook.create_sheet(name)
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, title, font=Font(bold=True, size=13))])
    for note in notes:
        sheet.append([_xlsx_cell(sheet, note)])
    sheet.append([])
    sheet.append([_xlsx_cell(sheet, heading, font=bold, wrap=True) for heading, _ in columns])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])


def results_xlsx(
    organisation: Organisation, *, template: QuestionnaireTemplate, filters: ResultsFilter = NO_FILTER
) -> ExportResult:
    """The questionnaire's responses (a row each, a column per question) and the per-question
    totals, as the page shows them with the same filters; people without a valid consent are left out."""
    results = template_results(organisation, template=template, filters=filters)
    questions = [result.question for result in results.questions]
    notes = [f"Анкета «{template.title}», версия {template.version}."]
    if described := filters.describe():
        notes.append("Отбор: " + ", ".join(described) + ".")
    if results.left_out:
        notes.append(
            "Не выгружены ответы участников без действующего согласия на обработку персональных данных: "
            f"{results.left_out}."
        )
    responses = (
        submitted_responses(organisation, filters=filters)
        .filter(template=template)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person__patronymic", "pk")
    )

    def response_rows():
        for response in responses.iterator(chunk_size=2000):
            person = response.person
            yield (
                person.full_name,
                person.class_name,
                timezone.localtime(response.submitted_at).date(),
                *(_answer_cell(q, response.answers.get(str(q.pk))) for q in questions),
            )

    def total_rows():
        for number, result in enumerate(results.questions, start=1):
            head = [number, result.question.text, result.question.get_kind_display(), result.answered]
            head.append(round(result.mean, 2) if result.mean is not None else None)
            if not result.distribution:
                yield (*head, None, None, None)
            for index, share in enumerate(result.distribution):
                yield (*(head if index == 0 else [None] * len(head)), share.label, share.count, share.percent)

    title = f"Результаты анкетирования — {organisation.short_name}"
    workbook = Workbook(write_only=True)
    _xlsx_sheet(
        workbook,
        "Ответы",
        title=title,
        notes=notes,
        columns=[("Участник", 32), ("Класс", 8), ("Дата ответа", 12)]
        + [(f"{n}. {q.text}", 24) for n, q in enumerate(questions, start=1)],
        rows=response_rows(),
    )
    _xlsx_sheet(
        workbook,
        "Итоги по вопросам",
        title=title,
        notes=[*notes, f"Ответов: {results.responses}."],
        columns=[
            ("№", 5),
            ("Вопрос", 48),
            ("Тип ответа", 20),
            ("Ответили", 10),
            ("Среднее", 10),
            ("Вариант ответа", 32),
            ("Ответов", 10),
            ("Доля, %", 10),
        ],
        rows=total_rows(),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    slug = re.sub(r"[^0-9A-Za-z-]+", "-", organisation.slug)
    return ExportResult(
        filename=f"questionnaire-{template.pk}-{slug}-{timezone.localdate():%Y-%m-%d}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
        content=buffer.getvalue(),
        people_count=results.responses,
    )
