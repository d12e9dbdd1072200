"""The roadmap as documents: every row of seed 000 comes back in the PDF and in the XLSX, and the XLSX
reads back through the roadmap import into the same roadmap."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from organisations.russian import tie
from roadmap import services
from roadmap.deadlines import DeadlineKind
from roadmap.services_import import roadmap_import_apply, roadmap_import_preview
from roadmap.tests import seed_000
from roadmap.tests.conftest import enter_seed_000

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def approved_seed(school_a, director_a):
    roadmap = enter_seed_000(school_a)
    services.roadmap_approve(
        roadmap=roadmap,
        user=director_a,
        approver_position=seed_000.APPROVER_POSITION,
        approver_name=seed_000.APPROVER_NAME,
        approved_on=datetime.date(2024, 9, 2),
    )
    return roadmap


def _flat(text: str) -> str:
    """Text as compared: one space for any run of whitespace, none after «-», «–» or «/» (a line may break
    there: «2024–2026 гг.» keeps «2026 гг.» together and so breaks after the dash)."""
    return re.sub(r"([-–/])\s+", r"\1", " ".join(text.split()))


def _pdf_text(content: bytes) -> str:
    return _flat("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def _sheet_rows(content: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True) if any(v is not None for v in row)]


def _expected_deadline(item) -> str:
    return item.deadline_text if item.deadline_kind == DeadlineKind.TEXT else item.deadline_display


def test_every_row_of_seed_000_is_in_the_pdf_with_the_approval_block(client, school_a, curator_a, approved_seed):
    client.force_login(curator_a)
    response = client.get(reverse("reports:roadmap_pdf", kwargs={"org": school_a.slug, "pk": approved_seed.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    text = _pdf_text(response.content)
    assert text.startswith("УТВЕРЖДАЮ Директор МБОУ Школа «КвантУм» ______________ О. В. Кляпка 2 сентября 2024 г.")
    assert "Содержание Сроки Ожидаемый результат Показатели эффективности Ответственный" in text
    assert _flat(seed_000.TITLE) in text
    for title, _ in seed_000.SECTIONS:
        assert _flat(title) in text
    items = list(approved_seed.items.order_by("section__position", "position"))
    assert len(items) == len(seed_000.ROWS) == 31
    for item, (content, _, result, indicator, responsible) in zip(items, seed_000.ROWS, strict=True):
        for cell in (content, _expected_deadline(item), result, indicator, responsible):
            assert _flat(tie(cell)) in text, cell  # printed with ГОСТ spacing: «Николаева О. А.»


def test_pdf_of_a_draft_leaves_the_date_to_be_written_by_hand(client, school_a, curator_a):
    roadmap = enter_seed_000(school_a)
    client.force_login(curator_a)
    url = reverse("reports:roadmap_pdf", kwargs={"org": school_a.slug, "pk": roadmap.pk})
    text = _pdf_text(client.get(url).content)
    assert text.startswith(
        "УТВЕРЖДАЮ Директор МБОУ СОШ № 1 ______________ О. В. Кляпка «____» ______________ 20____ г."
    )
    html = client.get(url + "?format=html").content.decode()
    assert '<base href="/static/">' in html and "УТВЕРЖДАЮ" in html


def test_every_row_of_seed_000_is_in_the_xlsx(client, school_a, curator_a, approved_seed):
    client.force_login(curator_a)
    url = reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "roadmap"})
    response = client.get(f"{url}?roadmap={approved_seed.pk}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_rows(response.content)
    assert rows[0][0] == "Дорожная карта — МБОУ СОШ № 1"
    assert rows[1][0] == seed_000.TITLE
    assert rows[2][0] == "Период: 2024–2026 годы, с 1 сентября 2024 г. по 31 августа 2026 г."
    assert rows[3][0] == "Утверждена 2 сентября 2024 г.: Директор МБОУ Школа «КвантУм» О.В.Кляпка."
    header = next(i for i, row in enumerate(rows) if row[0] == "Содержание")
    assert rows[header][:5] == [
        "Содержание",
        "Сроки",
        "Ожидаемый результат (вид документа)",
        "Показатели эффективности",
        "Ответственный",
    ]
    body = [row for row in rows[header + 1 :] if any(row)]
    items = list(approved_seed.items.order_by("section__position", "position"))
    expected = []
    for title, section_rows in seed_000.SECTIONS:
        expected.append([title, None, None, None, None])
        for content, _, result, indicator, responsible in section_rows:
            item = items.pop(0)
            expected.append(
                [content, _expected_deadline(item) or None, result or None, indicator or None, responsible or None]
            )
    assert [(row + [None] * 5)[:5] for row in body] == expected


def test_xlsx_export_imports_back_into_the_same_roadmap(client, school_a, curator_a, approved_seed):
    client.force_login(curator_a)
    url = reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "roadmap"})
    content = client.get(f"{url}?roadmap={approved_seed.pk}").content
    batch = roadmap_import_preview(
        organisation=school_a,
        uploaded_file=SimpleUploadedFile("roadmap.xlsx", content),
        title="Импорт",
        starts_on=approved_seed.starts_on,
        ends_on=approved_seed.ends_on,
        user=curator_a,
    )
    assert batch.summary["counts"] == {"sections": 5, "items": 31, "errors": 0, "warnings": 0}
    imported = roadmap_import_apply(batch=batch, user=curator_a)

    def shape(roadmap):
        sections = [s.title for s in roadmap.sections.order_by("position")]
        items = [
            (
                item.section.title,
                item.content,
                item.deadline,
                item.expected_result,
                item.indicator,
                item.responsible_text,
                item.target_value,
                item.target_unit,
                list(item.occurrences.values_list("starts_on", "due_on")),
            )
            for item in roadmap.items.select_related("section").order_by("section__position", "position")
        ]
        return sections, items

    assert shape(imported) == shape(approved_seed)


def test_targets_and_values_go_to_the_xlsx(client, school_a, curator_a):
    from roadmap.tests.factories import ItemFactory

    item = ItemFactory(section__roadmap__organisation=school_a, indicator="Не менее 5 публикаций")
    item.target_value, item.target_unit, item.actual_value = 5, "публикаций", 3
    item.save()
    item.occurrences.update(status="done", done_on=datetime.date(2026, 10, 1))
    client.force_login(curator_a)
    url = reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "roadmap"})
    rows = _sheet_rows(client.get(f"{url}?roadmap={item.roadmap_id}").content)
    row = next(row for row in rows if row[0] == item.content)
    assert row[3:] == ["Не менее 5 публикаций", None, 5, "публикаций", 3, "выполнено"]


def test_another_schools_roadmap_is_not_exported(client, school_a, school_b, curator_a):
    from roadmap.tests.factories import RoadmapFactory

    foreign = RoadmapFactory(organisation=school_b)
    client.force_login(curator_a)
    url = reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "roadmap"})
    assert client.get(f"{url}?roadmap={foreign.pk}").status_code == 404
    assert client.get(url).status_code == 404
