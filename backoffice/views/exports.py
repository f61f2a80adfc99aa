"""导出Excel / 导出CSV of every list, streamed: exactly the rows the list shows (scope, search, filters,
sort), read in batches of ids so memory stays flat whatever the size, written as they are read.

- CSV: UTF-8 with a byte-order mark (Excel on Chinese Windows), sent row batch by row batch.
- XLSX: `backoffice.xlsx` (SpreadsheetML written as the rows come, into a temporary file), Chinese headers in
  bold, the header row frozen, column widths from the header and the first rows; the finished file is
  sent from a temporary file in chunks.
- The cap (EXPORT_MAX_ROWS) is never silent: the list says it next to the buttons when the rows exceed
  it, and the file's last row says how many of how many rows it holds.
Cells are neutralised (formulas quoted, control characters dropped) by the view's `get_export_value`.
"""
import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from itertools import chain

from ..xlsx import write_sheet

#: a CSV download's mimetype: Werkzeug adds "; charset=utf-8" to any text/* itself (given here too, the
#: header said it twice)
CSV_MIME = "text/csv"

BATCH = 1000  # rows fetched per query while exporting
CHUNK = 64 * 1024
WIDTH_SAMPLE = 200  # rows looked at to size the columns


def truncation_note(written: int, total: int | None) -> str:
    of = f"共{total}条" if total is not None else f"列表不止{written}条"
    return f"（仅导出前{written}条，{of}；请缩小查询范围后分批导出）"


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def csv_chunks(header: list[str], rows: Iterable[list], note: Callable[[], str | None]) -> Iterator[str]:
    """The CSV text in pieces of about one batch each; `note()` (asked at the end) adds a last row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow(row)
        if n % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    last = note()
    if last:
        writer.writerow([last])
    yield buffer.getvalue()


def xlsx_file(title: str, header: list[str], rows: Iterable[list], note: Callable[[], str | None]):
    """The workbook in a temporary file (rewound), written as the rows come (`backoffice.xlsx`)."""
    rows = iter(rows)
    sample = []
    for row in rows:
        sample.append(row)
        if len(sample) >= WIDTH_SAMPLE:
            break
    widths = [
        min(max(max([_display_width(name)] + [_display_width(r[index]) for r in sample]) + 2, 8), 60)
        for index, name in enumerate(header)
    ]

    def cells():
        yield from chain(sample, rows)
        last = note()
        if last:
            yield [last]

    out = tempfile.TemporaryFile()
    write_sheet(out, title, header, cells(), widths)
    out.seek(0)
    return out


def file_chunks(handle) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk
