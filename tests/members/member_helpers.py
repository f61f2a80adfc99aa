"""Helpers for the 单位经办人员 / 角色管理 / 内设部门 stories: look rows up, click what the manual clicks."""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Membership, Organisation, OrgRole, User
from pages import act, flashes  # noqa: F401  (re-exported to the tests)

SHENZHEN = "深圳示范科技有限公司"
UNIVERSITY = "广州示范大学"
HOSPITAL = "广州示范医院"


def org_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name == name))


def user_of(app, login: str) -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.login == login))


def membership(app, login: str, org_name: str) -> Membership | None:
    with app.app_context():
        return db.session.scalar(
            select(Membership)
            .join(User, Membership.user_id == User.id)
            .join(Organisation, Membership.org_id == Organisation.id)
            .where(User.login == login, Organisation.name == org_name)
        )


def role_id(app, org_name: str, name: str) -> int | None:
    with app.app_context():
        return db.session.scalar(
            select(OrgRole.id).join(Organisation, OrgRole.org_id == Organisation.id).where(
                Organisation.name == org_name, OrgRole.name == name
            )
        )




def invite(client, login: str, id_number: str):
    return client.post(
        "/admin/org_members/invite/",
        {"login": login, "id_number": id_number},
        token_page="/admin/org_members/invite/",
    )




def answer_binding(client, membership_id: int, decision: str, token_page: str = "/me/bindings", follow=True):
    """通过申请 / 拒绝 on 我经办的单位账号 (a stale page's token comes from elsewhere; `follow=False`
    to judge a refusal by its own status)."""
    return client.post(
        "/me/bindings",
        {"membership_id": membership_id, "decision": decision},
        token_page=token_page,
        follow_redirects=follow,
    )


def create_role(client, name: str, modules: list[str]):
    return client.post(
        "/admin/org_roles/new/",
        {"name": name, "modules": modules},
        token_page="/admin/org_roles/new/",
        follow_redirects=True,
    )


def assign_roles(client, membership_id: int, role_ids: list[int]):
    return client.post(
        f"/admin/org_members/edit/?id={membership_id}",
        {"roles": [str(r) for r in role_ids]},
        token_page=f"/admin/org_members/edit/?id={membership_id}",
        follow_redirects=True,
    )
