"""培训班报名 (issue 10 item 5): 培训班人员录入 by a unit, 培训班报名申请 and 培训班情况查看 by a person, the
institution's 确认 / 拒绝 — and the seats (计划招生人数) each takes or gives back."""
import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditLog, Enrolment, Person, TrainingClass, User
from backoffice.policy import available_contexts, build_actor
from backoffice.workflows import WorkflowError
from backoffice.workflows import enrolments as ops

from pages import act, flashes, list_table
from training_helpers import YEAR, make_org, one

ENROL = "/admin/class_enrol"
PEOPLE = "/admin/class_enrol_people"
ENTERED = "/admin/class_enrol_entered"
CONFIRM = "/admin/enrol_confirm"
APPLY = "/admin/class_apply"
MINE = "/admin/my_classes"
INTERNAL = f"{YEAR}年课程思政校内培训第1期"  # unit_a's own 开班 class (demo: 陈诗慧, 赵明远, 钱雅琴, 孙立新, 周慧芳)
ENROLLING = f"{YEAR}年高校教师教学能力提升研修班第2期"  # inst_a's 接受报名 class (demo: see demo_training)
RUNNING = f"{YEAR}年高校教师教学能力提升研修班第3期"  # inst_a's 开班 class, no enrolees


def _class(app, name):
    return one(app, TrainingClass, name=name)


def _person(app, name):
    return one(app, Person, name=name)


def _enrolment(app, class_name, person_name):
    return one(app, Enrolment, class_id=_class(app, class_name).id, person_id=_person(app, person_name).id)


def _tab_action(client, tab, class_id, action, ids, follow=True):
    """Tick people on a tab of 人员录入 and press 录入 / 取消."""
    url = f"{tab}/?class_id={class_id}"
    return client.post(
        f"{tab}/action/?class_id={class_id}", {"action": action, "rowid": [str(i) for i in ids], "url": url},
        token_page="/admin/", follow_redirects=follow,
    )


def _set(app, model, row_id, **values):
    with app.app_context():
        row = db.session.get(model, row_id)
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


# ---- 培训班人员录入 --------------------------------------------------------------------------------


def test_a_unit_enters_its_confirmed_people_into_its_open_class_and_takes_them_out(app, login_as):
    unit = login_as("unit_a", "广州示范大学")
    internal = _class(app, INTERNAL)
    assert internal.enrolled_count == 5
    classes = list_table(unit.get(f"{ENROL}/").get_data(as_text=True))
    assert INTERNAL in classes and f"{PEOPLE}/?class_id={internal.id}" in classes
    assert "青年教师教学能力提升培训" not in classes  # a draft plan's class

    pending = list_table(unit.get(f"{PEOPLE}/?class_id={internal.id}").get_data(as_text=True))
    for name in ("吴志刚", "郑晓燕"):
        assert name in pending
    for name in ("赵明远", "王新", "刘文斌"):  # entered already; binding not confirmed; another unit's
        assert name not in pending

    chosen = [_person(app, n).id for n in ("吴志刚", "郑晓燕")]
    page = _tab_action(unit, PEOPLE, internal.id, "enter", chosen).get_data(as_text=True)
    assert "录入成功2条" in flashes(page)
    assert _class(app, INTERNAL).enrolled_count == 7
    row = _enrolment(app, INTERNAL, "吴志刚")
    assert (row.status, row.source) == ("enrolled", "unit")
    entered = list_table(unit.get(f"{ENTERED}/?class_id={internal.id}").get_data(as_text=True))
    assert "吴志刚" in entered and "郑晓燕" in entered and "赵明远" in entered

    # 取消 gives the seat back; the person is on 未录入 again and can be entered again (same row)
    qian = _enrolment(app, INTERNAL, "钱雅琴")
    page = _tab_action(unit, ENTERED, internal.id, "withdraw", [qian.id]).get_data(as_text=True)
    assert "取消成功1条" in flashes(page)
    assert (one(app, Enrolment, id=qian.id).status, _class(app, INTERNAL).enrolled_count) == ("cancelled", 6)
    assert "钱雅琴" in list_table(unit.get(f"{PEOPLE}/?class_id={internal.id}").get_data(as_text=True))
    page = _tab_action(unit, PEOPLE, internal.id, "enter", [_person(app, "钱雅琴").id]).get_data(as_text=True)
    assert "录入成功1条" in flashes(page)
    assert one(app, Enrolment, id=qian.id).status == "enrolled"
    assert _class(app, INTERNAL).enrolled_count == 7

    # someone with a 考核结果 stays
    zhao = _enrolment(app, INTERNAL, "赵明远")
    page = _tab_action(unit, ENTERED, internal.id, "withdraw", [zhao.id]).get_data(as_text=True)
    assert "取消成功0条" in flashes(page) and "已录入考核结果，不能取消" in flashes(page)
    assert one(app, Enrolment, id=zhao.id).status == "enrolled"
    with app.app_context():
        summaries = set(db.session.scalars(select(AuditLog.summary).where(AuditLog.action == "enrolment")))
    assert f"取消录入：{INTERNAL}：钱雅琴" in summaries


