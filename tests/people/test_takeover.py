"""Issue 15, chain (b): a unit cannot take over a person who owns an account — 新增 refuses and changes
nothing, so 重置密码 in 信息查询 cannot reach the account either."""
from datetime import date

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import BindingStatus
from backoffice.models import Person, User
from backoffice.validators import sex_from_id
from backoffice.workflows.people import OTHER_UNIT, SELF_REGISTERED, WAITING_HERE

from people_helpers import HOSPITAL, PASSWORD, UNIVERSITY, new_id, org_id, person, profile, register

NEW = "/admin/person_maintain/new/"


def _add(client, data):
    return client.post(NEW, data, token_page=NEW)


def _fields(row: Person) -> tuple:
    return row.name, row.unit_id, row.binding_status, row.confirmed_at, row.school, row.user_id


def test_a_unit_cannot_add_a_self_registered_person_nor_then_reset_them(app, client, login_as):
    id_number = new_id(401)
    register(client, "li_si", id_number, real_name="李四")  # registered, no unit chosen
    before = person(app, id_number=id_number)
    assert before.user_id is not None and before.unit_id is None

    hospital = login_as("unit_c")
    response = _add(hospital, profile(app, "李肆", id_number))  # another name, as the chain did
    assert response.status_code == 200
    assert SELF_REGISTERED in response.get_data(as_text=True)
    assert _fields(person(app, id_number=id_number)) == _fields(before)

    # not the hospital's person: 信息查询 neither shows nor resets them
    assert hospital.get(f"/admin/person_query/details/?id={before.id}").status_code == 404
    reset = hospital.post(f"/admin/person_query/reset/?id={before.id}", {"reason": "本人来电"}, token_page="/admin/person_query/")
    assert reset.status_code == 404
    assert client.login("li_si", PASSWORD).status_code == 302  # the password still works


def test_the_account_of_another_organisations_super_admin_is_not_taken_over(app, login_as):
    """The account in the issue's chain was its own organisation's super admin: 深圳's unit_b registers
    personally (a person record without unit), 广州示范医院 tries 新增 with her ID number."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == "unit_b"))
        db.session.add(Person(user_id=user.id, name=user.real_name, id_number=user.id_number,
                              sex=sex_from_id(user.id_number)))
        db.session.commit()
        id_number, password = user.id_number, user.password_hash
    before = person(app, id_number=id_number)
    response = _add(login_as("unit_c"), profile(app, "吴海燕", id_number))
    assert SELF_REGISTERED in response.get_data(as_text=True)
    assert _fields(person(app, id_number=id_number)) == _fields(before)
    with app.app_context():
        assert db.session.scalar(select(User.password_hash).where(User.login == "unit_b")) == password


def test_waiting_and_other_units_people_are_not_added_either(app, login_as):
    university = login_as("unit_a", UNIVERSITY)
    waiting = person(app, name="王新")  # chose 广州示范大学, 待单位确认
    html = _add(university, profile(app, "王新", waiting.id_number)).get_data(as_text=True)
    assert WAITING_HERE in html
    assert _fields(person(app, id=waiting.id)) == _fields(waiting)

    chen = person(app, name="陈诗慧")  # confirmed at the university
    html = _add(login_as("unit_c"), profile(app, "陈诗慧", chen.id_number)).get_data(as_text=True)
    assert OTHER_UNIT in html
    assert _fields(person(app, id=chen.id)) == _fields(chen)


def test_a_released_person_without_an_account_is_still_taken_on(app, login_as):
    """The takeover rule stops at accounts: a record nobody holds may be recorded by a new unit."""
    id_number = new_id(403, date(1980, 1, 1))
    with app.app_context():
        db.session.add(Person(name="周五", id_number=id_number, sex=sex_from_id(id_number),
                              binding_status=BindingStatus.RELEASED))
        db.session.commit()
    assert _add(login_as("unit_c"), profile(app, "周五", id_number)).status_code == 302
    taken = person(app, id_number=id_number)
    assert (taken.unit_id, taken.binding_status) == (org_id(app, HOSPITAL), BindingStatus.CONFIRMED)
