"""Import files as a unit's clerk would fill them in, and the steps of the 批量导入 screen over HTTP."""
import csv
import io
import re
import zipfile
from datetime import date, timedelta
from html import unescape

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.imports.persons import COLUMNS
from backoffice.models import Organisation, Person
from backoffice.validators import make_citizen_id, sex_from_id

URL = "/admin/person_import/"
HEADERS = [c.label for c in COLUMNS]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def new_id(seq: int) -> str:
    return make_citizen_id("440104", date(1985, 6, 15), f"{seq:03d}")


def person_row(seq: int, **changes) -> dict:
    """A complete, valid row for a person nobody knows yet."""
    id_number = changes.pop("公民身份号码", new_id(seq))
    row = {
        "姓名": f"导入人员{seq:03d}",
        "性别": sex_from_id(id_number),
        "公民身份号码": id_number,
        "出生日期": "",
        "民族": "汉族",
        "籍贯": "广东广州",
        "最高学历": "大学本科",
        "最高学位": "学士",
        "所学专业": "临床医学",
        "毕业院校": "中山大学",
        "毕业时间": "2008-07-01",
        "参加工作时间": "2008/8/1",
        "联系电话": "13800138000",
        "邮箱": f"p{seq}@example.cn",
        "专业技术任职资格": "主治医师",
        "资格级别": "中级",
        "取得资格时间": "2015.9.1",
        "专业系列": "卫生技术人员",
        "从事专业": "内科",
        "邮政编码": "510000",
        "通信地址": "广州市越秀区中山二路1号",
        "所属部门": "",
    }
    row.update(changes)
    return row


def xlsx_file(rows: list[dict], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "专业技术人员"
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value:
                cell.data_type = "s"  # what Excel keeps when a clerk types text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(rows: list[dict], encoding: str = "utf-8-sig", headers: list[str] = HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode(encoding)


def upload(client, content: bytes, filename: str, token_page: str = URL):
    return client.post(
        f"{URL}upload/", {"file": (io.BytesIO(content), filename)}, token_page=token_page,
        content_type="multipart/form-data",
    )


def token_of(html: str) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"|id="token" name="token" type="hidden" value="([^"]+)"', html)
    if match is None:
        match = re.search(r'<input[^>]*name="token"[^>]*value="([^"]+)"', html)
    assert match, "no import token on the page"
    return unescape(next(g for g in match.groups() if g))


def run(client, token: str):
    return client.post(f"{URL}run/", {"token": token}, token_page=URL)


def failed_rows(response) -> list[tuple[str, ...]]:
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [tuple("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True)]


def count(text: str, html: str) -> int:
    match = re.search(text + r"\s*(\d+)", html)
    assert match, f"{text} not on the page"
    return int(match.group(1))


def people_of(app, org_name: str) -> int:
    with app.app_context():
        org_id = db.session.scalar(select(Organisation.id).where(Organisation.name == org_name))
        return db.session.scalar(select(func.count()).select_from(Person).where(Person.unit_id == org_id))


def person(app, id_number: str) -> Person | None:
    with app.app_context():
        row = db.session.scalar(select(Person).where(Person.id_number == id_number))
        if row is not None:
            db.session.expunge(row)
        return row


def total_people(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Person))


def many_people(n: int, start: int = 0) -> list[dict]:
    """n valid rows of distinct new people (ID numbers spread over birth dates)."""
    rows = []
    for i in range(start, start + n):
        id_number = make_citizen_id("440103", date(1975, 1, 1) + timedelta(days=i // 900), f"{100 + i % 900:03d}")
        rows.append(person_row(0, 姓名=f"批量{i:05d}", 公民身份号码=id_number, 性别=sex_from_id(id_number)))
    return rows


def long_xlsx(value_rows: int, blank_rows: int = 0, headers: list[str] = HEADERS) -> bytes:
    """A small workbook of many rows, written part by part (openpyxl would take minutes): the headers,
    `value_rows` rows of the same three cells, then `blank_rows` rows that only carry formatting.
    Shared strings and identical rows pack tightly, as in the issue's 1.75 MB file of 700,000 rows."""
    strings = [*headers, "张三", "男", new_id(1)]
    letters = [chr(ord("A") + i) if i < 26 else "A" + chr(ord("A") + i - 26) for i in range(len(headers))]
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"))
        archive.writestr("_rels/.rels", f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="专业技术人员" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
        items = "".join(f"<si><t>{s}</t></si>" for s in strings)
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{main}"><sheetData>'.encode())
            cells = "".join(f'<c r="{letters[i]}1" t="s"><v>{i}</v></c>' for i in range(len(headers)))
            sheet.write(f'<row r="1">{cells}</row>'.encode())
            first = len(headers)
            for start in range(2, value_rows + blank_rows + 2, 10_000):
                rows = []
                for r in range(start, min(start + 10_000, value_rows + blank_rows + 2)):
                    if r < value_rows + 2:
                        cells = "".join(f'<c r="{letters[i]}{r}" t="s"><v>{first + i}</v></c>' for i in range(3))
                    else:
                        cells = f'<c r="A{r}" s="1"/>'
                    rows.append(f'<row r="{r}">{cells}</row>')
                sheet.write("".join(rows).encode())
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()
