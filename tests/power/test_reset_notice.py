"""Every reset tells the account's owner at their next sign-in who reset it and when (once), and
system accounts are reset on the server with `flask reset-password`."""
import re
from datetime import timedelta

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import AuditAction
from backoffice.models import AuditLog
from backoffice.policy import power

from power_helpers import UNIVERSITY, account, flashes, helpdesk_reset, person_id, query_reset, temporary

NOTICE_RE = re.compile(r"您的密码已于 (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) 由 (.+?) 重置")
NEW_PASSWORD = "Fresh2026abc"


def _sign_in_and_read(client, login, password):
    """Sign in, then read the page the sign-in leads to (修改密码 after a reset)."""
    response = client.login(login, password)
    assert response.status_code == 302
    return flashes(client.get(response.headers["Location"]).get_data(as_text=True))


def _change_password(client, old):
    page = "/change-password"
    data = {"old_password": old, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post(page, data, token_page=page).status_code == 302


def test_the_owner_is_told_once_who_reset_the_password_and_when(app, login_as, client):
    university = login_as("unit_a", UNIVERSITY)
    done = query_reset(university, person_id(app, "p_chen"))
    assert done.status_code == 200
    stored = account(app, "p_chen")
    assert stored.password_reset_by == UNIVERSITY
    beijing = (stored.password_reset_at + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")

    shown = _sign_in_and_read(client, "p_chen", temporary(done))
    assert NOTICE_RE.search(shown).groups() == (beijing, UNIVERSITY)
    assert "如非您本人申请，请立即联系客服" in shown
    assert account(app, "p_chen").password_reset_at is None
    _change_password(client, temporary(done))

    again = type(client)(app)
    assert not NOTICE_RE.search(_sign_in_and_read(again, "p_chen", NEW_PASSWORD))


def test_a_helpdesk_reset_is_told_as_made_by_the_helpdesk(app, login_as, client):
    done = helpdesk_reset(login_as("helpdesk"), account(app, "unit_a").id)
    shown = _sign_in_and_read(client, "unit_a", temporary(done))
    assert NOTICE_RE.search(shown).group(2) == power.HELPDESK


def test_the_server_command_resets_the_system_administrator(app, client):
    before = account(app, "admin")
    result = app.test_cli_runner().invoke(args=["reset-password", "ADMIN", "--reason", "管理员忘记密码，机房现场核实"])
    assert result.exit_code == 0, result.output
    password = re.search(r"临时密码（只显示这一次）：(\S+)", result.output).group(1)
    after = account(app, "admin")
    assert after.password_hash != before.password_hash and after.must_change_password
    with app.app_context():
        entry = db.session.scalars(
            select(AuditLog).where(AuditLog.action == AuditAction.RESET_PASSWORD).order_by(AuditLog.id.desc())
        ).first()
    assert "管理员忘记密码，机房现场核实" in entry.summary and power.SERVER in entry.summary
    assert password not in f"{entry.summary}{entry.before}{entry.after}"

    assert client.login("admin").status_code == 200  # the old password is gone
    response = client.login("admin", password)
    assert response.headers["Location"].endswith("/change-password")
    assert NOTICE_RE.search(flashes(client.get("/change-password").get_data(as_text=True))).group(2) == power.SERVER


def test_the_server_command_refuses_unknown_accounts_and_a_missing_reason(app):
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["reset-password", "nobody", "--reason", "测试"])
    assert unknown.exit_code == 1 and "账号“nobody”不存在" in unknown.output
    before = account(app, "helpdesk")
    blank = runner.invoke(args=["reset-password", "helpdesk", "--reason", "  "])
    assert blank.exit_code == 1 and "请填写原因" in blank.output
    assert account(app, "helpdesk").password_hash == before.password_hash
