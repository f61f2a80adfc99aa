"""One person's whole year through HTTP, as the people involved click it (issue 11, Tests): 陈诗慧 (广州示范大学,
天河区) has this year's 公需 30 学时 already (the demo), and a class she finished. Three 专业 courses of 30 学时 come from three
sources — she declares one herself (returned once, corrected, approved), her unit adds and confirms one,
her training institution declares one of its students' results (approved by her unit); 广州 HR's 学时审验
fails the unit's, which goes back to the unit; the year still passes (30 公需 + 60 专业 alone meet the national 90,
专业 ≥ 60), so her certificate is issued; the unit regenerates it and `/verify` says 已作废 of the old
number and 有效 of the new; HR revokes the new one, and `/verify` says 已撤销."""
from datetime import timedelta

from decimal import Decimal

from sqlalchemy import delete, func, select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, RecordSource
from backoffice.models import Certificate, Record

from pages import flashes
from records_helpers import DECLARE, REVIEW, SCORES, START, declare, decide, id_from, person, post, record, steps
from test_declaration import _enrol

UNIT_A = "广州示范大学"
GZ_HR = "广州市人力资源和社会保障局"
CHECK = "/admin/record_check"
MINE = "/admin/my_certificates/"
CERTIFICATES = "/admin/certificate_print/"
YEAR = START.year
# five days, 30 学时 (at most 6 a day) from START: ended before today (START is 40 days ago or 1 January of a year
# already a month old) and inside START's year (ten days before START was last year when START is 1 January)
FIVE_DAYS = {"start_on": START.isoformat(), "end_on": (START + timedelta(days=4)).isoformat(),
             "days": "5", "declared_hours": "30", "course_type": "professional", "year": str(YEAR)}


def _certificates(app, person_id):
    with app.app_context():
        return db.session.execute(
            select(Certificate.id, Certificate.number, Certificate.status)
            .where(Certificate.person_id == person_id, Certificate.year == YEAR).order_by(Certificate.id)
        ).all()


def _print(client, page, person_id, what="print"):
    return client.post(f"{page}{what}/", {"id": [str(person_id)], "year": str(YEAR)}, token_page=page)


def _approved_hours(app, person_id) -> Decimal:
    with app.app_context():
        return db.session.scalar(select(func.coalesce(func.sum(Record.approved_hours), 0)).where(
            Record.person_id == person_id, Record.year == YEAR, Record.status == ApplicationStatus.APPROVED))


def test_one_persons_year_from_three_sources_to_a_verified_certificate(app, login_as, client):
    chen = person(app, "陈诗慧")
    with app.app_context():  # in January YEAR is last year, whose certificate the demo has printed already
        db.session.execute(delete(Certificate).where(Certificate.person_id == chen.id, Certificate.year == YEAR))
        db.session.commit()
    before = _approved_hours(app, chen.id)  # the demo's 公需 30, and a class she finished
    assert before >= 30
    me, unit, hr = login_as("p_chen"), login_as("unit_a", UNIT_A), login_as("gz_hr")

    # 1. she declares a course herself; her unit returns it; she corrects it and sends it again
    own = id_from(declare(me, course_name="个人申报的专业课程", **FIVE_DAYS))
    assert post(me, DECLARE, "submit", own).status_code == 302
    decide(unit, own, "return", opinion="请补充结业证明")
    assert record(app, own).status == ApplicationStatus.RETURNED
    assert "请补充结业证明" in me.get(f"{DECLARE}/details/?id={own}").get_data(as_text=True)
    assert post(me, DECLARE, "submit", own).status_code == 302
    decide(unit, own, "approve", hours="30")
    assert (record(app, own).status, str(record(app, own).approved_hours)) == (ApplicationStatus.APPROVED, "30.0")
    assert [(step, result) for step, result, _ in steps(app, own)] == [
        ("送审", "submit"), ("继续教育记录认定", "return"), ("送审", "submit"), ("继续教育记录认定", "approve"),
    ]

    # 2. her unit adds one for her and confirms it: approved at once
    by_unit = id_from(declare(unit, course_name="单位添加的专业课程", id_number=chen.id_number, name="陈诗慧",
                              **FIVE_DAYS))
    confirmed = post(unit, DECLARE, "submit", by_unit, follow=True)
    assert "已确认，学时已认定" in flashes(confirmed.get_data(as_text=True))

    # 3. her training institution declares its student's result; her unit approves it
    _enrol(app, "陈诗慧")
    inst = login_as("inst_a")
    by_inst = id_from(declare(inst, SCORES, course_name="机构申报的专业课程", id_number=chen.id_number, name="陈诗慧",
                              **FIVE_DAYS))
    sent = inst.post(f"{SCORES}/action/", {"action": "submit", "rowid": [str(by_inst)], "url": f"{SCORES}/"},
                     token_page=f"{SCORES}/", follow_redirects=True)
    assert "送审成功1条" in flashes(sent.get_data(as_text=True))
    assert unit.get(f"{REVIEW}/details/?id={by_inst}").status_code == 200
    decide(unit, by_inst, "approve", hours="30")
    sources = {r: record(app, r).source for r in (own, by_unit, by_inst)}
    assert sources == {own: RecordSource.PERSON, by_unit: RecordSource.UNIT, by_inst: RecordSource.INSTITUTION}
    assert all(record(app, r).status == ApplicationStatus.APPROVED for r in sources)

    # 4. 广州 HR's 学时审验 fails the unit's record: its hours go, it is back with the unit
    failed = hr.post(f"{CHECK}/check/?id={by_unit}", {"result": "fail", "opinion": "培训证明与课程不符"},
                     token_page=f"{CHECK}/")
    assert failed.status_code == 302
    returned = record(app, by_unit)
    assert (returned.status, returned.approved_hours) == (ApplicationStatus.RETURNED, None)
    assert steps(app, by_unit)[-1] == ("学时审验", "return", GZ_HR)
    assert "培训证明与课程不符" in unit.get(f"{DECLARE}/details/?id={by_unit}").get_data(as_text=True)

    # 5. the year passes on what is left: 30 公需 + 60 专业; her certificate is issued
    mine = me.get(MINE).get_data(as_text=True)
    assert f'data-year="{YEAR}"' in mine
    printed = _print(me, MINE, chen.id)
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    [(_, first, status)] = _certificates(app, chen.id)
    assert status == "valid"
    with app.app_context():
        total = db.session.scalar(select(Certificate.total_hours).where(Certificate.number == first))
    assert total == before + 60 == _approved_hours(app, chen.id)  # two of the three courses count

    # 6. the unit regenerates it: the old number is void, the new one valid
    regenerated = _print(unit, CERTIFICATES, chen.id, what="regenerate")
    assert regenerated.status_code == 200 and regenerated.mimetype == "application/pdf"
    (_, old, old_status), (new_id, new, new_status) = _certificates(app, chen.id)
    assert (old, old_status, new_status) == (first, "void", "valid") and new != first
    assert "已作废" in client.get(f"/verify/{old}").get_data(as_text=True)
    assert "有效" in client.get(f"/verify/{new}").get_data(as_text=True)

    # 7. HR revokes the new one with a reason: /verify says so
    url = f"{CERTIFICATES}revoke/?id={new_id}"
    assert hr.post(url, {"reason": "复核发现重复申报"}, token_page=url).status_code == 302
    assert _certificates(app, chen.id)[-1][2] == "revoked"
    assert "已撤销" in client.get(f"/verify/{new}").get_data(as_text=True)
