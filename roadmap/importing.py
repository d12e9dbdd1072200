"""Reading a roadmap table from XLSX (or CSV) as schools keep it.

Pure: no database access. The file checks (size, real type by content, zip bombs, encodings) are
those of the list import (``participants.importing.check_file``). The header row is looked for
among the first rows (a title and the «УТВЕРЖДАЮ» block may stand above it); the columns are found
by their Russian names: «Содержание», «Сроки», «Ожидаемый результат», «Показатели
эффективности», «Ответственный» (and, as our export writes them, «Целевое значение» and
«Единица измерения»). A row with only its first cell filled is the title of a section.

Problems are errors (nothing is created while there is one) or warnings (a deadline that was
not understood: the item is kept with the text as typed and no due date).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import warnings
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import islice

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from participants.importing import (
    FILE_UNREADABLE_CSV,
    FILE_UNREADABLE_XLSX,
    MAX_COLUMNS,
    ImportFileError,
    ImportProblem,
    cell_text,
    check_file,
    header_key,
)

from .deadlines import DeadlineKind, Period, parse_deadline

MAX_ROWS = 1000
MAX_READ_ROWS = 5 * MAX_ROWS  # rows read at most, blank ones included
HEADER_SEARCH_ROWS = 20
DEFAULT_SECTION = "Мероприятия"

CONTENT, DEADLINE, RESULT, INDICATOR, RESPONSIBLE, TARGET, UNIT = (
    "content",
    "deadline",
    "expected_result",
    "indicator",
    "responsible",
    "target_value",
    "target_unit",
)
HEADER_SYNONYMS: dict[str, set[str]] = {
    CONTENT: {
        "содержание",
        "содержаниедеятельности",
        "содержаниедеятельностиразделы",
        "содержаниемероприятия",
        "содержаниеработы",
        "мероприятие",
        "мероприятия",
        "наименованиемероприятия",
        "наименованиемероприятий",
    },
    DEADLINE: {
        "сроки",
        "срок",
        "срокиреализации",
        "срокреализации",
        "срокиисполнения",
        "срокисполнения",
        "срокипроведения",
        "срокпроведения",
        "срокивыполнения",
        "сроквыполнения",
        "датапроведения",
    },
    RESULT: {"ожидаемыйрезультат", "ожидаемыерезультаты", "результат", "результаты", "планируемыйрезультат"},
    INDICATOR: {"показателиэффективности", "показательэффективности", "показатели", "показатель", "индикаторы"},
    RESPONSIBLE: {
        "ответственный",
        "ответственные",
        "ответственныелица",
        "ответственноелицо",
        "исполнитель",
        "исполнители",
        "ответственныйисполнитель",
    },
    TARGET: {"целевоезначение", "целевойпоказатель"},
    UNIT: {"единицаизмерения", "единица", "едизм"},
}
_LOOKUP = {key: name for name, keys in HEADER_SYNONYMS.items() for key in keys}
COLUMN_TITLES = {CONTENT: "Содержание", DEADLINE: "Сроки"}
LIMITS = {CONTENT: 5000, DEADLINE: 300, RESULT: 5000, INDICATOR: 5000, RESPONSIBLE: 500, UNIT: 50}

FILE_NO_HEADER = (
    "Не найдена строка с названиями столбцов: в первых {rows} строках нет столбцов «Содержание» и «Сроки». "
    "Добавьте над таблицей строку заголовков: «Содержание», «Сроки», «Ожидаемый результат», "
    "«Показатели эффективности», «Ответственный»."
)
FILE_MISSING_COLUMN = "В файле нет обязательного столбца «{column}»."
FILE_NO_ROWS = "Под строкой заголовков (строка {row}) нет ни одного мероприятия."
FILE_TOO_MANY_ROWS = "В таблице больше {limit} строк: дорожная карта столько не содержит. Проверьте файл."
CELL_TOO_LONG = "значение длиннее {limit} знаков."
CELL_NO_CONTENT = "не заполнено содержание мероприятия, а другие столбцы заполнены. Укажите, что нужно сделать."
CELL_NOT_A_NUMBER = "«{value}» — ожидается число, например «90» или «2,5»."
WARNING_DEADLINE = (
    "«{value}» — срок не распознан. Мероприятие будет загружено с этим текстом и без даты; "
    "уточните срок после загрузки (например: «сентябрь 2026», «до 15.10.2026», «ежегодно в мае»)."
)


@dataclass
class ParsedItem:
    row: int
    content: str
    deadline_text: str = ""
    expected_result: str = ""
    indicator: str = ""
    responsible: str = ""
    target_value: str = ""  # a Decimal as text: the summary is JSON
    target_unit: str = ""
    deadline_display: str = ""
    deadline_recognised: bool = True


@dataclass
class ParsedSection:
    title: str
    row: int | None = None
    items: list[ParsedItem] = field(default_factory=list)


@dataclass
class ParsedRoadmap:
    filename: str
    sections: list[ParsedSection] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    file_error: str | None = None
    header_row: int | None = None
    sheet: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def items_count(self) -> int:
        return sum(len(section.items) for section in self.sections)

    def as_summary(self) -> dict:
        return {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "sections": [asdict(section) for section in self.sections],
            "errors": [problem.as_dict() for problem in self.problems],
            "warnings": [problem.as_dict() for problem in self.warnings],
            "counts": {
                "sections": len(self.sections),
                "items": self.items_count,
                "errors": len(self.problems),
                "warnings": len(self.warnings),
            },
        }


@dataclass(frozen=True)
class _Column:
    index: int
    header: str

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


def _find_columns(values) -> dict[str, _Column]:
    columns: dict[str, _Column] = {}
    for index, value in enumerate(values):
        if value is None:
            continue
        name = _LOOKUP.get(header_key(value))
        if name and name not in columns:
            columns[name] = _Column(index, cell_text(value))
    return columns


def _xlsx_rows(data: bytes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = sorted(workbook.worksheets, key=lambda sheet: sheet.sheet_state != "visible")
        for sheet in sheets:
            sheet.reset_dimensions()
            rows = islice(sheet.iter_rows(values_only=True), HEADER_SEARCH_ROWS + MAX_READ_ROWS)
            yield sheet.title, [values[:MAX_COLUMNS] for values in rows]
    finally:
        workbook.close()


def _problem(row: int, column: _Column, message: str) -> ImportProblem:
    return ImportProblem(message=message, row=row, column=column.letter, header=column.header)


def _text(value) -> str:
    """A cell as text; line breaks inside the cell become spaces, a date becomes 01.09.2026."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return cell_text(value)


