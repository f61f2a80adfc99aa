"""专业培训资格申请 (workflows/qualifications.py) to the letter: the exact refusal (its words and its field,
not a pattern a longer text would also match), what an application holds when no note is given, the
order of the series offered, and the 操作日志 row each change leaves. test_guards_qualifications.py holds
who may do what; this file kills what mutation run 11 left of the module (docs/testing.md).

The calls run inside `acting(app)`: rolled back at its end, so the module's world stays as built.
"""
import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, AuditAction
from backoffice.models import AuditLog, ProfessionalSeries, Qualification
from backoffice.workflows import WorkflowError
from backoffice.workflows.qualifications import NOTE_MAX, applicable_series, apply, delete_application, save_note
from backoffice.workflows.teachers import FieldError
from world import acting, row

NOT_APPLICABLE = "所选专业系列不可申请（不存在、已停用或本机构已申请）"


def _refused(call, error=WorkflowError):
    with pytest.raises(error) as caught:
        call()
    return caught.value


def _last_audit_id() -> int:
    return db.session.scalar(select(func.max(AuditLog.id)))


def _audit_after(last_id: int) -> list[tuple]:
    return db.session.execute(
        select(AuditLog.action, AuditLog.object_type, AuditLog.object_id, AuditLog.summary)
        .where(AuditLog.id > last_id).order_by(AuditLog.id)
    ).all()


@pytest.mark.parametrize(
    "chosen,field,message",
    [
        (["orc_b"], "series_ids", NOT_APPLICABLE),  # applied for already (qu_oc_b)
        (["x"], "series_ids", NOT_APPLICABLE),
        ([], "series_ids", "请选择申请培训的专业系列"),
    ],
)
def test_an_application_refused_says_exactly_why_and_where(app, world, chosen, field, message):
    with acting(app):
        ids = [world.ids.get(key, key) for key in chosen]
        refused = _refused(lambda: apply(world.actors["inst_oc"], ids, None), FieldError)
        assert (refused.field, refused.args) == (field, (message,))


def test_an_overlong_note_is_refused_at_the_note(app, world):
    with acting(app):
        refused = _refused(lambda: apply(world.actors["inst_oc"], [world.ids["orc_a"]], "说" * (NOTE_MAX + 1)),
                           FieldError)
        assert (refused.field, refused.args) == ("note", (f"申请说明限{NOTE_MAX}字",))


def test_an_operator_outside_the_institutions_is_told_exactly(app, world):
    with acting(app):
        refused = _refused(lambda: apply(world.actors["unit_gz1"], [world.ids["orc_a"]], None))
        assert refused.args == ("您没有申请专业培训资格的权限",)


@pytest.mark.parametrize("note", [None, "   "])
def test_every_series_left_may_be_applied_for_at_once_without_a_note(app, world, note):
    """All the series inst_oc may still apply for, in one 新申请 without 申请说明: a draft each, its note
    empty (nothing typed is nothing stored), one 新增 log row per application under the series' names."""
    with acting(app):
        actor = world.actors["inst_oc"]
        offered = applicable_series(actor)
        assert len(offered) >= 2
        last = _last_audit_id()
        filed = apply(actor, [s.id for s in offered], note)
        assert [(q.series_id, q.status, q.note) for q in filed] == [
            (s.id, ApplicationStatus.DRAFT, None) for s in sorted(offered, key=lambda s: s.id)
        ]
        summary = "申请专业培训资格：" + "、".join(s.name for s in sorted(offered, key=lambda s: s.id))
        assert _audit_after(last) == [
            (AuditAction.CREATE, "qualification", str(q.id), summary) for q in filed
        ]
        assert applicable_series(actor) == []


def test_series_of_the_same_sort_are_offered_in_the_order_they_were_made(app, world):
    with acting(app):
        made = [ProfessionalSeries(code=f"orc_s{n}", name=f"神谕同序{n}", sort=-5) for n in range(3)]
        db.session.add_all(made)
        db.session.flush()
        offered = [s.id for s in applicable_series(world.actors["inst_oc"])]
        assert offered[:3] == sorted(s.id for s in made)


def test_a_note_changed_or_an_application_deleted_is_logged_under_its_name(app, world):
    """save_note, then delete, of inst_p's draft qu_p_b: each a log row of its own kind, summarised with the
    application's name."""
    with acting(app):
        draft = row(world, Qualification, "qu_p_b")
        draft_id, name = draft.id, str(draft)
        actor = world.actors["inst_p"]
        last = _last_audit_id()
        save_note(draft, actor, "补充说明")
        assert draft.note == "补充说明"
        assert _audit_after(last) == [
            (AuditAction.UPDATE, "qualification", str(draft_id), f"修改专业培训资格申请：{name}")
        ]
        last = _last_audit_id()
        delete_application(draft, actor)
        assert _audit_after(last) == [
            (AuditAction.DELETE, "qualification", str(draft_id), f"删除专业培训资格申请：{name}")
        ]


def test_what_is_no_longer_editable_is_refused_in_so_many_words(app, world):
    with acting(app):
        approved = row(world, Qualification, "qu_p_a")
        actor = world.actors["inst_p"]
        assert _refused(lambda: save_note(approved, actor, "改")).args == ("已送审的申请不能再修改",)
        assert _refused(lambda: delete_application(approved, actor)).args == ("只能删除未送审的申请",)
        db.session.refresh(approved)
        assert (approved.status, approved.note) == (ApplicationStatus.APPROVED, "qu_p_a")  # the world's note
