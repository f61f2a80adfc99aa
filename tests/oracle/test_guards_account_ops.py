"""The account operations of workflows/accounts.py called straight: a reset refused for every reason the
power rule gives changes nothing; an allowed one leaves exactly the state the owner and the log need;
the helpdesk's unlock, 撤销 and 恢复 refuse what is not theirs to do and return a binding exactly where
it was. The world's accounts are described in test_guards_power.py."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import MembershipStatus
from backoffice.models import AuditLog, Membership, Person, User
from backoffice.models.base import utcnow
from backoffice.policy import power
from backoffice.validators import check_password
from backoffice.workflows import WorkflowError
from backoffice.workflows.accounts import (
    _ALPHABET,
    clean_reason,
    person_of,
    reset_password,
    reset_password_on_server,
    restore_membership,
    revoke_membership,
    take_reset_notice,
    temporary_password,
    unlock,
)
from world import acting, row


def _refusal(call) -> str:
    with pytest.raises(WorkflowError) as error:
        call()
    return str(error.value)


def _membership(world, login, org) -> Membership:
    return db.session.scalar(select(Membership).where(
        Membership.user_id == world.ids[login], Membership.org_id == world.ids[org],
    ))


def _logged_since(last: int) -> list[str]:
    return list(db.session.scalars(select(AuditLog.summary).where(AuditLog.id > last).order_by(AuditLog.id)))


def _logged_actions_since(last: int) -> list[tuple[str, str]]:
    return [tuple(r) for r in db.session.execute(
        select(AuditLog.action, AuditLog.summary).where(AuditLog.id > last).order_by(AuditLog.id)
    )]


def _last_log() -> int:
    return db.session.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1)) or 0


def test_a_temporary_password_meets_the_policy_and_avoids_lookalikes():
    seen = {temporary_password("abcdef12") for _ in range(30)}
    assert len(seen) == 30
    for password in seen:
        assert len(password) == 10 and check_password(password, "abcdef12") is None
        assert set(password) <= set(_ALPHABET)
    assert not {"l", "I", "O", "0", "1"} & set(_ALPHABET)


def test_a_reason_is_required_and_at_most_200_characters():
    assert clean_reason("  来电核实  ") == "来电核实"
    assert clean_reason("因" * 200) == "因" * 200
    assert _refusal(lambda: clean_reason(None)) == "请填写原因"
    assert _refusal(lambda: clean_reason(" \n ")) == "请填写原因"
    assert _refusal(lambda: clean_reason("因" * 201)) == "原因限200字"


@pytest.mark.parametrize("identity, login, reason", [
    ("unit_gz1", "u_p2", power.NOT_CONFIRMED_HERE),
    ("unit_gz1", "u_multi", power.OTHER_ORG),
    ("multi_gz1", "u_unit_gz1", power.OWN_MEMBER),
    ("hr_gz", "u_p2", power.NOT_IN_REGION),
    ("ind_p", "u_p1", power.NO_PEOPLE_RESET),
    ("helpdesk", "u_admin", power.SYSTEM_ACCOUNT),
    ("admin", "u_p1", power.NO_POWER),
])
def test_a_refused_reset_changes_nothing(app, world, identity, login, reason):
    with acting(app):
        user = row(world, User, login)
        before = (user.password_hash, user.must_change_password, user.password_reset_by, user.session_version)
        last = _last_log()
        assert _refusal(lambda: reset_password(user, world.actors[identity], reason="核实")) == reason
        assert (user.password_hash, user.must_change_password, user.password_reset_by, user.session_version) == before
        assert _logged_since(last) == []


@pytest.mark.parametrize("identity, login, by", [
    ("unit_gz1", "u_p1", None),  # None: the organisation's own name, as the actor is labelled
    ("hr_p", "u_p2", None),
    ("helpdesk", "u_unit_sz", "客服"),
])
def test_an_allowed_reset_forces_a_change_clears_a_lockout_and_tells_the_owner(app, world, identity, login, by):
    with app.test_request_context():
        user = row(world, User, login)
        user.failed_logins, user.locked_until = 5, utcnow() + timedelta(minutes=30)
        db.session.flush()
        version, last = user.session_version, _last_log()
        actor = world.actors[identity]
        by = by or actor.label
        assert actor.label.startswith(identity.replace("unit_gz1", "or_unit_gz1").replace("hr_p", "or_hr_p")) \
            or identity == "helpdesk"
        assert _refusal(lambda: reset_password(user, actor, reason=" ")) == "请填写原因"
        password = reset_password(user, actor, reason="本人来电")
        assert user.check_password(password) and check_password(password, login) is None
        assert (user.must_change_password, user.failed_logins, user.locked_until, user.password_reset_by) == (
            True, 0, None, by,
        )
        assert user.session_version > version and user.password_reset_at is not None
        assert f"重置密码：{login}；原因：本人来电" in _logged_since(last)[0]
        notice = take_reset_notice(user)
        assert notice.startswith("您的密码已于 ") and notice.endswith(f" 由 {by} 重置。如非您本人申请，请立即联系客服。")
        assert (user.password_reset_by, user.password_reset_at) == (None, None)
        assert take_reset_notice(user) is None  # told once
        db.session.rollback()


def test_the_server_command_reaches_a_system_account_and_says_so(app, world):
    with app.test_request_context():
        admin = row(world, User, "u_admin")
        password = reset_password_on_server(admin, "管理员遗忘密码")
        assert admin.check_password(password) and admin.must_change_password is True
        assert admin.password_reset_by == power.SERVER
        long_reason = "长" * 200
        reset_password_on_server(admin, long_reason)
        summary = _logged_since(0)[-1]
        assert len(summary) == 200 and summary.endswith("…")
        db.session.rollback()


def test_unlock_clears_only_what_is_locked(app, world):
    with app.test_request_context():
        user = row(world, User, "u_p1")
        assert _refusal(lambda: unlock(user, "核实")) == "该账号未被锁定，无需解锁"
        user.failed_logins = 2  # not locked yet, but counting: clearing it is allowed
        unlock(user, "核实")
        assert (user.failed_logins, user.locked_until) == (0, None)
        user.failed_logins, user.locked_until = 0, utcnow() + timedelta(minutes=5)
        assert _refusal(lambda: unlock(user, "")) == "请填写原因"
        last = _last_log()
        unlock(user, "核实")
        assert (user.failed_logins, user.locked_until) == (0, None)
        assert _logged_actions_since(last) == [("unlock", "解锁账号：u_p1；原因：核实")]
        db.session.rollback()


@pytest.mark.parametrize("login, org, status", [
    ("u_unit_gz1", "or_unit_gz1", MembershipStatus.ACTIVE),
    ("u_pend", "or_unit_gz1", MembershipStatus.PENDING),
    ("u_off", "or_unit_sz", MembershipStatus.DISABLED),
])
def test_revoke_then_restore_returns_the_binding_exactly_where_it_was(app, world, login, org, status):
    with acting(app):
        membership = _membership(world, login, org)
        assert _refusal(lambda: revoke_membership(membership, None)) == "请填写原因"
        revoke_membership(membership, "冒用")
        assert (membership.status, membership.status_before_revoke) == (MembershipStatus.DISABLED, status)
        assert _refusal(lambda: revoke_membership(membership, "再次")) == "该经办绑定已撤销，无需重复操作"
        restore_membership(membership, "核实无误")
        assert (membership.status, membership.status_before_revoke) == (status, None)


@pytest.mark.parametrize("login, org, revoke, restore", [
    ("u_gone", "or_unit_gz1", "状态为“已解除”的经办绑定不能撤销", "只能恢复已撤销的经办绑定，该绑定状态为“已解除”"),
    ("u_off", "or_hr_gz", "状态为“已拒绝”的经办绑定不能撤销", "只能恢复已撤销的经办绑定，该绑定状态为“已拒绝”"),
    ("u_unit_gz1", "or_unit_gz1", None, "该经办绑定有效，无需恢复"),
    ("u_off", "or_unit_sz", None, "该经办绑定是单位自行禁用的，不是客服撤销的，请由该单位超级管理员启用"),
])
def test_what_cannot_be_revoked_or_restored_says_why(app, world, login, org, revoke, restore):
    with acting(app):
        membership = _membership(world, login, org)
        status = membership.status
        if revoke:
            assert _refusal(lambda: revoke_membership(membership, "x")) == revoke
        assert _refusal(lambda: restore_membership(membership, "x")) == restore
        assert (membership.status, membership.status_before_revoke) == (status, None)


def test_the_log_names_the_binding_and_the_reason(app, world):
    with app.test_request_context():
        membership = _membership(world, "u_pend", "or_unit_gz1")
        last = _last_log()
        revoke_membership(membership, "冒用")
        restore_membership(membership, "核实")
        assert _logged_actions_since(last) == [
            ("revoke", "撤销经办绑定：u_pend @ or_unit_gz1；原因：冒用"),
            ("restore", "恢复经办绑定（待确认）：u_pend @ or_unit_gz1；原因：核实"),
        ]
        db.session.rollback()


def test_the_person_of_an_account(app, world):
    with acting(app):
        assert person_of(row(world, User, "u_p1")) is row(world, Person, "pe_gz1_ok")
        assert person_of(row(world, User, "u_unit_gz1")) is None


def test_the_reset_notice_names_the_time_in_beijing_and_is_logged_once(app, world):
    with app.test_request_context():
        user = row(world, User, "u_p1")
        user.password_reset_at, user.password_reset_by = datetime(2026, 3, 4, 16, 5), None  # stored as UTC
        last = _last_log()
        assert take_reset_notice(user) == "您的密码已于 2026-03-05 00:05 由 他人 重置。如非您本人申请，请立即联系客服。"
        assert _logged_actions_since(last) == [("login", "登录时已告知密码重置：u_p1")]
        db.session.rollback()
