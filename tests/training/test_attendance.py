"""培训班考勤设置 (000 §1.4.2): 录入考勤, the marks grid, 设置普通考勤 and 考勤查看, by the class owner over HTTP."""
import re
from datetime import date

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Attendance, AttendanceSession, AuditLog, TrainingClass

from pages import field_errors, flashes
from training_helpers import ATTENDANCE, UNIT_A, UNIT_CLASS, YEAR, enrolment_of, one

DAY1, DAY2 = date(YEAR, 3, 31), date(YEAR, 4, 1)  # the demo class's 学习开始 / 结束时间


def _class(app):
    return one(app, TrainingClass, name=UNIT_CLASS)


def _sessions(app, class_id):
    with app.app_context():
        return db.session.execute(
            select(AttendanceSession.on_date, AttendanceSession.starts_at, AttendanceSession.ends_at)
            .where(AttendanceSession.class_id == class_id).order_by(AttendanceSession.on_date, AttendanceSession.starts_at)
        ).all()


def _marks(app, session_id) -> dict:
    """person name → (mark, by_scan, checked in?) of a session."""
    with app.app_context():
        rows = db.session.scalars(select(Attendance).where(Attendance.session_id == session_id)).all()
        return {r.enrolment.person.name: (r.mark, r.by_scan, r.checked_in_at is not None) for r in rows}


def add_session(client, class_id, on_date, starts, ends, follow=False):
    url = f"{ATTENDANCE}/sessions/?id={class_id}"
    return client.post(url, {"on_date": on_date, "starts_at": starts, "ends_at": ends}, token_page=url,
                       follow_redirects=follow)


def session_id_from(response) -> int:
    match = re.search(r"/session/\?id=(\d+)", response.headers.get("Location", ""))
    assert match, (response.status_code, response.headers.get("Location"), flashes(response.get_data(as_text=True)))
    return int(match.group(1))


def grid(client, session_id) -> dict:
    """The marks grid as shown: field name → selected value."""
    html = client.get(f"{ATTENDANCE}/session/?id={session_id}").get_data(as_text=True)
    selects = re.findall(r'<select[^>]*name="(m\d+)"[^>]*>(.*?)</select>', html, re.S)
    return {name: (re.search(r'<option selected value="([^"]*)"', body) or re.search(r'value="([^"]*)" selected', body) or [None, ""])[1]
            for name, body in selects}


def save_grid(client, session_id, values: dict, follow=True):
    url = f"{ATTENDANCE}/session/?id={session_id}"
    return client.post(url, values, token_page=url, follow_redirects=follow)


def test_the_list_holds_the_classes_the_organisation_runs(app, login_as):
    unit = login_as("unit_a", UNIT_A)
    page = unit.get(f"{ATTENDANCE}/").get_data(as_text=True)
    assert UNIT_CLASS in page and "[录入考勤]" in page and "[考勤查看]" in page
    assert "研修班第3期" not in page  # inst_a's
    assert "青年教师教学能力提升培训第1期" not in page  # a class of a draft plan


def test_a_session_lies_inside_the_class_dates_and_ends_after_it_starts(app, login_as):
    unit = login_as("unit_a", UNIT_A)
    training_class = _class(app)
    before = _sessions(app, training_class.id)
    assert len(before) == 2  # the demo's

    page = add_session(unit, training_class.id, f"{YEAR}-05-01", "09:00", "12:00", follow=True).get_data(as_text=True)
    assert f"考勤日期须在培训班学习时间内（{DAY1} 至 {DAY2}）" in field_errors(page) + flashes(page)
    page = add_session(unit, training_class.id, str(DAY1), "14:00", "14:00", follow=True).get_data(as_text=True)
    assert "结束时间须晚于开始时间" in flashes(page)
    page = add_session(unit, training_class.id, str(DAY1), "25:00", "", follow=True).get_data(as_text=True)
    assert "请填写结束时间" in field_errors(page)
    page = add_session(unit, training_class.id, str(DAY1), "09:00", "10:00", follow=True).get_data(as_text=True)
    assert f"{DAY1} 09:00 开始的考勤已录入" in flashes(page)
    assert _sessions(app, training_class.id) == before

    response = add_session(unit, training_class.id, str(DAY1), "14:00", "16:30")
    assert response.status_code == 302
    new = session_id_from(response)
    assert len(_sessions(app, training_class.id)) == 3
    page = unit.get(response.headers["Location"]).get_data(as_text=True)
    assert "考勤已录入" in flashes(page) and 'id="checkin-qr"' in page and "<svg" in page
    with app.app_context():
        assert db.session.scalar(select(AuditLog.id).where(AuditLog.object_type == "attendance_session",
                                                           AuditLog.object_id == str(new), AuditLog.action == "attendance"))


def test_the_grid_saves_one_mark_per_enrolee(app, login_as):
    unit = login_as("unit_a", UNIT_A)
    training_class = _class(app)
    session = one(app, AttendanceSession, class_id=training_class.id, on_date=DAY1)
    shown = grid(unit, session.id)
    assert len(shown) == 5  # every 报名成功 enrolee, one select each
    sun, qian = (enrolment_of(app, training_class.id, n) for n in ("孙立新", "钱雅琴"))
    assert shown[f"m{sun.id}"] == "absent" and shown[f"m{qian.id}"] == "leave"

    changed = {**shown, f"m{sun.id}": "late", f"m{qian.id}": ""}
    page = save_grid(unit, session.id, changed).get_data(as_text=True)
    assert "考勤已保存，2人的考勤有变化" in flashes(page)
    marks = _marks(app, session.id)
    assert marks["孙立新"] == ("late", False, False) and "钱雅琴" not in marks
    assert marks["陈诗慧"] == ("present", True, True)  # untouched: the demo's scan

    # a value outside the four marks is refused next to the field and nothing changes
    page = save_grid(unit, session.id, {**changed, f"m{sun.id}": "sleeping"}).get_data(as_text=True)
    assert field_errors(page) and _marks(app, session.id)["孙立新"][0] == "late"


