"""结业 → 继续教育记录 (issue 10 item 8): one record per 合格 enrolee, approved at once for a unit's own
class, waiting for the person's unit's 认定 for an institution's class; its 审批流程 says where it came from."""
from decimal import Decimal

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Course, Enrolment, Organisation, Person, Plan, Record, ReviewLog, TrainingClass

from pages import flashes
from training_helpers import YEAR, enrol, move, one

INSTITUTE_CLASS = f"{YEAR}年高校教师教学能力提升研修班第3期"  # 开班, 广东示范继续教育学院's
UNIT_CLASS = f"{YEAR}年课程思政校内培训第1期"  # 开班, 广州示范大学's own


def _records(app, class_id: int) -> list[dict]:
    with app.app_context():
        rows = db.session.execute(
            select(Record, Person.name)
            .join(Person, Person.id == Record.person_id)
            .where(Record.enrolment_id.is_not(None))
            .where(Record.enrolment.has(class_id=class_id))
        ).all()
        return [
            {c.key: getattr(record, c.key) for c in Record.__table__.columns} | {"name": name}
            for record, name in rows
        ]


def _steps(app, record_id: int) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(ReviewLog.step, ReviewLog.result, ReviewLog.reviewer_org_id, ReviewLog.opinion)
            .where(ReviewLog.object_type == "record", ReviewLog.object_id == record_id)
            .order_by(ReviewLog.id)
        ).all()


def _grade_the_rest(app, class_id: int, result: str = "fail") -> None:
    """A 考核结果 for every enrolee of the class still without one (the demo's enrolees among them)."""
    with app.app_context():
        for enrolment in db.session.scalars(
            select(Enrolment).where(Enrolment.class_id == class_id, Enrolment.result.is_(None))
        ):
            enrolment.result = result
        db.session.commit()


def _org_id(app, name: str) -> int:
    return one(app, Organisation, name=name).id


def test_an_institutions_class_sends_each_passed_enrolee_to_their_unit(app, login_as):
    inst = login_as("inst_a")
    klass = one(app, TrainingClass, name=INSTITUTE_CLASS)
    enrol(app, klass.id, "陈诗慧", result="pass")
    enrol(app, klass.id, "刘文斌", result="fail")
    _grade_the_rest(app, klass.id)  # the demo's four enrolees did not pass
    page = move(inst, [klass.id], "finish", "考核完成").get_data(as_text=True)
    assert "结业成功1条，生成继续教育记录1条" in flashes(page)

    plan = one(app, Plan, id=klass.plan_id)
    course = one(app, Course, id=plan.course_id)
    [record] = _records(app, klass.id)  # nobody else passed: no other record
    assert record["name"] == "陈诗慧"
    expected = {
        "course_type": plan.course_type, "course_name": course.name, "study_form_code": klass.study_form_code,
        "start_on": klass.study_start_on, "end_on": klass.study_end_on, "days": plan.days,
        "exam_result": "pass", "declared_hours": plan.hours, "approved_hours": None,
        "institution_org_id": plan.owner_org_id, "declared_by_org_id": plan.owner_org_id,
        "year": klass.study_end_on.year, "source": "class", "status": "pending",
        "reviewer_org_id": _org_id(app, "广州示范大学"),  # 陈诗慧's unit recognises the hours
    }
    assert {key: record[key] for key in expected} == expected
    assert record["submitted_at"] is not None
    assert _steps(app, record["id"]) == [("培训班结业", "submit", plan.owner_org_id, klass.name)]


def test_a_units_own_class_grants_the_hours_at_once(app, login_as):
    unit = login_as("unit_a", "广州示范大学")
    klass = one(app, TrainingClass, name=UNIT_CLASS)  # the demo graded 陈诗慧 and 赵明远 合格, not yet the rest
    with app.app_context():
        qian = db.session.scalar(select(Enrolment).join(Person).where(
            Enrolment.class_id == klass.id, Person.name == "钱雅琴"))
        qian.result = "pass"
        db.session.commit()
    _grade_the_rest(app, klass.id)
    page = move(unit, [klass.id], "finish").get_data(as_text=True)
    assert "生成继续教育记录3条" in flashes(page)

    plan = one(app, Plan, id=klass.plan_id)
    records = _records(app, klass.id)
    assert sorted(r["name"] for r in records) == sorted(["陈诗慧", "赵明远", "钱雅琴"])
    for record in records:
        assert (record["status"], record["approved_hours"], record["reviewer_org_id"]) == (
            "approved", plan.hours, None)
        assert record["declared_hours"] == plan.hours > Decimal(0)
        assert _steps(app, record["id"]) == [
            ("培训班结业", "submit", plan.owner_org_id, klass.name),
            ("继续教育记录认定", "approve", plan.owner_org_id, "本单位内部培训班结业，学时直接认定"),
        ]


def test_a_person_bound_to_no_unit_waits_without_a_reviewer(app, login_as):
    inst = login_as("inst_a")
    klass = one(app, TrainingClass, name=INSTITUTE_CLASS)
    enrol(app, klass.id, "刘文斌", result="pass")
    _grade_the_rest(app, klass.id)
    with app.app_context():
        liu = db.session.scalar(select(Person).where(Person.name == "刘文斌"))
        liu.binding_status, liu.unit_id = "released", None
        db.session.commit()
    assert "生成继续教育记录1条" in flashes(move(inst, [klass.id], "finish").get_data(as_text=True))
    [record] = _records(app, klass.id)
    assert (record["status"], record["reviewer_org_id"]) == ("pending", None)


def test_a_refused_finish_creates_no_record(app, login_as):
    inst = login_as("inst_a")
    klass = one(app, TrainingClass, name=INSTITUTE_CLASS)
    enrol(app, klass.id, "陈诗慧", result="pass")
    enrol(app, klass.id, "刘文斌")  # no result yet: 结业 is refused
    assert "尚有学员未录入考核结果" in flashes(move(inst, [klass.id], "finish").get_data(as_text=True))
    assert _records(app, klass.id) == []
    assert one(app, TrainingClass, id=klass.id).status == "open"
