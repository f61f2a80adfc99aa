"""Shared steps of the legacy-data tests: the demo's old units and who they belong to."""
from sqlalchemy import select

from backoffice.demo_legacy import OLD_GZ, OUTSIDERS
from backoffice.extensions import db
from backoffice.models import LegacyPerson, LegacyUnit, Organisation, Person

BIND = "/admin/legacy_bind/"
RECORDS = "/admin/legacy_records/"
CERTIFICATES = "/admin/legacy_certificates/"
UNIT_A, UNIT_C = "广州示范大学", "广州示范医院"


def old_unit(app, code=OLD_GZ[0]):
    with app.app_context():
        return db.session.scalar(select(LegacyUnit).where(LegacyUnit.code == code))


def old_people(app, code=OLD_GZ[0]) -> list[LegacyPerson]:
    with app.app_context():
        unit = db.session.scalar(select(LegacyUnit).where(LegacyUnit.code == code))
        return list(db.session.scalars(
            select(LegacyPerson).where(LegacyPerson.legacy_unit_id == unit.id).order_by(LegacyPerson.id)
        ))


def org_id(app, name):
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name == name))


def person(app, name):
    with app.app_context():
        return db.session.scalar(select(Person).where(Person.name == name))


def scheme_one(client, name=OLD_GZ[1], code=OLD_GZ[0], **kwargs):
    return client.post(f"{BIND}scheme-one/", {"old_name": name, "old_code": code}, token_page=BIND, **kwargs)


def scheme_two(client, people, **kwargs):
    data = {}
    for n, (name, number) in enumerate(people, start=1):
        data[f"name{n}"], data[f"id{n}"] = name, number
    return client.post(f"{BIND}scheme-two/", data, token_page=BIND, **kwargs)


def outsiders(app):
    """The three old people of 广州示范学院 who are in no current unit (方案二's answer)."""
    names = {name for name, _, _ in OUTSIDERS}
    return [(p.name, p.id_number) for p in old_people(app) if p.name in names]
