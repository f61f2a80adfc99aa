"""管理法人单位 and friends: who sees which organisations, with which columns."""
import csv
import io

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import MembershipStatus
from backoffice.models import Membership, Organisation, User
from oversight_helpers import UNITS, list_table, org_id
from pages import search_box


def test_hr_lists_the_units_of_its_region_with_their_super_admins(login_as):
    page = login_as("gz_hr").get(f"{UNITS}/").get_data(as_text=True)
    html = list_table(page)
    for header in ["单位名称", "单位代码", "所在地区", "隶属关系", "审核状态", "有效", "超级管理员"]:
        assert header in html
    assert "广州示范大学" in html and "林建华" in html
    assert "广州示范医院" in html and "郑伟" in html
    assert "深圳示范科技有限公司" not in html and "吴海燕" not in html
    assert "广州市教育局" not in html  # another kind, another screen
    assert "移除权限" in page and "恢复权限" in page  # the actions


def test_each_screen_shows_one_kind_and_never_the_actors_own_organisation(login_as):
    gd_hr = login_as("gd_hr")
    hr = list_table(gd_hr.get("/admin/oversee_hr/").get_data(as_text=True))
    assert "广州市人力资源和社会保障局" in hr and "广东省人力资源和社会保障厅" not in hr
    institutions = list_table(gd_hr.get("/admin/oversee_institutions/").get_data(as_text=True))
    assert "广东示范继续教育学院" in institutions and "广州示范大学" not in institutions
    units = list_table(gd_hr.get(f"{UNITS}/").get_data(as_text=True))
    assert "深圳示范科技有限公司" in units and "广州示范大学" in units
    own = org_id(gd_hr.http.application, "广东省人力资源和社会保障厅")
    assert gd_hr.get(f"/admin/oversee_hr/details/?id={own}").status_code == 404


def test_search_by_name_and_code(app, login_as):
    client = login_as("gz_hr")
    html = list_table(client.get(f"{UNITS}/?search=示范医院").get_data(as_text=True))
    assert "广州示范医院" in html and "广州示范大学" not in html
    with app.app_context():
        code = db.session.scalar(select(Organisation.code).where(Organisation.name == "广州示范大学"))
    html = list_table(client.get(f"{UNITS}/?search={code}").get_data(as_text=True))
    assert "广州示范大学" in html and "广州示范医院" not in html


def test_filters_by_state_level_and_validity(app, login_as):
    client = login_as("gz_hr")
    page = client.get(f"{UNITS}/").get_data(as_text=True)
    pending = list_table(client.get(f"{UNITS}/?{search_box(page, '审核状态')}=pending").get_data(as_text=True))
    assert "广州示范科技学校" in pending and "广州示范医院" not in pending
    county = list_table(client.get(f"{UNITS}/?{search_box(page, '隶属关系')}=county").get_data(as_text=True))
    assert "广州示范科技学校" in county and "广州示范大学" not in county

    with app.app_context():
        hospital = db.session.scalar(select(Organisation).where(Organisation.name == "广州示范医院"))
        hospital.active = False
        db.session.commit()
    revoked = list_table(client.get(f"{UNITS}/?{search_box(page, '有效')}=0").get_data(as_text=True))
    assert "广州示范医院" in revoked and "广州示范大学" not in revoked


def test_export_names_the_super_admins(login_as):
    exported = login_as("gz_hr").get(f"{UNITS}/export/csv/").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert rows[0] == ["单位名称", "单位代码", "所在地区", "隶属关系", "审核状态", "有效", "超级管理员"]
    hospital = next(r for r in rows if r[0] == "广州示范医院")
    assert hospital[-1] == "郑伟（unit_c）" and hospital[5] == "是"


def test_industry_sees_only_its_subordinate_departments_and_no_units(login_as):
    gz_edu = login_as("gz_edu")
    assert gz_edu.get(f"{UNITS}/").status_code == 403
    assert gz_edu.get("/admin/oversee_institutions/").status_code == 403
    assert gz_edu.get("/admin/oversee_hr/").status_code == 403
    nothing = list_table(gz_edu.get("/admin/oversee_industries/").get_data(as_text=True))
    assert "广州市教育局" not in nothing and "<td" in nothing  # only the empty-list message
    assert 'name="rowid"' not in nothing

    gd_edu = login_as("gd_edu")
    html = gd_edu.get("/admin/oversee_industries/").get_data(as_text=True)
    assert "广州市教育局" in list_table(html) and "何晓敏" in list_table(html)
    # 004 §1.7.4 行业主管查询's columns: 专业系列, 联系人, 联系电话
    for label in ("专业系列", "联系人", "办公电话"):
        assert label in html.split("model-list", 1)[1].split("</thead>", 1)[0], label
    assert "高等学校教师" in list_table(html)
    assert "广东省教育厅" not in list_table(html)
    assert "移除权限" not in html  # industry oversees, HR revokes


def test_the_details_page_shows_profile_super_admins_and_attachments(app, login_as):
    client = login_as("gz_hr")
    school = org_id(app, "广州示范科技学校")  # a pending demo application with its licence attached
    html = client.get(f"{UNITS}/details/?id={school}").get_data(as_text=True)
    for text in ["单位名称", "单位通讯地址", "单位职能简介", "联系人", "广州示范科技学校办公楼",
                 "超级管理员", "unit_d", "马晓军", "附件材料", "统一社会信用代码证.pdf"]:
        assert text in html, text
    with app.app_context():
        mobile = db.session.scalar(select(User.mobile).where(User.login == "unit_d"))
    assert mobile in html
    download = html.split("统一社会信用代码证.pdf")[1].split('">[下载]')[0].rsplit('href="', 1)[1]
    response = client.get(download)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert 'href="/admin/oversee_units/revoke/?id=' in html


def test_list_page_costs_no_query_per_row(app, login_as, counting):
    client = login_as("gd_hr")
    url = f"{UNITS}/?page_size=100"

    def measure():
        client.get(url)
        with counting() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    before = measure()
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.login == "p_liu"))
        for n in range(15):
            org = Organisation(kind="unit", name=f"加测单位{n:02d}", code=f"TEST{n:014d}", code_type="uscc",
                               level="county", region_code="440305", status="approved")
            db.session.add(org)
            db.session.flush()
            db.session.add(Membership(user_id=admin.id, org_id=org.id, status=MembershipStatus.ACTIVE,
                                      is_super_admin=True))
        db.session.commit()
    assert "加测单位14" in client.get(url).get_data(as_text=True)
    assert measure() == before
