"""管理内设部门: a tree of departments, children listed under their parents, enabled and disabled."""
import re

from sqlalchemy import event, select

from backoffice.extensions import db
from backoffice.models import Department

from member_helpers import UNIVERSITY, act, flashes, org_id


def _dept(app, dept_id):
    with app.app_context():
        return db.session.get(Department, dept_id)


def _names_in_list(html):
    rows = re.findall(r'<td class="col-name">(.*?)</td>', html, re.S)
    return [re.sub(r"<[^>]+>|&nbsp;|└|\s", "", row) for row in rows]


def _save(client, departments_url, data):
    return client.post(departments_url, data, token_page="/admin/org_departments/new/", follow_redirects=True)


def test_the_list_is_the_tree(app, login_as, departments):
    page = login_as("unit_a", UNIVERSITY).get("/admin/org_departments/").get_data(as_text=True)
    assert _names_in_list(page) == ["教务处", "教学科", "教材组", "人事处"]
    assert "研发部" not in page
    assert "&nbsp;" * 8 + "└ 教材组" in page


def test_the_list_costs_the_same_queries_with_more_departments(app, login_as, departments):
    client = login_as("unit_a", UNIVERSITY)
    url = "/admin/org_departments/?page_size=100"

    def count():
        client.get(url)
        with app.app_context():
            engine = db.engine.engine
        statements = []
        record = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    before = count()
    with app.app_context():
        for n in range(10):
            db.session.add(Department(org_id=org_id(app, UNIVERSITY), parent_id=departments["教材组"],
                                      name=f"小组{n}", depth=3, sort=n))
        db.session.commit()
    assert count() == before


def test_create_a_department_under_a_parent(app, login_as, departments):
    client = login_as("unit_a", UNIVERSITY)
    form = client.get("/admin/org_departments/new/").get_data(as_text=True)
    assert "教务处" in form and "研发部" not in form  # only this organisation's departments
    page = _save(client, "/admin/org_departments/new/",
                 {"name": "考试科", "parent_id": departments["教务处"], "sort": "2", "active": "y"}).get_data(as_text=True)
    assert _names_in_list(page) == ["教务处", "教学科", "教材组", "考试科", "人事处"]
    with app.app_context():
        created = db.session.scalar(select(Department).where(Department.name == "考试科"))
        assert (created.depth, created.org_id, created.active) == (1, org_id(app, UNIVERSITY), True)


def test_bad_input_is_explained(app, login_as, departments):
    client = login_as("unit_a", UNIVERSITY)
    page = _save(client, "/admin/org_departments/new/", {"name": "部" * 51, "parent_id": ""}).get_data(as_text=True)
    assert "部门名称限50字" in page
    page = _save(client, "/admin/org_departments/new/", {"name": "x", "parent_id": "abc", "sort": "zz"}).get_data(as_text=True)
    assert "保存失败，请按提示修改后再保存" in flashes(page)  # the form again, in Chinese, not a 500
    assert "选择无效" in page and "不是有效的整数" in page
    page = _save(client, "/admin/org_departments/new/", {"name": "x", "sort": "-1"}).get_data(as_text=True)
    assert "排序应为0–99999之间的整数" in page
    page = _save(client, "/admin/org_departments/new/",
                 {"name": "教学科", "parent_id": departments["教务处"], "active": "y"}).get_data(as_text=True)
    assert "同一上级部门下已有名为“教学科”的部门" in flashes(page)
    # another organisation's department is not a possible parent
    page = _save(client, "/admin/org_departments/new/",
                 {"name": "外单位下级", "parent_id": departments["研发部"], "active": "y"}).get_data(as_text=True)
    assert "上级部门不存在" in flashes(page)
    with app.app_context():
        assert db.session.scalar(select(Department).where(Department.name.in_(["x", "外单位下级"]))) is None


