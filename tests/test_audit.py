"""Every change through the back office leaves an AuditLog row; HR reads only its region's log."""
import re

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditLog, Organisation

SHENZHEN_UNIT = "深圳示范科技有限公司"


def _org_id(app, name=SHENZHEN_UNIT):
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name == name))


COMPLETE_PROFILE = {
    "contact_name": "人事处", "office_phone": "0755-86660000", "mobile": "13800138000",
    "email": "hr@example.cn", "postcode": "518000", "address": "深圳市南山区科技园", "profile": "研发",
}


def _edit_profile(client, org_id, fields):
    url = f"/admin/org_profile/edit/?id={org_id}"
    return client.post(url, {**COMPLETE_PROFILE, **fields}, token_page=url)


def test_editing_through_the_back_office_is_audited_with_before_and_after(app, login_as):
    client = login_as("unit_b")
    org_id = _org_id(app)
    response = _edit_profile(client, org_id, {})
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalars(
            select(AuditLog).where(AuditLog.object_type == "organisation", AuditLog.action == "update")
            .order_by(AuditLog.id.desc())
        ).first()
        assert entry.before["contact_name"] == "办公室"
        assert entry.after["contact_name"] == "人事处"
        assert entry.org_id == org_id
        assert entry.region_code == "440305"
        assert entry.ip == "127.0.0.1"


def test_bad_input_gets_a_chinese_message_and_changes_nothing(app, login_as):
    client = login_as("unit_b")
    org_id = _org_id(app)
    page = _edit_profile(
        client, org_id, {"contact_name": "人事处", "mobile": "12345", "postcode": "51", "address": "x" * 101}
    ).get_data(as_text=True)
    assert "手机号码格式不正确" in page
    assert "邮政编码应为6位数字" in page
    assert "单位通讯地址限100字" in page
    with app.app_context():
        assert db.session.get(Organisation, org_id).contact_name == "办公室"


def test_city_hr_reads_its_region_log_only(app, login_as):
    client_b = login_as("unit_b")
    org_id = _org_id(app)
    response = _edit_profile(client_b, org_id, {"contact_name": "深圳联系人"})
    assert response.status_code == 302  # a 深圳 unit's edit, logged with region 440305
    gd = login_as("gd_hr").get("/admin/audit_log/?page_size=100").get_data(as_text=True)
    gz = login_as("gz_hr").get("/admin/audit_log/?page_size=100").get_data(as_text=True)
    assert SHENZHEN_UNIT in gd
    assert SHENZHEN_UNIT not in gz


def test_a_created_row_is_audited_with_its_id(app, login_as):
    client = login_as("unit_b")
    url = "/admin/org_roles/new/"
    assert client.post(url, {"name": "审计测试角色", "modules": ["person_maintain"]}, token_page=url).status_code == 302
    with app.app_context():
        from backoffice.models import OrgRole

        role_id = db.session.scalar(select(OrgRole.id).where(OrgRole.name == "审计测试角色"))
        entry = db.session.scalar(
            select(AuditLog)
            .where(AuditLog.object_type == "org_role", AuditLog.action == "create")
            .order_by(AuditLog.id.desc())
            .limit(1)
        )
    assert entry.object_id == str(role_id)


def test_the_log_lists_the_newest_first_and_the_later_row_first_within_an_instant(app, login_as):
    """Rows of one instant (a bulk load's) read in the order they were written, newest first, on every
    page and through 下一页 — the order ix_audit_log_created_at holds."""
    from datetime import datetime

    with app.app_context():
        instant = datetime(2031, 1, 1, 8, 0, 0)  # after everything the demo logged
        rows = [AuditLog(created_at=instant, region_code="440305", action="update", object_type="organisation",
                         summary=f"同一时刻{n:02d}") for n in range(25)]
        db.session.add_all(rows)
        db.session.commit()
    client = login_as("gd_hr")
    first = client.get("/admin/audit_log/").get_data(as_text=True)
    shown = [int(n) for n in re.findall(r"同一时刻(\d\d)", first)]
    assert shown == list(range(24, 4, -1))  # 20 a page, the last written first
    following = re.search(r'href="([^"]+)"[^>]*>\s*下一页', first).group(1).replace("&amp;", "&")
    rest = [int(n) for n in re.findall(r"同一时刻(\d\d)", client.get(following).get_data(as_text=True))]
    assert rest == [4, 3, 2, 1, 0]
