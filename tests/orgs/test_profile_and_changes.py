"""单位信息维护: contacts saved at once; 修改单位信息 / 更换上级部门 wait for the superior's review."""
import re

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import OrgChange, Organisation, Person

from org_helpers import org_by_name, uscc

HOSPITAL = "广州示范医院"


def _change(client, **fields):
    """修改单位信息 as posted by the form: the superior select keeps its current choice unless changed."""
    page = client.get("/admin/org_profile/change/").get_data(as_text=True)
    current = re.search(r'<option selected value="(\d+)"', page)
    data = {"code_type": "uscc", "code": uscc(31), "reason": "三证合一后换发执照",
            "superior_id": current.group(1) if current else "", **fields}
    return client.post("/admin/org_profile/change/", data, token_page="/admin/org_profile/change/")


def test_contact_fields_are_saved_without_review(app, login_as):
    client = login_as("unit_c")
    org = org_by_name(app, HOSPITAL)
    assert client.get("/admin/org_profile/").headers["Location"].endswith(f"/details/?id={org.id}")
    url = f"/admin/org_profile/edit/?id={org.id}"
    fields = {"contact_name": "医务科", "office_phone": "020-83330002", "mobile": "13700000000",
              "email": "yw@example.cn", "postcode": "510000", "address": "越秀区中山二路", "profile": "三甲医院"}
    assert client.post(url, fields, token_page=url).status_code == 302
    assert org_by_name(app, HOSPITAL).contact_name == "医务科"
    bad = client.post(url, {**fields, "mobile": "1234", "address": "长" * 101}, token_page=url)
    text = bad.get_data(as_text=True)
    assert "手机号码格式不正确" in text and "单位通讯地址限100字" in text
    assert "保存失败，请按提示修改后再保存" in text and "Failed to save record" not in text
    assert org_by_name(app, HOSPITAL).mobile == "13700000000"


def test_a_code_change_is_applied_when_the_superior_approves(app, login_as):
    client = login_as("unit_c")
    old_code = org_by_name(app, HOSPITAL).code
    assert _change(client).status_code == 302
    assert org_by_name(app, HOSPITAL).code == old_code  # not before review
    with app.app_context():
        change = db.session.scalar(select(OrgChange).where(OrgChange.status == "pending"))
        change_id, reviewer = change.id, change.reviewer_org.name
    assert reviewer == "广州市人力资源和社会保障局"
    # While it waits, nothing else can be requested.
    second = _change(client, code=uscc(32))
    assert "以下事项尚待审核" in client.get(second.headers.get("Location", "/admin/org_profile/change/")).get_data(as_text=True) + second.get_data(as_text=True)

    hr = login_as("gz_hr")
    details = hr.get(f"/admin/review_org_changes/details/?id={change_id}").get_data(as_text=True)
    assert f"{old_code} → 统一社会信用代码 {uscc(31)}" in details and "三证合一后换发执照" in details
    assert login_as("gd_hr").get(f"/admin/review_org_changes/details/?id={change_id}").status_code == 404
    hr.post(f"/admin/review_org_changes/review/?id={change_id}", {"result": "approve", "opinion": ""},
            token_page=f"/admin/review_org_changes/details/?id={change_id}")
    assert org_by_name(app, HOSPITAL).code == uscc(31)
    page = client.get(f"/admin/org_profile/details/?id={org_by_name(app, HOSPITAL).id}").get_data(as_text=True)
    assert "已通过" in page


def test_moving_to_another_superior(app, login_as):
    client = login_as("unit_c")
    gd_hr = org_by_name(app, "广东省人力资源和社会保障厅")
    org = org_by_name(app, HOSPITAL)
    assert _change(client, code=org.code, superior_id=gd_hr.id).status_code == 302
    with app.app_context():
        change_id = db.session.scalar(select(OrgChange.id).where(OrgChange.org_id == org.id))
    hr = login_as("gz_hr")
    hr.post(f"/admin/review_org_changes/review/?id={change_id}", {"result": "approve"},
            token_page=f"/admin/review_org_changes/details/?id={change_id}")
    assert org_by_name(app, HOSPITAL).hr_org_id == gd_hr.id


def test_bad_or_blocked_change_requests_change_nothing(app, login_as):
    client = login_as("unit_c")
    org = org_by_name(app, HOSPITAL)
    same = _change(client, code=org.code)
    assert "均未改变" in same.get_data(as_text=True)
    bad = _change(client, code="91440000MA0000000X")
    assert "统一社会信用代码" in bad.get_data(as_text=True)
    taken = _change(client, code=org_by_name(app, "广州示范大学").code)
    assert "已被其他单位使用" in taken.get_data(as_text=True)
    outsider = _change(client, superior_id=org_by_name(app, "广州市教育局").id)
    assert outsider.status_code == 200
    # 广州示范大学 has a person waiting for confirmation: it must settle that first.
    unit_a = login_as("unit_a", "广州示范大学")
    blocked = _change(unit_a, code=uscc(33))
    assert "本单位待确认的专业技术人员" in blocked.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(OrgChange.id)) is None
        assert db.session.scalar(select(Person.id).where(Person.binding_status == "pending")) is not None
        assert db.session.get(Organisation, org.id).code == org.code
