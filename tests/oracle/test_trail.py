"""What the guarded moves leave in the history (DESIGN §4: every state change is audited; §3: every
review event is a 审批流程 row). A conditional UPDATE bypasses the flush hook, so each workflow writes
its AuditLog row itself: these tests pin that row (action, object, summary, before, after) and the
ReviewLog rows, written out by hand, for each move. Nothing is committed (see test_guards.py).
"""
from datetime import date

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, BindingStatus, ReviewResult, TransferStatus
from backoffice.models import (
    AuditLog, Catalogue, Membership, OrgChange, OrgRole, Person, PersonChange, Plan, Qualification, ReviewLog,
    TrainingClass, Transfer,
)
from backoffice.workflows.catalogue import publish
from backoffice.workflows.classes import move_class
from backoffice.workflows.members import delete_role, disable_member, make_super_admin, set_roles
from backoffice.workflows.orgs import ORG_CHANGE
from backoffice.workflows.people import confirm, release
from backoffice.workflows.plans import PLAN, submit_plan
from backoffice.workflows.qualifications import submit_application
from backoffice.workflows.review import review, submit
from backoffice.workflows.transfers import accept_transfer, cancel_transfer, refuse_transfer
from world import acting, row


def _since(model, first_id):
    return list(db.session.scalars(select(model).where(model.id > first_id).order_by(model.id)))


def _last_id(model):
    return db.session.scalar(select(model.id).order_by(model.id.desc()).limit(1)) or 0


class Trail:
    """The AuditLog and ReviewLog rows written inside the block."""

    def __enter__(self):
        self.audit_from, self.review_from = _last_id(AuditLog), _last_id(ReviewLog)
        return self

    def __exit__(self, *exc):
        db.session.flush()
        self.audit = [
            (a.action, a.object_type, a.object_id, a.summary, a.before, a.after)
            for a in _since(AuditLog, self.audit_from)
        ]
        self.reviews = [
            (r.object_type, r.object_id, r.step, r.reviewer_org_id, r.reviewer_user_id, r.result, r.opinion)
            for r in _since(ReviewLog, self.review_from)
        ]


def test_release_is_audited_and_closes_the_waiting_request_in_the_history(app, world):
    with acting(app):
        actor = world.actors["unit_gz1"]
        person, change = row(world, Person, "pe_gz1_ok"), world.ids["pc_gz1_wait"]
        with Trail() as trail:
            release(person, actor)
        gz1 = world.ids["or_unit_gz1"]
        assert trail.audit == [
            ("review", "person_change", str(change), "人员已解除与单位的绑定，申请自动结案：pe_gz1_ok",
             {"status": "pending"}, {"status": "closed"}),
            ("release", "person", str(person.id), "解除绑定：pe_gz1_ok",
             {"binding_status": "confirmed", "unit_id": gz1}, {"binding_status": "released", "unit_id": None}),
        ]
        assert trail.reviews == [
            ("person_change", change, "解除绑定", gz1, actor.user_id, "close", "人员已解除与单位的绑定，申请自动结案"),
        ]


def test_confirm_and_refuse_are_audited(app, world):
    with acting(app):
        gz1 = world.ids["or_unit_gz1"]
        waiting, other = row(world, Person, "pe_gz1_wait"), row(world, Person, "pe_gz2_wait")
        with Trail() as trail:
            confirm(waiting, True, world.actors["unit_gz1"])
            confirm(other, False, world.actors["multi_gz2"])
        assert trail.audit == [
            ("confirm", "person", str(waiting.id), "确认本单位人员：pe_gz1_wait",
             {"binding_status": "pending", "unit_id": gz1}, {"binding_status": "confirmed"}),
            ("confirm", "person", str(other.id), "不予确认本单位人员：pe_gz2_wait",
             {"binding_status": "pending", "unit_id": world.ids["or_unit_gz2"]}, {"binding_status": "refused"}),
        ]
        assert trail.reviews == []


