"""Import of a roadmap from XLSX: the seed's own table, row errors, warnings, all or nothing."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from participants.importing import ImportFileError
from participants.tests.factories import TeacherFactory
from roadmap.deadlines import DeadlineKind
from roadmap.models import Roadmap, RoadmapImport
from roadmap.services_import import APPLY_HAS_ERRORS, APPLY_NOT_PREVIEW, roadmap_import_apply, roadmap_import_preview
from roadmap.tests import seed_000

pytestmark = pytest.mark.django_db
HEADER = ["Содержание", "Сроки", "Ожидаемый результат (вид документа)", "Показатели эффективности", "Ответственный"]


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def seed_000_workbook() -> bytes:
    """Seed 000 laid out as the school's document: the approval block and the tasks above the table."""
    rows = [
        [None, None, None, None, "Утверждаю"],
        [None, None, None, None, "Директор МБОУ Школа «КвантУм»"],
        [None, None, None, None, "О.В.Кляпка"],
        [None, None, None, None, "2 сентября 2024г"],
        ["«Дорожная карта» наставничества на 2024-2026 годы"],
        ["Основные задачи:"],
        ["- выполнение государственного задания по развитию института наставничества;"],
        ["- внедрение лучших наставнических практик различных форм и ролевых моделей;"],
        ["- разработка предложений по совершенствованию внедрения целевой модели наставничества;"],
        ["Список используемых сокращений:"],
        ["ОО — образовательная организация"],
        ["ЦМН — целевая модель наставничества"],
        HEADER,
    ]
    for title, section_rows in seed_000.SECTIONS:
        rows.append([title])
        rows += [list(row) for row in section_rows]
    return _xlsx(rows)


def _preview(school, user, data: bytes, name="дорожная карта.xlsx", period=seed_000.PERIOD):
    return roadmap_import_preview(
        organisation=school,
        uploaded_file=SimpleUploadedFile(name, data),
        title=seed_000.TITLE,
        starts_on=period.start,
        ends_on=period.end,
        user=user,
    )


def test_seed_000_as_the_school_keeps_it_is_imported_whole(school_a, curator_a):
    nikolaeva = TeacherFactory(organisation=school_a, last_name="Николаева", first_name="Ольга", patronymic="Андреевна")
    yakovenko = TeacherFactory(
        organisation=school_a, last_name="Яковенко", first_name="Оксана", patronymic="Николаевна"
    )
    batch = _preview(school_a, curator_a, seed_000_workbook())
    assert batch.summary["header_row"] == 13
    assert batch.summary["counts"] == {"sections": 5, "items": 31, "errors": 0, "warnings": 0}
    roadmap = roadmap_import_apply(batch=batch, user=curator_a)
    assert (roadmap.title, roadmap.status, roadmap.starts_on) == (seed_000.TITLE, "draft", datetime.date(2024, 9, 1))
    assert [s.title for s in roadmap.sections.order_by("position")] == [title for title, _ in seed_000.SECTIONS]
    items = list(roadmap.items.prefetch_related("responsibles").order_by("section__position", "position"))
    assert [(i.content, i.deadline_text, i.expected_result, i.indicator, i.responsible_text) for i in items] == [
        tuple(row) for row in seed_000.ROWS
    ]
    first = items[0]
    assert (first.deadline_kind, first.deadline_display) == ("month", "сентябрь 2024 г.")
    assert {r.person_id for r in first.responsibles.all()} == {nikolaeva.pk, yakovenko.pk}
    assert items[16].deadline_kind == DeadlineKind.NONE  # the row of the seed without a deadline
    batch.refresh_from_db()
    assert (batch.status, batch.roadmap) == ("applied", roadmap)
    with pytest.raises(Exception, match=APPLY_NOT_PREVIEW):
        roadmap_import_apply(batch=batch, user=curator_a)


