"""The seven stages of a mentoring programme (DESIGN.md §3): the programme moves through them
and the standard roadmap is sectioned by them."""

from django.db import models


class Stage(models.IntegerChoices):
    PREPARATION = 1, "Подготовка условий"
    MENTEE_BASE = 2, "Формирование базы наставляемых"
    MENTOR_BASE = 3, "Формирование базы наставников"
    MENTOR_TRAINING = 4, "Отбор и обучение наставников"
    PAIRING = 5, "Формирование пар и групп"
    PAIR_WORK = 6, "Организация работы пар и групп"
    COMPLETION = 7, "Завершение программы"


STAGE_SUMMARIES: dict[int, str] = {
    Stage.PREPARATION: "Приказы, Положение о наставничестве, дорожная карта, назначение куратора, формы и партнёры.",
    Stage.MENTEE_BASE: "Запросы, анкетирование потребностей, согласия на обработку персональных данных.",
    Stage.MENTOR_BASE: "Привлечение наставников, анкета «Чем я могу быть полезен», справки внешних наставников.",
    Stage.MENTOR_TRAINING: "Реестр наставников, утверждённый приказом, и «Школа наставника».",
    Stage.PAIRING: "Подбор пар и групп, приказ о закреплении, индивидуальные планы.",
    Stage.PAIR_WORK: "Встречи, промежуточная обратная связь, ежеквартальная диагностика.",
    Stage.COMPLETION: "Анкеты удовлетворённости, итоги мониторинга, итоговое мероприятие, поощрение.",
}


# Words by which a section title names a stage: the seeds title their sections in many ways
# («Подготовка условий для запуска Модели наставничества», «5. Формирование наставнических пар»).
_STAGE_WORDS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (Stage.MENTEE_BASE, ("баз", "наставляем")),
    (Stage.MENTOR_BASE, ("баз", "наставник")),
    (Stage.MENTOR_TRAINING, ("обучен",)),
    (Stage.PAIRING, ("формирован", "пар")),
    (Stage.PAIR_WORK, ("работ", "пар")),
    (Stage.PREPARATION, ("подготовк",)),
    (Stage.COMPLETION, ("заверш",)),
)


def stage_from_title(title: str) -> int | None:
    """The programme stage a roadmap section stands for, by its title; None for other sections
    («Информационное сопровождение», «Аналитическое сопровождение»…)."""
    text = title.lower().replace("ё", "е")
    for stage, words in _STAGE_WORDS:
        if all(word in text for word in words):
            return stage
    return None