def test_transfer_moves_are_audited_and_logged(app, world):
    with acting(app):
        gz2_actor, gz1_actor = world.actors["multi_gz2"], world.actors["unit_gz1"]
        transfer = row(world, Transfer, "tr_wait")
        person_id, gz1, gz2 = world.ids["pe_going"], world.ids["or_unit_gz1"], world.ids["or_unit_gz2"]
        with Trail() as trail:
            accept_transfer(transfer, gz2_actor, "欢迎")
        assert trail.audit == [
            ("transfer", "transfer", str(transfer.id), "已调入：pe_going",
             {"status": "pending"}, {"status": "accepted", "opinion": "欢迎"}),
            ("transfer", "person", str(person_id), "调入：pe_going → or_unit_gz2",
             {"unit_id": gz1}, {"unit_id": gz2, "binding_status": "confirmed", "department_id": None}),
        ]
        assert trail.reviews == [("transfer", transfer.id, "人员调入", gz2, gz2_actor.user_id, "approve", "欢迎")]
        assert (transfer.decided_by_id, transfer.opinion) == (gz2_actor.user_id, "欢迎")
        assert transfer.decided_at is not None

    with acting(app):
        transfer = row(world, Transfer, "tr_wait")
        with Trail() as trail:
            cancel_transfer(transfer, gz1_actor)
        assert trail.audit == [
            ("transfer", "transfer", str(transfer.id), "已撤销：pe_going",
             {"status": "pending"}, {"status": "cancelled", "opinion": None}),
        ]
        assert trail.reviews == [("transfer", transfer.id, "撤销调出", gz1, gz1_actor.user_id, "close", "调出单位撤销调转申请")]

    with acting(app):
        transfer = row(world, Transfer, "tr_wait")
        with Trail() as trail:
            refuse_transfer(transfer, "编制已满", gz2_actor)
        assert transfer.status == TransferStatus.REFUSED
        assert trail.reviews == [("transfer", transfer.id, "人员调入", gz2, gz2_actor.user_id, "close", "编制已满")]
        assert row(world, Person, "pe_going").unit_id == gz1


def test_accepting_closes_the_persons_waiting_requests_in_the_history(app, world):
    with acting(app):
        # pe_gz1_ok asks gz1 for a change, then gz1 sends them to gz2
        person = row(world, Person, "pe_gz1_ok")
        transfer = Transfer(person_id=person.id, from_unit_id=person.unit_id, to_unit_id=world.ids["or_unit_gz2"],
                            status=TransferStatus.PENDING, reason="tr_new")
        db.session.add(transfer)
        db.session.flush()
        with Trail() as trail:
            accept_transfer(transfer, world.actors["multi_gz2"])
        change = row(world, PersonChange, "pc_gz1_wait")
        db.session.refresh(change)
        assert change.status == ApplicationStatus.CLOSED
        assert ("person_change", change.id, "人员调转", world.ids["or_unit_gz2"], world.actors["multi_gz2"].user_id,
                "close", "人员已调转，申请自动结案") in trail.reviews
        assert (person.unit_id, person.binding_status) == (world.ids["or_unit_gz2"], BindingStatus.CONFIRMED)


def test_a_review_decision_is_audited_and_logged_with_the_reviewer(app, world):
    with acting(app):
        hr_gz = world.actors["hr_gz"]
        change = row(world, OrgChange, "oc_gz1")
        with Trail() as trail:
            review(ORG_CHANGE, change, ReviewResult.RETURN, "  请补充材料  ", hr_gz)
        assert change.status == ApplicationStatus.RETURNED
        assert trail.reviews == [
            ("org_change", change.id, "机构信息修改审核", world.ids["or_hr_gz"], hr_gz.user_id, "return", "请补充材料"),
        ]
        assert trail.audit == [
            ("review", "org_change", str(change.id), "不同意并退案：or_unit_gz1的信息修改",
             {"status": "pending"}, {"status": "returned", "opinion": "请补充材料"}),
        ]
        with Trail() as again:
            submit(ORG_CHANGE, change, reviewer_org_id=world.ids["or_hr_p"], actor=world.actors["unit_gz1"], note="已补充")
        assert (change.status, change.reviewer_org_id) == (ApplicationStatus.PENDING, world.ids["or_hr_p"])
        assert change.submitted_at is not None
        assert again.reviews == [
            ("org_change", change.id, "送审", world.ids["or_unit_gz1"], world.actors["unit_gz1"].user_id, "submit", "已补充"),
        ]
        assert again.audit == [
            ("submit", "org_change", str(change.id), "送审：or_unit_gz1的信息修改",
             {"status": "returned"}, {"status": "pending", "reviewer_org_id": world.ids["or_hr_p"]}),
        ]


