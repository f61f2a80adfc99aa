"""The unit's people screens: 信息确认, 信息维护 (新增 / 修改 / 解除绑定), 信息查询 with 重置密码."""
import re

from people_helpers import HOSPITAL, SHENZHEN, UNIVERSITY, form_values, new_id, org_id, person, profile
from pages import flashes

NEW = "/admin/person_maintain/new/"


def test_confirmation_in_batch_and_only_for_own_pending_people(app, login_as, client):
    from people_helpers import register

    id_number = new_id(301)
    register(client, "zhou_yi", id_number, real_name="周一")
    client.post(
        "/admin/my_profile/",
        profile(app, "周一", id_number, unit=str(org_id(app, UNIVERSITY))),
        token_page="/admin/my_profile/",
    )
    waiting = [person(app, name="王新").id, person(app, id_number=id_number).id]

    other = login_as("unit_b")
    refused = other.post("/admin/person_confirm/action/", {"action": "confirm", "rowid": waiting})
    assert refused.status_code == 404
    assert other.post(f"/admin/person_confirm/decide/?id={waiting[0]}", {"accept": "1"}).status_code == 404

    unit = login_as("unit_a", UNIVERSITY)
    done = unit.post(
        "/admin/person_confirm/action/",
        {"action": "confirm", "rowid": waiting},
        token_page="/admin/person_confirm/",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "确认成功2条" in done
    assert {person(app, id=i).binding_status for i in waiting} == {"confirmed"}
    # a second click finds nothing left to confirm
    again = unit.post(f"/admin/person_confirm/decide/?id={waiting[0]}", {"accept": "1"}, token_page="/admin/person_confirm/")
    assert again.status_code == 404


def test_the_unit_adds_a_person_who_becomes_its_confirmed_member(app, login_as):
    unit = login_as("unit_b")
    page = unit.get(NEW).get_data(as_text=True)
    assert "所属部门" in page and "最高学历" in page
    id_number = new_id(311)
    response = unit.post(NEW, profile(app, "孟浩", id_number), token_page=NEW)
    assert response.status_code == 302
    added = person(app, id_number=id_number)
    assert (added.unit_id, added.binding_status, added.sex) == (org_id(app, SHENZHEN), "confirmed", "男")
    assert added.confirmed_at is not None and added.user_id is None
    assert "孟浩" in unit.get("/admin/person_maintain/").get_data(as_text=True)

    for id_number, message in [
        (new_id(311), "该人员已是本单位人员"),
        (person(app, name="陈诗慧").id_number, "该人员属于其他单位或正等待其他单位确认，请通过人员调转办理"),
        (new_id(311)[:-1] + ("0" if new_id(311)[-1] != "0" else "1"), "公民身份号码校验位不正确"),
    ]:
        html = unit.post(NEW, profile(app, "某人", id_number), token_page=NEW).get_data(as_text=True)
        assert message in html, id_number
    assert person(app, name="某人") is None


def test_the_unit_edits_its_person_but_not_the_name_or_id_number(app, login_as):
    unit = login_as("unit_b")
    liu = person(app, name="刘文斌")
    url = f"/admin/person_maintain/edit/?id={liu.id}"
    page = unit.get(url).get_data(as_text=True)
    assert re.search(r'id="name"[^>]*readonly|readonly[^>]*id="name"', page)
    data = profile(app, "刘文斌", liu.id_number, title="高级工程师", title_level="vice_senior")
    assert unit.post(url, data, token_page=url).status_code == 302
    now = person(app, id=liu.id)
    assert (now.title, now.title_level) == ("高级工程师", "vice_senior")  # the unit's word is final

    html = unit.post(url, {**data, "name": "刘武斌"}, token_page=url).get_data(as_text=True)
    assert "单位确认后姓名和公民身份号码不能修改" in html
    assert person(app, id=liu.id).name == "刘文斌"


def test_edit_form_round_trip_keeps_the_record(app, login_as):
    """Opening 修改 and saving without touching anything changes nothing and raises no error."""
    unit = login_as("unit_b")
    liu = person(app, name="刘文斌")
    url = f"/admin/person_maintain/edit/?id={liu.id}"
    values = form_values(unit.get(url).get_data(as_text=True))
    assert values["name"] == "刘文斌" and values["ethnicity_code"]
    html = unit.post(url, values, token_page=url, follow_redirects=True).get_data(as_text=True)
    assert "保存成功" in html and "保存记录成功" not in html
    now = person(app, id=liu.id)
    assert {k: getattr(now, k) for k in ("name", "title", "school", "series_id", "birth_date")} == {
        k: getattr(liu, k) for k in ("name", "title", "school", "series_id", "birth_date")
    }


def test_release_unbinds_and_the_unit_loses_sight(app, login_as):
    unit = login_as("unit_b")
    feng = person(app, name="冯国栋")
    done = unit.post(
        "/admin/person_maintain/action/",
        {"action": "release", "rowid": [feng.id]},
        token_page="/admin/person_maintain/",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "解除绑定成功1条" in done
    now = person(app, id=feng.id)
    assert (now.binding_status, now.unit_id) == ("released", None)
    assert unit.get(f"/admin/person_maintain/details/?id={feng.id}").status_code == 404
    assert unit.get(f"/admin/person_query/details/?id={feng.id}").status_code == 404
    # another unit may now take the person on
    hospital = login_as("unit_c")
    url = "/admin/person_maintain/new/"
    assert hospital.post(url, profile(app, "冯国栋", now.id_number), token_page=url).status_code == 302
    assert person(app, id=feng.id).unit_id == org_id(app, HOSPITAL)


def test_the_unit_resets_its_persons_password(app, login_as, client):
    unit = login_as("unit_a", UNIVERSITY)
    chen = person(app, name="陈诗慧")
    details = f"/admin/person_query/details/?id={chen.id}"
    assert "重置密码" in unit.get(details).get_data(as_text=True)
    refused = unit.post(f"/admin/person_query/reset/?id={chen.id}", {"reason": ""}, token_page=details)
    assert refused.status_code == 302 and refused.headers["Location"].endswith(details)
    assert "请填写原因" in flashes(unit.get(details).get_data(as_text=True))

    done = unit.post(f"/admin/person_query/reset/?id={chen.id}", {"reason": "本人来电，已核实身份"}, token_page=details)
    password = re.search(r'class="temporary-password">([^<]+)<', done.get_data(as_text=True)).group(1)
    assert client.login("p_chen", password).status_code == 302
    assert "change-password" in client.get("/admin/", follow_redirects=False).headers.get("Location", "")

    other = login_as("unit_b")
    assert other.post(f"/admin/person_query/reset/?id={chen.id}", {"reason": "x"}).status_code == 404


def test_query_filters_by_department_and_series(app, login_as):
    unit = login_as("unit_c")
    page = unit.get("/admin/person_query/").get_data(as_text=True)
    assert "所属部门" in page and "专业系列" in page and "资格级别" in page
