"""登记为专业技术人员 (个人信息): an account made by 注册新账号 (an 经办人 its unit registered) has no 专业技术人员
record, so it could neither choose a 工作单位 nor declare hours. From 个人信息 it gets the record 个人用户注册
would have given it — the one its unit recorded under the same ID number if nobody holds it — and then
acts as 个人 like any registered person. Refusals are judged by their own status and change nothing."""
from datetime import date

from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import BindingStatus, MembershipStatus
from backoffice.models import AuditLog, Membership, Organisation, Person, User
from backoffice.validators import make_citizen_id

SHENZHEN = "深圳示范科技有限公司"  # unit_b's
UNIVERSITY = "广州示范大学"
PROFILE = "/me/profile"
BECOME = "/me/profile/person"
BUTTON = "登记为专业技术人员</button>"
PASSWORD = "Wuxing2027q"
NEW_ID = make_citizen_id("440305", date(1990, 3, 7), "015")


def register_operator(login_as, client, **fields) -> None:
    """unit_b's super admin registers 吴星 as an operator (注册新账号); 吴星 signs in and sets a password."""
    data = {
        "login": "wu_xing", "password": PASSWORD, "confirm": PASSWORD, "real_name": "吴星",
        "mobile": "13922223333", "id_type": "resident_id", "id_number": NEW_ID, **fields,
    }
    boss = login_as("unit_b")
    register = "/admin/org_members/invite/register/"
    assert boss.post(register, data, token_page=register).status_code == 302
    assert client.login("wu_xing", PASSWORD).status_code == 302
    changed = client.post("/change-password", {"old_password": PASSWORD, "new_password": "Xinmima2028w",
                                               "confirm": "Xinmima2028w"})
    assert changed.status_code == 302


def records_of(app, login: str) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(Person.id, Person.name, Person.sex, Person.birth_date, Person.unit_id, Person.binding_status)
            .join(User, User.id == Person.user_id).where(User.login == login)
        ).all()


def people(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Person.id)))


def test_an_operator_without_a_record_registers_as_a_professional_and_then_acts_as_one(app, login_as, client):
    register_operator(login_as, client)
    page = client.get(PROFILE).get_data(as_text=True)
    assert BUTTON in page and "本账号尚未登记为专业技术人员" in page
    assert "个人（吴星）" not in client.get("/select-org").get_data(as_text=True)
    before = people(app)

    done = client.post(BECOME, token_page=PROFILE)
    assert done.status_code == 302 and done.headers["Location"].endswith("/select-org")
    chooser = client.get("/select-org").get_data(as_text=True)
    assert "已登记为专业技术人员。请在“选择单位账号”中切换到“个人”" in chooser
    assert "个人（吴星）" in chooser and SHENZHEN in chooser
    assert people(app) == before + 1
    [(_, name, sex, birth, unit_id, status)] = records_of(app, "wu_xing")
    assert (name, sex, birth, unit_id, status) == ("吴星", "男", date(1990, 3, 7), None, None)
    with app.app_context():
        assert db.session.scalar(select(AuditLog.id).where(AuditLog.summary == "登记为专业技术人员：wu_xing"))

    assert BUTTON not in client.get(PROFILE).get_data(as_text=True)
    client.select("个人（吴星）")
    own = client.get("/admin/my_profile/")
    assert own.status_code == 200 and "工作单位" in own.get_data(as_text=True)

    again = client.post(BECOME, token_page=PROFILE)  # a second click (another tab) changes nothing
    assert again.status_code == 302 and again.headers["Location"].endswith(PROFILE)
    assert "该账号已是专业技术人员" in client.get(PROFILE).get_data(as_text=True)
    assert people(app) == before + 1


def record(app, unit_name: str, status=BindingStatus.CONFIRMED) -> tuple[int, int]:
    """`unit_name` records 吴星 under her ID number (新增); (person id, unit id)."""
    with app.app_context():
        unit = db.session.scalar(select(Organisation).where(Organisation.name == unit_name))
        recorded = Person(name="吴星", id_number=NEW_ID, sex="男", birth_date=date(1990, 3, 7),
                          unit_id=unit.id, binding_status=status)
        db.session.add(recorded)
        db.session.commit()
        return recorded.id, unit.id


