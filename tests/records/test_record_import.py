"""继续教育记录批量申报 (issue 11 item 8) as a unit's clerk does it: 模板下载, upload, the validation page,
数据入库, failed rows, a second import of the same file, bad files, and other accounts' tokens."""
import csv
import io
import re
from datetime import date, timedelta
from html import unescape

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from backoffice.clock import beijing_today
from backoffice.extensions import db
from backoffice.imports.matching import NAME_LOCKED, NOT_CONFIRMED_HERE
from backoffice.imports.records import COLUMNS
from backoffice.labels import ApplicationStatus, RecordSource
from backoffice.models import Person, Record, ReviewLog

URL = "/admin/record_import/"
HEADERS = [c.label for c in COLUMNS]
# 60 days ago — but never in last year once its entry has closed (the demo's deadline: 31 January)
START = max(beijing_today() - timedelta(days=60),
            date(beijing_today().year, 1, 1) if beijing_today() > date(beijing_today().year, 1, 31) else date.min)
END = START + timedelta(days=1)


def people(app, unit="广州示范大学"):
    """(公民身份号码, 姓名) of the demo people: a confirmed member of the unit and someone else's."""
    with app.app_context():
        chen = db.session.scalar(select(Person).where(Person.name == "陈诗慧"))
        liu = db.session.scalar(select(Person).where(Person.name == "刘文斌"))
        return (chen.id_number, chen.name, chen.id), (liu.id_number, liu.name, liu.id)


def row(person, **changes) -> dict:
    data = {
        "公民身份号码": person[0], "姓名": person[1], "科目类型": "专业课", "课程名称": "导入专题讲座",
        "学习形式": "面授", "学习开始时间": START.isoformat(), "学习结束时间": END.isoformat(), "参训天数": "2",
        "考核结果": "合格", "拟申报学时": "12", "申报年度": "", "施教机构名称": "广东示范继续教育学院",
        "学习地点": "广州市天河区", "学习内容": "专业知识更新", "备注": "",
    }
    data.update(changes)
    return data


def xlsx_file(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "继续教育记录"
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(h, "") for h in headers])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value:
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(rows, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r.get(h, "") for h in headers])
    return buffer.getvalue().encode("utf-8-sig")


def upload(client, content: bytes, filename: str):
    return client.post(f"{URL}upload/", {"file": (io.BytesIO(content), filename)}, token_page=URL,
                       content_type="multipart/form-data")


def token_of(html: str) -> str:
    match = re.search(r'<input[^>]*name="token"[^>]*value="([^"]+)"', html)
    assert match, "no import token on the page"
    return unescape(match.group(1))


def run(client, token: str):
    return client.post(f"{URL}run/", {"token": token}, token_page=URL)


def count(text: str, html: str) -> int:
    match = re.search(text + r"\s*(\d+)", html)
    assert match, f"{text} not on the page"
    return int(match.group(1))


def records_of(app, person_id) -> list[Record]:
    with app.app_context():
        rows = list(db.session.scalars(select(Record).where(Record.person_id == person_id).order_by(Record.id)))
        for r in rows:
            db.session.expunge(r)
        return rows


def total_records(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Record))


def unit_a(login_as):
    return login_as("unit_a", "广州示范大学")


# ---- template ----------------------------------------------------------------------------------------


def test_template_has_chinese_headers_and_a_dictionary_sheet(login_as):
    response = unit_a(login_as).get(f"{URL}template/")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["继续教育记录", "字典"]
    assert [c.value for c in book["继续教育记录"][1]] == HEADERS
    lists = {column[0]: [v for v in column[1:] if v] for column in book["字典"].iter_cols(values_only=True)}
    assert set(lists) == {"科目类型", "学习形式", "考核结果"}
    assert "专业课" in lists["科目类型"] and "面授" in lists["学习形式"]
    assert lists["考核结果"] == ["合格", "不合格"]


def test_index_page_names_the_screen(login_as):
    html = unit_a(login_as).get(URL).get_data(as_text=True)
    assert "继续教育记录批量申报" in html and "申报模板" in html


# ---- the happy path, the reasons, the failed rows, idempotence ----------------------------------------


