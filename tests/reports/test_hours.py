"""年度验证 (backoffice/hours.py) against the hand-computed table of report_dataset.py, and the 学时要求
screen's checks."""
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.hours import annual_verification
from backoffice.models import AuditLog, HourRequirement, Person

from pages import field_errors
from report_dataset import AS_OF, CITY, WUJIANG, YEAR, build


@pytest.fixture
def data(app):
    return build(app)


def _rules(app):
    with app.app_context():
        rows = db.session.execute(select(HourRequirement.id, HourRequirement.region_code, HourRequirement.series_id)
                                  .where(HourRequirement.year == YEAR)).all()
    return {(region, series is not None): rid for rid, region, series in rows}


def _verify(app, data, year=YEAR, **kwargs):
    names = {pid: name for name, pid in data["people"].items()}
    with app.app_context():
        rows = db.session.execute(annual_verification(list(names), year, **kwargs)).all()
    return {
        names[r.person_id]: (
            tuple(float(h) for h in (r.public_hours, r.professional_hours, r.elective_hours, r.total_hours)),
            r.requirement_id, r.passed,
        )
        for r in rows
    }


def test_each_person_year_against_its_most_specific_requirement(app, data):
    rules = _rules(app)
    city, health, national = rules[(CITY, False)], rules[(CITY, True)], rules[(None, False)]
    assert _verify(app, data) == {
        "甲": ((18, 42, 12, 72), city, 1),
        "乙": ((18, 42, 12, 72), health, 0),  # 卫生技术人员 in 韶关市: 90 needed
        "丙": ((18, 42, 0, 60), city, 0),  # the returned 选修 record does not count
        "丁": ((18, 42, 12, 72), city, 1),  # the 2022 record is another year
        "戊": ((0, 0, 0, 0), health, 0),
        "己": ((18, 42, 12, 72), city, 1),
        "庚": ((18, 42, 12, 72), city, 1),
        "辛": ((30, 60, 0, 90), national, 1),  # no unit, no region: the national rule
    }


def test_learners_only_leaves_out_people_without_approved_hours(app, data):
    assert set(_verify(app, data, learners_only=True)) == {"甲", "乙", "丙", "丁", "己", "庚", "辛"}


def test_the_deepest_region_wins_but_a_series_rule_beats_any_region_rule(app, data):
    with app.app_context():
        county = HourRequirement(year=YEAR, region_code=WUJIANG, total_hours=60, min_public_hours=0,
                                 min_professional_hours=40, min_elective_hours=0, entry_deadline=date(YEAR + 1, 1, 31))
        db.session.add(county)
        db.session.commit()
        county_id = county.id
    rules = _rules(app)
    result = _verify(app, data)
    assert result["甲"][1:] == (county_id, 1)  # 武江区 is deeper than 韶关市
    assert result["乙"][1:] == (rules[(CITY, True)], 0)  # the 卫生技术人员 row of 韶关市 still applies
    assert result["丙"][1] == rules[(CITY, False)]  # 浈江区 has no row of its own


def test_a_year_without_a_requirement_is_never_passed(app, data):
    result = _verify(app, data, year=2019)
    assert {name: (requirement, passed) for name, (_, requirement, passed) in result.items()} == dict.fromkeys(
        data["people"], (None, None)
    )


def test_as_of_counts_only_study_ended_by_then(app, data):
    # every person's first record (公需 18) ends on 1 March, the others later in March
    result = _verify(app, data, as_of=date(YEAR, 3, 1))
    assert result["甲"][0] == (18, 0, 0, 18) and result["甲"][2] == 0
    assert _verify(app, data, as_of=AS_OF)["甲"][0] == (18, 42, 12, 72)


def test_people_may_be_a_select(app, data):
    with app.app_context():
        rows = db.session.execute(annual_verification(
            select(Person.id).where(Person.id == data["people"]["甲"]), YEAR)).all()
    assert [(r.person_id, r.passed) for r in rows] == [(data["people"]["甲"], 1)]


def _summed(query) -> str:
    """The WHERE of the subquery that reads the year's person-year hours."""
    return re.search(r"FROM person_year_hours\s+WHERE (.*?)\)\s+AS hours", str(query), re.S).group(1)


def test_listed_people_sum_only_their_own_records(app, data):
    """打印 lists its one person (a page its 20): the year's hours are read for them alone, not for the
    whole province and then joined — SQLite materialises that subquery, 90 ms a certificate at 200,000
    people (bench/operations.py). The figures are those of the same person given as a condition."""
    jia = data["people"]["甲"]
    with app.app_context():
        listed, as_condition = annual_verification([jia], YEAR), annual_verification(Person.id == jia, YEAR)
        rows = [db.session.execute(query).all() for query in (listed, as_condition)]
    assert "person_year_hours.person_id IN" in _summed(listed)
    assert "person_id" not in _summed(as_condition)
    assert rows[0] == rows[1] and float(rows[0][0].total_hours) == 72


# ---- the 系统管理员's screen ------------------------------------------------------------------------


def _form(**values):
    form = {"year": "2030", "total_hours": "90", "min_public_hours": "0", "min_professional_hours": "60",
            "min_elective_hours": "0", "entry_deadline": "2031-01-31", "note": "国家规定"}
    form.update(values)
    return form


def test_the_admin_sets_a_requirement(app, login_as):
    admin = login_as("admin")
    response = admin.post("/admin/hour_requirements/new/", _form(), token_page="/admin/hour_requirements/new/")
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(HourRequirement).where(HourRequirement.year == 2030))
        assert (row.total_hours, row.min_professional_hours, row.region_code) == (Decimal(90), Decimal(60), None)
        logged = db.session.scalar(select(AuditLog.object_type).where(AuditLog.object_id == str(row.id),
                                                                       AuditLog.object_type == "hour_requirement"))
        assert logged == "hour_requirement"  # the flush hook audits it like every table
    listing = admin.get("/admin/hour_requirements/").get_data(as_text=True)
    assert "全国" in listing and "全部专业系列" in listing


@pytest.mark.parametrize("values,message", [
    ({"min_public_hours": "30", "min_professional_hours": "60", "min_elective_hours": "12"},
     "公需、专业、选修科目最低学时之和不能超过年度总学时"),
    ({"total_hours": "0"}, "年度总学时应在1至1000之间"),
    ({"min_elective_hours": "-1"}, "学时应在0至1000之间"),
    ({"year": "1999"}, "年度应在2000至2100之间"),
    ({"entry_deadline": "2029-12-31"}, "学时录入截止日期不能早于该年度的1月1日"),
])
def test_the_screen_refuses_what_does_not_add_up(app, login_as, values, message):
    admin = login_as("admin")
    response = admin.post("/admin/hour_requirements/new/", _form(**values), token_page="/admin/hour_requirements/new/")
    assert response.status_code == 200
    assert message in field_errors(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(HourRequirement.id).where(HourRequirement.year.in_([2030, 1999]))) is None


def test_a_series_rule_needs_a_region(app, login_as):
    with app.app_context():
        series = db.session.scalar(select(Person.series_id).where(Person.series_id.is_not(None)))
    admin = login_as("admin")
    response = admin.post("/admin/hour_requirements/new/", _form(series=str(series)),
                          token_page="/admin/hour_requirements/new/")
    assert "按专业系列设定的学时要求须同时选择适用地区" in field_errors(response.get_data(as_text=True))


def test_only_the_admin_opens_the_screen(login_as):
    assert login_as("gd_hr").get("/admin/hour_requirements/").status_code == 403
