"""A report's tables as CSV (UTF-8 with BOM, for Excel on Chinese Windows) or XLSX (Chinese headers,
column widths, frozen header row); every text cell through `views.base.neutralise`, as list exports do."""
import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..views.base import neutralise
from .statistics import Table

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cells(table: Table, row) -> list:
    values = [row.label]
    for name in table.columns:
        value = getattr(row, name)
        values.append(float(value) if isinstance(value, Decimal) else value)
    return [neutralise(v) if v is not None else "" for v in values]


def _lines(table: Table) -> list[list]:
    header = [table.first_column, *(table.labels[name] for name in table.columns)]
    return [header, *(_cells(table, row) for row in table.rows), _cells(table, table.total)]


def as_csv(tables: list[Table], title: list[str]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for line in title:
        writer.writerow([neutralise(line)])
    for table in tables:
        writer.writerow([])
        writer.writerow([neutralise(table.heading)])
        writer.writerows(_lines(table))
    return buffer.getvalue().encode("utf-8")


def as_xlsx(tables: list[Table], title: list[str]) -> bytes:
    """One sheet per table: the title lines (统计时间, 年度, scope), then the header row, frozen."""
    book = Workbook()
    book.remove(book.active)
    for n, table in enumerate(tables, start=1):
        sheet = book.create_sheet(f"表{n}")
        for line in [*title, table.heading]:
            sheet.append([neutralise(line)])
        header_row = len(title) + 2
        for r, line in enumerate(_lines(table)):
            sheet.append(line)
            if r == 0:
                for cell in sheet[header_row]:
                    cell.font = Font(bold=True)
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        sheet.column_dimensions["A"].width = 22
        for c in range(2, len(table.columns) + 2):
            sheet.column_dimensions[get_column_letter(c)].width = 14
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