def test_ordinary_attendance_marks_everyone_without_a_mark_present(app, login_as):
    unit = login_as("unit_a", UNIT_A)
    training_class = _class(app)
    new = session_id_from(add_session(unit, training_class.id, str(DAY2), "14:00", "17:00"))
    zhou = enrolment_of(app, training_class.id, "周慧芳")
    save_grid(unit, new, {f"m{zhou.id}": "leave"})
    url = f"{ATTENDANCE}/session/present/?id={new}"
    page = unit.post(url, {}, token_page=f"{ATTENDANCE}/session/?id={new}", follow_redirects=True).get_data(as_text=True)
    assert "设置普通考勤：4名未登记的学员已设为出勤" in flashes(page)
    marks = _marks(app, new)
    assert len(marks) == 5 and marks["周慧芳"][0] == "leave"
    assert {m for name, (m, *_) in marks.items() if name != "周慧芳"} == {"present"}
    page = unit.post(url, {}, token_page=f"{ATTENDANCE}/session/?id={new}", follow_redirects=True).get_data(as_text=True)
    assert "所有学员都已登记考勤" in flashes(page)


def test_the_rates_count_present_and_late_over_every_session(app, login_as):
    unit = login_as("unit_a", UNIT_A)
    training_class = _class(app)

    def rates():
        html = unit.get(f"{ATTENDANCE}/summary/?id={training_class.id}").get_data(as_text=True)
        rows = re.findall(r'<tr data-enrolment="\d+">(.*?)</tr>', html, re.S)
        cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
        # 姓名 → (出勤, 缺勤, 迟到, 请假, 未登记, 出勤率)
        return {c[1]: tuple(c[3:]) for c in cells}

    # the demo: (出勤, 出勤) (出勤, 迟到) (请假, 出勤) (缺勤, 出勤) (出勤, 出勤)
    assert rates() == {
        "陈诗慧": ("2", "0", "0", "0", "0", "100.0%"), "赵明远": ("1", "0", "1", "0", "0", "100.0%"),
        "钱雅琴": ("1", "0", "0", "1", "0", "50.0%"), "孙立新": ("1", "1", "0", "0", "0", "50.0%"),
        "周慧芳": ("2", "0", "0", "0", "0", "100.0%"),
    }
    # a third session, marked only for 陈诗慧: the others have one session 未登记
    new = session_id_from(add_session(unit, training_class.id, str(DAY2), "14:00", "17:00"))
    chen = enrolment_of(app, training_class.id, "陈诗慧")
    save_grid(unit, new, {f"m{chen.id}": "present"})
    now = rates()
    assert now["陈诗慧"] == ("3", "0", "0", "0", "0", "100.0%")
    assert now["赵明远"] == ("1", "0", "1", "0", "1", "66.7%")
    assert now["孙立新"] == ("1", "1", "0", "0", "1", "33.3%")


def test_attendance_changes_only_while_the_class_runs(app, login_as):
    unit = login_as("unit_a", UNIT_A)
    training_class = _class(app)
    session = one(app, AttendanceSession, class_id=training_class.id, on_date=DAY1)
    with app.app_context():
        db.session.get(TrainingClass, training_class.id).status = "finished"
        db.session.commit()
    page = unit.get(f"{ATTENDANCE}/sessions/?id={training_class.id}").get_data(as_text=True)
    assert "只有开班或接受报名的培训班才能录入考勤" in page and 'id="session-form"' not in page
    page = add_session(unit, training_class.id, str(DAY1), "14:00", "16:00", follow=True).get_data(as_text=True)
    assert "培训班当前状态为“结业”，只有开班或接受报名的培训班才能录入" in flashes(page)
    sun = enrolment_of(app, training_class.id, "孙立新")
    page = save_grid(unit, session.id, {f"m{sun.id}": "present"}).get_data(as_text=True)
    assert "只有开班或接受报名的培训班才能录入" in flashes(page)
    assert _marks(app, session.id)["孙立新"][0] == "absent"
    assert len(_sessions(app, training_class.id)) == 2


def test_a_session_entered_by_mistake_is_deleted_with_its_marks(app, login_as):
    unit = login_as("unit_a", UNIT_A)
    training_class = _class(app)
    new = session_id_from(add_session(unit, training_class.id, str(DAY2), "18:00", "19:00"))
    unit.post(f"{ATTENDANCE}/session/present/?id={new}", {}, token_page=f"{ATTENDANCE}/session/?id={new}")
    response = unit.post(f"{ATTENDANCE}/session/delete/?id={new}", {}, token_page=f"{ATTENDANCE}/session/?id={new}")
    assert response.status_code == 302 and f"/sessions/?id={training_class.id}" in response.headers["Location"]
    assert one(app, AttendanceSession, id=new) is None and _marks(app, new) == {}
    assert unit.get(f"{ATTENDANCE}/session/?id={new}").status_code == 404
