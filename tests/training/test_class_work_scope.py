"""培训班考勤设置 and 学员成绩管理 belong to the class's owner: every route that takes an id answers 404 to
another organisation — another institution or unit, the industry department that reviewed the plan, the
owner acting for its other organisation — and 403 to those whose menu lacks the screen. Nothing changes."""
import io

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import Attendance, AttendanceSession, Enrolment, Plan, TrainingClass

from training_helpers import ATTENDANCE, INST_CLASS, RESULTS, UNIT_A, UNIT_CLASS, YEAR, one


def routes(class_id: int, session_id: int, token: str = "x"):
    """(method, url, data) of every page and action of the two screens that takes an id."""
    upload = {"file": (io.BytesIO(b"\xef\xbb\xbf\xe5\x85\xac,\n"), "成绩.csv")}
    return [
        ("GET", f"{ATTENDANCE}/sessions/?id={class_id}", None),
        ("POST", f"{ATTENDANCE}/sessions/?id={class_id}", {"on_date": f"{YEAR}-03-31", "starts_at": "19:00", "ends_at": "20:00"}),
        ("GET", f"{ATTENDANCE}/session/?id={session_id}", None),
        ("POST", f"{ATTENDANCE}/session/?id={session_id}", {}),
        ("POST", f"{ATTENDANCE}/session/present/?id={session_id}", {}),
        ("POST", f"{ATTENDANCE}/session/delete/?id={session_id}", {}),
        ("GET", f"{ATTENDANCE}/summary/?id={class_id}", None),
        ("GET", f"{RESULTS}/grid/?id={class_id}", None),
        ("POST", f"{RESULTS}/grid/?id={class_id}", {}),
        ("GET", f"{RESULTS}/import/?id={class_id}", None),
        ("GET", f"{RESULTS}/import/template/?id={class_id}", None),
        ("POST", f"{RESULTS}/import/upload/?id={class_id}", upload),
        ("GET", f"{RESULTS}/import/check/?id={class_id}&token={token}", None),
        ("POST", f"{RESULTS}/import/run/?id={class_id}", {"token": token}),
        ("GET", f"{RESULTS}/import/failed/?id={class_id}&token={token}", None),
    ]


def send(client, method, url, data):
    if method == "GET":
        return client.get(url)
    kwargs = {"content_type": "multipart/form-data"} if data and "file" in data else {}
    return client.post(url, dict(data or {}), **kwargs)


def state(app) -> tuple:
    """Everything the routes could change."""
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(AttendanceSession)),
            tuple(db.session.execute(select(Attendance.id, Attendance.mark).order_by(Attendance.id)).all()),
            tuple(db.session.execute(select(Enrolment.id, Enrolment.score, Enrolment.result).order_by(Enrolment.id)).all()),
        )


def first_session(app, class_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.min(AttendanceSession.id)).where(AttendanceSession.class_id == class_id))


@pytest.mark.parametrize("login,org,target", [
    ("inst_a", None, UNIT_CLASS),  # another organisation
    ("gz_edu", None, UNIT_CLASS),  # the department that reviewed the plan: it may query the class, not run it
    ("unit_c", None, UNIT_CLASS),  # another unit of the same city
    ("unit_a", UNIT_A, INST_CLASS),  # the other way round
])
def test_another_organisation_gets_404_on_every_route(app, login_as, login, org, target):
    training_class = one(app, TrainingClass, name=target)
    session = first_session(app, training_class.id)
    client = login_as(login, org)
    before = state(app)
    for method, url, data in routes(training_class.id, session):
        response = send(client, method, url, data)
        assert response.status_code == 404, (login, method, url, response.status_code)
    assert state(app) == before


def test_malformed_or_unknown_ids_are_not_found(app, login_as):
    unit = login_as("unit_a", UNIT_A)
    draft_class = one(app, TrainingClass, plan_id=one(app, Plan, name=f"{YEAR}年青年教师教学能力提升培训").id)
    for bad in ("abc", "1,2", "99999999999", "", "²", "-1"):
        for method, url, data in routes(bad, bad):
            if method == "GET":
                assert unit.get(url).status_code == 404, (url, bad)
    # its own class of a plan not yet approved is not run yet
    for method, url, data in routes(draft_class.id, 0):
        if method == "GET" and "/session/" not in url:
            assert unit.get(url).status_code == 404, url


@pytest.mark.parametrize("login", ["gd_hr", "p_chen", "helpdesk"])
def test_who_lacks_the_screens_gets_403(app, login_as, login):
    training_class = one(app, TrainingClass, name=UNIT_CLASS)
    client = login_as(login)
    for method, url, data in routes(training_class.id, first_session(app, training_class.id)):
        assert send(client, method, url, data).status_code == 403, (login, url)
    for url in (f"{ATTENDANCE}/", f"{RESULTS}/"):
        assert client.get(url).status_code == 403


def test_the_owner_reaches_every_route(app, login_as):
    training_class = one(app, TrainingClass, name=UNIT_CLASS)
    unit = login_as("unit_a", UNIT_A)
    for method, url, data in routes(training_class.id, first_session(app, training_class.id)):
        if method == "GET" and "token=" not in url:
            assert unit.get(url).status_code == 200, url
