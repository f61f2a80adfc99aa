"""专业课计划申报's field checks (workflows/plans.py), called straight like test_guards_plans.py, which
covers who may change a plan and its classes; here what a plan's owner may type:

- `save_plan`: 专业课程 (`_chosen_course`: an id of 1 to 2**31-1 of a course the owner may choose, the
  institution told when it lacks the 专业系列's qualification), then `_clean_plan`: 培训计划名称 ≤100,
  年度 2000–2100, 培训天数 > 0 and ≤ 365 and 学时 > 0 and ≤ 培训天数 × 6 (defaulting to it), both numbers
  of up to four digits and one decimal (`_decimal`), 拟办期数 1–99, the dates in order, 培训内容 / 培训对象
  required, and they and 备注 ≤500;
- `choosable_courses`: exactly the courses each kind of owner may choose, in the order the form lists them;
- `save_class`: `_clean_class` (培训班名称 ≤100, its three dates inside the plan's, 学习结束 not before 学习开始,
  学习形式 / 考试类型 among the active dictionary entries, 计划招生人数 1–10000, 学习地点 / 时间安排 required
  and ≤500), its teachers read by `_int_or_none`, its subjects (`_subjects`: blank and repeated lines
  dropped, each ≤100, at most 30);
- `delete_plan` / `delete_class`: what goes with them, and the audit rows they leave.

Each refusal is one FieldError naming the field, with the exact message, and saves nothing; beside it
the value just inside the bound is saved as given. The calls run inside `acting(app)`: rolled back at its
end, so the module's world stays as built.
"""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, AuditAction, CatalogueStatus, ClassStatus, CourseType, DictionaryCategory
from backoffice.models import (
    Attachment,
    AuditLog,
    Catalogue,
    ClassSubject,
    Course,
    DictionaryItem,
    Plan,
    Teacher,
    TrainingClass,
)
from backoffice.models.reference import dictionary_choices
from backoffice.workflows import WorkflowError
from backoffice.workflows.plans import (
    NOT_QUALIFIED,
    READ_ONLY,
    choosable_courses,
    delete_class,
    delete_plan,
    save_class,
    save_plan,
)
from backoffice.workflows.teachers import FieldError
from world import acting, row

CHOOSE = "请选择专业课程"
UNCHOOSABLE = "所选专业课程不存在、已撤回或不可选择，请重新选择"
NOT_OURS = "该专业课计划不属于本单位"
PLAN_DATES = "须在计划开始时间与计划完成时间之间（2026-03-01至2026-05-30）"  # pl_gz1_draft's
HEAD = "请选择班主任（须为本单位启用的教师）"
NOT_A_TEACHER = "所选授课教师不是本单位启用的教师，请重新选择"


def _refused(call, field: str, message: str) -> None:
    with pytest.raises(FieldError) as refused:
        call()
    assert (refused.value.field, refused.value.args) == (field, (message,))


def _plan_data(world, **changes) -> dict:
    """A valid new plan of 广州 unit 1 from co_a; `changes` replace its values."""
    return dict(
        course_id=world.ids["co_a"], name="or_plan", year=2026, days="2", hours=None, sessions=3,
        start_on=date(2026, 3, 1), end_on=date(2026, 5, 30), content="培训内容", audience="培训对象", note=None,
    ) | changes


def _plans_of(world, org: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Plan).where(Plan.owner_org_id == world.ids[org]))


def _class_data(world, **changes) -> dict:
    """A valid new class of pl_gz1_draft (2026-03-01 to 2026-05-30), taught by its owner's te_gz1."""
    return dict(
        name="or_class", planned_open_on=date(2026, 3, 20), study_start_on=date(2026, 3, 20),
        study_end_on=date(2026, 3, 21), study_form_code=dictionary_choices(DictionaryCategory.STUDY_FORM)[0][0],
        exam_type_code=dictionary_choices(DictionaryCategory.EXAM_TYPE)[0][0], capacity=30, location="学习地点",
        schedule="时间安排", head_teacher_id=world.ids["te_gz1"], teacher_ids=[world.ids["te_gz1"]],
        subjects=["科目"],
    ) | changes


def _classes_of(plan_id: int) -> list[str]:
    return list(db.session.scalars(select(TrainingClass.name).where(TrainingClass.plan_id == plan_id)))


def _audit_after(last_id) -> set[tuple]:
    return set(db.session.execute(
        select(AuditLog.action, AuditLog.object_type, AuditLog.object_id, AuditLog.summary)
        .where(AuditLog.id > last_id)
    ).all())


def _last_audit_id():
    return db.session.scalar(select(func.max(AuditLog.id)))


