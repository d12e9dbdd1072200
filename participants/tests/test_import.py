"""Import of class lists and staff lists: parsing, file checks, services, the command, the pages."""

import datetime
import io
import re
import zipfile
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from participants import importing, services_import
from participants.importing import (
    DATE_IMPOSSIBLE,
    FILE_BROKEN_ZIP,
    FILE_EMPTY,
    FILE_ENCRYPTED,
    FILE_OLD_EXCEL,
    FILE_UNKNOWN_KIND,
    FILE_UNREADABLE_XLSX,
    FILE_UTF16,
    FILE_ZIP_NOT_XLSX,
    CellError,
    ImportFileError,
    column_of_header,
    parse_class,
    parse_date,
    parse_experience,
    parse_gender,
    parse_people_file,
    split_full_name,
)
from participants.models import AccessLogEntry, ImportBatch, Person
from participants.services_import import (
    APPLY_HAS_ERRORS,
    APPLY_NO_RIGHTS,
    APPLY_NOT_PREVIEW,
    APPLY_OTHER_ORGANISATION,
    ImportRefused,
    errors_phrase,
    import_result_message,
    people_import_apply,
    people_import_plan,
    people_import_preview,
)
from participants.tests.factories import PersonFactory, TeacherFactory

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
MESSY = "class_7b_messy.xlsx"
STAFF = "staff.xlsx"
CP1251 = "class_5a_cp1251.csv"
WITH_ERRORS = "class_6v_errors.xlsx"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, fixture_bytes(name) if data is None else data)


def parse(name: str):
    return parse_people_file(fixture_bytes(name), name)


def csv_bytes(*lines: str, encoding: str = "utf-8", delimiter: str = ";") -> bytes:
    return "\r\n".join(line.replace(";", delimiter) for line in lines).encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def texts(parsed) -> list[str]:
    return [problem.text for problem in parsed.problems]


# --- Headers, names, classes, dates, gender ---------------------------------------------


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("ФИО", "full_name"),
        ("Ф.И.О.", "full_name"),
        ("Ф. И. О.", "full_name"),
        ("  фио ", "full_name"),
        ("Фамилия Имя Отчество", "full_name"),
        ("Фамилия, имя, отчество", "full_name"),
        ("ФИО обучающегося", "full_name"),
        ("Ф.И.О. ребёнка", "full_name"),
        ("Ф.И.О. (полностью)", "full_name"),
        ("Фамилия", "last_name"),
        ("ИМЯ", "first_name"),
        ("Отчество (при наличии)", "patronymic"),
        ("Класс", "class"),
        ("КЛАСС ", "class"),
        ("Дата рождения", "birth_date"),
        ("дата  рождения", "birth_date"),
        ("Дата рождения (ДД.ММ.ГГГГ)", "birth_date"),
        ("Пол", "gender"),
        ("Пол (М/Ж)", "gender"),
        ("Должность", "position"),
        ("Предмет(ы)", "subjects"),
        ("Преподаваемые предметы", "subjects"),
        ("Стаж", "experience"),
        ("Стаж, лет", "experience"),
        ("Педагогический стаж", "experience"),
        ("Телефон", "phone"),
        ("Контактный телефон", "phone"),
        ("E-mail", "email"),
        ("Электронная почта", "email"),
        ("Эл. почта", "email"),
        ("№ п/п", None),
        ("Примечание", None),
    ],
)
def test_header_synonyms(header, column):
    assert column_of_header(header) == column


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7Б", (7, "Б")),
        ("7 Б", (7, "Б")),
        ("7-Б", (7, "Б")),
        ("7б", (7, "Б")),
        ("7 «Б»", (7, "Б")),
        ('7 "Б"', (7, "Б")),
        ("7 Б класс", (7, "Б")),
        ("10 А кл.", (10, "А")),
        ("VII Б", (7, "Б")),
        ("7B", (7, "В")),  # a Latin B that looks like the Cyrillic В
        ("11", (11, "")),
        (7, (7, "")),
        (7.0, (7, "")),
    ],
)
def test_class_spellings(value, expected):
    assert parse_class(value) == expected


