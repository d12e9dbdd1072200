"""Reading class lists and staff lists as Russian schools export them (XLSX and CSV).

Pure: no database access. ``parse_people_file(data, filename)`` checks the file (size, real
type by content, zip bombs, encoding), finds the header row and the columns by their Russian
names, and returns the rows it understood together with every problem, each with its row and
column as the spreadsheet shows them and an explanation in Russian.

A class list (has «Класс») gives students; a staff list (has «Должность», no «Класс») gives
teachers. The services in ``services_import.py`` match the rows with the school's people and
write them.
"""

import codecs
import csv
import datetime
import io
import math
import re
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field

import filetype
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from organisations.russian import MONTH_NUMBERS, plural
from organisations.school_year import current_school_year

from .models import Gender, Person, normalise_for_search

# --- Limits ------------------------------------------------------------------------------

MAX_FILE_SIZE = 5 * 1024 * 1024  # bytes of the uploaded file
MAX_ROWS = 5_000  # filled rows below the header
HEADER_SEARCH_ROWS = 10  # the header row is looked for among the first rows (title rows above it)
MAX_COLUMNS = 100  # cells further right are not read
MAX_ZIP_ENTRIES = 500  # an XLSX made by Excel or LibreOffice has a few dozen
MAX_UNCOMPRESSED_SIZE = 50 * 1024 * 1024  # all entries of an XLSX together, unpacked
MAX_COMPRESSION_RATIO = 100  # of one entry larger than COMPRESSION_RATIO_MIN_SIZE
COMPRESSION_RATIO_MIN_SIZE = 1024 * 1024
MAX_CELL_LENGTH = 300  # longer values are cut in messages and refused in fields
MIN_BIRTH_YEAR = 1900
MAX_EXPERIENCE_YEARS = 70

# --- Messages: file level ----------------------------------------------------------------

FILE_EMPTY = "Файл пустой: в нём нет ни одной строки. Выберите файл со списком."
FILE_TOO_LARGE = (
    "Файл слишком большой ({size}): можно загрузить файл не больше {limit}. Разделите список на несколько файлов."
)
FILE_OLD_EXCEL = (
    "Файл сохранён в старом формате Excel 97–2003 (.xls), такой файл прочитать не получится. "
    "Откройте его в Excel или LibreOffice Calc и сохраните как «Книга Excel (.xlsx)» или как CSV."
)
FILE_ENCRYPTED = (
    "Файл защищён паролем, поэтому прочитать его не получится. Откройте его в Excel, снимите пароль "
    "и сохраните как «Книга Excel (.xlsx)»."
)
FILE_HTML = (
    "Файл «{name}» — на самом деле веб-страница (HTML), а не таблица Excel: так выгружают списки некоторые "
    "электронные журналы. Откройте файл в Excel или LibreOffice Calc и сохраните как «Книга Excel (.xlsx)»."
)
FILE_XML_2003 = (
    "Файл сохранён в формате «Таблица XML 2003», его прочитать не получится. "
    "Откройте файл в Excel и сохраните как «Книга Excel (.xlsx)»."
)
FILE_ODS = (
    "Файл сохранён в формате OpenDocument (.ods). Откройте его в LibreOffice Calc и сохраните как "
    "«Книга Excel 2007–365 (.xlsx)» или как «Текст CSV»."
)
FILE_XLSB = (
    "Файл сохранён в формате «Двоичная книга Excel» (.xlsb). Откройте его в Excel и сохраните "
    "как «Книга Excel (.xlsx)»."
)
FILE_BROKEN_ZIP = (
    "Файл повреждён: книга Excel обрезана или испорчена (возможно, файл не докачался или не дописался). "
    "Откройте его в Excel, сохраните заново и загрузите ещё раз."
)
FILE_ZIP_NOT_XLSX = (
    "Файл — ZIP-архив, а не книга Excel. Загрузите сам список в формате Excel (.xlsx) или CSV, без архива."
)
FILE_ZIP_TOO_MANY_ENTRIES = (
    "Файл отклонён: в нём {count} вложенных частей, а в книге Excel со списком их не бывает больше {limit}. "
    "Скопируйте список в новую книгу Excel и загрузите её."
)
FILE_ZIP_TOO_BIG = (
    "Файл отклонён: в распакованном виде он занимает {size}, а допускается не больше {limit}. "
    "Разделите список на несколько файлов."
)
FILE_ZIP_BOMB = (
    "Файл отклонён: он сжат подозрительно сильно ({packed} при распаковке превращаются в {size}). "
    "Так не бывает у обычных списков — возможно, файл подделан. Скопируйте список в новую книгу Excel "
    "и загрузите её."
)
FILE_NOT_A_TABLE = "Файл «{name}» — не таблица, а {what}. Загрузите список в формате Excel (.xlsx) или CSV."
FILE_BINARY = (
    "Файл «{name}» не похож на таблицу: в нём двоичные данные. Загрузите список в формате Excel (.xlsx) или CSV."
)
FILE_UTF16 = (
    "Файл сохранён в кодировке UTF-16 («Текст в Юникоде»). Сохраните его в Excel как «CSV UTF-8 "
    "(разделитель — запятая)» или как «Книга Excel (.xlsx)»."
)
FILE_ENCODING = (
    "Не удалось прочитать текст файла: он не в кодировке UTF-8 и не в Windows-1251. "
    "Сохраните список в Excel как «CSV UTF-8» или как «Книга Excel (.xlsx)»."
)
FILE_UNREADABLE_XLSX = (
    "Не удалось прочитать книгу Excel: файл повреждён. Откройте его в Excel, сохраните заново и загрузите ещё раз."
)
FILE_UNREADABLE_CSV = (
    "Не удалось прочитать файл CSV: в нём нарушена разметка (например, незакрытые кавычки или слишком длинная "
    "ячейка). Откройте файл в Excel, сохраните заново и загрузите ещё раз."
)
FILE_TOO_MANY_ROWS = "В списке больше {limit} строк. Разделите его на несколько файлов и загрузите их по очереди."
FILE_NO_HEADER = (
    "Не найдена строка с названиями столбцов: в первых {rows} строках нет столбца «ФИО» "
    "(или столбцов «Фамилия» и «Имя») рядом с другими столбцами списка. Добавьте над списком строку "
    "заголовков, например: «ФИО», «Класс», «Дата рождения», «Пол»."
)
FILE_UNKNOWN_KIND = (
    "Непонятно, какой это список: нет столбца «Класс» (список класса) и нет столбца «Должность» "
    "(список педагогов). Добавьте один из них."
)
FILE_MISSING_COLUMN = "В файле нет обязательного столбца {columns}. {hint}"
FILE_MISSING_COLUMNS = "В файле нет обязательных столбцов: {columns}. {hint}"
HINT_STUDENTS = "В списке класса нужны столбцы «ФИО» (или «Фамилия», «Имя», «Отчество»), «Класс» и «Дата рождения»."
HINT_TEACHERS = "В списке педагогов нужны столбцы «ФИО» (или «Фамилия», «Имя», «Отчество») и «Должность»."
FILE_NO_ROWS = "Под строкой заголовков (строка {row}) нет ни одной заполненной строки."

