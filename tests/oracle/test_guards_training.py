"""The training workflows' guards (issue 10), called straight like tests/oracle/test_guards.py: each
refusal by an identity that must be refused — often one that *sees* the row through its scope, so the
guard and not the scope is what stops it — beside the same call by the identity that may make it.

The calls run inside `acting(app)`: rolled back at its end, so the module's world stays as built.
"""
import dataclasses
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, AuditAction, CatalogueStatus, ClassStatus, DictionaryCategory, ReviewResult
from backoffice.models import AuditLog, Catalogue, Course, Plan, Qualification, TrainingClass
from backoffice.models.reference import dictionary_choices
from backoffice.workflows import WorkflowError
from backoffice.workflows.catalogue import delete_course, publish, save_catalogue, save_course, withdraw_course
from backoffice.workflows.classes import INTERNAL_ONLY, move_class, move_many
from backoffice.workflows.plans import (
    NOT_QUALIFIED,
    PLAN,
    READ_ONLY,
    delete_plan,
    save_class,
    save_plan,
    submit_plan,
)
from backoffice.workflows.qualifications import (
    QUALIFICATION,
    delete_application,
    save_note,
    submit_application,
)
from backoffice.workflows.review import ReviewError, review, review_many
from backoffice.workflows.teachers import FieldError
from world import acting, row


def _plan_data(world, course="co_a", name="or_saved_plan") -> dict:
    return dict(
        course_id=world.ids[course], name=name, year=2026, days="2", hours=None, sessions=3,
        start_on=date(2026, 3, 1), end_on=date(2026, 5, 30), content="培训内容", audience="培训对象", note=None,
    )


def _class_data(world, teacher: str) -> dict:
    return dict(
        name="or_saved_class", planned_open_on=date(2026, 3, 11), study_start_on=date(2026, 3, 11),
        study_end_on=date(2026, 3, 12), study_form_code=dictionary_choices(DictionaryCategory.STUDY_FORM)[0][0],
        exam_type_code=dictionary_choices(DictionaryCategory.EXAM_TYPE)[0][0], capacity=30, location="学习地点",
        schedule="时间安排", head_teacher_id=world.ids[teacher], teacher_ids=[world.ids[teacher]], subjects=["科目"],
    )


# ---- review: only the organisation a qualification or plan is routed to decides it ---------------


@pytest.mark.parametrize(
    "flow,model,key,outsider,reviewer",
    [
        # the province's 甲 department is above 广州's, but the application is routed to 广州's
        (QUALIFICATION, Qualification, "qu_gz_a", "ind_p", "ind_gz"),
        # 广州 HR sees the application (its region, submitted) and decides nothing
        (QUALIFICATION, Qualification, "qu_gz_a", "hr_gz", "ind_gz"),
        # the province department sees the plan (region ∩ series) but it is routed to 广州's
        (PLAN, Plan, "pl_gz1_wait", "ind_p", "ind_gz"),
        (PLAN, Plan, "pl_gz1_wait", "hr_gz", "ind_gz"),
        # a department's own 备案 goes to the one above: never its own reviewer
        (PLAN, Plan, "pl_ind_gz_wait", "ind_gz", "ind_p"),
        # routed to 广州 HR: the province HR sees it and decides nothing
        (PLAN, Plan, "pl_gz2_hr", "hr_p", "hr_gz"),
        # the owner never reviews its own plan
        (PLAN, Plan, "pl_gz1_wait", "unit_gz1", "ind_gz"),
    ],
)
def test_only_the_routed_reviewer_decides_a_training_row(app, world, flow, model, key, outsider, reviewer):
    with acting(app):
        target = row(world, model, key)
        with pytest.raises(ReviewError, match="不在本单位的审核范围内"):
            review(flow, target, ReviewResult.APPROVE, None, world.actors[outsider])
        db.session.refresh(target)
        assert target.status == ApplicationStatus.PENDING
        outcome = review_many(flow, [target], ReviewResult.CLOSE, "重复申请", world.actors[outsider])
        assert not outcome.done and outcome.skipped
        db.session.refresh(target)
        assert target.status == ApplicationStatus.PENDING

        review(flow, target, ReviewResult.RETURN, "材料不全", world.actors[reviewer])
        db.session.refresh(target)
        assert target.status == ApplicationStatus.RETURNED


@pytest.mark.parametrize(
    "flow,model,key,reviewer",
    [(PLAN, Plan, "pl_gz1_ok", "ind_gz"), (PLAN, Plan, "pl_sz_closed", "ind_p")],
)
def test_a_decided_plan_is_not_decided_again(app, world, flow, model, key, reviewer):
    """Routed to the reviewer, but no longer waiting (approved; closed, which is final)."""
    with acting(app):
        target = row(world, model, key)
        before = target.status
        with pytest.raises(ReviewError, match="已审核"):
            review(flow, target, ReviewResult.RETURN, "退回", world.actors[reviewer])
        db.session.refresh(target)
        assert target.status == before