@pytest.mark.parametrize("value", ["12Я", "0А", "Б", "7D", "седьмой", 12])
def test_unknown_class_is_explained(value):
    with pytest.raises(CellError) as error:
        parse_class(value)
    assert "такого класса нет" in error.value.message
    assert "от 1 до 11" in error.value.message


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(2012, 5, 17),
        datetime.datetime(2012, 5, 17, 0, 0),
        41046,  # an Excel serial number
        41046.0,
        "41046",
        "17.05.2012",
        "17.5.2012",
        " 17.05.2012 ",
        "17/05/2012",
        "17.05.12",
        "2012-05-17",
        "17.05.2012 0:00:00",
        "17.05.2012 г.",
        "17 мая 2012 г.",
    ],
)
def test_date_spellings(value):
    assert parse_date(value) == datetime.date(2012, 5, 17)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31.02.2012", "«31.02.2012» — такой даты нет. Ожидается дата в формате ДД.ММ.ГГГГ."),
        ("17.13.2012", "«17.13.2012» — такой даты нет. Ожидается дата в формате ДД.ММ.ГГГГ."),
        ("вчера", "«вчера» — не похоже на дату. Ожидается дата в формате ДД.ММ.ГГГГ, например 17.05.2012."),
        ("2012", "«2012» — не похоже на дату. Ожидается дата в формате ДД.ММ.ГГГГ, например 17.05.2012."),
        ("01.01.2999", "«01.01.2999» — дата рождения ещё не наступила. Ожидается дата в формате ДД.ММ.ГГГГ."),
        ("01.01.1812", "«01.01.1812» — слишком ранняя дата рождения. Ожидается дата в формате ДД.ММ.ГГГГ."),
    ],
)
def test_bad_dates_are_explained(value, message):
    with pytest.raises(CellError) as error:
        parse_date(value)
    assert error.value.message == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[("М", "M"), ("м", "M"), ("муж", "M"), ("муж.", "M"), ("Мужской", "M"), ("M", "M")],
        *[("Ж", "F"), ("ж", "F"), ("жен", "F"), ("жен.", "F"), ("женский", "F"), ("F", "F"), ("", "")],
    ],
)
def test_gender_spellings(value, expected):
    assert parse_gender(value) == expected


def test_unknown_gender_is_explained():
    with pytest.raises(CellError, match=re.escape("«мальчик?» — непонятное значение. Ожидается «М» или «Ж».")):
        parse_gender("мальчик?")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Мамедов Рафик Эльдар оглы", ("Мамедов", "Рафик", "Эльдар оглы")),
        ("Алиева Лейла Эльдар кызы", ("Алиева", "Лейла", "Эльдар кызы")),
        ("Черных Илья Сергеевич", ("Черных", "Илья", "Сергеевич")),
        ("  Ким   Виктория ", ("Ким", "Виктория", "")),
        ("ПЕТРОВ-ВОДКИН КУЗЬМА СЕРГЕЕВИЧ", ("Петров-Водкин", "Кузьма", "Сергеевич")),
        ("Ёлкина Алёна Викторовна", ("Ёлкина", "Алёна", "Викторовна")),
    ],
)
def test_whole_name_is_split(value, expected):
    assert split_full_name(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Иванов", "нужны хотя бы фамилия и имя"),
        ("Иванов И.И.", "вместо инициалов нужны полные имя и отчество"),
        ("Иванов 2 Иван", "только буквы, пробелы, дефисы и апострофы"),
    ],
)
def test_bad_names_are_explained(value, message):
    with pytest.raises(CellError, match=message):
        split_full_name(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, 5), (5.0, 5), ("5", 5), ("5 лет", 5), ("1 год", 1), ("2 года", 2), ("12 лет 3 мес.", 12), ("", None)],
)
def test_experience_spellings(value, expected):
    assert parse_experience(value) == expected


# --- Whole files -------------------------------------------------------------------------


def test_messy_class_list_is_read():
    parsed = parse(MESSY)
    assert parsed.ok, texts(parsed)
    assert (parsed.kind, parsed.file_format, parsed.header_row, parsed.sheet) == ("students", "xlsx", 3, "7Б")
    assert parsed.columns["full_name"].header == "Ф.И.О."
    rows = {row.full_name: row for row in parsed.rows}
    assert len(rows) == 8  # the row of column numbers, the blank row and the note below are not people
    assert {(row.grade, row.class_letter) for row in parsed.rows} == {(7, "Б"), (8, "А")}
    assert rows["Черных Илья Сергеевич"].birth_date == datetime.date(2012, 5, 17)  # a real date
    assert rows["Мамедов Рафик Эльдар оглы"].birth_date == datetime.date(2012, 7, 10)  # a serial number
    assert rows["Мамедов Рафик Эльдар оглы"].patronymic == "Эльдар оглы"
    assert rows["Алиева Лейла Эльдар кызы"].birth_date == datetime.date(2013, 2, 1)  # «1.2.2013»
    assert rows["Петров Пётр Петрович"].birth_date == datetime.date(2012, 11, 30)  # a datetime
    assert rows["Сидоров Иван Петрович"].last_name == "Сидоров"  # written in capitals
    assert [rows[name].gender for name in ("Мамедов Рафик Эльдар оглы", "Алиева Лейла Эльдар кызы")] == ["M", "F"]
    assert rows["Ким Виктория"].row == 13


