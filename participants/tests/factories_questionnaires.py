"""Questionnaires for tests: a small template of a school with a question of each common kind."""

from participants.models import Question, QuestionnaireTemplate

QUESTIONS = [
    {"text": "Насколько вы довольны программой?", "kind": Question.Kind.SCALE_10, "required": True, "choices": []},
    {"text": "Что было полезным?", "kind": Question.Kind.MULTIPLE, "required": False, "choices": ["встречи", "проект"]},
    {"text": "Ваш отзыв", "kind": Question.Kind.LONG_TEXT, "required": False, "choices": []},
]


def make_template(*, organisation, title="Итоговая анкета", questions=QUESTIONS) -> QuestionnaireTemplate:
    template = QuestionnaireTemplate.objects.create(
        organisation=organisation,
        title=title,
        audience=QuestionnaireTemplate.Audience.STUDENT_MENTEE,
        phase=QuestionnaireTemplate.Phase.EXIT,
    )
    for position, q in enumerate(questions, start=1):
        Question.objects.create(template=template, position=position, **q)
    return template