def test_valid_rows_are_declared_and_confirmed_and_bad_rows_list_their_reasons(app, login_as):
    chen, liu, = people(app)
    before = records_of(app, chen[2])
    rows = [
        row(chen),                                                        # 2: declared
        row(chen, 课程名称="导入第二门", 科目类型="公需课", 学习形式="网络培训", 学习地点=""),  # 3: declared
        row(liu),                                                         # 4: not of this unit
        row((chen[0], "陈某某"), 课程名称="姓名"),                                         # 5: name differs
        row(chen, 课程名称="学时过多", 拟申报学时="13"),                       # 6: > 6 × days
        row(chen, 课程名称="未来", 学习结束时间=(beijing_today() + timedelta(days=3)).isoformat()),  # 7
        row(chen, 课程名称="年度", 申报年度=str(START.year - 2)),              # 8: year outside
        row(chen, 课程名称="重复"), row(chen, 课程名称="重复"),               # 9, 10: same key in the file
        row(chen, 科目类型="不存在", 课程名称="字典"),                         # 11: not in the dictionary
        row(("110101199003070000", "某人"), 课程名称="号码"),                 # 12: bad ID
    ]
    client = unit_a(login_as)
    page = upload(client, xlsx_file(rows), "记录.xlsx")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[:500]
    assert count("将申报", html) == 2, re.findall(r"<td>(\d+)</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>", html)
    assert count("将申报", html) == 2 and count("有误", html) == 9 and count("已申报过将跳过", html) == 0
    assert NOT_CONFIRMED_HERE in html and NAME_LOCKED in html
    assert "拟申报学时不能超过参训天数×6" in html
    assert "学习结束时间应在1900-01-01至今天之间" in html
    assert "申报年度须在学习开始时间与学习结束时间的年份之间" in html
    assert html.count("文件中公民身份号码、课程名称、学习开始时间重复") == 2
    assert "科目类型“不存在”不在可选值中" in html and "公民身份号码校验位不正确" in html
    assert records_of(app, chen[2]) == before or len(records_of(app, chen[2])) == len(before)  # nothing yet

    token = token_of(html)
    result = run(client, token).get_data(as_text=True)
    assert "导入完成：申报 2 条" in result
    new = records_of(app, chen[2])[len(before):]
    assert [r.course_name for r in new] == ["导入专题讲座", "导入第二门"]
    first = new[0]
    assert first.source == RecordSource.UNIT and first.status == ApplicationStatus.APPROVED
    assert first.approved_hours == first.declared_hours == 12 and first.year == END.year
    assert new[1].location is None  # 网络培训 has no 学习地点
    with app.app_context():
        steps = db.session.scalars(select(ReviewLog.result).where(ReviewLog.object_id == first.id,
                                                                 ReviewLog.object_type == "record")).all()
        assert steps  # its 审批流程: the unit's 确认

    failed = client.get(f"{URL}failed/?token={token}")
    assert failed.status_code == 200
    sheet = load_workbook(io.BytesIO(failed.data)).active
    lines = [tuple("" if v is None else str(v) for v in r) for r in sheet.iter_rows(values_only=True)]
    assert lines[0][-1] == "失败原因" and len(lines) == 10
    assert lines[1][-1].startswith("第4行：") and NOT_CONFIRMED_HERE in lines[1][-1]

    # the same file again: the two declared rows are skipped, nothing is created twice
    total = total_records(app)
    again = upload(client, xlsx_file(rows), "记录.xlsx").get_data(as_text=True)
    assert count("将申报", again) == 0 and count("已申报过将跳过", again) == 2
    assert "没有需要导入的数据" in again
    run(client, token_of(again))
    assert total_records(app) == total


def test_csv_is_read_too_and_a_declaration_already_made_by_hand_is_skipped(app, login_as):
    chen, _ = people(app)
    client = unit_a(login_as)
    first = upload(client, csv_file([row(chen, 课程名称="CSV课程")]), "记录.csv").get_data(as_text=True)
    assert count("将申报", first) == 1
    run(client, token_of(first))
    again = upload(client, csv_file([row(chen, 课程名称="CSV课程", 学习开始时间=START.strftime("%Y/%m/%d"))]),
                   "记录.csv").get_data(as_text=True)
    assert count("已申报过将跳过", again) == 1 and count("将申报", again) == 0


