"""The monitoring indicators of DESIGN.md §5, each declared once.

A declaration holds everything the pages and documents print about an indicator: its code,
title, short title (the district tables' column), description, unit, target and its direction,
and its formula (reports.analytics.formulas: numerator and denominator per school in one query
grouped by organisation). The school's KPI page, its drill-down, the district table, the school
справка (PDF, DOCX) and the district annual report (PDF, XLSX) read the registry below and
nothing else: a new indicator is one more declaration here (or ``register`` from elsewhere).

The order of the registry is the order of the pages: participation first, then quality, then
the roadmap.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from participants.models import YOUNG_SPECIALIST_MAX_YEARS
from reports.analytics import formulas

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from organisations.models import Organisation

# Units: a share of the rows (numerator / denominator × 100), a number of rows (the numerator),
# a mean score (sum of answers / their number).
PERCENT, COUNT, MEAN = "percent", "count", "mean"
UNIT_LABELS = {PERCENT: "%", COUNT: "", MEAN: ""}
# How every value is rounded (organisations.figures), said under the tables of the reports.
ROUNDING_NOTE = "Проценты округлены до целого по правилам арифметики (0,5 и больше — вверх), средние баллы — до сотых."
# Whether a higher or a lower value is better (the status colour and the district ranking).
HIGHER, LOWER = "higher", "lower"


class Formula(Protocol):
    def counts(
        self, organisation_ids: list[int], period: formulas.Period, dates: list[datetime.date]
    ) -> formulas.Counts: ...


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    title: str
    short_title: str
    description: str
    unit: str
    # ``counts`` (required); ``rows`` (optional): the querysets of the drill-down.
    formula: Formula
    # Shown after the value: «%», «из 10», «балла»; the unit's own label by default.
    unit_label: str = ""
    target: float | None = None
    direction: str = HIGHER
    # What a drill-down lists: people, entries, plan_items, partners, occurrences.
    rows: str = "people"
    included_label: str = ""
    missing_label: str = ""
    # The справка's sentence «Целевой показатель <report_phrase> (70 %) не достигнут: 54 %» and the
    # curator's advice when the target is not reached; empty: the reports say nothing of it.
    report_phrase: str = ""
    advice: str = ""
    # What a share counts, for «84 из 120 обучающихся»: the genitive after «из» for 1, 2 and 5.
    counted: tuple[str, str, str] | tuple[()] = ()
    # How the value is computed, in a user's words: the KPI card's hover and the справка's notes.
    formula_text: str = ""

    @property
    def label(self) -> str:
        return self.unit_label or UNIT_LABELS[self.unit]

    @property
    def about_people(self) -> bool:
        """Counts people or averages their answers: above the school no group under 5 is shown."""
        return self.rows in ("people", "entries")

    @property
    def has_trend(self) -> bool:
        """Counted rows have dates, so the month points come from the same query; means do not."""
        return self.unit != MEAN

    @property
    def has_drill_down(self) -> bool:
        return hasattr(self.formula, "rows")

    def drill_rows(
        self, organisation: Organisation, period: formulas.Period, as_of: datetime.date
    ) -> tuple[QuerySet, QuerySet]:
        return self.formula.rows(organisation, period, as_of)


_REGISTRY: dict[str, IndicatorSpec] = {}
# Measures of the library that pages show only where an indicator record names them (issue 20):
# a region's own indicators, e.g. mentors trained in «Школа наставника».
_OPTIONAL: set[str] = set()


def register(spec: IndicatorSpec, *, standard: bool = True) -> IndicatorSpec:
    """Add a declaration at the end of the pages' order. ValueError for a taken code.

    ``standard=False``: a measure of the library only, shown where an indicator record names it."""
    if spec.code in _REGISTRY:
        raise ValueError(f"Indicator {spec.code!r} is declared twice")
    if spec.unit not in UNIT_LABELS or spec.direction not in (HIGHER, LOWER):
        raise ValueError(f"Indicator {spec.code!r}: unknown unit or direction")
    _REGISTRY[spec.code] = spec
    if not standard:
        _OPTIONAL.add(spec.code)
    return spec


def unregister(code: str) -> None:
    _REGISTRY.pop(code, None)
    _OPTIONAL.discard(code)


@contextmanager
def declared(spec: IndicatorSpec) -> Iterator[IndicatorSpec]:
    """The indicator registered while the block runs (a throw-away indicator of a test)."""
    register(spec)
    try:
        yield spec
    finally:
        unregister(spec.code)


def all_indicators() -> list[IndicatorSpec]:
    """Every standard declaration, in the order of the pages."""
    return [spec for code, spec in _REGISTRY.items() if code not in _OPTIONAL]


def library() -> list[IndicatorSpec]:
    """Every measure the product computes, the optional ones too (the indicator records' choices)."""
    return list(_REGISTRY.values())


def codes() -> list[str]:
    return [spec.code for spec in all_indicators()]


def get(code: str) -> IndicatorSpec:
    """The declaration of a code; KeyError for an unknown one."""
    return _REGISTRY[code]


def exists(code: str) -> bool:
    return code in _REGISTRY


# --- The declarations ----------------------------------------------------------------------------


INDICATORS = (
    IndicatorSpec(
        code="students_involved",
        title="Обучающиеся в программе наставничества",
        short_title="Обучающиеся в программе",
        description=(
            "Доля обучающихся школы, которые в этом периоде состоят в наставнической паре или группе "
            "наставником или наставляемым. Федеральный ориентир — 70 %."
        ),
        unit=PERCENT,
        formula=formulas.STUDENTS_INVOLVED,
        target=70,
        included_label="В парах и группах",
        missing_label="Не в паре",
        report_phrase="вовлечённости обучающихся",
        advice=(
            "Расширить вовлечение обучающихся в программу наставничества: сформировать новые пары и группы "
            "в формах «ученик – ученик» и «учитель – ученик», привлечь старшеклассников в качестве наставников."
        ),
        counted=("обучающегося", "обучающихся", "обучающихся"),
        formula_text=(
            "обучающиеся, которые состоят в паре или группе (наставником или наставляемым) "
            "÷ все обучающиеся школы × 100 %"
        ),
    ),
    IndicatorSpec(
        code="mentors_students",
        title="Наставники среди обучающихся",
        short_title="Наставники из обучающихся",
        description=(
            "Доля обучающихся, которые стали наставниками: в реестре наставников учебного года или "
            "наставник пары. Ориентир — не менее 10 %."
        ),
        unit=PERCENT,
        formula=formulas.MENTORS_STUDENTS,
        target=10,
        included_label="Наставники",
        missing_label="Не наставники",
        report_phrase="доли наставников среди обучающихся",
        advice=(
            "Пополнить базу наставников обучающимися: провести информационную кампанию среди старшеклассников "
            "и актива ученического самоуправления."
        ),
        counted=("обучающегося", "обучающихся", "обучающихся"),
        formula_text=(
            "обучающиеся-наставники (в реестре наставников или наставник пары) ÷ все обучающиеся школы × 100 %"
        ),
    ),
    IndicatorSpec(
        code="mentors_teachers",
        title="Наставники среди педагогов",
        short_title="Наставники из педагогов",
        description=(
            "Доля педагогов, которые стали наставниками: в реестре наставников учебного года или "
            "наставник пары. Ориентир — не менее 10 %."
        ),
        unit=PERCENT,
        formula=formulas.MENTORS_TEACHERS,
        target=10,
        included_label="Наставники",
        missing_label="Не наставники",
        report_phrase="доли наставников среди педагогов",
        advice="Пополнить базу наставников педагогами и утвердить дополненный реестр наставников приказом.",
        counted=("педагога", "педагогов", "педагогов"),
        formula_text="педагоги-наставники (в реестре наставников или наставник пары) ÷ все педагоги школы × 100 %",
    ),
    IndicatorSpec(
        code="young_specialists",
        title="Молодые специалисты с наставником",
        short_title="Молодые специалисты с наставником",
        description=(
            f"Доля педагогов со стажем до {YOUNG_SPECIALIST_MAX_YEARS} лет, которые состоят наставляемыми "
            "в паре или группе."
        ),
        unit=PERCENT,
        formula=formulas.YOUNG_SPECIALISTS,
        included_label="С наставником",
        missing_label="Без наставника",
        counted=("молодого специалиста", "молодых специалистов", "молодых специалистов"),
        formula_text=(
            f"молодые специалисты (стаж до {YOUNG_SPECIALIST_MAX_YEARS} лет) с наставником "
            "÷ все молодые специалисты × 100 %"
        ),
    ),
    IndicatorSpec(
        code="pairs_coverage",
        title="Наставляемые из базы в парах",
        short_title="База наставляемых в парах",
        description=(
            "Доля участников базы наставляемых учебного года (включённых в базу, в паре или завершивших), "
            "которые состоят в паре или группе. Цель — 100 %."
        ),
        unit=PERCENT,
        formula=formulas.PAIRS_COVERAGE,
        target=100,
        rows="entries",
        included_label="В паре или группе",
        missing_label="Без наставника",
        report_phrase="охвата базы наставляемых наставничеством",
        advice="Закрепить наставников за участниками базы наставляемых, оставшимися без пары или группы.",
        counted=("участника базы наставляемых", "участников базы наставляемых", "участников базы наставляемых"),
        formula_text=(
            "участники базы наставляемых в паре или группе ÷ все участники базы наставляемых учебного года × 100 %"
        ),
    ),
    IndicatorSpec(
        code="consent_coverage",
        title="Согласия на обработку персональных данных",
        short_title="Согласия",
        description=(
            "Доля участников (обучающиеся, педагоги, выпускники, сотрудники партнёров) с действующим "
            "согласием на участие в программе. Цель — 100 %."
        ),
        unit=PERCENT,
        formula=formulas.CONSENT_COVERAGE,
        target=100,
        included_label="Есть согласие",
        missing_label="Нет согласия",
        report_phrase="охвата участников согласиями на обработку персональных данных",
        advice="Собрать недостающие согласия участников на обработку персональных данных.",
        counted=("участника", "участников", "участников"),
        formula_text=(
            "участники с действующим согласием "
            "÷ все участники (обучающиеся, педагоги, выпускники, сотрудники партнёров) × 100 %"
        ),
    ),
    IndicatorSpec(
        code="plan_fulfilment",
        title="Выполнение индивидуальных планов",
        short_title="Выполнение планов",
        description=(
            "Доля выполненных мероприятий индивидуальных планов пар и групп из всех запланированных "
            "на период. Цель — не менее 90 %."
        ),
        unit=PERCENT,
        formula=formulas.PLAN_FULFILMENT,
        target=90,
        rows="plan_items",
        included_label="Выполнено",
        missing_label="Не выполнено",
        report_phrase="выполнения индивидуальных планов",
        advice=(
            "Усилить контроль выполнения индивидуальных планов: провести промежуточные встречи с наставниками, "
            "скорректировать сроки невыполненных пунктов."
        ),
        counted=("мероприятия планов", "мероприятий планов", "мероприятий планов"),
        formula_text="выполненные мероприятия индивидуальных планов ÷ все запланированные мероприятия × 100 %",
    ),
    IndicatorSpec(
        code="partner_share",
        title="Партнёры, предоставившие наставников",
        short_title="Партнёры с наставниками",
        description=(
            "Доля организаций-партнёров школы, сотрудники которых стали наставниками "
            "(в реестре наставников учебного года или наставник пары)."
        ),
        unit=PERCENT,
        formula=formulas.PARTNER_SHARE,
        rows="partners",
        included_label="Предоставили наставников",
        missing_label="Пока без наставников",
        counted=("организации-партнёра", "организаций-партнёров", "организаций-партнёров"),
        formula_text="организации-партнёры, предоставившие наставников ÷ все организации-партнёры школы × 100 %",
    ),
    IndicatorSpec(
        code="satisfaction_mentees",
        title="Удовлетворённость наставляемых",
        short_title="Удовлетворённость наставляемых",
        description=(
            "Среднее по вопросам со шкалой от 1 до 10 итоговых анкет наставляемых (обучающихся и педагогов), "
            "отправленных в периоде; каждый ответ весит одинаково."
        ),
        unit=MEAN,
        unit_label="из 10",
        formula=formulas.SATISFACTION_MENTEES,
        included_label="Ответили на итоговую анкету",
        missing_label="Наставляемые пар без ответа",
        formula_text="сумма баллов по вопросам со шкалой 1–10 итоговых анкет наставляемых ÷ число таких ответов",
    ),
    IndicatorSpec(
        code="satisfaction_mentors",
        title="Удовлетворённость наставников",
        short_title="Удовлетворённость наставников",
        description=(
            "Среднее по вопросам со шкалой от 1 до 10 итоговых анкет наставников, отправленных в периоде; "
            "каждый ответ весит одинаково."
        ),
        unit=MEAN,
        unit_label="из 10",
        formula=formulas.SATISFACTION_MENTORS,
        included_label="Ответили на итоговую анкету",
        missing_label="Наставники пар без ответа",
        formula_text="сумма баллов по вопросам со шкалой 1–10 итоговых анкет наставников ÷ число таких ответов",
    ),
    IndicatorSpec(
        code="growth",
        title="Рост участников",
        short_title="Рост участников",
        description=(
            "Средняя разница «итоговая анкета − входная анкета» по одинаковым вопросам со шкалой "
            "у всех, кто ответил на обе (наставники и наставляемые); каждый ответ весит одинаково."
        ),
        unit=MEAN,
        unit_label="балла",
        formula=formulas.GROWTH,
        included_label="Ответили на входную и итоговую анкеты",
        missing_label="Участники пар без пары анкет",
        formula_text="сумма разниц «итоговый ответ − входной ответ» по одинаковым вопросам ÷ число таких пар ответов",
    ),
    IndicatorSpec(
        code="roadmap_completion",
        title="Выполнение дорожной карты",
        short_title="Дорожная карта в срок",
        description=(
            "Мероприятия дорожной карты, выполненные в срок, из тех, срок которых в периоде уже наступил "
            "(выполненные досрочно тоже считаются); отменённые не учитываются."
        ),
        unit=PERCENT,
        formula=formulas.ROADMAP_COMPLETION,
        rows="occurrences",
        included_label="Выполнено в срок",
        missing_label="Просрочено или выполнено с опозданием",
        counted=("мероприятия дорожной карты", "мероприятий дорожной карты", "мероприятий дорожной карты"),
        formula_text="мероприятия, выполненные в срок ÷ мероприятия, срок которых наступил × 100 %",
    ),
)
for _spec in INDICATORS:
    register(_spec)

register(
    IndicatorSpec(
        code="mentors_trained",
        title="Наставники, прошедшие «Школу наставника»",
        short_title="Обучены в «Школе наставника»",
        description=(
            "Доля наставников учебного года (в реестре наставников или наставник пары), которые были "
            "хотя бы на одном занятии «Школы наставника» в периоде."
        ),
        unit=PERCENT,
        formula=formulas.MENTORS_TRAINED,
        included_label="Обучены",
        missing_label="Не обучены",
        counted=("наставника", "наставников", "наставников"),
        formula_text="наставники, посетившие «Школу наставника» в периоде ÷ все наставники учебного года × 100 %",
    ),
    standard=False,
)
