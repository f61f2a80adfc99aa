"""继续教育记录申报 (issue 11 item 1) through HTTP: the person, the unit (添加培训记录 → 确认) and the
institution (学员成绩申报); every limit of 000 §1.6.1; 保存暂不提交, 送审, 删除, 撤销."""
import time
from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, EnrolmentSource, EnrolmentStatus, RecordChain, RecordSource
from backoffice.models import Attachment, Enrolment, Plan, TrainingClass
from backoffice.clock import beijing_today

from pages import field_errors, flashes
from province_rules import set_rule
from records_helpers import DECLARE, END, PDF, REVIEW, SCORES, START, declare, id_from, org_id, person, post, record, steps

UNIT_A = "广州示范大学"


def test_a_person_saves_a_draft_attaches_proof_and_submits_it_to_their_unit(app, login_as):
    chen = login_as("p_chen")
    response = declare(chen)
    assert response.status_code == 302
    record_id = id_from(response)
    row = record(app, record_id)
    assert (row.status, row.source, row.person_id) == (ApplicationStatus.DRAFT, RecordSource.PERSON, person(app, "陈诗慧").id)
    assert row.reviewer_org_id is None and steps(app, record_id) == []  # 保存暂不提交: nothing sent

    upload = chen.post(f"{DECLARE}/attachments/upload/?id={record_id}", {"file": (BytesIO(PDF), "结业证明.pdf")},
                       token_page=f"{DECLARE}/", content_type="multipart/form-data")
    assert upload.status_code == 302
    page = chen.get(f"{DECLARE}/details/?id={record_id}").get_data(as_text=True)
    assert "结业证明.pdf" in page and "送审" in page and "删除" in page

    assert post(chen, DECLARE, "submit", record_id).status_code == 302
    row = record(app, record_id)
    assert (row.status, row.reviewer_org_id, row.review_step) == (ApplicationStatus.PENDING, org_id(app, UNIT_A), "unit")
    assert steps(app, record_id) == [("送审", "submit", None)]
    # the attachment is read-only now, and the unit's reviewer sees it
    again = chen.post(f"{DECLARE}/attachments/upload/?id={record_id}", {"file": (BytesIO(PDF), "b.pdf")},
                      token_page=f"{DECLARE}/", content_type="multipart/form-data", follow_redirects=True)
    assert "已送审" in flashes(again.get_data(as_text=True))
    review_page = login_as("unit_a", UNIT_A).get(f"{REVIEW}/details/?id={record_id}").get_data(as_text=True)
    assert "结业证明.pdf" in review_page and 'id="review-form"' in review_page


REFUSALS = [
    ({"end_on": (START.replace(day=1) if START.day > 1 else START).isoformat(), "start_on": END.isoformat()},
     "学习结束时间不能早于学习开始时间"),
    ({"declared_hours": "12.5"}, "拟申报学时不能超过参训天数×6（12学时）"),
    ({"declared_hours": "1000"}, "拟申报学时须为数字，最多一位小数"),
    ({"declared_hours": "0.2"}, "拟申报学时须在0.5至999.9之间"),
    ({"declared_hours": "3.25"}, "拟申报学时须为数字，最多一位小数"),
    ({"days": "0"}, "参训天数须在0.5至365之间"),
    ({"days": "366"}, "参训天数须在0.5至365之间"),
    ({"year": str(START.year - 1)}, "申报年度须在学习开始时间与学习结束时间的年份之间"),
    ({"course_name": "甲" * 101}, "课程名称限100字"),
    ({"location": "乙" * 101}, "学习地点限100字"),
    ({"course_name": "讲座\x07"}, "不能包含控制字符"),
    ({"study_form_code": ""}, "请选择学习形式"),
    ({"exam_result": "excellent"}, "请选择考核结果"),
]


@pytest.mark.parametrize("changes, message", REFUSALS)
def test_each_limit_of_the_form_is_refused_next_to_its_field(app, login_as, changes, message):
    chen = login_as("p_chen")
    response = declare(chen, **changes)
    assert response.status_code == 200  # the form again, nothing saved
    assert message in field_errors(response.get_data(as_text=True)) + flashes(response.get_data(as_text=True))


def test_an_end_date_in_the_future_is_refused(app, login_as):
    tomorrow = beijing_today() + timedelta(days=1)
    response = declare(login_as("p_chen"), start_on=tomorrow.isoformat(), end_on=tomorrow.isoformat(),
                       year=str(tomorrow.year))
    assert "学习结束时间不能晚于今天" in field_errors(response.get_data(as_text=True))