# ---- plans and their classes: only the owner, only while 草稿 / 已退回 -----------------------------


@pytest.mark.parametrize(
    "who,key,message",
    [
        ("unit_sz", "pl_gz1_draft", "该专业课计划不属于本单位"),
        ("inst_p", "pl_gz1_draft", "该专业课计划不属于本单位"),
        # the province department's 备案 screen does not reach a subordinate's 备案 draft
        ("ind_p", "pl_ind_gz_draft", "该专业课计划不属于本单位"),
        # its own unit, but no 专业课计划申报 among the member's roles
        ("multi_gz1", "pl_gz1_draft", "您没有申报专业课计划的权限"),
        # HR reviews and queries plans, it files none
        ("hr_gz", "pl_gz1_draft", "您没有申报专业课计划的权限"),
        ("p1", "pl_gz1_draft", "您没有申报专业课计划的权限"),
    ],
)
def test_only_the_owner_changes_a_plan(app, world, who, key, message):
    with acting(app):
        plan = row(world, Plan, key)
        owner = {"pl_gz1_draft": "unit_gz1", "pl_ind_gz_draft": "ind_gz"}[key]
        teacher = {"pl_gz1_draft": "te_gz1", "pl_ind_gz_draft": "te_ind_gz"}[key]
        actor = world.actors[who]
        calls = [
            lambda: save_plan(plan, actor, **_plan_data(world)),
            lambda: save_class(plan, None, actor, **_class_data(world, teacher)),
            lambda: submit_plan(plan, actor),
            lambda: delete_plan(plan, actor),
        ]
        classes = len(plan.classes)
        for call in calls:
            with pytest.raises(WorkflowError, match=re.escape(message)):
                call()
        db.session.refresh(plan)
        assert (plan.name, plan.status, len(plan.classes)) == (key, ApplicationStatus.DRAFT, classes)

        save_plan(plan, world.actors[owner], **_plan_data(world))
        save_class(plan, None, world.actors[owner], **_class_data(world, teacher))
        db.session.refresh(plan)
        assert plan.name == "or_saved_plan" and "or_saved_class" in {c.name for c in plan.classes}


@pytest.mark.parametrize("key", ["pl_gz1_wait", "pl_gz1_ok"])
def test_a_submitted_plan_is_read_only_for_its_owner_too(app, world, key):
    with acting(app):
        plan = row(world, Plan, key)
        owner = world.actors["unit_gz1"]
        for call in (
            lambda: save_plan(plan, owner, **_plan_data(world)),
            lambda: save_class(plan, None, owner, **_class_data(world, "te_gz1")),
            lambda: delete_plan(plan, owner),
        ):
            with pytest.raises(WorkflowError, match=re.escape(READ_ONLY)):
                call()
        with pytest.raises(ReviewError, match="不能送审"):
            submit_plan(plan, owner)
        db.session.refresh(plan)
        assert plan.name == key


def test_a_class_names_only_the_owners_teachers(app, world):
    """A posted id of another organisation's teacher is refused, whatever the form offered."""
    with acting(app):
        plan = row(world, Plan, "pl_gz1_draft")
        owner = world.actors["unit_gz1"]
        with pytest.raises(FieldError, match="班主任"):
            save_class(plan, None, owner, **_class_data(world, "te_sz"))
        data = _class_data(world, "te_gz1") | {"teacher_ids": [world.ids["te_inst_p"]]}
        with pytest.raises(FieldError, match="授课教师"):
            save_class(plan, None, owner, **data)
        assert save_class(plan, None, owner, **_class_data(world, "te_gz1")).name == "or_saved_class"


# ---- which courses a plan may be made from -------------------------------------------------------


