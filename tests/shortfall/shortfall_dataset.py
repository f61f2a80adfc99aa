"""A small fixed 清远市 for 学时预警 (docs/statistics.md 学时预警), written out by hand, in THIS year (Beijing).

Requirements of the year: the demo's national 90 (专业 ≥ 60); 清远市 72 = 18 公需 + 42 专业 + 12 选修, entry
deadline 31 January of the next year.

| person | unit now | 部门 | level | approved hours this year (公需/专业/选修) | short? missing (公需/专业/选修/总) |
| --- | --- | --- | --- | --- | --- |
| 甲 (login qy_jia) | 清城单位 | 教务处 | 中级 | 18 / 42 / 12 = 72 | met |
| 乙 (login qy_yi) | 清城单位 | 教务处 | 初级 | 18 / 30 / 12 = 60 | 0 / 12 / 0 / 12 |
| 丙 | 清城单位 | 科研处 | 副高级 | none at all | 18 / 42 / 12 / 72 |
| 丁 | 清城单位 | — | 正高级 | 18 / 42 / 0 (+ 12 选修 已退回) | 0 / 0 / 12 / 12 |
| 戊 | moved 清城单位 → 清新单位 | — | 中级 | 18 / 42 / 12, declared by 清城单位 | met, at 清新单位 |
| 己 | moved 清城单位 → 清新单位 | — | 中级 | 18 / 42 / 0, declared by 清城单位 | 0 / 0 / 12 / 12, at 清新单位 |
| 庚 | 清城单位, 待单位确认 | — | 中级 | none | not counted (not confirmed) |
| 辛 | 清城单位 | 教务处 | 中级 | 18 / 42 / 12 of LAST year | 18 / 42 / 12 / 72 (last year does not count) |

So 清城单位: 5 confirmed (甲 乙 丙 丁 辛), 4 short (乙 丙 丁 辛); 清新单位: 2 confirmed, 1 short (己).
Accounts: qy_hr (清远市人社局), qy_unit (清城单位's super admin), qy_jia and qy_yi (the people 甲, 乙).
"""
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from backoffice.demo import DEMO_PASSWORD
from backoffice.extensions import db
from backoffice.labels import (
    ApplicationStatus, BindingStatus, CourseType, MembershipStatus, OrgKind, RecordSource, RegionLevel, TitleLevel,
)
from backoffice.models import Department, HourRequirement, Membership, Organisation, Person, Record, Region, User
from backoffice.clock import beijing_today
from backoffice.validators import make_citizen_id, make_uscc

CITY, QINGCHENG, QINGXIN = "441800", "441802", "441803"
PUBLIC, PROFESSIONAL, ELECTIVE = CourseType.PUBLIC, CourseType.PROFESSIONAL, CourseType.ELECTIVE
FULL = [(PUBLIC, 18), (PROFESSIONAL, 42), (ELECTIVE, 12)]


def year() -> int:
    return beijing_today().year


def _region(code, name, level, parent, sort):
    if db.session.get(Region, code) is None:
        db.session.add(Region(code=code, name=name, level=level, parent_code=parent, sort=sort))
        db.session.flush()


def _org(name, kind, level, region, seq):
    org = Organisation(
        kind=kind, name=name, code=make_uscc(f"91441800YJ{seq:07d}"), level=level, region_code=region,
        status=ApplicationStatus.APPROVED, active=True,
    )
    db.session.add(org)
    db.session.flush()
    return org


def _user(login, real_name, seq):
    user = User(login=login, real_name=real_name, id_type="resident_id",
                id_number=make_citizen_id(QINGCHENG, date(1985, 1, 1), f"{seq:03d}"), mobile="13800009997",
                email=f"{login}@example.cn", real_name_verified=True)
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)
    db.session.flush()
    return user


def _manager(login, org, seq):
    user = _user(login, f"{org.name}经办人", seq)
    db.session.add(Membership(user_id=user.id, org_id=org.id, status=MembershipStatus.ACTIVE, is_super_admin=True))


def person(name, seq, unit, level, department=None, binding=BindingStatus.CONFIRMED):
    found = Person(
        name=name, sex="男", id_number=make_citizen_id(QINGCHENG, date(1980, 1, 1), f"{seq:03d}"),
        unit_id=unit.id, binding_status=binding, title_level=level,
        department_id=department.id if department else None,
    )
    db.session.add(found)
    db.session.flush()
    return found