def test_staff_list_with_three_name_columns_gives_teachers():
    parsed = parse(STAFF)
    assert parsed.ok, texts(parsed)
    assert parsed.kind == "teachers"
    rows = {row.last_name: row for row in parsed.rows}
    assert {row.category for row in parsed.rows} == {"teacher"}
    assert rows["Яковенко"].position == "учитель математики"
    assert rows["Яковенко"].experience_years == 12
    assert rows["Кляпка"].experience_years == 25  # «25 лет»
    assert rows["Кляпка"].birth_date is None  # optional for staff
    assert rows["Иванов"].subjects == "физика, астрономия"
    assert rows["Иванов"].phone == "79001112233"  # a number cell
    assert rows["Иванов"].email == "s.ivanov@school1.example"
    # No «Пол» column: told by the patronymic.
    assert (rows["Гусейнов"].patronymic, rows["Гусейнов"].gender) == ("Рашид оглы", "M")
    assert rows["Смирнова"].gender == "F"


def test_cp1251_csv_with_semicolons():
    parsed = parse(CP1251)
    assert parsed.ok, texts(parsed)
    assert parsed.file_format == "csv"
    assert [row.full_name for row in parsed.rows] == [
        "Соколов Матвей Алексеевич",
        "Фёдорова Софья Дмитриевна",
        "Королёв Артём Игоревич",
        "Лебедева Анна-Мария Олеговна",
    ]
    assert {row.class_name for row in parsed.rows} == {"5А"}


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_csv_delimiters_and_encodings(delimiter, encoding):
    data = csv_bytes(
        "Список учеников 9 класса",
        "ФИО;Класс;Дата рождения;Пол",
        "Черных Илья Сергеевич;9Б;17.05.2010;М",
        "Ёлкина Алёна Викторовна;9 Б;1.2.2010;Ж",
        encoding=encoding,
        delimiter=delimiter,
    )
    parsed = parse_people_file(data, "9b.csv")
    assert parsed.ok, texts(parsed)
    assert parsed.header_row == 2
    assert [row.full_name for row in parsed.rows] == ["Черных Илья Сергеевич", "Ёлкина Алёна Викторовна"]


def test_text_starting_like_a_picture_signature_is_still_a_list():
    data = csv_bytes("BMI;ФИО;Класс;Дата рождения;Пол", "1;Черных Илья Сергеевич;7Б;17.05.2012;М")
    parsed = parse_people_file(data, "7b.csv")
    assert parsed.ok, texts(parsed)
    assert len(parsed.rows) == 1


def test_every_error_has_row_column_and_explanation():
    parsed = parse(WITH_ERRORS)
    assert texts(parsed) == [
        "Строка 12, столбец D («Дата рождения»): «31.02.2014» — такой даты нет. Ожидается дата в формате ДД.ММ.ГГГГ.",
        "Строка 13, столбец C («Класс»): «12Я» — такого класса нет. "
        "Ожидается номер класса от 1 до 11 и буква, например «7Б».",
        "Строка 14, столбец B («ФИО»): не заполнено. Укажите фамилию, имя и отчество.",
        "Строка 15, столбец B («ФИО»): «Андреев Кирилл Павлович» (01.03.2014) уже есть в строке 4: "
        "человек повторяется. Удалите одну из строк.",
        "Строка 16, столбец D («Дата рождения»): «вчера» — не похоже на дату. "
        "Ожидается дата в формате ДД.ММ.ГГГГ, например 17.05.2012.",
    ]
    first = parsed.problems[0]
    assert (first.row, first.column, first.header) == (12, "D", "Дата рождения")
    assert len(parsed.rows) == 8


def test_example_message_of_the_issue():
    rows = [["ФИО", "Класс", "Пол", "Дата рождения"], ["Черных Илья Сергеевич", "7Б", "М", "17.05.2012"]]
    rows += [[f"Иванов{'а' * n} Илья Сергеевич", "7Б", "М", f"{n:02d}.05.2012"] for n in range(1, 10)]
    rows += [["Петров Пётр Петрович", "7Б", "М", "31.02.2012"]]
    parsed = parse_people_file(xlsx_bytes(rows), "7b.xlsx")
    assert texts(parsed) == [
        "Строка 12, столбец D («Дата рождения»): «31.02.2012» — такой даты нет. Ожидается дата в формате ДД.ММ.ГГГГ."
    ]
    assert DATE_IMPOSSIBLE.format(value="31.02.2012") in texts(parsed)[0]


