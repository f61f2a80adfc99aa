"""批量导入: one engine for every spreadsheet upload (persons, class results; records and legacy data later).

A `Sheet` declares its columns and knows its business rules; the engine does the rest, the same way for
every sheet:

- `template_workbook(sheet)` — the .xlsx to fill in: one header per column (required ones in red) and a
  second sheet 字典 with the allowed values of every choice column.
- `read_upload(file, sheet)` — the file-level checks, each refusing with one Chinese message
  (`ImportRefused`) before anything is stored or changed: empty, too large, not .xlsx/.csv by *content*,
  an .xlsx that unpacks too large (`ooxml.check_archive`), too many rows (counted while reading, before
  the file is parsed: `ooxml.count_rows`, `_count_csv_rows`), corrupt, missing columns (named), no data
  rows. Cells are read as text, stripped.
- `validate(frame, sheet)` — every row parsed (required, length, dates, dictionary names → codes), the
  sheet's key checked for duplicates within the file, then the sheet's own checks against the database.
  Each row ends with all its reasons, or with what importing it would do (create / update / skip).
- `failed_rows_workbook(report)` — the failed rows with the file's own columns plus 失败原因.
- `UploadStore` (store.py) — the uploaded file kept server-side between the validation page and the import,
  named at random, behind a signed token bound to the acting organisation and user.

Nothing here commits: the caller imports the valid rows in one transaction and commits once.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd
from flask import current_app
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .. import ooxml
from ..clock import beijing_today
from ..text import has_control, strip_control
from ..workflows import WorkflowError
from .store import UploadStore  # noqa: F401  (part of the engine's interface)

MAX_ROWS = 20_000
REASON_HEADER = "失败原因"
DICTIONARY_SHEET = "字典"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
# Anything that is clearly not text: a CSV holding these bytes is some other file renamed.
BINARY_MAGIC = (b"%PDF-", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"MZ", b"PK", b"GIF8", b"Rar!", b"\x1f\x8b")
# A CSV of little but line breaks would make pandas build millions of empty rows.
MAX_BLANK_ROWS = 20_000
# The Rust reader (python-calamine) reads 20,000 rows about ten times faster than openpyxl, same text out;
# openpyxl still writes the template and the failed-rows file.
EXCEL_ENGINE = "calamine"

CREATE, UPDATE, SKIP = "create", "update", "skip"


class ImportRefused(WorkflowError):
    """The whole file is refused; the message is shown as is and nothing has changed."""


# ---- declarations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its Chinese header, the key its value is stored under, and how to read it.

    kind: "text" (max_length), "date", or "choice" (a name from the sheet's `choices()` for this key,
    stored as the value the name maps to).
    """

    label: str
    key: str
    required: bool = False
    kind: str = "text"
    max_length: int | None = None
    note: str | None = None  # shown as the header's comment in the template
    as_text: bool = False  # template cells formatted as text (ID numbers, phones: Excel must not turn them into numbers)


@dataclass
class Row:
    number: int  # the Excel row number (the header is row 1)
    cells: dict[str, str]  # header → the text of the cell, for every column of the file
    values: dict[str, Any] = field(default_factory=dict)  # column key → parsed value (blank cells absent)
    errors: list[str] = field(default_factory=list)
    outcome: str | None = None  # CREATE / UPDATE / SKIP once the sheet has planned a valid row
    target: Any = None  # what the sheet will change (e.g. the existing Person)
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def reason(self) -> str:
        return "；".join(self.errors)

    def fail(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)


