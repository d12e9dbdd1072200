"""The XLSX file of a questionnaire's results (the counting is participants.questionnaires.results)."""

import re

from django.utils import timezone

from organisations.models import Organisation
from participants.models import Question, QuestionnaireTemplate
from participants.questionnaires.results import NO_FILTER, ResultsFilter, submitted_responses, template_results
from reports.exports.base import XLSX_CONTENT_TYPE, Column, ExportResult, Sheet, write_workbook

Kind = Question.Kind


def _answer_cell(question: Question, value):
    if value in (None, "", []):
        return None
    if question.kind == Kind.MULTIPLE and isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


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
    content = write_workbook(
        [
            Sheet(
                "Ответы",
                title,
                [Column("Участник", 32), Column("Класс", 8), Column("Дата ответа", 12)]
                + [Column(f"{n}. {q.text}", 24) for n, q in enumerate(questions, start=1)],
                response_rows(),
                notes=notes,
            ),
            Sheet(
                "Итоги по вопросам",
                title,
                [
                    Column("№", 5),
                    Column("Вопрос", 48),
                    Column("Тип ответа", 20),
                    Column("Ответили", 10),
                    Column("Среднее", 10),
                    Column("Вариант ответа", 32),
                    Column("Ответов", 10),
                    Column("Доля, %", 10),
                ],
                total_rows(),
                notes=[*notes, f"Ответов: {results.responses}."],
            ),
        ]
    )
    slug = re.sub(r"[^0-9A-Za-z-]+", "-", organisation.slug)
    return ExportResult(
        filename=f"questionnaire-{template.pk}-{slug}-{timezone.localdate():%Y-%m-%d}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
        content=content,
        people_count=results.responses,
    )
