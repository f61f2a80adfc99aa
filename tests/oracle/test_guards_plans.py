"""专业课计划申报's guards on a plan's classes and on 送审 (workflows/plans.py), called straight like
test_guards_training.py, which covers who may change a plan at all; here what a draft plan's owner may
reach through it:

- `save_class` / `delete_class` change only a class OF THE PLAN whose owner was checked: through one's own
  draft, another organisation's class (or one's own class of another, submitted plan) is refused;
- a plan holds at most 拟办期数 classes (`save_class`), and `save_plan` neither lowers 拟办期数 below the
  classes already made nor moves the plan's dates off a class's;
- `delete_class` has the owner's and the 草稿/已退回 guard of every other change;
- `submit_many` submits each row through `submit_plan`: the owner's submittable plans go, the rest are
  skipped with their reason.

The calls run inside `acting(app)`: rolled back at its end, so the module's world stays as built.
"""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, ClassStatus, DictionaryCategory
from backoffice.models import ClassSubject, Plan, TrainingClass
from backoffice.models.reference import dictionary_choices
from backoffice.workflows import WorkflowError
from backoffice.workflows.plans import READ_ONLY, delete_class, save_class, save_plan, submit_many
from backoffice.workflows.teachers import FieldError
from world import acting, row

NOT_OF_PLAN = "该培训班不属于此计划"
FULL = "培训班数量已达拟办期数（3期），如需增加请先修改拟办期数"


def _class_data(world, name: str, *, opens=date(2026, 3, 20), start=date(2026, 3, 20), end=date(2026, 3, 21),
                subjects=("科目",)) -> dict:
    """A valid class of 广州 unit 1's pl_gz1_draft (2026-03-01 to 2026-05-30), taught by its te_gz1."""
    return dict(
        name=name, planned_open_on=opens, study_start_on=start, study_end_on=end,
        study_form_code=dictionary_choices(DictionaryCategory.STUDY_FORM)[0][0],
        exam_type_code=dictionary_choices(DictionaryCategory.EXAM_TYPE)[0][0], capacity=30, location="学习地点",
        schedule="时间安排", head_teacher_id=world.ids["te_gz1"], teacher_ids=[world.ids["te_gz1"]],
        subjects=list(subjects),
    )


def _plan_data(world, *, sessions=3, start=date(2026, 3, 1), end=date(2026, 5, 30)) -> dict:
    """pl_gz1_draft's own values (as built), with 拟办期数 and the dates to change."""
    return dict(
        course_id=world.ids["co_a"], name="pl_gz1_draft", year=2026, days="2", hours="12", sessions=sessions,
        start_on=start, end_on=end, content="培训内容", audience="培训对象", note=None,
    )


def _class_count(plan_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(TrainingClass).where(TrainingClass.plan_id == plan_id))


# ---- a class of this plan only ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "other,plan_of_other",
    [
        ("cl_sz_wait", "pl_sz_wait"),  # 深圳 unit's class
        ("cl_inst_p_enrol", "pl_inst_p_ok"),  # the province institution's class, taking enrolments
        # 广州 unit 1's own class, but of its plan waiting for review: read-only, not to be reached via the draft
        ("cl_gz1_wait", "pl_gz1_wait"),
    ],
)
def test_a_draft_plan_does_not_reach_another_plans_class(app, world, other, plan_of_other):
    """unit_gz1 may change its draft pl_gz1_draft; a class of another plan passed beside it is refused, by
    `save_class` and `delete_class` alike, and stays as it was (run 10's `save_class` 7; `delete_class`)."""
    with acting(app):
        plan, owner = row(world, Plan, "pl_gz1_draft"), world.actors["unit_gz1"]
        target = row(world, TrainingClass, other)
        with pytest.raises(WorkflowError, match=re.escape(NOT_OF_PLAN)):
            save_class(plan, target, owner, **_class_data(world, "or_taken_over"))
        with pytest.raises(WorkflowError, match=re.escape(NOT_OF_PLAN)):
            delete_class(plan, target, owner)
        db.session.expire_all()
        target = row(world, TrainingClass, other)
        assert (target.name, target.plan_id) == (other, world.ids[plan_of_other])
        assert [c.name for c in row(world, Plan, "pl_gz1_draft").classes] == ["cl_gz1_draft"]


