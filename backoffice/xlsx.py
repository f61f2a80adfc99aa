"""One worksheet of rows as an .xlsx file, written straight as SpreadsheetML (ECMA-376) into a zip.

Why not openpyxl here: the list exports write up to 100,000 rows of a dozen cells, and openpyxl's
write-only workbook builds a cell object and an XML element per value — 10.7 s of CPU for 100,000 × 12
cells against 0.8 s for the same text formatted by hand (docs/benchmarks.md, 导出Excel). The file is the
smallest one Excel, WPS and LibreOffice open: a workbook of one sheet, a stylesheet with a bold font and
two date formats, text as inline strings (no shared-string table to hold in memory), the header row
frozen and the columns sized. openpyxl still writes the import templates and the report workbooks
(small, and styled with comments and validations), and reads every workbook back in the tests.

`write_sheet` streams: rows go to the zip member as they come, a thousand at a time, so memory holds one
batch whatever the number of rows.
"""
from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
BATCH = 1000

# cellXfs of the stylesheet below: 0 plain, 1 bold (the header), 2 a date, 3 a date and time
BOLD, DATE, DATETIME = 1, 2, 3
#: the serial day 0 of Excel's 1900 date system as Excel counts after 1900-02-28 (its 1900-02-29 exists)
EPOCH = date(1899, 12, 30).toordinal()
FIRST_SERIAL_DAY = date(1900, 3, 1)
#: what XML 1.0 cannot hold at all (exports already drop the control characters; this keeps the file
#: well-formed whatever a caller passes)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: characters a sheet name may not hold
NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""

ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_RELS}">\
<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""

WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_RELS}">\
<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/>\
</Relationships>"""

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}">\
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>\
<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>\
<font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""


def sheet_name(title: str | None) -> str:
    """A name Excel accepts for a sheet: none of []:*?/\\, at most 31 characters, never empty."""
    name = NOT_IN_SHEET_NAME.sub("", title or "").strip("'")[:31]
    return name or "导出"


def _text(ref: str, value: str, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def _cell(ref: str, value) -> str:
    """One cell: text inline, numbers and booleans as values, dates as Excel serial numbers in a date format;
    what Excel cannot hold as a number (NaN, infinities, a date before 1900-03-01) as its text."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return _text(ref, value)
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
        return f'<c r="{ref}"><v>{value}</v></c>' if finite else _text(ref, str(value))
    if isinstance(value, datetime):
        if value.date() < FIRST_SERIAL_DAY:
            return _text(ref, value.isoformat(sep=" "))
        day = value.toordinal() - EPOCH
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return f'<c r="{ref}" s="{DATETIME}"><v>{day + seconds / 86400!r}</v></c>'
    if isinstance(value, date):
        if value < FIRST_SERIAL_DAY:
            return _text(ref, value.isoformat())
        return f'<c r="{ref}" s="{DATE}"><v>{value.toordinal() - EPOCH}</v></c>'
    return _text(ref, str(value))


def write_sheet(out: IO[bytes], title: str, header: list[str], rows: Iterable[list], widths: list[float]) -> None:
    """The workbook into `out` (a binary file opened for writing): one sheet called `title`, `header` as
    its first row in bold and frozen, then `rows`; column i is `widths[i]` characters wide."""
    letters = [get_column_letter(i) for i in range(1, max(len(header), 1) + 1)]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
            f'<sheets><sheet name={quoteattr(sheet_name(title))} sheetId="1" r:id="rId1"/></sheets></workbook>'
        ))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_sheet_start(widths).encode())
            head = "".join(_text(f"{letters[i]}1", NOT_XML.sub("", str(name)), BOLD) for i, name in enumerate(header))
            batch = [f'<row r="1">{head}</row>']
            for number, row in enumerate(rows, start=2):
                if len(row) > len(letters):
                    letters += [get_column_letter(i) for i in range(len(letters) + 1, len(row) + 1)]
                cells = "".join(_cell(f"{letters[i]}{number}", value) for i, value in enumerate(row))
                batch.append(f'<row r="{number}">{cells}</row>')
                if len(batch) >= BATCH:
                    sheet.write(NOT_XML.sub("", "".join(batch)).encode())
                    batch = []
            batch.append("</sheetData></worksheet>")
            sheet.write(NOT_XML.sub("", "".join(batch)).encode())


def _sheet_start(widths: list[float]) -> str:
    columns = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>' for i, width in enumerate(widths, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{columns}</cols>" if columns else "")
        + "<sheetData>"
    )
