"""周期验证 (issue 11 item 5) through HTTP: the years held in the current title — the whole years after the
year the title was obtained, up to last year, at most the latest five — each against its 学时要求, and
one verdict; on the person's 年度完成情况 and on 专业技术人员信息查询's details for the unit and HR.

A small 韶关市 written out by hand (its requirement, every year: 72 = 18 公需 + 42 专业 + 12 选修):

| person | 取得资格时间 | years counted | approved hours (公需/专业/选修) | 周期验证 |
| --- | --- | --- | --- | --- |
| 周甲 (login sg_zhou) | 1 July, Y−4 | Y−3, Y−2, Y−1 | 18/42/12, 18/30/12 (专业 short: 不通过), 18/42/12 | 不通过 |
| 吴乙 | 1 March, Y−8 | Y−5 … Y−1 (not Y−7, Y−6) | 18/42/12 in each of Y−5 … Y−1, nothing in Y−7, Y−6 | 通过 |
| 郑丙 | — | none | — | 未填写取得资格时间 |
"""
from datetime import date
from decimal import Decimal

from backoffice.clock import beijing_today
from backoffice.demo import DEMO_PASSWORD
from backoffice.extensions import db
from backoffice.hours import annual_verification, cycle_verification, cycle_years
from backoffice.labels import (
    ApplicationStatus, BindingStatus, CourseType, MembershipStatus, OrgKind, RecordSource, RegionLevel, TitleLevel,
)
from backoffice.models import HourRequirement, Membership, Organisation, Person, Record, Region, User
from backoffice.validators import make_citizen_id, make_uscc

CITY, COUNTY = "440200", "440203"
Y = beijing_today().year
FULL = [(CourseType.PUBLIC, 18), (CourseType.PROFESSIONAL, 42), (CourseType.ELECTIVE, 12)]
SHORT = [(CourseType.PUBLIC, 18), (CourseType.PROFESSIONAL, 30), (CourseType.ELECTIVE, 12)]
YEARS = "/admin/record_years/"
DETAILS = "/admin/person_query/details/?id={}"


def _user(login: str, name: str, seq: int) -> User:
    user = User(login=login, real_name=name, id_type="resident_id",
                id_number=make_citizen_id(COUNTY, date(1986, 2, 2), f"{seq:03d}"), mobile="13800009996",
                email=f"{login}@example.cn", real_name_verified=True)
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)
    db.session.flush()
    return user


def _person(name: str, seq: int, unit: Organisation, title_on: date | None) -> Person:
    found = Person(name=name, sex="女", id_number=make_citizen_id(COUNTY, date(1980, 2, 2), f"{seq:03d}"),
                   unit_id=unit.id, binding_status=BindingStatus.CONFIRMED, title_level=TitleLevel.MIDDLE,
                   title="讲师", title_obtained_on=title_on)
    db.session.add(found)
    db.session.flush()
    return found


def _records(who: Person, year: int, hours) -> None:
    for n, (kind, amount) in enumerate(hours):
        start = date(year, 3, 1 + n)
        db.session.add(Record(
            person_id=who.id, course_type=kind, course_name=f"{who.name}{year}课程{n}", start_on=start, end_on=start,
            declared_hours=Decimal(amount), approved_hours=Decimal(amount), year=year, source=RecordSource.UNIT,
            status=ApplicationStatus.APPROVED,
        ))


def _build(app) -> dict:
    with app.app_context():
        for code, name, level, parent in (("440000", "广东省", RegionLevel.PROVINCE, None),
                                          (CITY, "韶关市", RegionLevel.CITY, "440000"),
                                          (COUNTY, "武江区", RegionLevel.COUNTY, CITY)):
            if db.session.get(Region, code) is None:
                db.session.add(Region(code=code, name=name, level=level, parent_code=parent, sort=1))
                db.session.flush()
        for year in range(Y - 8, Y + 1):
            db.session.add(HourRequirement(year=year, region_code=CITY, total_hours=72, min_public_hours=18,
                                           min_professional_hours=42, min_elective_hours=12,
                                           entry_deadline=date(year + 1, 1, 31)))
        unit = Organisation(kind=OrgKind.UNIT, name="韶关示范学院", code=make_uscc("91440200GK0000001"),
                            level=RegionLevel.COUNTY, region_code=COUNTY, status=ApplicationStatus.APPROVED,
                            active=True)
        db.session.add(unit)
        db.session.flush()
        manager = _user("sg_unit", "韶关示范学院经办人", 901)
        db.session.add(Membership(user_id=manager.id, org_id=unit.id, status=MembershipStatus.ACTIVE,
                                  is_super_admin=True))
        zhou = _person("周甲", 11, unit, date(Y - 4, 7, 1))
        zhou.user_id = _user("sg_zhou", "周甲", 903).id
        for year, hours in ((Y - 3, FULL), (Y - 2, SHORT), (Y - 1, FULL)):
            _records(zhou, year, hours)
        wu = _person("吴乙", 13, unit, date(Y - 8, 3, 1))
        for year in range(Y - 5, Y):
            _records(wu, year, FULL)
        zheng = _person("郑丙", 15, unit, None)
        db.session.commit()
        return {"周甲": zhou.id, "吴乙": wu.id, "郑丙": zheng.id}


