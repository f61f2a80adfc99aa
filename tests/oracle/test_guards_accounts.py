"""The helpdesk's repair of a person's binding (workflows/accounts.py: find_unit, rebind_person) on
its own: the unit is found by code (either code type, any case) or exact name, only among 法人单位 and
only inside the scope given; the new binding waits for the unit; the AuditLog says from where to
where and why. Nothing is committed (see test_guards.py)."""
import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, BindingStatus, OrgKind, RegionLevel
from backoffice.models import AuditLog, Organisation, Person
from backoffice.policy import visible
from backoffice.workflows import WorkflowError
from backoffice.workflows.accounts import find_unit, rebind_person
from world import acting, row


def _refusal(call) -> str:
    with pytest.raises(WorkflowError) as error:
        call()
    return str(error.value)


def _unit(name, code, status=ApplicationStatus.APPROVED):
    org = Organisation(kind=OrgKind.UNIT, name=name, code=code, level=RegionLevel.CITY, region_code="440100",
                       status=status)
    db.session.add(org)
    db.session.flush()
    return org


def test_a_unit_is_found_by_either_code_in_any_case_or_by_its_exact_name(app, world):
    with acting(app):
        gz1 = row(world, Organisation, "or_unit_gz1")
        assert find_unit(f"  {gz1.code.lower()} ") is gz1
        old_style = _unit("旧代码单位", "ABCDEFGH9")
        assert find_unit("abcdefgh-9") is old_style
        assert find_unit("or_unit_gz2").id == world.ids["or_unit_gz2"]
        # a code that is also another unit's name: the code wins
        named_like_a_code = _unit(gz1.code, "ORCNAMED0000000001")
        assert find_unit(gz1.code) is gz1 and named_like_a_code.id != gz1.id


def test_what_is_not_one_unit_is_refused_with_the_reason(app, world):
    with acting(app):
        assert _refusal(lambda: find_unit("   ")) == "请填写新工作单位的单位代码或名称"
        assert _refusal(lambda: find_unit(None)) == "请填写新工作单位的单位代码或名称"
        assert _refusal(lambda: find_unit("or_hr_gz")) == "未找到单位代码或名称为“or_hr_gz”的法人单位"
        long = "长" * 60
        assert _refusal(lambda: find_unit(long)) == f"未找到单位代码或名称为“{'长' * 50}”的法人单位"
        _unit("同名单位", "ORCSAME00000000001")
        _unit("同名单位", "ORCSAME00000000002")
        assert _refusal(lambda: find_unit("同名单位")) == "名称为“同名单位”的法人单位不止一个，请改用单位代码"


def test_the_scope_given_limits_the_search(app, world):
    with acting(app):
        shenzhen_hr = world.actors["hr_sz"]
        scope = visible(Organisation, shenzhen_hr)
        assert find_unit("or_unit_sz", scope).id == world.ids["or_unit_sz"]
        assert _refusal(lambda: find_unit("or_unit_gz1", scope)) == "未找到单位代码或名称为“or_unit_gz1”的法人单位"


def test_rebinding_waits_for_the_new_unit_and_says_why_in_the_log(app, world):
    with app.test_request_context():  # the log names the action only inside a request, as in use
        person = row(world, Person, "pe_gz2_ok")
        gz1 = row(world, Organisation, "or_unit_gz1")
        last = db.session.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1))
        rebind_person(person, gz1, "  本人调动，单位来函  ")
        assert (person.unit_id, person.binding_status) == (gz1.id, BindingStatus.PENDING)
        logged = db.session.scalars(select(AuditLog).where(AuditLog.id > last, AuditLog.object_type == "person")).all()
        assert [(a.action, a.summary) for a in logged] == [
            ("rebind", "修改人员单位绑定：pe_gz2_ok，or_unit_gz2 → or_unit_gz1；原因：本人调动，单位来函"),
        ]
        loose = row(world, Person, "pe_released")
        rebind_person(loose, gz1, "补绑定")
        assert loose.unit_id == gz1.id
        assert db.session.scalar(select(AuditLog.summary).order_by(AuditLog.id.desc()).limit(1)) == (
            "修改人员单位绑定：pe_released，无 → or_unit_gz1；原因：补绑定"
        )
        db.session.rollback()


def test_rebinding_is_refused_to_anything_but_another_approved_unit(app, world):
    with acting(app):
        person = row(world, Person, "pe_gz2_ok")
        assert _refusal(lambda: rebind_person(person, row(world, Organisation, "or_hr_gz"), "x")) == "只能绑定到法人单位"
        assert _refusal(lambda: rebind_person(person, row(world, Organisation, "or_unit_gz_new"), "x")) == (
            "“or_unit_gz_new”尚未审核通过或已被移除权限，不能绑定"
        )
        revoked = row(world, Organisation, "or_unit_sz")
        revoked.active = False
        assert _refusal(lambda: rebind_person(person, revoked, "x")) == "“or_unit_sz”尚未审核通过或已被移除权限，不能绑定"
        assert _refusal(lambda: rebind_person(person, row(world, Organisation, "or_unit_gz2"), "x")) == (
            "该人员已绑定“or_unit_gz2”，无需修改"
        )
        assert _refusal(lambda: rebind_person(person, row(world, Organisation, "or_unit_gz1"), " ")) == "请填写原因"
        db.session.refresh(person)
        assert (person.unit_id, person.binding_status) == (world.ids["or_unit_gz2"], BindingStatus.CONFIRMED)
