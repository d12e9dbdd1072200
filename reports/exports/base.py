"""One exporter interface for every file the product hands out: tables, PDF, DOCX (DESIGN.md §7).

An exporter declares its identifier, title, capability, formats and whether the file names
people (``personal_data``); ``render`` returns the file. A tabular exporter only says its columns
and yields rows; the one writer (``write_workbook``) writes XLSX in write-only mode (memory stays
flat) with one guard against formulas, or CSV. Every exporter sits in REGISTRY, filled at
start-up (reports.exports.registry), and is served through reports.exports.serving, which
journals every personal-data file.
"""

import contextlib
import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# A long export is built by a background task (reports.exports.tasks) that shows how far it got: it is told
# ``progress(rows_done, rows_total_or_None)`` every this many rows and once at the end.
PROGRESS_EVERY_ROWS = 500
Progress = Callable[[int, int | None], None]

# A spreadsheet treats a cell that begins with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


HTML_CONTENT_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True)
class ExportResult:
    filename: str
    content_type: str
    content: bytes
    people_count: int = 0
    # What the access journal says of this file; empty: «Выгрузка: <title> (<FMT>)».
    what: str = ""
    action: str = "export"
    person: Any = None
    # None: journalled when the exporter declares ``personal_data``; False: this file names nobody
    # (e.g. the school's справка printed for a district officer, without names).
    journalled: bool | None = None


@dataclass(frozen=True)
class ExportContext:
    """Who asks, without the request: a view and a background task both can build one."""

    user: Any = None
    access: Any = None
    # Turns a site path into an absolute URL (QR codes); None when no request is at hand.
    absolute_url: Callable[[str], str] | None = None


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 20


class Exporter:
    identifier: str = ""
    title: str = ""
    capability: str = ""
    # The file names people: every download goes to the access journal. Each exporter says
    # True or False (a test checks that none leaves it None).
    personal_data: bool | None = None
    # The first is the default; ``?format=`` picks another ("html" is a PDF's preview).
    formats: tuple[str, ...] = ("xlsx",)
    # May take more than a few seconds: built by a background task, the user watches a progress bar.
    background: bool = False
    # Making the file changes data (a links sheet issues new links): only a POST may ask for it.
    changes_data: bool = False

    def required_capability(self, access) -> str:
        """The capability this user needs; an exporter whose rule depends on the role overrides it."""
        return self.capability

    def fmt_of(self, value) -> str:
        return value if value in self.formats else self.formats[0]

    def render(self, *, organisation, params, fmt: str = "xlsx", context: ExportContext | None = None) -> ExportResult:
        raise NotImplementedError

    def in_background(self, *, organisation, params) -> bool:
        """Whether this request goes to a background task rather than being answered at once."""
        return self.background

    def build(
        self, *, organisation, params, fmt: str, progress: Progress | None = None, context: ExportContext | None = None
    ) -> ExportResult:
        """``render`` as the background task calls it; a table exporter reports its progress."""
        return self.render(organisation=organisation, params=params, fmt=fmt, context=context)


class TableExporter(Exporter):
    """Subclasses set ``columns`` and implement ``rows``; ``people_count`` says whose data left."""

    columns: Sequence[Column] = ()
    formats = ("xlsx", "csv")
    sheet_title: str = "Лист1"
    # A background table exporter still answers in the request below this many rows: writing the
    # XLSX takes about a second per 1,500 rows of a dozen columns.
    background_from_rows: int = 2000

    def rows(self, *, organisation, params) -> Iterable[Sequence]:
        raise NotImplementedError

    def row_total(self, *, organisation, params) -> int | None:
        """How many rows ``rows`` yields, when one query can tell; None when unknown."""
        return None

    def in_background(self, *, organisation, params) -> bool:
        if not self.background:
            return False
        total = self.row_total(organisation=organisation, params=params)
        # EXPORTS_BACKGROUND_FROM_ROWS overrides every exporter's threshold (the smoke test and the
        # load test send even the demo's short lists to the worker).
        threshold = settings.EXPORTS_BACKGROUND_FROM_ROWS or self.background_from_rows
        return total is None or total >= threshold

    def build(
        self, *, organisation, params, fmt: str, progress: Progress | None = None, context: ExportContext | None = None
    ) -> ExportResult:
        return self.render(organisation=organisation, params=params, fmt=fmt, progress=progress, context=context)

    def people_count(self, *, organisation, params) -> int:
        return 0

    def filename(self, *, organisation, fmt: str) -> str:
        return f"{self.identifier}-{organisation.slug}-{datetime.date.today():%Y-%m-%d}.{fmt}"

    def notes(self, *, organisation, params) -> list[str]:
        """Lines printed under the title, e.g. who was left out for lack of consent."""
        return []

    def render(
        self,
        *,
        organisation,
        params,
        fmt: str = "xlsx",
        progress: Progress | None = None,
        context: ExportContext | None = None,
    ) -> ExportResult:
        rows = self.rows(organisation=organisation, params=params)
        if progress is not None:
            rows = _reporting(rows, total=self.row_total(organisation=organisation, params=params), progress=progress)
        notes = self.notes(organisation=organisation, params=params)
        if fmt == "csv":
            content, content_type = write_csv(self.columns, rows), CSV_CONTENT_TYPE
        else:
            fmt = "xlsx"
            title = f"{self.title} — {organisation.short_name}"
            content = write_xlsx(self.columns, rows, title=title, notes=notes, sheet_title=self.sheet_title)
            content_type = XLSX_CONTENT_TYPE
        return ExportResult(
            filename=self.filename(organisation=organisation, fmt=fmt),
            content_type=content_type,
            content=content,
            people_count=self.people_count(organisation=organisation, params=params),
        )