# ---- 专业课程: the id, then the owner's choice -----------------------------------------------------


@pytest.mark.parametrize(
    "who,course_id,message",
    [
        ("unit_gz1", None, CHOOSE),
        ("unit_gz1", "", CHOOSE),
        ("unit_gz1", "五", CHOOSE),  # text, not an id
        ("unit_gz1", 0, CHOOSE),
        ("unit_gz1", -5, CHOOSE),
        ("unit_gz1", 2**31, CHOOSE),  # past the id column: refused before any query
        ("unit_gz1", 2**32, CHOOSE),
        ("unit_gz1", 2**31 - 1, UNCHOOSABLE),  # a possible id, of no course
        ("unit_gz1", "co_a_gone", UNCHOOSABLE),  # withdrawn
        ("unit_gz1", "co_a_next", UNCHOOSABLE),  # its catalogue is a draft
        ("ind_gz", "co_b", UNCHOOSABLE),  # not the department's own series
        ("inst_p", 2**31 - 1, UNCHOOSABLE),
        ("inst_p", "co_b_gone", UNCHOOSABLE),  # withdrawn: not a question of qualification
        ("inst_p", "co_a_next", UNCHOOSABLE),  # 甲, which it is qualified for, but the catalogue is a draft
        ("inst_p", "co_b_next", UNCHOOSABLE),  # a draft catalogue's course is nobody's to choose
        ("inst_p", "co_b", NOT_QUALIFIED),  # published, 乙, and inst_p is qualified for 甲 only
        ("inst_oc", "co_a", NOT_QUALIFIED),  # 神谕市's institution is qualified for 乙 only
    ],
)
def test_a_plan_names_a_course_its_owner_may_choose(app, world, who, course_id, message):
    """`_chosen_course`: an id outside 1..2**31-1 is 请选择专业课程; a possible id of no choosable course
    is 不存在、已撤回或不可选择, or for an institution a published course of a series it is not qualified for
    says so (a draft catalogue's course is not a matter of qualification).
    No plan is made."""
    with acting(app):
        course_id = world.ids[course_id] if course_id in world.ids else course_id
        org = world.actors[who].org_id
        before = db.session.scalar(select(func.count()).select_from(Plan).where(Plan.owner_org_id == org))
        _refused(lambda: save_plan(None, world.actors[who], **_plan_data(world, course_id=course_id)),
                 "course_id", message)
        assert db.session.scalar(select(func.count()).select_from(Plan).where(Plan.owner_org_id == org)) == before


def test_the_smallest_course_id_is_chosen(app, world):
    """1 is the smallest id `_chosen_course` takes: the demo's first course (published, 2026) is id 1 and a
    unit may choose it; the plan takes its id and its catalogue's 专业系列."""
    with acting(app):
        first = db.session.get(Course, 1)
        assert (first.withdrawn, first.catalogue.status) == (False, CatalogueStatus.PUBLISHED)
        plan = save_plan(None, world.actors["unit_gz1"], **_plan_data(world, course_id=1))
        db.session.expire_all()
        plan = db.session.get(Plan, plan.id)
        assert (plan.course_id, plan.series_id) == (1, first.catalogue.series_id)


@pytest.mark.parametrize("who,course", [("unit_gz1", "co_b"), ("inst_p", "co_a"), ("ind_gz", "co_a")])
def test_a_course_id_as_text_is_chosen(app, world, who, course):
    """The form posts the id as text: `str(id)` chooses the course."""
    with acting(app):
        plan = save_plan(None, world.actors[who], **_plan_data(world, course_id=str(world.ids[course])))
        assert (plan.course_id, plan.series_id) == (world.ids[course], row(world, Course, course).catalogue.series_id)


# ---- which courses each owner may choose -------------------------------------------------------------


@pytest.mark.parametrize(
    "who,courses",
    [
        ("inst_p", ["co_a"]),  # qualified for 甲 (qu_p_a); its 乙 application is a draft
        ("inst_gz", []),  # no approved qualification: not even the demo's courses
        ("inst_oc", ["co_b"]),  # qualified for 乙 only
        ("ind_gz", ["co_a"]),  # its own series, published, not withdrawn
        ("ind_p", ["co_a"]),  # its own 2027 catalogue is still a draft
        ("ind_none", []),  # a department of no series chooses nothing
    ],
)
def test_choosable_courses_of_institutions_and_departments(app, world, who, courses):
    """`choosable_courses` for an institution: published, not withdrawn courses of its qualified series —
    none without a qualification; for a department: those of its own series. The whole list, demo included."""
    with acting(app):
        chosen = db.session.scalars(choosable_courses(world.actors[who])).all()
        assert [c.name for c in chosen] == courses


