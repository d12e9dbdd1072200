"""Charts have a text alternative (WCAG 1.1.1): each Chart.js canvas names the table that holds
its numbers (aria-describedby), and the table says what it shows in a caption — the KPI trends
and the questionnaire results, entry vs exit and quarterly pages."""

import lxml.html
import pytest
from django.urls import reverse

from mentorship.tests.factories import ProgrammeFactory
from participants.models import Question
from participants.tests.factories import PersonFactory, TeacherFactory
from reports.tests.test_kpi import _pair
from reports.tests.test_questionnaire_results import answered, entry_and_exit, quarterly  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("reference_data")


def _described_charts(html: str) -> list[tuple[str, list[list[str]]]]:
    """Each canvas: the caption of the table it is described by, and the table's rows as text
    (spaces, non-breaking ones too, read as one space)."""
    tree = lxml.html.fromstring(html)
    charts = []
    for canvas in tree.xpath("//canvas"):
        assert canvas.get("role") == "img" and canvas.get("aria-label"), lxml.html.tostring(canvas)
        described = canvas.get("aria-describedby")
        assert described, f"{canvas.get('id')} has no text alternative"
        (table,) = tree.xpath(f'//table[@id="{described}"]')
        rows = [[" ".join(cell.text_content().split()) for cell in row.xpath("th|td")] for row in table.xpath(".//tr")]
        charts.append((" ".join(table.xpath("caption")[0].text_content().split()), rows))
    return charts


def test_each_kpi_trend_is_described_by_a_table_of_its_months(client, school_a, curator_a):
    programme = ProgrammeFactory(organisation=school_a)
    students = [PersonFactory(organisation=school_a) for _ in range(4)]
    _pair(school_a, programme, TeacherFactory(organisation=school_a), students[:3], starts_on=programme.starts_on)
    client.force_login(curator_a)
    response = client.get(reverse("reports:kpi", kwargs={"org": school_a.slug}))
    charts = dict(_described_charts(response.content.decode()))
    assert len(charts) == len(response.context["charts"]) >= 1
    caption = next(c for c in charts if c.startswith("«Обучающиеся в программе наставничества»"))
    rows = charts[caption]
    assert rows[0] == ["Месяц", "Значение"]
    assert "цель не менее 70 %" in caption
    # The month the pair started shows its value as the card does: 3 of 4 students.
    assert ["75 %"] in [row[1:] for row in rows[1:]]
    assert len(rows) - 1 == len(response.context["charts"][0]["labels"])


def test_questionnaire_result_charts_are_described_by_their_distribution_tables(
    client,
    school_a,
    curator_a,
    answered,  # noqa: F811
):
    template, _ = answered
    client.force_login(curator_a)
    response = client.get(reverse("reports:questionnaire_results", kwargs={"org": school_a.slug, "pk": template.pk}))
    charts = _described_charts(response.content.decode())
    assert len(charts) == len(response.context["charts"])
    yes_no = template.questions.get(kind=Question.Kind.YES_NO)
    caption, rows = next(chart for chart in charts if yes_no.text in chart[0])
    assert caption == f"Распределение ответов на вопрос «{yes_no.text}»"
    assert rows[0] == ["Ответ", "Ответов", "Доля"]
    assert rows[1][:2] == ["Да", "2"] and rows[2][:2] == ["Нет", "1"]


def test_entry_exit_and_quarterly_charts_are_described_by_their_tables(
    client,
    school_a,
    curator_a,
    entry_and_exit,  # noqa: F811
    quarterly,  # noqa: F811
):
    client.force_login(curator_a)
    for name, caption in (
        ("reports:questionnaire_entry_exit", "Средние на входе и на выходе по вопросам"),
        ("reports:questionnaire_quarterly", "Средние по кварталам"),
    ):
        response = client.get(reverse(name, kwargs={"org": school_a.slug}), {"audience": "student_mentee"})
        charts = _described_charts(response.content.decode())
        assert [chart[0] for chart in charts] == [caption]
        assert len(charts[0][1]) >= 2  # the header and at least one question