def test_a_study_that_ended_today_in_china_is_declared_whatever_the_servers_zone(app, login_as, monkeypatch):
    """Today is China's day, as for the entry deadline: a server in UTC is still on yesterday from 16:00 to
    midnight (UTC-12, as here, until 20:00 in China), and refused a course ended today there as in the future;
    on 1 January it refused every record of the new year."""
    today = beijing_today()
    monkeypatch.setenv("TZ", "Etc/GMT+12")
    time.tzset()
    try:
        response = declare(login_as("p_chen"), course_name="今天结束的课程", start_on=today.isoformat(),
                           end_on=today.isoformat(), days="1", declared_hours="6", year=str(today.year))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert response.status_code == 302, field_errors(response.get_data(as_text=True))
    assert record(app, id_from(response)).end_on == today


def test_the_same_course_and_start_date_is_declared_once_per_person(app, login_as):
    chen = login_as("p_chen")
    id_from(declare(chen, course_name="重复课程"))
    again = declare(chen, course_name="重复课程", days="3", declared_hours="18")
    assert again.status_code == 200
    assert "该人员已申报过同一课程（课程名称和学习开始时间相同），不能重复申报" in field_errors(again.get_data(as_text=True))
    # the unit declaring the same course for her is refused too
    unit = declare(login_as("unit_a", UNIT_A), course_name="重复课程", id_number=person(app, "陈诗慧").id_number, name="陈诗慧")
    assert "不能重复申报" in field_errors(unit.get_data(as_text=True))


def test_the_form_follows_the_study_form_online_courses_have_no_location(app, login_as):
    chen = login_as("p_chen")
    page = chen.get(f"{DECLARE}/new/").get_data(as_text=True)
    assert 'data-hidden-fields="{' in page and "js/record_form.js" in page and "<script>" not in page.split("record_form.js")[0].split("record-form-rules")[1]
    record_id = id_from(declare(chen, study_form_code="02", location="这段会被忽略"))
    assert record(app, record_id).location is None  # the server applies the same table as the script


def test_a_unit_adds_a_record_for_its_person_and_its_confirmation_approves_it_at_once(app, login_as):
    unit = login_as("unit_a", UNIT_A)
    chen = person(app, "陈诗慧")
    record_id = id_from(declare(unit, id_number=chen.id_number, name="陈诗慧", declared_hours="10"))
    row = record(app, record_id)
    assert (row.source, row.declared_by_org_id, row.status) == (RecordSource.UNIT, org_id(app, UNIT_A), ApplicationStatus.DRAFT)
    page = unit.get(f"{DECLARE}/details/?id={record_id}").get_data(as_text=True)
    assert ">确认</button>" in page
    response = post(unit, DECLARE, "submit", record_id, follow=True)
    assert "已确认，学时已认定" in flashes(response.get_data(as_text=True))
    row = record(app, record_id)
    assert (row.status, str(row.approved_hours), row.reviewer_org_id) == (ApplicationStatus.APPROVED, "10.0", None)
    assert steps(app, record_id) == [("送审", "submit", UNIT_A), ("继续教育记录认定", "approve", UNIT_A)]


def test_a_unit_cannot_declare_for_someone_who_is_not_its_confirmed_person(app, login_as):
    liu = person(app, "刘文斌")  # 深圳示范科技有限公司
    response = declare(login_as("unit_a", UNIT_A), id_number=liu.id_number, name="刘文斌")
    assert "该公民身份号码不是本单位已确认的专业技术人员" in field_errors(response.get_data(as_text=True))
    wrong_name = declare(login_as("unit_a", UNIT_A), id_number=person(app, "陈诗慧").id_number, name="陈诗")
    assert "姓名与公民身份号码不符" in field_errors(wrong_name.get_data(as_text=True))


def test_when_the_chain_adds_hr_the_units_confirmation_sends_it_on(app, login_as):
    set_rule(app, "440000", record_chain=RecordChain.UNIT_THEN_HR)
    unit = login_as("unit_a", UNIT_A)
    chen = person(app, "陈诗慧")
    record_id = id_from(declare(unit, id_number=chen.id_number, name="陈诗慧"))
    response = post(unit, DECLARE, "submit", record_id, follow=True)
    assert "已送审，审核单位：广州市人力资源和社会保障局" in flashes(response.get_data(as_text=True))
    row = record(app, record_id)
    assert (row.status, row.review_step) == (ApplicationStatus.PENDING, "region_hr")
    assert steps(app, record_id) == [("送审", "submit", UNIT_A), ("继续教育记录认定", "approve", UNIT_A)]
    hr = login_as("gz_hr")
    assert hr.get(f"{REVIEW}/details/?id={record_id}").status_code == 200
    hr.post(f"{REVIEW}/review/?id={record_id}", {"result": "approve", "opinion": "", "approved_hours": "8"},
            token_page=f"{REVIEW}/")
    row = record(app, record_id)
    assert (row.status, str(row.approved_hours)) == (ApplicationStatus.APPROVED, "8.0")
    assert steps(app, record_id)[-1] == ("学时学分审批（人社部门）", "approve", "广州市人力资源和社会保障局")


