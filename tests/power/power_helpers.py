"""Helpers for the account-power stories (issue 15): read accounts back, give a demo account a person
record, click 重置密码 on each screen the way its user does."""
import re
from datetime import date

from sqlalchemy import select

from backoffice.demo import DEMO_PASSWORD
from backoffice.extensions import db
from backoffice.labels import BindingStatus, SystemRole
from backoffice.models import Membership, Organisation, Person, User
from backoffice.models.base import utcnow
from backoffice.validators import birth_date_from_id, make_citizen_id, sex_from_id
from pages import act, flashes  # noqa: F401  (re-exported to the tests)

UNIVERSITY = "广州示范大学"
HOSPITAL = "广州示范医院"
SHENZHEN = "深圳示范科技有限公司"
TEMPORARY_RE = re.compile(r'(?:id|class)="temporary-password">([^<]+)<')


def account(app, login: str) -> User:
    """The account as stored now (detached)."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == login))
        db.session.expunge(user)
        return user


def unchanged(app, before: User) -> bool:
    """The account was not reset: same password, no forced change, nothing to tell the owner."""
    now = account(app, before.login)
    return (
        now.password_hash == before.password_hash
        and now.must_change_password == before.must_change_password
        and now.password_reset_at is None
    )


def org_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name == name))


def membership_id(app, login: str, org_name: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Membership.id)
            .join(User, User.id == Membership.user_id)
            .join(Organisation, Organisation.id == Membership.org_id)
            .where(User.login == login, Organisation.name == org_name)
        )


def person_id(app, login: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Person.id).join(User, User.id == Person.user_id).where(User.login == login))


def give_person(app, login: str, unit_name: str | None = None, binding: str | None = None) -> int:
    """Give a demo operator account its own person record (as registering with an ID card does), bound
    to `unit_name` in state `binding` (None: no unit). Returns the person id."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == login))
        unit = db.session.scalar(select(Organisation.id).where(Organisation.name == unit_name)) if unit_name else None
        person = Person(
            user_id=user.id, name=user.real_name, id_number=user.id_number, sex=sex_from_id(user.id_number),
            birth_date=birth_date_from_id(user.id_number), unit_id=unit, binding_status=binding,
            confirmed_at=utcnow() if binding == BindingStatus.CONFIRMED else None,
        )
        db.session.add(person)
        db.session.commit()
        return person.id


def add_helpdesk(app, login: str = "helpdesk2") -> None:
    """A second 运维 / 客服 account."""
    with app.app_context():
        user = User(
            login=login, real_name="客服小李", system_role=SystemRole.HELPDESK, id_type="resident_id",
            id_number=make_citizen_id("440106", date(1992, 2, 2), "182"), real_name_verified=True,
        )
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.commit()


# ---- the three reset screens -------------------------------------------------------------------


def helpdesk_reset(client, user_id: int, reason: str = "本人来电，已核实身份"):
    """运维 → 账号查询 → details → 重置密码 (the reason page answers itself)."""
    return client.post(
        f"/admin/accounts/reset/?id={user_id}", {"reason": reason}, token_page=f"/admin/accounts/details/?id={user_id}"
    )


def query_reset(client, person_id: int, reason: str = "本人来电，已核实身份", token_page: str | None = None):
    """专业技术人员信息查询 → details → 重置密码 (`token_page` for a person whose details are not found)."""
    return client.post(
        f"/admin/person_query/reset/?id={person_id}", {"reason": reason},
        token_page=token_page or f"/admin/person_query/details/?id={person_id}",
    )


def member_reset(client, membership_id: int):
    """单位经办人员 → tick the member → 重置密码 (not following the answer)."""
    return act(client, "org_members", "reset_password", [membership_id], follow=False)


def temporary(response) -> str:
    match = TEMPORARY_RE.search(response.get_data(as_text=True))
    assert match, "no temporary password on the page"
    return match.group(1)


# ---- bindings -----------------------------------------------------------------------------------


def invite(client, login: str, id_number: str):
    """单位经办人员 → 新增经办人."""
    return client.post(
        "/admin/org_members/invite/", {"login": login, "id_number": id_number}, token_page="/admin/org_members/invite/"
    )


def accept(client, membership_id: int):
    """我经办的单位账号 → 通过申请."""
    return client.post("/me/bindings", {"membership_id": membership_id, "decision": "accept"}, token_page="/me/bindings")
