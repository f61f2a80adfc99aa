"""backoffice/xlsx.py, the list exports' workbook writer, read back by openpyxl (what Excel's format
reader the tests have) and checked part by part as XML."""
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.etree import ElementTree

from openpyxl import load_workbook

from backoffice.xlsx import sheet_name, write_sheet


def _written(header, rows, widths=None, title="人员") -> bytes:
    out = io.BytesIO()
    write_sheet(out, title, header, rows, widths if widths is not None else [10] * len(header))
    return out.getvalue()


def test_values_come_back_with_their_types():
    rows = [
        ["张三", 3, Decimal("1.5"), 2.25, True, date(2024, 3, 5), datetime(2024, 3, 5, 14, 30, 15), None],
        ["", 0, Decimal("0"), -1.0, False, date(1899, 1, 2), datetime(1900, 1, 1, 8, 0), "后"],
    ]
    sheet = load_workbook(io.BytesIO(_written(list("ABCDEFGH"), rows))).active
    assert [c.value for c in sheet[2]] == [
        "张三", 3, 1.5, 2.25, True, datetime(2024, 3, 5), datetime(2024, 3, 5, 14, 30, 15), None,
    ]
    assert sheet["F2"].number_format == "yyyy-mm-dd" and sheet["G2"].number_format == "yyyy-mm-dd hh:mm:ss"
    # an empty text is an empty cell; a date Excel's serial numbers cannot hold is its text
    assert [c.value for c in sheet[3]] == [None, 0, 0, -1, False, "1899-01-02", "1900-01-01 08:00:00", "后"]


def test_not_a_number_is_written_as_its_text():
    sheet = load_workbook(io.BytesIO(_written(["x", "y"], [[float("nan"), Decimal("Infinity")]]))).active
    assert [c.value for c in sheet[2]] == ["nan", "Infinity"]


def test_markup_is_text_and_characters_xml_cannot_hold_are_dropped():
    content = _written(["<b>&名称"], [["a < b & c > d \"'"], ["  留空格  "], ["换\n行\t制表"], ["x\x00\x07y\ufffe"]])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for part in archive.namelist():  # every part well-formed XML
            ElementTree.fromstring(archive.read(part))
    sheet = load_workbook(io.BytesIO(content)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [
        "<b>&名称", "a < b & c > d \"'", "  留空格  ", "换\n行\t制表", "xy",
    ]


def test_the_header_is_bold_and_frozen_and_the_columns_have_their_widths():
    header = [f"列{n}" for n in range(1, 31)]  # past Z: AA, AB …
    sheet = load_workbook(io.BytesIO(_written(header, [list(range(30))], widths=[8 + n for n in range(30)]))).active
    assert [c.value for c in sheet[1]] == header and all(c.font.bold for c in sheet[1])
    assert not any(c.font.bold for c in sheet[2])
    assert sheet.freeze_panes == "A2"
    assert sheet["AD2"].value == 29
    assert [sheet.column_dimensions[letter].width for letter in ("A", "Z", "AD")] == [8, 33, 37]


def test_rows_stream_in_batches_past_the_first_thousand():
    rows = ([n, f"第{n}行"] for n in range(2500))
    sheet = load_workbook(io.BytesIO(_written(["序号", "内容"], rows)), read_only=True).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(values) == 2500 and values[0] == (0, "第0行") and values[-1] == (2499, "第2499行")


def test_a_row_longer_than_the_header_keeps_its_cells():
    sheet = load_workbook(io.BytesIO(_written(["a"], [["x", "y", "z"]]))).active
    assert [c.value for c in sheet[2]] == ["x", "y", "z"]


def test_sheet_names_excel_refuses_are_mended():
    assert sheet_name("人员/单位[2024]:*?\\查询") == "人员单位2024查询"
    assert sheet_name("") == "导出" and sheet_name("'*'") == "导出"
    assert len(sheet_name("长" * 40)) == 31
    workbook = load_workbook(io.BytesIO(_written(["a"], [], title="a/b")))
    assert workbook.sheetnames == ["ab"]


def test_a_second_reader_reads_the_same_cells():
    """python-calamine (the import's Rust reader, strict in its own ways) reads what openpyxl reads."""
    from python_calamine import CalamineWorkbook

    content = _written(["姓名", "学时", "日期"], [["李四", 12, date(2024, 5, 6)], ["a&b", Decimal("2.5"), None]])
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert sheet == [["姓名", "学时", "日期"], ["李四", 12, date(2024, 5, 6)], ["a&b", 2.5, ""]]