# --- Messages: one cell ------------------------------------------------------------------

CELL_EMPTY = "не заполнено. {hint}"
HINT_FULL_NAME = "Укажите фамилию, имя и отчество."
HINT_LAST_NAME = "Укажите фамилию."
HINT_FIRST_NAME = "Укажите имя."
HINT_CLASS = "Укажите класс, например «7Б»."
HINT_BIRTH_DATE = "Укажите дату рождения в формате ДД.ММ.ГГГГ."
HINT_POSITION = "Укажите должность, например «учитель математики»."
NAME_TOO_SHORT = "«{value}» — нужны хотя бы фамилия и имя, через пробел."
NAME_INITIALS = "«{value}» — вместо инициалов нужны полные имя и отчество."
NAME_BAD_CHARACTERS = "«{value}» — в ФИО могут быть только буквы, пробелы, дефисы и апострофы."
DATE_IMPOSSIBLE = "«{value}» — такой даты нет. Ожидается дата в формате ДД.ММ.ГГГГ."
DATE_UNREADABLE = "«{value}» — не похоже на дату. Ожидается дата в формате ДД.ММ.ГГГГ, например 17.05.2012."
DATE_IN_FUTURE = "«{value}» — дата рождения ещё не наступила. Ожидается дата в формате ДД.ММ.ГГГГ."
DATE_TOO_EARLY = "«{value}» — слишком ранняя дата рождения. Ожидается дата в формате ДД.ММ.ГГГГ."
CLASS_UNKNOWN = "«{value}» — такого класса нет. Ожидается номер класса от 1 до 11 и буква, например «7Б»."
GENDER_UNKNOWN = "«{value}» — непонятное значение. Ожидается «М» или «Ж»."
GENDER_NOT_INFERRED = "пол не указан и не определяется по отчеству. Укажите «М» или «Ж» в столбце «Пол»."
GENDER_NO_COLUMN = "пол не определяется по отчеству. Добавьте в файл столбец «Пол» со значениями «М» или «Ж»."
# Warnings: the row is loaded, the curator completes or checks it.
WARNING_GENDER_TO_FILL = (
    "пол не определяется по отчеству, а столбца «Пол» в файле нет: человек будет загружен, "
    "пол нужно указать в его карточке (или добавьте столбец «Пол» и загрузите файл снова)."
)
WARNING_PARENT_GENDER_TO_FILL = (
    "пол родителя не определяется ни по отчеству, ни по столбцу «Кем приходится»: укажите его в карточке родителя."
)
WARNING_UNUSUAL_CLASS = "«{value}» — необычное название класса; проверьте, что класс указан верно."
WARNING_UNUSUAL_AGE = "по дате рождения «{value}» обучающемуся {age} на 1 сентября {year} г.; проверьте дату."
WARNING_PARENT_WITHOUT_NAME = "контакты родителя указаны без его ФИО: родитель не будет добавлен."
COLUMN_NOT_LOADED = "Столбец {column} «{header}» не загружается."
EXPERIENCE_UNREADABLE = "«{value}» — ожидается число полных лет, например «5» или «5 лет»."
PHONE_UNREADABLE = "«{value}» — не похоже на номер телефона."
EMAIL_UNREADABLE = "«{value}» — не похоже на адрес электронной почты."
VALUE_TOO_LONG = "значение длиннее {limit} знаков."
DUPLICATE_ROW = "«{name}»{birth} уже есть в строке {first_row}: человек повторяется. Удалите одну из строк."

ROW_PREFIX = "Строка {row}, столбец {column} («{header}»): {message}"
ROW_PREFIX_NO_COLUMN = "Строка {row}: {message}"


class ListKind:
    STUDENTS = "students"
    TEACHERS = "teachers"
    LABELS = {STUDENTS: "список класса", TEACHERS: "список педагогов"}


# --- Column names ------------------------------------------------------------------------

FULL_NAME, LAST_NAME, FIRST_NAME, PATRONYMIC = "full_name", "last_name", "first_name", "patronymic"
CLASS, BIRTH_DATE, GENDER = "class", "birth_date", "gender"
POSITION, SUBJECTS, EXPERIENCE, PHONE, EMAIL = "position", "subjects", "experience", "phone", "email"
PARENT_NAME, PARENT_PHONE, PARENT_EMAIL, PARENT_RELATION = (
    "parent_name",
    "parent_phone",
    "parent_email",
    "parent_relation",
)
PARENT_COLUMNS = (PARENT_NAME, PARENT_PHONE, PARENT_EMAIL, PARENT_RELATION)
# Columns only a class list uses; a staff list names them as not loaded.
STUDENT_ONLY_COLUMNS = {CLASS, *PARENT_COLUMNS}
TEACHER_ONLY_COLUMNS = {POSITION, SUBJECTS, EXPERIENCE}

# Headers are compared folded: lower case, «ё» as «е», text in brackets and the words below
# dropped, then only letters and digits kept («Ф.И.О. (полностью)» → «фио»).
HEADER_FILLER_WORDS = {
    "обучающегося",
    "обучающейся",
    "учащегося",
    "учащейся",
    "ученика",
    "ученицы",
    "ребенка",
    "педагога",
    "учителя",
    "работника",
    "сотрудника",
    "участника",
    "полностью",
    "при",
    "наличии",
}
HEADER_SYNONYMS: dict[str, set[str]] = {
    FULL_NAME: {"фио", "фамилияимяотчество", "фамилияимя", "фамилияиимя"},
    LAST_NAME: {"фамилия"},
    FIRST_NAME: {"имя"},
    PATRONYMIC: {"отчество"},
    CLASS: {"класс", "кл", "классгруппа", "класслитера", "классбуква", "классобучения"},
    BIRTH_DATE: {"датарождения", "датарожд", "др", "рождения"},
    GENDER: {"пол", "полмж"},
    POSITION: {"должность", "занимаемаядолжность", "должностьпоштатномурасписанию"},
    SUBJECTS: {
        "предмет",
        "предметы",
        "преподаваемыйпредмет",
        "преподаваемыепредметы",
        "учебныйпредмет",
        "учебныепредметы",
        "дисциплина",
        "дисциплины",
        "преподаваемыедисциплины",
    },
    EXPERIENCE: {
        "стаж",
        "стажлет",
        "педстаж",
        "педагогическийстаж",
        "педагогическийстажлет",
        "стажпедагогическойработы",
        "стажработы",
        "общийстаж",
    },
    PHONE: {"телефон", "тел", "контактныйтелефон", "мобильныйтелефон", "сотовыйтелефон", "номертелефона"},
    EMAIL: {"email", "еmail", "mail", "электроннаяпочта", "элпочта", "эпочта", "почта", "адресэлектроннойпочты"},
    # «ФИО родителя (законного представителя)» folds to «фиородителя»: brackets are dropped.
    PARENT_NAME: {
        "фиородителя",
        "фиородителей",
        "фиородителязаконногопредставителя",
        "фиозаконногопредставителя",
        "фиопредставителя",
        "родитель",
        "родители",
        "родительзаконныйпредставитель",
        "законныйпредставитель",
        "фиоматериотца",
        "фиоматери",
        "фиоотца",
    },
    PARENT_PHONE: {
        "телефонродителя",
        "телефонродителей",
        "телефонзаконногопредставителя",
        "телефонпредставителя",
        "контактныйтелефонродителя",
        "телефонродителязаконногопредставителя",
        "мобильныйтелефонродителя",
    },
    PARENT_EMAIL: {
        "emailродителя",
        "еmailродителя",
        "электроннаяпочтародителя",
        "элпочтародителя",
        "почтародителя",
        "emailзаконногопредставителя",
        "электроннаяпочтазаконногопредставителя",
    },
    PARENT_RELATION: {
        "кемприходится",
        "кемприходитсяребенку",
        "кемприходитсяобучающемуся",
        "степеньродства",
        "родство",
        "статуспредставителя",
        "статусродителя",
        "родительпредставитель",
    },
}
_HEADER_LOOKUP = {key: name for name, keys in HEADER_SYNONYMS.items() for key in keys}
# How each column is named in messages when the file lacks it.
COLUMN_TITLES = {
    FULL_NAME: "ФИО",
    LAST_NAME: "Фамилия",
    FIRST_NAME: "Имя",
    CLASS: "Класс",
    BIRTH_DATE: "Дата рождения",
    POSITION: "Должность",
}

# Latin letters that look like Cyrillic ones: «7B» typed on a Latin layout means «7В».
HOMOGLYPHS = str.maketrans("ABCEHKMOPTXaceopxy", "АВСЕНКМОРТХасеорху")
QUOTES = "«»\"'“”„‘’`"
ROMAN_GRADES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11}
MALE_WORDS = {"м", "муж", "мужской", "мужчина", "мальчик", "юноша", "m", "male"}
FEMALE_WORDS = {"ж", "жен", "женский", "женщина", "девочка", "девушка", "f", "female"}
# Turkic patronymic particles stay with the patronymic: «Эльдар оглы».
PATRONYMIC_PARTICLES = {"оглы", "огли", "улы", "уулу", "кызы", "гызы"}
MALE_PATRONYMIC_ENDINGS = ("вич", "ич", "оглы", "огли", "улы", "уулу")
FEMALE_PATRONYMIC_ENDINGS = ("вна", "чна", "шна", "кызы", "гызы")

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
CSV_DELIMITERS = (";", "\t", ",")


# --- Results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    index: int  # 0-based position in the row
    header: str  # as written in the file

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


@dataclass(frozen=True)
class ImportProblem:
    """One error: of the whole file (no row) or of one cell."""

    message: str
    row: int | None = None  # 1-based, as the spreadsheet shows it
    column: str | None = None  # letter
    header: str | None = None

    @property
    def text(self) -> str:
        if self.row is None:
            return self.message
        if self.column is None:
            return ROW_PREFIX_NO_COLUMN.format(row=self.row, message=self.message)
        return ROW_PREFIX.format(row=self.row, column=self.column, header=self.header, message=self.message)

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "header": self.header, "text": self.text}


@dataclass
class ImportRow:
    """A person as one row of the file describes them."""

    row: int
    category: str
    last_name: str
    first_name: str
    patronymic: str = ""
    gender: str = ""
    birth_date: datetime.date | None = None
    grade: int | None = None
    class_letter: str = ""
    position: str = ""
    subjects: str = ""
    experience_years: int | None = None
    phone: str = ""
    email: str = ""
    parent: "ImportParent | None" = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def class_name(self) -> str:
        return f"{self.grade}{self.class_letter}" if self.grade else ""

    @property
    def search_name(self) -> str:
        """The full name folded as Person.search_name is."""
        return normalise_for_search(self.full_name)

    @property
    def name_key(self) -> tuple[str, str, str]:
        return tuple(normalise_for_search(p) for p in (self.last_name, self.first_name, self.patronymic))

    @property
    def key(self) -> tuple:
        return (*self.name_key, self.birth_date)


@dataclass
class ImportParent:
    """The parent (legal representative) a class-list row names."""

    last_name: str
    first_name: str
    patronymic: str = ""
    gender: str = ""
    phone: str = ""
    email: str = ""
    relation: str = ""  # «мать», «отец», «опекун»… as the file writes it, in lower case

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def search_name(self) -> str:
        return normalise_for_search(self.full_name)

    @property
    def phone_digits(self) -> str:
        """The last ten digits: «8 (912) 345-67-89» and «+7 912 345 67 89» are one number."""
        return re.sub(r"\D", "", self.phone)[-10:]

    @property
    def key(self) -> tuple[str, str]:
        """One parent of several children in one file: the same name and the same phone or e-mail."""
        return (self.search_name, self.phone_digits or self.email.lower())


