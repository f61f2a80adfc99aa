"""导出Excel / 导出CSV (issue 12 item 3): streamed, exactly the rows the list shows with its search and
filters, Chinese headers, a frozen bold header row and sized columns in the workbook, and a cap that is
stated on the page and in the file instead of cutting rows silently."""
import csv
import io
import re

from openpyxl import load_workbook

from pages import list_table

PEOPLE = "/admin/person_query/"


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _listed_names(client, query: str = "") -> list[str]:
    table = list_table(client.get(f"{PEOPLE}?page_size=100&{query}").get_data(as_text=True))
    return re.findall(r'<td class="col-name">\s*([^<\s]+)', table)


def test_csv_streams_the_rows_of_the_list_with_its_filters(app, login_as):
    hr = login_as("gd_hr")
    response = hr.get(f"{PEOPLE}export/csv/")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    header, body = rows[0], rows[1:]
    assert "姓名" in header and "公民身份号码" in header
    names = [row[header.index("姓名")] for row in body]
    assert sorted(names) == sorted(_listed_names(hr))

    filtered = _csv_rows(hr.get(f"{PEOPLE}export/csv/?search=陈诗"))
    assert [row[header.index("姓名")] for row in filtered[1:]] == ["陈诗慧"]


def test_xlsx_has_a_frozen_bold_chinese_header_and_sized_columns(app, login_as):
    hr = login_as("gd_hr")
    response = hr.get(f"{PEOPLE}export/xlsx/")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header = [cell.value for cell in sheet[1]]
    assert "姓名" in header and all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
    assert all(width >= 8 for width in widths)
    csv_body = _csv_rows(hr.get(f"{PEOPLE}export/csv/"))[1:]
    xlsx_body = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(r[header.index("姓名")] for r in xlsx_body) == sorted(r[header.index("姓名")] for r in csv_body)


DICTIONARY = "/admin/dictionary/"  # 字典管理: a counted list of some hundred rows


def test_the_cap_is_said_on_the_list_and_in_the_file(app, login_as, monkeypatch):
    admin = login_as("admin")
    total = int(re.search(r"共 (\d+) 条", admin.get(DICTIONARY).get_data(as_text=True)).group(1))
    assert total > 3
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", 3)
    assert "导出最多3条，请缩小查询范围后分批导出" in admin.get(DICTIONARY).get_data(as_text=True)
    note = f"（仅导出前3条，共{total}条；请缩小查询范围后分批导出）"
    rows = _csv_rows(admin.get(f"{DICTIONARY}export/csv/"))
    assert len(rows) == 1 + 3 + 1 and rows[-1] == [note]
    sheet = load_workbook(io.BytesIO(admin.get(f"{DICTIONARY}export/xlsx/").get_data())).active
    assert sheet.max_row == 1 + 3 + 1 and sheet.cell(row=5, column=1).value == note

    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", total)  # exactly all of them: no note
    assert "导出最多" not in admin.get(DICTIONARY).get_data(as_text=True)
    assert len(_csv_rows(admin.get(f"{DICTIONARY}export/csv/"))) == 1 + total


def test_a_list_without_a_count_states_the_cap_and_says_more_rows_exist(app, login_as, monkeypatch):
    hr = login_as("gd_hr")  # 信息查询 of a province: no count(*) per page
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", 2)
    assert "导出最多2条" in hr.get(PEOPLE).get_data(as_text=True)
    rows = _csv_rows(hr.get(f"{PEOPLE}export/csv/"))
    assert len(rows) == 1 + 2 + 1 and rows[-1] == ["（仅导出前2条，列表不止2条；请缩小查询范围后分批导出）"]


def test_an_export_holds_one_batch_of_rows_at_a_time(app, login_as, monkeypatch):
    """Memory stays flat: while the CSV streams, the session holds no more people than one batch (the
    identity map keeps unchanged rows weakly, so a written batch is let go without expunging it)."""
    from backoffice.extensions import db
    from backoffice.models import Person
    from backoffice.views import base, exports

    monkeypatch.setattr(base, "EXPORT_BATCH", 2)  # rows read per query
    monkeypatch.setattr(exports, "BATCH", 1)  # rows per chunk sent: the loop below looks after each row
    hr = login_as("gd_hr")
    expected = len(_csv_rows(hr.get(f"{PEOPLE}export/csv/"))) - 1
    assert expected > 6
    response = hr.get(f"{PEOPLE}export/csv/", buffered=False)
    held, lines = [], 0
    for chunk in response.response:
        lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
        held.append(sum(isinstance(obj, Person) for obj in db.session.identity_map.values()))
    assert lines == 1 + expected and len(held) > expected
    assert max(held) <= 2
