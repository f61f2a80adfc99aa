"""施教机构专业培训资格申请's guards (workflows/qualifications.py), called straight like
test_guards_training.py, which covers that only the institution itself changes its application; here:

- `apply` files drafts only for the acting institution, only for active series it has not applied for
  (`applicable_series` reads ITS OWN applications, not anyone's);
- `delete_application` deletes only a draft: neither a submitted, a returned nor an approved application;
- `submit_application` routes a city institution's application to the industry department of its series
  (there it waits, 待审核), refuses when there is none, and passes a province institution's at once;
  `submit_many` does the same row by row, skipping what one may not submit;
- `save_note` changes only a draft or returned application.

The world's 广州 institution (or_inst_gz) is not approved, so it holds no 资格申请 module; where a test
needs it acting, it approves it inside `acting(app)` and resolves its account again (`_approved_inst_gz`).
The calls run inside `acting(app)`: rolled back at its end, so the module's world stays as built.
"""
import re

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, ReviewResult
from backoffice.models import Organisation, ProfessionalSeries, Qualification, ReviewLog, User
from backoffice.policy import Actor, available_contexts, build_actor
from backoffice.workflows import WorkflowError
from backoffice.workflows.qualifications import (
    AUTO_APPROVED,
    MODULE,
    applicable_series,
    apply,
    delete_application,
    save_note,
    submit_application,
    submit_many,
)
from backoffice.workflows.review import ReviewError
from backoffice.workflows.teachers import FieldError
from world import acting, row

NOT_APPLICABLE = "所选专业系列不可申请（不存在、已停用或本机构已申请）"
NO_RIGHT = "您没有申请专业培训资格的权限"


def _approved_inst_gz(world) -> Actor:
    """or_inst_gz approved (its registration passed) and its super admin resolved again: now it holds
    专业培训资格申请."""
    row(world, Organisation, "or_inst_gz").status = ApplicationStatus.APPROVED
    db.session.flush()
    user = row(world, User, "u_inst_gz")
    (context,) = available_contexts(user)
    actor = build_actor(user, context.key)
    assert actor.can_use(MODULE)
    return actor


def _more_series(world) -> dict[str, int]:
    """Two more 专业系列: orc_c stopped (停用), orc_d active and sorted before the world's."""
    rows = {
        "orc_c": ProfessionalSeries(code="orc_c", name="神谕丙系列", active=False),
        "orc_d": ProfessionalSeries(code="orc_d", name="神谕丁系列", sort=-1),
    }
    db.session.add_all(rows.values())
    db.session.flush()
    return {key: series.id for key, series in rows.items()} | {key: world.ids[key] for key in ("orc_a", "orc_b")}


def _world_series(series_ids: dict[str, int], rows) -> list[str]:
    """The world's series among `rows` (ProfessionalSeries), in their order (the demo's are left out)."""
    names = {i: key for key, i in series_ids.items()}
    return [names[s.id] for s in rows if s.id in names]


def _applications(org_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Qualification).where(Qualification.institution_id == org_id))


# ---- 新申请: the acting institution's own, for series it has not applied for ------------------------


def test_applicable_series_are_those_the_institution_itself_has_not_applied_for(app, world):
    """inst_oc applied for 乙 only (qu_oc_b): 丁 and 甲 are left, in 排序 order, not the stopped 丙; the others
    applied for 甲 and 乙 — what another institution applied for does not count (`institution_id` is
    the acting one's)."""
    with acting(app):
        series = _more_series(world)
        assert _world_series(series, applicable_series(world.actors["inst_oc"])) == ["orc_d", "orc_a"]
        assert _world_series(series, applicable_series(world.actors["inst_p"])) == ["orc_d"]
        assert _world_series(series, applicable_series(world.actors["inst_gz"])) == ["orc_d"]