def test_a_unit_chooses_every_published_course_newest_year_first_then_series_then_name(app, world):
    """A unit chooses any published, not withdrawn course, listed by 年度 (newest first), 专业系列, 名称:
    a published 2025 甲 catalogue (courses added z before 0) comes after 2026; in 2026 甲's co_a comes
    before 乙's co_0_b, itself before co_b."""
    with acting(app):
        old = Catalogue(org_id=world.ids["or_ind_p_a"], series_id=world.ids["orc_a"], year=2025,
                        declared_on=date(2025, 3, 1), status=CatalogueStatus.PUBLISHED)
        db.session.add(old)
        db.session.flush()
        for catalogue_id, name in ((old.id, "co_z_old"), (old.id, "co_0_old"), (world.ids["ca_b_pub"], "co_0_b")):
            db.session.add(Course(catalogue_id=catalogue_id, name=name, content="学习内容", withdrawn=False))
            db.session.flush()
        ours = set(world.keys[Course].values()) | {"co_z_old", "co_0_old", "co_0_b"}
        listed = [c.name for c in db.session.scalars(choosable_courses(world.actors["unit_gz1"]))]
        assert [name for name in listed if name in ours] == ["co_a", "co_0_b", "co_b", "co_0_old", "co_z_old"]


# ---- the plan's values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"name": ""}, "name", "请填写培训计划名称"),
        ({"name": "   "}, "name", "请填写培训计划名称"),
        ({"name": None}, "name", "请填写培训计划名称"),
        ({"name": "名" * 101}, "name", "培训计划名称限100字"),
        ({"year": None}, "year", "请选择年度"),
        ({"year": "二〇二六"}, "year", "请选择年度"),
        ({"year": 1999}, "year", "年度须在2000至2100之间"),
        ({"year": 2101}, "year", "年度须在2000至2100之间"),
        ({"days": None}, "days", "请填写培训天数"),
        ({"days": "  "}, "days", "请填写培训天数"),
        ({"days": "0"}, "days", "培训天数须大于0且不超过365天"),
        ({"days": "0.0"}, "days", "培训天数须大于0且不超过365天"),
        ({"days": "365.1"}, "days", "培训天数须大于0且不超过365天"),
        ({"days": "366"}, "days", "培训天数须大于0且不超过365天"),
        ({"days": "9999.9"}, "days", "培训天数须大于0且不超过365天"),  # four digits pass the pattern
        ({"hours": "0"}, "hours", "继续教育学时须大于0且不超过培训天数×6（12学时）"),
        ({"hours": "12.1"}, "hours", "继续教育学时须大于0且不超过培训天数×6（12学时）"),
        ({"days": "2.5", "hours": "15.1"}, "hours", "继续教育学时须大于0且不超过培训天数×6（15.0学时）"),
        ({"sessions": None}, "sessions", "请填写拟办期数"),
        ({"sessions": "三"}, "sessions", "请填写拟办期数"),
        ({"sessions": 0}, "sessions", "拟办期数须在1至99之间"),
        ({"sessions": 100}, "sessions", "拟办期数须在1至99之间"),
        ({"start_on": None}, "start_on", "请填写计划开始时间"),
        ({"start_on": "2026-03-01"}, "start_on", "请填写计划开始时间"),  # text, not a date
        ({"end_on": None}, "end_on", "请填写计划完成时间"),
        ({"end_on": date(2026, 2, 28)}, "end_on", "计划完成时间不能早于计划开始时间"),
        ({"content": None}, "content", "请填写培训内容"),
        ({"content": " "}, "content", "请填写培训内容"),
        ({"content": "内" * 501}, "content", "培训内容限500字"),
        ({"audience": ""}, "audience", "请填写培训对象"),
        ({"audience": "对" * 501}, "audience", "培训对象限500字"),
        ({"note": "备" * 501}, "note", "备注限500字"),
    ],
)
def test_a_plan_value_out_of_bounds_is_refused(app, world, changes, field, message):
    """`_clean_plan`: each value just outside its bound (or missing) is refused on its field; no plan."""
    with acting(app):
        before = _plans_of(world, "or_unit_gz1")
        _refused(lambda: save_plan(None, world.actors["unit_gz1"], **_plan_data(world, **changes)), field, message)
        assert _plans_of(world, "or_unit_gz1") == before