def test_the_owner_changes_and_deletes_its_drafts_own_class(app, world):
    """The same calls with the plan's own cl_gz1_draft: changed in place (its kept subject keeps its row,
    the new one is added, in the order given), then deleted with its subjects."""
    with acting(app):
        plan, owner = row(world, Plan, "pl_gz1_draft"), world.actors["unit_gz1"]
        own = row(world, TrainingClass, "cl_gz1_draft")
        saved = save_class(plan, own, owner, **_class_data(world, "or_renamed", subjects=("新科目", "su_gz1_draft")))
        db.session.expire_all()
        assert saved.id == world.ids["cl_gz1_draft"]
        own = row(world, TrainingClass, "cl_gz1_draft")
        assert (own.name, own.plan_id, own.status, own.planned_open_on) == (
            "or_renamed", world.ids["pl_gz1_draft"], ClassStatus.NOT_STARTED, date(2026, 3, 20))
        assert [(s.name, s.sort) for s in own.subjects] == [("新科目", 1), ("su_gz1_draft", 2)]
        assert own.subjects[1].id == world.ids["su_gz1_draft"]
        assert _class_count(plan.id) == 1

        delete_class(row(world, Plan, "pl_gz1_draft"), own, owner)
        db.session.expire_all()
        assert row(world, TrainingClass, "cl_gz1_draft") is None
        assert db.session.get(ClassSubject, world.ids["su_gz1_draft"]) is None
        assert (_class_count(world.ids["pl_gz1_draft"]), row(world, Plan, "pl_gz1_draft").classes) == (0, [])


@pytest.mark.parametrize(
    "who,plan_key,class_key,message",
    [
        ("unit_sz", "pl_gz1_draft", "cl_gz1_draft", "该专业课计划不属于本单位"),
        ("inst_p", "pl_gz1_draft", "cl_gz1_draft", "该专业课计划不属于本单位"),
        # its own unit, without 专业课计划申报 among the member's roles
        ("multi_gz1", "pl_gz1_draft", "cl_gz1_draft", "您没有申报专业课计划的权限"),
        # the plan's reviewer-to-be reads plans, it deletes no class
        ("ind_gz", "pl_gz1_wait", "cl_gz1_wait", "该专业课计划不属于本单位"),
        # the owner, but the plan waits for review
        ("unit_gz1", "pl_gz1_wait", "cl_gz1_wait", READ_ONLY),
    ],
)
def test_only_the_owner_deletes_a_class_of_its_draft(app, world, who, plan_key, class_key, message):
    """`delete_class` checks the plan's owner and its 草稿/已退回 state like every other change."""
    with acting(app):
        plan, target = row(world, Plan, plan_key), row(world, TrainingClass, class_key)
        with pytest.raises(WorkflowError, match=re.escape(message)):
            delete_class(plan, target, world.actors[who])
        db.session.expire_all()
        assert row(world, TrainingClass, class_key).plan_id == world.ids[plan_key]
        assert _class_count(world.ids[plan_key]) == 1


# ---- 拟办期数: at most that many classes -------------------------------------------------------------


def test_a_plan_holds_at_most_its_sessions_of_classes(app, world):
    """pl_gz1_draft plans 3 期 and has 1 class: the 2nd and 3rd are added (exactly at the limit), a 4th is
    refused; a class already made is still changed at the limit (run 10's `save_class` 37, 40)."""
    with acting(app):
        plan, owner = row(world, Plan, "pl_gz1_draft"), world.actors["unit_gz1"]
        assert plan.sessions == 3
        save_class(plan, None, owner, **_class_data(world, "or_second"))
        third = save_class(plan, None, owner, **_class_data(world, "or_third"))
        assert _class_count(plan.id) == 3
        with pytest.raises(WorkflowError, match=re.escape(FULL)):
            save_class(plan, None, owner, **_class_data(world, "or_fourth"))
        assert _class_count(plan.id) == 3

        save_class(plan, third, owner, **_class_data(world, "or_third_renamed"))
        db.session.expire_all()
        assert [c.name for c in row(world, Plan, "pl_gz1_draft").classes] == [
            "cl_gz1_draft", "or_second", "or_third_renamed"]