def test_an_institution_applies_for_what_it_has_not_applied_for(app, world):
    """inst_oc files 丁 and 甲 at once (ids as a form posts them): one draft each, its own, in series order;
    then nothing of the world's is left to apply for."""
    with acting(app):
        series = _more_series(world)
        actor = world.actors["inst_oc"]
        rows = apply(actor, [str(series["orc_d"]), str(series["orc_a"])], "  申请说明  ")
        assert [
            (q.institution_id, q.series_id, q.status, q.note, q.reviewer_org_id, q.submitted_at) for q in rows
        ] == [
            (world.ids["or_inst_oc"], series[key], ApplicationStatus.DRAFT, "申请说明", None, None)
            for key in sorted(("orc_a", "orc_d"), key=series.get)
        ]
        assert _applications(world.ids["or_inst_oc"]) == 3
        assert _world_series(series, applicable_series(actor)) == []


@pytest.mark.parametrize(
    "chosen,message",
    [
        (["orc_b"], NOT_APPLICABLE),  # applied for already (qu_oc_b)
        (["orc_d", "orc_b"], NOT_APPLICABLE),  # one of them applied for already: none is filed
        (["orc_c"], NOT_APPLICABLE),  # stopped
        ([], "请选择申请培训的专业系列"),
        (["甲"], NOT_APPLICABLE),
        (["١"], NOT_APPLICABLE),  # a digit, but not an ASCII one
        ([2**40], NOT_APPLICABLE),  # no such series
    ],
)
def test_an_application_names_only_series_the_institution_may_apply_for(app, world, chosen, message):
    with acting(app):
        series = _more_series(world)
        ids = [series.get(i, i) if isinstance(i, str) else i for i in chosen]
        with pytest.raises(FieldError, match=re.escape(message)) as refused:
            apply(world.actors["inst_oc"], ids, None)
        assert refused.value.field == "series_ids"
        assert _applications(world.ids["or_inst_oc"]) == 1


def test_an_overlong_note_is_refused(app, world):
    with acting(app):
        series = _more_series(world)
        with pytest.raises(FieldError, match="申请说明限500字"):
            apply(world.actors["inst_oc"], [series["orc_a"]], "说" * 501)
        assert _applications(world.ids["or_inst_oc"]) == 1
        assert apply(world.actors["inst_oc"], [series["orc_a"]], "说" * 500)[0].note == "说" * 500


@pytest.mark.parametrize("who", ["unit_gz1", "ind_gz", "hr_gz", "p1", "inst_gz"])
def test_only_an_institution_holding_the_module_applies(app, world, who):
    """A unit, a department, HR, a person, and an institution not yet approved (no 资格申请 module) file
    nothing; approved, the same 广州 institution files for the series it has not applied for."""
    with acting(app):
        series = _more_series(world)
        with pytest.raises(WorkflowError, match=re.escape(NO_RIGHT)):
            apply(world.actors[who], [series["orc_d"]], None)
        assert db.session.scalar(
            select(func.count()).select_from(Qualification).where(Qualification.series_id == series["orc_d"])) == 0

        (filed,) = apply(_approved_inst_gz(world), [series["orc_d"]], None)
        assert (filed.institution_id, filed.series_id) == (world.ids["or_inst_gz"], series["orc_d"])


# ---- 删除: a draft only ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key,status",
    [
        ("qu_p_a", ApplicationStatus.APPROVED),
        ("qu_gz_a", ApplicationStatus.PENDING),
        ("qu_gz_b", ApplicationStatus.RETURNED),
    ],
)
def test_only_a_draft_application_is_deleted(app, world, key, status):
    """The institution deleting its own submitted (or returned, or approved) application is refused; its
    draft is deleted (run 10's `delete_application` 5)."""
    with acting(app):
        actor = world.actors["inst_p"] if key.startswith("qu_p") else _approved_inst_gz(world)
        target = row(world, Qualification, key)
        with pytest.raises(WorkflowError, match=re.escape("只能删除未送审的申请")):
            delete_application(target, actor)
        db.session.expire_all()
        assert row(world, Qualification, key).status == status

        delete_application(row(world, Qualification, "qu_p_b"), world.actors["inst_p"])
        db.session.expire_all()
        assert row(world, Qualification, "qu_p_b") is None
        assert _applications(world.ids["or_inst_p"]) == 1


