"""Issue 10 as one story: a catalogue is published, a city-level institution is qualified for it by the
city industry department, files a plan with a class, has it returned, fixes and resubmits it, gets it
approved; people apply and are confirmed, the class opens, they check in by the QR link (once; a second
scan changes nothing; someone not enrolled is refused), their results are imported, and 结业 gives
each 合格 person a 继续教育记录 waiting for their unit's 认定."""
import io
import re
from datetime import date, datetime, time
from decimal import Decimal
from html import unescape

from openpyxl import Workbook
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Attendance, Catalogue, Course, Enrolment, Person, Qualification, Record, TrainingClass
from backoffice.workflows import attendance

from pages import flashes
from training_helpers import (
    APPLY,
    CATALOGUES,
    QUAL_APPLY,
    QUAL_REVIEW,
    YEAR,
    add_class,
    add_teacher,
    class_status,
    create_plan,
    decide,
    id_from,
    make_org,
    move,
    one,
    org_id,
    plan_form,
    plan_status,
    submit,
)

INSTITUTION = "广州越秀职业培训学院"


def test_catalogue_to_records(app, login_as, monkeypatch):
    # 专业课目录指南发布: next year's catalogue of 广东省教育厅
    gd_edu = login_as("gd_edu")
    catalogue = id_from(gd_edu.post(
        f"{CATALOGUES}/new/", {"year": str(YEAR + 1), "declared_on": f"{YEAR}-12-01"}, token_page=f"{CATALOGUES}/"
    ))
    assert gd_edu.post(
        f"{CATALOGUES}/course/?id={catalogue}", {"name": "高校教师科研能力提升", "content": "科研选题与项目申报"},
        token_page=f"{CATALOGUES}/details/?id={catalogue}",
    ).status_code == 302
    gd_edu.post(f"{CATALOGUES}/publish/?id={catalogue}", {}, token_page=f"{CATALOGUES}/details/?id={catalogue}")
    assert one(app, Catalogue, id=catalogue).status == "published"
    course = one(app, Course, name="高校教师科研能力提升")

    # 施教机构专业培训资格: a city-level institution, reviewed by 广州市教育局
    make_org(app, "inst_yx", INSTITUTION, "institution", "city", "440104", 7001)
    inst = login_as("inst_yx")
    series = one(app, Catalogue, id=catalogue).series_id
    assert inst.post(f"{QUAL_APPLY}/new/", {"series_ids": [str(series)]}, token_page=f"{QUAL_APPLY}/").status_code == 302
    qualification = one(app, Qualification, institution_id=org_id(app, INSTITUTION)).id
    inst.post(f"{QUAL_APPLY}/submit/?id={qualification}", {}, token_page=f"{QUAL_APPLY}/")
    assert one(app, Qualification, id=qualification).status == "pending"
    gz_edu = login_as("gz_edu")
    assert decide(gz_edu, qualification, "approve", "同意", view=QUAL_REVIEW).status_code == 302
    assert one(app, Qualification, id=qualification).status == "approved"

    # 专业课计划申报 with a class, 送审 to 广州市教育局 (nearest department of the series up from 越秀区)
    teacher = add_teacher(app, INSTITUTION, "越秀讲师", 521)
    plan = id_from(create_plan(inst, APPLY, course.id, year=str(YEAR + 1), start_on=f"{YEAR + 1}-03-01",
                               end_on=f"{YEAR + 1}-06-30"))
    assert add_class(inst, APPLY, plan, teacher, [teacher], planned_open_on=f"{YEAR + 1}-04-01",
                     study_start_on=f"{YEAR + 1}-04-01", study_end_on=f"{YEAR + 1}-04-02").status_code == 302
    assert submit(inst, APPLY, plan).status_code == 302
    assert plan_status(app, plan) == "pending"

    # 不同意并退案 → fixed → resubmitted → 同意
    assert decide(gz_edu, plan, "return", "培训天数与课程安排不符").status_code == 302
    assert plan_status(app, plan) == "returned"
    fixed = inst.post(f"{APPLY}/edit/?id={plan}", plan_form(
        course.id, year=str(YEAR + 1), start_on=f"{YEAR + 1}-03-01", end_on=f"{YEAR + 1}-06-30", days="2",
        hours="12", sessions="1",
    ), token_page=f"{APPLY}/")
    assert fixed.status_code == 302
    assert submit(inst, APPLY, plan).status_code == 302
    assert decide(gz_edu, plan, "approve", "同意").status_code == 302
    assert plan_status(app, plan) == "approved"

    # 培训班设置: 接受报名; 陈诗慧 and 刘文斌 apply, the institution confirms them; 开班
    training_class = one(app, TrainingClass, plan_id=plan).id
    assert "接受报名成功1条" in flashes(move(inst, [training_class], "enrol", "开始报名").get_data(as_text=True))
    people = {"p_chen": "陈诗慧", "p_liu": "刘文斌"}
    for login in people:
        page = f"/admin/class_apply/details/?id={training_class}"
        assert login_as(login).post(f"/admin/class_apply/apply/?id={training_class}", {}, token_page=page).status_code == 302
    for name in people.values():
        enrolment = _enrolment(app, training_class, name)
        assert enrolment.status == "applied"
        page = f"/admin/enrol_confirm/details/?id={enrolment.id}"
        inst.post(f"/admin/enrol_confirm/decide/?id={enrolment.id}", {"accept": "1"}, token_page=page)
        assert _enrolment(app, training_class, name).status == "enrolled"
    assert one(app, TrainingClass, id=training_class).enrolled_count == 2
    assert "开班成功1条" in flashes(move(inst, [training_class], "open").get_data(as_text=True))

    # 考勤: a session on the first day; 陈诗慧 scans its QR link (twice), 王新 (not enrolled) is refused
    day = date(YEAR + 1, 4, 1)
    url = f"/admin/class_attendance/sessions/?id={training_class}"
    created = inst.post(url, {"on_date": str(day), "starts_at": "09:00", "ends_at": "12:00"}, token_page=url)
    session = int(re.search(r"/session/\?id=(\d+)", created.headers["Location"]).group(1))
    html = inst.get(f"/admin/class_attendance/session/?id={session}").get_data(as_text=True)
    link = unescape(re.search(r'<a href="([^"]+)" id="checkin-link"', html).group(1)).removeprefix("http://localhost")
    monkeypatch.setattr(attendance, "beijing_now", lambda: datetime.combine(day, time(8, 55)))
    chen = login_as("p_chen")
    assert "签到成功" in flashes(chen.get(link).get_data(as_text=True))
    assert "已签到" in flashes(chen.get(link).get_data(as_text=True))
    assert login_as("p_new").get(link).status_code == 403
    with app.app_context():
        marks = db.session.execute(select(Attendance.mark, Attendance.by_scan).where(Attendance.session_id == session)).all()
    assert marks == [("present", True)]

    # 成绩: imported from a sheet — 陈诗慧 合格, 刘文斌 不合格
    ids = {name: one(app, Person, name=name).id_number for name in people.values()}
    book = Workbook()
    sheet = book.active
    sheet.title = "学员成绩"
    sheet.append(["公民身份号码", "姓名", "成绩", "考核结果"])
    sheet.append([ids["陈诗慧"], "陈诗慧", "90", "合格"])
    sheet.append([ids["刘文斌"], "刘文斌", "52", "不合格"])
    for row in sheet.iter_rows(min_row=2):
        row[0].data_type = "s"
    content = io.BytesIO()
    book.save(content)
    results = "/admin/class_results"
    checked = inst.post(f"{results}/import/upload/?id={training_class}",
                        {"file": (io.BytesIO(content.getvalue()), "成绩.xlsx")},
                        token_page=f"{results}/import/?id={training_class}", content_type="multipart/form-data")
    check_page = checked.get_data(as_text=True)  # the validation page: two valid rows
    token = unescape(re.search(r'<input[^>]*name="token"[^>]*value="([^"]+)"', check_page).group(1))
    inst.post(f"{results}/import/run/?id={training_class}", {"token": token}, token_page=f"{results}/import/?id={training_class}")
    assert (_enrolment(app, training_class, "陈诗慧").result, _enrolment(app, training_class, "刘文斌").result) == (
        "pass", "fail")

    # 结业: one record, for 陈诗慧, with the plan's 12 hours, waiting for 广州示范大学's 认定
    page = move(inst, [training_class], "finish", "考核完成").get_data(as_text=True)
    assert "结业成功1条，生成继续教育记录1条" in flashes(page)
    assert class_status(app, training_class) == "finished"
    with app.app_context():
        records = db.session.execute(
            select(Person.name, Record.declared_hours, Record.status, Record.reviewer_org_id, Record.source)
            .join(Person, Person.id == Record.person_id)
            .where(Record.enrolment_id.in_(select(Enrolment.id).where(Enrolment.class_id == training_class)))
        ).all()
    assert records == [("陈诗慧", Decimal("12.0"), "pending", org_id(app, "广州示范大学"), "class")]


def _enrolment(app, class_id: int, name: str) -> Enrolment:
    with app.app_context():
        row = db.session.scalar(
            select(Enrolment).join(Person, Person.id == Enrolment.person_id)
            .where(Enrolment.class_id == class_id, Person.name == name)
        )
        db.session.expunge(row)
        return row
