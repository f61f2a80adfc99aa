"""Issue 15 item 8: 恢复 returns a revoked 经办绑定 to exactly the state it had — a pending invitation
comes back pending, still waiting for the invitee — and only the helpdesk undoes its own 撤销."""

from backoffice.extensions import db
from backoffice.labels import MembershipStatus
from backoffice.models import Membership

from pages import act, flashes

HOSPITAL = "广州示范医院"


def _state(app, membership_id):
    with app.app_context():
        row = db.session.get(Membership, membership_id)
        return row.status, row.status_before_revoke


def _post(client, url, reason):
    return client.post(url, {"reason": reason}, token_page=url)


def test_a_revoked_pending_invitation_comes_back_pending(app, helpdesk, login_as, membership_id):
    invitation = membership_id("unit_d", HOSPITAL)  # the hospital asked unit_d; he has not answered
    assert _state(app, invitation) == (MembershipStatus.PENDING, None)
    assert _post(helpdesk, f"/admin/bindings/revoke/?id={invitation}", "对方称不认识该单位").status_code == 302
    assert _state(app, invitation) == (MembershipStatus.DISABLED, MembershipStatus.PENDING)
    details = helpdesk.get(f"/admin/bindings/details/?id={invitation}").get_data(as_text=True)
    assert "客服撤销前的状态：待确认" in details and "恢复经办绑定" in details

    invitee = login_as("unit_d")
    assert ">通过申请</button>" not in invitee.get("/me/bindings").get_data(as_text=True)

    assert _post(helpdesk, f"/admin/bindings/restore/?id={invitation}", "核实后确为本单位申请").status_code == 302
    assert _state(app, invitation) == (MembershipStatus.PENDING, None)
    # still the invitee's decision: not on 选择单位账号 until he accepts
    assert HOSPITAL not in invitee.get("/select-org").get_data(as_text=True)
    bindings = invitee.get("/me/bindings").get_data(as_text=True)
    assert ">通过申请</button>" in bindings and "待确认" in bindings
    answer = invitee.post("/me/bindings", {"membership_id": invitation, "decision": "accept"}, token_page="/me/bindings")
    assert answer.status_code == 302
    assert _state(app, invitation) == (MembershipStatus.ACTIVE, None)


def test_the_organisation_cannot_enable_what_the_helpdesk_revoked(app, helpdesk, login_as, membership_id):
    invitation = membership_id("unit_d", HOSPITAL)
    _post(helpdesk, f"/admin/bindings/revoke/?id={invitation}", "可疑的绑定申请")
    page = act(login_as("unit_c"), "org_members", "enable", [invitation]).get_data(as_text=True)
    assert "该经办绑定已被客服撤销，请联系客服恢复" in flashes(page)
    assert _state(app, invitation) == (MembershipStatus.DISABLED, MembershipStatus.PENDING)


def test_a_binding_the_organisation_disabled_returns_disabled(app, helpdesk, login_as, membership_id):
    member = membership_id("unit_a", HOSPITAL)
    hospital = login_as("unit_c")
    assert "禁用成功1条" in flashes(act(hospital, "org_members", "disable", [member]).get_data(as_text=True))

    refused = _post(helpdesk, f"/admin/bindings/restore/?id={member}", "单位来电")
    assert refused.status_code == 200
    assert "该经办绑定是单位自行禁用的，不是客服撤销的，请由该单位超级管理员启用" in refused.get_data(as_text=True)
    assert _state(app, member) == (MembershipStatus.DISABLED, None)

    assert _post(helpdesk, f"/admin/bindings/revoke/?id={member}", "账号存在风险").status_code == 302
    assert _state(app, member) == (MembershipStatus.DISABLED, MembershipStatus.DISABLED)
    again = _post(helpdesk, f"/admin/bindings/revoke/?id={member}", "重复")
    assert "该经办绑定已撤销，无需重复操作" in again.get_data(as_text=True)
    assert _post(helpdesk, f"/admin/bindings/restore/?id={member}", "风险已排除").status_code == 302
    assert _state(app, member) == (MembershipStatus.DISABLED, None)
    assert "启用成功1条" in flashes(act(hospital, "org_members", "enable", [member]).get_data(as_text=True))
    assert _state(app, member) == (MembershipStatus.ACTIVE, None)
