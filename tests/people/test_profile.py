"""人员基本信息维护 as the person uses it: fill in, choose the unit, ask for key-field changes."""
from datetime import date

from people_helpers import (
    HOSPITAL,
    SHENZHEN,
    UNIVERSITY,
    changes_of,
    new_id,
    org_id,
    person,
    profile,
    register,
)

PAGE = "/admin/my_profile/"


def save(client, data):
    return client.post(PAGE, data, token_page=PAGE, follow_redirects=True).get_data(as_text=True)


def test_a_new_person_fills_in_the_profile_and_their_unit_confirms_them(app, client, login_as):
    id_number = new_id(201)
    register(client, "zhang_san", id_number)
    page = client.get(PAGE).get_data(as_text=True)
    assert "人员基本信息维护" in page and "请选择您的工作单位" in page

    html = save(client, profile(app, "张三", id_number, unit=str(org_id(app, UNIVERSITY))))
    assert f"已提交“{UNIVERSITY}”确认" in html
    me = person(app, id_number=id_number)
    assert (me.binding_status, me.unit_id) == ("pending", org_id(app, UNIVERSITY))
    assert (me.birth_date, me.sex) == (date(1992, 3, 4), "男")  # from the ID number (顺序码 201: odd)
    assert (me.native_place, me.school) == ("广东广州", "华南示范大学")

    unit = login_as("unit_a", UNIVERSITY)
    assert "张三" in unit.get("/admin/person_confirm/").get_data(as_text=True)
    unit.post(f"/admin/person_confirm/decide/?id={me.id}", {"accept": "1"}, token_page="/admin/person_confirm/")
    me = person(app, id_number=id_number)
    assert me.binding_status == "confirmed" and me.confirmed_at is not None
    assert "张三" in unit.get("/admin/person_maintain/").get_data(as_text=True)

    # confirmed: the name is fixed, and a forged change of it is refused
    html = save(client, profile(app, "张三丰", id_number))
    assert "单位确认后姓名不能修改" in html
    assert person(app, id_number=id_number).name == "张三"


def test_the_id_number_fills_and_checks_birth_date_and_sex(app, client):
    id_number = new_id(202)  # even sequence digit: 女
    register(client, "li_na", id_number, real_name="李娜")
    before = person(app, id_number=id_number)
    for change, message in [
        ({"birth_date": "1990-01-01"}, "出生日期与公民身份号码不一致"),
        ({"sex": "男"}, "性别与公民身份号码不一致"),
        ({"phone": "12ab"}, "联系电话"),
        ({"major": "专" * 51}, "所学专业限50字"),
        ({"graduated_on": "2099-01-01"}, "毕业时间不能晚于今天"),
        ({"ethnicity_code": ""}, "请选择民族"),
        ({"unit": "999999"}, "所选单位不存在或尚未通过审核"),
    ]:
        html = save(client, profile(app, "李娜", id_number, **change))
        assert message in html, change
    after = person(app, id_number=id_number)
    assert (after.native_place, after.binding_status, after.updated_at) == (None, None, before.updated_at)


def test_the_id_number_never_changes(app, client):
    id_number = new_id(203)
    register(client, "wu_di", id_number, real_name="吴迪")
    html = save(client, profile(app, "吴迪", new_id(204), unit=str(org_id(app, UNIVERSITY))))
    assert "公民身份号码注册后不能修改" in html
    assert person(app, id_number=new_id(204)) is None


def test_the_unit_comes_first_and_is_required_until_one_confirms(app, client, login_as):
    id_number = new_id(205)
    register(client, "zheng_yi", id_number, real_name="郑一")
    page = client.get("/admin/my_profile/").get_data(as_text=True)
    form = page.split('id="profile-form"', 1)[1]
    assert form.index('name="unit"') < form.index('name="name"')
    html = save(client, profile(app, "郑一", id_number))
    assert "请选择工作单位" in html
    assert person(app, id_number=id_number).native_place is None
    # a confirmed person has no unit box: a transfer moves them
    assert 'name="unit"' not in login_as("p_chen").get("/admin/my_profile/").get_data(as_text=True)


