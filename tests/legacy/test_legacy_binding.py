"""历史信息绑定 through HTTP (000 §1.10.1): 绑定历史学员 when name and code match, 方案一, 方案二; refusals,
the limit on wrong answers, the 操作日志, and a user who acts for two units binding for one only."""
from sqlalchemy import func, select

from backoffice.demo_legacy import OLD_GZ, OLD_SZ
from backoffice.extensions import db
from backoffice.labels import AuditAction
from backoffice.models import AuditLog, LegacyPerson, LegacyUnit, Organisation, OrgRole, Person

from legacy_helpers import (
    BIND, RECORDS, UNIT_A, UNIT_C, old_people, old_unit, org_id, outsiders, person, scheme_one, scheme_two,
)
from pages import field_errors, flashes


def _audit(app, action):
    with app.app_context():
        return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def test_the_page_shows_the_current_unit_and_both_schemes(login_as):
    page = login_as("unit_a", UNIT_A).get(BIND)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in ("当前单位名称", "当前单位代码", "绑定历史学员", "方案一", "方案二", "旧系统单位名称", "旧系统单位代码",
                 "验证并绑定历史学员", UNIT_A):
        assert text in html


def test_direct_binding_finds_nothing_when_name_and_code_differ(app, login_as):
    client = login_as("unit_a", UNIT_A)
    response = client.post(f"{BIND}direct/", token_page=BIND, follow_redirects=True)
    assert "没有与当前单位名称和单位代码一致的单位" in flashes(response.get_data(as_text=True))
    assert old_unit(app).bound_unit_id is None


def test_direct_binding_when_the_current_name_and_code_are_the_old_ones(app, login_as):
    with app.app_context():
        unit = db.session.scalar(select(Organisation).where(Organisation.name == UNIT_A))
        db.session.add(LegacyUnit(code=unit.code, name=unit.name))
        db.session.commit()
    client = login_as("unit_a", UNIT_A)
    response = client.post(f"{BIND}direct/", token_page=BIND)
    assert response.status_code == 302
    bound = old_unit(app, code=_code(app, UNIT_A))
    assert bound.bound_unit_id == org_id(app, UNIT_A)


def _code(app, name):
    with app.app_context():
        return db.session.scalar(select(Organisation.code).where(Organisation.name == name))


