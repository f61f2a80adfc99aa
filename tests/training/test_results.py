"""学员成绩管理: the 成绩 / 考核结果 grid and 批量导入成绩 of a class, by its owner over HTTP."""
import csv
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditLog, Enrolment, Person, TrainingClass

from pages import field_errors, flashes
from training_helpers import RESULTS, UNIT_A, UNIT_CLASS, enrolment_of, one

HEADERS = ["公民身份号码", "姓名", "成绩", "考核结果"]


@pytest.fixture
def unit(login_as):
    return login_as("unit_a", UNIT_A)


@pytest.fixture
def klass(app):
    return one(app, TrainingClass, name=UNIT_CLASS)


def stored(app, class_id) -> dict:
    """姓名 → (成绩, 考核结果) of the class's enrolees."""
    with app.app_context():
        rows = db.session.scalars(select(Enrolment).where(Enrolment.class_id == class_id)).all()
        return {r.person.name: (r.score, r.result) for r in rows}


def grid_values(client, class_id) -> dict:
    html = client.get(f"{RESULTS}/grid/?id={class_id}").get_data(as_text=True)
    values = dict(re.findall(r'<input[^>]*name="(s\d+)"[^>]*value="([^"]*)"', html))
    for name in re.findall(r'name="(s\d+)"', html):
        values.setdefault(name, "")
    for name, body in re.findall(r'<select[^>]*name="(r\d+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', body)
        values[name] = chosen.group(1) if chosen else ""
    return values


def save(client, class_id, values):
    url = f"{RESULTS}/grid/?id={class_id}"
    return client.post(url, values, token_page=url, follow_redirects=True)


def test_the_grid_saves_scores_and_results(app, unit, klass):
    values = grid_values(unit, klass.id)
    assert len(values) == 10  # five enrolees, two fields each
    chen, sun, zhou = (enrolment_of(app, klass.id, n) for n in ("陈诗慧", "孙立新", "周慧芳"))
    assert values[f"s{chen.id}"] == "88.5" and values[f"r{chen.id}"] == "pass"

    page = save(unit, klass.id, {**values, f"s{sun.id}": "59.5", f"r{sun.id}": "fail", f"s{zhou.id}": "100",
                                 f"r{zhou.id}": "pass", f"s{chen.id}": ""}).get_data(as_text=True)
    assert "成绩已保存，3名学员的成绩或考核结果有变化" in flashes(page)
    now = stored(app, klass.id)
    assert now["孙立新"] == (Decimal("59.5"), "fail") and now["周慧芳"] == (Decimal("100.0"), "pass")
    assert now["陈诗慧"] == (None, "pass")  # a score is optional
    with app.app_context():
        assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "results", AuditLog.object_id == str(sun.id)))


@pytest.mark.parametrize("score", ["-0.1", "100.1", "85.25", "abc", "NaN", "Infinity", "1e2", "9" * 30, "８５"])
def test_a_score_is_between_0_and_100_with_one_decimal(app, unit, klass, score):
    values = grid_values(unit, klass.id)
    sun = enrolment_of(app, klass.id, "孙立新")
    before = stored(app, klass.id)
    page = save(unit, klass.id, {**values, f"s{sun.id}": score, f"r{sun.id}": "pass"}).get_data(as_text=True)
    if score in ("1e2", "８５"):  # Decimal reads them: 100 and 85 are fine numbers
        assert "成绩已保存" in flashes(page)
        return
    assert "成绩应为0至100之间的数字，最多一位小数" in field_errors(page)
    assert stored(app, klass.id) == before


def test_a_result_is_one_of_the_two(app, unit, klass):
    values = grid_values(unit, klass.id)
    sun = enrolment_of(app, klass.id, "孙立新")
    before = stored(app, klass.id)
    page = save(unit, klass.id, {**values, f"r{sun.id}": "excellent"}).get_data(as_text=True)
    assert field_errors(page) and stored(app, klass.id) == before