def _enrol(app, name: str) -> None:
    with app.app_context():
        inst = org_id(app, "广东示范继续教育学院")
        klass = db.session.scalar(select(TrainingClass).join(Plan, Plan.id == TrainingClass.plan_id)
                                  .where(Plan.owner_org_id == inst).order_by(TrainingClass.id))
        who = person(app, name)
        if db.session.scalar(select(Enrolment.id).filter_by(class_id=klass.id, person_id=who.id)) is None:
            db.session.add(Enrolment(class_id=klass.id, person_id=who.id, source=EnrolmentSource.SELF,
                                     status=EnrolmentStatus.ENROLLED))
            db.session.commit()


def test_an_institution_declares_scores_of_its_students_routed_to_each_persons_unit(app, login_as):
    _enrol(app, "刘文斌")
    inst = login_as("inst_a")
    liu = person(app, "刘文斌")
    record_id = id_from(declare(inst, SCORES, id_number=liu.id_number, name="刘文斌", course_name="学员成绩申报测试"))
    response = inst.post(f"{SCORES}/action/", {"action": "submit", "rowid": [str(record_id)], "url": f"{SCORES}/"},
                         token_page=f"{SCORES}/", follow_redirects=True)
    assert "送审成功1条" in flashes(response.get_data(as_text=True))
    row = record(app, record_id)
    assert (row.source, row.status, row.reviewer_org_id) == (
        RecordSource.INSTITUTION, ApplicationStatus.PENDING, org_id(app, "深圳示范科技有限公司"))
    # someone who never studied with the institution is refused
    stranger = person(app, "王新")
    refused = declare(inst, SCORES, id_number=stranger.id_number, name="王新")
    assert "该公民身份号码不是本机构培训班的学员（报名成功）" in field_errors(refused.get_data(as_text=True))


def test_delete_only_before_submission_and_withdraw_takes_a_pending_one_back(app, login_as):
    chen = login_as("p_chen")
    record_id = id_from(declare(chen, course_name="撤销测试"))
    post(chen, DECLARE, "submit", record_id)
    refused = chen.post(f"{DECLARE}/delete/", {"id": str(record_id), "url": f"{DECLARE}/"}, token_page=f"{DECLARE}/",
                        follow_redirects=True)
    assert "只有草稿可以删除" in flashes(refused.get_data(as_text=True))
    assert record(app, record_id) is not None
    edit = chen.get(f"{DECLARE}/edit/?id={record_id}")
    assert edit.status_code == 302  # 待审核: not editable

    response = post(chen, DECLARE, "withdraw", record_id, follow=True)
    assert "已撤销" in flashes(response.get_data(as_text=True))
    row = record(app, record_id)
    assert (row.status, row.reviewer_org_id, row.review_step) == (ApplicationStatus.DRAFT, None, None)
    assert steps(app, record_id)[-1] == ("撤销", "withdraw", None)
    assert login_as("unit_a", UNIT_A).get(f"{REVIEW}/details/?id={record_id}").status_code == 404  # gone from the queue
    again = post(chen, DECLARE, "withdraw", record_id, follow=True)
    assert "只有待审核的记录可以撤销" in flashes(again.get_data(as_text=True))

    deleted = chen.post(f"{DECLARE}/delete/", {"id": str(record_id), "url": f"{DECLARE}/"}, token_page=f"{DECLARE}/")
    assert deleted.status_code == 302 and record(app, record_id) is None