def test_member_moves_are_audited(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        member = row(world, Membership, "u_multi@or_unit_gz1")
        staff = row(world, OrgRole, "ro_gz1_staff")
        extra = OrgRole(org_id=world.ids["or_unit_gz1"], name="ro_extra", modules=["teachers"])
        db.session.add(extra)
        db.session.flush()
        with Trail() as trail:
            set_roles(member, [staff, extra], boss)
            disable_member(member, boss)
        assert [a for a in trail.audit if a[0] == "membership"] == [
            ("membership", "membership", str(member.id), "分配角色：u_multi（u_multi）",
             {"roles": ["ro_gz1_staff"]}, {"roles": ["ro_extra", "ro_gz1_staff"]}),
            ("membership", "membership", str(member.id), "禁用经办人员：u_multi（u_multi）",
             {"status": "active"}, {"status": "disabled"}),
        ]
        with Trail() as deleting:
            assert delete_role(extra, boss) == 1
        assert deleting.audit[0] == (
            "membership", "org_role", str(extra.id), "删除角色“ro_extra”，收回1名经办人员的该角色",
            {"membership_ids": [member.id]}, None,
        )
        db.session.refresh(member)
        assert [r.name for r in member.roles] == ["ro_gz1_staff"]
        assert db.session.get(OrgRole, staff.id) is not None  # the other role and its holders stay


def test_handing_over_is_audited(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        member = row(world, Membership, "u_multi@or_unit_gz1")
        with Trail() as trail:
            make_super_admin(member, boss)
        assert trail.audit[-1] == (
            "membership", "membership", str(member.id), "设为超级管理员：u_multi（u_multi）",
            {"super_admin_membership_id": boss.membership_id}, {"super_admin_membership_id": member.id},
        )


# ---- the training chain (issue 10) -------------------------------------------------------------


def test_a_plan_review_is_logged_with_its_step_and_reviewer(app, world):
    with acting(app):
        actor = world.actors["ind_gz"]
        plan = row(world, Plan, "pl_gz1_wait")
        with Trail() as trail:
            review(PLAN, plan, ReviewResult.RETURN, "材料不全", actor)
        assert trail.audit == [
            ("review", "plan", str(plan.id), "不同意并退案：pl_gz1_wait",
             {"status": "pending"}, {"status": "returned", "opinion": "材料不全"}),
        ]
        assert trail.reviews == [
            ("plan", plan.id, "专业课计划审核", world.ids["or_ind_gz_a"], actor.user_id, "return", "材料不全"),
        ]


def test_a_province_institutions_qualification_passes_at_submit_with_both_steps_logged(app, world):
    with acting(app):
        actor = world.actors["inst_p"]
        qualification = row(world, Qualification, "qu_p_b")
        with Trail() as trail:
            assert submit_application(qualification, actor) is None
        assert trail.audit == [
            ("submit", "qualification", str(qualification.id), "送审并自动通过：or_inst_p（神谕乙系列）",
             {"status": "draft"}, {"status": "approved"}),
        ]
        assert trail.reviews == [
            ("qualification", qualification.id, "送审", world.ids["or_inst_p"], actor.user_id, "submit", None),
            ("qualification", qualification.id, "施教机构专业培训资格审核", None, None, "approve",
             "省级施教机构，专业培训资格默认通过"),
        ]
        db.session.refresh(qualification)
        assert (qualification.status, qualification.reviewer_org_id) == (ApplicationStatus.APPROVED, None)


def test_a_plan_submit_is_routed_and_logged(app, world):
    """The province institution's 甲 plan goes to the province's 甲 department, named in the audit row."""
    with acting(app):
        actor = world.actors["inst_p"]
        plan = row(world, Plan, "pl_inst_p_draft")
        db.session.add(TrainingClass(
            plan_id=plan.id, name="or_trail_class", planned_open_on=date(2026, 3, 11), study_form_code="01",
            study_start_on=date(2026, 3, 11), study_end_on=date(2026, 3, 12), capacity=30,
            head_teacher_id=world.ids["te_inst_p"], exam_type_code="02", location="地点", schedule="安排",
        ))
        db.session.flush()
        db.session.refresh(plan)
        with Trail() as trail:
            submit_plan(plan, actor)
        ind_p = world.ids["or_ind_p_a"]
        assert trail.audit == [
            ("submit", "plan", str(plan.id), "送审：pl_inst_p_draft",
             {"status": "draft"}, {"status": "pending", "reviewer_org_id": ind_p}),
        ]
        assert trail.reviews == [("plan", plan.id, "送审", world.ids["or_inst_p"], actor.user_id, "submit", None)]


def test_class_moves_and_catalogue_events_are_audited(app, world):
    with acting(app):
        unit, ind_p = world.actors["unit_gz1"], world.actors["ind_p"]
        training_class = row(world, TrainingClass, "cl_gz1_open")
        catalogue = row(world, Catalogue, "ca_a_draft")
        with Trail() as trail:
            move_class(training_class, "cancel", "场地取消", unit)
            publish(catalogue, ind_p)
        assert trail.audit == [
            ("class_status", "training_class", str(training_class.id), "取消：cl_gz1_open",
             {"status": "open"}, {"status": "cancelled", "status_note": "场地取消"}),
            ("publish", "catalogue", str(catalogue.id), "发布：2027年神谕甲系列专业课目录",
             {"status": "draft"}, {"status": "published"}),
        ]
        assert trail.reviews == []
