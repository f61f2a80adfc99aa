"""运维 / 客服 (issue #3 item 7): find an account, see its bindings, reset, unlock, revoke/restore, rebind."""
import re

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditLog

TEMP_RE = re.compile(r'id="temporary-password">([^<]+)<')


def _reset(client, user_id, reason):
    url = f"/admin/accounts/details/?id={user_id}"
    return client.post(f"/admin/accounts/reset/?id={user_id}", {"reason": reason}, token_page=url)


def _audit(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)).all()


# ---- finding accounts --------------------------------------------------------------------------


def test_helpdesk_finds_an_account_by_id_number_and_by_mobile(helpdesk, account_of, find_account):
    chen = account_of("p_chen")
    assert find_account(helpdesk, chen.id_number) == [chen.id]
    assert find_account(helpdesk, chen.mobile) == [chen.id]
    assert find_account(helpdesk, "陈诗慧") == [chen.id]
    assert find_account(helpdesk, "p_chen") == [chen.id]


def test_details_show_memberships_and_the_person_binding_but_no_training_data(helpdesk, account_of):
    unit_a = account_of("unit_a")
    page = helpdesk.get(f"/admin/accounts/details/?id={unit_a.id}").get_data(as_text=True)
    memberships = page[page.index('id="account-memberships"'):page.index('id="account-person"')]
    assert "广州示范大学" in memberships and "广州示范医院" in memberships
    assert "有效" in memberships and "是" in memberships and "否" in memberships

    chen = account_of("p_chen")
    page = helpdesk.get(f"/admin/accounts/details/?id={chen.id}").get_data(as_text=True)
    person = page[page.index('id="account-person"'):]
    assert "陈诗慧" in person and "广州示范大学" in person and "已确认" in person
    assert "讲师" not in page  # the person's title: training data, not helpdesk's business
    assert "密保问题：" in page and "未设置" in page


def test_account_details_cost_the_same_queries_whatever_the_number_of_memberships(app, helpdesk, account_of):
    from sqlalchemy import event

    counts = []
    for login in ("unit_b", "unit_a"):  # one membership, two memberships
        user_id = account_of(login).id
        statements = []

        def count(*args, **kwargs):
            statements.append(1)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert helpdesk.get(f"/admin/accounts/details/?id={user_id}").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        counts.append(len(statements))
    assert counts[0] == counts[1]


# ---- 重置密码 ----------------------------------------------------------------------------------


def test_reset_shows_a_temporary_password_once_and_forces_a_change(app, helpdesk, client, account_of):
    chen = account_of("p_chen")
    response = _reset(helpdesk, chen.id, "本人来电，忘记密码，已核实身份证")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    temporary = TEMP_RE.search(response.get_data(as_text=True)).group(1)
    # shown in that response only: not in a flash cookie, not on the next page
    assert temporary not in (response.headers.get("Set-Cookie") or "")
    assert temporary not in helpdesk.get(f"/admin/accounts/details/?id={chen.id}").get_data(as_text=True)
    assert account_of("p_chen").must_change_password

    # the old password is gone; the temporary one signs in, straight to 修改密码
    assert client.login("p_chen").status_code == 200
    response = client.login("p_chen", temporary)
    assert response.headers["Location"].endswith("/change-password")
    assert client.get("/admin/").headers["Location"].endswith("/change-password")

    entry = _audit(app, "reset_password")[-1]
    assert "本人来电，忘记密码，已核实身份证" in entry.summary
    assert "p_chen" in entry.summary
    assert temporary not in entry.summary
    assert entry.user_id == account_of("helpdesk").id
    assert temporary not in str(entry.after)


def test_reset_without_a_reason_is_refused_and_changes_nothing(app, helpdesk, account_of):
    chen = account_of("p_chen")
    for reason, message in (("", "请填写原因"), ("   ", "请填写原因"), ("很" * 201, "原因限200字")):
        response = _reset(helpdesk, chen.id, reason)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert message in page
        assert not TEMP_RE.search(page)
    after = account_of("p_chen")
    assert after.password_hash == chen.password_hash
    assert not after.must_change_password
    assert _audit(app, "reset_password") == []


def test_reset_of_an_unknown_account_is_not_found(helpdesk):
    response = helpdesk.post("/admin/accounts/reset/?id=999999", {"reason": "测试"})
    assert response.status_code == 404
    assert helpdesk.post("/admin/accounts/reset/?id=1,2", {"reason": "测试"}).status_code == 404


# ---- 解锁 --------------------------------------------------------------------------------------


def test_unlock_a_locked_account(app, helpdesk, client, account_of):
    for _ in range(5):
        client.login("p_liu", "Wrong2026x")
    liu = account_of("p_liu")
    assert liu.is_locked()
    assert client.login("p_liu").status_code == 200  # refused while locked

    details = f"/admin/accounts/details/?id={liu.id}"
    assert "解锁账号" in helpdesk.get(details).get_data(as_text=True)
    refused = helpdesk.post(f"/admin/accounts/unlock/?id={liu.id}", {"reason": ""}, token_page=details)
    assert "请填写原因" in refused.get_data(as_text=True)
    assert account_of("p_liu").is_locked()

    response = helpdesk.post(f"/admin/accounts/unlock/?id={liu.id}", {"reason": "本人来电申请解锁"}, token_page=details)
    assert response.status_code == 302
    assert "账号已解锁" in helpdesk.get(details).get_data(as_text=True)
    assert not account_of("p_liu").is_locked()
    assert client.login("p_liu").status_code == 302
    assert "本人来电申请解锁" in _audit(app, "unlock")[-1].summary


def test_unlocking_an_account_that_is_not_locked_says_so(helpdesk, account_of):
    chen = account_of("p_chen")
    response = helpdesk.post(f"/admin/accounts/unlock/?id={chen.id}", {"reason": "误操作"})
    assert response.status_code == 200
    assert "该账号未被锁定" in response.get_data(as_text=True)


# ---- 撤销 / 恢复经办绑定 -------------------------------------------------------------------------


def test_revoke_and_restore_a_membership(app, helpdesk, client, account_of, membership_id):
    unit_a = account_of("unit_a").id
    hospital = membership_id("unit_a", "广州示范医院")
    details = f"/admin/accounts/details/?id={unit_a}"
    revoke = f"/admin/accounts/revoke/?id={unit_a}&membership={hospital}"

    page = helpdesk.get(revoke).get_data(as_text=True)  # the reason page
    assert "撤销经办绑定" in page and "广州示范医院" in page
    refused = helpdesk.post(revoke, {"reason": ""}, token_page=revoke)
    assert "请填写原因" in refused.get_data(as_text=True)

    assert helpdesk.post(revoke, {"reason": "单位来函：该人员已调离"}, token_page=revoke).status_code == 302
    assert "已禁用" in helpdesk.get(details).get_data(as_text=True)
    # unit_a now has only its university: no choice offered, the hospital is gone
    assert client.login("unit_a").headers["Location"].endswith("/admin/")
    assert "广州示范医院" not in client.get("/select-org").get_data(as_text=True)
    assert "单位来函：该人员已调离" in _audit(app, "revoke")[-1].summary

    again = helpdesk.post(revoke, {"reason": "重复"}, token_page=revoke)
    assert "已撤销，无需重复操作" in again.get_data(as_text=True)

    restore = f"/admin/accounts/restore/?id={unit_a}&membership={hospital}"
    assert helpdesk.post(restore, {"reason": "单位来函撤回"}, token_page=restore).status_code == 302
    other = type(client)(app)
    assert other.login("unit_a").headers["Location"].startswith("/select-org")
    assert "广州示范医院" in other.get("/select-org").get_data(as_text=True)
    assert "单位来函撤回" in _audit(app, "restore")[-1].summary

    again = helpdesk.post(restore, {"reason": "重复"}, token_page=restore)
    assert "该经办绑定有效，无需恢复" in again.get_data(as_text=True)


def test_a_membership_of_another_account_is_not_found(helpdesk, account_of, membership_id):
    chen = account_of("p_chen").id
    hospital = membership_id("unit_a", "广州示范医院")
    url = f"/admin/accounts/revoke/?id={chen}&membership={hospital}"
    assert helpdesk.get(url).status_code == 404
    assert helpdesk.post(url, {"reason": "测试"}).status_code == 404
    assert helpdesk.get(f"/admin/accounts/revoke/?id={chen}&membership=abc").status_code == 404


def test_binding_screen_revokes_and_restores_through_the_reason_page(app, helpdesk, client, membership_id):
    hospital = membership_id("unit_a", "广州示范医院")
    details = f"/admin/bindings/details/?id={hospital}"
    page = helpdesk.get(details).get_data(as_text=True)
    assert "撤销经办绑定" in page

    revoke = f"/admin/bindings/revoke/?id={hospital}"
    refused = helpdesk.post(revoke, {"reason": ""}, token_page=revoke)
    assert refused.status_code == 200 and "请填写原因" in refused.get_data(as_text=True)
    assert helpdesk.post(revoke, {"reason": "单位申请"}, token_page=revoke).status_code == 302
    assert "恢复经办绑定" in helpdesk.get(details).get_data(as_text=True)
    assert client.login("unit_a").headers["Location"].endswith("/admin/")

    restore = f"/admin/bindings/restore/?id={hospital}"
    assert helpdesk.post(restore, {"reason": "误撤销"}, token_page=restore).status_code == 302
    assert "撤销经办绑定" in helpdesk.get(details).get_data(as_text=True)


# ---- 修改人员单位绑定 ----------------------------------------------------------------------------


