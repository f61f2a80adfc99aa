"""A small fixed 韶关市 the report's figures are checked against, written out by hand (docs/statistics.md).

YEAR 2021, 统计时间 2022-06-30. Requirements of 2021: national 90 (专业 ≥ 60); 韶关市 72 = 18 公需 + 42 专业
+ 12 选修; 韶关市 卫生技术人员 90 = 30 + 42 + 18.

| person | unit (region) | series | level | approved 2021 hours (公需/专业/选修) | rule | 年度验证 |
| --- | --- | --- | --- | --- | --- | --- |
| 甲 | 武江单位 (武江区) | 高等学校教师 | 中级 | 18 / 42 / 12 = 72 | 韶关市 | 通过 |
| 乙 | 武江单位 | 卫生技术人员 | 正高级 | 18 / 42 / 12 = 72 | 韶关市卫生 | 不通过 (total < 90) |
| 丙 | 浈江单位 (浈江区) | 高等学校教师 | 初级 | 18 / 42 / 0 (+ 12 选修 已退回) | 韶关市 | 不通过 (选修) |
| 丁 | moved 武江单位 → 浈江单位 | 高等学校教师 | 中级 | 18 / 42 / 12 (+ 2022: 30) | 韶关市 | 通过, counted in 浈江区 |
| 戊 | 浈江单位 | 卫生技术人员 | 副高级 | none | — | not a learner |
| 己 | 浈江单位, 待单位确认 | 高等学校教师 | 中级 | 18 / 42 / 12 | — | not counted (not confirmed) |
| 庚 | 武江单位, recorded 2023 | 高等学校教师 | 中级 | 18 / 42 / 12 | — | not counted (after 统计时间) |
| 辛 | no unit | 高等学校教师 | 初级 | 30 / 60 / 0 = 90 | national | 通过 (in no region) |

Organisations (approved, registered 2020): 武江单位, 浈江单位 (法人单位); 韶关施教机构 in 武江区 (qualified for
卫生技术人员 only); 韶关市教育局 (行业主管部门, 高等学校教师, city level, 韶关市本级); 韶关市人社局 (HR, login
`sg_hr`) and 武江区人社局 (HR, login `wj_hr`); 武江新单位 registered 2023 (after the 统计时间: not counted).
"""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from backoffice.demo import DEMO_PASSWORD
from backoffice.extensions import db
from backoffice.labels import (
    ApplicationStatus, BindingStatus, CourseType, MembershipStatus, OrgKind, RecordSource, RegionLevel, TitleLevel,
)
from backoffice.models import (
    HourRequirement, Membership, Organisation, Person, ProfessionalSeries, Qualification, Record, Region, User,
)
from backoffice.validators import make_citizen_id, make_uscc

YEAR, AS_OF = 2021, date(2022, 6, 30)
CITY, WUJIANG, ZHENJIANG = "440200", "440203", "440204"
REGISTERED = datetime(2020, 1, 1)
PUBLIC, PROFESSIONAL, ELECTIVE = CourseType.PUBLIC, CourseType.PROFESSIONAL, CourseType.ELECTIVE
STANDARD = [(PUBLIC, 18), (PROFESSIONAL, 42), (ELECTIVE, 12)]


def _series(name):
    return db.session.scalar(select(ProfessionalSeries.id).where(ProfessionalSeries.name == name))


def _org(key, name, kind, level, region, seq, series=None, created=REGISTERED):
    org = Organisation(
        kind=kind, name=name, code=make_uscc(f"91440200MC{seq:07d}"), level=level, region_code=region,
        series_id=series, status=ApplicationStatus.APPROVED, active=True, created_at=created,
    )
    db.session.add(org)
    db.session.flush()
    return org


def _person(name, seq, unit, series, level, binding=BindingStatus.CONFIRMED, created=REGISTERED):
    person = Person(
        name=name, sex="男", id_number=make_citizen_id(WUJIANG, date(1980, 1, 1), f"{seq:03d}"),
        unit_id=unit.id if unit else None, binding_status=binding if unit else None, series_id=series,
        title_level=level, created_at=created,
    )
    db.session.add(person)
    db.session.flush()
    return person


def _records(person, hours, year=YEAR, status=ApplicationStatus.APPROVED, month=3, by=None):
    for n, (kind, amount) in enumerate(hours):
        start = date(year, month, 1 + n)
        db.session.add(Record(
            person_id=person.id, course_type=kind, course_name=f"{person.name}的课程{n}", start_on=start,
            end_on=start, declared_hours=Decimal(amount),
            approved_hours=Decimal(amount) if status == ApplicationStatus.APPROVED else None,
            year=year, source=RecordSource.UNIT, status=status, declared_by_org_id=by,
        ))


