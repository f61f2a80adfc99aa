"""专业课计划申报 → 培训班新增 → 送审 → 退案 → 修改 → 再送审 → 同意, through the screens, with the limits of
000 §1.3.1, the teacher rule, routing by series and region, and what each side can still change."""
from datetime import date

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Catalogue, Course, Organisation, Plan, ReviewLog, TrainingClass
from backoffice.labels import PlanReviewer

from pages import field_errors, flashes, list_table
from province_rules import set_rule
from training_helpers import (
    APPLY,
    CLASSES,
    FILING,
    QUERY,
    REVIEW,
    YEAR,
    add_class,
    course_id,
    create_plan,
    decide,
    id_from,
    make_org,
    one,
    org_id,
    plan_status,
    submit,
    teacher_id,
    upload,
)

UNIVERSITY = "广州示范大学"


def _plan_with_class(app, client, view=APPLY, course="课程思政建设与实践", teacher="何振邦", **changes):
    created = create_plan(client, view, course_id(app, course), **changes)
    assert created.status_code == 302, created.get_data(as_text=True)[-2000:]
    plan_id = id_from(created)
    head = teacher_id(app, teacher)
    added = add_class(client, view, plan_id, head, [head])
    assert added.status_code == 302, field_errors(added.get_data(as_text=True))
    return plan_id


def _history(app, plan_id):
    with app.app_context():
        return [
            (log.step, log.result, log.reviewer_org.name if log.reviewer_org else None, log.opinion)
            for log in db.session.scalars(
                select(ReviewLog).where(ReviewLog.object_type == "plan", ReviewLog.object_id == plan_id).order_by(ReviewLog.id)
            )
        ]