@pytest.mark.parametrize(
    "key,label",
    [("days", "培训天数"), ("hours", "继续教育学时")],
)
@pytest.mark.parametrize(
    "text",
    ["abc", "-1", "+1", "1.25", "0.05", "1.", ".5", "1e2", "NaN", "Infinity", "12345", "1,5", "１", 2.25],
)
def test_a_number_is_up_to_four_digits_and_one_decimal(app, world, key, label, text):
    """`_decimal`: no sign, exponent, NaN, comma, full-width digit, second decimal or fifth digit."""
    with acting(app):
        before = _plans_of(world, "or_unit_gz1")
        _refused(lambda: save_plan(None, world.actors["unit_gz1"], **_plan_data(world, **{key: text})),
                 key, f"{label}须为数字，最多一位小数")
        assert _plans_of(world, "or_unit_gz1") == before


@pytest.mark.parametrize(
    "changes,stored",
    [
        ({"name": " " + "名" * 100 + " "}, {"name": "名" * 100}),  # trimmed, then exactly 100
        ({"year": 2000}, {"year": 2000}),
        ({"year": "2100"}, {"year": 2100}),
        ({"days": "0.1"}, {"days": Decimal("0.1"), "hours": Decimal("0.6")}),  # 学时 defaults to 天数 × 6
        ({"days": "1"}, {"days": Decimal("1"), "hours": Decimal("6")}),
        ({"days": " 2 ", "hours": "  "}, {"days": Decimal("2"), "hours": Decimal("12")}),
        ({"days": 3}, {"days": Decimal("3"), "hours": Decimal("18")}),
        ({"days": "365"}, {"days": Decimal("365"), "hours": Decimal("2190")}),
        ({"days": "365.0", "hours": "2190.0"}, {"days": Decimal("365"), "hours": Decimal("2190")}),
        ({"hours": "0.1"}, {"hours": Decimal("0.1")}),
        ({"hours": "1"}, {"hours": Decimal("1")}),
        ({"hours": "12"}, {"hours": Decimal("12")}),
        ({"days": "2.5", "hours": "15"}, {"days": Decimal("2.5"), "hours": Decimal("15")}),
        ({"sessions": 1}, {"sessions": 1}),
        ({"sessions": "99"}, {"sessions": 99}),
        ({"start_on": date(2026, 4, 1), "end_on": date(2026, 4, 1)},
         {"start_on": date(2026, 4, 1), "end_on": date(2026, 4, 1)}),
        ({"content": "内" * 500, "audience": " 对 "}, {"content": "内" * 500, "audience": "对"}),
        ({"note": "备" * 500}, {"note": "备" * 500}),
        ({"note": "   "}, {"note": None}),
        ({"note": " 备注 "}, {"note": "备注"}),
    ],
)
def test_a_plan_value_at_its_bound_is_saved_as_given(app, world, changes, stored):
    """The values just inside the bounds are saved (trimmed, as numbers), the rest as `_plan_data`."""
    with acting(app):
        plan_id = save_plan(None, world.actors["unit_gz1"], **_plan_data(world, **changes)).id
        db.session.expire_all()
        plan = db.session.get(Plan, plan_id)
        expected = {
            "name": "or_plan", "year": 2026, "days": Decimal("2"), "hours": Decimal("12"), "sessions": 3,
            "start_on": date(2026, 3, 1), "end_on": date(2026, 5, 30), "content": "培训内容",
            "audience": "培训对象", "note": None,
        } | stored
        assert {key: getattr(plan, key) for key in expected} == expected


def test_a_new_plan_is_the_owners_draft_and_is_audited(app, world):
    """`save_plan(None…)` makes a 草稿 专业课 plan of the acting organisation and user, logged as 新增
    专业课计划：<name>; saving it again is logged as 修改."""
    with acting(app):
        actor, last = world.actors["unit_gz1"], _last_audit_id()
        plan_id = save_plan(None, actor, **_plan_data(world, course_id=world.ids["co_b"])).id
        db.session.expire_all()
        plan = db.session.get(Plan, plan_id)
        assert (plan.owner_org_id, plan.status, plan.created_by_id, plan.course_type, plan.course_id,
                plan.series_id, plan.reviewer_org_id) == (
            world.ids["or_unit_gz1"], ApplicationStatus.DRAFT, world.ids["u_unit_gz1"], CourseType.PROFESSIONAL,
            world.ids["co_b"], world.ids["orc_b"], None)
        assert _audit_after(last) == {(AuditAction.CREATE, "plan", str(plan_id), "专业课计划：or_plan")}

        last = _last_audit_id()
        save_plan(plan, actor, **_plan_data(world, name="or_plan_renamed"))
        db.session.expire_all()
        plan = db.session.get(Plan, plan_id)
        assert (plan.name, plan.course_id, plan.series_id, plan.status) == (
            "or_plan_renamed", world.ids["co_a"], world.ids["orc_a"], ApplicationStatus.DRAFT)
        assert _audit_after(last) == {(AuditAction.UPDATE, "plan", str(plan_id), "专业课计划：or_plan_renamed")}