def test_an_institution_files_plans_only_for_series_it_is_qualified_for(app, world):
    """inst_p holds an approved 甲 qualification (qu_p_a); its 乙 application is still a draft (qu_p_b)."""
    with acting(app):
        inst = world.actors["inst_p"]
        with pytest.raises(FieldError, match=re.escape(NOT_QUALIFIED)):
            save_plan(None, inst, **_plan_data(world, "co_b", "or_b_plan"))
        # a 乙 course slipped onto its draft plan is refused again at 送审
        plan = row(world, Plan, "pl_inst_p_draft")
        plan.course_id, plan.series_id = world.ids["co_b"], world.ids["orc_b"]
        db.session.add(TrainingClass(
            plan_id=plan.id, name="or_b_class", planned_open_on=date(2026, 3, 11), study_form_code="01",
            study_start_on=date(2026, 3, 11), study_end_on=date(2026, 3, 12), capacity=30,
            head_teacher_id=world.ids["te_inst_p"], exam_type_code="02", location="地点", schedule="安排",
        ))
        db.session.flush()
        db.session.refresh(plan)
        with pytest.raises(ReviewError, match=re.escape(NOT_QUALIFIED)):
            submit_plan(plan, inst)
        db.session.refresh(plan)
        assert plan.status == ApplicationStatus.DRAFT

        # the same plan of its 甲 series goes to the province's 甲 department
        plan.course_id, plan.series_id = world.ids["co_a"], world.ids["orc_a"]
        db.session.flush()
        assert submit_plan(plan, inst).id == world.ids["or_ind_p_a"]
        assert save_plan(None, inst, **_plan_data(world, "co_a", "or_a_plan")).name == "or_a_plan"


@pytest.mark.parametrize(
    "who,course",
    [
        ("unit_gz1", "co_a_gone"),  # withdrawn (撤回)
        ("unit_gz1", "co_a_next"),  # its catalogue is still a draft
        ("ind_p", "co_a_next"),  # even for the department keeping that draft
        ("ind_gz", "co_b"),  # an industry department files only its own series
    ],
)
def test_a_plan_is_made_only_from_a_course_the_owner_may_choose(app, world, who, course):
    with acting(app):
        with pytest.raises(FieldError, match="已撤回或不可选择"):
            save_plan(None, world.actors[who], **_plan_data(world, course, "or_refused_plan"))
        assert save_plan(None, world.actors[who], **_plan_data(world, "co_a", "or_ok_plan")).name == "or_ok_plan"


# ---- 专业培训资格申请: only the institution's own -------------------------------------------------


@pytest.mark.parametrize(
    "who,key,message",
    [
        ("inst_p", "qu_gz_b", "不属于本机构"),
        # its reviewer is a department, not the institution
        ("ind_gz", "qu_gz_a", "您没有申请专业培训资格的权限"),
        ("hr_gz", "qu_gz_b", "您没有申请专业培训资格的权限"),
        # an institution whose own application is not approved holds no 资格申请 module yet
        ("inst_gz", "qu_gz_b", "您没有申请专业培训资格的权限"),
    ],
)
def test_only_the_institution_changes_its_application(app, world, who, key, message):
    with acting(app):
        target = row(world, Qualification, key)
        before = (target.status, target.note)
        actor = world.actors[who]
        for call in (
            lambda: save_note(target, actor, "改了"),
            lambda: submit_application(target, actor),
            lambda: delete_application(target, actor),
        ):
            with pytest.raises(WorkflowError, match=re.escape(message)):
                call()
        db.session.refresh(target)
        assert (target.status, target.note) == before

    with acting(app):  # its own draft: the institution may
        own = row(world, Qualification, "qu_p_b")
        save_note(own, world.actors["inst_p"], "改了")
        assert own.note == "改了"


# ---- 培训班设置: only the owner's classes of approved plans -------------------------------------


@pytest.mark.parametrize(
    "who,key,code,message",
    [
        ("unit_sz", "cl_gz1_open", "cancel", "该培训班不属于本单位"),
        ("inst_p", "cl_gz1_open", "cancel", "该培训班不属于本单位"),
        # the plan's reviewer sees the class and does not run it
        ("ind_gz", "cl_gz1_open", "cancel", "该培训班不属于本单位"),
        ("ind_p", "cl_inst_p_enrol", "open", "该培训班不属于本单位"),
        # its own unit, but no 培训班设置 among the member's roles
        ("multi_gz1", "cl_gz1_open", "cancel", "您没有设置培训班状态的权限"),
        ("hr_p", "cl_inst_p_enrol", "open", "您没有设置培训班状态的权限"),
        # its own class, but the plan waits for review
        ("unit_gz1", "cl_gz1_wait", "open", "审核通过后才能设置班级状态"),
        # a unit's classes are internal: nobody applies to them
        ("unit_gz1", "cl_gz1_open", "enrol", INTERNAL_ONLY),
    ],
)
def test_only_the_owner_moves_a_class_of_an_approved_plan(app, world, who, key, code, message):
    with acting(app):
        target = row(world, TrainingClass, key)
        before = target.status
        with pytest.raises(WorkflowError, match=re.escape(message)):
            move_class(target, code, "说明", world.actors[who])
        outcome = move_many([target], code, "说明", world.actors[who])
        assert not outcome.done and outcome.skipped
        db.session.refresh(target)
        assert target.status == before


