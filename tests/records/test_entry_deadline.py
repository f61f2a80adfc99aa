"""学时录入截止日期 (issue 11 item 5) through HTTP: a year whose entry deadline has passed can no longer be
declared — by the person, the unit, the institution (one or 批量申报) or the unit's import — and the
message names the deadline; what was submitted in time is still reviewed, and a returned record is
corrected and resubmitted.

Each test closes LAST year by hand (every 学时要求 of that year: deadline yesterday) and keeps this year
open, so it reads the same on any day of the year."""
from datetime import date, timedelta

from sqlalchemy import select, update

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, CourseType, RecordSource
from backoffice.models import HourRequirement, Record
from backoffice.clock import beijing_today

from pages import field_errors, flashes
from records_helpers import DECLARE, SCORES, declare, decide, id_from, person, post, record, record_form, steps
from test_declaration import _enrol
from test_record_import import people, row, run, token_of, upload, xlsx_file

UNIT_A = "广州示范大学"
TODAY = beijing_today()
LAST = TODAY.year - 1
DEADLINE = TODAY - timedelta(days=1)
CLOSED = f"{LAST}年度继续教育记录的录入已于{DEADLINE.year}年{DEADLINE.month}月{DEADLINE.day}日截止"
# two days of last year's December: a declaration of the closed year
OLD = {"start_on": date(LAST, 12, 1).isoformat(), "end_on": date(LAST, 12, 2).isoformat(), "year": str(LAST)}
# one day of the open year, ended today: START (40 days ago) is last year in January, and last year is closed here
NOW = {"start_on": TODAY.isoformat(), "end_on": TODAY.isoformat(), "days": "1", "declared_hours": "6",
       "year": str(TODAY.year)}


def _close_last_year(app, deadline: date = DEADLINE) -> None:
    """Every 学时要求 of last year ends its entry on `deadline` (yesterday: closed); this year's stays open."""
    with app.app_context():
        if db.session.scalar(select(HourRequirement.id).where(HourRequirement.year == LAST)) is None:
            db.session.add(HourRequirement(year=LAST, total_hours=90, min_public_hours=0,
                                           min_professional_hours=60, min_elective_hours=0, entry_deadline=deadline))
        db.session.execute(update(HourRequirement).where(HourRequirement.year == LAST).values(entry_deadline=deadline))
        db.session.execute(update(HourRequirement).where(HourRequirement.year == TODAY.year)
                           .values(entry_deadline=date(TODAY.year + 1, 1, 31)))
        db.session.commit()


def _count(app, course: str) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Record.id).where(Record.course_name == course)).all())


def test_person_unit_and_institution_are_refused_a_closed_year_with_its_deadline(app, login_as):
    _close_last_year(app)
    chen = person(app, "陈诗慧")
    _enrol(app, "陈诗慧")
    for client, view, who in (
        (login_as("p_chen"), DECLARE, {}),
        (login_as("unit_a", UNIT_A), DECLARE, {"id_number": chen.id_number, "name": "陈诗慧"}),
        (login_as("inst_a"), SCORES, {"id_number": chen.id_number, "name": "陈诗慧"}),
    ):
        response = declare(client, view, course_name="截止后的申报", **OLD, **who)
        assert response.status_code == 200, view
        assert CLOSED in field_errors(response.get_data(as_text=True)), view
    assert _count(app, "截止后的申报") == 0
    # this year is still open: the same course is declared
    assert declare(login_as("p_chen"), course_name="截止后的申报", **NOW).status_code == 302
    # 批量申报 of the institution: each student is refused with the deadline
    inst = login_as("inst_a")
    batch = {"study_form_code": "01", "course_type": CourseType.PROFESSIONAL, "course_name": "截止后的批量申报",
             "days": "2", "exam_result": "pass", "declared_hours": "12", "institution_name": "", "location": "",
             "content": "", "note": "", "people": f"{chen.id_number} 陈诗慧", **OLD}
    done = inst.post(f"{SCORES}/batch-new/", batch, token_page=f"{SCORES}/batch-new/", follow_redirects=True)
    assert CLOSED in done.get_data(as_text=True)
    assert _count(app, "截止后的批量申报") == 0


def test_a_draft_of_a_closed_year_is_not_submitted_but_review_and_resubmission_go_on(app, login_as):
    _close_last_year(app, TODAY + timedelta(days=30))  # still open while these are declared
    chen = login_as("p_chen")
    draft = id_from(declare(chen, course_name="截止前的草稿", **OLD))
    pending = id_from(declare(chen, course_name="截止前已送审", **OLD))
    returned = id_from(declare(chen, course_name="截止前被退回", **OLD))
    for record_id in (pending, returned):
        assert post(chen, DECLARE, "submit", record_id).status_code == 302
    unit = login_as("unit_a", UNIT_A)
    decide(unit, returned, "return", "请补充结业证明")
    _close_last_year(app)

    refused = post(chen, DECLARE, "submit", draft, follow=True)
    assert CLOSED in flashes(refused.get_data(as_text=True))
    assert record(app, draft).status == ApplicationStatus.DRAFT and steps(app, draft) == []
    # the unit still decides what was submitted in time
    decide(unit, pending, "approve")
    assert record(app, pending).status == ApplicationStatus.APPROVED
    # a returned record is corrected and sent again for the same year
    assert post(chen, DECLARE, "submit", returned).status_code == 302
    assert record(app, returned).status == ApplicationStatus.PENDING
    # …but cannot be moved into the closed year from an open one
    fresh = id_from(declare(chen, course_name="改到截止年度", **NOW))
    moved = chen.post(f"{DECLARE}/edit/?id={fresh}", record_form(course_name="改到截止年度", **OLD),
                      token_page=f"{DECLARE}/")
    assert CLOSED in field_errors(moved.get_data(as_text=True))
    assert record(app, fresh).year == TODAY.year


def test_the_import_fails_the_rows_of_a_closed_year_naming_the_deadline(app, login_as):
    _close_last_year(app)
    chen, _ = people(app)
    client = login_as("unit_a", UNIT_A)
    rows = [
        row(chen, 课程名称="导入截止年度", 学习开始时间=OLD["start_on"], 学习结束时间=OLD["end_on"], 申报年度=str(LAST)),
        row(chen, 课程名称="导入截止年度（年度不填）", 学习开始时间=OLD["start_on"], 学习结束时间=OLD["end_on"]),
        row(chen, 课程名称="导入本年度", 学习开始时间=NOW["start_on"], 学习结束时间=NOW["end_on"], 参训天数="1", 拟申报学时="6"),
    ]
    html = upload(client, xlsx_file(rows), "记录.xlsx").get_data(as_text=True)
    assert html.count(CLOSED) == 2
    result = run(client, token_of(html)).get_data(as_text=True)
    assert "导入完成：申报 1 条" in result
    assert _count(app, "导入截止年度") == 0 and _count(app, "导入本年度") == 1
    with app.app_context():
        assert db.session.scalar(select(Record.source).where(Record.course_name == "导入本年度")) == RecordSource.UNIT