def test_a_refused_change_leaves_the_draft_as_it_was(app, world):
    """A refused value on an existing draft changes none of its values."""
    with acting(app):
        plan = row(world, Plan, "pl_gz1_draft")
        _refused(lambda: save_plan(plan, world.actors["unit_gz1"], **_plan_data(world, name="or_new", hours="13")),
                 "hours", "继续教育学时须大于0且不超过培训天数×6（12学时）")
        db.session.expire_all()
        plan = row(world, Plan, "pl_gz1_draft")
        assert (plan.name, plan.hours, plan.days) == ("pl_gz1_draft", Decimal("12"), Decimal("2"))


# ---- 删除 a plan ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,key,message",
    [
        ("unit_sz", "pl_gz1_draft", NOT_OURS),  # another unit's draft
        ("inst_p", "pl_gz1_draft", NOT_OURS),
        ("ind_gz", "pl_gz1_wait", NOT_OURS),  # its reviewer-to-be
        ("unit_gz1", "pl_gz1_wait", READ_ONLY),  # its own, submitted
        ("unit_gz1", "pl_gz1_ok", READ_ONLY),  # its own, approved
        ("multi_gz1", "pl_gz1_draft", "您没有申报专业课计划的权限"),
    ],
)
def test_delete_plan_refuses_with_nothing_gone(app, world, who, key, message):
    """`delete_plan` refuses another organisation's plan and a submitted one; the plan, its classes and
    its attachment stay."""
    with acting(app):
        plan = row(world, Plan, key)
        classes = _classes_of(plan.id)
        with pytest.raises(WorkflowError) as refused:
            delete_plan(plan, world.actors[who])
        assert refused.value.args == (message,)
        db.session.expire_all()
        assert (row(world, Plan, key).name, _classes_of(world.ids[key])) == (key, classes)
        assert row(world, Attachment, "at_pl_gz1_draft") is not None


def test_the_owner_deletes_its_draft_with_classes_subjects_and_attachments(app, world):
    """unit_gz1 deletes pl_gz1_draft: the plan, its class cl_gz1_draft, that class's subject and the plan's
    attachment go, each logged as 删除 (the plan's rows under 删除专业课计划：<name>); nothing else goes."""
    with acting(app):
        last = _last_audit_id()
        plans, attachments = db.session.scalar(select(func.count()).select_from(Plan)), db.session.scalar(
            select(func.count()).select_from(Attachment))
        delete_plan(row(world, Plan, "pl_gz1_draft"), world.actors["unit_gz1"])
        db.session.expire_all()
        gone = {"pl_gz1_draft": Plan, "cl_gz1_draft": TrainingClass, "su_gz1_draft": ClassSubject,
                "at_pl_gz1_draft": Attachment}
        assert {key: row(world, model, key) for key, model in gone.items()} == dict.fromkeys(gone)
        assert (db.session.scalar(select(func.count()).select_from(Plan)),
                db.session.scalar(select(func.count()).select_from(Attachment))) == (plans - 1, attachments - 1)
        assert row(world, Attachment, "at_pl_inst_p").owner_id == world.ids["pl_inst_p_ok"]
        assert _classes_of(world.ids["pl_gz1_wait"]) == ["cl_gz1_wait"]
        summary = "删除专业课计划：pl_gz1_draft"
        assert _audit_after(last) == {
            (AuditAction.DELETE, "attachment", str(world.ids["at_pl_gz1_draft"]), "删除附件：at_pl_gz1_draft"),
            (AuditAction.DELETE, "plan", str(world.ids["pl_gz1_draft"]), summary),
            (AuditAction.DELETE, "training_class", str(world.ids["cl_gz1_draft"]), summary),
            (AuditAction.DELETE, "class_subject", str(world.ids["su_gz1_draft"]), summary),
        }


def test_the_owner_deletes_its_returned_plan(app, world):
    """已退回 is still the owner's to delete (pl_gz1_b_ret, without classes or attachments)."""
    with acting(app):
        delete_plan(row(world, Plan, "pl_gz1_b_ret"), world.actors["unit_gz1"])
        db.session.expire_all()
        assert row(world, Plan, "pl_gz1_b_ret") is None
        assert row(world, Plan, "pl_gz1_draft").name == "pl_gz1_draft"


# ---- 删除 a class --------------------------------------------------------------------------------------