def bind(app, login: str, unit_name: str, status: str) -> None:
    """`login`'s binding to `unit_name` made or set to `status`."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == login))
        unit = db.session.scalar(select(Organisation).where(Organisation.name == unit_name))
        binding = db.session.scalar(select(Membership).where(Membership.user_id == user.id, Membership.org_id == unit.id))
        if binding is None:
            binding = Membership(user_id=user.id, org_id=unit.id, is_super_admin=False)
            db.session.add(binding)
        binding.status = status
        db.session.commit()


def test_the_record_its_unit_made_under_the_same_id_number_becomes_the_accounts(app, login_as, client):
    register_operator(login_as, client)
    recorded_id, unit_id = record(app, SHENZHEN)  # afterwards, by the unit she acts for
    before = people(app)

    assert client.post(BECOME, token_page=PROFILE).status_code == 302
    assert f"已登记为专业技术人员。所在单位：{SHENZHEN}" in client.get("/select-org").get_data(as_text=True)
    [(person_id, _, _, _, unit, status)] = records_of(app, "wu_xing")
    assert (person_id, unit, status) == (recorded_id, unit_id, BindingStatus.CONFIRMED)
    assert people(app) == before


def test_a_record_of_an_organisation_it_does_not_act_for_is_not_handed_to_it(app, login_as, client):
    """Her account's first password was chosen by 深圳示范科技: 广州示范大学's record of the same ID number
    stays 广州示范大学's, also while she only waits to act for it (待确认) — and once she acts for it, it links."""
    register_operator(login_as, client)
    recorded_id, _ = record(app, UNIVERSITY)
    bind(app, "wu_xing", UNIVERSITY, MembershipStatus.PENDING)
    before = people(app)
    refused = client.post(BECOME, token_page=PROFILE)
    assert refused.status_code == 302 and refused.headers["Location"].endswith(PROFILE)
    assert "该公民身份号码已由其他单位录入，不能在此登记" in client.get(PROFILE).get_data(as_text=True)
    assert records_of(app, "wu_xing") == [] and people(app) == before
    with app.app_context():
        assert db.session.get(Person, recorded_id).user_id is None
        assert not db.session.scalar(select(AuditLog.id).where(AuditLog.summary.like("%wu_xing%登记%")))

    bind(app, "wu_xing", UNIVERSITY, MembershipStatus.ACTIVE)  # she accepts: now she acts for it
    assert client.post(BECOME, token_page=PROFILE).status_code == 302
    assert [row[0] for row in records_of(app, "wu_xing")] == [recorded_id]


def test_a_record_nobody_confirms_is_not_handed_to_it_either(app, login_as, client):
    register_operator(login_as, client)
    recorded_id, _ = record(app, SHENZHEN, status=BindingStatus.RELEASED)  # released by her own unit
    assert client.post(BECOME, token_page=PROFILE).status_code == 302
    assert "该公民身份号码已由其他单位录入" in client.get(PROFILE).get_data(as_text=True)
    assert records_of(app, "wu_xing") == []


def test_only_a_resident_id_account_without_a_record_is_offered_it(app, login_as, client):
    before = people(app)
    chen = login_as("p_chen")  # a registered person already
    assert BUTTON not in chen.get(PROFILE).get_data(as_text=True)
    refused = chen.post(BECOME, token_page=PROFILE)
    assert refused.status_code == 302 and refused.headers["Location"].endswith(PROFILE)
    assert "该账号已是专业技术人员" in chen.get(PROFILE).get_data(as_text=True)

    admin = login_as("admin")  # the system account
    assert BUTTON not in admin.get(PROFILE).get_data(as_text=True)
    assert admin.post(BECOME, token_page=PROFILE).status_code == 302
    assert "仅使用居民身份证注册的账号可以登记为专业技术人员" in admin.get(PROFILE).get_data(as_text=True)

    register_operator(login_as, client, id_type="passport", id_number="E12345678")
    assert BUTTON not in client.get(PROFILE).get_data(as_text=True)
    assert client.post(BECOME, token_page=PROFILE).status_code == 302
    assert "仅使用居民身份证注册的账号可以登记为专业技术人员" in client.get(PROFILE).get_data(as_text=True)
    assert records_of(app, "wu_xing") == [] and people(app) == before
