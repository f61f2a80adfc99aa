"""审核施教机构: the demo institution waits for 广州市人社局; once approved its operator has the menu."""
from org_helpers import org_by_name

CENTRE = "广州示范职业培训中心"


def test_city_hr_approves_the_waiting_institution(app, login_as):
    centre = org_by_name(app, CENTRE)
    hr = login_as("gz_hr")
    assert CENTRE in hr.get("/admin/review_institutions/").get_data(as_text=True)
    assert CENTRE not in hr.get("/admin/review_units/").get_data(as_text=True)
    assert login_as("gd_hr").get(f"/admin/review_institutions/details/?id={centre.id}").status_code == 404

    operator = login_as("inst_b")
    assert "角色申请" in operator.get("/admin/").get_data(as_text=True)
    assert operator.get("/admin/org_profile/").status_code == 403

    response = hr.post(f"/admin/review_institutions/review/?id={centre.id}", {"result": "approve", "opinion": "同意"})
    assert response.status_code == 302
    assert org_by_name(app, CENTRE).status == "approved"
    home = login_as("inst_b").get("/admin/").get_data(as_text=True)
    assert "单位信息维护" in home and "单位经办人员" in home