def add_hr(login: str, name: str, region: str, level: str, seq: int) -> None:
    """An HR bureau of `region` with a super-admin account `login` (password: the demo's)."""
    org = _org(login, name, OrgKind.HR, level, region, seq)
    user = User(login=login, real_name=f"{name}经办人", id_type="resident_id",
                id_number=make_citizen_id(CITY, date(1985, 1, 1), f"{seq + 900:03d}"), mobile="13800009998",
                email=f"{login}@example.cn", real_name_verified=True)
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, org_id=org.id, status=MembershipStatus.ACTIVE, is_super_admin=True))


def build(app) -> dict:
    """Build the dataset inside the test's transaction; returns the people and organisations by key."""
    with app.app_context():
        teachers, health = _series("高等学校教师"), _series("卫生技术人员")
        db.session.add_all([
            Region(code=CITY, name="韶关市", level=RegionLevel.CITY, parent_code="440000", sort=50),
            Region(code=WUJIANG, name="武江区", level=RegionLevel.COUNTY, parent_code=CITY, sort=1),
            Region(code=ZHENJIANG, name="浈江区", level=RegionLevel.COUNTY, parent_code=CITY, sort=2),
        ])
        db.session.flush()
        db.session.add_all([
            HourRequirement(year=YEAR, total_hours=90, min_professional_hours=60, min_public_hours=0,
                            min_elective_hours=0, entry_deadline=date(YEAR + 1, 1, 31)),
            HourRequirement(year=YEAR, region_code=CITY, total_hours=72, min_public_hours=18,
                            min_professional_hours=42, min_elective_hours=12, entry_deadline=date(YEAR + 1, 1, 31)),
            HourRequirement(year=YEAR, region_code=CITY, series_id=health, total_hours=90, min_public_hours=30,
                            min_professional_hours=42, min_elective_hours=18, entry_deadline=date(YEAR + 1, 1, 31)),
        ])
        add_hr("sg_hr", "韶关市人社局", CITY, RegionLevel.CITY, 1)
        add_hr("wj_hr", "武江区人社局", WUJIANG, RegionLevel.COUNTY, 7)
        wujiang = _org("u1", "武江单位", OrgKind.UNIT, RegionLevel.COUNTY, WUJIANG, 2)
        zhenjiang = _org("u2", "浈江单位", OrgKind.UNIT, RegionLevel.COUNTY, ZHENJIANG, 3)
        institution = _org("inst", "韶关施教机构", OrgKind.INSTITUTION, RegionLevel.COUNTY, WUJIANG, 4)
        bureau = _org("ind", "韶关市教育局", OrgKind.INDUSTRY, RegionLevel.CITY, CITY, 5, series=teachers)
        _org("late", "武江新单位", OrgKind.UNIT, RegionLevel.COUNTY, WUJIANG, 6, created=datetime(2023, 1, 1))
        db.session.add(Qualification(institution_id=institution.id, series_id=health,
                                     status=ApplicationStatus.APPROVED))
        people = {
            "甲": _person("甲", 11, wujiang, teachers, TitleLevel.MIDDLE),
            "乙": _person("乙", 13, wujiang, health, TitleLevel.SENIOR),
            "丙": _person("丙", 15, zhenjiang, teachers, TitleLevel.JUNIOR),
            "丁": _person("丁", 17, zhenjiang, teachers, TitleLevel.MIDDLE),
            "戊": _person("戊", 19, zhenjiang, health, TitleLevel.VICE_SENIOR),
            "己": _person("己", 21, zhenjiang, teachers, TitleLevel.MIDDLE, binding=BindingStatus.PENDING),
            "庚": _person("庚", 23, wujiang, teachers, TitleLevel.MIDDLE, created=datetime(2023, 1, 1)),
            "辛": _person("辛", 25, None, teachers, TitleLevel.JUNIOR),
        }
        for name in ("甲", "乙", "己", "庚"):
            _records(people[name], STANDARD)
        _records(people["丁"], STANDARD, by=wujiang.id)  # declared by 武江单位 before 丁 moved to 浈江单位
        _records(people["丙"], STANDARD[:2])
        _records(people["丙"], [(ELECTIVE, 12)], status=ApplicationStatus.RETURNED, month=9)
        _records(people["丁"], [(PROFESSIONAL, 30)], year=YEAR + 1)
        _records(people["辛"], [(PUBLIC, 30), (PROFESSIONAL, 60)])
        db.session.commit()
        return {
            "people": {name: p.id for name, p in people.items()},
            "units": {"武江单位": wujiang.id, "浈江单位": zhenjiang.id},
            "bureau": bureau.id,
        }