def test_a_department_cannot_move_under_itself_or_its_descendants(app, login_as, departments):
    client = login_as("unit_a", UNIVERSITY)
    edit = f"/admin/org_departments/edit/?id={departments['教务处']}"
    form = client.get(edit).get_data(as_text=True)
    options = re.findall(r'<option[^>]*value="(\d+)"', form)
    assert str(departments["人事处"]) in options
    assert not {str(departments[n]) for n in ("教务处", "教学科", "教材组")} & set(options)

    for target in ("教务处", "教材组"):
        page = client.post(edit, {"name": "教务处", "parent_id": departments[target], "sort": "1", "active": "y"},
                           token_page=edit, follow_redirects=True).get_data(as_text=True)
        assert "上级部门不能是本部门或其下级部门" in flashes(page)
    assert _dept(app, departments["教务处"]).parent_id is None


def test_moving_a_department_moves_its_subtree_depths(app, login_as, departments):
    client = login_as("unit_a", UNIVERSITY)
    edit = f"/admin/org_departments/edit/?id={departments['教学科']}"
    client.post(edit, {"name": "教学科", "parent_id": departments["人事处"], "sort": "0",
                       "active": "y"}, token_page=edit)
    assert _dept(app, departments["教学科"]).depth == 1
    edit = f"/admin/org_departments/edit/?id={departments['人事处']}"
    client.post(edit, {"name": "人事处", "parent_id": departments["教务处"], "sort": "2", "active": "y"}, token_page=edit)
    assert [_dept(app, departments[n]).depth for n in ("教务处", "人事处", "教学科", "教材组")] == [0, 1, 2, 3]
    page = client.get("/admin/org_departments/").get_data(as_text=True)
    assert _names_in_list(page) == ["教务处", "人事处", "教学科", "教材组"]


def test_disabling_takes_the_subtree_and_enabling_needs_the_parent(app, login_as, departments):
    client = login_as("unit_a", UNIVERSITY)
    page = act(client, "org_departments", "disable", [departments["教学科"]]).get_data(as_text=True)
    assert "禁用成功1条" in flashes(page)
    assert not _dept(app, departments["教学科"]).active and not _dept(app, departments["教材组"]).active
    assert _dept(app, departments["教务处"]).active

    page = act(client, "org_departments", "enable", [departments["教材组"]]).get_data(as_text=True)
    assert "上级部门“教学科”已禁用，请先启用上级部门" in flashes(page)
    page = act(client, "org_departments", "enable", [departments["教材组"], departments["教学科"]]).get_data(as_text=True)
    assert "启用成功2条" in flashes(page)
    assert _dept(app, departments["教材组"]).active

    page = act(client, "org_departments", "disable", [departments["教务处"], departments["教材组"]]).get_data(as_text=True)
    assert "禁用成功2条" in flashes(page)
    assert not any(_dept(app, departments[n]).active for n in ("教务处", "教学科", "教材组"))


def test_only_a_department_without_sub_departments_is_deleted(app, login_as, departments):
    client = login_as("unit_a", UNIVERSITY)
    page = act(client, "org_departments", "delete", [departments["教学科"]]).get_data(as_text=True)
    assert "部门“教学科”下有下级部门，不能删除" in flashes(page)
    assert _dept(app, departments["教学科"]) is not None

    response = client.post("/admin/org_departments/delete/", {"id": departments["教务处"]},
                           token_page="/admin/org_departments/", follow_redirects=True)
    assert "部门“教务处”下有下级部门，不能删除" in flashes(response.get_data(as_text=True))

    page = act(client, "org_departments", "delete", [departments["教学科"], departments["教材组"]]).get_data(as_text=True)
    assert "删除成功2条" in flashes(page)
    assert _dept(app, departments["教学科"]) is None and _dept(app, departments["教材组"]) is None


def test_export_lists_the_tree_in_plain_text(login_as, departments):
    csv_text = login_as("unit_a", UNIVERSITY).get("/admin/org_departments/export/csv/").get_data(as_text=True)
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0] == "部门名称,上级部门,层级,排序,启用"
    assert lines[3] == "教材组,教学科,第3级,0,是"
