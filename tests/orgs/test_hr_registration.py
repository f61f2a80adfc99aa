"""审核人社部门 (002, issue 13 item 3): where the province's rule says so (Henan), a city or county HR
department registers itself and the HR one level up reviews it through the review engine; 管理下级人社部门
then shows it. Guangdong's HR departments are set up by the 系统管理员 only."""
import re
from io import BytesIO

from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import Organisation
from backoffice.validators import make_uscc
from org_helpers import CONTACTS, PDF, Applicant, org_by_name
from pages import field_errors, flashes, list_table

HUALONG = "华龙区人力资源和社会保障局"
PY_HR = "濮阳市人力资源和社会保障局"


class HrApplicant(Applicant):
    """The same wizard; the 角色申请 of an HR department is its own screen (`hr_application`)."""

    def application_form(self, **changes) -> dict:
        html = self.client.get("/admin/hr_application/application/").get_data(as_text=True)
        return _values(html, changes)

    def upload_hr(self):
        return self.client.post("/admin/hr_application/application/upload/", {"file": (BytesIO(PDF), "批复文件.pdf")},
                                token_page="/admin/hr_application/application/", content_type="multipart/form-data")

    def submit_hr(self, **changes):
        data = {**self.application_form(**changes), "submit": "1"}
        return self.client.post("/admin/hr_application/application/", data,
                                token_page="/admin/hr_application/application/")


def _values(html: str, changes: dict) -> dict:
    form = html.split('id="application-form"')[1].split("</form>")[0]
    values = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', form))
    for name in re.findall(r'<select[^>]*name="(\w+)"', form):
        block = form.split(f'name="{name}"')[1].split("</select>")[0]
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', block)
        first = re.search(r'<option[^>]*value="([^"]*)"', block)
        values[name] = (chosen.group(1) or chosen.group(2)) if chosen else first.group(1)
    for name in re.findall(r'<textarea[^>]*name="(\w+)"', form):
        values[name] = re.search(rf'name="{name}"[^>]*>([^<]*)</textarea>', form).group(1).strip()
    for name in ("csrf_token", "save", "submit"):
        values.pop(name, None)
    values.update(changes)
    return values


def _hr_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Organisation.id)).where(Organisation.kind == "hr"))


def test_the_hr_above_reviews_a_self_registered_district_hr(app, login_as):
    py_hr = login_as("py_hr")
    page = py_hr.get("/admin/review_hr/").get_data(as_text=True)
    assert "<title>审核人社部门" in page and HUALONG in list_table(page)
    hualong = org_by_name(app, HUALONG)
    assert hualong.reviewer_org_id == org_by_name(app, PY_HR).id
    assert login_as("hn_hr").get(f"/admin/review_hr/details/?id={hualong.id}").status_code == 404
    assert login_as("gd_hr").get("/admin/review_hr/").status_code == 403
    response = py_hr.post(f"/admin/review_hr/review/?id={hualong.id}", {"result": "approve", "opinion": "同意"},
                          token_page="/admin/review_hr/")
    assert response.status_code == 302
    assert org_by_name(app, HUALONG).status == "approved"
    assert HUALONG in list_table(py_hr.get("/admin/oversee_hr/").get_data(as_text=True))
    menu = login_as("hl_hr").get("/admin/").get_data(as_text=True)
    assert "审核用人单位" in menu and "本单位的角色申请已送审" not in menu  # the full HR menu, no waiting notice


def test_a_henan_district_hr_registers_applies_and_is_routed_to_the_city(app, client):
    applicant = HrApplicant(client, "hl_new", 521)
    assert applicant.register_person().status_code == 302
    assert client.login("hl_new", "Reg2026abc").status_code == 302
    response = applicant.register_org("华龙区人社测试局", make_uscc("91410902MA0000521"), kind="hr",
                                      level="county", region_code="410902")
    assert response.status_code == 302 and "/admin/hr_application/" in response.headers["Location"]
    assert applicant.upload_hr().status_code == 302
    response = applicant.submit_hr(**CONTACTS)
    assert response.status_code == 302, field_errors(response.get_data(as_text=True))
    org = org_by_name(app, "华龙区人社测试局")
    assert (org.status, org.reviewer_org_id) == ("pending", org_by_name(app, PY_HR).id)


def test_guangdong_and_province_level_hr_cannot_register_themselves(app, client):
    applicant = HrApplicant(client, "gd_hr_new", 522)
    assert applicant.register_person().status_code == 302
    assert client.login("gd_hr_new", "Reg2026abc").status_code == 302
    before = _hr_count(app)
    response = applicant.register_org("天河区人社测试局", make_uscc("91440106MA0000522"), kind="hr", level="county",
                                      region_code="440106")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "本省的人社部门由系统管理员开通，不能自行注册，请联系系统管理员" in flashes(page)
    response = applicant.register_org("河南省人社测试厅", make_uscc("91410000MA0000523"), kind="hr", level="province",
                                      region_code="410000")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "自行注册的人社部门须为市级或县级" in flashes(page)
    assert _hr_count(app) == before