def _cycle(html: str) -> str:
    return html.split('<div id="cycle">', 1)[1].split("</div>", 1)[0]


def _verdicts(html: str) -> dict[int, str]:
    part = _cycle(html)
    rows = part.split('data-cycle-year="')[1:]
    return {int(r.split('"', 1)[0]): r.split('<td class="verdict">', 1)[1].split("<", 1)[0] for r in rows}


def test_the_years_counted_are_the_whole_years_in_the_title_at_most_five():
    today = date(2026, 12, 1)
    assert cycle_years(None, today) == []
    assert cycle_years(date(2026, 3, 1), today) == []
    assert cycle_years(date(2025, 1, 1), today) == []  # 2025 was partly under the title before
    assert cycle_years(date(2022, 7, 1), today) == [2025, 2024, 2023]
    assert cycle_years(date(2018, 3, 1), today) == [2025, 2024, 2023, 2022, 2021]


def test_one_failed_year_fails_the_cycle_on_the_persons_page(app, login_as):
    ids = _build(app)
    html = login_as("sg_zhou").get(YEARS).get_data(as_text=True)
    assert _verdicts(html) == {Y - 1: "通过", Y - 2: "不通过", Y - 3: "通过"}
    assert "周期验证：<strong>不通过</strong>" in _cycle(html)
    row = _cycle(html).split(f'data-cycle-year="{Y - 2}"', 1)[1].split("</tr>", 1)[0]
    assert "<td>30.0（42.0）</td>" in row or "<td>30（42）</td>" in row, row
    with app.app_context():  # the same figures straight from hours.py
        rows, passed = cycle_verification(ids["周甲"], [Y - 1, Y - 2, Y - 3])
        assert passed == 0
        assert [(r["year"], r["passed"], r["professional_hours"]) for r in rows] == [
            (Y - 1, 1, 42), (Y - 2, 0, 30), (Y - 3, 1, 42)]
        # one person's own requirement lookup (few=True) agrees with the mass join of every pair
        for year in (Y - 1, Y - 2, Y - 3):
            one, every = (dict(db.session.execute(annual_verification([ids["周甲"]], year, few=few)).mappings().one())
                          for few in (True, False))
            assert one == every and one["requirement_id"] is not None


def test_seven_years_in_title_count_only_the_latest_five_for_unit_and_hr(app, login_as):
    ids = _build(app)
    for who in (login_as("sg_unit"), login_as("gd_hr")):
        html = who.get(DETAILS.format(ids["吴乙"]))
        assert html.status_code == 200
        page = html.get_data(as_text=True)
        assert _verdicts(page) == {year: "通过" for year in range(Y - 5, Y)}
        assert "周期验证：<strong>通过</strong>" in _cycle(page)
        assert f"{Y - 5}年至{Y - 1}年" in _cycle(page)
    zhou = login_as("sg_unit").get(DETAILS.format(ids["周甲"])).get_data(as_text=True)
    assert "周期验证：<strong>不通过</strong>" in _cycle(zhou)
    none = login_as("sg_unit").get(DETAILS.format(ids["郑丙"])).get_data(as_text=True)
    assert "未填写取得资格时间" in _cycle(none)
    # another unit never sees the person
    assert login_as("unit_b").get(DETAILS.format(ids["吴乙"])).status_code == 404
    with app.app_context():
        rows, passed = cycle_verification(ids["吴乙"], cycle_years(date(Y - 8, 3, 1)))
        assert passed == 1 and [r["year"] for r in rows] == list(range(Y - 1, Y - 6, -1))


def test_the_cycle_costs_the_same_queries_for_three_years_as_for_five(app, login_as, counting):
    ids = _build(app)
    unit = login_as("sg_unit")

    def statements() -> int:
        unit.get(DETAILS.format(ids["吴乙"]))
        with counting() as run:
            page = unit.get(DETAILS.format(ids["吴乙"]))
            assert page.status_code == 200
        return len(run), len(_verdicts(page.get_data(as_text=True)))

    five, counted = statements()
    assert counted == 5
    with app.app_context():  # 吴乙 obtained the title later: three whole years
        db.session.get(Person, ids["吴乙"]).title_obtained_on = date(Y - 4, 3, 1)
        db.session.commit()
    assert statements() == (five, 3)
