"""A failed 学时审验 of a record nobody declared by hand (issue 11 item 3): a 结业 record goes back to the
organisation that ran the class — the institution, or the unit of an internal class — and an imported
one (批量申报) to the importing unit. Each finds it on its declaration screen and its 工作台, corrects it
and 送审s it again; the 审批流程 shows the failure and the resubmission."""
import re
from datetime import timedelta

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, EnrolmentSource, EnrolmentStatus, RecordSource
from backoffice.models import Enrolment, Organisation, Person, Plan, Record, TrainingClass

from pages import flashes, list_table
from records_helpers import DECLARE, SCORES, START, org_id, post, record, steps
from test_declaration import _enrol
from test_record_check import _check
from test_record_import import people, row, run, token_of, upload, xlsx_file

UNIT_A = "广州示范大学"
INST_A = "广东示范继续教育学院"
NOTICE = re.compile(r"有(\d+)条继续教育记录被退回（含学时审验不通过）")


def returned(client) -> int:
    """The 工作台's count of records returned to the acting organisation (0: no such notice)."""
    found = NOTICE.search(client.get("/admin/").get_data(as_text=True))
    return int(found.group(1)) if found else 0


def _from_class(app, course: str, owner: str) -> int:
    """An approved, unchecked 结业 record of 陈诗慧 from a class run by `owner` (a new enrolment of hers in
    one of its classes: 结业 gives one record per enrolment)."""
    with app.app_context():
        chen = db.session.scalar(select(Person).where(Person.name == "陈诗慧"))
        on = START - timedelta(days=3)
        owner_id = db.session.scalar(select(Organisation.id).where(Organisation.name == owner))
        taken = select(Enrolment.class_id).where(Enrolment.person_id == chen.id)
        klass = db.session.scalar(select(TrainingClass.id).join(Plan, Plan.id == TrainingClass.plan_id)
                                  .where(Plan.owner_org_id == owner_id, TrainingClass.id.not_in(taken))
                                  .order_by(TrainingClass.id))
        enrolment = Enrolment(class_id=klass, person_id=chen.id, source=EnrolmentSource.SELF,
                              status=EnrolmentStatus.ENROLLED, result="pass")
        db.session.add(enrolment)
        db.session.flush()
        found = Record(
            person_id=chen.id, course_type="professional", course_name=course, study_form_code="01",
            start_on=on, end_on=on, days=2, exam_result="pass", declared_hours=12, approved_hours=12,
            year=on.year, source=RecordSource.CLASS, status=ApplicationStatus.APPROVED,
            reviewer_org_id=chen.unit_id, declared_by_org_id=owner_id, institution_org_id=owner_id,
            enrolment_id=enrolment.id,
        )
        db.session.add(found)
        db.session.commit()
        return found.id


def test_a_failed_class_record_goes_back_to_the_institution_that_ran_the_class(app, login_as):
    _enrol(app, "陈诗慧")  # an institution declares (and corrects) for its enrolled students
    record_id = _from_class(app, "结业审验退回测试", INST_A)
    inst = login_as("inst_a")
    assert "结业审验退回测试" not in list_table(inst.get(f"{SCORES}/").get_data(as_text=True))  # approved: not its to do
    before = returned(inst)

    assert _check(login_as("gz_hr"), record_id, "fail", opinion="结业证明与培训班不符").status_code == 302
    assert record(app, record_id).status == ApplicationStatus.RETURNED
    assert "结业审验退回测试" in list_table(inst.get(f"{SCORES}/").get_data(as_text=True))
    assert returned(inst) == before + 1
    details = inst.get(f"{SCORES}/details/?id={record_id}")
    assert details.status_code == 200 and "结业证明与培训班不符" in details.get_data(as_text=True)
    # no one else's: another institution's or a unit's screen does not open it
    assert login_as("unit_b").get(f"{DECLARE}/details/?id={record_id}").status_code == 404

    # it cannot be taken back as a draft, it is sent again to the person's unit
    sent = inst.post(f"{SCORES}/action/", {"action": "submit", "rowid": [str(record_id)], "url": f"{SCORES}/"},
                     token_page=f"{SCORES}/", follow_redirects=True)
    assert "送审成功1条" in flashes(sent.get_data(as_text=True))
    row_ = record(app, record_id)
    assert (row_.status, row_.reviewer_org_id, row_.source) == (
        ApplicationStatus.PENDING, org_id(app, UNIT_A), RecordSource.CLASS)
    assert [s[:2] for s in steps(app, record_id)][-2:] == [("学时审验", "return"), ("送审", "submit")]
    # pending again, it has left the institution's screen: no 撤销 into a draft of 结业
    assert post(inst, SCORES, "withdraw", record_id).status_code == 404
    assert record(app, record_id).status == ApplicationStatus.PENDING
    assert returned(inst) == before


def test_a_failed_internal_class_record_goes_back_to_its_unit_which_confirms_it_again(app, login_as):
    record_id = _from_class(app, "内部培训班审验退回测试", UNIT_A)
    unit = login_as("unit_a", UNIT_A)
    before = returned(unit)
    assert _check(login_as("gz_hr"), record_id, "fail", opinion="签到表缺失").status_code == 302
    assert "内部培训班审验退回测试" in list_table(unit.get(f"{DECLARE}/").get_data(as_text=True))
    assert returned(unit) == before + 1
    assert post(unit, DECLARE, "submit", record_id).status_code == 302
    row_ = record(app, record_id)
    assert (row_.status, row_.approved_hours) == (ApplicationStatus.APPROVED, 12)
    assert [s[:2] for s in steps(app, record_id)][-3:] == [
        ("学时审验", "return"), ("送审", "submit"), ("继续教育记录认定", "approve")]
    # once approved again it is no longer on the screen of returned class records
    assert "内部培训班审验退回测试" not in list_table(unit.get(f"{DECLARE}/").get_data(as_text=True))
    assert returned(unit) == before


def test_a_failed_imported_record_goes_back_to_the_importing_unit(app, login_as):
    chen, _ = people(app)
    unit = login_as("unit_a", UNIT_A)
    html = upload(unit, xlsx_file([row(chen, 课程名称="导入后审验退回")]), "记录.xlsx").get_data(as_text=True)
    assert "导入完成：申报 1 条" in run(unit, token_of(html)).get_data(as_text=True)
    with app.app_context():
        record_id = db.session.scalar(select(Record.id).where(Record.course_name == "导入后审验退回"))
    before = returned(unit)
    assert _check(login_as("gz_hr"), record_id, "fail", opinion="导入数据有误").status_code == 302
    assert "导入后审验退回" in list_table(unit.get(f"{DECLARE}/").get_data(as_text=True))
    assert returned(unit) == before + 1
    assert post(unit, DECLARE, "submit", record_id).status_code == 302
    assert record(app, record_id).status == ApplicationStatus.APPROVED
    assert steps(app, record_id)[-1][:2] == ("继续教育记录认定", "approve")