def test_a_full_class_takes_nobody_more(app, login_as):
    internal = _class(app, INTERNAL)
    _set(app, TrainingClass, internal.id, capacity=5)  # the demo's five fill it
    unit = login_as("unit_a", "广州示范大学")
    page = _tab_action(unit, PEOPLE, internal.id, "enter", [_person(app, "吴志刚").id]).get_data(as_text=True)
    assert "录入成功0条，跳过1条" in flashes(page) and "培训班已满（计划招生人数5人）" in flashes(page)
    assert _enrolment(app, INTERNAL, "吴志刚") is None
    assert _class(app, INTERNAL).enrolled_count == 5


def test_a_unit_cannot_enter_another_units_person_or_reach_another_units_class(app, login_as):
    internal = _class(app, INTERNAL)
    liu = _person(app, "刘文斌")  # 深圳示范科技有限公司's
    unit = login_as("unit_a", "广州示范大学")
    refused = _tab_action(unit, PEOPLE, internal.id, "enter", [liu.id], follow=False)
    assert refused.status_code == 404
    assert _enrolment(app, INTERNAL, "刘文斌") is None

    # the workflow itself refuses too, whatever a screen lets through
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.login == "unit_a"))
        context = next(c for c in available_contexts(user) if c.label.startswith("广州示范大学"))
        actor = build_actor(user, context.key)
        with pytest.raises(WorkflowError, match="只能录入本单位已确认的专业技术人员"):
            ops.enter(db.session.get(TrainingClass, internal.id), db.session.get(Person, liu.id), actor)
        db.session.rollback()

    other = login_as("unit_b")
    assert other.get(f"{PEOPLE}/?class_id={internal.id}").status_code == 404
    assert other.get(f"{ENTERED}/?class_id={internal.id}").status_code == 404
    zhao = _enrolment(app, INTERNAL, "赵明远")
    assert _tab_action(other, ENTERED, internal.id, "withdraw", [zhao.id], follow=False).status_code == 404
    assert other.get(f"{ENTERED}/details/?id={zhao.id}").status_code == 404
    assert one(app, Enrolment, id=zhao.id).status == "enrolled"
    # an institution's class is not a unit's to enter people into
    assert unit.get(f"{PEOPLE}/?class_id={_class(app, ENROLLING).id}").status_code == 404


# ---- 培训班报名申请, 报名确认, 培训班情况查看 ----------------------------------------------------------


