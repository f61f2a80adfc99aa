"""批量导入 as a unit's clerk does it: template, upload, the validation page, import, failed rows."""
import io
from datetime import date, datetime

from openpyxl import load_workbook
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from backoffice.extensions import db
from backoffice.imports.matching import NAME_LOCKED
from backoffice.labels import AuditAction, BindingStatus
from backoffice.models import AuditLog, Department, Organisation, Person, User
from backoffice.validators import sex_from_id
from backoffice.workflows.people import OTHER_UNIT, SELF_REGISTERED, WAITING_HERE
from import_helpers import (
    HEADERS, URL, count, csv_file, failed_rows, many_people, new_id, people_of, person, person_row, run, token_of, upload, xlsx_file,
)

HOSPITAL = "广州示范医院"


def demo_person(app, name):
    with app.app_context():
        row = db.session.scalar(select(Person).where(Person.name == name))
        db.session.expunge(row)
        return row


def test_template_has_the_columns_and_a_dictionary_sheet(login_as):
    response = login_as("unit_c").get(f"{URL}template/")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["专业技术人员", "字典"]
    assert [c.value for c in book["专业技术人员"][1]] == HEADERS
    lists = {}
    for column in book["字典"].iter_cols(values_only=True):
        lists[column[0]] = [v for v in column[1:] if v]
    assert lists["性别"] == ["男", "女"]
    assert "汉族" in lists["民族"] and "大学本科" in lists["最高学历"] and "学士" in lists["最高学位"]
    assert lists["资格级别"] == ["初级", "中级", "副高级", "正高级"]
    assert "卫生技术人员" in lists["专业系列"]
    assert {"医务科", "护理部", "内科", "心血管内科"} <= set(lists["所属部门"])


def test_good_rows_are_imported_and_bad_rows_are_listed_with_every_reason(app, login_as):
    liu = demo_person(app, "刘文斌")
    before = people_of(app, HOSPITAL)
    rows = [
        person_row(1, 所属部门="心血管内科"),
        person_row(2, 毕业时间=datetime(2010, 7, 1), 参加工作时间=datetime(2010, 8, 1)),
        person_row(3, 公民身份号码=new_id(3)[:-1] + ("0" if new_id(3)[-1] != "0" else "1")),
        person_row(4, 民族="", 联系电话="电话", 通信地址="=HYPERLINK(\"http://x\")"),
        person_row(5),
        person_row(6, 公民身份号码=new_id(5)),
        person_row(7, 姓名=liu.name, 公民身份号码=liu.id_number, 性别=liu.sex),
    ]
    client = login_as("unit_c")
    page = upload(client, xlsx_file(rows), "人员名单.xlsx")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[:400]
    assert count("将新增", html) == 2 and count("将更新", html) == 0
    assert count("无变化将跳过", html) == 0 and count("有误", html) == 5
    assert "公民身份号码校验位不正确" in html
    assert "民族不能为空" in html and "联系电话格式不正确" in html  # both reasons of row 5
    assert html.count("文件中公民身份号码重复") == 2
    assert OTHER_UNIT in html
    assert people_of(app, HOSPITAL) == before  # validating changes nothing

    token = token_of(html)
    result = run(client, token)
    assert "新增 2 人" in result.get_data(as_text=True)
    assert people_of(app, HOSPITAL) == before + 2
    first = person(app, new_id(1))
    assert first.binding_status == BindingStatus.CONFIRMED and first.confirmed_at is not None
    assert first.birth_date == date(1985, 6, 15) and first.sex == sex_from_id(new_id(1))
    assert first.ethnicity_code and first.series_id and first.title_level == "middle"
    with app.app_context():
        assert db.session.get(Department, first.department_id).name == "心血管内科"
        assert first.unit_id == db.session.scalar(select(Organisation.id).where(Organisation.name == HOSPITAL))
    assert person(app, new_id(2)).graduated_on == date(2010, 7, 1)
    for seq in (3, 4, 5):
        assert person(app, new_id(seq)) is None
    assert demo_person(app, "刘文斌").unit_id == liu.unit_id

    download = client.get(f"{URL}failed/?token={token}")
    assert download.status_code == 200
    table = failed_rows(download)
    assert table[0] == (*HEADERS, "失败原因")
    assert len(table) == 6
    reasons = [line[-1] for line in table[1:]]
    assert any("文件中公民身份号码重复" in r for r in reasons)
    assert any(OTHER_UNIT in r for r in reasons)
    hyperlink_row = next(line for line in table if line[0] == "导入人员004")
    assert hyperlink_row[HEADERS.index("通信地址")] == '=HYPERLINK("http://x")'  # kept as text, not a formula
    sheet = load_workbook(io.BytesIO(download.data)).active
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def test_the_import_is_audited_as_one_labelled_batch(app, login_as):
    client = login_as("unit_c")
    html = upload(client, xlsx_file([person_row(11), person_row(12)]), "名单.xlsx").get_data(as_text=True)
    run(client, token_of(html))
    with app.app_context():
        logs = db.session.scalars(
            select(AuditLog).where(AuditLog.action == AuditAction.IMPORT, AuditLog.object_type == "person")
        ).all()
    assert len(logs) == 2
    assert {log.summary for log in logs} == {"批量导入专业技术人员：2 人"}