def records(who, hours, *, in_year=None, status=ApplicationStatus.APPROVED, month=1, by=None):
    for n, (kind, amount) in enumerate(hours):
        start = date(in_year or year(), month, 1 + n)
        db.session.add(Record(
            person_id=who.id, course_type=kind, course_name=f"{who.name}的课程{month}-{n}", start_on=start,
            end_on=start, declared_hours=Decimal(amount),
            approved_hours=Decimal(amount) if status == ApplicationStatus.APPROVED else None,
            year=in_year or year(), source=RecordSource.UNIT, status=status, declared_by_org_id=by,
        ))


def build(app) -> dict:
    """Build inside the test's transaction; returns ids by key."""
    this = year()
    with app.app_context():
        _region("440000", "广东省", RegionLevel.PROVINCE, None, 1)
        _region(CITY, "清远市", RegionLevel.CITY, "440000", 60)
        _region(QINGCHENG, "清城区", RegionLevel.COUNTY, CITY, 1)
        _region(QINGXIN, "清新区", RegionLevel.COUNTY, CITY, 2)
        db.session.add(HourRequirement(
            year=this, region_code=CITY, total_hours=72, min_public_hours=18, min_professional_hours=42,
            min_elective_hours=12, entry_deadline=date(this + 1, 1, 31),
        ))
        hr = _org("清远市人社局", OrgKind.HR, RegionLevel.CITY, CITY, 1)
        qingcheng = _org("清城单位", OrgKind.UNIT, RegionLevel.COUNTY, QINGCHENG, 2)
        qingxin = _org("清新单位", OrgKind.UNIT, RegionLevel.COUNTY, QINGXIN, 3)
        _manager("qy_hr", hr, 901)
        _manager("qy_unit", qingcheng, 903)
        academic = Department(org_id=qingcheng.id, name="教务处", sort=1)
        research = Department(org_id=qingcheng.id, name="科研处", sort=2)
        elsewhere = Department(org_id=qingxin.id, name="办公室", sort=1)
        db.session.add_all([academic, research, elsewhere])
        db.session.flush()
        people = {
            "甲": person("甲", 11, qingcheng, TitleLevel.MIDDLE, academic),
            "乙": person("乙", 13, qingcheng, TitleLevel.JUNIOR, academic),
            "丙": person("丙", 15, qingcheng, TitleLevel.VICE_SENIOR, research),
            "丁": person("丁", 17, qingcheng, TitleLevel.SENIOR),
            "戊": person("戊", 19, qingxin, TitleLevel.MIDDLE),
            "己": person("己", 21, qingxin, TitleLevel.MIDDLE),
            "庚": person("庚", 23, qingcheng, TitleLevel.MIDDLE, binding=BindingStatus.PENDING),
            "辛": person("辛", 25, qingcheng, TitleLevel.MIDDLE, academic),
        }
        records(people["甲"], FULL)
        records(people["乙"], [(PUBLIC, 18), (PROFESSIONAL, 30), (ELECTIVE, 12)])
        records(people["丁"], FULL[:2])
        records(people["丁"], [(ELECTIVE, 12)], status=ApplicationStatus.RETURNED, month=9)
        records(people["戊"], FULL, by=qingcheng.id)  # declared by 清城单位 before 戊 moved
        records(people["己"], FULL[:2], by=qingcheng.id)
        records(people["辛"], FULL, in_year=this - 1)
        for key, login, seq in (("甲", "qy_jia", 905), ("乙", "qy_yi", 907)):
            people[key].user_id = _user(login, key, seq).id
        db.session.commit()
        return {
            "people": {name: p.id for name, p in people.items()},
            "units": {"清城单位": qingcheng.id, "清新单位": qingxin.id},
            "departments": {"教务处": academic.id, "科研处": research.id, "办公室": elsewhere.id},
        }


def add_short_person(app, unit_id: int, seq: int) -> None:
    """One more confirmed person without records at the unit (the query-count tests)."""
    with app.app_context():
        unit = db.session.get(Organisation, unit_id)
        person(f"补{seq}", seq, unit, TitleLevel.JUNIOR)
        db.session.commit()


def add_unit(app, seq: int) -> None:
    """One more unit of 清远市 with a confirmed short person (the query-count tests)."""
    with app.app_context():
        unit = _org(f"新单位{seq}", OrgKind.UNIT, RegionLevel.COUNTY, QINGXIN, seq)
        person(f"新人{seq}", seq, unit, TitleLevel.JUNIOR)
        db.session.commit()


def find(name: str):
    return db.session.scalar(select(Person).where(Person.name == name))