def test_row_errors_are_reported_and_nothing_is_created(school_a, curator_a):
    data = _xlsx(
        [
            [*HEADER, "Целевое значение"],
            ["Организационно-методическое сопровождение"],
            ["Формирование базы наставников", "Сентябрь 2026г", "База", "10%", "Куратор", "10"],
            [None, "Октябрь 2026", "Без содержания", None, None],
            ["Анкетирование", "Май 2027", None, None, None, "много"],
            ["Встречи", "Когда получится", None, None, None],
        ]
    )
    batch = _preview(school_a, curator_a, data, period=seed_000.PERIOD)
    errors = [error["text"] for error in batch.summary["errors"]]
    assert errors == [
        "Строка 4, столбец A («Содержание»): не заполнено содержание мероприятия, а другие столбцы заполнены. "
        "Укажите, что нужно сделать.",
        "Строка 5, столбец F («Целевое значение»): «много» — ожидается число, например «90» или «2,5».",
    ]
    warnings = [warning["text"] for warning in batch.summary["warnings"]]
    assert warnings == [
        "Строка 6, столбец B («Сроки»): «Когда получится» — срок не распознан. Мероприятие будет загружено "
        "с этим текстом и без даты; уточните срок после загрузки "
        "(например: «сентябрь 2026», «до 15.10.2026», «ежегодно в мае»)."
    ]
    with pytest.raises(Exception, match=APPLY_HAS_ERRORS):
        roadmap_import_apply(batch=batch, user=curator_a)
    assert not Roadmap.objects.exists()


def test_an_unclear_deadline_is_only_a_warning(school_a, curator_a):
    data = _xlsx([HEADER, ["Встречи пар", "В течение года этапа 5", None, None, None], ["Нетворкинг", "18.09.2024"]])
    batch = _preview(school_a, curator_a, data)
    roadmap = roadmap_import_apply(batch=batch, user=curator_a)
    unclear, dated = roadmap.items.order_by("position")
    assert (unclear.deadline_kind, unclear.deadline_text) == ("text", "В течение года этапа 5")
    assert unclear.section.title == "Мероприятия"
    assert list(dated.occurrences.values_list("due_on", flat=True)) == [datetime.date(2024, 9, 18)]


def test_real_dates_in_cells_and_a_csv_file(school_a, curator_a):
    data = _xlsx([HEADER, ["Нетворкинг", datetime.datetime(2024, 9, 18)]])
    roadmap = roadmap_import_apply(batch=_preview(school_a, curator_a, data), user=curator_a)
    assert roadmap.items.get().deadline_display == "18.09.2024"
    csv_data = "Содержание;Сроки;Ответственный\nАнкетирование;Ежегодно (сентябрь);Куратор\n".encode("cp1251")
    roadmap = roadmap_import_apply(batch=_preview(school_a, curator_a, csv_data, name="дк.csv"), user=curator_a)
    assert roadmap.items.get().deadline_display == "ежегодно в сентябре"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Мероприятие", "Ответственный"], ["x", "y"]], "Не найдена строка с названиями столбцов"),
        (
            [["Содержание", "Ожидаемый результат", "Ответственный"], ["x", "y", "z"]],
            "нет обязательного столбца «Сроки»",
        ),
        ([HEADER, [None, None, None, None, None]], "нет ни одного мероприятия"),
    ],
)
def test_file_level_problems(school_a, curator_a, rows, message):
    batch = _preview(school_a, curator_a, _xlsx(rows))
    assert message in batch.summary["errors"][0]["text"]


def test_the_list_import_file_checks_refuse_what_is_not_a_table(school_a, curator_a):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    with pytest.raises(ImportFileError, match="не таблица, а изображение PNG"):
        _preview(school_a, curator_a, png, name="скан.xlsx")
    assert not RoadmapImport.objects.exists()


def test_upload_preview_and_apply_pages(client, school_a, curator_a):
    client.force_login(curator_a)
    upload = SimpleUploadedFile("дорожная карта.xlsx", seed_000_workbook())
    response = client.post(
        reverse("roadmap:import_upload", kwargs={"org": school_a.slug}),
        {"file": upload, "first_year": 2024, "last_year": 2026, "title": ""},
    )
    batch = RoadmapImport.objects.get()
    assert response["Location"] == reverse("roadmap:import_preview", kwargs={"org": school_a.slug, "pk": batch.pk})
    assert batch.title == "Дорожная карта внедрения целевой модели наставничества на 2024–2026 годы"
    page = client.get(response["Location"]).content.decode()
    assert "В файле: 5 разделов, 31 мероприятие." in page
    assert "Формирование нормативной-правовой базы" in page
    response = client.post(reverse("roadmap:import_apply", kwargs={"org": school_a.slug, "pk": batch.pk}))
    roadmap = Roadmap.objects.get()
    assert response["Location"] == roadmap.get_absolute_url()


def test_an_unreadable_file_is_explained_on_the_form(client, school_a, curator_a):
    client.force_login(curator_a)
    upload = SimpleUploadedFile("список.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    response = client.post(
        reverse("roadmap:import_upload", kwargs={"org": school_a.slug}),
        {"file": upload, "first_year": 2024, "last_year": 2026},
    )
    assert response.status_code == 200
    assert "старом формате Excel 97–2003" in response.content.decode()