@dataclass
class ParsedFile:
    filename: str
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    # Set when the file itself was refused (size, type, zip bomb…): nothing was read from it.
    file_error: str | None = None
    file_format: str = ""  # "xlsx" or "csv"
    kind: str = ""  # ListKind
    sheet: str = ""
    header_row: int | None = None
    columns: dict[str, Column] = field(default_factory=dict)
    # Headed columns the list does not read: named in the preview.
    unused_columns: list[Column] = field(default_factory=list)
    # Problems that do not block the import (the row is loaded).
    warnings: list["ImportProblem"] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def kind_label(self) -> str:
        return ListKind.LABELS.get(self.kind, "")


class ImportFileError(Exception):
    """The file cannot be read as a list at all; the message says why, in Russian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Formatting helpers ------------------------------------------------------------------


def format_size(size: int) -> str:
    """5242880 → «5 МБ», 7549747 → «7,2 МБ», 3000 → «2,9 КБ»."""
    for unit, factor in (("ГБ", 1024**3), ("МБ", 1024**2), ("КБ", 1024)):
        if size >= factor:
            # Rounded up: a file a byte over the limit must not look as large as the limit.
            value = f"{math.ceil(size * 10 / factor) / 10:.1f}".replace(".", ",").removesuffix(",0")
            return f"{value}\u00a0{unit}"
    return f"{size}\u00a0байт"


def format_number(number: int) -> str:
    """5000 → «5 000» (a non-breaking space between thousands)."""
    return f"{number:,}".replace(",", "\u00a0")


def cell_text(value) -> str:
    """A cell as the user sees it, one line, without surrounding spaces."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")
    return " ".join(text.split())


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _shown(value) -> str:
    text = cell_text(value)
    return text if len(text) <= 60 else text[:59] + "…"


# --- File checks -------------------------------------------------------------------------


@dataclass
class _CsvFile:
    text: str
    delimiter: str


def check_file(data: bytes, filename: str) -> str | _CsvFile:
    """What the file really is, by its content: "xlsx" or a decoded CSV; ImportFileError otherwise."""
    if not data or not data.removeprefix(codecs.BOM_UTF8).strip():
        raise ImportFileError(FILE_EMPTY)
    if len(data) > MAX_FILE_SIZE:
        raise ImportFileError(FILE_TOO_LARGE.format(size=format_size(len(data)), limit=format_size(MAX_FILE_SIZE)))
    if data.startswith(ZIP_MAGICS):
        _check_zip(data, filename)
        return "xlsx"
    if data.startswith(OLE2_MAGIC):
        # Excel 97–2003, or an XLSX encrypted with a password (stored inside an OLE2 container).
        raise ImportFileError(FILE_ENCRYPTED if "EncryptedPackage".encode("utf-16-le") in data else FILE_OLD_EXCEL)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(FILE_UTF16)
    # Some signatures are two letters («BM» of a bitmap): a text that happens to start so is a list.
    kind = filetype.guess(data[:8192])
    if kind is not None and (b"\x00" in data[:8192] or kind.extension in {"pdf", "rtf"} or not _is_text(data)):
        raise ImportFileError(FILE_NOT_A_TABLE.format(name=filename, what=_describe_type(kind)))
    if b"\x00" in data:
        raise ImportFileError(FILE_BINARY.format(name=filename))
    text = _decode(data)
    head = text[:4096].lstrip().lower()
    if head.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in head:
            raise ImportFileError(FILE_XML_2003)
        if head.startswith(("<!doctype html", "<html", "<table", "<meta", "<head", "<body")) or "<table" in head:
            raise ImportFileError(FILE_HTML.format(name=filename))
        raise ImportFileError(FILE_NOT_A_TABLE.format(name=filename, what="файл XML или HTML"))
    return _CsvFile(text=text, delimiter=_sniff_delimiter(text))


def _describe_type(kind) -> str:
    extension = kind.extension.upper()
    if kind.mime.startswith("image/"):
        return f"изображение {extension}"
    if kind.mime.startswith("audio/"):
        return f"звукозапись {extension}"
    if kind.mime.startswith("video/"):
        return f"видеозапись {extension}"
    if kind.extension == "pdf":
        return "документ PDF"
    if kind.extension in {"doc", "docx", "odt", "rtf"}:
        return f"текстовый документ {extension}"
    if kind.extension in {"rar", "7z", "gz", "bz2", "xz", "tar", "zst", "lz", "lz4"}:
        return f"архив {extension}"
    return f"файл формата {extension}"