@pytest.mark.parametrize(
    "who,key,code,status",
    [
        ("unit_gz1", "cl_gz1_open", "cancel", ClassStatus.CANCELLED),
        ("inst_p", "cl_inst_p_enrol", "open", ClassStatus.OPEN),
    ],
)
def test_the_owner_moves_its_class(app, world, who, key, code, status):
    with acting(app):
        target = row(world, TrainingClass, key)
        move_class(target, code, "说明", world.actors[who])
        db.session.refresh(target)
        assert (target.status, target.status_note) == (status, "说明")


# ---- 专业课目录指南发布: a province-level department, its own catalogue -----------------------------


@pytest.mark.parametrize(
    "who,key,message",
    [
        # the 乙 department's draft: not the 甲 department's to change or publish
        ("ind_p", "ca_b_draft", "该专业课目录不属于本单位"),
        # a city department has no such menu (province_only) ...
        ("ind_gz", "ca_a_draft", "您没有发布专业课目录的权限"),
        ("hr_p", "ca_a_draft", "您没有发布专业课目录的权限"),
        ("inst_p", "ca_a_draft", "您没有发布专业课目录的权限"),
    ],
)
def test_only_the_province_department_changes_its_catalogue(app, world, who, key, message):
    with acting(app):
        catalogue = row(world, Catalogue, key)
        course = catalogue.courses[0]
        actor = world.actors[who]
        for call in (
            lambda: save_catalogue(catalogue, actor, year=2028, declared_on=date(2026, 3, 1)),
            lambda: save_course(catalogue, None, actor, name="or_new_course", content="学习内容", note=None),
            lambda: delete_course(catalogue, course, actor),
            lambda: publish(catalogue, actor),
        ):
            with pytest.raises(WorkflowError, match=re.escape(message)):
                call()
        db.session.refresh(catalogue)
        assert (catalogue.status, catalogue.year, len(catalogue.courses)) == (CatalogueStatus.DRAFT, 2027, 1)

    with acting(app):  # the province's 甲 department publishes its own draft
        own = row(world, Catalogue, "ca_a_draft")
        publish(own, world.actors["ind_p"])
        assert own.status == CatalogueStatus.PUBLISHED


def test_the_owner_deletes_a_course_of_its_draft_and_the_log_says_so(app, world):
    """删除 of a draft catalogue's course by its department: the course goes, and the 操作日志 names it (a
    course taken out of `catalogue.courses` for delete-orphan to remove was deleted without a log row)."""
    with acting(app):
        catalogue = row(world, Catalogue, "ca_a_draft")
        course = catalogue.courses[0]
        course_id, name = course.id, course.name
        last = db.session.scalar(select(func.max(AuditLog.id)))
        delete_course(catalogue, course, world.actors["ind_p"])
        db.session.expire_all()
        assert db.session.get(Course, course_id) is None
        assert db.session.execute(
            select(AuditLog.action, AuditLog.object_type, AuditLog.object_id, AuditLog.summary)
            .where(AuditLog.id > last)
        ).all() == [(AuditAction.DELETE, "course", str(course_id), f"删除专业课：{name}")]


def test_a_city_department_given_the_module_is_still_refused(app, world):
    """... and should a role ever carry the module to a city department, the workflow checks the level."""
    with acting(app):
        city = world.actors["ind_gz"]
        forged = dataclasses.replace(city, modules=city.modules | {"catalogue_publish"})
        with pytest.raises(WorkflowError, match="本功能只有省级行业主管部门才有"):
            save_catalogue(None, forged, year=2028, declared_on=date(2026, 3, 1))


def test_a_course_is_withdrawn_only_while_no_plan_uses_it(app, world):
    with acting(app):
        ind_p = world.actors["ind_p"]
        catalogue = row(world, Catalogue, "ca_a_pub")
        used, gone = row(world, Course, "co_a"), row(world, Course, "co_a_gone")
        with pytest.raises(WorkflowError, match="已有专业课计划使用该专业课"):
            withdraw_course(catalogue, used, ind_p)
        with pytest.raises(WorkflowError, match="该专业课已撤回"):
            withdraw_course(catalogue, gone, ind_p)
        with pytest.raises(WorkflowError, match="已发布的专业课不能修改"):
            save_course(catalogue, used, ind_p, name="co_a", content="改了", note=None)
        with pytest.raises(WorkflowError, match="该专业课不属于此目录"):
            withdraw_course(catalogue, row(world, Course, "co_b"), ind_p)
        db.session.refresh(used)
        assert not used.withdrawn

        # a course added to the published catalogue is published at once, and free to withdraw
        added = save_course(catalogue, None, ind_p, name="or_added", content="学习内容", note=None)
        withdraw_course(catalogue, added, ind_p)
        assert added.withdrawn
