"""Import improvements: parents in class lists, unused columns named, warnings that do not block,
and the uploaded file given back with its bad cells marked (issue 21)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from participants.importing import (
    ERROR_FILL_COLOUR,
    WARNING_FILL_COLOUR,
    WARNING_GENDER_TO_FILL,
    mark_problems,
    parse_people_file,
)
from participants.models import ParentLink, Person
from participants.services_import import people_import_apply, people_import_preview


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = ["№", "ФИО", "Класс", "Дата рождения", "Пол", "Телефон", "E-mail", "Примечание"]


def thirty_errors_in_twelve_rows():
    """Rows 2–13 bad (6 rows × 3 errors, 6 rows × 2 errors), rows 14–16 good."""
    rows, expected = [HEADER], set()
    for n in range(6):
        number = len(rows) + 1
        rows.append([n + 1, f"Иванов{'а' * n} Пётр Ильич", "12Я", "31.02.2012", "X", "", "", ""])
        expected |= {(number, "C"), (number, "D"), (number, "E")}
    for n in range(6):
        number = len(rows) + 1
        rows.append([n + 7, f"Петров{'а' * n} Иван Ильич", "7Б", "01.02.2013", "М", "абв", "не почта", ""])
        expected |= {(number, "F"), (number, "G")}
    for n in range(3):
        rows.append([n + 13, f"Сидоров{'а' * n} Олег Ильич", "7Б", f"0{n + 1}.03.2013", "М", "", "", "ок"])
    return rows, expected


def red_cells(workbook_bytes: bytes):
    sheet = load_workbook(io.BytesIO(workbook_bytes)).active
    red, commented = set(), {}
    for row in sheet.iter_rows():
        for cell in row:
            if (
                cell.fill is not None
                and cell.fill.fill_type == "solid"
                and cell.fill.fgColor.rgb.endswith(ERROR_FILL_COLOUR)
            ):
                red.add((cell.row, cell.column_letter))
            if cell.comment is not None:
                commented[(cell.row, cell.column_letter)] = cell.comment.text
    return red, commented


def test_thirty_errors_in_twelve_rows_are_all_listed_and_marked():
    rows, expected = thirty_errors_in_twelve_rows()
    data = xlsx_bytes(rows)
    parsed = parse_people_file(data, "7б.xlsx")
    assert len(parsed.problems) == 30
    assert len({problem.row for problem in parsed.problems}) == 12
    assert {(problem.row, problem.column) for problem in parsed.problems} == expected
    red, commented = red_cells(mark_problems(data, parsed))
    assert red == expected
    assert set(commented) == expected
    assert "такого класса нет" in commented[(2, "C")]
    assert "не похоже на номер телефона" in commented[(8, "F")]
    # The rest of the file is as it was.
    sheet = load_workbook(io.BytesIO(mark_problems(data, parsed))).active
    assert sheet["B14"].value == "Сидоров Олег Ильич" and sheet["H14"].value == "ок"


def test_marked_file_from_the_preview_page_and_from_the_command(client, school_a, curator_a, tmp_path):
    rows, expected = thirty_errors_in_twelve_rows()
    data = xlsx_bytes(rows)
    client.force_login(curator_a)
    response = client.post(
        reverse("participants:import_upload", kwargs={"org": school_a.slug}),
        {"file": SimpleUploadedFile("7б.xlsx", data)},
    )
    preview = client.get(response.url)
    assert "Скачать файл с отмеченными ошибками" in preview.content.decode()
    assert "Столбец H «Примечание» не загружается." in preview.content.decode()
    batch = school_a.import_batches.get()
    marked = client.get(reverse("participants:import_marked", kwargs={"org": school_a.slug, "pk": batch.pk}))
    assert marked.status_code == 200
    assert marked["Cache-Control"] == "private, no-store"
    assert marked["Content-Disposition"].endswith(".xlsx")
    red, _ = red_cells(marked.content)
    assert red == expected

    source = tmp_path / "7б.xlsx"
    source.write_bytes(data)
    target = tmp_path / "marked.xlsx"
    with pytest.raises(CommandError):
        call_command("import_people", school_a.slug, str(source), "--marked", str(target))
    assert red_cells(target.read_bytes())[0] == expected
    assert Person.objects.count() == 0


def test_csv_comes_back_as_a_marked_workbook():
    data = "ФИО;Класс;Дата рождения;Пол\r\nИванов Пётр Ильич;7Б;31.02.2012;М\r\n".encode()
    parsed = parse_people_file(data, "7б.csv")
    red, commented = red_cells(mark_problems(data, parsed))
    assert red == {(2, "C")} and "такой даты нет" in commented[(2, "C")]


def test_list_without_patronymics_and_without_sex_column_imports_with_warnings(school_a, curator_a, client):
    rows = [["Фамилия", "Имя", "Класс", "Дата рождения"]]
    rows += [
        ["Смит", "Джон", "5А", "01.02.2015"],
        ["Ли", "Анна", "5А", "02.02.2015"],
        ["Ким", "Ирина", "5А", "03.03.2015"],
    ]
    data = xlsx_bytes(rows)
    parsed = parse_people_file(data, "5а.xlsx")
    assert parsed.ok
    assert [(w.row, w.column) for w in parsed.warnings] == [(2, "A"), (3, "A"), (4, "A")]
    assert WARNING_GENDER_TO_FILL in parsed.warnings[0].text
    batch = people_import_preview(
        organisation=school_a, uploaded_file=SimpleUploadedFile("5а.xlsx", data), user=curator_a
    )
    assert batch.summary["counts"]["warnings"] == 3
    client.force_login(curator_a)
    page = client.get(reverse("participants:import_preview", kwargs={"org": school_a.slug, "pk": batch.pk}))
    assert "Предупреждения: 3" in page.content.decode()
    result = people_import_apply(batch=batch, user=curator_a)
    assert result.created == 3
    assert set(school_a.people.values_list("gender", flat=True)) == {""}


def test_gender_error_is_listed_with_the_rows_other_errors():
    rows = [["ФИО", "Класс", "Дата рождения", "Пол"], ["Смит Джон", "15А", "01.02.2015", ""]]
    parsed = parse_people_file(xlsx_bytes(rows), "5а.xlsx")
    assert [problem.column for problem in parsed.problems] == ["B", "D"]


def test_unusual_class_and_age_are_warnings_not_errors():
    rows = [["ФИО", "Класс", "Дата рождения"], ["Иванов Пётр Ильич", "7АБВ", "01.02.2013"]]
    rows += [["Петров Иван Ильич", "1А", "01.01.2023"], ["Сидоров Олег Ильич", "11А", "01.01.1990"]]
    parsed = parse_people_file(xlsx_bytes(rows), "x.xlsx")
    assert parsed.ok and len(parsed.rows) == 3
    assert [(w.row, w.column) for w in parsed.warnings] == [(2, "B"), (3, "C"), (4, "C")]
    assert "необычное название класса" in parsed.warnings[0].text
    assert "проверьте дату" in parsed.warnings[1].text


PARENT_HEADER = [
    "ФИО обучающегося",
    "Класс",
    "Дата рождения",
    "ФИО родителя (законного представителя)",
    "Телефон родителя",
    "E-mail родителя",
    "Кем приходится",
    "Адрес",
]


def test_two_siblings_with_one_mother_create_her_once_and_link_both(school_a, curator_a):
    rows = [PARENT_HEADER]
    rows.append(
        [
            "Орлов Павел Андреевич",
            "7Б",
            "01.02.2013",
            "Орлова Мария Ивановна",
            "+7 912 345-67-89",
            "",
            "мать",
            "ул. Мира",
        ]
    )
    rows.append(
        ["Орлова Дарья Андреевна", "3А", "05.06.2017", "Орлова Мария Ивановна", "8 (912) 345-67-89", "", "Мать", ""]
    )
    rows.append(["Зайцев Ким Олегович", "7Б", "01.03.2013", "Зайцев Олег", "", "oleg@example.ru", "отец", ""])
    data = xlsx_bytes(rows)
    parsed = parse_people_file(data, "список.xlsx")
    assert parsed.ok, [p.text for p in parsed.problems]
    assert [(c.letter, c.header) for c in parsed.unused_columns] == [("H", "Адрес")]
    batch = people_import_preview(
        organisation=school_a, uploaded_file=SimpleUploadedFile("список.xlsx", data), user=curator_a
    )
    assert batch.summary["counts"]["parents_create"] == 2
    assert batch.summary["unused_columns"][0]["text"] == "Столбец H «Адрес» не загружается."
    people_import_apply(batch=batch, user=curator_a)
    mother = school_a.people.get(last_name="Орлова", first_name="Мария")
    assert mother.category == Person.Category.PARENT and mother.gender == "F"
    assert set(mother.children_links.values_list("child__first_name", "relation")) == {
        ("Павел", "мать"),
        ("Дарья", "мать"),
    }
    father = school_a.people.get(last_name="Зайцев", first_name="Олег")
    assert father.gender == "M"  # from «отец»: no patronymic in the file
    assert ParentLink.objects.count() == 3

    # The same list again: nobody new, no second link.
    again = people_import_preview(
        organisation=school_a, uploaded_file=SimpleUploadedFile("список.xlsx", data), user=curator_a
    )
    assert again.summary["counts"]["parents_create"] == 0
    assert again.summary["counts"]["parents_existing"] == 2
    people_import_apply(batch=again, user=curator_a)
    assert school_a.people.filter(category=Person.Category.PARENT).count() == 2
    assert ParentLink.objects.count() == 3


def test_parent_matched_by_name_and_email_in_the_school(school_a, curator_a):
    existing = Person.objects.create(
        organisation=school_a,
        category=Person.Category.PARENT,
        last_name="Орлова",
        first_name="Мария",
        patronymic="Ивановна",
        gender="F",
        email="m@example.ru",
    )
    rows = [
        PARENT_HEADER[:7],
        ["Орлов Павел Андреевич", "7Б", "01.02.2013", "Орлова Мария Ивановна", "", "M@example.ru", "мать"],
    ]
    batch = people_import_preview(
        organisation=school_a, uploaded_file=SimpleUploadedFile("с.xlsx", xlsx_bytes(rows)), user=curator_a
    )
    people_import_apply(batch=batch, user=curator_a)
    assert school_a.people.filter(category=Person.Category.PARENT).count() == 1
    assert existing.children_links.get().child.first_name == "Павел"


def test_staff_list_names_parent_columns_as_not_loaded():
    rows = [["ФИО", "Должность", "Кем приходится"], ["Иванова Анна Петровна", "учитель", "x"]]
    parsed = parse_people_file(xlsx_bytes(rows), "staff.xlsx")
    assert parsed.ok
    assert [c.header for c in parsed.unused_columns] == ["Кем приходится"]


def test_warning_cells_are_yellow():
    rows = [["Фамилия", "Имя", "Класс", "Дата рождения"], ["Смит", "Джон", "5А", "01.02.2015"]]
    data = xlsx_bytes(rows)
    parsed = parse_people_file(data, "5а.xlsx")
    sheet = load_workbook(io.BytesIO(mark_problems(data, parsed))).active
    assert sheet["A2"].fill.fgColor.rgb.endswith(WARNING_FILL_COLOUR)
    assert "Проверьте" in sheet["A2"].comment.text


def test_command_names_unused_columns_and_warnings_and_loads(school_a, tmp_path):
    rows = [PARENT_HEADER, ["Смит Джон", "7Б", "01.02.2013", "Смит Анна", "+7 900 000-00-00", "", "мать", "ул. Мира"]]
    source = tmp_path / "7б.xlsx"
    source.write_bytes(xlsx_bytes(rows))
    out = io.StringIO()
    call_command("import_people", school_a.slug, str(source), "--yes", stdout=out)
    text = out.getvalue()
    assert "Столбец H «Адрес» не загружается." in text
    assert "Предупреждения (1)" in text and WARNING_GENDER_TO_FILL in text
    assert "Родители: новых — 1, уже в базе — 0." in text
    child = school_a.people.get(last_name="Смит", first_name="Джон")
    assert child.parent_links.get().parent.first_name == "Анна"