def test_missing_required_columns_are_named():
    parsed = parse_people_file(csv_bytes("ФИО;Класс", "Черных Илья Сергеевич;7Б"), "7b.csv")
    assert texts(parsed)[0].startswith("В файле нет обязательного столбца «Дата рождения».")
    parsed = parse_people_file(csv_bytes("Фамилия;Класс;Пол", "Черных;7Б;М"), "7b.csv")
    assert texts(parsed)[0].startswith("В файле нет обязательных столбцов: «Имя», «Дата рождения».")
    parsed = parse_people_file(csv_bytes("ФИО;Пол;Телефон", "Черных Илья Сергеевич;М;123456"), "7b.csv")
    assert texts(parsed) == [FILE_UNKNOWN_KIND]
    assert parsed.rows == []


def test_header_further_than_the_first_rows_is_not_found():
    parsed = parse_people_file(xlsx_bytes([["Список"]] * 12 + [["ФИО", "Класс", "Дата рождения"]]), "7b.xlsx")
    assert texts(parsed)[0].startswith("Не найдена строка с названиями столбцов: в первых 10 строках")


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    lines = ["ФИО;Класс;Дата рождения;Пол"] + [f"Иванов Илья Сергеевич;7Б;0{n}.05.2012;М" for n in range(1, 5)]
    parsed = parse_people_file(csv_bytes(*lines), "7b.csv")
    assert parsed.file_error == "В списке больше 3 строк. Разделите его на несколько файлов и загрузите их по очереди."
    assert parsed.rows == []


# --- Broken and hostile files ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("photo.xlsx", "Файл «photo.xlsx» — не таблица, а изображение PNG."),
        ("truncated.xlsx", FILE_BROKEN_ZIP),
        ("zip_bomb.xlsx", "Файл отклонён: он сжат подозрительно сильно"),
        ("old_format.xls", FILE_OLD_EXCEL),
        ("journal_export.xls", "Файл «journal_export.xls» — на самом деле веб-страница (HTML), а не таблица Excel"),
        ("empty.xlsx", FILE_EMPTY),
    ],
)
def test_hostile_fixture_gives_its_russian_message(name, message):
    parsed = parse(name)
    assert parsed.file_error is not None
    assert parsed.file_error.startswith(message)
    assert parsed.rows == []
    assert texts(parsed) == [parsed.file_error]


def test_committed_zip_bomb_is_small_but_unpacks_large():
    data = fixture_bytes("zip_bomb.xlsx")
    assert len(data) < 10_000
    assert sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(data)).infolist()) > 5_000_000


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_more_hostile_files(monkeypatch):
    def error_of(data: bytes, name: str = "list.xlsx") -> str:
        return parse_people_file(data, name).file_error or ""

    xlsx = xlsx_bytes([["ФИО", "Класс", "Дата рождения", "Пол"], ["Черных Илья Сергеевич", "7Б", "17.05.2012", "М"]])
    assert error_of(xlsx) == ""
    assert error_of(b"\xff\xfe" + "ФИО\tКласс".encode("utf-16-le"), "list.txt") == FILE_UTF16
    assert error_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le")) == FILE_ENCRYPTED
    assert error_of(b"\x00\x01\x02binary\x00", "list.csv").startswith("Файл «list.csv» не похож на таблицу")
    assert error_of(_zip({"readme.txt": b"hello"}), "list.zip") == FILE_ZIP_NOT_XLSX
    assert error_of(_zip({"[Content_Types].xml": b"<x", "xl/workbook.xml": b"<broken"})) == FILE_UNREADABLE_XLSX
    assert error_of(b"%PDF-1.7\n...", "list.xlsx").endswith(
        "не таблица, а документ PDF. Загрузите список в формате Excel (.xlsx) или CSV."
    )
    assert error_of(b"a" * (5 * 1024 * 1024 + 1), "big.csv") == (
        "Файл слишком большой (5,1\u00a0МБ): можно загрузить файл не больше 5\u00a0МБ. "
        "Разделите список на несколько файлов."
    )
    monkeypatch.setattr(importing, "MAX_ZIP_ENTRIES", 5)
    assert "вложенных частей" in error_of(_zip({f"x{n}": b"" for n in range(6)}))
    monkeypatch.setattr(importing, "MAX_ZIP_ENTRIES", 500)
    monkeypatch.setattr(importing, "MAX_UNCOMPRESSED_SIZE", 1000)
    assert "в распакованном виде он занимает" in error_of(xlsx)


# --- Services ----------------------------------------------------------------------------


