"""扫码签到: the signed link of a session's QR code marks an enrolled person 出勤 once, inside the session's
window (start − 15 min … end, Beijing time); everyone else gets a Chinese refusal with its exact status."""
import re
from datetime import date, datetime, time
from html import unescape

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import Attendance, AttendanceSession, AuditLog, Enrolment, TrainingClass
from backoffice.workflows import attendance

from pages import flashes
from training_helpers import ATTENDANCE, UNIT_A, UNIT_CLASS, YEAR, enrolment_of, one

DAY1 = date(YEAR, 3, 31)


@pytest.fixture
def clock(monkeypatch):
    """`clock(14, 5)`: Beijing wall-clock time on the class's first day, as the scan sees it."""

    def set_to(hour, minute):
        monkeypatch.setattr(attendance, "beijing_now", lambda: datetime.combine(DAY1, time(hour, minute)))

    return set_to


@pytest.fixture
def owner(login_as):
    return login_as("unit_a", UNIT_A)


def _class(app):
    return one(app, TrainingClass, name=UNIT_CLASS)


def new_session(owner, app, starts="14:00", ends="16:00") -> int:
    class_id = _class(app).id
    url = f"{ATTENDANCE}/sessions/?id={class_id}"
    response = owner.post(url, {"on_date": str(DAY1), "starts_at": starts, "ends_at": ends}, token_page=url)
    return int(re.search(r"/session/\?id=(\d+)", response.headers["Location"]).group(1))


def link_of(owner, session_id) -> str:
    """The check-in link the session's page draws as its QR code (path and query only)."""
    html = owner.get(f"{ATTENDANCE}/session/?id={session_id}").get_data(as_text=True)
    href = unescape(re.search(r'<a href="([^"]+)" id="checkin-link"', html).group(1))
    assert href.startswith("http://localhost/checkin/")
    return href.removeprefix("http://localhost")


def mark_of(app, session_id, name):
    with app.app_context():
        enrolment = enrolment_of(app, _class(app).id, name)
        row = db.session.scalar(select(Attendance).where(Attendance.session_id == session_id,
                                                         Attendance.enrolment_id == enrolment.id))
        return None if row is None else (row.mark, row.by_scan, row.checked_in_at)


def result(response) -> str:
    return flashes(response.get_data(as_text=True))


def test_an_enrolee_checks_in_once_inside_the_window(app, owner, login_as, clock):
    session = new_session(owner, app)
    link = link_of(owner, session)
    chen = login_as("p_chen")
    clock(13, 45)  # 15 minutes before the start: open
    response = chen.get(link)
    assert response.status_code == 200 and "签到成功：已登记为出勤" in result(response)
    mark, by_scan, at = mark_of(app, session, "陈诗慧")
    assert (mark, by_scan) == ("present", True) and at is not None
    with app.app_context():
        audited = db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "check_in"))
    assert audited == 1

    # a second scan changes nothing and says so
    clock(15, 59)
    again = chen.get(link)
    assert again.status_code == 200 and "已签到：您已于" in result(again) and "无需重复签到" in result(again)
    assert mark_of(app, session, "陈诗慧") == (mark, by_scan, at)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "check_in")) == 1

    # the owner sees who checked in, and can still correct the mark; the check-in time stays
    page = owner.get(f"{ATTENDANCE}/session/?id={session}").get_data(as_text=True)
    row = re.search(r'<tr data-enrolment="\d+">\s*<td>\d+</td><td>陈诗慧</td>.*?</tr>', page, re.S).group(0)
    assert f"<td>{DAY1} 13:45:00</td>" in row and re.search(r"<td>是</td>\s*</tr>$", row)
    chen_id = enrolment_of(app, _class(app).id, "陈诗慧").id
    owner.post(f"{ATTENDANCE}/session/?id={session}", {f"m{chen_id}": "late"}, token_page=f"{ATTENDANCE}/session/?id={session}")
    assert mark_of(app, session, "陈诗慧") == ("late", False, at)


