"""Demo 旧系统数据 (issue 11 items 9 and 12), called by `demo.seed_demo`: one old unit that 广州示范大学 can
bind by 方案一 (its old name 广州示范学院 and old code differ from today's, so 绑定历史学员 alone finds
nothing), with old people — some of them today's people of 广州示范大学 by ID number, 陈诗慧 among them,
some not in the new system at all — and their records (≤2017) and certificates. Nothing is bound: binding
is the demo's work to do. A second old unit is already bound to 深圳示范科技有限公司, so its HR and people
have history to read. Idempotent on the natural keys."""
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from .extensions import db
from .labels import BindingStatus, CourseType
from .models import LegacyCertificate, LegacyPerson, LegacyRecord, LegacyUnit, Organisation, Person
from .models.base import utcnow
from .validators import make_citizen_id

#: 方案一's answer for 广州示范大学 (docs/legacy.md)
OLD_GZ = ("4401061998001", "广州示范学院")
OLD_SZ = ("4403052001007", "深圳示范科技公司")
OUTSIDERS = [("郑国栋", date(1968, 3, 12), "311"), ("冯晓梅", date(1972, 9, 30), "322"),
             ("韩志强", date(1965, 6, 5), "333")]
COURSES = [
    (CourseType.PUBLIC, "专业技术人员职业道德", Decimal("12")),
    (CourseType.PROFESSIONAL, "高等教育教学方法研究", Decimal("48")),
    (CourseType.ELECTIVE, "信息技术应用", Decimal("12")),
]


def _get_or_create(model, keys: dict, **values):
    row = db.session.scalar(select(model).filter_by(**keys))
    if row is None:
        row = model(**keys, **values)
        db.session.add(row)
        db.session.flush()
    return row


def _history(old: LegacyPerson, years: range) -> None:
    for year in years:
        for course_type, name, hours in COURSES:
            _get_or_create(LegacyRecord, {"legacy_person_id": old.id, "year": year, "course_type": course_type,
                                          "course_name": name},
                           hours=hours, institution_name="广东示范继续教育学院")
        _get_or_create(LegacyCertificate, {"number": f"{year}{old.id_number[2:17]}"},
                       legacy_person_id=old.id, year=year, hours=sum(h for _, _, h in COURSES))


def seed_legacy(orgs: dict[str, Organisation]) -> None:
    unit_a = orgs["unit_a"]
    old_gz = _get_or_create(LegacyUnit, {"code": OLD_GZ[0]}, name=OLD_GZ[1])
    today = db.session.scalars(
        select(Person).where(Person.unit_id == unit_a.id, Person.binding_status == BindingStatus.CONFIRMED)
        .order_by((Person.name == "陈诗慧").desc(), Person.id).limit(3)
    ).all()
    people = [(p.name, p.id_number) for p in today]
    people += [(name, make_citizen_id("440106", birth, seq)) for name, birth, seq in OUTSIDERS]
    for name, id_number in people:
        old = _get_or_create(LegacyPerson, {"id_number": id_number}, name=name, legacy_unit_id=old_gz.id)
        _history(old, range(2015, 2018))

    unit_b = orgs["unit_b"]
    old_sz = _get_or_create(LegacyUnit, {"code": OLD_SZ[0]}, name=OLD_SZ[1])
    if old_sz.bound_unit_id is None:
        old_sz.bound_unit_id, old_sz.bound_at = unit_b.id, utcnow()
    for person in db.session.scalars(
        select(Person).where(Person.unit_id == unit_b.id, Person.binding_status == BindingStatus.CONFIRMED)
        .order_by(Person.id).limit(2)
    ):
        old = _get_or_create(LegacyPerson, {"id_number": person.id_number}, name=person.name,
                             legacy_unit_id=old_sz.id, person_id=person.id)
        _history(old, range(2016, 2018))
    db.session.flush()
