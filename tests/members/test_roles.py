"""角色管理: roles are named sets of the organisation kind's menu modules, unique by name."""
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import Membership, OrgRole

from member_helpers import SHENZHEN, assign_roles, create_role, flashes, role_id


def _count_roles(app):
    with app.app_context():
        return db.session.scalar(select(func.count(OrgRole.id)))


def test_the_module_choice_is_the_menu_of_the_organisation_kind(login_as):
    page = login_as("unit_b").get("/admin/org_roles/new/").get_data(as_text=True)
    assert "专业技术人员信息维护" in page and "内设部门" in page
    # neither another kind's screens nor the super admin's own
    for label in ["审核法人单位", "失信信息查看", "字典管理", "单位经办人员", "角色管理"]:
        assert f">{label}<" not in page, label


def test_create_edit_and_list_a_role(app, login_as):
    boss = login_as("unit_b")
    page = create_role(boss, "人事专员", ["person_maintain", "org_departments"]).get_data(as_text=True)
    assert "人事专员" in page
    rid = role_id(app, SHENZHEN, "人事专员")
    with app.app_context():
        role = db.session.get(OrgRole, rid)
        assert role.modules == ["org_departments", "person_maintain"]  # the menu's order
    listing = boss.get("/admin/org_roles/").get_data(as_text=True)
    assert "内设部门、专业技术人员信息维护" in listing

    boss.post(
        f"/admin/org_roles/edit/?id={rid}",
        {"name": "人事管理员", "modules": ["person_maintain"]},
        token_page=f"/admin/org_roles/edit/?id={rid}",
    )
    with app.app_context():
        role = db.session.get(OrgRole, rid)
        assert (role.name, role.modules) == ("人事管理员", ["person_maintain"])


def test_a_module_outside_the_kind_is_refused_and_nothing_saved(app, login_as):
    boss = login_as("unit_b")
    before = _count_roles(app)
    page = create_role(boss, "越权角色", ["person_maintain", "review_units"]).get_data(as_text=True)
    assert "以下权限模块不能授予本单位的角色：审核法人单位" in page
    page = create_role(boss, "越权角色", ["org_members"]).get_data(as_text=True)
    assert "以下权限模块不能授予本单位的角色：单位经办人员" in page
    page = create_role(boss, "越权角色", ["<script>"]).get_data(as_text=True)
    assert "&lt;script&gt;" in page and "<script>" not in page.split("以下权限模块")[1][:80]
    assert _count_roles(app) == before


def test_role_names_are_unique_and_at_most_fifty_characters(app, login_as):
    boss = login_as("unit_b")
    create_role(boss, "人事专员", ["person_maintain"])
    before = _count_roles(app)
    page = create_role(boss, "人事专员", ["org_departments"]).get_data(as_text=True)
    assert "角色名称“人事专员”已存在" in flashes(page)
    page = create_role(boss, "长" * 51, ["org_departments"]).get_data(as_text=True)
    assert "角色名称限50字" in page
    page = create_role(boss, "  ", ["org_departments"]).get_data(as_text=True)
    assert "请输入角色名称" in page
    assert _count_roles(app) == before
    # the same name in another organisation is fine: 广州示范医院 already has a 人事专员
    assert role_id(app, "广州示范医院", "人事专员") is not None


def test_deleting_a_role_takes_its_menus_from_the_members(app, login_as, liu_member_of_shenzhen):
    boss = login_as("unit_b")
    create_role(boss, "人事专员", ["person_maintain"])
    rid = role_id(app, SHENZHEN, "人事专员")
    assign_roles(boss, liu_member_of_shenzhen, [rid])
    liu = login_as("p_liu", SHENZHEN)
    assert liu.get("/admin/person_maintain/").status_code == 200

    page = boss.post(
        "/admin/org_roles/action/",
        {"action": "delete", "rowid": [str(rid)]},
        token_page="/admin/org_roles/",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "删除成功1条" in flashes(page)
    with app.app_context():
        assert db.session.get(OrgRole, rid) is None
        assert db.session.get(Membership, liu_member_of_shenzhen).roles == []
    assert liu.get("/admin/person_maintain/").status_code == 403


def test_a_single_role_is_deleted_from_its_page_too(app, login_as):
    boss = login_as("unit_b")
    create_role(boss, "临时角色", ["org_departments"])
    rid = role_id(app, SHENZHEN, "临时角色")
    response = boss.post("/admin/org_roles/delete/", {"id": rid}, token_page="/admin/org_roles/")
    assert response.status_code == 302
    assert role_id(app, SHENZHEN, "临时角色") is None


def test_a_role_offers_only_what_the_organisation_itself_has(app, login_as):
    """A Guangdong HR employs nobody and a city department publishes no 目录指南: their roles cannot grant
    those screens, on the page or by posting them; Henan's HR, which employs, can."""
    gz_hr = login_as("gz_hr")
    page = gz_hr.get("/admin/org_roles/new/").get_data(as_text=True)
    assert ">审核法人单位<" in page
    assert ">专业技术人员信息确认<" not in page and ">人员调出<" not in page
    before = _count_roles(app)
    page = create_role(gz_hr, "人事专员", ["person_confirm"]).get_data(as_text=True)
    assert "以下权限模块不能授予本单位的角色：专业技术人员信息确认" in page
    assert _count_roles(app) == before

    gz_edu = login_as("gz_edu")
    assert ">专业课目录指南发布<" not in gz_edu.get("/admin/org_roles/new/").get_data(as_text=True)
    assert ">专业课目录指南发布<" in login_as("gd_edu").get("/admin/org_roles/new/").get_data(as_text=True)

    py_hr = login_as("py_hr")
    assert ">专业技术人员信息确认<" in py_hr.get("/admin/org_roles/new/").get_data(as_text=True)
    create_role(py_hr, "人事专员", ["person_confirm"])
    assert _count_roles(app) == before + 1