# ---- bad files change nothing -----------------------------------------------------------------------


def test_bad_files_are_refused_with_a_message_and_change_nothing(app, login_as):
    chen, _ = people(app)
    client = unit_a(login_as)
    total = total_records(app)
    cases = [
        (xlsx_file([row(chen)], headers=[h for h in HEADERS if h != "课程名称"]), "a.xlsx", "文件缺少以下列：课程名称"),
        (b"PK\x03\x04 this is no workbook", "a.xlsx", "Excel 文件已损坏"),
        (b"%PDF-1.4\n", "a.csv", "仅支持导入 Excel（.xlsx）或 CSV（.csv）文件"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "a.xls", "不支持旧版 Excel"),
        (b"", "a.csv", "上传的文件为空"),
        (xlsx_file([]), "a.xlsx", "文件中没有数据行"),
    ]
    for content, name, message in cases:
        response = upload(client, content, name)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and message in html, (name, message)
    app.config["MAX_UPLOAD_MB"], saved = 1, app.config["MAX_UPLOAD_MB"]
    try:
        html = upload(client, csv_file([row(chen)]) + b"," * (1024 * 1024), "a.csv").get_data(as_text=True)
        assert "上传的文件不能超过1MB" in html
    finally:
        app.config["MAX_UPLOAD_MB"] = saved
    assert total_records(app) == total


def test_too_many_rows_are_refused(app, login_as):
    chen, _ = people(app)
    rows = [row(chen, 课程名称=f"课程{i}") for i in range(2001)]
    html = upload(unit_a(login_as), csv_file(rows), "many.csv").get_data(as_text=True)
    assert "一次最多导入2000行" in html


# ---- who may ------------------------------------------------------------------------------------------


def test_a_token_of_another_account_or_organisation_is_404(app, login_as):
    chen, _ = people(app)
    client = unit_a(login_as)
    token = token_of(upload(client, xlsx_file([row(chen, 课程名称="别人的令牌")]), "a.xlsx").get_data(as_text=True))
    for other in (login_as("unit_c"), login_as("unit_b")):  # another account of another unit, one elsewhere
        assert other.get(f"{URL}check/?token={token}").status_code == 404
        assert other.get(f"{URL}failed/?token={token}").status_code == 404
        assert run(other, token).status_code == 404
    assert client.get(f"{URL}check/?token=forged").status_code == 404
    assert client.get(f"{URL}check/?token={token}").status_code == 200
    # a person-import token does not open this screen, nor this one the person import's
    assert client.get(f"/admin/person_import/check/?token={token}").status_code in (403, 404)
    assert len([r for r in records_of(app, chen[2]) if r.course_name == "别人的令牌"]) == 0


def test_other_kinds_have_no_such_screen(login_as):
    for who in ("p_chen", "inst_a", "gz_hr", "helpdesk"):
        assert login_as(who).get(URL).status_code in (403, 404), who


def test_the_import_checks_the_file_again_a_person_released_meanwhile_is_not_declared(app, login_as):
    chen, _ = people(app)
    with app.app_context():
        qian = db.session.scalar(select(Person).where(Person.name == "钱雅琴"))
        qian_row = (qian.id_number, qian.name, qian.id)
    client = unit_a(login_as)
    html = upload(client, xlsx_file([row(chen, 课程名称="复核课程"), row(qian_row, 课程名称="复核课程")]),
                  "a.xlsx").get_data(as_text=True)
    assert count("将申报", html) == 2
    with app.app_context():  # 钱雅琴 leaves the unit between the validation page and 导入有效数据
        db.session.get(Person, qian_row[2]).binding_status = "released"
        db.session.commit()
    result = run(client, token_of(html)).get_data(as_text=True)
    assert "导入完成：申报 1 条" in result and count("有误未导入", result) == 1
    assert [r.course_name for r in records_of(app, qian_row[2]) if r.course_name == "复核课程"] == []
    assert [r.course_name for r in records_of(app, chen[2]) if r.course_name == "复核课程"] == ["复核课程"]
