"""Issue 13, Tests: the same story under both provinces through HTTP, each step by that province's route and
screen names — a new person joins a unit, a 施教机构 / 继续教育基地 files a plan and its reviewer approves it,
a class of the plan runs and ends with the person 合格, the class's record goes through the province's chain,
and the person's 年度完成情况 shows the hours.

广东 (000/001/003/004): register, sign in, 选择工作单位, the unit confirms on 专业技术人员信息确认; inst_a's
专业课计划申报 goes to the industry department of the series (广东省教育厅); the unit's 继续教育记录认定 ends it.
河南 (002): 所在地区 and 所在单位 chosen at registration (the picker without script), sign-in answers
此账号还未被审核 until the unit says 通过 on 审核注册人员; py_base's 培训计划申报 goes to the HR of its region on
审核培训计划申报; 学时学分审批 by the unit then that HR, after which the record waits for 学时学分审验."""
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

# the area helpers live beside their tests; this story crosses three areas
for _area in ("people", "training", "records"):
    sys.path.insert(0, str(Path(__file__).parent / _area))

from backoffice.extensions import db  # noqa: E402
from backoffice.formatting import hours as hours_text  # noqa: E402
from backoffice.labels import ApplicationStatus  # noqa: E402
from backoffice.models import Enrolment, Plan, Record, TrainingClass  # noqa: E402
from pages import field_errors, flashes, list_table  # noqa: E402
from people_helpers import PASSWORD, new_id, org_id, person, profile, register  # noqa: E402
from training_helpers import (  # noqa: E402
    APPLY, YEAR, add_class, add_teacher, class_status, course_id, create_plan, decide, enrol, id_from,
    move, one, plan_status, submit,
)
from records_helpers import decide as decide_record, record, steps  # noqa: E402
from test_registration_picker import _choose, _typed, _unit_names  # noqa: E402
from test_results import grid_values, save  # noqa: E402

CONFIRM = "/admin/person_confirm"
PLAN_REVIEW = "/admin/plan_review"
RECORD_REVIEW = "/admin/record_review"
CHECK = "/admin/record_check"
YEARS = "/admin/record_years"


@dataclass(frozen=True)
class Province:
    key: str
    person: str  # the new person's name
    unit_login: str
    unit: str
    filer_login: str
    filer: str  # the 施教机构 / 继续教育基地 filing the plan
    course: str
    reviewer_login: str
    reviewer: str  # who reviews the plan
    region_hr_login: str | None  # a second record step (河南: the unit's region's HR)
    region_hr: str | None
    # screen names: 信息确认, 计划申报, 计划审核, 记录认定
    confirm_title: str
    apply_title: str
    review_title: str
    record_title: str
    # the other province's plan reviewer and unit (login, acting organisation): 404 on this province's rows
    stranger_reviewer: str
    stranger_unit: tuple[str, str]


GUANGDONG = Province(
    "广东", "粤新", "unit_a", "广州示范大学", "inst_a", "广东示范继续教育学院", "高校教师教学能力提升",
    "gd_edu", "广东省教育厅", None, None,
    "专业技术人员信息确认", "专业课计划申报", "专业课计划审核", "继续教育记录认定",
    "py_hr", ("py_unit", "濮阳示范职业技术学院"),
)
HENAN = Province(
    "河南", "豫新", "py_unit", "濮阳示范职业技术学院", "py_base", "濮阳市示范继续教育基地", "职业院校教师教学能力提升",
    "py_hr", "濮阳市人力资源和社会保障局", "py_hr", "濮阳市人力资源和社会保障局",
    "审核注册人员", "培训计划申报", "审核培训计划申报", "学时学分审批",
    "gd_edu", ("unit_a", "广州示范大学"),
)
HUALONG = "410902"