def test_key_fields_of_a_confirmed_person_wait_for_the_unit_and_the_rest_is_saved_at_once(app, login_as):
    chen = login_as("p_chen")
    me = person(app, name="陈诗慧")
    data = profile(app, "陈诗慧", me.id_number, title="副教授", title_level="vice_senior", phone="13700001111")
    html = save(chen, data)
    assert "已提交单位审核" in html
    now = person(app, id=me.id)
    assert now.phone == "13700001111" and now.title == "讲师" and now.title_level == "middle"
    [change] = changes_of(app, me.id)
    assert change.status == "pending" and change.reviewer_org_id == org_id(app, UNIVERSITY)
    assert change.after["title"] == "副教授" and change.before["title"] == "讲师"
    assert "phone" not in change.after

    html = save(chen, {**data, "title": "教授", "title_level": "senior"})
    assert "已有一条待单位审核的信息修改申请" in html
    assert len(changes_of(app, me.id)) == 1

    unit = login_as("unit_a", UNIVERSITY)
    listing = unit.get("/admin/person_changes/").get_data(as_text=True)
    assert "讲师 → 副教授" in listing and "中级 → 副高级" in listing
    details = f"/admin/person_changes/details/?id={change.id}"
    assert "不同意并退案" not in unit.get(details).get_data(as_text=True)  # 通过 / 驳回 only
    unit.post(f"/admin/person_changes/review/?id={change.id}", {"result": "approve"}, token_page=details)
    now = person(app, id=me.id)
    assert (now.title, now.title_level, now.specialty) == ("副教授", "vice_senior", "软件工程")
    page = chen.get(PAGE).get_data(as_text=True)
    assert "讲师 → 副教授" in page and "已通过" in page


def test_the_unit_rejects_a_change_and_nothing_moves(app, login_as):
    chen = login_as("p_chen")
    me = person(app, name="陈诗慧")
    save(chen, profile(app, "陈诗慧", me.id_number, title="教授", title_level="senior"))
    [change] = changes_of(app, me.id)
    unit = login_as("unit_a", UNIVERSITY)
    details = f"/admin/person_changes/details/?id={change.id}"
    unit.post(f"/admin/person_changes/review/?id={change.id}", {"result": "return", "opinion": "x"}, token_page=details)
    assert changes_of(app, me.id)[0].status == "pending"  # 退案 is not an outcome here
    unit.post(f"/admin/person_changes/review/?id={change.id}", {"result": "close"}, token_page=details)
    assert changes_of(app, me.id)[0].status == "pending"  # 驳回 needs a reason
    unit.post(
        f"/admin/person_changes/review/?id={change.id}",
        {"result": "close", "opinion": "未见聘任文件"},
        token_page=details,
    )
    assert changes_of(app, me.id)[0].status == "closed"
    assert person(app, id=me.id).title == "讲师"
    assert "未见聘任文件" in chen.get(PAGE).get_data(as_text=True)
    # another unit never sees the request
    other = login_as("unit_b")
    assert other.get(details).status_code == 404


def test_a_person_the_unit_refuses_chooses_another_unit(app, login_as):
    unit = login_as("unit_a", UNIVERSITY)
    newcomer = person(app, name="王新")
    unit.post(f"/admin/person_confirm/decide/?id={newcomer.id}", {"accept": "0"}, token_page="/admin/person_confirm/")
    now = person(app, id=newcomer.id)
    assert (now.binding_status, now.unit_id) == ("refused", None)
    assert unit.get(f"/admin/person_query/details/?id={newcomer.id}").status_code == 404

    me = login_as("p_new")
    assert "单位未确认" in me.get(PAGE).get_data(as_text=True)
    save(me, profile(app, "王新", now.id_number, unit=str(org_id(app, SHENZHEN))))
    assert person(app, id=newcomer.id).unit_id == org_id(app, SHENZHEN)
    assert "王新" in login_as("unit_b").get("/admin/person_confirm/").get_data(as_text=True)
    assert "王新" not in login_as("unit_a", HOSPITAL).get("/admin/person_maintain/").get_data(as_text=True)


def test_the_unit_search_offers_approved_units_only(login_as, client):
    me = login_as("p_new")
    found = me.get("/me/units?query=示范").get_json()
    names = {label.split("（")[0] for _, label in found}
    assert {UNIVERSITY, SHENZHEN, HOSPITAL} <= names
    assert "广州示范科技学校" not in names  # still waiting for review
    assert "广东示范继续教育学院" not in names  # an institution, not an employer
    assert me.get("/me/units?query=%25").get_json() == []  # LIKE wildcards are plain text
    assert client.get("/me/units?query=示范").status_code == 302  # signed out


def test_a_waiting_change_holds_back_the_units_own_change_request(app, login_as):
    import re

    from backoffice.validators import make_uscc

    liu = person(app, name="刘文斌")
    save(login_as("p_liu"), profile(app, "刘文斌", liu.id_number, title="高级工程师", title_level="vice_senior"))
    unit = login_as("unit_b")
    page = unit.get("/admin/org_profile/change/").get_data(as_text=True)
    current = re.search(r'<option selected value="(\d+)"', page)
    data = {"code_type": "uscc", "code": make_uscc("91440300MA0000077"), "reason": "换发执照",
            "superior_id": current.group(1) if current else ""}
    html = unit.post("/admin/org_profile/change/", data, token_page="/admin/org_profile/change/").get_data(as_text=True)
    assert "本单位待审核的人员信息修改" in html