def test_another_person_or_unit_gets_404_on_every_route_of_a_record(app, login_as):
    chen = login_as("p_chen")
    record_id = id_from(declare(chen, course_name="越权测试"))
    chen.post(f"{DECLARE}/attachments/upload/?id={record_id}", {"file": (BytesIO(PDF), "证明.pdf")},
              token_page=f"{DECLARE}/", content_type="multipart/form-data")
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id).filter_by(owner_type="record", owner_id=record_id))
    liu = login_as("p_liu")
    for url in (f"{DECLARE}/details/?id={record_id}", f"{DECLARE}/edit/?id={record_id}",
                f"/attachments/{attachment_id}"):
        assert liu.get(url).status_code == 404, url
    for what in ("submit", "withdraw"):
        assert post(liu, DECLARE, what, record_id).status_code == 404
    assert liu.post(f"{DECLARE}/delete/", {"id": str(record_id), "url": f"{DECLARE}/"},
                    token_page=f"{DECLARE}/").status_code == 404
    assert liu.post(f"{DECLARE}/attachments/upload/?id={record_id}", {"file": (BytesIO(PDF), "x.pdf")},
                    token_page=f"{DECLARE}/", content_type="multipart/form-data").status_code == 404
    assert liu.post(f"{DECLARE}/action/", {"action": "delete", "rowid": [str(record_id)], "url": f"{DECLARE}/"},
                    token_page=f"{DECLARE}/").status_code == 404
    # once submitted: another unit's reviewer gets 404 as well, the person's own unit does not
    post(chen, DECLARE, "submit", record_id)
    other = login_as("unit_b")
    assert other.get(f"{REVIEW}/details/?id={record_id}").status_code == 404
    assert other.get(f"/attachments/{attachment_id}").status_code == 404
    assert other.post(f"{REVIEW}/review/?id={record_id}", {"result": "approve"}, token_page=f"{REVIEW}/").status_code == 404
    assert other.get(f"{REVIEW}/batch/?id={record_id}").status_code == 404
    assert other.get(f"{DECLARE}/details/?id={record_id}").status_code == 404
    assert login_as("unit_a", UNIT_A).get(f"/attachments/{attachment_id}").status_code == 200
    assert chen.get(f"/attachments/{attachment_id}").status_code == 200


def test_an_academic_paper_needs_no_days_and_its_hours_are_not_capped_by_them(app, login_as):
    chen = login_as("p_chen")
    record_id = id_from(declare(chen, study_form_code="06", course_name="论文：课堂教学评价研究", days="",
                                exam_result="", location="", declared_hours="20"))
    row = record(app, record_id)
    assert (row.days, row.exam_result, row.location, str(row.declared_hours)) == (None, None, None, "20.0")


def test_a_person_not_yet_confirmed_by_a_unit_keeps_a_draft_but_cannot_submit(app, login_as):
    new = login_as("p_new")  # 王新 waits for 广州示范大学's confirmation
    record_id = id_from(declare(new, course_name="待确认人员的申报"))
    response = post(new, DECLARE, "submit", record_id, follow=True)
    assert "王新尚未确认到工作单位，没有可认定学时的单位，暂不能送审" in flashes(response.get_data(as_text=True))
    assert record(app, record_id).status == ApplicationStatus.DRAFT


def test_an_institution_declares_one_course_for_many_students_and_skips_the_others(app, login_as):
    _enrol(app, "刘文斌")
    _enrol(app, "陈诗慧")
    inst = login_as("inst_a")
    liu, chen, stranger = person(app, "刘文斌"), person(app, "陈诗慧"), person(app, "王新")
    page = inst.get(f"{SCORES}/")
    assert "批量申报" in page.get_data(as_text=True)
    from records_helpers import record_form

    data = record_form(course_name="批量成绩申报课程")
    data["people"] = f"{liu.id_number} 刘文斌\n{chen.id_number}，陈诗慧\n{stranger.id_number} 王新\n\n"
    response = inst.post(f"{SCORES}/batch-new/", data, token_page=f"{SCORES}/batch-new/", follow_redirects=True)
    message = flashes(response.get_data(as_text=True))
    assert "保存成功2条，跳过1条" in message and "王新" in message and "不是本机构培训班的学员" in message
    with app.app_context():
        from backoffice.models import Record

        rows = db.session.scalars(select(Record).where(Record.course_name == "批量成绩申报课程")).all()
        assert sorted(r.person_id for r in rows) == sorted([liu.id, chen.id])
        assert {r.status for r in rows} == {ApplicationStatus.DRAFT}
    # a wrong course field refuses the whole batch and saves nothing
    bad = record_form(course_name="批量错误课程", declared_hours="13")
    bad["people"] = f"{liu.id_number} 刘文斌"
    refused = inst.post(f"{SCORES}/batch-new/", bad, token_page=f"{SCORES}/batch-new/")
    assert refused.status_code == 200
    assert "拟申报学时不能超过参训天数×6" in field_errors(refused.get_data(as_text=True))