def test_file_return_fix_resubmit_and_approve_a_plan(app, login_as):
    unit = login_as("unit_a", UNIVERSITY)
    course = course_id(app, "课程思政建设与实践")

    # the limits of 000 §1.3.1, each next to its field; nothing saved
    for changes, message in [
        ({"hours": "13"}, "继续教育学时须大于0且不超过培训天数×6（12学时）"),
        ({"days": "0"}, "培训天数须大于0且不超过365天"),
        ({"days": "1.25"}, "培训天数须为数字，最多一位小数"),
        ({"sessions": "100"}, "拟办期数须在1至99之间"),
        ({"end_on": f"{YEAR}-02-01"}, "计划完成时间不能早于计划开始时间"),
        ({"name": "计" * 101}, "培训计划名称限100字"),
        ({"content": "容" * 501}, "培训内容限500字"),
    ]:
        response = create_plan(unit, APPLY, course, **changes)
        assert response.status_code == 200, changes
        assert message in field_errors(response.get_data(as_text=True)), changes
    assert one(app, Plan, name=f"{YEAR}年测试培训计划") is None

    created = create_plan(unit, APPLY, course)
    assert created.status_code == 302
    plan_id = id_from(created)
    plan = one(app, Plan, id=plan_id)
    assert (plan.status, plan.days, plan.hours, plan.series_id) == ("draft", 2, 12, one(app, Catalogue, year=YEAR).series_id)

    # 送审 needs a class
    refused = submit(unit, APPLY, plan_id)
    assert "请先新增至少一个培训班" in flashes(unit.get(refused.headers["Location"]).get_data(as_text=True))

    # 培训班新增: dates inside the plan, enabled teachers of this unit only
    own = teacher_id(app, "何振邦")
    foreign = teacher_id(app, "黄立群")  # 广东示范继续教育学院's
    outside = add_class(unit, APPLY, plan_id, own, [own], study_end_on=f"{YEAR}-07-01")
    assert "学习结束时间须在计划开始时间与计划完成时间之间" in field_errors(outside.get_data(as_text=True))
    stolen = add_class(unit, APPLY, plan_id, own, [own, foreign])
    assert "所选授课教师不是本单位启用的教师，请重新选择" in field_errors(stolen.get_data(as_text=True))
    stolen_head = add_class(unit, APPLY, plan_id, foreign, [own])
    assert "请选择班主任（须为本单位启用的教师）" in field_errors(stolen_head.get_data(as_text=True))
    assert one(app, TrainingClass, plan_id=plan_id) is None
    assert add_class(unit, APPLY, plan_id, own, [own]).status_code == 302
    training_class = one(app, TrainingClass, plan_id=plan_id)
    assert training_class.status == "not_started"
    page = unit.get(f"{APPLY}/details/?id={plan_id}").get_data(as_text=True)
    assert "测试培训班第1期" in page and "专题讲授、案例研讨" in page

    assert upload(unit, APPLY, plan_id).status_code == 302
    sent = submit(unit, APPLY, plan_id)
    assert sent.status_code == 302
    assert "已送审，审核部门：广州市教育局" in flashes(unit.get(sent.headers["Location"]).get_data(as_text=True))
    assert plan_status(app, plan_id) == "pending"

    # read-only from 送审 on: the plan, its classes and its attachments
    assert "专业课计划已送审，不能再修改" in flashes(unit.get(f"{APPLY}/edit/?id={plan_id}", follow_redirects=True).get_data(as_text=True))
    late = add_class(unit, APPLY, plan_id, own, [own], name="第2期")
    assert "专业课计划已送审，不能再修改" in flashes(unit.get(late.headers["Location"]).get_data(as_text=True))
    assert upload(unit, APPLY, plan_id, "迟到.pdf").status_code == 302
    assert "迟到.pdf" not in unit.get(f"{APPLY}/details/?id={plan_id}").get_data(as_text=True)

    # 广州市教育局 sees it first in its list, with the class, the attachment and the 审批流程
    reviewer = login_as("gz_edu")
    listing = list_table(reviewer.get(f"{REVIEW}/").get_data(as_text=True))
    assert f"{YEAR}年测试培训计划" in listing
    details = reviewer.get(f"{REVIEW}/details/?id={plan_id}").get_data(as_text=True)
    assert "测试培训班第1期" in details and "计划附件.pdf" in details and 'id="review-form"' in details
    class_page = reviewer.get(f"{REVIEW}/classes/view/?id={plan_id}&class_id={training_class.id}")
    assert class_page.status_code == 200 and "何振邦" in class_page.get_data(as_text=True)
    assert decide(reviewer, plan_id, "return", "").status_code == 302  # no opinion: refused
    assert plan_status(app, plan_id) == "pending"
    assert decide(reviewer, plan_id, "return", "培训对象请写明范围").status_code == 302
    assert plan_status(app, plan_id) == "returned"

    # 退案: editable again, fixed, resubmitted, approved
    page = unit.get(f"{APPLY}/details/?id={plan_id}").get_data(as_text=True)
    assert "计划已被退回" in page and "培训对象请写明范围" in page
    fixed = unit.post(
        f"{APPLY}/edit/?id={plan_id}",
        {**_current_form(app, plan_id), "audience": "本校40岁以下专任教师"}, token_page=f"{APPLY}/",
    )
    assert fixed.status_code == 302, field_errors(fixed.get_data(as_text=True))
    assert one(app, Plan, id=plan_id).audience == "本校40岁以下专任教师"
    assert submit(unit, APPLY, plan_id).status_code == 302
    assert decide(reviewer, plan_id, "approve", "同意").status_code == 302
    assert plan_status(app, plan_id) == "approved"
    assert _history(app, plan_id) == [
        ("送审", "submit", UNIVERSITY, None),
        ("专业课计划审核", "return", "广州市教育局", "培训对象请写明范围"),
        ("送审", "submit", UNIVERSITY, None),
        ("专业课计划审核", "approve", "广州市教育局", "同意"),
    ]

    # 专业课计划查询: the owner, the reviewer, the province department of the series and the region's HR
    for login, org in [("unit_a", UNIVERSITY), ("gz_edu", None), ("gd_edu", None), ("gz_hr", None), ("gd_hr", None)]:
        assert login_as(login, org).get(f"{QUERY}/details/?id={plan_id}").status_code == 200, login
    for login, org in [("unit_b", None), ("inst_a", None), ("unit_a", "广州示范医院")]:
        assert login_as(login, org).get(f"{QUERY}/details/?id={plan_id}").status_code in (403, 404), login

    # its class is now in 培训班设置
    assert "测试培训班第1期" in list_table(unit.get(f"{CLASSES}/").get_data(as_text=True))


def _current_form(app, plan_id):
    plan = one(app, Plan, id=plan_id)
    return {
        "course_id": str(plan.course_id), "year": str(plan.year), "name": plan.name, "days": str(plan.days),
        "hours": str(plan.hours), "sessions": str(plan.sessions), "start_on": plan.start_on.isoformat(),
        "end_on": plan.end_on.isoformat(), "content": plan.content, "audience": plan.audience, "note": plan.note or "",
    }


