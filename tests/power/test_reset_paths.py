"""Issue 15 (account takeover): every reset path, through HTTP, holds the account-power rule — a reset
never reaches an account whose power is beyond the resetter's. `unit_a` (super admin of 广州示范大学 and a
member of 广州示范医院) is the account that acts for more than one organisation."""
from backoffice.extensions import db
from backoffice.labels import BindingStatus, MembershipStatus
from backoffice.models import Membership
from backoffice.policy import power

from power_helpers import (
    HOSPITAL,
    SHENZHEN,
    UNIVERSITY,
    accept,
    account,
    add_helpdesk,
    flashes,
    give_person,
    helpdesk_reset,
    invite,
    member_reset,
    membership_id,
    person_id,
    query_reset,
    temporary,
    unchanged,
)

# ---- 单位经办人员 → 重置密码 (an organisation's super admin) -------------------------------------


def test_hospital_cannot_reset_a_member_who_is_super_admin_of_the_university(app, login_as, client):
    """Chain (a): 广州示范医院's super admin resets a member whose account is also 广州示范大学's super admin."""
    before = account(app, "unit_a")
    hospital = login_as("unit_c")
    response = member_reset(hospital, membership_id(app, "unit_a", HOSPITAL))
    assert response.status_code == 302
    assert "temporary-password" not in response.get_data(as_text=True)
    listing = hospital.get("/admin/org_members/").get_data(as_text=True)
    assert f"林建华（unit_a）：{power.OTHER_ORG}" in flashes(listing)
    assert unchanged(app, before)
    # the old password still signs in: nobody got the university's login
    assert client.login("unit_a").status_code == 302


def test_a_pending_invitation_elsewhere_counts_as_power(app, login_as, liu_member_of_shenzhen):
    """p_liu works only for 深圳 (and is its confirmed person) until 广州示范医院 invites him: from then on
    accepting would make him act for the hospital too, so 深圳 may no longer reset his password."""
    boss = login_as("unit_b")
    done = member_reset(boss, liu_member_of_shenzhen)
    assert done.status_code == 200 and temporary(done)

    invite(login_as("unit_c"), "p_liu", account(app, "p_liu").id_number)
    before = account(app, "p_liu")
    refused = member_reset(boss, liu_member_of_shenzhen)
    assert refused.status_code == 302
    assert power.OTHER_ORG in flashes(boss.get("/admin/org_members/").get_data(as_text=True))
    assert account(app, "p_liu").password_hash == before.password_hash


def test_a_member_who_is_a_person_of_another_unit_is_refused(app, login_as):
    """p_chen is confirmed at 广州示范大学; 深圳 binds her as an operator: her personal context is the
    university's person, so 深圳's super admin cannot reset her."""
    boss = login_as("unit_b")
    invite(boss, "p_chen", account(app, "p_chen").id_number)
    chen = membership_id(app, "p_chen", SHENZHEN)
    assert accept(login_as("p_chen"), chen).status_code == 302
    before = account(app, "p_chen")
    assert member_reset(boss, chen).status_code == 302
    assert f"陈诗慧（p_chen）：{power.PERSON_ELSEWHERE}" in flashes(boss.get("/admin/org_members/").get_data(as_text=True))
    assert unchanged(app, before)


# ---- 专业技术人员信息查询 → 重置密码 (units and HR) ----------------------------------------------------


def test_the_unit_cannot_reset_a_person_only_waiting_for_it(app, login_as):
    """p_new chose 广州示范大学 but is 待单位确认: the account is not yet the university's to reset."""
    university = login_as("unit_a", UNIVERSITY)
    new = person_id(app, "p_new")
    details = university.get(f"/admin/person_query/details/?id={new}").get_data(as_text=True)
    assert power.WAITING in details and 'id="reset-form"' not in details
    before = account(app, "p_new")
    response = query_reset(university, new)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/person_query/details/?id={new}")
    assert power.WAITING in flashes(university.get(response.headers["Location"]).get_data(as_text=True))
    assert unchanged(app, before)


def test_the_unit_cannot_reset_its_confirmed_person_whose_account_runs_another_organisation(app, login_as):
    """What the old takeover left behind: 深圳's super admin (unit_b) confirmed as a person of 广州示范大学.
    The person is the university's, but the account is worth 深圳's: refused."""
    taken = give_person(app, "unit_b", UNIVERSITY, BindingStatus.CONFIRMED)
    university = login_as("unit_a", UNIVERSITY)
    before = account(app, "unit_b")
    response = query_reset(university, taken)
    assert response.status_code == 302
    assert power.OTHER_ORG in flashes(university.get(response.headers["Location"]).get_data(as_text=True))
    assert unchanged(app, before)


