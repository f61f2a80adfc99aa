"""新增经办人, the three ways of manual 002 (新增管理员) as the super admin clicks them:

a) 选择本单位人员（选择成为管理员）: pick a confirmed person of the organisation who owns an account;
b) 注册新账号（注册成为管理员）: register a new account, at once an operator of the organisation;
c) 添加已注册账号（添加成为管理员）: invite an existing account, which accepts (tests/members/test_bindings.py).

Each refusal is judged by its own status (no redirects followed) and leaves nothing changed.
"""
from datetime import date

from sqlalchemy import func, select

from backoffice.demo import DEMO_PASSWORD
from backoffice.extensions import db
from backoffice.labels import MembershipStatus
from backoffice.models import AuditLog, Membership, Person, User
from backoffice.text import MESSAGE as CONTROL_MESSAGE
from backoffice.validators import make_citizen_id

from member_helpers import HOSPITAL, SHENZHEN, UNIVERSITY, answer_binding, flashes, invite, membership, user_of
from pages import field_errors

PICK = "/admin/org_members/invite/pick/"
CHOOSE = "/admin/org_members/invite/pick/choose/"
REGISTER = "/admin/org_members/invite/register/"
NEW_PASSWORD = "Wuxing2027q"
NEW_ID = make_citizen_id("440305", date(1990, 3, 7), "015")
BAD_ID = NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")  # the check character wrong


def person_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.name == name))


def choose(client, pid, token_page=PICK):
    return client.post(CHOOSE, {"person_id": str(pid), "q": ""}, token_page=token_page)


def register(client, token_page=REGISTER, **fields):
    data = {
        "login": "new_admin1", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "real_name": "吴星",
        "mobile": "13922223333", "id_type": "resident_id", "id_number": NEW_ID,
    }
    data.update(fields)
    return client.post(REGISTER, data, token_page=token_page)


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(User.id))),
            db.session.scalar(select(func.count(Membership.id))),
            db.session.scalar(select(func.count(Person.id)).where(Person.user_id.is_not(None))),
        )


def audit_summaries(app, text: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditLog.summary).where(AuditLog.summary.like(f"%{text}%"))))


# ---- the page -------------------------------------------------------------------------------------


def test_one_page_offers_the_three_ways_of_the_manual(login_as):
    boss = login_as("unit_b")
    listing = boss.get("/admin/org_members/").get_data(as_text=True)
    assert f'href="{PICK}"' in listing and "新增经办人" in listing
    for url in (PICK, REGISTER, "/admin/org_members/invite/"):
        page = boss.get(url)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        for label in ("选择本单位人员（选择成为管理员）", "注册新账号（注册成为管理员）", "添加已注册账号（添加成为管理员）"):
            assert label in html, (url, label)


# ---- a) 选择成为管理员 ------------------------------------------------------------------------------


def test_the_picker_lists_confirmed_people_with_an_account_and_searches_by_name_or_id_number(app, login_as):
    boss = login_as("unit_a", UNIVERSITY)
    page = boss.get(PICK).get_data(as_text=True)
    assert "陈诗慧" in page and "p_chen" in page
    assert "王新" not in page  # 待单位确认
    assert "赵明远" not in page  # recorded by the unit, no account
    assert "共 1 条，第 1 / 1 页" in page

    by_name = boss.get(PICK, query_string={"q": "陈"}).get_data(as_text=True)
    assert "陈诗慧" in by_name
    chen_id = user_of(app, "p_chen").id_number
    by_id = boss.get(PICK, query_string={"q": chen_id[:10]}).get_data(as_text=True)
    assert "陈诗慧" in by_id
    nobody = boss.get(PICK, query_string={"q": "钱"}).get_data(as_text=True)
    assert "没有符合条件的人员" in nobody and "共 0 条" in nobody
    # a page number out of range shows the last page, a malformed one the first
    assert "陈诗慧" in boss.get(PICK, query_string={"page": "99"}).get_data(as_text=True)
    assert "陈诗慧" in boss.get(PICK, query_string={"page": "x"}).get_data(as_text=True)


def test_the_picker_pages_twenty_people_at_a_time_in_a_fixed_number_of_queries(app, login_as, counting):
    boss = login_as("unit_b")

    def queries() -> int:
        boss.get(PICK)
        with counting() as statements:
            assert boss.get(PICK).status_code == 200
        return len(statements)

    alone = queries()
    with app.app_context():
        shenzhen = db.session.get(Person, person_id(app, "刘文斌")).unit_id
        for n in range(21):
            user = User(login=f"pick_{n:02d}", real_name=f"测试{n:02d}", id_number=f"PICK{n:02d}", password_hash="x")
            db.session.add(user)
            db.session.flush()
            db.session.add(Person(
                user_id=user.id, name=f"测试{n:02d}", sex="男", id_number=f"44030519900101{n:03d}0"[:18],
                unit_id=shenzhen, binding_status="confirmed",
            ))
        db.session.commit()
    assert queries() == alone
    first = boss.get(PICK).get_data(as_text=True)
    assert "共 22 条，第 1 / 2 页" in first and "下一页" in first and "上一页" not in first
    second = boss.get(PICK, query_string={"page": "2"}).get_data(as_text=True)
    assert "第 2 / 2 页" in second and "上一页" in second
    assert "测试20" in second and "测试20" not in first


