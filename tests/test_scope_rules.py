"""The scope rules of DESIGN §4, stated by hand on the demo data (an oracle independent of the policy)."""
import re

import pytest


def names_in(client, url):
    html = client.get(url + "?page_size=100").get_data(as_text=True)
    return set(re.findall(r"<td class=\"col-name\">\s*([^<\s]+)\s*</td>", html))


@pytest.mark.parametrize(
    "login,org,screen,sees,never",
    [
        ("unit_a", "广州示范大学", "person_query", {"陈诗慧", "王新", "赵明远"}, {"刘文斌", "蒋丽华"}),
        ("unit_b", None, "person_query", {"刘文斌", "冯国栋"}, {"陈诗慧", "蒋丽华"}),
        # a 人事专员 of the hospital: its role grants 信息维护 only
        ("unit_a", "广州示范医院", "person_maintain", {"蒋丽华"}, {"陈诗慧", "刘文斌"}),
    ],
)
def test_a_unit_sees_only_its_own_people(login_as, login, org, screen, sees, never):
    names = names_in(login_as(login, org), f"/admin/{screen}/")
    assert sees <= names
    assert not names & never


def test_city_hr_sees_its_city_and_province_hr_the_province(login_as):
    city = names_in(login_as("gz_hr"), "/admin/person_query/")
    assert {"陈诗慧", "蒋丽华"} <= city and "刘文斌" not in city
    province = names_in(login_as("gd_hr"), "/admin/person_query/")
    assert {"陈诗慧", "蒋丽华", "刘文斌"} <= province


def test_industry_sees_its_series_in_its_region(login_as):
    names = names_in(login_as("gz_edu"), "/admin/person_query/")
    assert "陈诗慧" in names  # 高等学校教师 in 广州
    assert "蒋丽华" not in names  # 卫生技术人员
    assert "刘文斌" not in names  # 深圳


def test_hr_oversight_lists_organisations_of_its_region_only(login_as):
    client = login_as("gz_hr")
    units = client.get("/admin/oversee_units/").get_data(as_text=True)
    assert "广州示范大学" in units and "广州示范医院" in units
    assert "深圳示范科技有限公司" not in units and "广州市教育局" not in units
    industries = client.get("/admin/oversee_industries/").get_data(as_text=True)
    assert "广州市教育局" in industries
    assert "广东省教育厅" not in industries and "深圳市教育局" not in industries


def test_a_person_sees_only_themself(login_as):
    html = login_as("p_chen").get("/admin/my_profile/").get_data(as_text=True)
    assert "陈诗慧" in html and "刘文斌" not in html and "王新" not in html


def test_helpdesk_sees_accounts_but_no_people_or_audit(login_as):
    client = login_as("helpdesk")
    assert "p_liu" in client.get("/admin/accounts/?search=p_liu").get_data(as_text=True)
    for url in ["/admin/person_query/", "/admin/person_maintain/", "/admin/audit_log/"]:
        assert client.get(url).status_code == 403


def test_menus_fit_the_role(login_as):
    expectations = {
        "admin": ({"字典管理", "行政区划", "操作日志"}, {"账号查询", "专业技术人员信息维护"}),
        "helpdesk": ({"账号查询", "经办绑定"}, {"字典管理", "专业技术人员信息查询"}),
        "gd_hr": ({"管理法人单位", "专业技术人员信息查询", "操作日志"}, {"字典管理", "专业技术人员信息维护"}),
        "unit_b": ({"专业技术人员信息维护", "单位经办人员", "角色管理"}, {"管理法人单位", "操作日志"}),
        "p_chen": ({"人员基本信息维护"}, {"单位经办人员", "专业技术人员信息维护"}),
    }
    for login, (present, absent) in expectations.items():
        html = login_as(login).get("/admin/").get_data(as_text=True)
        menu = html.split('id="module-list"')[0]
        for label in present:
            assert label in menu, (login, label)
        for label in absent:
            assert label not in html, (login, label)
