"""Another organisation's operators, roles and departments are not found; ordinary members do not get
the super admin's screens; list pages cost the same queries however many members there are."""
import re
from datetime import date

from sqlalchemy import event

from backoffice.extensions import db
from backoffice.labels import MembershipStatus
from backoffice.models import Membership, OrgRole, User
from backoffice.validators import make_citizen_id

from member_helpers import HOSPITAL, SHENZHEN, UNIVERSITY, act, create_role, membership, role_id, user_of

ACTIONS = {
    "org_members": ["enable", "disable", "remove", "reset_password", "make_super_admin"],
    "org_roles": ["delete"],
    "org_departments": ["enable", "disable", "delete"],
}


def test_another_organisations_rows_are_not_found(app, login_as, liu_member_of_shenzhen, departments):
    create_role(login_as("unit_b"), "人事专员", ["person_maintain"])
    foreign = {
        "org_members": liu_member_of_shenzhen,
        "org_roles": role_id(app, SHENZHEN, "人事专员"),
        "org_departments": departments["研发部"],
    }
    intruder = login_as("unit_a", UNIVERSITY)  # super admin, but of 广州示范大学
    for endpoint, row_id in foreign.items():
        base = f"/admin/{endpoint}"
        listing = intruder.get(f"{base}/").get_data(as_text=True)
        assert not re.search(rf"[?&]id={row_id}[&\"']", listing), endpoint
        assert intruder.get(f"{base}/details/?id={row_id}").status_code == 404, endpoint
        assert intruder.get(f"{base}/edit/?id={row_id}").status_code == 404, endpoint
        assert intruder.post(f"{base}/edit/?id={row_id}", {"name": "改名", "roles": []}).status_code == 404, endpoint
        for name in ACTIONS[endpoint]:
            assert act(intruder, endpoint, name, [row_id], follow=False).status_code == 404, (endpoint, name)
    for endpoint in ("org_roles", "org_departments"):
        assert intruder.post(f"/admin/{endpoint}/delete/", {"id": foreign[endpoint]}).status_code == 404

    liu = membership(app, "p_liu", SHENZHEN)
    assert (liu.status, liu.is_super_admin) == (MembershipStatus.ACTIVE, False)
    assert role_id(app, SHENZHEN, "人事专员") is not None
    assert not user_of(app, "p_liu").must_change_password


def test_the_invite_page_binds_to_the_acting_organisation_only(app, login_as):
    intruder = login_as("unit_a", UNIVERSITY)
    shenzhen = membership(app, "unit_b", SHENZHEN).org_id
    intruder.post(
        "/admin/org_members/invite/",
        {"login": "p_liu", "id_number": user_of(app, "p_liu").id_number, "org_id": shenzhen},
        token_page="/admin/org_members/invite/",
    )
    assert membership(app, "p_liu", UNIVERSITY).status == MembershipStatus.PENDING
    assert membership(app, "p_liu", SHENZHEN) is None


def test_an_ordinary_member_gets_none_of_the_super_admins_screens(login_as):
    member = login_as("unit_a", HOSPITAL)  # 人事专员 of 广州示范医院
    home = member.get("/admin/").get_data(as_text=True)
    assert "单位经办人员" not in home and "角色管理" not in home
    for url in ["/admin/org_members/", "/admin/org_members/invite/", "/admin/org_roles/", "/admin/org_roles/new/"]:
        assert member.get(url).status_code == 403, url
    response = member.post("/admin/org_members/invite/", {"login": "p_chen", "id_number": "x"})
    assert response.status_code == 403


def test_the_members_list_costs_the_same_queries_with_more_members(app, login_as):
    boss = login_as("unit_b")
    create_role(boss, "人事专员", ["person_maintain"])
    url = "/admin/org_members/?page_size=100"

    def count():
        boss.get(url)
        with app.app_context():
            engine = db.engine.engine
        statements = []
        record = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert boss.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    before = count()
    with app.app_context():
        org = membership(app, "unit_b", SHENZHEN).org_id
        role = role_id(app, SHENZHEN, "人事专员")
        for n in range(12):
            user = User(login=f"clerk{n:02d}", real_name=f"办事员{n}", password_hash="x",
                        id_number=make_citizen_id("440305", date(1990, 1, 1 + n), f"{300 + n:03d}"))
            db.session.add(user)
            db.session.flush()
            m = Membership(user_id=user.id, org_id=org, status=MembershipStatus.ACTIVE)
            m.roles.append(db.session.get(OrgRole, role))
            db.session.add(m)
        db.session.commit()
    assert count() == before
    page = boss.get(url).get_data(as_text=True)
    assert "办事员11（clerk11）" in page