def _check_zip(data: bytes, filename: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as error:
        raise ImportFileError(FILE_BROKEN_ZIP) from error
    with archive:
        if len(entries) > MAX_ZIP_ENTRIES:
            raise ImportFileError(FILE_ZIP_TOO_MANY_ENTRIES.format(count=len(entries), limit=MAX_ZIP_ENTRIES))
        # Python stops unpacking an entry at the size its directory declares, so checking the
        # declared sizes bounds what reading the workbook can unpack.
        total = sum(entry.file_size for entry in entries)
        if total > MAX_UNCOMPRESSED_SIZE:
            raise ImportFileError(
                FILE_ZIP_TOO_BIG.format(size=format_size(total), limit=format_size(MAX_UNCOMPRESSED_SIZE))
            )
        for entry in entries:
            if entry.file_size > COMPRESSION_RATIO_MIN_SIZE and entry.file_size > MAX_COMPRESSION_RATIO * max(
                entry.compress_size, 1
            ):
                packed, size = format_size(entry.compress_size), format_size(entry.file_size)
                raise ImportFileError(FILE_ZIP_BOMB.format(packed=packed, size=size))
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return
        if "xl/workbook.bin" in names:
            raise ImportFileError(FILE_XLSB)
        if "mimetype" in names:
            with archive.open("mimetype") as mimetype:
                if mimetype.read(100).startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                    raise ImportFileError(FILE_ODS)
        if "word/document.xml" in names:
            raise ImportFileError(FILE_NOT_A_TABLE.format(name=filename, what="документ Word"))
        raise ImportFileError(FILE_ZIP_NOT_XLSX)


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError as error:
            raise ImportFileError(FILE_ENCODING) from error
    controls = sum(1 for char in text[:20000] if ord(char) < 32 and char not in "\t\r\n")
    if controls > max(5, len(text[:20000]) // 100):
        raise ImportFileError(FILE_ENCODING)
    return text


def _is_text(data: bytes) -> bool:
    try:
        _decode(data)
    except ImportFileError:
        return False
    return True


def _sniff_delimiter(text: str) -> str:
    """The delimiter among ; tab , that splits most of the first lines into the same many cells."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = CSV_DELIMITERS[0], (0, 0)
    for delimiter in CSV_DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1]
        except csv.Error:
            continue
        if not counts:
            continue
        width, frequency = Counter(counts).most_common(1)[0]
        if (frequency, width) > best_score:
            best, best_score = delimiter, (frequency, width)
    return best


# --- Reading tables ----------------------------------------------------------------------


def _xlsx_rows(worksheet):
    # Exporters often write a wrong size of the sheet; read every row there is.
    worksheet.reset_dimensions()
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        yield number, values[:MAX_COLUMNS]


def _csv_rows(source: _CsvFile):
    reader = csv.reader(io.StringIO(source.text, newline=""), delimiter=source.delimiter)
    for number, values in enumerate(reader, start=1):
        yield number, tuple(values[:MAX_COLUMNS])


# --- Headers -----------------------------------------------------------------------------


def header_key(text) -> str:
    folded = normalise_for_search(cell_text(text))
    folded = re.sub(r"\(.*?\)", " ", folded)
    words = [word for word in re.findall(r"[a-zа-я0-9]+", folded) if word not in HEADER_FILLER_WORDS]
    return "".join(words)


def column_of_header(text) -> str | None:
    """The field a header names («Ф.И.О.» → "full_name"), or None."""
    return _HEADER_LOOKUP.get(header_key(text)) if text is not None else None


def find_columns(values) -> dict[str, Column]:
    columns: dict[str, Column] = {}
    for index, value in enumerate(values):
        name = column_of_header(value)
        if name and name not in columns:
            columns[name] = Column(index=index, header=cell_text(value))
    return columns


def _is_header(columns: dict[str, Column]) -> bool:
    has_name = FULL_NAME in columns or LAST_NAME in columns
    return has_name and len(columns) >= 2


# --- Values ------------------------------------------------------------------------------


def _tidy_name_word(word: str) -> str:
    """«ИВАНОВ» and «иванов» become «Иванов»; mixed case is kept as written."""
    if word.lower() in PATRONYMIC_PARTICLES:
        return word.lower()
    if word.isupper() or word.islower():
        return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
    return word


def _tidy_name(text: str) -> str:
    return " ".join(_tidy_name_word(word) for word in text.split())


_NAME_RE = re.compile(r"^[^\W\d_]+(?:[-'’ ][^\W\d_]+)*$")


def _check_name_part(text: str, value) -> str:
    if "." in text:
        raise CellError(NAME_INITIALS.format(value=_shown(value)))
    if not _NAME_RE.match(text):
        raise CellError(NAME_BAD_CHARACTERS.format(value=_shown(value)))
    if len(text) > 150:
        raise CellError(VALUE_TOO_LONG.format(limit=150))
    return _tidy_name(text)


def split_full_name(value) -> tuple[str, str, str]:
    """«Мамедов Рафик Эльдар оглы» → («Мамедов», «Рафик», «Эльдар оглы»)."""
    text = cell_text(value)
    words = text.split()
    if len(words) < 2:
        if "." in text:
            raise CellError(NAME_INITIALS.format(value=_shown(value)))
        raise CellError(NAME_TOO_SHORT.format(value=_shown(value)))
    last, first = words[0], words[1]
    patronymic = " ".join(words[2:])
    parts = [_check_name_part(part, value) for part in (last, first)]
    return parts[0], parts[1], _check_name_part(patronymic, value) if patronymic else ""


def parse_class(value) -> tuple[int, str]:
    """«7Б», «7 Б», «7-Б», «7б», «7 «Б»», «VII Б», 7 → (7, "Б")."""
    shown = _shown(value)
    if _is_number(value):
        if float(value).is_integer() and 1 <= value <= 11:
            return int(value), ""
        raise CellError(CLASS_UNKNOWN.format(value=shown))
    text = cell_text(value).upper()
    for quote in QUOTES:
        text = text.replace(quote, " ")
    text = re.sub(r"\bКЛ(АСС|\.)?\.?", " ", text)
    text = re.sub(r"[\s\-–—/.]+", "", text)
    roman = re.fullmatch(r"(XI|IX|X|VIII|VII|VI|IV|V|III|II|I)([А-ЯЁA-Z]{0,3})", text)
    if roman:
        grade, letter = ROMAN_GRADES[roman[1]], roman[2]
    else:
        match = re.fullmatch(r"(\d{1,2})([^\W\d_]{0,3})", text)
        if not match:
            raise CellError(CLASS_UNKNOWN.format(value=shown))
        grade, letter = int(match[1]), match[2]
    letter = letter.translate(HOMOGLYPHS).upper()
    if not 1 <= grade <= 11 or not re.fullmatch(r"[А-ЯЁ]{0,3}", letter):
        raise CellError(CLASS_UNKNOWN.format(value=shown))
    return grade, letter


def parse_date(value, epoch=None) -> datetime.date:
    """A real date, a datetime, an Excel serial number or «17.05.2012», «1.5.2012», «2012-05-17»."""
    shown = _shown(value)
    if isinstance(value, datetime.datetime):
        result = value.date()
    elif isinstance(value, datetime.date):
        result = value
    elif _is_number(value):
        result = _from_serial(value, shown, epoch)
    else:
        result = _date_from_text(cell_text(value), shown, epoch)
    if result.year < MIN_BIRTH_YEAR:
        raise CellError(DATE_TOO_EARLY.format(value=shown))
    if result > timezone.localdate():
        raise CellError(DATE_IN_FUTURE.format(value=shown))
    return result


def _from_serial(number, shown: str, epoch) -> datetime.date:
    # Below 10000 (1927) a number is rather a year or a typo than a birth date.
    if not 10000 <= number < 2958466:
        raise CellError(DATE_UNREADABLE.format(value=shown))
    kwargs = {"epoch": epoch} if epoch is not None else {}
    return from_excel(int(number), **kwargs).date()


def _date_from_text(text: str, shown: str, epoch) -> datetime.date:
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text.lower())  # «17.05.2012 0:00:00»
    text = re.sub(r"\s*г(ода?)?\.?$", "", text).strip()  # «17.05.2012 г.»
    parts = None
    if match := re.fullmatch(r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4}|\d{2})", text):
        day, month, year = (int(part) for part in match.groups())
        if len(match[3]) == 2:
            century_now = timezone.localdate().year % 100
            year += 2000 if year <= century_now else 1900
        parts = (year, month, day)
    elif match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        parts = tuple(int(part) for part in match.groups())
    elif (match := re.fullmatch(r"(\d{1,2})\s+([а-яё]+)\s+(\d{4})", text)) and match[2] in MONTH_NUMBERS:
        parts = (int(match[3]), MONTH_NUMBERS[match[2]], int(match[1]))
    elif re.fullmatch(r"\d{5}(\.0+)?", text):
        return _from_serial(float(text), shown, epoch)
    if parts is None:
        raise CellError(DATE_UNREADABLE.format(value=shown))
    try:
        return datetime.date(*parts)
    except ValueError as error:
        raise CellError(DATE_IMPOSSIBLE.format(value=shown)) from error


def parse_gender(value) -> str:
    """«М», «ж», «муж.», «женский» → Gender value; "" for an empty cell."""
    text = cell_text(value).lower().strip(". ")
    if not text:
        return ""
    spellings = {text, text.translate(HOMOGLYPHS)}
    if spellings & MALE_WORDS:
        return Gender.MALE
    if spellings & FEMALE_WORDS:
        return Gender.FEMALE
    raise CellError(GENDER_UNKNOWN.format(value=_shown(value)))


def gender_from_patronymic(patronymic: str) -> str:
    folded = normalise_for_search(patronymic).replace(" ", "")
    if folded.endswith(MALE_PATRONYMIC_ENDINGS):
        return Gender.MALE
    if folded.endswith(FEMALE_PATRONYMIC_ENDINGS):
        return Gender.FEMALE
    return ""


def parse_experience(value) -> int | None:
    """5, 5.0, «5», «5 лет», «1 год», «12 лет 3 мес.» → whole years; None for an empty cell."""
    shown = _shown(value)
    if _is_number(value):
        if 0 <= value <= MAX_EXPERIENCE_YEARS:
            return int(value)
        raise CellError(EXPERIENCE_UNREADABLE.format(value=shown))
    text = cell_text(value).lower()
    if text in {"", "-", "—", "–"}:
        return None
    if text in {"нет", "без стажа", "менее года", "меньше года", "до года", "до 1 года", "менее 1 года"}:
        return 0
    match = re.fullmatch(r"(\d{1,2})(?:[.,]\d+)?\s*(?:(?:год|года|лет|г|л)\.?(?:\s.*)?)?", text)
    if not match or int(match[1]) > MAX_EXPERIENCE_YEARS:
        raise CellError(EXPERIENCE_UNREADABLE.format(value=shown))
    return int(match[1])


def parse_phone(value) -> str:
    text = cell_text(int(value) if _is_number(value) else value)
    if not text:
        return ""
    digits = sum(char.isdigit() for char in text)
    if digits < 5 or len(text) > 50 or re.search(r"[^\d\s+()\-.,;доб]", text.lower()):
        raise CellError(PHONE_UNREADABLE.format(value=_shown(value)))
    return text


def parse_email(value) -> str:
    text = cell_text(value).lower().removeprefix("mailto:")
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError as error:
        raise CellError(EMAIL_UNREADABLE.format(value=_shown(value))) from error
    return text


def parse_text(value, limit: int) -> str:
    text = cell_text(value)
    if len(text) > limit:
        raise CellError(VALUE_TOO_LONG.format(limit=limit))
    return text


# --- Parsing a file ----------------------------------------------------------------------


def parse_people_file(data: bytes, filename: str) -> ParsedFile:
    """Reads a class list or a staff list; never raises for a bad file, reports it instead."""
    result = ParsedFile(filename=filename)
    try:
        checked = check_file(data, filename)
        if checked == "xlsx":
            result.file_format = "xlsx"
            try:
                _parse_xlsx(data, result)
            except ImportFileError:
                raise
            except Exception as error:  # openpyxl raises many kinds on a damaged workbook
                raise ImportFileError(FILE_UNREADABLE_XLSX) from error
        else:
            result.file_format = "csv"
            try:
                _parse_sheet(result, "", _csv_rows(checked), epoch=None)
            except csv.Error as error:
                raise ImportFileError(FILE_UNREADABLE_CSV) from error
    except ImportFileError as error:
        result.file_error = error.message
        result.rows = []
        result.problems = [ImportProblem(error.message)]
    return result


def _parse_xlsx(data: bytes, result: ParsedFile) -> None:
    """The first sheet with a header row (visible sheets first) is the list."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # «Workbook contains no default style» and the like
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = sorted(workbook.worksheets, key=lambda sheet: sheet.sheet_state != "visible")
        for worksheet in sheets:
            if _parse_sheet(result, worksheet.title, _xlsx_rows(worksheet), workbook.epoch):
                return
    finally:
        workbook.close()
    result.problems.append(ImportProblem(FILE_NO_HEADER.format(rows=HEADER_SEARCH_ROWS)))


def _parse_sheet(result: ParsedFile, sheet_name: str, rows, epoch) -> bool:
    """Parses the sheet if it has a header row; False when it has none (try the next sheet)."""
    columns = None
    header_values: tuple = ()
    for number, values in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        found = find_columns(values)
        if _is_header(found):
            columns, result.header_row, header_values = found, number, values
            break
    if columns is None:
        if result.file_format == "csv":
            result.problems.append(ImportProblem(FILE_NO_HEADER.format(rows=HEADER_SEARCH_ROWS)))
            return True
        return False
    result.sheet, result.columns = sheet_name, columns

    if CLASS in columns:
        result.kind = ListKind.STUDENTS
    elif POSITION in columns:
        result.kind = ListKind.TEACHERS
    else:
        result.problems.append(ImportProblem(FILE_UNKNOWN_KIND))
        return True
    not_for_kind = TEACHER_ONLY_COLUMNS if result.kind == ListKind.STUDENTS else STUDENT_ONLY_COLUMNS
    columns = {name: column for name, column in columns.items() if name not in not_for_kind}
    result.columns = columns
    result.unused_columns = _unused_columns(header_values, columns)
    if missing := _missing_columns(columns, result.kind):
        titles = ", ".join(f"«{COLUMN_TITLES[name]}»" for name in missing)
        template = FILE_MISSING_COLUMN if len(missing) == 1 else FILE_MISSING_COLUMNS
        hint = HINT_STUDENTS if result.kind == ListKind.STUDENTS else HINT_TEACHERS
        result.problems.append(ImportProblem(template.format(columns=titles, hint=hint)))
        return True

    seen: dict[tuple, int] = {}
    filled = 0
    for number, values in rows:
        cells = {
            name: (values[column.index] if column.index < len(values) else None) for name, column in columns.items()
        }
        if _is_blank_or_repeated_header(cells):
            continue
        filled += 1
        if filled > MAX_ROWS:
            raise ImportFileError(FILE_TOO_MANY_ROWS.format(limit=format_number(MAX_ROWS)))
        person = _parse_row(result, number, cells, epoch)
        if person is None:
            continue
        if (first_row := seen.get(person.key)) is not None:
            birth = f" ({person.birth_date:%d.%m.%Y})" if person.birth_date else ""
            message = DUPLICATE_ROW.format(name=person.full_name, birth=birth, first_row=first_row)
            result.problems.append(_problem(number, _name_column(columns), message))
            continue
        seen[person.key] = number
        result.rows.append(person)
    if filled == 0:
        result.problems.append(ImportProblem(FILE_NO_ROWS.format(row=result.header_row)))
    return True


SEQUENCE_HEADERS = {"", "n", "no", "nп", "номер", "пп", "нпп", "номерпп"}


def _unused_columns(header_values, columns: dict[str, Column]) -> list[Column]:
    """Every headed column the list does not read, but the row numbers («№ п/п»)."""
    used = {column.index for column in columns.values()}
    unused = []
    for index, value in enumerate(header_values):
        text = cell_text(value)
        if not text or index in used:
            continue
        if header_key(text.replace("№", "N")) in SEQUENCE_HEADERS:
            continue
        unused.append(Column(index=index, header=text))
    return unused


def _missing_columns(columns: dict[str, Column], kind: str) -> list[str]:
    missing = []
    if FULL_NAME not in columns:
        if LAST_NAME not in columns:
            missing.append(FULL_NAME)
        elif FIRST_NAME not in columns:
            missing.append(FIRST_NAME)
    required = (CLASS, BIRTH_DATE) if kind == ListKind.STUDENTS else (POSITION,)
    missing += [name for name in required if name not in columns]
    return missing


def _name_column(columns: dict[str, Column]) -> Column:
    return columns[LAST_NAME] if LAST_NAME in columns and FIRST_NAME in columns else columns[FULL_NAME]


def _is_blank_or_repeated_header(cells: dict) -> bool:
    texts = {name: cell_text(value) for name, value in cells.items()}
    if not any(texts.values()):
        return True
    # A note under the table in the name column alone: «Классный руководитель: ________»,
    # «Итого 25 человек». A name has neither digits nor colons.
    filled_names = [name for name, text in texts.items() if text]
    if filled_names in ([FULL_NAME], [LAST_NAME]) and re.search(r"[\d:_…]", texts[filled_names[0]]):
        return True
    # Headers repeated on every printed page, and the row of column numbers («1», «2», «3»)
    # under the header of official forms.
    filled = [text for text in texts.values() if text]
    if all(column_of_header(text) == name for name, text in texts.items() if text):
        return True
    return len(filled) >= 2 and all(text.isdigit() and len(text) <= 2 for text in filled)


def _problem(row: int, column: Column, message: str) -> ImportProblem:
    return ImportProblem(message=message, row=row, column=column.letter, header=column.header)


def _parse_row(result: ParsedFile, number: int, cells: dict, epoch) -> ImportRow | None:
    """One row; its problems are added to the result and None is returned when there are any."""
    columns = result.columns
    problems: list[ImportProblem] = []
    values: dict = {}

    def read(name: str, parse, empty_hint: str | None = None):
        if name not in columns:
            return None
        value = cells[name]
        if cell_text(value) == "":
            if empty_hint:
                problems.append(_problem(number, columns[name], CELL_EMPTY.format(hint=empty_hint)))
            return None
        try:
            return parse(value)
        except CellError as error:
            problems.append(_problem(number, columns[name], error.message))
            return None

    if LAST_NAME in columns and FIRST_NAME in columns:
        values["last_name"] = read(LAST_NAME, lambda v: _check_name_part(cell_text(v), v), HINT_LAST_NAME)
        values["first_name"] = read(FIRST_NAME, lambda v: _check_name_part(cell_text(v), v), HINT_FIRST_NAME)
        values["patronymic"] = read(PATRONYMIC, lambda v: _check_name_part(cell_text(v), v)) or ""
    else:
        split = read(FULL_NAME, split_full_name, HINT_FULL_NAME)
        if split:
            values["last_name"], values["first_name"], values["patronymic"] = split

    students = result.kind == ListKind.STUDENTS
    birth_hint = HINT_BIRTH_DATE if students else None
    values["birth_date"] = read(BIRTH_DATE, lambda v: parse_date(v, epoch), birth_hint)
    if students:
        grade_and_letter = read(CLASS, parse_class, HINT_CLASS)
        values["grade"], values["class_letter"] = grade_and_letter or (None, "")
    else:
        values["position"] = read(POSITION, lambda v: parse_text(v, 200), HINT_POSITION)
        values["subjects"] = read(SUBJECTS, lambda v: parse_text(v, 300)) or ""
        values["experience_years"] = read(EXPERIENCE, parse_experience)
    values["phone"] = read(PHONE, parse_phone) or ""
    values["email"] = read(EMAIL, parse_email) or ""
    gender = read(GENDER, parse_gender)
    gender_failed = GENDER in columns and cell_text(cells[GENDER]) != "" and gender is None
    warnings_: list[ImportProblem] = []
    name_read = values.get("last_name") and values.get("first_name")

    # The sex is checked with the row's other errors, so that all of them are listed at once.
    if name_read and not gender and not gender_failed:
        gender = gender_from_patronymic(values.get("patronymic", ""))
        if not gender:
            if GENDER in columns:
                problems.append(_problem(number, columns[GENDER], GENDER_NOT_INFERRED))
            else:
                warnings_.append(_problem(number, _name_column(columns), WARNING_GENDER_TO_FILL))
    if students:
        parent = _parse_parent(result, number, cells, problems, warnings_)
        _student_warnings(result, number, cells, values, warnings_)
    else:
        parent = None
    if problems:
        result.problems.extend(sorted(problems, key=lambda problem: (len(problem.column), problem.column)))
        return None
    result.warnings.extend(warnings_)
    category = Person.Category.STUDENT if students else Person.Category.TEACHER
    return ImportRow(row=number, category=category, gender=gender or "", parent=parent, **values)


RELATION_GENDERS = {
    "мать": Gender.FEMALE,
    "мама": Gender.FEMALE,
    "бабушка": Gender.FEMALE,
    "опекунша": Gender.FEMALE,
    "тетя": Gender.FEMALE,
    "сестра": Gender.FEMALE,
    "мачеха": Gender.FEMALE,
    "отец": Gender.MALE,
    "папа": Gender.MALE,
    "дедушка": Gender.MALE,
    "дядя": Gender.MALE,
    "брат": Gender.MALE,
    "отчим": Gender.MALE,
}


def gender_from_relation(relation: str) -> str:
    return RELATION_GENDERS.get(normalise_for_search(relation).strip(" .").split(" ")[0], "")


def _parse_parent(
    result: ParsedFile, number: int, cells: dict, problems: list, warnings_: list
) -> "ImportParent | None":
    """The parent's columns of a class-list row; None when the row names no parent."""
    columns = result.columns
    if not any(name in columns for name in PARENT_COLUMNS):
        return None
    before = len(problems)

    def read(name: str, parse):
        if name not in columns or cell_text(cells[name]) == "":
            return None
        try:
            return parse(cells[name])
        except CellError as error:
            problems.append(_problem(number, columns[name], error.message))
            return None

    split = read(PARENT_NAME, split_full_name)
    phone = read(PARENT_PHONE, parse_phone) or ""
    email = read(PARENT_EMAIL, parse_email) or ""
    relation = (read(PARENT_RELATION, lambda v: parse_text(v, 100)) or "").lower()
    if len(problems) > before:
        return None
    if split is None:
        if phone or email:
            column = columns.get(PARENT_NAME) or columns.get(PARENT_PHONE) or columns.get(PARENT_EMAIL)
            warnings_.append(_problem(number, column, WARNING_PARENT_WITHOUT_NAME))
        return None
    last, first, patronymic = split
    gender = gender_from_patronymic(patronymic) or gender_from_relation(relation)
    if not gender:
        warnings_.append(_problem(number, columns[PARENT_NAME], WARNING_PARENT_GENDER_TO_FILL))
    return ImportParent(
        last_name=last,
        first_name=first,
        patronymic=patronymic,
        gender=gender,
        phone=phone,
        email=email,
        relation=relation,
    )


UNUSUAL_CLASS_LETTERS = set("ЁЙЪЫЬ")
YOUNGEST_STUDENT_AGE, OLDEST_STUDENT_AGE = 6, 19


def _student_warnings(result: ParsedFile, number: int, cells: dict, values: dict, warnings_: list) -> None:
    columns = result.columns
    letter = values.get("class_letter") or ""
    if values.get("grade") and (len(letter) > 1 or (letter in UNUSUAL_CLASS_LETTERS and letter)):
        warnings_.append(_problem(number, columns[CLASS], WARNING_UNUSUAL_CLASS.format(value=_shown(cells[CLASS]))))
    birth_date = values.get("birth_date")
    if birth_date:
        year = current_school_year()
        first_of_september = datetime.date(year, 9, 1)
        age = (
            first_of_september.year
            - birth_date.year
            - ((first_of_september.month, first_of_september.day) < (birth_date.month, birth_date.day))
        )
        if not YOUNGEST_STUDENT_AGE <= age <= OLDEST_STUDENT_AGE:
            warnings_.append(
                _problem(
                    number,
                    columns[BIRTH_DATE],
                    WARNING_UNUSUAL_AGE.format(value=f"{birth_date:%d.%m.%Y}", age=age_phrase(age), year=year),
                )
            )


def age_phrase(age: int) -> str:
    """«5 лет», «21 год», «3 года»."""
    return f"{age} {plural(age, 'год', 'года', 'лет')}"


# --- The file given back with its problems marked ----------------------------------------

ERROR_FILL_COLOUR = "FFC7CE"  # Excel's «light red fill» of conditional formatting
WARNING_FILL_COLOUR = "FFEB9C"  # and its «yellow fill»
COMMENT_AUTHOR = "Наставник"
MARKED_SHEET_FROM_CSV = "Список"


def marked_filename(filename: str) -> str:
    """«7Б.csv» → «7Б — ошибки.xlsx»."""
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return f"{stem or 'список'} — ошибки.xlsx"


def mark_problems(data: bytes, parsed: ParsedFile) -> bytes:
    """The uploaded list as an XLSX with every bad cell filled red (warnings yellow) and a comment saying why.

    The curator fixes the cells in Excel and uploads the file again; the row numbers and column
    letters are those of the preview. A CSV comes back as a workbook of its cells.
    """
    if parsed.file_format == "xlsx":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data))
        sheet = workbook[parsed.sheet] if parsed.sheet in workbook.sheetnames else workbook.worksheets[0]
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = MARKED_SHEET_FROM_CSV
        for _number, values in _csv_rows(check_file(data, parsed.filename)):
            sheet.append(list(values))

    def mark(problems, colour: str, title: str) -> None:
        by_cell: dict[tuple[int, str], list[str]] = {}
        for problem in problems:
            if problem.row is None:
                continue
            by_cell.setdefault((problem.row, problem.column or "A"), []).append(problem.message)
        fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
        for (row, column), messages in by_cell.items():
            cell = sheet[f"{column}{row}"]
            text = f"{title}:\n" + "\n".join(f"— {message}" for message in messages)
            if cell.comment is not None and title not in cell.comment.text:
                text = f"{cell.comment.text}\n{text}"
            cell.fill = fill
            comment = Comment(text, COMMENT_AUTHOR)
            comment.width, comment.height = 320, 40 + 40 * len(messages)
            cell.comment = comment

    mark(parsed.warnings, WARNING_FILL_COLOUR, "Проверьте")
    mark(parsed.problems, ERROR_FILL_COLOUR, "Ошибка")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