def test_a_person_applies_the_institution_confirms_or_refuses(app, login_as):
    enrolling, running = _class(app, ENROLLING), _class(app, RUNNING)
    chen = login_as("p_chen")
    offered = list_table(chen.get(f"{APPLY}/").get_data(as_text=True))
    assert ENROLLING in offered and "广东示范继续教育学院" in offered
    assert RUNNING not in offered and INTERNAL not in offered  # 开班; a unit's internal class
    assert chen.get(f"{APPLY}/details/?id={running.id}").status_code == 404
    assert chen.post(f"{APPLY}/apply/?id={running.id}", {}, token_page=f"{APPLY}/").status_code == 404
    assert chen.get(f"{APPLY}/details/?id={_class(app, INTERNAL).id}").status_code == 404

    # the demo's application waits; 取消报名, then apply again from the class page
    waiting = _enrolment(app, ENROLLING, "陈诗慧")
    assert "已报名待确认" in list_table(chen.get(f"{MINE}/").get_data(as_text=True))
    assert "取消报名成功1条" in flashes(act(chen, MINE, "cancel", [waiting.id]).get_data(as_text=True))
    assert one(app, Enrolment, id=waiting.id).status == "cancelled"
    details = chen.get(f"{APPLY}/details/?id={enrolling.id}").get_data(as_text=True)
    assert 'id="apply-button"' in details and "黄立群" in details and "专题讲授" in details
    response = chen.post(f"{APPLY}/apply/?id={enrolling.id}", {}, token_page=f"{APPLY}/details/?id={enrolling.id}")
    assert response.status_code == 302
    assert one(app, Enrolment, id=waiting.id).status == "applied"  # the same row, started again
    again = chen.post(f"{APPLY}/apply/?id={enrolling.id}", {}, token_page=f"{APPLY}/details/?id={enrolling.id}",
                      follow_redirects=True).get_data(as_text=True)
    assert "已在该培训班中（已报名待确认）" in flashes(again)

    # the institution's list opens on what waits; one seat left: one 确认 wins, the other is skipped
    _set(app, TrainingClass, enrolling.id, capacity=2)  # 刘文斌 holds one seat
    inst = login_as("inst_a")
    listed = list_table(inst.get(f"{CONFIRM}/").get_data(as_text=True))
    assert "陈诗慧" in listed and "吴志刚" in listed and "刘文斌" not in listed
    wu = _enrolment(app, ENROLLING, "吴志刚")
    page = act(inst, "enrol_confirm", "confirm", [waiting.id, wu.id]).get_data(as_text=True)
    assert "确认成功1条，跳过1条" in flashes(page) and "培训班已满（计划招生人数2人）" in flashes(page)
    statuses = {one(app, Enrolment, id=waiting.id).status, one(app, Enrolment, id=wu.id).status}
    assert statuses == {"enrolled", "applied"}  # the loser's change was rolled back with its refusal
    assert _class(app, ENROLLING).enrolled_count == 2
    loser = waiting.id if one(app, Enrolment, id=waiting.id).status == "applied" else wu.id
    assert "拒绝成功1条" in flashes(act(inst, "enrol_confirm", "refuse", [loser]).get_data(as_text=True))
    assert one(app, Enrolment, id=loser).status == "refused"
    page = act(inst, "enrol_confirm", "confirm", [loser]).get_data(as_text=True)
    assert "只有“已报名待确认”的报名才能确认" in flashes(page)

    # the person sees the outcome; a 考核结果 shows once recorded
    row = _enrolment(app, ENROLLING, "陈诗慧")
    _set(app, Enrolment, row.id, score=91, result="pass")
    mine = list_table(chen.get(f"{MINE}/?flt0_0=all").get_data(as_text=True))
    assert ENROLLING in mine and "91" in mine and "合格" in mine


def test_a_person_cannot_touch_another_persons_enrolment(app, login_as):
    wu = _enrolment(app, ENROLLING, "吴志刚")
    chen = login_as("p_chen")
    assert act(chen, MINE, "cancel", [wu.id], follow=False).status_code == 404
    assert chen.get(f"{MINE}/details/?id={wu.id}").status_code == 404
    assert one(app, Enrolment, id=wu.id).status == "applied"
    assert login_as("unit_a", "广州示范大学").get(f"{APPLY}/").status_code == 403


