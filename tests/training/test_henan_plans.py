"""专业课计划 under each province's rule (issue 13): Guangdong's go to the industry department of the series
(test_plan_flow.py), Henan's 继续教育基地 plans to the HR of their region (002 审核培训计划申报) — and a
rule change moves new plans only."""
from backoffice.labels import PlanReviewer
from backoffice.models import Plan
from pages import flashes, list_table
from province_rules import set_rule
from training_helpers import (
    APPLY, REVIEW, add_class, add_teacher, course_id, create_plan, decide, id_from, one, org_id, plan_status,
    submit,
)

BASE = "濮阳市示范继续教育基地"
PY_HR = "濮阳市人力资源和社会保障局"
COURSE = "职业院校教师教学能力提升"


def _filed_plan(app, client, name: str, seq: int) -> int:
    created = create_plan(client, APPLY, course_id(app, COURSE), name=name)
    assert created.status_code == 302, created.get_data(as_text=True)[-1500:]
    plan_id = id_from(created)
    head = add_teacher(app, BASE, f"豫老师{seq}", seq)
    assert add_class(client, APPLY, plan_id, head, [head]).status_code == 302
    assert submit(client, APPLY, plan_id).status_code == 302
    return plan_id


def test_a_henan_base_files_a_plan_and_the_hr_of_its_region_reviews_it(app, login_as):
    base = login_as("py_base")
    assert "<title>培训计划申报" in base.get(f"{APPLY}/").get_data(as_text=True)
    plan_id = _filed_plan(app, base, "濮阳职业院校教师研修", 601)
    assert one(app, Plan, id=plan_id).reviewer_org_id == org_id(app, PY_HR)

    hr = login_as("py_hr")
    page = hr.get(f"{REVIEW}/").get_data(as_text=True)
    assert "<title>审核培训计划申报" in page and "濮阳职业院校教师研修" in list_table(page)
    assert login_as("gd_hr").get(f"{REVIEW}/details/?id={plan_id}").status_code == 404
    assert login_as("gd_edu").get(f"{REVIEW}/details/?id={plan_id}").status_code == 404
    response = decide(hr, plan_id, "approve", "同意")
    assert response.status_code == 302
    assert plan_status(app, plan_id) == "approved"


def test_a_rule_change_routes_new_plans_and_leaves_waiting_ones_where_they_are(app, login_as):
    base = login_as("py_base")
    waiting = _filed_plan(app, base, "规则变更前送审的计划", 602)
    set_rule(app, "410000", plan_reviewer=PlanReviewer.INDUSTRY_OF_SERIES)
    later = _filed_plan(app, base, "规则变更后送审的计划", 603)
    assert one(app, Plan, id=later).reviewer_org_id == org_id(app, "河南省教育厅")
    assert one(app, Plan, id=waiting).reviewer_org_id == org_id(app, PY_HR)
    hr = login_as("py_hr")
    listed = list_table(hr.get(f"{REVIEW}/").get_data(as_text=True))
    assert "规则变更前送审的计划" in listed and "规则变更后送审的计划" not in listed
    assert decide(hr, waiting, "approve", "同意").status_code == 302
    assert plan_status(app, waiting) == "approved"


def test_guangdong_plans_still_go_to_the_industry_department(app, login_as):
    unit = login_as("unit_a", "广州示范大学")
    created = create_plan(unit, APPLY, course_id(app, "课程思政建设与实践"), name="广东规则下的计划")
    plan_id = id_from(created)
    head = add_teacher(app, "广州示范大学", "粤老师", 604)
    add_class(unit, APPLY, plan_id, head, [head])
    response = submit(unit, APPLY, plan_id)
    assert "广州市教育局" in flashes(unit.get(response.headers["Location"]).get_data(as_text=True))
    assert one(app, Plan, id=plan_id).reviewer_org_id == org_id(app, "广州市教育局")
    assert "<title>专业课计划申报" in unit.get(f"{APPLY}/").get_data(as_text=True)