def test_delete_class_names_the_plan_it_is_not_of(app, world):
    """A class of another plan, passed with the owner's draft: the exact refusal, and it stays."""
    with acting(app):
        with pytest.raises(WorkflowError) as refused:
            delete_class(row(world, Plan, "pl_gz1_draft"), row(world, TrainingClass, "cl_gz1_wait"),
                         world.actors["unit_gz1"])
        assert refused.value.args == ("该培训班不属于此计划",)
        db.session.expire_all()
        assert row(world, TrainingClass, "cl_gz1_wait").plan_id == world.ids["pl_gz1_wait"]


def test_delete_class_is_audited_under_the_class_name(app, world):
    """The class and its subject go, logged as 删除 under 删除培训班：<name>; the plan stays."""
    with acting(app):
        last = _last_audit_id()
        delete_class(row(world, Plan, "pl_gz1_draft"), row(world, TrainingClass, "cl_gz1_draft"),
                     world.actors["unit_gz1"])
        db.session.expire_all()
        summary = "删除培训班：cl_gz1_draft"
        assert _audit_after(last) == {
            (AuditAction.DELETE, "training_class", str(world.ids["cl_gz1_draft"]), summary),
            (AuditAction.DELETE, "class_subject", str(world.ids["su_gz1_draft"]), summary),
        }
        assert (row(world, Plan, "pl_gz1_draft").status, _classes_of(world.ids["pl_gz1_draft"])) == (
            ApplicationStatus.DRAFT, [])


# ---- a class's values ----------------------------------------------------------------------------------


def _refused_class(app, world, changes, field, message):
    with acting(app):
        plan = row(world, Plan, "pl_gz1_draft")
        _refused(lambda: save_class(plan, None, world.actors["unit_gz1"], **_class_data(world, **changes)),
                 field, message)
        assert _classes_of(plan.id) == ["cl_gz1_draft"]


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"name": None}, "name", "请填写培训班名称"),
        ({"name": "  "}, "name", "请填写培训班名称"),
        ({"name": "班" * 101}, "name", "培训班名称限100字"),
        ({"planned_open_on": None}, "planned_open_on", "请填写计划开班时间"),
        ({"planned_open_on": "2026-03-20"}, "planned_open_on", "请填写计划开班时间"),
        ({"planned_open_on": date(2026, 2, 28)}, "planned_open_on", "计划开班时间" + PLAN_DATES),
        ({"planned_open_on": date(2026, 5, 31)}, "planned_open_on", "计划开班时间" + PLAN_DATES),
        ({"study_start_on": None}, "study_start_on", "请填写学习开始时间"),
        ({"study_start_on": date(2026, 2, 28)}, "study_start_on", "学习开始时间" + PLAN_DATES),
        ({"study_start_on": date(2026, 5, 31)}, "study_start_on", "学习开始时间" + PLAN_DATES),
        ({"study_end_on": None}, "study_end_on", "请填写学习结束时间"),
        ({"study_end_on": date(2026, 2, 28)}, "study_end_on", "学习结束时间" + PLAN_DATES),
        ({"study_end_on": date(2026, 5, 31)}, "study_end_on", "学习结束时间" + PLAN_DATES),
        ({"study_start_on": date(2026, 3, 21), "study_end_on": date(2026, 3, 20)}, "study_end_on",
         "学习结束时间不能早于学习开始时间"),
        ({"study_form_code": None}, "study_form_code", "请选择学习形式"),
        ({"study_form_code": "orc_dict"}, "study_form_code", "请选择学习形式"),  # another dictionary's code
        ({"exam_type_code": None}, "exam_type_code", "请选择考试类型"),
        ({"exam_type_code": "orc_dict"}, "exam_type_code", "请选择考试类型"),
        ({"capacity": None}, "capacity", "请填写计划招生人数"),
        ({"capacity": "三十"}, "capacity", "请填写计划招生人数"),
        ({"capacity": 0}, "capacity", "计划招生人数须在1至10000之间"),
        ({"capacity": 10001}, "capacity", "计划招生人数须在1至10000之间"),
        ({"location": None}, "location", "请填写学习地点"),
        ({"location": " "}, "location", "请填写学习地点"),
        ({"location": "地" * 501}, "location", "学习地点限500字"),
        ({"schedule": ""}, "schedule", "请填写课程具体时间安排"),
        ({"schedule": "时" * 501}, "schedule", "课程具体时间安排限500字"),
        ({"head_teacher_id": None}, "head_teacher_id", HEAD),
        ({"head_teacher_id": "张老师"}, "head_teacher_id", HEAD),
        ({"head_teacher_id": ""}, "head_teacher_id", HEAD),
        ({"head_teacher_id": "te_sz"}, "head_teacher_id", HEAD),  # another unit's teacher
        ({"teacher_ids": None}, "teacher_ids", "请选入至少一名授课教师"),
        ({"teacher_ids": []}, "teacher_ids", "请选入至少一名授课教师"),
        ({"teacher_ids": ["张老师"]}, "teacher_ids", NOT_A_TEACHER),
        ({"teacher_ids": [None]}, "teacher_ids", NOT_A_TEACHER),
        ({"teacher_ids": ["te_gz1", "te_inst_p"]}, "teacher_ids", NOT_A_TEACHER),
        ({"subjects": ["科" * 101]}, "subjects", "每个科目名称限100字"),
        ({"subjects": [f"科目{n}" for n in range(31)]}, "subjects", "培训科目最多30个"),
    ],
)
def test_a_class_value_out_of_bounds_is_refused(app, world, changes, field, message):
    """`_clean_class`, `_teachers` (ids read by `_int_or_none`) and `_subjects`: each value just outside
    its bound, missing or unreadable is refused on its field; no class is added."""
    teachers = {"head_teacher_id": world.ids.get(changes.get("head_teacher_id"), changes.get("head_teacher_id"))}
    if changes.get("teacher_ids"):  # the world's teachers by key, anything else as posted
        teachers["teacher_ids"] = [world.ids.get(t, t) for t in changes["teacher_ids"]]
    _refused_class(app, world, changes | {k: v for k, v in teachers.items() if k in changes}, field, message)