def test_scheme_one_binds_the_old_unit_and_links_its_people_of_this_unit(app, login_as):
    client = login_as("unit_a", UNIT_A)
    response = scheme_one(client, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "已绑定旧系统单位“广州示范学院”，关联历史学员3人" in flashes(html)
    assert old_unit(app).bound_unit_id == org_id(app, UNIT_A)
    chen = person(app, "陈诗慧")
    linked = {p.name: p.person_id for p in old_people(app)}
    assert linked["陈诗慧"] == chen.id
    assert sum(1 for v in linked.values() if v is not None) == 3  # the three of today's unit, not the outsiders
    assert "bound-units" in html and "广州示范学院" in html
    [entry] = _audit(app, AuditAction.LEGACY_BIND)
    assert entry.org_id == org_id(app, UNIT_A) and "方案一" in entry.summary and "3人" in entry.summary
    # the unit now reads the history
    listed = client.get(f"{RECORDS}?flt0_0=陈诗慧").get_data(as_text=True)
    assert "高等教育教学方法研究" in listed


def test_scheme_one_with_a_wrong_code_binds_nothing_and_is_counted(app, login_as):
    client = login_as("unit_a", UNIT_A)
    response = scheme_one(client, code="4401061998999")
    assert response.status_code == 200
    assert "旧系统单位名称与旧系统单位代码不匹配" in flashes(response.get_data(as_text=True))
    assert old_unit(app).bound_unit_id is None
    [failure] = _audit(app, AuditAction.LEGACY_BIND_FAILED)
    assert failure.org_id == org_id(app, UNIT_A)


def test_scheme_one_needs_both_fields_and_refuses_control_characters(app, login_as):
    client = login_as("unit_a", UNIT_A)
    response = scheme_one(client, name="", code="X\x01")
    assert response.status_code == 200
    errors = field_errors(response.get_data(as_text=True))
    assert "请填写旧系统单位名称" in errors and "控制字符" in errors
    assert old_unit(app).bound_unit_id is None
    assert _audit(app, AuditAction.LEGACY_BIND_FAILED) == []  # a form error is no wrong answer


def test_scheme_two_binds_with_three_old_people_of_one_unit(app, login_as):
    client = login_as("unit_a", UNIT_A)
    response = scheme_two(client, outsiders(app), follow_redirects=True)
    assert "已绑定旧系统单位“广州示范学院”" in flashes(response.get_data(as_text=True))
    assert old_unit(app).bound_unit_id == org_id(app, UNIT_A)
    assert "方案二" in _audit(app, AuditAction.LEGACY_BIND)[0].summary


def test_scheme_two_refuses_a_wrong_name_a_repeated_person_and_people_of_two_old_units(app, login_as):
    client = login_as("unit_a", UNIT_A)
    three = outsiders(app)
    wrong_name = [(three[0][0] + "某", three[0][1]), *three[1:]]
    repeated = [three[0], three[0], three[1]]
    other_unit = old_people(app, OLD_SZ[0])[0]
    mixed = [three[0], three[1], (other_unit.name, other_unit.id_number)]
    for answer in (wrong_name, repeated, mixed):
        response = scheme_two(client, answer)
        assert response.status_code == 200
        assert "三名旧系统学员的姓名与身份证不匹配" in flashes(response.get_data(as_text=True))
    assert old_unit(app).bound_unit_id is None
    assert len(_audit(app, AuditAction.LEGACY_BIND_FAILED)) == 3


def test_wrong_answers_are_limited_so_scheme_two_cannot_be_guessed(app, login_as):
    client = login_as("unit_a", UNIT_A)
    three = outsiders(app)
    for n in range(5):
        guess = [(three[0][0], f"44010619680312{n:03d}X"), *three[1:]]
        assert "不匹配" in flashes(scheme_two(client, guess).get_data(as_text=True))
    # the sixth try, even the right answer, is refused until the window has passed
    response = scheme_two(client, three)
    assert "验证失败次数过多，请60分钟后再试" in flashes(response.get_data(as_text=True))
    assert old_unit(app).bound_unit_id is None
    assert len(_audit(app, AuditAction.LEGACY_BIND_FAILED)) == 5


def test_an_old_unit_bound_to_another_unit_is_refused(app, login_as):
    # 深圳示范科技公司 is bound to 深圳示范科技有限公司 (the demo)
    client = login_as("unit_a", UNIT_A)
    response = scheme_one(client, name=OLD_SZ[1], code=OLD_SZ[0])
    assert "该旧系统单位已由其他单位绑定" in flashes(response.get_data(as_text=True))
    assert old_unit(app, OLD_SZ[0]).bound_unit_id == org_id(app, "深圳示范科技有限公司")
    assert len(_audit(app, AuditAction.LEGACY_BIND_FAILED)) == 1


def test_a_member_of_two_units_binds_for_the_unit_acted_for_only(app, login_as):
    """unit_a acts for 广州示范大学 and 广州示范医院: binding as A never attaches anything to C, and C
    cannot take A's old unit afterwards."""
    hospital = org_id(app, UNIT_C)
    with app.app_context():
        # the hospital's super admin gives unit_a's role there the legacy screens too (角色管理)
        role = db.session.scalar(select(OrgRole).where(OrgRole.org_id == hospital, OrgRole.name == "人事专员"))
        role.modules = [*role.modules, "legacy_bind", "legacy_records"]
        # an old person whose ID number is a person of 广州示范医院 today
        old = db.session.scalar(select(LegacyPerson).where(LegacyPerson.name == "郑国栋"))
        colleague = db.session.scalar(select(Person).where(Person.unit_id == hospital).order_by(Person.id))
        old.id_number, old.name = colleague.id_number, colleague.name
        colleague_name = colleague.name
        db.session.commit()
    as_a = login_as("unit_a", UNIT_A)
    assert scheme_one(as_a).status_code == 302
    assert old_unit(app).bound_unit_id == org_id(app, UNIT_A)
    linked = {p.name: p.person_id for p in old_people(app)}
    assert linked[colleague_name] is None  # a person of the hospital stays unlinked
    with app.app_context():
        assert db.session.scalar(
            select(func.count()).select_from(LegacyUnit).where(LegacyUnit.bound_unit_id == hospital)
        ) == 0
    as_c = login_as("unit_a", UNIT_C)
    page = as_c.get(BIND)
    assert page.status_code == 200
    assert "bound-units" not in page.get_data(as_text=True) and UNIT_C in page.get_data(as_text=True)
    assert "高等教育教学方法研究" not in as_c.get(RECORDS).get_data(as_text=True)
    refused = scheme_one(as_c)
    assert "该旧系统单位已由其他单位绑定" in flashes(refused.get_data(as_text=True))
    assert old_unit(app).bound_unit_id == org_id(app, UNIT_A)


def test_binding_again_links_people_who_joined_since(app, login_as):
    client = login_as("unit_a", UNIT_A)
    scheme_one(client)
    with app.app_context():
        old = db.session.scalar(select(LegacyPerson).where(LegacyPerson.name == "陈诗慧"))
        db.session.get(LegacyPerson, old.id).person_id = None
        db.session.commit()
    response = scheme_one(client, follow_redirects=True)
    assert "本次新关联历史学员1人" in flashes(response.get_data(as_text=True))


def test_only_a_unit_opens_the_binding_screen(login_as):
    assert login_as("gz_hr").get(BIND).status_code == 403
    assert login_as("p_chen").get(BIND).status_code == 403
    hr = login_as("gz_hr")
    answer = {"old_name": OLD_GZ[1], "old_code": OLD_GZ[0]}
    assert hr.post(f"{BIND}scheme-one/", answer, token_page="/admin/").status_code == 403
