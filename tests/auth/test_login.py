"""Sign-in as a clerk meets it: 账号 + 密码 (+ 验证码), lockout, choosing an organisation, forced change."""
from datetime import timedelta

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditLog, User
from backoffice.models.base import utcnow


def _user(app, login):
    with app.app_context():
        return db.session.scalar(select(User).where(User.login == login))


def _update_user(app, login, **values):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == login))
        for key, value in values.items():
            setattr(user, key, value)
        db.session.commit()


def test_single_membership_goes_straight_to_the_back_office(client):
    response = client.login("unit_b")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/")
    page = client.get("/admin/").get_data(as_text=True)
    assert "深圳示范科技有限公司" in page
    assert "法人单位" in page


def test_wrong_password_says_so_in_chinese_and_counts(app, client):
    response = client.login("unit_b", "Wrong2026x")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "账号或密码错误。连续错误5次的账号将锁定15分钟" in page
    assert _user(app, "unit_b").failed_logins == 1


def test_five_failures_lock_the_account_for_fifteen_minutes(app, client):
    for _ in range(5):
        response = client.login("unit_b", "Wrong2026x")
    assert response.status_code == 200
    locked_until = _user(app, "unit_b").locked_until
    assert timedelta(minutes=14) < locked_until - utcnow() <= timedelta(minutes=15)

    # even the right password is refused while locked, with the words any failure gets
    response = client.login("unit_b")
    assert response.status_code == 200
    assert "账号或密码错误" in response.get_data(as_text=True)
    assert _user(app, "unit_b").last_login_at is None


def test_lock_expires(app, client):
    _update_user(app, "unit_b", locked_until=utcnow() - timedelta(seconds=1))
    assert client.login("unit_b").status_code == 302


def test_failed_and_successful_sign_ins_are_audited(app, client):
    client.login("unit_b", "Wrong2026x")
    client.login("unit_b")
    with app.app_context():
        actions = db.session.scalars(
            select(AuditLog.action).where(AuditLog.user_id == _user(app, "unit_b").id).order_by(AuditLog.id)
        ).all()
    assert actions[-2:] == ["login_failed", "login"]


def test_several_memberships_must_choose_and_can_switch(client):
    response = client.login("unit_a")
    assert response.headers["Location"].startswith("/select-org")
    # nothing else is reachable until a choice is made
    assert client.get("/admin/").headers["Location"].startswith("/select-org")
    page = client.get("/select-org").get_data(as_text=True)
    assert "广州示范大学" in page and "广州示范医院" in page
    assert "使用选中的单位账号登录" in page

    client.select("广州示范医院")
    home = client.get("/admin/").get_data(as_text=True)
    assert "广州示范医院" in home
    # as an ordinary member of the hospital, unit_a holds only its role's modules
    assert "专业技术人员信息维护" in home
    assert "角色管理" not in home
    assert client.get("/admin/org_roles/").status_code == 403

    client.select("广州示范大学")
    home = client.get("/admin/").get_data(as_text=True)
    assert "角色管理" in home  # super admin of the university


def test_a_context_that_is_not_yours_is_refused(client):
    client.login("unit_a")
    token = client.csrf_token("/select-org")
    response = client.http.post("/select-org", data={"context": "m:1", "csrf_token": token})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_person_account_acts_as_itself(client):
    client.login("p_chen")
    home = client.get("/admin/").get_data(as_text=True)
    assert '<span id="acting-org">专业技术人员</span> · <span id="acting-name">陈诗慧</span>' in home
    assert "人员基本信息维护" in home


def test_post_without_csrf_token_is_refused(app, client):
    response = client.http.post("/login", data={"username": "unit_b", "password": "Demo2026x"})
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)
    assert _user(app, "unit_b").last_login_at is None


def test_admin_post_without_csrf_token_is_refused(app, login_as):
    client = login_as("admin")
    response = client.http.post("/admin/series/new/", data={"code": "x1", "name": "新系列"})
    assert response.status_code == 400


def test_next_parameter_never_leaves_the_site(client):
    token = client.csrf_token("/login")
    response = client.http.post(
        "/login?next=//evil.example/x",
        data={"username": "unit_b", "password": "Demo2026x", "csrf_token": token},
    )
    assert response.headers["Location"] == "/admin/"


def test_logout_ends_the_session(login_as):
    client = login_as("unit_b")
    client.post("/logout")
    assert "/login" in client.get("/admin/").headers["Location"]


def test_session_cookie_is_http_only(client):
    response = client.login("unit_b")
    assert "HttpOnly" in response.headers["Set-Cookie"]