def test_an_inactive_dictionary_entry_or_disabled_teacher_is_refused(app, world):
    """A 学习形式 entry that is switched off, and a 班主任 or 授课教师 of the owner that is disabled, are not
    offered and not taken."""
    with acting(app):
        db.session.add(DictionaryItem(category=DictionaryCategory.STUDY_FORM, code="orc_off", name="停用", active=False))
        off = Teacher(org_id=world.ids["or_unit_gz1"], name="or_off", sex="男", id_number="ORCT99999999999999",
                      title="讲师", phone="020-12345678", email="t@example.cn", courses="课程", intro="简介",
                      active=False)
        db.session.add(off)
        db.session.flush()
        plan, owner = row(world, Plan, "pl_gz1_draft"), world.actors["unit_gz1"]
        for changes, field, message in (
            ({"study_form_code": "orc_off"}, "study_form_code", "请选择学习形式"),
            ({"head_teacher_id": off.id}, "head_teacher_id", HEAD),
            ({"teacher_ids": [world.ids["te_gz1"], off.id]}, "teacher_ids", NOT_A_TEACHER),
        ):
            _refused(lambda: save_class(plan, None, owner, **_class_data(world, **changes)), field, message)
        assert _classes_of(plan.id) == ["cl_gz1_draft"]


def test_each_code_is_read_in_its_own_dictionary(app, world):
    """学习形式 comes from the study_form dictionary and 考试类型 from exam_type: an active entry of one is
    refused for the other, and taken for its own."""
    with acting(app):
        db.session.add_all([
            DictionaryItem(category=DictionaryCategory.STUDY_FORM, code="orc_form", name="神谕形式"),
            DictionaryItem(category=DictionaryCategory.EXAM_TYPE, code="orc_exam", name="神谕考试"),
        ])
        db.session.flush()
        plan, owner = row(world, Plan, "pl_gz1_draft"), world.actors["unit_gz1"]
        _refused(lambda: save_class(plan, None, owner, **_class_data(world, exam_type_code="orc_form")),
                 "exam_type_code", "请选择考试类型")
        _refused(lambda: save_class(plan, None, owner, **_class_data(world, study_form_code="orc_exam")),
                 "study_form_code", "请选择学习形式")
        assert _classes_of(plan.id) == ["cl_gz1_draft"]
        saved = save_class(plan, None, owner, **_class_data(world, study_form_code="orc_form", exam_type_code="orc_exam"))
        assert (saved.study_form_code, saved.exam_type_code) == ("orc_form", "orc_exam")