def test_a_scan_turns_an_entered_mark_into_a_check_in(app, owner, login_as, monkeypatch):
    # the demo's second day, 09:00–12:00: 陈诗慧 marked 出勤 by the owner, not scanned
    session = one(app, AttendanceSession, class_id=_class(app).id, on_date=date(YEAR, 4, 1))
    assert mark_of(app, session.id, "陈诗慧")[1:] == (False, None)
    link = link_of(owner, session.id)
    monkeypatch.setattr(attendance, "beijing_now", lambda: datetime.combine(session.on_date, time(8, 59)))
    response = login_as("p_chen").get(link)
    assert response.status_code == 200 and "签到成功" in result(response)
    mark, by_scan, at = mark_of(app, session.id, "陈诗慧")
    assert (mark, by_scan) == ("present", True) and at is not None


@pytest.mark.parametrize("hour,minute,words", [
    (13, 44, "签到尚未开始：本场签到时间为"), (16, 1, "本场签到已结束"),
])
def test_outside_the_window_the_link_is_refused(app, owner, login_as, clock, hour, minute, words):
    session = new_session(owner, app)
    link = link_of(owner, session)
    clock(hour, minute)
    response = login_as("p_chen").get(link)
    assert response.status_code == 403 and words in result(response)
    assert f"{DAY1} 13:45 至 16:00" in result(response)
    assert mark_of(app, session, "陈诗慧") is None


def test_who_is_not_an_enrolee_is_refused(app, owner, login_as, clock):
    session = new_session(owner, app)
    link = link_of(owner, session)
    clock(14, 0)
    # another person, not enrolled in the class
    response = login_as("p_liu").get(link)
    assert response.status_code == 403 and "您不是该培训班报名成功的学员，不能签到" in result(response)
    # an organisation's account, even the owner's
    response = owner.get(link)
    assert response.status_code == 403 and "扫码签到须以专业技术人员个人身份登录" in result(response)
    response = login_as("admin").get(link)
    assert response.status_code == 403
    # an enrolment still waiting for confirmation is not 报名成功
    with app.app_context():
        enrolment = db.session.get(Enrolment, enrolment_of(app, _class(app).id, "陈诗慧").id)
        enrolment.status = "applied"
        db.session.commit()
    response = login_as("p_chen").get(link)
    assert response.status_code == 403 and "您不是该培训班报名成功的学员" in result(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attendance).where(Attendance.session_id == session)) == 0


def test_a_class_that_no_longer_runs_takes_no_check_in(app, owner, login_as, clock):
    session = new_session(owner, app)
    link = link_of(owner, session)
    with app.app_context():
        db.session.get(TrainingClass, _class(app).id).status = "cancelled"
        db.session.commit()
    clock(14, 0)
    response = login_as("p_chen").get(link)
    assert response.status_code == 403 and "培训班当前状态为“取消”，不能签到" in result(response)


def test_forged_cut_or_foreign_links_are_bad_requests(app, owner, login_as, clock):
    session = new_session(owner, app)
    link = link_of(owner, session)
    chen = login_as("p_chen")
    clock(14, 0)
    token = link.removeprefix("/checkin/")
    with app.app_context():
        other_salt = URLSafeSerializer(app.config["SECRET_KEY"], salt="imports.person_import").dumps({"s": session})
        other_key = URLSafeSerializer("not-our-secret", salt=attendance.TOKEN_SALT).dumps({"s": session})
        not_an_id = URLSafeSerializer(app.config["SECRET_KEY"], salt=attendance.TOKEN_SALT).dumps({"s": "1"})
    for forged in (token[:-2], token + "x", other_salt, other_key, not_an_id, "abc"):
        response = chen.get(f"/checkin/{forged}")
        assert response.status_code == 400, forged
        assert "签到二维码无效" in result(response)
    assert mark_of(app, session, "陈诗慧") is None
    # a genuine link of a session deleted since
    owner.post(f"{ATTENDANCE}/session/delete/?id={session}", {}, token_page=f"{ATTENDANCE}/session/?id={session}")
    response = chen.get(link)
    assert response.status_code == 404 and "该考勤场次不存在或已被删除" in result(response)


def test_signing_in_first_comes_back_to_the_link(app, owner, client, clock):
    session = new_session(owner, app)
    link = link_of(owner, session)
    response = client.get(link)
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    assert "checkin" in response.headers["Location"]
