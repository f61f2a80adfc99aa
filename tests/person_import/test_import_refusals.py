"""Files the import cannot use are refused with one clear message and change nothing; tokens are private."""
import io
import zipfile
from pathlib import Path

import pytest

from import_helpers import (
    HEADERS, PDF, URL, count, csv_file, person_row, run, token_of, total_people, upload, xlsx_file,
)


def stored_files(app) -> int:
    folder = Path(app.config["UPLOAD_DIR"]) / "imports"
    return len(list(folder.iterdir())) if folder.is_dir() else 0


def _corrupt_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "this is not a workbook")
    return buffer.getvalue()


def _many_rows(n: int) -> bytes:
    row = ",".join(person_row(1).get(h, "") for h in HEADERS)
    return ("\ufeff" + ",".join(HEADERS) + "\n" + (row + "\n") * n).encode("utf-8")


REFUSED = [
    ("missing-columns", lambda: xlsx_file([person_row(1)], [h for h in HEADERS if h not in ("民族", "联系电话")]),
     "名单.xlsx", "文件缺少以下列：民族、联系电话"),
    ("pdf-renamed-xlsx", lambda: PDF, "名单.xlsx", "仅支持导入 Excel（.xlsx）或 CSV（.csv）文件"),
    ("pdf-renamed-csv", lambda: PDF, "名单.csv", "仅支持导入 Excel（.xlsx）或 CSV（.csv）文件"),
    ("word-file", lambda: PDF, "名单.docx", "仅支持导入 Excel（.xlsx）或 CSV（.csv）文件"),
    ("old-xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "名单.xls", "另存为 .xlsx"),
    ("corrupt-xlsx", _corrupt_xlsx, "名单.xlsx", "Excel 文件已损坏"),
    ("truncated-xlsx", lambda: xlsx_file([person_row(1)])[:700], "名单.xlsx", "Excel 文件已损坏"),
    ("empty", lambda: b"", "名单.csv", "上传的文件为空"),
    ("headers-only", lambda: csv_file([]), "名单.csv", "文件中没有数据行"),
    ("too-many-rows", lambda: _many_rows(20_001), "名单.csv", "一次最多导入20000行，本文件超过20000行"),
    ("oversized", lambda: csv_file([person_row(1)]) + b" " * (10 * 1024 * 1024), "名单.csv", "上传的文件不能超过10MB"),
]


@pytest.mark.parametrize("make,filename,message", [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_unusable_files_are_refused_and_change_nothing(app, login_as, make, filename, message):
    client = login_as("unit_c")
    people, files = total_people(app), stored_files(app)
    response = upload(client, make(), filename)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert 'id="import-error"' in html and 'id="run-form"' not in html
    assert total_people(app) == people
    assert stored_files(app) == files


def test_csv_from_excel_on_chinese_windows_and_utf8_are_read(app, login_as):
    client = login_as("unit_c")
    for encoding, seq in (("gb18030", 41), ("utf-8", 43), ("utf-8-sig", 45)):
        rows = [person_row(seq, 通信地址="广州市荔湾区龍津路"), person_row(seq + 1)]
        html = upload(client, csv_file(rows, encoding), "名单.csv").get_data(as_text=True)
        assert count("将新增", html) == 2 and count("有误", html) == 0, (encoding, html[:2000])
    people = total_people(app)
    run(client, token_of(html))
    assert total_people(app) == people + 2


def test_twenty_thousand_rows_are_accepted(app, login_as):
    html = upload(login_as("unit_c"), _many_rows(20_000), "名单.csv").get_data(as_text=True)
    assert count("有误", html) == 20_000  # one ID number 20,000 times: every row is a duplicate
    assert "仅显示前 500 行" in html


def test_another_organisation_or_user_cannot_use_the_token(app, login_as):
    owner = login_as("unit_c")
    token = token_of(upload(owner, xlsx_file([person_row(51)]), "名单.xlsx").get_data(as_text=True))
    people = total_people(app)
    other = login_as("unit_b")
    assert other.get(f"{URL}check/?token={token}").status_code == 404
    assert other.get(f"{URL}failed/?token={token}").status_code == 404
    assert run(other, token).status_code == 404
    assert run(owner, token[:-2] + ("AA" if not token.endswith("AA") else "BB")).status_code == 404
    assert owner.get(f"{URL}check/").status_code == 404
    assert total_people(app) == people
    assert owner.get(f"{URL}check/?token={token}").status_code == 200


@pytest.mark.parametrize("login,org", [("p_chen", None), ("gd_hr", None), ("gz_edu", None),
                                       ("unit_a", "广州示范医院")])
def test_people_hr_and_staff_without_the_module_are_refused(login_as, login, org):
    client = login_as(login, org)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}template/").status_code == 403
    assert upload(client, xlsx_file([person_row(61)]), "名单.xlsx", token_page="/admin/").status_code == 403


def test_the_screen_is_in_the_units_menu_and_needs_sign_in(client, login_as):
    html = login_as("unit_c").get(URL).get_data(as_text=True)
    assert "批量导入" in html and "专业技术人员管理" in html and 'id="upload-form"' in html
    assert client.get(URL).status_code == 302