@pytest.mark.parametrize(
    "changes,stored",
    [
        ({"name": " " + "班" * 100 + " "}, {"name": "班" * 100}),
        ({"planned_open_on": date(2026, 3, 1), "study_start_on": date(2026, 3, 1), "study_end_on": date(2026, 3, 1)},
         {"planned_open_on": date(2026, 3, 1), "study_start_on": date(2026, 3, 1), "study_end_on": date(2026, 3, 1)}),
        ({"planned_open_on": date(2026, 5, 30), "study_start_on": date(2026, 5, 30),
          "study_end_on": date(2026, 5, 30)},
         {"planned_open_on": date(2026, 5, 30), "study_start_on": date(2026, 5, 30),
          "study_end_on": date(2026, 5, 30)}),
        ({"capacity": 1}, {"capacity": 1}),
        ({"capacity": "10000"}, {"capacity": 10000}),
        ({"location": " " + "地" * 500 + " ", "schedule": "时" * 500}, {"location": "地" * 500, "schedule": "时" * 500}),
    ],
)
def test_a_class_value_at_its_bound_is_saved_as_given(app, world, changes, stored):
    """The values just inside the bounds are saved (trimmed, as numbers), the rest as `_class_data`."""
    with acting(app):
        plan = row(world, Plan, "pl_gz1_draft")
        class_id = save_class(plan, None, world.actors["unit_gz1"], **_class_data(world, **changes)).id
        db.session.expire_all()
        saved = db.session.get(TrainingClass, class_id)
        expected = {
            "name": "or_class", "planned_open_on": date(2026, 3, 20), "study_start_on": date(2026, 3, 20),
            "study_end_on": date(2026, 3, 21), "capacity": 30, "location": "学习地点", "schedule": "时间安排",
        } | stored
        assert {key: getattr(saved, key) for key in expected} == expected


def test_a_new_class_with_its_teachers_and_subjects(app, world):
    """A class posted with ids as text, a teacher twice, blank and repeated subject lines: 班主任 and one
    授课教师, the subjects trimmed, once each, numbered in the order given; 未开班 with nobody enrolled,
    logged as 新增 培训班：<name>."""
    with acting(app):
        plan, last = row(world, Plan, "pl_gz1_draft"), _last_audit_id()
        te_gz1 = world.ids["te_gz1"]
        saved = save_class(plan, None, world.actors["unit_gz1"], **_class_data(
            world, head_teacher_id=str(te_gz1), teacher_ids=[str(te_gz1), te_gz1],
            subjects=[" 乙科 ", "", None, "  ", "甲科", "乙科", "科" * 100]))
        class_id = saved.id
        db.session.expire_all()
        saved = db.session.get(TrainingClass, class_id)
        assert (saved.plan_id, saved.status, saved.enrolled_count, saved.head_teacher_id,
                [t.id for t in saved.teachers]) == (plan.id, ClassStatus.NOT_STARTED, 0, te_gz1, [te_gz1])
        assert (saved.study_form_code, saved.exam_type_code) == (
            dictionary_choices(DictionaryCategory.STUDY_FORM)[0][0], dictionary_choices(DictionaryCategory.EXAM_TYPE)[0][0])
        assert [(s.name, s.sort) for s in saved.subjects] == [("乙科", 1), ("甲科", 2), ("科" * 100, 3)]
        assert (AuditAction.CREATE, "training_class", str(class_id), "培训班：or_class") in _audit_after(last)


@pytest.mark.parametrize("lines,kept", [
    (None, []),
    ([f"科目{n}" for n in range(30)], [f"科目{n}" for n in range(30)]),  # exactly 30
    ([f"科目{n}" for n in range(30)] + ["科目0"], [f"科目{n}" for n in range(30)]),  # 31 lines, one repeated
])
def test_at_most_thirty_subjects(app, world, lines, kept):
    """`_subjects`: none at all is allowed; 30 distinct ones are the most, counted after repeats are dropped."""
    with acting(app):
        saved = save_class(row(world, Plan, "pl_gz1_draft"), None, world.actors["unit_gz1"],
                           **_class_data(world, subjects=lines))
        class_id = saved.id
        db.session.expire_all()
        assert [s.name for s in db.session.get(TrainingClass, class_id).subjects] == kept


def test_a_subject_dropped_from_a_class_goes_and_is_audited(app, world):
    """Saving cl_gz1_draft without its subject su_gz1_draft deletes that row and logs it under the
    class's 修改 (it used to go as an orphan, which the audit hook never sees)."""
    with acting(app):
        last = _last_audit_id()
        save_class(row(world, Plan, "pl_gz1_draft"), row(world, TrainingClass, "cl_gz1_draft"),
                   world.actors["unit_gz1"], **_class_data(world, name="cl_gz1_draft", subjects=["新科目"]))
        db.session.expire_all()
        assert row(world, ClassSubject, "su_gz1_draft") is None
        assert [s.name for s in row(world, TrainingClass, "cl_gz1_draft").subjects] == ["新科目"]
        assert (AuditAction.UPDATE, "class_subject", str(world.ids["su_gz1_draft"]), "培训班：cl_gz1_draft") in (
            _audit_after(last))