def test_an_institution_never_sees_another_institutions_enrolments(app, login_as):
    make_org(app, "inst_yx", "广州越秀职业培训学院", "institution", "city", "440104", 7101)
    wu = _enrolment(app, ENROLLING, "吴志刚")
    other = login_as("inst_yx")
    assert "吴志刚" not in list_table(other.get(f"{CONFIRM}/?flt0_1=all").get_data(as_text=True))
    assert other.get(f"{CONFIRM}/details/?id={wu.id}").status_code == 404
    assert act(other, "enrol_confirm", "confirm", [wu.id], follow=False).status_code == 404
    assert one(app, Enrolment, id=wu.id).status == "applied"
    assert login_as("unit_a", "广州示范大学").get(f"{CONFIRM}/").status_code == 403


def test_one_application_is_decided_from_its_page_and_counted_on_the_workbench(app, login_as):
    wu = _enrolment(app, ENROLLING, "吴志刚")
    inst = login_as("inst_a")
    assert f"{CONFIRM}/details/?id={wu.id}" in list_table(inst.get(f"{CONFIRM}/").get_data(as_text=True))
    assert 'data-todo="enrol_applications"' in inst.get("/admin/").get_data(as_text=True)
    page = inst.get(f"{CONFIRM}/details/?id={wu.id}").get_data(as_text=True)
    assert 'id="decide-form"' in page and "吴志刚" in page
    url = f"{CONFIRM}/decide/?id={wu.id}"
    response = inst.post(url, {"accept": "0"}, token_page=f"{CONFIRM}/details/?id={wu.id}")
    assert response.status_code == 302
    assert one(app, Enrolment, id=wu.id).status == "refused"
    assert 'id="decide-form"' not in inst.get(f"{CONFIRM}/details/?id={wu.id}").get_data(as_text=True)

    chen = _enrolment(app, ENROLLING, "陈诗慧")
    make_org(app, "inst_yx", "广州越秀职业培训学院", "institution", "city", "440104", 7102)
    other = login_as("inst_yx")
    assert other.post(f"{CONFIRM}/decide/?id={chen.id}", {"accept": "1"}).status_code == 404
    assert one(app, Enrolment, id=chen.id).status == "applied"


def test_the_tabs_and_their_rows_read_as_the_product(app, login_as):
    """The 未录入 / 已录入 tabs are reached from a row, not the menu, so the page walk does not see them."""
    from backoffice.demo import ACCOUNTS, SERIES
    from wording import problems

    data_words = {login for login, *_ in ACCOUNTS} | {code for code, _ in SERIES}
    internal = _class(app, INTERNAL)
    unit = login_as("unit_a", "广州示范大学")
    zhao, chen = _enrolment(app, INTERNAL, "赵明远"), _person(app, "吴志刚")  # 吴志刚 is not entered yet
    pages = [
        f"{PEOPLE}/?class_id={internal.id}", f"{ENTERED}/?class_id={internal.id}",
        f"{ENTERED}/details/?id={zhao.id}&class_id={internal.id}", f"{PEOPLE}/details/?id={chen.id}&class_id={internal.id}",
        f"{PEOPLE}/",  # no class chosen: says so, lists nobody
    ]
    for url in pages:
        response = unit.get(url)
        assert response.status_code == 200, url
        assert problems(response.get_data(as_text=True), data_words) == [], url
    tab = unit.get(f"{ENTERED}/?class_id={internal.id}").get_data(as_text=True)
    assert f"/class_enrol_entered/details/?id={zhao.id}" in tab and f"class_id={internal.id}" in tab
    assert "请先在" in unit.get(f"{PEOPLE}/").get_data(as_text=True)
    assert unit.get(f"{PEOPLE}/?class_id=abc").status_code == 404
