"""继续教育记录 under each province's chain (issue 13): Guangdong's unit 认定 ends it; Henan's 学时学分审批 by
the unit goes on to the HR of the unit's region (002: 最终人社部门审批通过之后才会获得相应的学时), after
which the record waits for that HR's 学时学分审验."""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, RecordChain
from backoffice.models import Record
from pages import flashes, list_table
from province_rules import set_rule
from records_helpers import DECLARE, REVIEW, decide, declare, id_from, org_id, person, post, record, steps

PY_UNIT, PY_HR = "濮阳示范职业技术学院", "濮阳市人力资源和社会保障局"


def _waiting_at_py_unit(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Record.id).where(Record.course_name == "职业院校实训教学组织"))


def test_the_unit_approves_then_the_hr_of_its_region_and_the_record_waits_for_its_check(app, login_as):
    record_id = _waiting_at_py_unit(app)
    unit = login_as("py_unit")
    page = unit.get(f"{REVIEW}/").get_data(as_text=True)
    assert "<title>学时学分审批" in page and "赵中原" in list_table(page)
    assert login_as("unit_a", "广州示范大学").get(f"{REVIEW}/details/?id={record_id}").status_code == 404
    assert decide(unit, record_id, "approve", "同意").status_code == 200
    row = record(app, record_id)
    assert (row.status, row.reviewer_org_id, row.review_step) == (ApplicationStatus.PENDING, org_id(app, PY_HR), "region_hr")

    hr = login_as("py_hr")
    assert "赵中原" in list_table(hr.get(f"{REVIEW}/").get_data(as_text=True))
    assert login_as("gd_hr").get(f"{REVIEW}/details/?id={record_id}").status_code == 404
    decide(hr, record_id, "approve", "同意", hours="10")
    row = record(app, record_id)
    assert (row.status, str(row.approved_hours)) == (ApplicationStatus.APPROVED, "10.0")
    assert [(step, who) for step, _, who in steps(app, record_id)] == [
        ("送审", "濮阳市示范继续教育基地"), ("继续教育记录认定", PY_UNIT), ("学时学分审批（人社部门）", PY_HR),
    ]
    checks = hr.get("/admin/record_check/").get_data(as_text=True)
    assert "<title>学时学分审验" in checks and "赵中原" in list_table(checks)


def test_a_henan_unit_declares_for_its_person_and_hr_approves(app, login_as):
    unit = login_as("py_unit")
    assert "<title>学时学分申报" in unit.get(f"{DECLARE}/").get_data(as_text=True)
    zhao = person(app, "赵中原")
    record_id = id_from(declare(unit, id_number=zhao.id_number, name="赵中原", institution_name="濮阳市示范继续教育基地",
                                location="濮阳市华龙区"))
    response = post(unit, DECLARE, "submit", record_id, follow=True)
    assert f"已送审，审核单位：{PY_HR}" in flashes(response.get_data(as_text=True))
    assert (record(app, record_id).status, record(app, record_id).review_step) == (ApplicationStatus.PENDING, "region_hr")
    decide(login_as("py_hr"), record_id, "approve", "同意")
    assert record(app, record_id).status == ApplicationStatus.APPROVED


def test_a_chain_change_moves_new_records_only(app, login_as):
    """Henan drops the HR step: a record the unit approves from now on is finished there."""
    set_rule(app, "410000", record_chain=RecordChain.UNIT)
    unit = login_as("py_unit")
    zhao = person(app, "赵中原")
    record_id = id_from(declare(unit, id_number=zhao.id_number, name="赵中原", institution_name="濮阳市示范继续教育基地",
                                location="濮阳市华龙区"))
    post(unit, DECLARE, "submit", record_id)
    assert (record(app, record_id).status, record(app, record_id).reviewer_org_id) == (ApplicationStatus.APPROVED, None)
    waiting = _waiting_at_py_unit(app)
    assert record(app, waiting).reviewer_org_id == org_id(app, PY_UNIT)  # still where it was sent
