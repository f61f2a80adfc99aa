"""省份规则 (issue 13, docs/provinces.md): the 系统管理员 edits a province's rules through the screen, with
choices only; the menu and the 工作台 speak the acting province's words."""
import re

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import ProvinceRule
from pages import field_errors, list_table

RULES = "/admin/province_rules"


def _rule(app, code: str) -> ProvinceRule:
    with app.app_context():
        row = db.session.scalar(select(ProvinceRule).where(ProvinceRule.region_code == code))
        db.session.expunge(row)
        return row


def _form(region: str, **changes) -> dict:
    data = {"region": region, "person_join": "unit_confirms", "plan_reviewer": "industry_of_series",
            "record_chain": "unit", "vocabulary": "guangdong"}
    data.update(changes)
    return data


def _menu(html: str) -> list[str]:
    nav = html.split('id="admin-navbar-collapse"', 1)[-1].split('id="acting-as"', 1)[0]
    return [re.sub(r"<[^>]+>|\s+", "", item) for item in re.findall(r'<a class="dropdown-item[^"]*"[^>]*>(.*?)</a>', nav, re.S)]


def test_the_admin_lists_and_edits_a_provinces_rules(app, login_as):
    admin = login_as("admin")
    listed = list_table(admin.get(f"{RULES}/").get_data(as_text=True))
    assert "广东省" in listed and "河南省" in listed and "单位审核注册后方可登录" in listed
    guangdong = _rule(app, "440000")
    edit = f"{RULES}/edit/?id={guangdong.id}"
    assert "各类机构均可有本单位人员" in admin.get(edit).get_data(as_text=True)
    response = admin.post(edit, _form("440000", record_chain="unit_then_hr", hr_self_registration="y",
                                      every_org_employs="y"), token_page=edit)
    assert response.status_code == 302
    changed = _rule(app, "440000")
    assert (changed.record_chain, changed.hr_self_registration, changed.every_org_employs) == (
        "unit_then_hr", True, True)
    # a checkbox left out is 否 again
    admin.post(edit, _form("440000"), token_page=edit)
    assert _rule(app, "440000").every_org_employs is False


def test_bad_choices_and_a_second_row_for_a_province_change_nothing(app, login_as):
    admin = login_as("admin")
    guangdong = _rule(app, "440000")
    edit = f"{RULES}/edit/?id={guangdong.id}"
    for changes in ({"plan_reviewer": "anyone"}, {"vocabulary": "english"}, {"person_join": ""},
                    {"record_chain": "unit\x07"}):
        response = admin.post(edit, _form("440000", **changes), token_page=edit)
        assert response.status_code == 200, changes
        assert field_errors(response.get_data(as_text=True)), changes
    assert _rule(app, "440000").plan_reviewer == "industry_of_series"
    for region, message in (("440000", "广东省已有省份规则，请修改该条规则"), ("440100", "")):
        response = admin.post(f"{RULES}/new/", _form(region), token_page=f"{RULES}/new/")
        assert response.status_code == 200, region
        assert message in field_errors(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ProvinceRule.id))) == 2


def test_only_the_admin_opens_the_screen(app, login_as):
    for who in ("gd_hr", "py_hr", "helpdesk"):
        assert login_as(who).get(f"{RULES}/").status_code == 403, who
    assert "省份规则" not in _menu(login_as("gd_hr").get("/admin/").get_data(as_text=True))


def test_each_province_reads_its_own_names_on_the_menu_and_the_workbench(app, login_as):
    henan = _menu(login_as("py_hr").get("/admin/").get_data(as_text=True))
    assert {"审核用人单位", "审核继续教育基地", "审核培训计划申报", "学时学分审批", "学时学分审验"} <= set(henan)
    assert "审核施教机构" not in henan and "专业课计划审核" not in henan
    guangdong = _menu(login_as("gz_hr").get("/admin/").get_data(as_text=True))
    assert {"审核法人单位", "审核施教机构", "专业课计划审核", "继续教育记录认定"} <= set(guangdong)
    assert "审核继续教育基地" not in guangdong

    unit = login_as("py_unit").get("/admin/").get_data(as_text=True)
    assert {"审核注册人员", "学时学分申报", "学时学分审批"} <= set(_menu(unit))
    assert re.search(r'data-todo="people_to_confirm">\s*<td>注册人员待审核</td>\s*<td class="text-right todo-count">1<', unit)
    gd_unit = login_as("unit_a", "广州示范大学").get("/admin/").get_data(as_text=True)
    assert "专业技术人员信息确认" in _menu(gd_unit) and "专业技术人员待确认" in gd_unit
    assert "审核注册人员" not in gd_unit
    # the page heading and title follow the menu
    page = login_as("py_unit").get("/admin/person_confirm/").get_data(as_text=True)
    assert "<title>审核注册人员 - " in page
    assert "专业技术人员信息确认" not in page


def _ids(app, model, **where) -> int:
    with app.app_context():
        return db.session.scalar(select(model.id).filter_by(**where))


def test_a_province_never_sees_the_others_rows(app, login_as):
    """Written out by hand, not from the policy: each province's HR and units, on lists and by id."""
    from backoffice.models import Organisation, Person, Plan, Record

    henan = {"person": _ids(app, Person, name="赵中原"), "unit": _ids(app, Organisation, name="濮阳示范职业技术学院"),
             "record": _ids(app, Record, course_name="职业院校实训教学组织"),
             "plan": _ids(app, Plan, owner_org_id=_ids(app, Organisation, name="濮阳市示范继续教育基地"))}
    guangdong = {"person": _ids(app, Person, name="陈诗慧"), "unit": _ids(app, Organisation, name="广州示范大学")}
    for who, theirs, other_names, other in (
        ("gd_hr", "陈诗慧", ("赵中原", "李豫华"), henan),
        ("hn_hr", "赵中原", ("陈诗慧", "刘文斌"), guangdong),
    ):
        hr = login_as(who)
        people = list_table(hr.get("/admin/person_query/?page_size=100").get_data(as_text=True))
        assert theirs in people and not any(name in people for name in other_names), who
        assert hr.get(f"/admin/person_query/details/?id={other['person']}").status_code == 404, who
        assert hr.get(f"/admin/oversee_units/details/?id={other['unit']}").status_code == 404, who
    gd_unit = login_as("unit_a", "广州示范大学")
    assert gd_unit.get(f"/admin/record_review/details/?id={henan['record']}").status_code == 404
    assert login_as("gd_edu").get(f"/admin/plan_review/details/?id={henan['plan']}").status_code == 404
    py_unit = login_as("py_unit")
    assert py_unit.get(f"/admin/person_maintain/details/?id={guangdong['person']}").status_code == 404
    assert "陈诗慧" not in list_table(py_unit.get("/admin/person_query/").get_data(as_text=True))