def test_two_reviewers_deciding_one_plan_exactly_one_wins(app, login_as):
    plan = one(app, Plan, name=f"{YEAR}年课程思政专题培训")  # the demo's, waiting at 广州市教育局
    first, second = login_as("gz_edu"), login_as("gz_edu")
    second.get(f"{REVIEW}/details/?id={plan.id}")  # both have the page open
    assert decide(first, plan.id, "approve", "同意").status_code == 302
    page = second.post(
        f"{REVIEW}/review/?id={plan.id}", {"result": "close", "opinion": "不符合要求"}, token_page=f"{REVIEW}/",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "已审核，当前状态为“已通过”" in flashes(page)
    batch = second.post(
        f"{REVIEW}/batch/", {"id": [str(plan.id)], "result": "close", "opinion": "不符合要求"}, token_page=f"{REVIEW}/",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "审核成功0条，跳过1条" in flashes(batch)
    assert plan_status(app, plan.id) == "approved"
    assert [r for _, r, _, _ in _history(app, plan.id)] == ["submit", "approve"]


def test_routing_by_submitter(app, login_as):
    # an institution at province level → the province department of the series
    inst_plan = _plan_with_class(app, login_as("inst_a"), course="高校教师教学能力提升", teacher="黄立群")
    assert submit(login_as("inst_a"), APPLY, inst_plan).status_code == 302
    assert one(app, Plan, id=inst_plan).reviewer_org_id == org_id(app, "广东省教育厅")

    # a city industry department's 备案 → the department of its series above it; a province one's → its HR
    gz_edu = login_as("gz_edu")
    filed = _plan_with_class(app, gz_edu, view=FILING, course="高校教师教学能力提升", teacher=_gz_teacher(app))
    assert submit(gz_edu, FILING, filed).status_code == 302
    assert one(app, Plan, id=filed).reviewer_org_id == org_id(app, "广东省教育厅")
    gd_edu = login_as("gd_edu")
    province = _plan_with_class(app, gd_edu, view=FILING, course="高校教师教学能力提升", teacher="梁思敏")
    assert submit(gd_edu, FILING, province).status_code == 302
    assert one(app, Plan, id=province).reviewer_org_id == org_id(app, "广东省人力资源和社会保障厅")
    assert decide(login_as("gd_hr"), province, "approve", "同意").status_code == 302
    assert plan_status(app, province) == "approved"

    # a province whose rule sends plans to HR (河南: 审核培训计划申报): the unit's region HR reviews
    set_rule(app, "440000", plan_reviewer=PlanReviewer.HR_OF_REGION)
    unit = login_as("unit_a", UNIVERSITY)
    unit_plan = _plan_with_class(app, unit)
    assert submit(unit, APPLY, unit_plan).status_code == 302
    assert one(app, Plan, id=unit_plan).reviewer_org_id == org_id(app, "广州市人力资源和社会保障局")


def _gz_teacher(app):
    from training_helpers import add_teacher

    add_teacher(app, "广州市教育局", "邓老师", 411)
    return "邓老师"


def test_a_missing_reviewer_is_named(app, login_as):
    health = make_org(app, "gd_wjw", "广东省卫生健康委员会", "industry", "province", "440000", 7101, series="卫生技术人员")
    with app.app_context():
        org = db.session.get(Organisation, health)
        catalogue = Catalogue(
            org_id=org.id, series_id=org.series_id, year=YEAR, declared_on=date(YEAR, 1, 1), status="published",
        )
        catalogue.courses = [Course(name="医疗质量与安全管理", content="医疗质量管理工具", withdrawn=False)]
        db.session.add(catalogue)
        org.active = False  # the department's access was revoked after it published
        db.session.commit()
    unit = login_as("unit_a", UNIVERSITY)
    plan_id = _plan_with_class(app, unit, course="医疗质量与安全管理")
    page = flashes(unit.get(submit(unit, APPLY, plan_id).headers["Location"]).get_data(as_text=True))
    assert "没有可审核该专业课计划的“卫生技术人员”行业主管部门：请联系天河区或广州市或广东省的“卫生技术人员”行业主管部门" in page
    assert plan_status(app, plan_id) == "draft"


def test_a_draft_plan_is_deleted_with_its_classes(app, login_as):
    unit = login_as("unit_a", UNIVERSITY)
    plan_id = _plan_with_class(app, unit)
    response = unit.post(f"{APPLY}/delete/", {"id": plan_id, "url": f"{APPLY}/"}, token_page=f"{APPLY}/")
    assert response.status_code == 302
    assert one(app, Plan, id=plan_id) is None and one(app, TrainingClass, plan_id=plan_id) is None
    # a submitted one is not
    sent = one(app, Plan, name=f"{YEAR}年课程思政专题培训")
    page = unit.post(
        f"{APPLY}/delete/", {"id": sent.id, "url": f"{APPLY}/"}, token_page=f"{APPLY}/", follow_redirects=True
    ).get_data(as_text=True)
    assert "专业课计划已送审，不能再修改" in flashes(page)
    assert one(app, Plan, id=sent.id) is not None
