"""Who reviews an industry department (DESIGN §3): province → provincial HR; below → its parent."""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Organisation, ProfessionalSeries

from org_helpers import CONTACTS, org_by_name, uscc


def _series_id(app, name):
    with app.app_context():
        return db.session.scalar(select(ProfessionalSeries.id).where(ProfessionalSeries.name == name))


def test_a_city_department_is_routed_to_its_parent_of_the_same_series(app, applicant, login_as):
    applicant.register_org("广州市卫生健康委员会", uscc(41), kind="industry", level="city", region_code="440100")
    applicant.upload()
    wsjs = _series_id(app, "卫生技术人员")
    # No approved provincial department of 卫生技术人员 exists: say so, submit nothing.
    refused = applicant.submit(**CONTACTS, series_id=str(wsjs), parent_id="0")
    assert "没有可选择的上一级行业主管部门" in refused.get_data(as_text=True)
    assert org_by_name(app, "广州市卫生健康委员会").status == "draft"

    gxjs = _series_id(app, "高等学校教师")
    gd_edu = org_by_name(app, "广东省教育厅")
    applicant.save(**CONTACTS, series_id=str(gxjs))
    assert applicant.submit(series_id=str(gxjs), parent_id=str(gd_edu.id)).status_code == 302
    org = org_by_name(app, "广州市卫生健康委员会")
    assert org.status == "pending" and org.reviewer_org_id == gd_edu.id

    reviewer = login_as("gd_edu")
    assert "广州市卫生健康委员会" in reviewer.get("/admin/review_sub_industries/").get_data(as_text=True)
    assert login_as("gz_hr").get(f"/admin/review_industries/details/?id={org.id}").status_code == 404


def test_a_level_that_does_not_match_the_region_is_refused(app, applicant):
    applicant.register_org("天河区教育局", uscc(42), kind="industry", level="city", region_code="440106")
    applicant.upload()
    gxjs = _series_id(app, "高等学校教师")
    response = applicant.submit(**CONTACTS, series_id=str(gxjs), parent_id="0")
    assert "隶属关系须与所在行政区划的级别一致" in response.get_data(as_text=True)


def test_a_province_department_goes_to_the_provincial_hr(app, applicant, login_as):
    applicant.register_org("广东省卫生健康委员会", uscc(43), kind="industry", level="province", region_code="440000")
    applicant.upload()
    wsjs = _series_id(app, "卫生技术人员")
    assert applicant.submit(**CONTACTS, series_id=str(wsjs)).status_code == 302
    org = org_by_name(app, "广东省卫生健康委员会")
    assert org.reviewer_org_id == org_by_name(app, "广东省人力资源和社会保障厅").id
    assert "广东省卫生健康委员会" in login_as("gd_hr").get("/admin/review_industries/").get_data(as_text=True)


def test_the_demo_city_department_waits_for_the_province(app, login_as):
    sz_edu = org_by_name(app, "深圳市教育局")
    gd_edu = login_as("gd_edu")
    assert gd_edu.get(f"/admin/review_sub_industries/details/?id={sz_edu.id}").status_code == 200
    assert login_as("gz_edu").get(f"/admin/review_sub_industries/details/?id={sz_edu.id}").status_code == 404
    with app.app_context():
        assert db.session.get(Organisation, sz_edu.id).status == "pending"