def _reporting(rows: Iterable[Sequence], *, total: int | None, progress: Progress) -> Iterator[Sequence]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY_ROWS == 0:
            progress(done, total)
    progress(done, total)


def as_text(value) -> str | None:
    """A cell value as the user should see it: dates as 01.09.2026, booleans as да/нет."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime.datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    return value


def _is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


@dataclass
class Sheet:
    """One sheet of a workbook: a bold heading, notes under it, an empty row, the header, the rows."""

    title: str
    heading: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    notes: Sequence[str] = ()
    # Long texts (a best practice's description) wrap inside their cell.
    wrap_long: bool = False
    wrap_from: int = 60


def _safe_cell(sheet, value, *, font=None, wrap=False) -> WriteOnlyCell:
    result = WriteOnlyCell(sheet, value=as_text(value))
    if _is_formula_like(result.value):
        result.data_type = "s"  # keep «=СУММ(…)» a string, never a formula
    if font is not None:
        result.font = font
    if wrap:
        result.alignment = Alignment(wrap_text=True, vertical="top")
    return result


def write_workbook(sheets: Iterable[Sheet]) -> bytes:
    """The one XLSX writer: sheets in write-only mode (memory stays flat); text that looks like a
    formula stays text."""
    workbook = Workbook(write_only=True)
    try:
        for spec in sheets:
            sheet = workbook.create_sheet(spec.title[:31])
            for index, column in enumerate(spec.columns, start=1):
                sheet.column_dimensions[get_column_letter(index)].width = column.width
            sheet.append([_safe_cell(sheet, spec.heading, font=Font(bold=True, size=13))])
            for note in spec.notes:
                sheet.append([_safe_cell(sheet, note)])
            sheet.append([])
            bold = Font(bold=True)
            sheet.append([_safe_cell(sheet, column.title, font=bold, wrap=True) for column in spec.columns])
            for row in spec.rows:
                if spec.wrap_long:
                    cells = [
                        _safe_cell(sheet, value, wrap=isinstance(value, str) and len(value) > spec.wrap_from)
                        for value in row
                    ]
                else:
                    cells = [_safe_cell(sheet, value) for value in row]
                sheet.append(cells)
    except BaseException:
        # The rows failed half-way: remove the sheets' temporary files now rather than when the
        # process exits (a worker runs for weeks).
        for sheet in workbook.worksheets:
            with contextlib.suppress(Exception):
                sheet.close()
                sheet._writer.cleanup()
        raise
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(columns, rows, *, title: str, notes: Sequence[str] = (), sheet_title: str = "Лист1") -> bytes:
    return write_workbook([Sheet(sheet_title, title, columns, rows, notes=notes)])


def write_csv(columns, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([column.title for column in columns])
    for row in rows:
        values = [as_text(value) for value in row]
        writer.writerow(["'" + v if _is_formula_like(v) else v for v in values])
    # A BOM so that Excel opens Cyrillic CSV correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


REGISTRY: dict[str, Exporter] = {}
# Filled once at start-up by reports.exports.registry (ReportsConfig.ready), never by importing a view.


def register(exporter_class: type[Exporter]) -> type[Exporter]:
    exporter = exporter_class()
    if exporter.identifier in REGISTRY:
        raise ValueError(f"Exporter {exporter.identifier!r} registered twice")
    REGISTRY[exporter.identifier] = exporter
    return exporter_class
