"""培训班设置: the classes of approved plans and the 班级状态操作 with their rules (workflows.classes.MOVES)."""
import re

from backoffice.extensions import db
from backoffice.models import Enrolment, TrainingClass

from pages import act, flashes, list_table
from training_helpers import CLASSES, YEAR, class_status, enrol, filtered, move, one

INSTITUTE_PLAN = f"{YEAR}年高校教师教学能力提升研修班"  # the demo's approved plan of 广东示范继续教育学院


def _class(app, n, plan=INSTITUTE_PLAN):
    return one(app, TrainingClass, name=f"{plan}第{n}期")


def test_the_list_shows_classes_of_approved_plans_only_with_the_manuals_filters(app, login_as):
    inst = login_as("inst_a")
    listing = list_table(inst.get(f"{CLASSES}/").get_data(as_text=True))
    for n in (1, 2, 3):
        assert f"{INSTITUTE_PLAN}第{n}期" in listing
    assert "高等教育数字化转型研修" not in listing  # its plan waits for review
    for status, shown, hidden in [("open", 3, 1), ("enrolling", 2, 3)]:
        rows = filtered(inst, CLASSES, "班级状态", status)
        assert f"第{shown}期" in rows and f"第{hidden}期" not in rows
    assert "第1期" in filtered(inst, CLASSES, "专业课程名称", "能力提升")
    assert "第1期" not in filtered(inst, CLASSES, "专业课程名称", "不存在的课程")
    assert "第1期" in filtered(inst, CLASSES, "年度", YEAR)
    assert "第1期" not in filtered(inst, CLASSES, "年度", YEAR - 5)
    assert "第1期" in filtered(inst, CLASSES, "课程类型", "professional")
    assert "第1期" not in filtered(inst, CLASSES, "课程类型", "public")
    assert "第2期" in filtered(inst, CLASSES, "班级名称", "第2期")

def test_open_accept_and_cancel_follow_the_table(app, login_as):
    inst = login_as("inst_a")
    first, second, third = (_class(app, n) for n in (1, 2, 3))

    # 开班 from 未开班 and from 接受报名; 开班 again is refused with the state
    page = move(inst, [first.id, second.id], "open", "按计划开班").get_data(as_text=True)
    assert "开班成功2条" in flashes(page)
    assert class_status(app, first.id) == class_status(app, second.id) == "open"
    assert one(app, TrainingClass, id=first.id).status_note == "按计划开班"
    page = move(inst, [first.id], "open").get_data(as_text=True)
    assert "开班成功0条，跳过1条（" in flashes(page) and "当前班级状态为“开班”，不能开班" in flashes(page)

    # 接受报名 back from 开班
    assert "接受报名成功1条" in flashes(move(inst, [third.id], "enrol").get_data(as_text=True))
    assert class_status(app, third.id) == "enrolling"

    # 说明 is at most 50 characters: the whole batch is refused, nothing changes
    page = move(inst, [third.id], "cancel", "说" * 51).get_data(as_text=True)
    assert "说明请控制在50字之内" in page
    assert class_status(app, third.id) == "enrolling"

    # 取消 only while no result exists; 取消 is final
    enrol(app, first.id, "陈诗慧", result="pass")
    page = move(inst, [first.id, third.id], "cancel", "报名人数不足").get_data(as_text=True)
    assert "取消成功1条，跳过1条" in flashes(page) and "已有学员录入了考核结果，不能取消" in flashes(page)
    assert (class_status(app, first.id), class_status(app, third.id)) == ("open", "cancelled")
    assert "当前班级状态为“取消”，不能开班" in flashes(move(inst, [third.id], "open").get_data(as_text=True))


def test_finish_needs_a_result_for_every_enrolee(app, login_as):
    inst = login_as("inst_a")
    running = _class(app, 1)  # 未开班 in the demo, without enrolees (the demo's second and third have theirs)
    assert "开班成功1条" in flashes(move(inst, [running.id], "open").get_data(as_text=True))
    assert "没有报名成功的学员，不能结业" in flashes(move(inst, [running.id], "finish").get_data(as_text=True))
    enrol(app, running.id, "陈诗慧", result="pass")
    waiting = enrol(app, running.id, "刘文斌", status="applied")
    assert "尚有1人报名待确认" in flashes(move(inst, [running.id], "finish").get_data(as_text=True))
    with app.app_context():
        db.session.get(Enrolment, waiting).status = "enrolled"
        db.session.commit()
    assert "尚有学员未录入考核结果" in flashes(move(inst, [running.id], "finish").get_data(as_text=True))
    with app.app_context():
        db.session.get(Enrolment, waiting).result = "fail"
        db.session.commit()
    assert "结业成功1条" in flashes(move(inst, [running.id], "finish", "考核完成").get_data(as_text=True))
    assert class_status(app, running.id) == "finished"
    assert "当前班级状态为“结业”，不能取消" in flashes(move(inst, [running.id], "cancel").get_data(as_text=True))


def test_two_operators_pressing_the_same_move_apply_it_once(app, login_as):
    target = _class(app, 1)
    first, second = login_as("inst_a"), login_as("inst_a")
    second.get(f"{CLASSES}/status/?id={target.id}&move=open")  # both have the form open
    assert "开班成功1条" in flashes(move(first, [target.id], "open", "第一位").get_data(as_text=True))
    page = move(second, [target.id], "open", "第二位").get_data(as_text=True)
    assert "开班成功0条" in flashes(page) and "当前班级状态为“开班”，不能开班" in flashes(page)
    assert one(app, TrainingClass, id=target.id).status_note == "第一位"


def test_a_units_class_is_internal_and_cannot_accept_applications(app, login_as):
    unit = login_as("unit_a", "广州示范大学")
    internal = one(app, TrainingClass, name=f"{YEAR}年课程思政校内培训第1期")
    page = move(unit, [internal.id], "enrol").get_data(as_text=True)
    assert "法人单位的培训班只针对本单位内部培训" in flashes(page)
    assert class_status(app, internal.id) == "open"
    assert 'data-model-action="enrol"' not in unit.get(f"{CLASSES}/").get_data(as_text=True)
    assert 'data-model-action="enrol"' in login_as("inst_a").get(f"{CLASSES}/").get_data(as_text=True)


def test_the_action_menu_leads_to_the_status_form(app, login_as):
    inst = login_as("inst_a")
    target = _class(app, 1)
    response = act(inst, "class_setup", "finish", [target.id], follow=False)
    assert response.status_code == 302 and "/class_setup/status/" in response.headers["Location"]
    form = inst.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="move"[^>]*value="finish"', form)
    assert target.name in form