def _number(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format(Decimal(str(value)).normalize(), "f")
    text = _text(value).replace(" ", "").replace(",", ".").rstrip("%")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError from error
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        raise ValueError
    return format(number.normalize(), "f")


def _is_noise(texts: dict[str, str]) -> bool:
    """A repeated header row, or the row of column numbers («1», «2», «3»…) of official forms."""
    filled = [text for text in texts.values() if text]
    if all(_LOOKUP.get(header_key(text)) == name for name, text in texts.items() if text):
        return True
    return len(filled) >= 2 and all(text.isdigit() and len(text) <= 2 for text in filled)


def _parse_rows(result: ParsedRoadmap, rows: list, period: Period) -> bool:
    """Parses one sheet; False when it has no header row (try the next sheet)."""
    columns = None
    for number, values in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        found = _find_columns(values)
        if CONTENT in found and (DEADLINE in found or len(found) >= 3):
            columns, result.header_row = found, number
            break
    if columns is None:
        return False
    if DEADLINE not in columns:
        result.problems.append(ImportProblem(FILE_MISSING_COLUMN.format(column=COLUMN_TITLES[DEADLINE])))
        return True
    section: ParsedSection | None = None
    filled = 0
    for number, values in enumerate(rows[result.header_row :], start=result.header_row + 1):
        cells = {name: (values[c.index] if c.index < len(values) else None) for name, c in columns.items()}
        texts = {name: _text(value) for name, value in cells.items()}
        if not any(texts.values()) or _is_noise(texts):
            continue
        filled += 1
        if filled > MAX_ROWS:
            raise ImportFileError(FILE_TOO_MANY_ROWS.format(limit=MAX_ROWS))
        others = [name for name, text in texts.items() if text and name != CONTENT]
        if texts[CONTENT] and not others:
            section = ParsedSection(title=texts[CONTENT][: LIMITS[CONTENT]], row=number)
            if len(section.title) > 500:
                result.problems.append(_problem(number, columns[CONTENT], CELL_TOO_LONG.format(limit=500)))
            result.sections.append(section)
            continue
        item = _parse_item(result, number, cells, texts, columns, period)
        if item is None:
            continue
        if section is None:
            section = ParsedSection(title=DEFAULT_SECTION)
            result.sections.append(section)
        section.items.append(item)
    if filled == 0 or (not any(s.items for s in result.sections) and not result.problems):
        result.problems.append(ImportProblem(FILE_NO_ROWS.format(row=result.header_row)))
    return True


def _parse_item(result, number, cells, texts, columns, period) -> ParsedItem | None:
    problems = []
    if not texts[CONTENT]:
        problems.append(_problem(number, columns[CONTENT], CELL_NO_CONTENT))
    for name, limit in LIMITS.items():
        if name in columns and len(texts[name]) > limit:
            problems.append(_problem(number, columns[name], CELL_TOO_LONG.format(limit=limit)))
    target = ""
    if TARGET in columns and texts[TARGET]:
        try:
            target = _number(cells[TARGET])
        except ValueError:
            problems.append(_problem(number, columns[TARGET], CELL_NOT_A_NUMBER.format(value=texts[TARGET][:60])))
    if problems:
        result.problems.extend(problems)
        return None
    deadline_value = cells[DEADLINE]
    deadline = parse_deadline(deadline_value, period=period)
    if deadline.kind == DeadlineKind.TEXT:
        result.warnings.append(
            _problem(number, columns[DEADLINE], WARNING_DEADLINE.format(value=texts[DEADLINE][:100]))
        )
    return ParsedItem(
        row=number,
        content=texts[CONTENT],
        deadline_text=texts[DEADLINE],
        expected_result=texts.get(RESULT, ""),
        indicator=texts.get(INDICATOR, ""),
        responsible=texts.get(RESPONSIBLE, ""),
        target_value=target,
        target_unit=texts.get(UNIT, ""),
        deadline_display=deadline.display(),
        deadline_recognised=deadline.kind != DeadlineKind.TEXT,
    )


def parse_roadmap_file(data: bytes, filename: str, *, period: Period) -> ParsedRoadmap:
    """Reads a roadmap table; never raises for a bad file, reports it instead."""
    result = ParsedRoadmap(filename=filename)
    try:
        checked = check_file(data, filename)
        if checked == "xlsx":
            try:
                for title, rows in _xlsx_rows(data):
                    if _parse_rows(result, rows, period):
                        result.sheet = title
                        break
                else:
                    result.problems.append(ImportProblem(FILE_NO_HEADER.format(rows=HEADER_SEARCH_ROWS)))
            except ImportFileError:
                raise
            except Exception as error:  # openpyxl raises many kinds on a damaged workbook
                raise ImportFileError(FILE_UNREADABLE_XLSX) from error
        else:
            try:
                rows = list(csv.reader(io.StringIO(checked.text, newline=""), delimiter=checked.delimiter))
            except csv.Error as error:
                raise ImportFileError(FILE_UNREADABLE_CSV) from error
            rows = [tuple(row[:MAX_COLUMNS]) for row in rows[: HEADER_SEARCH_ROWS + MAX_READ_ROWS]]
            if not _parse_rows(result, rows, period):
                result.problems.append(ImportProblem(FILE_NO_HEADER.format(rows=HEADER_SEARCH_ROWS)))
    except ImportFileError as error:
        result.file_error = error.message
        result.sections, result.warnings = [], []
        result.problems = [ImportProblem(error.message)]
    return result


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def decimal_or_none(text: str) -> Decimal | None:
    return Decimal(text) if text and _NUMBER.match(text) else None