def _title(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return re.search(r"<title>([^<|–-]*)", response.get_data(as_text=True)).group(1).strip()


# ---- 1. the person joins the unit, each province its own way ------------------------------------------


def _join_guangdong(app, client, p: Province) -> int:
    """Register, sign in, choose the 工作单位 on 个人信息维护; the unit confirms."""
    id_number = new_id(931)
    register(client, "story_gd", id_number, real_name=p.person)
    unit_id = org_id(app, p.unit)
    chosen = client.post("/admin/my_profile/", profile(app, p.person, id_number, unit=str(unit_id)),
                         token_page="/admin/my_profile/")
    assert chosen.status_code == 302
    me = person(app, id_number=id_number)
    assert (me.unit_id, me.binding_status) == (unit_id, "pending")
    assert client.post("/logout", {}, token_page="/admin/my_profile/").status_code == 302
    return me.id


def _join_henan(app, client, p: Province) -> int:
    """所在地区 then 所在单位 at registration (选择地区 without script); the login waits for the unit."""
    typed = _typed("story_hn", 931, real_name=p.person, region_code=HUALONG)
    assert p.unit in _unit_names(_choose(client, typed))
    unit_id = org_id(app, p.unit)
    response = client.post("/register/person", {**typed, "unit_id": str(unit_id)}, token_page="/register/person")
    assert response.status_code == 302
    assert f"注册信息已经提交{p.unit}审核，请耐心等待" in flashes(client.get(response.headers["Location"]).get_data(as_text=True))
    me = person(app, id_number=typed["id_number"])
    assert (me.unit_id, me.binding_status, me.confirmed_at) == (unit_id, "pending", None)
    refused = client.login("story_hn", PASSWORD)
    assert refused.status_code == 200
    assert field_errors(refused.get_data(as_text=True)) == f"此账号还未被审核，请联系{p.unit}"
    return me.id


JOIN = {"广东": (_join_guangdong, "story_gd"), "河南": (_join_henan, "story_hn")}


# ---- 2. the plan, with one class ----------------------------------------------------------------------


def _filed_plan(app, filer, p: Province) -> tuple[int, int]:
    created = create_plan(filer, APPLY, course_id(app, p.course), name=f"{YEAR}年{p.key}故事培训计划")
    assert created.status_code == 302, created.get_data(as_text=True)[-1500:]
    plan_id = id_from(created)
    head = add_teacher(app, p.filer, f"{p.key}故事老师", 932)
    assert add_class(filer, APPLY, plan_id, head, [head], name=f"{p.key}故事培训班第1期").status_code == 302
    assert submit(filer, APPLY, plan_id).status_code == 302
    return plan_id, one(app, TrainingClass, plan_id=plan_id).id


def _approved_hours(app, person_id: int) -> Decimal:
    with app.app_context():
        return db.session.scalar(select(db.func.coalesce(db.func.sum(Record.approved_hours), 0)).where(
            Record.person_id == person_id, Record.year == YEAR, Record.status == ApplicationStatus.APPROVED))


@pytest.mark.parametrize("p", [GUANGDONG, HENAN], ids=["guangdong", "henan"])
def test_a_person_joins_a_plan_is_reviewed_a_class_ends_and_the_hours_are_approved(app, client, login_as, p):
    # 1. the person joins the unit; the unit confirms on its province's screen, then the sign-in works
    join, login = JOIN[p.key]
    person_id = join(app, client, p)
    unit = login_as(p.unit_login, p.unit)
    assert _title(unit, f"{CONFIRM}/") == p.confirm_title
    assert p.person in list_table(unit.get(f"{CONFIRM}/").get_data(as_text=True))
    assert unit.post(f"{CONFIRM}/decide/?id={person_id}", {"accept": "1"}, token_page=f"{CONFIRM}/").status_code == 302
    assert person(app, id=person_id).binding_status == "confirmed"
    assert client.login(login, PASSWORD).status_code == 302

    # 2. the plan is filed and waits for the province's reviewer, who approves it on its screen
    filer = login_as(p.filer_login)
    assert _title(filer, f"{APPLY}/") == p.apply_title
    plan_id, class_id = _filed_plan(app, filer, p)
    waits_for = org_id(app, p.reviewer)
    assert (plan_status(app, plan_id), one(app, Plan, id=plan_id).reviewer_org_id) == ("pending", waits_for)
    reviewer = login_as(p.reviewer_login)
    assert _title(reviewer, f"{PLAN_REVIEW}/") == p.review_title
    assert f"{YEAR}年{p.key}故事培训计划" in list_table(reviewer.get(f"{PLAN_REVIEW}/").get_data(as_text=True))
    assert reviewer.get(f"{PLAN_REVIEW}/details/?id={plan_id}").status_code == 200
    assert login_as(p.stranger_reviewer).get(f"{PLAN_REVIEW}/details/?id={plan_id}").status_code == 404
    assert decide(reviewer, plan_id, "approve", "同意").status_code == 302
    # approved; the row keeps who decided it
    assert (plan_status(app, plan_id), one(app, Plan, id=plan_id).reviewer_org_id) == ("approved", waits_for)

    # 3. 培训班设置: 接受报名, the person enrolled, 开班, 合格 entered on 学员成绩管理, 结业 → the record
    assert "接受报名成功1条" in flashes(move(filer, [class_id], "enrol", "开始报名").get_data(as_text=True))
    enrolment_id = enrol(app, class_id, p.person)
    assert "开班成功1条" in flashes(move(filer, [class_id], "open").get_data(as_text=True))
    values = grid_values(filer, class_id)
    saved = save(filer, class_id, {**values, f"s{enrolment_id}": "90", f"r{enrolment_id}": "pass"})
    assert saved.status_code == 200
    assert one(app, Enrolment, id=enrolment_id).result == "pass"
    assert "结业成功1条，生成继续教育记录1条" in flashes(move(filer, [class_id], "finish", "考核完成").get_data(as_text=True))
    assert class_status(app, class_id) == "finished"
    row = one(app, Record, enrolment_id=enrolment_id)
    hours = one(app, Plan, id=plan_id).hours
    assert (row.person_id, row.status, row.declared_hours, row.reviewer_org_id) == (
        person_id, ApplicationStatus.PENDING, hours, org_id(app, p.unit))

    # 4. the unit recognises the hours on its province's screen; 河南's record then goes to the region's HR
    assert _title(unit, f"{RECORD_REVIEW}/") == p.record_title
    assert p.person in list_table(unit.get(f"{RECORD_REVIEW}/").get_data(as_text=True))
    assert unit.get(f"{RECORD_REVIEW}/details/?id={row.id}").status_code == 200
    assert login_as(*p.stranger_unit).get(f"{RECORD_REVIEW}/details/?id={row.id}").status_code == 404
    assert decide_record(unit, row.id, "approve", "同意", follow=False).status_code == 302
    if p.region_hr_login:
        waiting = record(app, row.id)
        assert (waiting.status, waiting.reviewer_org_id, waiting.review_step) == (
            ApplicationStatus.PENDING, org_id(app, p.region_hr), "region_hr")
        hr = login_as(p.region_hr_login)
        assert _title(hr, f"{RECORD_REVIEW}/") == p.record_title
        assert p.person in list_table(hr.get(f"{RECORD_REVIEW}/").get_data(as_text=True))
        assert decide_record(hr, row.id, "approve", "同意", follow=False).status_code == 302
    done = record(app, row.id)
    # approved; the row keeps who decided last (广东: the unit, 河南: the region's HR)
    assert (done.status, done.approved_hours, done.reviewer_org_id) == (
        ApplicationStatus.APPROVED, hours, org_id(app, p.region_hr or p.unit))
    chain = [(step, who) for step, _, who in steps(app, row.id)]
    assert chain[0] == ("培训班结业", p.filer) and chain[1] == ("继续教育记录认定", p.unit)
    if p.region_hr_login:
        assert chain[2:] == [("学时学分审批（人社部门）", p.region_hr)]
        checks = login_as(p.region_hr_login).get(f"{CHECK}/").get_data(as_text=True)
        assert "<title>学时学分审验" in checks and p.person in list_table(checks)  # waits for 学时学分审验
    else:
        assert chain[2:] == []

    # and the person's 年度完成情况 shows the hours: the year's total, and the course under 专业科目 on [详细]
    assert _approved_hours(app, person_id) == hours > 0
    shown = hours_text(hours)
    years = client.get(f"{YEARS}/")
    assert years.status_code == 200
    year_row = years.get_data(as_text=True).split(f'data-year="{YEAR}"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<td>([^<（]*)", year_row)[-2] == shown  # 总学时
    details = client.get(f"{YEARS}/year/?year={YEAR}")
    assert details.status_code == 200
    html = details.get_data(as_text=True)
    assert f"总学时 {shown}" in html
    professional = html.split('id="records-professional"', 1)[1].split("</table>", 1)[0]
    assert p.course in professional and f"<td>{shown}</td><td>{shown}</td>" in professional