class Sheet:
    """What one kind of import declares. Subclasses set the class attributes and override the hooks."""

    title: str = ""  # the data sheet's name, the template's file name and the audit summary's noun
    columns: tuple[Column, ...] = ()
    key: str | tuple[str, ...] | None = None  # the column key(s) whose values must be unique within one file
    max_rows: int = MAX_ROWS

    def choices(self) -> dict[str, dict[str, Any]]:
        """For each choice column key: allowed name → stored value, in display order. Read once per file."""
        return {}

    def check_rows(self, rows: list[Row]) -> None:
        """Cross-field and database checks of every row (so a row lists all its reasons); sets `outcome`
        on the rows that stay valid."""

    def apply(self, rows: list[Row]) -> None:
        """Make the changes of the valid rows (flush, never commit)."""
        raise NotImplementedError

    def template_rows(self) -> list[dict[str, Any]]:
        """Rows the template comes filled with (column key → value), e.g. a class's enrolees."""
        return []

    # helpers
    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.columns]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass
class Report:
    sheet: Sheet
    headers: list[str]
    rows: list[Row]

    @property
    def failed(self) -> list[Row]:
        return [r for r in self.rows if not r.ok]

    @property
    def valid(self) -> list[Row]:
        return [r for r in self.rows if r.ok]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.ok and r.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {
            CREATE: self.count(CREATE),
            UPDATE: self.count(UPDATE),
            SKIP: self.count(SKIP),
            "failed": len(self.failed),
        }


# ---- reading a file ----------------------------------------------------------------------------------


def limit_mb() -> int:
    return int(current_app.config.get("MAX_UPLOAD_MB") or 10)


def _extension(name: str | None) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "." + name.rpartition(".")[2].lower() if "." in name else ""


def read_bytes(file_storage) -> tuple[bytes, str]:
    """The uploaded file's content and its kind ("xlsx" or "csv"), or ImportRefused.

    The name must say .xlsx or .csv *and* the content must agree: an .xlsx is a zip holding a workbook,
    a .csv is text. Size and emptiness are checked before anything is parsed.
    """
    if file_storage is None or not getattr(file_storage, "filename", ""):
        raise ImportRefused("请选择要导入的文件")
    megabytes = limit_mb()
    stream = file_storage.stream
    if hasattr(stream, "seek"):
        stream.seek(0)
    content = stream.read(megabytes * 1024 * 1024 + 1)
    if not content:
        raise ImportRefused("上传的文件为空，请选择填写好的导入文件")
    if len(content) > megabytes * 1024 * 1024:
        raise ImportRefused(f"上传的文件不能超过{megabytes}MB，请分成几个文件导入")
    extension = _extension(file_storage.filename)
    if extension == ".xlsx" and content.startswith(ZIP_MAGIC):
        return content, "xlsx"
    if extension == ".csv" and not content.startswith(BINARY_MAGIC) and b"\x00" not in content[:8192]:
        return content, "csv"
    if extension == ".xls" or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入")
    raise ImportRefused("仅支持导入 Excel（.xlsx）或 CSV（.csv）文件，请使用下载的模板填写")