def test_picking_a_person_who_acts_for_nothing_else_makes_an_operator_at_once(app, login_as):
    boss = login_as("unit_b")
    response = choose(boss, person_id(app, "刘文斌"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/org_members/")
    listing = boss.get("/admin/org_members/").get_data(as_text=True)
    assert "已将刘文斌（p_liu）设为本单位的经办人员" in flashes(listing)
    bound = membership(app, "p_liu", SHENZHEN)
    assert bound.status == MembershipStatus.ACTIVE and not bound.is_super_admin
    assert audit_summaries(app, "新增经办人（选择本单位人员）：p_liu")

    # The picker now says so, and picking again is refused.
    assert "已是经办人员" in boss.get(PICK).get_data(as_text=True)
    before = counts(app)
    again = choose(boss, person_id(app, "刘文斌"))
    assert again.status_code == 302
    assert "刘文斌（p_liu）已是本单位的经办人员（有效）" in flashes(boss.get(PICK).get_data(as_text=True))
    assert counts(app) == before

    # p_liu now chooses between its person and the organisation, and acts for it.
    liu = login_as("p_liu")
    assert SHENZHEN in liu.get("/select-org").get_data(as_text=True)
    assert liu.select(SHENZHEN).status_code == 302
    assert liu.get("/admin/").status_code == 200
    assert liu.get("/admin/org_members/").status_code == 403  # an ordinary operator


def test_picking_an_operator_of_another_organisation_asks_the_owner_first(app, login_as):
    hospital = login_as("unit_c")
    invite(hospital, "p_liu", user_of(app, "p_liu").id_number)
    answer_binding(login_as("p_liu"), membership(app, "p_liu", HOSPITAL).id, "accept")

    boss = login_as("unit_b")
    assert choose(boss, person_id(app, "刘文斌")).status_code == 302
    assert "已向刘文斌（p_liu）发出绑定申请" in flashes(boss.get("/admin/org_members/").get_data(as_text=True))
    assert membership(app, "p_liu", SHENZHEN).status == MembershipStatus.PENDING


def test_an_account_that_refused_the_organisation_is_asked_again_not_bound(app, login_as):
    boss = login_as("unit_b")
    invite(boss, "p_liu", user_of(app, "p_liu").id_number)
    answer_binding(login_as("p_liu"), membership(app, "p_liu", SHENZHEN).id, "refuse")
    assert choose(boss, person_id(app, "刘文斌")).status_code == 302
    assert membership(app, "p_liu", SHENZHEN).status == MembershipStatus.PENDING


def test_the_picker_refuses_who_it_does_not_offer_and_changes_nothing(app, login_as):
    boss = login_as("unit_a", UNIVERSITY)
    before = counts(app)
    for name, message in [
        ("王新", "王新当前为“待单位确认”，只能选择本单位已确认的专业技术人员"),
        ("赵明远", "该人员尚未注册个人账号，请使用“注册新账号（注册成为管理员）”"),
    ]:
        response = choose(boss, person_id(app, name))
        assert response.status_code == 302 and response.headers["Location"].endswith(PICK)
        assert message in flashes(boss.get(PICK).get_data(as_text=True)), name
    assert counts(app) == before


def test_another_organisations_super_admin_never_sees_nor_picks_its_people(app, login_as):
    boss = login_as("unit_b")
    assert "陈诗慧" not in boss.get(PICK, query_string={"q": "陈"}).get_data(as_text=True)
    before = counts(app)
    for pid in (person_id(app, "陈诗慧"), person_id(app, "王新"), "abc", "99999999999", ""):
        assert choose(boss, pid).status_code == 404, pid
    assert counts(app) == before
    assert membership(app, "p_chen", SHENZHEN) is None


def test_an_ordinary_operator_gets_none_of_the_three_ways(app, login_as):
    clerk = login_as("unit_a", HOSPITAL)  # an ordinary member of 广州示范医院
    before = counts(app)
    for url in (PICK, REGISTER, "/admin/org_members/invite/"):
        assert clerk.get(url).status_code == 403, url
    assert choose(clerk, person_id(app, "蒋丽华"), token_page="/admin/").status_code == 403
    assert register(clerk, token_page="/admin/").status_code == 403
    assert counts(app) == before


# ---- b) 注册成为管理员 ------------------------------------------------------------------------------


def test_a_registered_operator_signs_in_changes_the_password_and_acts_for_the_organisation(app, login_as, client):
    boss = login_as("unit_b")
    form = boss.get(REGISTER).get_data(as_text=True)
    for label in ("登录账号", "密码", "确认密码", "姓名", "手机号码", "证件类型", "证件号码"):
        assert label in form
    users, memberships, linked = counts(app)

    response = register(boss)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/org_members/")
    listing = boss.get("/admin/org_members/").get_data(as_text=True)
    assert "已注册账号吴星（new_admin1）并设为本单位的经办人员" in flashes(listing)
    assert "吴星" in listing
    assert counts(app) == (users + 1, memberships + 1, linked)  # no 专业技术人员 record is made
    bound = membership(app, "new_admin1", SHENZHEN)
    assert bound.status == MembershipStatus.ACTIVE and not bound.is_super_admin
    created = user_of(app, "new_admin1")
    assert created.must_change_password and created.mobile == "13922223333" and created.real_name == "吴星"
    assert NEW_PASSWORD not in str(audit_summaries(app, "新增经办人（注册新账号）：new_admin1"))
    assert audit_summaries(app, "新增经办人（注册新账号）：new_admin1")

    signed_in = client.login("new_admin1", NEW_PASSWORD)
    assert signed_in.status_code == 302 and "/change-password" in signed_in.headers["Location"]
    changed = client.post(
        "/change-password",
        {"old_password": NEW_PASSWORD, "new_password": "Xinmima2028w", "confirm": "Xinmima2028w"},
        token_page="/change-password",
    )
    assert changed.status_code == 302
    home = client.get("/admin/").get_data(as_text=True)
    assert SHENZHEN in home.split('id="acting-as"', 1)[1][:500]


def test_registering_refuses_what_registration_refuses_and_changes_nothing(app, login_as):
    boss = login_as("unit_b")
    before = counts(app)
    chen = user_of(app, "p_chen")
    cases = [
        ({"login": "P_CHEN"}, "该登录账号已被注册，请换一个"),
        ({"id_number": chen.id_number}, "该证件号码已注册，请使用“添加已注册账号（添加成为管理员）”"),
        ({"id_number": BAD_ID}, "校验"),
        ({"confirm": "Other2027q"}, "两次输入的密码不一致"),
        ({"password": "abcd1234", "confirm": "abcd1234"}, "连续"),
        ({"mobile": "12345"}, "手机号码格式不正确"),
        ({"real_name": "吴\x07星"}, CONTROL_MESSAGE),
        ({"login": ""}, "请填写登录账号"),
    ]
    for fields, message in cases:
        response = register(boss, **fields)
        assert response.status_code == 200, fields
        assert message in field_errors(response.get_data(as_text=True)), fields
    assert counts(app) == before
    assert user_of(app, "new_admin1") is None


def test_registering_links_a_person_this_unit_confirmed_and_refuses_one_recorded_elsewhere(app, login_as):
    with app.app_context():
        feng = db.session.get(Person, person_id(app, "冯国栋"))  # recorded and confirmed by 深圳示范科技
        zhao = db.session.get(Person, person_id(app, "赵明远"))  # 广州示范大学's
        feng_id, zhao_id = feng.id_number, zhao.id_number
    boss = login_as("unit_b")
    before = counts(app)
    refused = register(boss, id_number=zhao_id, real_name="赵明远")
    assert refused.status_code == 200
    assert "该证件号码不能在此注册" in field_errors(refused.get_data(as_text=True))
    assert counts(app) == before

    assert register(boss, id_number=feng_id, real_name="冯国栋", login="feng_gd").status_code == 302
    with app.app_context():
        assert db.session.get(Person, person_id(app, "冯国栋")).user.login == "feng_gd"
    assert membership(app, "feng_gd", SHENZHEN).status == MembershipStatus.ACTIVE
    assert audit_summaries(app, "关联个人账号：冯国栋（feng_gd）")


def test_the_new_operator_is_within_the_organisations_power(app, login_as):
    """Its whole power lies in the organisation: the super admin may reset its password."""
    boss = login_as("unit_b")
    register(boss)
    bound = membership(app, "new_admin1", SHENZHEN)
    page = boss.post(
        "/admin/org_members/action/",
        {"action": "reset_password", "rowid": [str(bound.id)], "url": "/admin/org_members/"},
        token_page="/admin/org_members/",
    ).get_data(as_text=True)
    assert "吴星" in page and "临时密码" in page
    assert "密码" in page and DEMO_PASSWORD not in page