def test_preview_writes_no_person(school_a, curator_a):
    batch = people_import_preview(organisation=school_a, uploaded_file=upload(MESSY), user=curator_a)
    assert Person.objects.count() == 0
    assert batch.status == ImportBatch.Status.PREVIEW
    assert batch.uploaded_by == curator_a
    assert batch.original_name == MESSY
    # The stored name tells nothing about the people in the file.
    assert batch.file.name.startswith(f"private/{school_a.pk}/importbatch/") and MESSY not in batch.file.name
    assert batch.summary["counts"] == {
        "create": 8,
        "update": 0,
        "unchanged": 0,
        "skipped": 0,
        "errors": 0,
        "warnings": 0,
        "parents_create": 0,
        "parents_existing": 0,
    }
    assert batch.summary["create"][0] == {
        "row": 5,
        "name": "Черных Илья Сергеевич",
        "birth_date": "17.05.2012",
        "gender": "мужской",
        "details": "7Б класс",
    }
    assert batch.summary["errors"] == []


def test_preview_of_a_hostile_file_keeps_nothing(school_a, curator_a, media_root):
    with pytest.raises(ImportFileError, match="изображение PNG"):
        people_import_preview(organisation=school_a, uploaded_file=upload("photo.xlsx"), user=curator_a)
    assert ImportBatch.objects.count() == 0
    assert not Path(media_root).exists() or not any(Path(media_root).rglob("*.*"))


def test_apply_writes_all_and_records_the_import(school_a, curator_a, django_capture_on_commit_callbacks):
    batch = people_import_preview(organisation=school_a, uploaded_file=upload(MESSY), user=curator_a)
    stored = Path(batch.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        result = people_import_apply(batch=batch, user=curator_a, organisation=school_a)
    assert (result.created, result.updated) == (8, 0)
    people = school_a.people.all()
    assert people.count() == 8
    mamedov = people.get(last_name="Мамедов")
    assert (mamedov.patronymic, mamedov.grade, mamedov.class_letter, mamedov.gender) == ("Эльдар оглы", 7, "Б", "M")
    assert mamedov.search_name == "мамедов рафик эльдар оглы"
    assert people.get(first_name="Алёна").search_name == "елкина алена викторовна"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.applied_at is not None
    assert batch.summary["result"] == {"created": 8, "updated": 0}
    entry = AccessLogEntry.objects.get(organisation=school_a, action="change")
    assert entry.what == f"Загрузка списка «{MESSY}» (список класса)"
    assert entry.people_count == 8
    assert entry.user == curator_a
    # The file of personal data is not kept once applied; the person cards get a history entry.
    assert not stored.exists()
    assert not batch.file
    assert LogEntry.objects.filter(additional_data__person_id=mamedov.pk, action=LogEntry.Action.CREATE).exists()


def test_file_with_any_error_writes_nothing(school_a, curator_a):
    batch = people_import_preview(organisation=school_a, uploaded_file=upload(WITH_ERRORS), user=curator_a)
    assert batch.summary["counts"]["create"] == 8
    assert len(batch.summary["errors"]) == 5
    with pytest.raises(ImportRefused) as refused:
        people_import_apply(batch=batch, user=curator_a, organisation=school_a)
    assert refused.value.message == APPLY_HAS_ERRORS
    assert Person.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


def test_failure_halfway_writes_nothing(school_a, curator_a, monkeypatch):
    PersonFactory(organisation=school_a, last_name="Черных", first_name="Илья", patronymic="Сергеевич", grade=6)
    batch = people_import_preview(organisation=school_a, uploaded_file=upload(MESSY), user=curator_a)

    def broken_journal(**kwargs):
        raise RuntimeError("the journal is down")

    monkeypatch.setattr(services_import, "access_record", broken_journal)
    with pytest.raises(RuntimeError):
        people_import_apply(batch=batch, user=curator_a, organisation=school_a)
    assert school_a.people.count() == 1
    assert school_a.people.get().grade == 6
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert batch.file


def test_reimport_creates_no_duplicates_and_updates_a_changed_class(school_a, curator_a):
    first = people_import_preview(organisation=school_a, uploaded_file=upload(MESSY), user=curator_a)
    people_import_apply(batch=first, user=curator_a)
    # The school moved Черных to another class meanwhile, and someone typed «Елкина» without «ё».
    school_a.people.filter(last_name="Черных").update(grade=6, class_letter="А")
    elkina = school_a.people.get(last_name="Ёлкина")
    elkina.last_name, elkina.first_name = "ЕЛКИНА", "алена"
    elkina.save()

    again = people_import_preview(organisation=school_a, uploaded_file=upload(MESSY), user=curator_a)
    assert again.summary["counts"] | {"warnings": 0, "parents_create": 0, "parents_existing": 0} == {
        "create": 0,
        "update": 1,
        "unchanged": 7,
        "skipped": 0,
        "errors": 0,
        "warnings": 0,
        "parents_create": 0,
        "parents_existing": 0,
    }
    assert again.summary["update"][0]["changes"] == [{"field": "класс", "old": "6А", "new": "7Б"}]
    result = people_import_apply(batch=again, user=curator_a)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 7)
    assert school_a.people.count() == 8
    assert school_a.people.get(last_name="Черных").class_name == "7Б"
    history = LogEntry.objects.filter(
        action=LogEntry.Action.UPDATE, object_id=school_a.people.get(last_name="Черных").pk
    )
    assert history.get().changes["grade"] == ["6", "7"]