def test_importing_the_same_file_again_creates_nobody_twice(app, login_as):
    client = login_as("unit_c")
    rows = [person_row(21), person_row(22), person_row(23)]
    content = xlsx_file(rows)
    run(client, token_of(upload(client, content, "名单.xlsx").get_data(as_text=True)))
    after_first = people_of(app, HOSPITAL)

    again = upload(client, content, "名单.xlsx").get_data(as_text=True)
    assert count("将新增", again) == 0 and count("将更新", again) == 0
    assert count("无变化将跳过", again) == 3 and count("有误", again) == 0
    result = run(client, token_of(again)).get_data(as_text=True)
    assert "无变化跳过 3 人" in result and "新增 0 人" in result
    assert people_of(app, HOSPITAL) == after_first

    rows[0]["联系电话"] = "020-83331234"
    rows[1]["姓名"] = "改了名字"
    changed = upload(client, xlsx_file(rows), "名单.xlsx").get_data(as_text=True)
    assert count("将更新", changed) == 1 and count("无变化将跳过", changed) == 1 and count("有误", changed) == 1
    assert NAME_LOCKED in changed
    result = run(client, token_of(changed)).get_data(as_text=True)
    assert "更新 1 人" in result
    assert person(app, new_id(21)).phone == "020-83331234"
    assert person(app, new_id(22)).name == "导入人员022"
    assert people_of(app, HOSPITAL) == after_first


def test_unattached_people_are_confirmed_but_people_with_an_account_are_not_taken_over(app, login_as):
    """A record nobody holds is confirmed; a person who owns an account chooses their unit themselves,
    so the import neither confirms one waiting for this unit nor takes over one without a unit."""
    newcomer, chen = demo_person(app, "王新"), demo_person(app, "陈诗慧")
    assert newcomer.binding_status == BindingStatus.PENDING and newcomer.user_id is not None
    with app.app_context():
        db.session.add(Person(name="无单位者", sex=sex_from_id(new_id(31)), id_number=new_id(31)))
        db.session.commit()
    rows = [
        person_row(30, 姓名=newcomer.name, 公民身份号码=newcomer.id_number, 专业系列="高等学校教师"),
        person_row(31, 姓名="无单位者", 专业系列="高等学校教师"),
        person_row(32, 姓名=chen.name, 公民身份号码=chen.id_number, 专业系列="高等学校教师"),
    ]
    client = login_as("unit_a", "广州示范大学")
    html = upload(client, xlsx_file(rows), "名单.xlsx").get_data(as_text=True)
    assert count("将新增", html) == 0 and count("将更新", html) == 2 and count("有误", html) == 1, html
    assert WAITING_HERE in html
    token = token_of(html)
    run(client, token)
    for id_number in (new_id(31), chen.id_number):
        row = person(app, id_number)
        assert row.unit_id == chen.unit_id and row.binding_status == BindingStatus.CONFIRMED
        assert row.school == "中山大学"
    assert person(app, new_id(31)).confirmed_at is not None
    waiting = person(app, newcomer.id_number)
    assert (waiting.binding_status, waiting.confirmed_at, waiting.school) == (
        BindingStatus.PENDING, None, newcomer.school,
    )
    reasons = [line[-1] for line in failed_rows(client.get(f"{URL}failed/?token={token}"))[1:]]
    assert reasons == [f"第2行：{WAITING_HERE}"]


def test_a_self_registered_person_without_a_unit_is_not_taken_over(app, login_as):
    """Chain (b) through the import: the person registered an account and chose no unit; the hospital's
    file names them. The row fails, nothing changes, and 信息查询 cannot reach the account afterwards."""
    id_number = new_id(41)
    with app.app_context():
        user = User(login="self_reg", real_name="自注册者", id_number=id_number, real_name_verified=True)
        user.set_password("Reg2026abc")
        db.session.add(user)
        db.session.flush()
        db.session.add(Person(user_id=user.id, name="自注册者", sex=sex_from_id(id_number), id_number=id_number))
        db.session.commit()
    before = person(app, id_number)
    client = login_as("unit_c")
    html = upload(client, xlsx_file([person_row(41, 姓名="自注册者")]), "名单.xlsx").get_data(as_text=True)
    assert count("将更新", html) == 0 and count("有误", html) == 1
    assert SELF_REGISTERED in html
    token = token_of(html)
    run(client, token)
    after = person(app, id_number)
    assert (after.unit_id, after.binding_status, after.school) == (None, None, before.school)
    reasons = [line[-1] for line in failed_rows(client.get(f"{URL}failed/?token={token}"))[1:]]
    assert reasons == [f"第2行：{SELF_REGISTERED}"]
    reset = client.post(f"/admin/person_query/reset/?id={after.id}", {"reason": "本人来电"}, token_page=URL)
    assert reset.status_code == 404


def test_thousands_of_rows_take_a_few_queries_not_one_per_row(app, login_as):
    client = login_as("unit_c")
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, executemany))

    content = csv_file(many_people(2500))
    event.listen(Engine, "before_cursor_execute", seen)
    try:
        html = upload(client, content, "名单.csv").get_data(as_text=True)
        lookups = [s for s, _ in statements if s.lstrip().upper().startswith("SELECT") and "FROM person" in s]
        assert count("将新增", html) == 2500
        assert len(lookups) == 3  # IN lists of at most 1000 ID numbers
        statements.clear()
        run(client, token_of(html))
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    # New rows need their ids back for the audit hook: PostgreSQL batches those INSERTs, SQLite (no
    # RETURNING order guarantee) sends one per row, in-process. Nothing else may grow with the rows.
    others = [s for s, _ in statements if not s.lstrip().startswith("INSERT INTO person ")]
    assert len(others) < 40, len(others)
    assert sum(1 for s in others if "FROM person" in s) == 3  # validated again, in the same chunks
    assert people_of(app, HOSPITAL) >= 2500