def test_results_change_only_while_the_class_runs(app, unit, klass):
    values = grid_values(unit, klass.id)
    sun = enrolment_of(app, klass.id, "孙立新")
    with app.app_context():
        db.session.get(TrainingClass, klass.id).status = "finished"
        db.session.commit()
    before = stored(app, klass.id)
    page = save(unit, klass.id, {**values, f"s{sun.id}": "70", f"r{sun.id}": "pass"}).get_data(as_text=True)
    assert "培训班当前状态为“结业”，只有开班或接受报名的培训班才能录入成绩" in flashes(page)
    assert stored(app, klass.id) == before
    page = unit.get(f"{RESULTS}/grid/?id={klass.id}").get_data(as_text=True)
    assert 'id="read-only"' in page and "88.5" in page and 'name="s' not in page


# ---- 批量导入成绩 -----------------------------------------------------------------------------------


def xlsx(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "学员成绩"
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value:
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def upload(client, class_id, content, filename):
    return client.post(f"{RESULTS}/import/upload/?id={class_id}", {"file": (io.BytesIO(content), filename)},
                       token_page=f"{RESULTS}/import/?id={class_id}", content_type="multipart/form-data")


def token_of(html):
    return unescape(re.search(r'<input[^>]*name="token"[^>]*value="([^"]+)"', html).group(1))


def run(client, class_id, token):
    return client.post(f"{RESULTS}/import/run/?id={class_id}", {"token": token}, token_page=f"{RESULTS}/import/?id={class_id}")


def enrolees(app, class_id) -> dict:
    """姓名 → 公民身份号码 of the class's enrolees."""
    with app.app_context():
        rows = db.session.scalars(select(Enrolment).where(Enrolment.class_id == class_id)).all()
        return {r.person.name: r.person.id_number for r in rows}


def test_the_template_lists_the_class_enrolees_with_what_is_entered(app, unit, klass):
    response = unit.get(f"{RESULTS}/import/template/?id={klass.id}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data))["学员成绩"]
    rows = [tuple("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == tuple(HEADERS)
    ids = enrolees(app, klass.id)
    assert {(r[0], r[1]) for r in rows[1:] if r[0]} == {(number, name) for name, number in ids.items()}
    assert (ids["陈诗慧"], "陈诗慧", "88.5", "合格") in rows


def test_import_updates_the_valid_rows_and_a_second_import_changes_nothing(app, unit, klass):
    ids = enrolees(app, klass.id)
    liu = one(app, Person, name="刘文斌")
    good = [
        (ids["孙立新"], "孙立新", "61", "合格"), (ids["周慧芳"], "周慧芳", "", "不合格"),
        (ids["陈诗慧"], "陈诗慧", "88.5", "合格"),  # as stored: skipped
    ]
    bad = [
        (ids["钱雅琴"], "钱小琴", "70", "合格"),  # 姓名 differs
        (ids["赵明远"], "赵明远", "101", "合格"),  # out of range
        (liu.id_number, "刘文斌", "80", "合格"),  # a real person, not an enrolee of this class
        (ids["赵明远"][:17] + "0", "赵明远", "80", "良好"),  # bad ID, bad result
    ]
    page = upload(unit, klass.id, xlsx(good + bad), "成绩.xlsx").get_data(as_text=True)
    assert "将更新 2 名学员的成绩，无变化将跳过 1 行，有误 4 行" in page
    for reason in ("姓名与该公民身份号码的学员（钱雅琴）不一致", "成绩应为0至100之间的数字，最多一位小数",
                   "不是本培训班报名成功的学员", "考核结果“良好”不在可选值中"):
        assert reason in page, reason
    token = token_of(page)

    failed = unit.get(f"{RESULTS}/import/failed/?id={klass.id}&token={token}")
    sheet = load_workbook(io.BytesIO(failed.data)).active
    lines = [tuple("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True)]
    assert lines[0] == (*HEADERS, "失败原因") and len(lines) == 5
    assert lines[1][:4] == bad[0] and lines[1][4].startswith("第5行：")

    before = stored(app, klass.id)
    result = run(unit, klass.id, token).get_data(as_text=True)
    assert "导入完成：更新 2 名学员的成绩" in result
    now = stored(app, klass.id)
    assert now["孙立新"] == (Decimal("61.0"), "pass") and now["周慧芳"] == (None, "fail")
    assert {k: v for k, v in now.items() if k not in ("孙立新", "周慧芳")} == \
        {k: v for k, v in before.items() if k not in ("孙立新", "周慧芳")}
    with app.app_context():
        assert db.session.scalar(select(AuditLog.summary).where(AuditLog.action == "results")) == f"批量导入成绩：{UNIT_CLASS}，2人"

    # the same file again (as CSV this time): nothing to update, nothing duplicated
    page = upload(unit, klass.id, csv_bytes(good), "成绩.csv").get_data(as_text=True)
    assert "将更新 0 名学员的成绩，无变化将跳过 3 行，有误 0 行" in page
    # a corrected file updates the same enrolees
    page = upload(unit, klass.id, csv_bytes([(ids["孙立新"], "孙立新", "62.5", "合格")]), "改正.csv").get_data(as_text=True)
    run(unit, klass.id, token_of(page))
    assert stored(app, klass.id)["孙立新"] == (Decimal("62.5"), "pass")
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Enrolment).where(Enrolment.class_id == klass.id)) == 5


def test_bad_files_and_stopped_classes_are_refused(app, unit, klass):
    page = upload(unit, klass.id, b"%PDF-1.4 not a sheet", "成绩.csv").get_data(as_text=True)
    assert "仅支持导入 Excel（.xlsx）或 CSV（.csv）文件" in page
    page = upload(unit, klass.id, csv_bytes([], headers=["姓名", "成绩"]), "成绩.csv").get_data(as_text=True)
    assert "文件缺少以下列：公民身份号码" in page
    ids = enrolees(app, klass.id)
    page = upload(unit, klass.id, csv_bytes([(ids["孙立新"], "孙立新", "70", "合格")]), "成绩.csv").get_data(as_text=True)
    token = token_of(page)
    with app.app_context():
        db.session.get(TrainingClass, klass.id).status = "cancelled"
        db.session.commit()
    result = run(unit, klass.id, token).get_data(as_text=True)
    assert "未导入任何数据：培训班当前状态为“取消”" in result
    assert stored(app, klass.id)["孙立新"] == (None, None)
    page = unit.get(f"{RESULTS}/import/?id={klass.id}").get_data(as_text=True)
    assert "只有开班或接受报名的培训班才能导入成绩" in page and 'id="upload-form"' not in page
    page = upload(unit, klass.id, csv_bytes([(ids["孙立新"], "孙立新", "70", "合格")]), "成绩.csv").get_data(as_text=True)
    assert "只有开班或接受报名的培训班才能导入成绩" in page


def test_an_import_token_opens_only_on_its_own_class(app, login_as):
    inst = login_as("inst_a")
    first = one(app, TrainingClass, name=UNIT_CLASS.replace("课程思政校内培训第1期", "高校教师教学能力提升研修班第3期"))
    second = one(app, TrainingClass, name=first.name.replace("第3期", "第2期"))
    ids = enrolees(app, first.id)
    page = upload(inst, first.id, csv_bytes([(ids["冯国栋"], "冯国栋", "90", "合格")]), "成绩.csv").get_data(as_text=True)
    token = token_of(page)
    assert inst.get(f"{RESULTS}/import/check/?id={first.id}&token={token}").status_code == 200
    assert inst.get(f"{RESULTS}/import/check/?id={second.id}&token={token}").status_code == 404
    assert run(inst, second.id, token).status_code == 404
    assert inst.get(f"{RESULTS}/import/failed/?id={second.id}&token={token}").status_code == 404