def test_rebind_a_person_to_another_unit_waits_for_that_unit(app, helpdesk, login_as, account_of, person_of):
    new = account_of("p_new").id
    details = f"/admin/accounts/details/?id={new}"
    url = f"/admin/accounts/rebind/?id={new}"

    response = helpdesk.post(url, {"unit": "广州示范医院", "reason": "本人入职广州示范医院"}, token_page=details)
    assert response.status_code == 302
    assert person_of("p_new") == ("广州示范医院", "pending")
    page = helpdesk.get(details).get_data(as_text=True)
    assert "广州示范医院" in page[page.index('id="account-person"'):]
    assert "待单位确认" in page

    # the person now waits in the new unit's 专业技术人员信息确认, and the old unit no longer sees them
    hospital = login_as("unit_c").get("/admin/person_confirm/?page_size=100").get_data(as_text=True)
    assert "王新" in hospital
    university = login_as("unit_a", "广州示范大学").get("/admin/person_confirm/?page_size=100").get_data(as_text=True)
    assert "王新" not in university

    entry = _audit(app, "rebind")[-1]
    assert "本人入职广州示范医院" in entry.summary and "王新" in entry.summary


def test_rebind_by_unit_code_refuses_the_same_unit_and_unknown_units(app, helpdesk, account_of, person_of):
    from backoffice.models import Organisation

    with app.app_context():
        code = db.session.scalar(select(Organisation.code).where(Organisation.name == "广州示范大学"))
    new = account_of("p_new").id
    details = f"/admin/accounts/details/?id={new}"
    url = f"/admin/accounts/rebind/?id={new}"

    same = helpdesk.post(url, {"unit": code, "reason": "核对"}, token_page=details).get_data(as_text=True)
    assert "该人员已绑定“广州示范大学”，无需修改" in same
    unknown = helpdesk.post(url, {"unit": "不存在的单位", "reason": "核对"}, token_page=details).get_data(as_text=True)
    assert "未找到单位代码或名称为“不存在的单位”的法人单位" in unknown
    not_a_unit = helpdesk.post(url, {"unit": "广州市教育局", "reason": "核对"}, token_page=details)
    assert "未找到" in not_a_unit.get_data(as_text=True)
    no_reason = helpdesk.post(url, {"unit": "广州示范医院", "reason": ""}, token_page=details)
    assert "请填写原因" in no_reason.get_data(as_text=True)
    assert person_of("p_new") == ("广州示范大学", "pending")


def test_rebind_refuses_a_unit_that_is_not_approved(app, helpdesk, account_of, person_of):
    from backoffice.models import Organisation

    with app.app_context():
        hospital = db.session.scalar(select(Organisation).where(Organisation.name == "广州示范医院"))
        hospital.active = False
        db.session.commit()
    new = account_of("p_new").id
    response = helpdesk.post(
        f"/admin/accounts/rebind/?id={new}", {"unit": "广州示范医院", "reason": "入职"},
        token_page=f"/admin/accounts/details/?id={new}",
    )
    assert "尚未审核通过或已被移除权限" in response.get_data(as_text=True)
    assert person_of("p_new") == ("广州示范大学", "pending")


def test_an_account_without_a_person_cannot_be_rebound(helpdesk, account_of):
    unit_b = account_of("unit_b").id
    assert helpdesk.get(f"/admin/accounts/rebind/?id={unit_b}").status_code == 404


# ---- who may do this ---------------------------------------------------------------------------


def test_helpdesk_sees_no_training_data(helpdesk):
    for url in ("/admin/person_query/", "/admin/person_maintain/", "/admin/my_profile/"):
        assert helpdesk.get(url).status_code == 403, url


def test_others_cannot_use_the_helpdesk_screens(login_as, account_of, membership_id):
    unit_b = login_as("unit_b")
    before = account_of("p_chen")
    chen = before.id
    hospital = membership_id("unit_a", "广州示范医院")
    for url in ("/admin/accounts/", f"/admin/accounts/details/?id={chen}", "/admin/bindings/",
                f"/admin/accounts/reset/?id={chen}"):
        assert unit_b.get(url).status_code == 403, url
    for url in (
        f"/admin/accounts/reset/?id={chen}",
        f"/admin/accounts/unlock/?id={chen}",
        f"/admin/accounts/revoke/?id={chen}&membership={hospital}",
        f"/admin/accounts/restore/?id={chen}&membership={hospital}",
        f"/admin/accounts/rebind/?id={chen}",
        f"/admin/bindings/revoke/?id={hospital}",
        f"/admin/bindings/restore/?id={hospital}",
    ):
        assert unit_b.post(url, {"reason": "越权", "unit": "广州示范医院"}).status_code == 403, url
    assert account_of("p_chen").password_hash == before.password_hash
    assert not account_of("p_chen").must_change_password


def test_anonymous_is_sent_to_login(client, account_of):
    chen = account_of("p_chen").id
    response = client.get(f"/admin/accounts/reset/?id={chen}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post(f"/admin/accounts/reset/?id={chen}", {"reason": "x"}, token_page="/login").status_code == 302