def test_hr_resets_a_person_only_account_confirmed_in_its_region(app, login_as, client):
    city_hr = login_as("gz_hr")
    chen = person_id(app, "p_chen")
    assert 'id="reset-form"' in city_hr.get(f"/admin/person_query/details/?id={chen}").get_data(as_text=True)
    done = query_reset(city_hr, chen)
    assert done.status_code == 200
    assert account(app, "p_chen").password_reset_by == "广州市人力资源和社会保障局"
    assert client.login("p_chen", temporary(done)).headers["Location"].endswith("/change-password")


def test_hr_cannot_reach_a_person_of_another_region_or_one_not_confirmed(app, login_as):
    city_hr = login_as("gz_hr")
    liu, before_liu = person_id(app, "p_liu"), account(app, "p_liu")
    assert city_hr.get(f"/admin/person_query/details/?id={liu}").status_code == 404  # 深圳: outside 广州
    assert query_reset(city_hr, liu, token_page="/admin/person_query/").status_code == 404
    assert unchanged(app, before_liu)

    new, before_new = person_id(app, "p_new"), account(app, "p_new")
    response = query_reset(city_hr, new)  # in 广州, but only waiting for its unit
    assert response.status_code == 302
    assert power.NOT_IN_REGION in flashes(city_hr.get(response.headers["Location"]).get_data(as_text=True))
    assert unchanged(app, before_new)


def test_hr_cannot_reset_a_person_whose_account_acts_for_two_organisations(app, login_as):
    """unit_a as a person confirmed at 广州示范大学: HR of 广州 sees the person, not the account's power."""
    own = give_person(app, "unit_a", UNIVERSITY, BindingStatus.CONFIRMED)
    before = account(app, "unit_a")
    city_hr = login_as("gz_hr")
    assert power.OTHER_ORG in city_hr.get(f"/admin/person_query/details/?id={own}").get_data(as_text=True)
    assert query_reset(city_hr, own).status_code == 302
    assert unchanged(app, before)


def test_industry_departments_have_no_reset(app, login_as):
    """Decision: 行业主管部门 see people but reset nobody — no form, and the URL answers 403."""
    education = login_as("gz_edu")
    chen = person_id(app, "p_chen")
    details = education.get(f"/admin/person_query/details/?id={chen}")
    assert details.status_code == 200
    page = details.get_data(as_text=True)
    assert "p_chen" in page and "重置密码" not in page
    before = account(app, "p_chen")
    assert query_reset(education, chen).status_code == 403
    assert education.post("/admin/person_query/reset/?id=999999", {"reason": "x"}).status_code == 403
    assert unchanged(app, before)


# ---- 运维 → 账号查询 → 重置密码 ---------------------------------------------------------------------


def test_helpdesk_cannot_reset_the_system_administrator(app, login_as):
    helpdesk = login_as("helpdesk")
    admin = account(app, "admin")
    details = helpdesk.get(f"/admin/accounts/details/?id={admin.id}").get_data(as_text=True)
    assert power.SYSTEM_ACCOUNT in details and 'id="reset-form"' not in details
    response = helpdesk_reset(helpdesk, admin.id)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert power.SYSTEM_ACCOUNT in page and "temporary-password" not in page
    assert unchanged(app, admin)


def test_helpdesk_cannot_reset_another_helpdesk_account_or_its_own(app, login_as):
    add_helpdesk(app)
    helpdesk = login_as("helpdesk")
    for login, message in (("helpdesk2", power.SYSTEM_ACCOUNT), ("helpdesk", power.SELF)):
        before = account(app, login)
        response = helpdesk_reset(helpdesk, before.id)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), login
        assert unchanged(app, before), login


def test_helpdesk_resets_an_hr_operator_and_an_account_of_two_organisations(app, login_as, client):
    helpdesk = login_as("helpdesk")
    for login in ("gz_hr", "unit_a"):
        done = helpdesk_reset(helpdesk, account(app, login).id)
        assert done.status_code == 200, login
        assert account(app, login).password_reset_by == "客服"
        response = type(client)(app).login(login, temporary(done))
        assert response.headers["Location"].endswith("/change-password"), login
        assert account(app, login).must_change_password


def test_a_membership_the_helpdesk_revoked_still_counts_as_power(app, login_as):
    """A revoked (已禁用) binding can come back, so it still counts as power: 广州示范医院 cannot reset
    unit_a after the helpdesk revoked unit_a's university binding either."""
    helpdesk = login_as("helpdesk")
    unit_a = account(app, "unit_a")
    university = membership_id(app, "unit_a", UNIVERSITY)
    revoke = f"/admin/accounts/revoke/?id={unit_a.id}&membership={university}"
    assert helpdesk.post(revoke, {"reason": "单位来函"}, token_page=revoke).status_code == 302
    hospital = login_as("unit_c")
    assert member_reset(hospital, membership_id(app, "unit_a", HOSPITAL)).status_code == 302
    assert power.OTHER_ORG in flashes(hospital.get("/admin/org_members/").get_data(as_text=True))
    assert unchanged(app, unit_a)
    with app.app_context():
        assert db.session.get(Membership, university).status == MembershipStatus.DISABLED
