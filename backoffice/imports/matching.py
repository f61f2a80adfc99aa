"""How an import finds the people its rows name: ONE rule for every sheet of a unit.

A row names a person by 公民身份号码 (the key, normalised: upper-case X) and 姓名. The person import
(`imports/persons.py`) and the record import (`imports/records.py`) both look people up here and both
refuse a row whose 姓名 differs from a person whose name is fixed (confirmed once, or owning an
account). The record import further wants the person confirmed at the importing unit.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import select

from ..extensions import db
from ..labels import BindingStatus
from ..models import Person
from ..validators import normalize_citizen_id

LOOKUP_CHUNK = 1000  # IN lists stay well under every database's parameter limit

NAME_LOCKED = "姓名与系统中该公民身份号码登记的姓名不一致（已确认人员的姓名不能通过导入修改）"
NOT_CONFIRMED_HERE = "该公民身份号码不是本单位已确认的专业技术人员"


def by_id_number(id_numbers: Iterable[str]) -> dict[str, Person]:
    """公民身份号码 (normalised) → the Person holding it, for every number that has one."""
    found: dict[str, Person] = {}
    wanted = sorted({normalize_citizen_id(n) for n in id_numbers if n})
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start:start + LOOKUP_CHUNK]
        for person in db.session.scalars(select(Person).where(Person.id_number.in_(chunk))):
            found[person.id_number] = person
    return found


def name_fixed(person: Person) -> bool:
    return (
        person.confirmed_at is not None
        or person.binding_status == BindingStatus.CONFIRMED
        or person.user_id is not None
    )


def name_refusal(person: Person, name: str | None) -> str | None:
    """The row's 姓名 against the stored one, where the stored one is fixed."""
    if name is not None and name_fixed(person) and name != person.name:
        return NAME_LOCKED
    return None


def member_refusal(person: Person | None, name: str | None, unit_id: int) -> str | None:
    """None when the row names a person confirmed at this unit, by both 公民身份号码 and 姓名."""
    if person is None or person.unit_id != unit_id or person.binding_status != BindingStatus.CONFIRMED:
        return NOT_CONFIRMED_HERE
    return name_refusal(person, name)
