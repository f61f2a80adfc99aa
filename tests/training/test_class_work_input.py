"""Odd input on the owner's forms (录入考勤, 考勤登记, 成绩录入) is a message, never a 500, and changes nothing."""
import re

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Attendance, AttendanceSession, Enrolment, TrainingClass

from training_helpers import ATTENDANCE, RESULTS, UNIT_A, UNIT_CLASS, one

ODD = ["\x01", "a\x1bb", "第一行\n第二行", "x" * 3000, "-1", "99999999999999999999", "²", "😀", "", " ", "1e999",
       "NaN", "-0", "0x10", "12:00:00:00", "9999-99-99", "0001-01-01"]


def _state(app):
    with app.app_context():
        return (
            tuple(db.session.execute(select(AttendanceSession.id, AttendanceSession.on_date, AttendanceSession.starts_at)).all()),
            tuple(db.session.execute(select(Attendance.id, Attendance.mark)).all()),
            tuple(db.session.execute(select(Enrolment.id, Enrolment.score, Enrolment.result)).all()),
        )


def _fields(html, form_id):
    form = html.split(f'id="{form_id}"', 1)[1].split("</form>", 1)[0]
    return [n for n in dict.fromkeys(re.findall(r'name="([^"]+)"', form)) if n != "csrf_token"]


@pytest.mark.parametrize("page,form_id", [("sessions", "session-form"), ("session", "marks-form"), ("grid", "results-form")])
def test_odd_values_in_every_field_are_refused_calmly(app, login_as, page, form_id):
    unit = login_as("unit_a", UNIT_A)
    training_class = one(app, TrainingClass, name=UNIT_CLASS)
    session = one(app, AttendanceSession, class_id=training_class.id)
    url = {
        "sessions": f"{ATTENDANCE}/sessions/?id={training_class.id}",
        "session": f"{ATTENDANCE}/session/?id={session.id}",
        "grid": f"{RESULTS}/grid/?id={training_class.id}",
    }[page]
    html = unit.get(url).get_data(as_text=True)
    fields = _fields(html, form_id)
    assert fields
    before = _state(app)
    for field in fields:
        for value in ODD:
            response = unit.post(url, {field: value}, token_page=url)
            assert response.status_code < 500, (field, value)
            if value in ("", " ", "-0"):  # blank (no mark, no score) or 0: accepted
                before = _state(app)
            else:
                assert _state(app) == before, (field, value)