def test_staff_list_matches_a_teacher_without_birth_date_and_updates_the_position(school_a, curator_a):
    klyapka = TeacherFactory(
        organisation=school_a,
        last_name="Кляпка",
        first_name="Ольга",
        patronymic="Викторовна",
        birth_date=None,
        position="учитель математики",
        experience_years=24,
    )
    batch = people_import_preview(organisation=school_a, uploaded_file=upload(STAFF), user=curator_a)
    assert batch.summary["counts"]["create"] == 4
    assert batch.summary["update"][0]["changes"] == [
        {"field": "должность", "old": "учитель математики", "new": "директор"},
        {"field": "стаж", "old": "24", "new": "25"},
    ]
    people_import_apply(batch=batch, user=curator_a)
    klyapka.refresh_from_db()
    assert (klyapka.position, klyapka.experience_years) == ("директор", 25)
    assert school_a.people.filter(category="teacher").count() == 5


def test_people_of_another_school_are_not_matched(school_a, school_b, curator_a):
    PersonFactory(organisation=school_b, last_name="Черных", first_name="Илья", patronymic="Сергеевич")
    plan = people_import_plan(organisation=school_a, data=fixture_bytes(MESSY), filename=MESSY)
    assert len(plan.create) == 8


def test_blocked_and_other_category_people_are_skipped(school_a, curator_a):
    PersonFactory(
        organisation=school_a,
        last_name="Черных",
        first_name="Илья",
        patronymic="Сергеевич",
        birth_date=datetime.date(2012, 5, 17),
        processing_blocked_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    TeacherFactory(
        organisation=school_a,
        last_name="Ким",
        first_name="Виктория",
        patronymic="",
        birth_date=datetime.date(2012, 4, 14),
    )
    batch = people_import_preview(organisation=school_a, uploaded_file=upload(MESSY), user=curator_a)
    assert batch.summary["counts"]["skipped"] == 2
    reasons = {row["name"]: row["reason"] for row in batch.summary["skipped"]}
    assert "согласие на обработку данных отозвано" in reasons["Черных Илья Сергеевич"]
    assert "в категории «Педагог»" in reasons["Ким Виктория"]
    result = people_import_apply(batch=batch, user=curator_a)
    assert (result.created, result.skipped) == (6, 2)


def test_apply_refuses_foreign_applied_and_unauthorised(school_a, school_b, curator_a, member):
    batch = people_import_preview(organisation=school_a, uploaded_file=upload(CP1251), user=curator_a)
    with pytest.raises(ImportRefused, match=APPLY_OTHER_ORGANISATION):
        people_import_apply(batch=batch, user=curator_a, organisation=school_b)
    with pytest.raises(ImportRefused, match=APPLY_NO_RIGHTS):
        people_import_apply(batch=batch, user=member(school_a, "methodist"))
    with pytest.raises(ImportRefused, match=APPLY_NO_RIGHTS):
        people_import_apply(batch=batch, user=member(school_b, "curator", "curator-of-b"))
    assert Person.objects.count() == 0
    people_import_apply(batch=batch, user=curator_a, organisation=school_a)
    with pytest.raises(ImportRefused) as refused:
        people_import_apply(batch=batch, user=curator_a, organisation=school_a)
    assert refused.value.message == APPLY_NOT_PREVIEW.format(status="загружен")
    assert Person.objects.count() == 4


def test_apply_query_count_does_not_grow_with_rows(school_a, curator_a):
    def file_of(surname: str, count: int, grade: int) -> SimpleUploadedFile:
        lines = ["ФИО;Класс;Дата рождения;Пол"] + [
            f"{surname}{'а' * (n % 7)} Илья{'с' * (n // 7)} Сергеевич;{grade}А;17.05.2012;М" for n in range(count)
        ]
        return SimpleUploadedFile(f"{grade}a.csv", csv_bytes(*lines))

    def queries(surname: str, count: int, grade: int) -> int:
        upload = file_of(surname, count, grade)
        batch = people_import_preview(organisation=school_a, uploaded_file=upload, user=curator_a)
        with CaptureQueriesContext(connection) as captured:
            people_import_apply(batch=batch, user=curator_a)
        return len(captured.captured_queries)

    queries("Петров", 1, 5)  # caches the content type of the change history
    # SQLite inserts at most 999 values a query, about 39 people: stay below that here.
    assert queries("Иванов", 3, 5) == queries("Сидоров", 30, 5)
    # A re-import with another class updates them all in bulk too.
    assert queries("Иванов", 3, 6) == queries("Сидоров", 30, 6)
    assert school_a.people.filter(grade=6).count() == 33


def test_russian_plurals_of_messages():
    assert import_result_message(1, 1) == "Список загружен: добавлен 1 человек, обновлены данные 1 человека."
    assert import_result_message(22, 5) == "Список загружен: добавлено 22 человека, обновлены данные 5 человек."
    assert import_result_message(11, 0, 21, 2, filename="7Б.xlsx") == (
        "Список «7Б.xlsx» загружен: добавлено 11 человек, без изменений — 21 человек, пропущено 2 человека."
    )
    assert import_result_message(0, 0) == "Список загружен: изменений нет."
    assert [errors_phrase(n) for n in (1, 3, 5, 21, 112)] == [
        "Найдена 1 ошибка",
        "Найдено 3 ошибки",
        "Найдено 5 ошибок",
        "Найдена 21 ошибка",
        "Найдено 112 ошибок",
    ]


# --- The command -------------------------------------------------------------------------


def test_command_only_previews_without_yes(school_a, capsys):
    call_command("import_people", school_a.slug, str(FIXTURES / MESSY))
    out = capsys.readouterr().out
    assert "список класса, лист «7Б», заголовки в строке 3" in out
    assert "Новых: 8; изменится: 0; без изменений: 0; пропущено: 0; ошибок: 0." in out
    assert "строка 7: Мамедов Рафик Эльдар оглы (10.07.2012, 7Б класс)" in out
    assert "Это предварительный просмотр: в базу ничего не записано." in out
    assert Person.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_command_applies_with_yes(school_a, capsys):
    call_command("import_people", school_a.slug, str(FIXTURES / STAFF), "--yes")
    out = capsys.readouterr().out
    assert "Список «staff.xlsx» загружен: добавлено 5 человек." in out
    assert school_a.people.filter(category="teacher").count() == 5
    assert AccessLogEntry.objects.get(action="change").path == f"manage.py import_people {school_a.slug}"
    call_command("import_people", school_a.slug, str(FIXTURES / STAFF), "--yes")
    assert "Список «staff.xlsx» загружен: без изменений — 5 человек." in capsys.readouterr().out
    assert school_a.people.count() == 5


@pytest.mark.parametrize("name", [WITH_ERRORS, "zip_bomb.xlsx", "journal_export.xls"])
def test_command_fails_on_errors_and_writes_nothing(school_a, capsys, name):
    with pytest.raises(CommandError, match="список не загружен, в базу ничего не записано"):
        call_command("import_people", school_a.slug, str(FIXTURES / name), "--yes")
    out = capsys.readouterr().out
    if name == WITH_ERRORS:
        assert "Найдено 5 ошибок:" in out
        assert "Строка 12, столбец D («Дата рождения»): «31.02.2014» — такой даты нет." in out
    assert Person.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_command_unknown_school_or_file(school_a, tmp_path):
    with pytest.raises(CommandError, match="Организация с адресом «no-such-school» не найдена"):
        call_command("import_people", "no-such-school", str(FIXTURES / MESSY))
    with pytest.raises(CommandError, match="не найден"):
        call_command("import_people", school_a.slug, str(tmp_path / "missing.xlsx"))


def test_command_refuses_a_district(district):
    with pytest.raises(CommandError, match="загружаются в школу, а не в управление образования"):
        call_command("import_people", district.slug, str(FIXTURES / MESSY), "--yes")


# --- Pages -------------------------------------------------------------------------------


def _upload_url(school):
    return reverse("participants:import_upload", kwargs={"org": school.slug})


def test_upload_page_explains_the_file_and_has_no_inline_code(client, school_a, curator_a):
    client.force_login(curator_a)
    response = client.get(_upload_url(school_a))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'type="file"' in content and 'hx-post="' in content and 'hx-encoding="multipart/form-data"' in content
    assert "js/import-progress.js" in content
    assert "Обязательные столбцы" in content and "Черных Илья Сергеевич" in content
    assert "Списков ещё не загружали" in content
    assert re.search(r"<script(?![^>]*\ssrc=)[^>]*>", content) is None  # no inline scripts
    assert " style=" not in content  # no inline styles
    assert "Загрузка списков" in content  # the menu item


def test_upload_preview_apply_flow(client, school_a, curator_a):
    client.force_login(curator_a)
    response = client.post(_upload_url(school_a), {"file": upload(MESSY)})
    batch = ImportBatch.objects.get()
    preview_url = reverse("participants:import_preview", kwargs={"org": school_a.slug, "pk": batch.pk})
    assert response.status_code == 302 and response["Location"] == preview_url
    assert Person.objects.count() == 0

    page = client.get(preview_url).content.decode()
    assert "Проверка списка «class_7b_messy.xlsx»" in page
    assert "Будут добавлены: 8 человек" in page
    assert "Мамедов Рафик Эльдар оглы" in page and "10.07.2012" in page
    assert ">Загрузить</button>" in page
    assert AccessLogEntry.objects.get(action="view").people_count == 8

    apply_url = reverse("participants:import_apply", kwargs={"org": school_a.slug, "pk": batch.pk})
    response = client.post(apply_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("participants:person_list", kwargs={"org": school_a.slug})
    assert "Список «class_7b_messy.xlsx» загружен: добавлено 8 человек." in response.content.decode()
    assert school_a.people.count() == 8

    page = client.get(preview_url).content.decode()
    assert "Список загружен в базу" in page and ">Загрузить</button>" not in page
    listing = client.get(_upload_url(school_a)).content.decode()
    assert "class_7b_messy.xlsx" in listing and "добавлено: 8, обновлено: 0" in listing
    # Applying twice is refused with a message, not a 500.
    response = client.post(apply_url, follow=True)
    assert "Этот список уже загружен" in response.content.decode()
    assert school_a.people.count() == 8


def test_htmx_upload_is_redirected_by_header(client, school_a, curator_a):
    client.force_login(curator_a)
    response = client.post(_upload_url(school_a), {"file": upload(CP1251)}, headers={"HX-Request": "true"})
    batch = ImportBatch.objects.get()
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse(
        "participants:import_preview", kwargs={"org": school_a.slug, "pk": batch.pk}
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("photo.xlsx", "не таблица, а изображение PNG"),
        ("truncated.xlsx", "Файл повреждён"),
        ("zip_bomb.xlsx", "сжат подозрительно сильно"),
        ("old_format.xls", "старом формате Excel 97–2003 (.xls)"),
        ("journal_export.xls", "веб-страница (HTML)"),
        ("empty.xlsx", FILE_EMPTY),
    ],
)
def test_hostile_upload_is_explained_on_the_form(client, school_a, curator_a, name, message):
    client.force_login(curator_a)
    response = client.post(_upload_url(school_a), {"file": upload(name)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_upload_without_file_is_explained(client, school_a, curator_a):
    client.force_login(curator_a)
    response = client.post(_upload_url(school_a), {})
    assert "Выберите файл со списком." in response.content.decode()


def test_preview_with_errors_lists_them_and_has_no_button(client, school_a, curator_a):
    client.force_login(curator_a)
    client.post(_upload_url(school_a), {"file": upload(WITH_ERRORS)})
    batch = ImportBatch.objects.get()
    page = client.get(reverse("participants:import_preview", kwargs={"org": school_a.slug, "pk": batch.pk}))
    content = page.content.decode()
    assert "Найдено 5 ошибок." in content
    assert "D («Дата рождения»)" in content
    assert "«31.02.2014» — такой даты нет." in content
    assert "«12Я» — такого класса нет." in content
    assert ">Загрузить</button>" not in content
    response = client.post(reverse("participants:import_apply", kwargs={"org": school_a.slug, "pk": batch.pk}))
    assert response.status_code == 302
    assert Person.objects.count() == 0


def test_batch_of_another_school_is_404(client, school_a, school_b, curator_a, curator_b):
    batch = people_import_preview(organisation=school_b, uploaded_file=upload(CP1251), user=curator_b)
    client.force_login(curator_a)
    kwargs = {"org": school_a.slug, "pk": batch.pk}
    assert client.get(reverse("participants:import_preview", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("participants:import_apply", kwargs=kwargs)).status_code == 404
    other = {"org": school_b.slug, "pk": batch.pk}
    assert client.get(reverse("participants:import_preview", kwargs=other)).status_code == 404
    assert Person.objects.count() == 0


def test_methodist_gets_403_and_no_menu_item(client, school_a, member):
    client.force_login(member(school_a, "methodist"))
    response = client.get(_upload_url(school_a))
    assert response.status_code == 403
    assert "Недостаточно прав" in response.content.decode()
    people = client.get(reverse("participants:person_list", kwargs={"org": school_a.slug})).content.decode()
    assert "Загрузка списков" not in people
