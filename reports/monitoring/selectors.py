"""Reads of a campaign: per-school status with counts, and the consolidated table with the
district and region totals. A fixed number of queries whatever the number of schools."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from organisations.figures import whole_percent
from organisations.models import Organisation
from reports.analytics.models import Indicator
from reports.monitoring.models import Answer, Campaign, ExportColumn, Question, Response

STATUS_ORDER = [status for status, _ in Response.Status.choices]


def campaigns_of(organisation: Organisation):
    """The campaigns an authority runs, or those addressed to a school (with its response)."""
    if organisation.is_authority:
        return organisation.campaigns.annotate(schools=Count("responses")).order_by("-deadline", "-pk")
    return (
        Response.objects.filter(organisation=organisation)
        .select_related("campaign__organisation")
        .order_by("-campaign__deadline", "-pk")
    )


def status_counts(campaign: Campaign) -> list[tuple[str, str, int]]:
    """(status, label, number of schools) for every status, in the workflow's order: one query."""
    counts = dict(campaign.responses.values_list("status").annotate(n=Count("pk")).order_by())
    return [(status, label, counts.get(status, 0)) for status, label in Response.Status.choices]


@dataclass
class Cell:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    changed: bool = False
    text: str = ""

    @property
    def display(self) -> str:
        if self.value is None:
            return self.text or "—"
        text = f"{self.value.normalize():f}".replace(".", ",")
        return text


@dataclass
class Row:
    response: Response
    cells: dict[str, Cell] = field(default_factory=dict)
    # The cells in the table's order: indicators, then questions.
    indicator_cells: list[Cell] = field(default_factory=list)
    question_cells: list[Cell] = field(default_factory=list)

    @property
    def school(self) -> Organisation:
        return self.response.organisation


@dataclass
class Consolidated:
    campaign: Campaign
    indicators: list[Indicator]
    questions: list[Question]
    rows: list[Row]
    # (district, its rows, its totals by indicator code)
    districts: list[tuple[Organisation, list[Row], dict[str, Cell]]]
    totals: dict[str, Cell]

    def total_cells(self, totals: dict[str, Cell]) -> list[Cell]:
        return [totals[indicator.code] for indicator in self.indicators]

    @property
    def blocks(self) -> list[tuple[Organisation, list[Row], list[Cell]]]:
        return [(district, rows, self.total_cells(totals)) for district, rows, totals in self.districts]

    @property
    def grand_total_cells(self) -> list[Cell]:
        return self.total_cells(self.totals)


def _total(cells: list[Cell], unit: str) -> Cell:
    """A count is summed; a share is Σ numerators / Σ denominators where every school's value was
    computed, else the mean of the values; a mean score is the mean of the values."""
    values = [cell for cell in cells if cell.value is not None]
    if not values:
        return Cell()
    if unit == Indicator.Unit.COUNT:
        return Cell(value=sum(cell.value for cell in values))
    if unit == Indicator.Unit.PERCENT and all(cell.denominator is not None and not cell.changed for cell in values):
        numerator = sum(cell.numerator or 0 for cell in values)
        denominator = sum(cell.denominator or 0 for cell in values)
        percent = whole_percent(numerator, denominator)
        return Cell(value=None if percent is None else Decimal(percent), numerator=numerator, denominator=denominator)
    mean = sum(cell.value for cell in values) / len(values)
    return Cell(value=mean.quantize(Decimal("0.01")))


def consolidated(campaign: Campaign, *, submitted_only: bool = False) -> Consolidated:
    """Every school's answers, the districts' and the whole campaign's totals: four queries."""
    indicators = list(campaign.indicators.order_by("position", "pk"))
    questions = list(campaign.questions.all())
    responses = campaign.responses.select_related("organisation__parent").order_by(
        "organisation__parent__short_name", "organisation__short_name", "pk"
    )
    if submitted_only:
        responses = responses.filter(status__in=(Response.Status.SUBMITTED, Response.Status.ACCEPTED))
    rows = {response.pk: Row(response) for response in responses}
    answers = Answer.objects.filter(response__campaign=campaign, response_id__in=list(rows)).select_related(
        "indicator", "question"
    )
    for answer in answers:
        key = answer.indicator.code if answer.indicator_id else f"q{answer.question_id}"
        rows[answer.response_id].cells[key] = Cell(
            value=answer.value,
            numerator=answer.numerator,
            denominator=answer.denominator,
            changed=answer.is_changed,
            text=answer.text or (answer.file.name.rsplit("/", 1)[-1] if answer.file else ""),
        )
    ordered = list(rows.values())
    for row in ordered:
        row.indicator_cells = [row.cells.get(i.code, Cell()) for i in indicators]
        row.question_cells = [row.cells.get(f"q{q.pk}", Cell()) for q in questions]
    by_district: dict[int, list[Row]] = defaultdict(list)
    district_of: dict[int, Organisation] = {}
    for row in ordered:
        by_district[row.school.parent_id].append(row)
        district_of[row.school.parent_id] = row.school.parent

    def totals(of: list[Row]) -> dict[str, Cell]:
        return {i.code: _total([row.cells.get(i.code, Cell()) for row in of], i.unit) for i in indicators}

    districts = [(district_of[pk], of, totals(of)) for pk, of in by_district.items()]
    return Consolidated(campaign, indicators, questions, ordered, districts, totals(ordered))


def export_layout(organisation: Organisation, campaign: Campaign) -> list[ExportColumn]:
    """The organisation's own column mapping (unsaved default columns without one)."""
    columns = list(organisation.export_columns.select_related("indicator").order_by("column"))
    if columns:
        return columns
    default = [
        ExportColumn(column=1, header="Район", source=ExportColumn.Source.DISTRICT),
        ExportColumn(column=2, header="Школа", source=ExportColumn.Source.SCHOOL),
        ExportColumn(column=3, header="Состояние", source=ExportColumn.Source.STATUS),
    ]
    for position, indicator in enumerate(campaign.indicators.order_by("position", "pk"), start=4):
        default.append(
            ExportColumn(
                column=position, header=indicator.short_title, source=ExportColumn.Source.INDICATOR, indicator=indicator
            )
        )
    return default