def test_sessions_are_not_lowered_below_the_classes_made(app, world):
    """With 2 classes, 拟办期数 1 is refused and the plan keeps 3; 2 (exactly the classes) is accepted."""
    with acting(app):
        plan, owner = row(world, Plan, "pl_gz1_draft"), world.actors["unit_gz1"]
        save_class(plan, None, owner, **_class_data(world, "or_second"))
        with pytest.raises(FieldError, match=re.escape("已有2个培训班，拟办期数不能少于2")) as refused:
            save_plan(plan, owner, **_plan_data(world, sessions=1))
        assert refused.value.field == "sessions"
        db.session.refresh(plan)
        assert plan.sessions == 3

        save_plan(plan, owner, **_plan_data(world, sessions=2))
        db.session.refresh(plan)
        assert (plan.sessions, plan.status) == (2, ApplicationStatus.DRAFT)


@pytest.mark.parametrize(
    "start,end,outside",
    [
        # the plan starts after or_early's 计划开班时间 (3-05), before its study days
        (date(2026, 3, 6), date(2026, 5, 30), "or_early"),
        # after cl_gz1_draft's 计划开班时间 and 学习开始时间 (3-11)
        (date(2026, 3, 12), date(2026, 5, 30), "cl_gz1_draft"),
        # ends before cl_gz1_draft's 学习结束时间 (3-13)
        (date(2026, 3, 1), date(2026, 3, 12), "cl_gz1_draft"),
    ],
)
def test_a_plans_dates_keep_its_classes_inside(app, world, start, end, outside):
    """A class must lie inside its plan's dates: new plan dates that leave out one of a class's days are
    refused, naming the class; dates that just hold every class (3-05 to 3-13) are accepted."""
    with acting(app):
        plan, owner = row(world, Plan, "pl_gz1_draft"), world.actors["unit_gz1"]
        save_class(plan, None, owner, **_class_data(
            world, "or_early", opens=date(2026, 3, 5), start=date(2026, 3, 11), end=date(2026, 3, 12)))
        with pytest.raises(FieldError, match=re.escape(f"培训班“{outside}”的学习时间不在计划时间内，请先修改培训班")) as refused:
            save_plan(plan, owner, **_plan_data(world, start=start, end=end))
        assert refused.value.field == "end_on"
        db.session.refresh(plan)
        assert (plan.start_on, plan.end_on) == (date(2026, 3, 1), date(2026, 5, 30))

        save_plan(plan, owner, **_plan_data(world, start=date(2026, 3, 5), end=date(2026, 3, 13)))
        db.session.refresh(plan)
        assert (plan.start_on, plan.end_on) == (date(2026, 3, 5), date(2026, 3, 13))


# ---- 批量送审 --------------------------------------------------------------------------------------


def test_submit_many_submits_the_owners_submittable_plans_only(app, world):
    """unit_gz1 批量送审s its draft with a class (to 广州's 甲 department), its waiting plan, its returned
    乙 plan without classes and 深圳 unit's plan: one is done, three are skipped with their reasons."""
    with acting(app):
        keys = ["pl_gz1_draft", "pl_gz1_wait", "pl_gz1_b_ret", "pl_sz_wait"]
        before = {key: row(world, Plan, key).status for key in keys}
        outcome = submit_many([row(world, Plan, key) for key in keys], world.actors["unit_gz1"])
        assert [(plan.name, reviewer.id) for plan, reviewer in outcome.done] == [
            ("pl_gz1_draft", world.ids["or_ind_gz_a"])]
        assert outcome.skipped == [
            ("pl_gz1_wait", "当前状态为“待审核”，不能送审"),
            ("pl_gz1_b_ret", "请先新增至少一个培训班，再送审"),
            ("pl_sz_wait", "该专业课计划不属于本单位"),
        ]
        db.session.expire_all()
        done = row(world, Plan, "pl_gz1_draft")
        assert (done.status, done.reviewer_org_id) == (ApplicationStatus.PENDING, world.ids["or_ind_gz_a"])
        assert {key: row(world, Plan, key).status for key in keys[1:]} == {key: before[key] for key in keys[1:]}
