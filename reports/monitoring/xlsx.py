"""The consolidated table in the authority's own XLSX layout (ExportColumn): each mapped column
gets its header and, per school, the school, district, status or the indicator's value; then a
row per district and the campaign's total."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reports.monitoring.models import ExportColumn
from reports.monitoring.selectors import Consolidated

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _number(cell):
    if cell is None or cell.value is None:
        return None
    value = float(cell.value)
    return int(value) if value.is_integer() else value


def consolidated_xlsx(table: Consolidated, columns: list[ExportColumn]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Свод"
    for column in columns:
        cell = sheet.cell(row=1, column=column.column, value=column.header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column.column)].width = max(12, min(45, len(column.header) + 4))
    row_number = 2

    def write(values_of) -> None:
        nonlocal row_number
        for column in columns:
            sheet.cell(row=row_number, column=column.column, value=values_of(column))
        row_number += 1

    for district, rows, totals in table.districts:
        for row in rows:

            def school_value(column, row=row, district=district):
                source = column.source
                if source == ExportColumn.Source.SCHOOL:
                    return row.school.short_name
                if source == ExportColumn.Source.DISTRICT:
                    return district.short_name if district else ""
                if source == ExportColumn.Source.STATUS:
                    return row.response.get_status_display()
                return _number(row.cells.get(column.indicator.code)) if column.indicator_id else None

            write(school_value)

        def district_value(column, district=district, totals=totals):
            if column.source == ExportColumn.Source.SCHOOL:
                return f"Итого: {district.short_name}" if district else "Итого"
            if column.source == ExportColumn.Source.INDICATOR and column.indicator_id:
                return _number(totals.get(column.indicator.code))
            return None

        write(district_value)

    def total_value(column):
        if column.source == ExportColumn.Source.SCHOOL:
            return f"Итого: {table.campaign.organisation.short_name}"
        if column.source == ExportColumn.Source.INDICATOR and column.indicator_id:
            return _number(table.totals.get(column.indicator.code))
        return None

    write(total_value)
    for cell in sheet[row_number - 1]:
        cell.font = Font(bold=True)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