def test_a_submitted_application_keeps_its_note(app, world):
    with acting(app):
        target = row(world, Qualification, "qu_p_a")
        with pytest.raises(WorkflowError, match=re.escape("已送审的申请不能再修改")):
            save_note(target, world.actors["inst_p"], "改了")
        db.session.refresh(target)
        assert target.note == "qu_p_a"

        returned = row(world, Qualification, "qu_gz_b")
        save_note(returned, _approved_inst_gz(world), "补充材料")
        db.session.refresh(returned)
        assert returned.note == "补充材料"


# ---- 送审: to the industry department of the series; a province institution's passes ---------------


def test_a_returned_application_waits_at_the_industry_department(app, world):
    """广州's returned 乙 application: while no 乙 department above 广州 is approved, 送审 is refused and
    says whom to ask; once the province's 乙 department (or_ind_p_b) is approved, the application is sent
    there and waits (run 10's `submit_application` 9, 20–27: not passed at 送审)."""
    with acting(app):
        actor = _approved_inst_gz(world)
        target = row(world, Qualification, "qu_gz_b")
        missing = (
            "没有可审核专业培训资格的“神谕乙系列”行业主管部门：请联系广州市或广东省的“神谕乙系列”行业主管部门"
            "先在本系统完成角色申请，审核通过后再送审"
        )
        with pytest.raises(ReviewError, match=re.escape(missing)):
            submit_application(target, actor)
        db.session.refresh(target)
        assert target.status == ApplicationStatus.RETURNED

        row(world, Organisation, "or_ind_p_b").status = ApplicationStatus.APPROVED
        db.session.flush()
        reviewer = submit_application(target, actor)
        assert reviewer.id == world.ids["or_ind_p_b"]
        db.session.refresh(target)
        assert (target.status, target.reviewer_org_id) == (ApplicationStatus.PENDING, world.ids["or_ind_p_b"])
        assert target.submitted_at is not None
        logs = db.session.scalars(
            select(ReviewLog).where(ReviewLog.object_type == "qualification", ReviewLog.object_id == target.id)
        ).all()
        assert [(log.step, log.result, log.reviewer_org_id) for log in logs] == [
            ("送审", ReviewResult.SUBMIT, world.ids["or_inst_gz"])]

        with pytest.raises(ReviewError, match=re.escape("当前状态为“待审核”，不能送审")):
            submit_application(target, actor)


def test_a_province_institutions_application_passes_at_submit(app, world):
    """inst_p's draft 乙 application: no department reviews it, it is approved at 送审."""
    with acting(app):
        target = row(world, Qualification, "qu_p_b")
        assert submit_application(target, world.actors["inst_p"]) is None
        db.session.refresh(target)
        assert (target.status, target.reviewer_org_id) == (ApplicationStatus.APPROVED, None)
        opinions = db.session.scalars(
            select(ReviewLog.opinion).where(ReviewLog.object_type == "qualification", ReviewLog.object_id == target.id,
                                            ReviewLog.result == ReviewResult.APPROVE)
        ).all()
        assert opinions == [AUTO_APPROVED]


def test_submit_many_submits_the_institutions_own_submittable_applications(app, world):
    """inst_p 批量送审s its draft (approved at once), its approved application and 广州's returned one:
    one done, two skipped with their reasons, nothing else changed."""
    with acting(app):
        keys = ["qu_p_b", "qu_p_a", "qu_gz_b"]
        outcome = submit_many([row(world, Qualification, key) for key in keys], world.actors["inst_p"])
        assert [(q.id, reviewer) for q, reviewer in outcome.done] == [(world.ids["qu_p_b"], None)]
        assert outcome.skipped == [
            ("or_inst_p（神谕甲系列）", "当前状态为“已通过”，不能送审"),
            ("or_inst_gz（神谕乙系列）", "该专业培训资格申请不属于本机构"),
        ]
        db.session.expire_all()
        assert [row(world, Qualification, key).status for key in keys] == [
            ApplicationStatus.APPROVED, ApplicationStatus.APPROVED, ApplicationStatus.RETURNED]
        assert row(world, Qualification, "qu_gz_b").reviewer_org_id == world.ids["or_ind_p_b"]