def _decode_csv(content: bytes) -> str:
    """UTF-8 with or without BOM, else GB18030 (what Excel on Chinese Windows writes)."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused("无法识别 CSV 文件的编码，请保存为 UTF-8 或 GB18030（Excel 另存为“CSV（逗号分隔）”）")


def _too_many_rows(sheet: Sheet) -> ImportRefused:
    return ImportRefused(f"一次最多导入{sheet.max_rows}行，本文件超过{sheet.max_rows}行，请分成几个文件导入")


def _count_csv_rows(text: str, sheet: Sheet) -> None:
    """Refuse a CSV with more rows than the sheet takes, counting records (a quoted cell may span lines)
    and stopping at the first one too many, before pandas parses anything."""
    rows = blank = 0
    try:
        for record in csv.reader(io.StringIO(text)):
            if any(cell.strip() for cell in record):
                rows += 1
                if rows > sheet.max_rows + 1:  # the header row, then the data rows
                    raise _too_many_rows(sheet)
            else:
                blank += 1
                if blank > MAX_BLANK_ROWS:
                    raise ImportRefused(f"文件中的空行超过{MAX_BLANK_ROWS}行，请删除空行后再导入")
    except csv.Error:
        raise ImportRefused("CSV 文件格式有误（引号或分隔符不匹配），无法读取") from None


def _grid(content: bytes, kind: str, sheet: Sheet) -> pd.DataFrame:
    """Every cell of the data sheet as text, header row included, no NaN."""
    if kind == "csv":
        text = _decode_csv(content)
        if "\x00" in text:
            raise ImportRefused("文件已损坏或不是 CSV 文件")
        _count_csv_rows(text, sheet)
        try:
            return pd.read_csv(
                io.StringIO(text), header=None, dtype=str, keep_default_na=False, na_values=[],
                skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL,
            )
        except pd.errors.EmptyDataError:
            raise ImportRefused("上传的文件中没有任何内容") from None
        except (pd.errors.ParserError, ValueError):
            raise ImportRefused("CSV 文件格式有误（引号或分隔符不匹配），无法读取") from None
    try:
        with ooxml.check_archive(content) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise ImportRefused("文件不是有效的 Excel（.xlsx）文件")
            if ooxml.count_rows(archive, sheet.title, stop_after=sheet.max_rows + 1) > sheet.max_rows + 1:
                raise _too_many_rows(sheet)
        with pd.ExcelFile(io.BytesIO(content), engine=EXCEL_ENGINE) as book:
            name = sheet.title if sheet.title in book.sheet_names else book.sheet_names[0]
            return pd.read_excel(book, sheet_name=name, header=None, dtype=str, keep_default_na=False, na_values=[])
    except ImportRefused:
        raise
    except ooxml.UnsafeArchive as unsafe:
        raise ImportRefused(str(unsafe)) from None
    except Exception:  # zipfile, the XML parser, calamine and pandas raise many kinds for a damaged workbook
        raise ImportRefused("Excel 文件已损坏或格式不正确，无法读取，请使用下载的模板重新填写") from None


def sheet_names(content: bytes) -> list[str]:
    """The worksheet names of an .xlsx (checked as an archive first), for imports of several sheets."""
    try:
        with ooxml.check_archive(content) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise ImportRefused("文件不是有效的 Excel（.xlsx）文件")
        with pd.ExcelFile(io.BytesIO(content), engine=EXCEL_ENGINE) as book:
            return list(book.sheet_names)
    except ImportRefused:
        raise
    except ooxml.UnsafeArchive as unsafe:
        raise ImportRefused(str(unsafe)) from None
    except Exception:  # a damaged workbook raises many kinds
        raise ImportRefused("Excel 文件已损坏或格式不正确，无法读取，请使用下载的模板重新填写") from None


def _header(text: str) -> str:
    # Headers may be marked "*姓名" or "姓名（必填）" by people who edit the template.
    text = re.sub(r"\s+", "", str(text or "")).lstrip("*＊")
    return re.sub(r"[（(]必填[）)]$", "", text)


def read_upload(file_storage, sheet: Sheet) -> pd.DataFrame:
    """The uploaded file as a DataFrame of stripped text: one column per header, indexed by Excel row
    number, blank rows dropped. Refuses (ImportRefused) anything the import cannot use."""
    content, kind = read_bytes(file_storage)
    return frame_of(content, kind, sheet)


def frame_of(content: bytes, kind: str, sheet: Sheet) -> pd.DataFrame:
    grid = _grid(content, kind, sheet)
    if grid.empty:
        raise ImportRefused("上传的文件中没有任何内容")
    grid = grid.map(lambda v: str(v).strip() if v is not None else "")
    headers = [_header(h) for h in grid.iloc[0].tolist()]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise ImportRefused("文件第1行应为列标题，请使用下载的模板填写")
    repeated = sorted({h for h in headers if h and headers.count(h) > 1})
    if repeated:
        raise ImportRefused(f"文件中有重复的列：{'、'.join(repeated)}")
    missing = [c.label for c in sheet.columns if c.required and c.label not in headers]
    if missing:
        raise ImportRefused(f"文件缺少以下列：{'、'.join(missing)}。请使用下载的模板填写")
    data = grid.iloc[1:, : len(headers)]
    data.columns = [h or f"（第{i + 1}列）" for i, h in enumerate(headers)]
    data.index = range(2, len(data) + 2)  # Excel row numbers
    data = data[(data != "").any(axis=1)]
    if data.empty:
        raise ImportRefused("文件中没有数据行，请在列标题下方逐行填写")
    if len(data) > sheet.max_rows:
        raise ImportRefused(f"一次最多导入{sheet.max_rows}行，本文件有{len(data)}行，请分成几个文件导入")
    return data


# ---- parsing cells -----------------------------------------------------------------------------------

_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?")
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(text: str) -> date:
    """2020-01-31, 2020/1/31, 2020.1.31, 2020年1月31日, an Excel date cell ("2020-01-31 00:00:00") or an
    Excel serial day number; ValueError otherwise."""
    match = _DATE_RE.fullmatch(text)
    if match:
        return date(*(int(part) for part in match.groups()))
    if re.fullmatch(r"\d{5}(?:\.0+)?", text):  # a date cell that lost its format: days since 1899-12-30
        serial = int(float(text))
        if 1 <= serial <= 80000:
            return _EXCEL_EPOCH + timedelta(days=serial)
    raise ValueError(text)


def _parse_cell(column: Column, text: str, choices: dict[str, dict[str, Any]], row: Row) -> None:
    if not text:
        if column.required:
            row.fail(f"{column.label}不能为空")
        return
    if has_control(text):  # the forms' rule (text.py): a one-line field holds no line break either
        row.fail(f"{column.label}不能包含换行符或其他控制字符")
        return
    if column.kind == "date":
        try:
            value = parse_date(text)
        except ValueError:
            row.fail(f"{column.label}“{text[:20]}”不是有效日期（如 2020-01-31）")
            return
        if not date(1900, 1, 1) <= value <= beijing_today():  # today in China, whatever the server's zone
            row.fail(f"{column.label}应在1900-01-01至今天之间")
            return
        row.values[column.key] = value
    elif column.kind == "choice":
        allowed = choices.get(column.key, {})
        if text not in allowed:
            row.fail(f"{column.label}“{text[:20]}”不在可选值中（见模板“{DICTIONARY_SHEET}”表）")
            return
        row.values[column.key] = allowed[text]
    else:
        if column.max_length and len(text) > column.max_length:
            row.fail(f"{column.label}不能超过{column.max_length}个字")
            return
        row.values[column.key] = text


def validate(frame: pd.DataFrame, sheet: Sheet) -> Report:
    """Every row of the file with all its reasons, or with its planned outcome."""
    choices = sheet.choices()
    headers = list(frame.columns)
    present = [c for c in sheet.columns if c.label in headers]
    rows = []
    for number, record in zip(frame.index, frame.itertuples(index=False, name=None)):
        cells = dict(zip(headers, record))
        row = Row(number=int(number), cells=cells)
        for column in present:
            _parse_cell(column, cells[column.label], choices, row)
        rows.append(row)
    if sheet.key:
        keys = sheet.key if isinstance(sheet.key, tuple) else (sheet.key,)
        _fail_duplicates(rows, [sheet.column(key) for key in keys])
    sheet.check_rows(rows)
    return Report(sheet=sheet, headers=headers, rows=rows)


def _fail_duplicates(rows: list[Row], columns: list[Column]) -> None:
    """Rows with the same key (every key cell filled; a parsed date compares as a date) all fail."""
    seen: dict[tuple, list[Row]] = {}
    for row in rows:
        value = tuple(
            str(row.values.get(c.key, row.cells.get(c.label, ""))).upper() if row.cells.get(c.label, "") else ""
            for c in columns
        )
        if all(value):
            seen.setdefault(value, []).append(row)
    names = "、".join(c.label for c in columns)
    for same in seen.values():
        if len(same) > 1:
            numbers = [r.number for r in same[:4]]
            for row in same:
                others = [n for n in numbers if n != row.number][:3]
                more = "等" if len(same) > len(others) + 1 else ""
                row.fail(f"文件中{names}重复（与第{'、'.join(map(str, others))}行{more}）")


# ---- writing workbooks -------------------------------------------------------------------------------

REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _text_cell(cell, value) -> None:
    """Write a value as text even if it looks like a formula: the file repeats what people typed, less
    the control characters no workbook may hold (openpyxl refuses them; the reason names the cell)."""
    if isinstance(value, str):
        value = strip_control(value)
    cell.value = value
    if isinstance(value, str) and value:
        cell.data_type = "s"


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_workbook(sheet: Sheet, prepared_rows: int = 1000) -> bytes:
    """The .xlsx to fill in: headers (required in red, with a comment), text-formatted ID/phone columns,
    drop-down lists for choice columns, and the sheet 字典 listing every allowed value."""
    book = Workbook()
    data = book.active
    data.title = sheet.title or "数据"
    lists = book.create_sheet(DICTIONARY_SHEET)
    choices = sheet.choices()
    list_column = 0
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index, value=column.label)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        note = "必填" if column.required else "选填"
        if column.note:
            note += "。" + column.note
        elif column.kind == "date":
            note += "。日期，如 2020-01-31"
        elif column.max_length:
            note += f"，不超过{column.max_length}个字"
        cell.comment = Comment(note, "继续教育管理系统")
        data.column_dimensions[letter].width = max(12, len(column.label) * 2 + 4)
        if column.as_text:
            data.column_dimensions[letter].width = 22
            for r in range(2, prepared_rows + 2):
                data.cell(row=r, column=index).number_format = "@"
        if column.kind == "choice":
            list_column += 1
            list_letter = get_column_letter(list_column)
            names = list(choices.get(column.key, {}))
            lists.cell(row=1, column=list_column, value=column.label).font = HEADER_FONT
            for r, name in enumerate(names, start=2):
                _text_cell(lists.cell(row=r, column=list_column), name)
            lists.column_dimensions[list_letter].width = max(14, len(column.label) * 2 + 4)
            if names:
                source = f"{quote_sheetname(DICTIONARY_SHEET)}!${list_letter}$2:${list_letter}${len(names) + 1}"
                check = DataValidation(type="list", formula1=source, allow_blank=not column.required)
                check.error = f"请从“{DICTIONARY_SHEET}”表的{column.label}中选择"
                check.errorTitle = "输入值无效"
                check.showErrorMessage = True
                data.add_data_validation(check)
                check.add(f"{letter}2:{letter}{prepared_rows + 1}")
    for r, values in enumerate(sheet.template_rows(), start=2):
        for index, column in enumerate(sheet.columns, start=1):
            if values.get(column.key) not in (None, ""):
                _text_cell(data.cell(row=r, column=index), str(values[column.key]))
    data.freeze_panes = "A2"
    return _save(book)


def failed_rows_workbook(report: Report) -> bytes:
    """The failed rows as the file had them, plus 失败原因 — fix them and import this file again."""
    book = Workbook()
    data = book.active
    data.title = report.sheet.title or "数据"
    headers = [h for h in report.headers if h != REASON_HEADER]
    required = {c.label for c in report.sheet.columns if c.required}
    for index, header in enumerate([*headers, REASON_HEADER], start=1):
        cell = data.cell(row=1, column=index, value=strip_control(header))
        cell.font = REQUIRED_FONT if header in required or header == REASON_HEADER else HEADER_FONT
        cell.fill = HEADER_FILL
        data.column_dimensions[get_column_letter(index)].width = 40 if header == REASON_HEADER else 16
    for r, row in enumerate(report.failed, start=2):
        for c, header in enumerate(headers, start=1):
            cell = data.cell(row=r, column=c)
            _text_cell(cell, row.cells.get(header, ""))
            cell.number_format = "@"
        _text_cell(data.cell(row=r, column=len(headers) + 1), f"第{row.number}行：{row.reason}")
    data.freeze_panes = "A2"
    return _save(book)
