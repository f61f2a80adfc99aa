"""施教机构 on the declaration form (issue 11 item 1): the registered institutions are offered as the name
is typed (names only, approved and active institutions only), a name outside the system is kept as
typed, and a registered name also links the record to the organisation."""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, CodeType, OrgKind, RegionLevel
from backoffice.models import Organisation
from backoffice.validators import make_uscc

from records_helpers import DECLARE, SCORES, declare, id_from, org_id, person, record, record_form

LOOKUP = f"{DECLARE}/institutions/"
INST_A = "广东示范继续教育学院"


def _pending_institution(app) -> None:
    with app.app_context():
        db.session.add(Organisation(
            name="示范待审核培训中心", kind=OrgKind.INSTITUTION, code_type=CodeType.USCC,
            code=make_uscc("91440000PK0000001"), level=RegionLevel.PROVINCE, region_code="440000",
            status=ApplicationStatus.PENDING,
        ))
        db.session.commit()


def test_the_lookup_offers_registered_institutions_names_only(app, login_as):
    _pending_institution(app)
    chen = login_as("p_chen")
    answer = chen.get(f"{LOOKUP}?q=示范")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    names = answer.get_json()
    assert INST_A in names
    assert "示范待审核培训中心" not in names  # not registered yet
    assert "广州示范大学" not in names and "深圳示范科技有限公司" not in names  # units are not 施教机构
    assert all(isinstance(n, str) for n in names)  # names, nothing else
    for bad in ("", "   ", "长" * 101):
        assert chen.get(LOOKUP, query_string={"q": bad}).get_json() == []
    assert chen.get(LOOKUP, query_string={"q": "示范\x00"}).status_code == 400  # the app's own guard
    # the institution's and the unit's forms offer the same; a role without a declaration screen has none
    assert INST_A in login_as("unit_a", "广州示范大学").get(f"{LOOKUP}?q=继续教育").get_json()
    assert INST_A in login_as("inst_a").get(f"{SCORES}/institutions/?q=继续教育").get_json()
    assert login_as("gz_hr").get(f"{LOOKUP}?q=示范").status_code == 403


def test_the_form_offers_the_list_and_a_registered_name_links_the_organisation(app, login_as):
    chen = login_as("p_chen")
    page = chen.get(f"{DECLARE}/new/").get_data(as_text=True)
    assert 'list="institution-choices"' in page and '<datalist id="institution-choices">' in page
    assert "系统外的机构请直接填写名称" in page
    linked = record(app, id_from(declare(chen, course_name="注册机构的课程", institution_name=INST_A)))
    assert (linked.institution_org_id, linked.institution_name) == (org_id(app, INST_A), INST_A)
    outside = record(app, id_from(declare(chen, course_name="系统外机构的课程", institution_name="某某大学继续教育中心")))
    assert (outside.institution_org_id, outside.institution_name) == (None, "某某大学继续教育中心")
    # a unit's declaration too; changing the name to one outside the system unlinks it
    unit = login_as("unit_a", "广州示范大学")
    who = person(app, "陈诗慧")
    record_id = id_from(declare(unit, id_number=who.id_number, name="陈诗慧", course_name="单位申报注册机构",
                                institution_name=INST_A))
    assert record(app, record_id).institution_org_id == org_id(app, INST_A)
    edited = unit.post(f"{DECLARE}/edit/?id={record_id}",
                       record_form(id_number=who.id_number, name="陈诗慧", course_name="单位申报注册机构",
                                   institution_name="系统外机构"), token_page=f"{DECLARE}/")
    assert edited.status_code == 302
    assert (record(app, record_id).institution_org_id, record(app, record_id).institution_name) == (None, "系统外机构")
    with app.app_context():
        assert db.session.scalar(select(Organisation.id).where(Organisation.name == "系统外机构")) is None
