"""Helpers for the 人员调转 stories: look rows up, click what the manual clicks."""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Organisation, Person, Transfer
from pages import act, flashes  # noqa: F401  (re-exported to the tests)

UNIVERSITY = "广州示范大学"
SHENZHEN = "深圳示范科技有限公司"
HOSPITAL = "广州示范医院"


def org_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name == name))


def person(app, name: str) -> Person:
    with app.app_context():
        return db.session.scalar(select(Person).where(Person.name == name))


def transfers_of(app, name: str) -> list[Transfer]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Transfer).join(Person, Transfer.person_id == Person.id)
                .where(Person.name == name).order_by(Transfer.id)
            )
        )




def transfer_out(client, person_id, to_unit_id, reason="工作调动"):
    """新增调出 → 选择 the person → choose 调入单位, write 调出说明 → 发出调出请求."""
    page = f"/admin/transfer_out/request/?person_id={person_id}"
    return client.post(
        page,
        {"person_id": str(person_id), "to_unit": str(to_unit_id), "reason": reason},
        token_page="/admin/transfer_out/request/",
        follow_redirects=True,
    )


def decide(client, transfer_id, decision, opinion="", follow=True):
    """确认调入 / 拒绝调入 on the 人员调入 details page (`follow=False` to judge a refusal)."""
    return client.post(
        f"/admin/transfer_in/decide/?id={transfer_id}",
        {"decision": decision, "opinion": opinion},
        token_page="/admin/transfer_in/",
        follow_redirects=follow,
    )


def cancel(client, transfer_id, follow=True):
    return client.post(
        f"/admin/transfer_out/cancel/?id={transfer_id}",
        {},
        token_page="/admin/transfer_out/",
        follow_redirects=follow,
    )




def send(app, client, name: str, to_unit_name: str) -> Transfer:
    """调出 the named person to the named unit through the screens; returns the new pending transfer."""
    response = transfer_out(client, person(app, name).id, org_id(app, to_unit_name))
    assert "发出" in flashes(response.get_data(as_text=True)), flashes(response.get_data(as_text=True))
    return transfers_of(app, name)[-1]


def reload(app, transfer_id: int) -> Transfer:
    with app.app_context():
        return db.session.get(Transfer, transfer_id)


def add_transfers(app, from_name: str, to_name: str, people: list[str]) -> None:
    """Pending transfers written straight to the database, for volume tests."""
    with app.app_context():
        source, target = org_id(app, from_name), org_id(app, to_name)
        for name in people:
            pid = db.session.scalar(select(Person.id).where(Person.name == name))
            db.session.add(Transfer(person_id=pid, from_unit_id=source, to_unit_id=target, status="pending"))
        db.session.commit()
