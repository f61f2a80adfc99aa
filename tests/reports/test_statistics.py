"""继续教育综合统计 through HTTP: the figures of report_dataset.py's 韶关市 as each actor sees them, the
drill-down by 资格级别, scope (404 outside it), parameters that explain themselves, and the exports."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Department, Organisation, Person

from pages import flashes
from report_dataset import AS_OF, CITY, WUJIANG, YEAR, ZHENJIANG, build
from wording import problems

URL = "/admin/statistics/"
WHEN = f"date={AS_OF.isoformat()}&year={YEAR}"
REGION_COLUMNS = ["法人单位", "施教机构", "行业主管部门", "专业技术人员", "学习人数", "合格人数", "合格率（%）"]


@pytest.fixture
def data(app):
    return build(app)


def rows(html: str, table_id: str) -> dict[str, list[str]]:
    """{data-key: [cell texts]} of one report table (the label first, 操作 dropped)."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    actions = "<th>操作</th>" in table
    found = {}
    for key, body in re.findall(r'<tr[^>]*data-key="([^"]*)"[^>]*>(.*?)</tr>', table, re.S):
        cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]
        found[key] = cells[:-1] if actions else cells
    return found


def figures(html: str, table_id: str = "report-regions") -> dict[str, list[str]]:
    return {key: cells[1:] for key, cells in rows(html, table_id).items()}


# ---- the figures ------------------------------------------------------------------------------------


def test_a_city_hr_gets_one_row_per_district_with_hand_computed_figures(data, login_as):
    html = login_as("sg_hr").get(f"{URL}?{WHEN}").get_data(as_text=True)
    assert re.findall(r"<th[^>]*>(.*?)</th>", html.split('id="report-regions"', 1)[1])[:8] == ["地区", *REGION_COLUMNS]
    assert figures(html) == {
        # 韶关市本级: the city's 教育局; 武江新单位 registered after the 统计时间
        CITY: ["0", "0", "1", "0", "0", "0", ""],
        # 甲 passes, 乙 fails (卫生 90); 庚 recorded after the 统计时间
        WUJIANG: ["1", "1", "0", "2", "2", "1", "50.0"],
        # 丙 fails (returned 选修), 丁 (moved here) passes, 戊 never learnt, 己 not confirmed
        ZHENJIANG: ["1", "0", "0", "3", "2", "1", "50.0"],
        "total": ["2", "1", "1", "5", "4", "2", "50.0"],
    }
    assert "韶关市本级" in html and "武江区" in html


def test_a_district_hr_gets_its_district_as_the_one_row(data, login_as):
    client = login_as("wj_hr")
    html = client.get(f"{URL}?{WHEN}").get_data(as_text=True)
    assert figures(html) == {
        WUJIANG: ["1", "1", "0", "2", "2", "1", "50.0"],
        "total": ["1", "1", "0", "2", "2", "1", "50.0"],
    }
    assert f"levels/?region={WUJIANG}" in html
    assert client.get(f"{URL}?region={ZHENJIANG}").status_code == 404
    assert client.get(f"{URL}?region={CITY}").status_code == 404


def test_the_drill_down_by_title_level(data, login_as):
    html = login_as("sg_hr").get(f"{URL}levels/?region={CITY}&{WHEN}").get_data(as_text=True)
    assert rows(html, "report-levels") == {
        "junior": ["初级", "1", "1", "0", "0.0"],  # 丙
        "middle": ["中级", "2", "2", "2", "100.0"],  # 甲, 丁
        "vice_senior": ["副高级", "1", "0", "0", ""],  # 戊
        "senior": ["正高级", "1", "1", "0", "0.0"],  # 乙
        "": ["未评定", "0", "0", "0", ""],
        "total": ["合计", "5", "4", "2", "50.0"],
    }
    district = login_as("sg_hr").get(f"{URL}levels/?region={ZHENJIANG}&{WHEN}").get_data(as_text=True)
    assert figures(district, "report-levels")["total"] == ["3", "2", "1", "50.0"]


def test_the_province_drills_into_the_same_city(data, login_as):
    province = login_as("gd_hr")
    top = province.get(f"{URL}?{WHEN}").get_data(as_text=True)
    assert figures(top)[CITY] == ["2", "1", "1", "5", "4", "2", "50.0"]  # one row for the whole city
    assert f"region={CITY}" in top
    city = province.get(f"{URL}?region={CITY}&{WHEN}").get_data(as_text=True)
    assert figures(city) == figures(login_as("sg_hr").get(f"{URL}?{WHEN}").get_data(as_text=True))


def test_an_industry_department_counts_only_its_series(data, login_as):
    html = login_as("gd_edu").get(f"{URL}?region={CITY}&{WHEN}").get_data(as_text=True)
    assert figures(html) == {
        CITY: ["0", "0", "1", "0", "0", "0", ""],  # 韶关市教育局, of its series
        # 甲 only (乙 is 卫生); the institution is qualified for 卫生 only
        WUJIANG: ["1", "0", "0", "1", "1", "1", "100.0"],
        ZHENJIANG: ["1", "0", "0", "2", "2", "1", "50.0"],  # 丙, 丁
        "total": ["2", "0", "1", "3", "3", "2", "66.7"],
    }


def test_a_unit_sees_its_own_people_by_department_and_level(app, data, login_as):
    # 刘文斌 is 深圳示范科技有限公司's only learner of last year's demo: 64 学时, not passed
    client = login_as("unit_b")
    html = client.get(URL).get_data(as_text=True)
    year = int(re.search(r'name="year"[^>]*value="(\d+)"', html).group(1)) - 1
    html = client.get(f"{URL}?year={year}").get_data(as_text=True)
    with app.app_context():
        unit = db.session.scalar(select(Organisation.id).where(Organisation.name == "深圳示范科技有限公司"))
        people = db.session.scalar(select(db.func.count()).select_from(Person).where(
            Person.unit_id == unit, Person.binding_status == "confirmed"))
    assert figures(html, "report-1")["total"] == [str(people), "1", "0", "0.0"]
    assert figures(html, "report-2")["middle"] == ["2", "1", "0", "0.0"]
    assert 'id="chart-levels"' in html and "<svg" in html and "report-regions" not in html


# ---- scope ------------------------------------------------------------------------------------------


def test_a_city_hr_sees_only_its_districts(login_as):
    html = login_as("gz_hr").get(URL).get_data(as_text=True)
    keys = set(figures(html)) - {"total"}
    assert keys and all(key.startswith("4401") for key in keys)
    assert "深圳" not in html.split('id="report-regions"', 1)[1]


@pytest.mark.parametrize("login,url", [
    ("gz_hr", f"{URL}?region=440300"),  # another city
    ("gz_hr", f"{URL}?region=440000"),  # the province above
    ("gz_hr", f"{URL}levels/?region=440305"),
    ("gz_hr", f"{URL}export/csv/?region=440300"),
    ("gz_hr", f"{URL}?region=999999"),
    ("gz_hr", f"{URL}?region=4401001"),
    ("gz_edu", f"{URL}?region=440300"),
    ("unit_b", f"{URL}?region=440300"),
    ("unit_b", f"{URL}levels/"),
    ("unit_b", f"{URL}export/csv/?view=levels"),
    ("gd_hr", f"{URL}export/pdf/"),
])
def test_a_region_outside_the_scope_is_not_found(login_as, login, url):
    assert login_as(login).get(url).status_code == 404


@pytest.mark.parametrize("login", ["admin", "helpdesk", "inst_a", "p_chen"])
def test_other_actors_may_not_open_it(login_as, login):
    assert login_as(login).get(URL).status_code == 403


def test_a_city_hr_reaches_another_city_only_by_url_and_not_then(data, login_as):
    assert login_as("gz_hr").get(f"{URL}?region={CITY}&{WHEN}").status_code == 404
    assert login_as("sg_hr").get(f"{URL}?region=440100").status_code == 404


# ---- parameters -------------------------------------------------------------------------------------


@pytest.mark.parametrize("query,message", [
    ("date=2022/06/30", "统计时间格式应为“年-月-日”"),
    ("date=2022-02-30", "统计时间不是有效的日期"),
    ("date=1999-12-31", "统计时间应在2000年1月1日至今天之间"),
    ("date=2999-01-01", "统计时间应在2000年1月1日至今天之间"),
    ("year=1999", "年度应在2000年至统计时间所在的"),
    ("date=2022-06-30&year=2023", "年度应在2000年至统计时间所在的2022年之间"),
    ("year=abc", "年度应为四位数字"),
    ("year=99999999999999999999", "年度应为四位数字"),
])
@pytest.mark.parametrize("page", ["", "levels/", "export/xlsx/"])
def test_bad_parameters_get_a_chinese_message(login_as, query, message, page):
    response = login_as("gd_hr").get(f"{URL}{page}?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in flashes(html)
    assert problems(html, set()) == []


# ---- exports ----------------------------------------------------------------------------------------


def test_the_csv_is_the_table_with_its_title(data, login_as):
    response = login_as("sg_hr").get(f"{URL}export/csv/?{WHEN}")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0] == ["继续教育综合统计　韶关市人社局（韶关市）"]
    assert lines[1] == ["统计时间：2022年06月30日　年度：2021年"]
    body = lines[lines.index(["地区", *REGION_COLUMNS]) + 1:]
    assert body == [
        ["韶关市本级", "0", "0", "1", "0", "0", "0", ""],
        ["武江区", "1", "1", "0", "2", "2", "1", "50.0"],
        ["浈江区", "1", "0", "0", "3", "2", "1", "50.0"],
        ["合计", "2", "1", "1", "5", "4", "2", "50.0"],
    ]


def test_the_xlsx_has_chinese_headers_a_frozen_header_and_no_formulas(app, data, login_as):
    with app.app_context():
        unit = db.session.scalar(select(Organisation.id).where(Organisation.name == "深圳示范科技有限公司"))
        department = Department(org_id=unit, name="=HYPERLINK(\"http://x\")")
        db.session.add(department)
        db.session.flush()
        person = db.session.scalar(select(Person).where(Person.name == "刘文斌"))
        person.department_id = department.id
        db.session.commit()
    response = login_as("unit_b").get(f"{URL}export/xlsx/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    by_department = book.worksheets[0]
    values = [[c.value for c in row] for row in by_department.iter_rows()]
    header = values.index(["部门", "专业技术人员", "学习人数", "合格人数", "合格率（%）"])
    assert by_department.freeze_panes == f"A{header + 2}"
    labels = [row[0] for row in values[header + 1:]]
    assert "'=HYPERLINK(\"http://x\")" in labels and labels[-1] == "合计"
    assert all(not (isinstance(v, str) and v.startswith("=")) for row in values for v in row)
    assert book.worksheets[1]["A3"].value == "按资格级别统计"


def test_the_levels_export(data, login_as):
    text = login_as("sg_hr").get(f"{URL}export/csv/?view=levels&region={CITY}&{WHEN}").get_data(as_text=True)
    assert "中级,2,2,2,100.0" in text and "合计,5,4,2,50.0" in text


# ---- pages ------------------------------------------------------------------------------------------


def test_the_pages_read_as_chinese_with_their_charts(data, login_as):
    for login, urls in {
        "gd_hr": [URL, f"{URL}?region={CITY}&{WHEN}", f"{URL}levels/?region={CITY}&{WHEN}"],
        "gd_edu": [URL, f"{URL}levels/?region=440000"],
        "unit_b": [URL],
    }.items():
        client = login_as(login)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.get_data(as_text=True)
            assert problems(html, set()) == [], url
            assert "<svg" in html and "<script>" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    page = login_as("gd_hr").get(f"{URL}?region={CITY}&{WHEN}").get_data(as_text=True)
    chart = page.split('id="chart-regions"', 1)[1].split("</svg>", 1)[0]
    assert chart.count("<rect") == 3 + 3 * 3  # the legend, then 3 bars for each of the 3 rows
    assert "武江区 学习人数：2" in chart


# ---- cost -------------------------------------------------------------------------------------------


def test_the_report_costs_the_same_queries_whatever_the_number_of_regions(app, login_as, counting):
    client = login_as("gd_hr")
    client.get(URL)  # the first request also loads the user and actor

    def measure():
        with counting() as statements:
            assert client.get(URL).status_code == 200
        return len(statements)

    before = measure()
    build(app)  # one more city, two districts, organisations, people and records
    assert measure() == before
    # sign-in bookkeeping, the province's rules (menu names), the region, its children, three GROUP BYs,
    # the probe for person-years the 统计时间 cuts, and on PostgreSQL the transaction's plan_cache_mode
    assert before <= 14, before


def test_the_report_asks_postgresql_for_plans_with_its_values(app, data):
    """After five runs psycopg prepares a statement and PostgreSQL may switch to a generic plan, which for
    the verification join took 27–33 s at 20,000 people (docs/statistics.md): the report asks for custom
    plans in its transaction."""
    from datetime import date

    from flask import g
    from sqlalchemy import text

    from backoffice.models import Region, User
    from backoffice.policy import available_contexts, build_actor
    from backoffice.reports.statistics import by_region

    from sqlalchemy import event

    sent = []
    with app.test_request_context():
        engine = db.session.get_bind().engine
        record = lambda conn, cursor, statement, *args: sent.append(statement)  # noqa: E731
        event.listen(engine, "before_cursor_execute", record)
        try:
            user = db.session.scalar(select(User).where(User.login == "sg_hr"))
            actor = g.actor = build_actor(user, available_contexts(user)[0].key)
            by_region(actor, db.session.get(Region, CITY), YEAR, date(2022, 6, 30))
        finally:
            event.remove(engine, "before_cursor_execute", record)
        asked = [s for s in sent if "plan_cache_mode" in s]
        if engine.dialect.name == "postgresql":
            assert asked and db.session.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
        else:  # SQLite has no plan cache to steer: nothing is sent
            assert asked == []



def test_each_person_s_unit_is_read_once_and_the_learners_from_the_year_s_hours(app, login_as, counting):
    """The scope is read off the unit the statements join (scope.people_by_unit), not looked up again per
    person; and on SQLite the learners' statement offers no index on the units' region, so SQLite reads it
    from the year's hours outward, a person at a time, instead of from the province's units."""
    client = login_as("gd_hr")
    client.get(URL)
    with counting() as statements:
        assert client.get(URL).status_code == 200
    people = [s for s in statements if "GROUP BY" in s and "JOIN person" in s or "FROM person JOIN" in s]
    assert len(people) >= 2 and not any("EXISTS" in s for s in people)  # registered, learners
    learners = next(s for s in people if "person_year_hours" in s)
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
        plan = [str(row[-1]) for row in db.session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + learners, (None,) * learners.count("?")).all()]
    # the region read off the unit only as `+code` or `'' || code`, never as the indexed column
    assert all(learners[:at].endswith(("+", "|| ")) for at in (m.start() for m in re.finditer(
        r"verified_unit\.region_code\)? BETWEEN", learners)))
    # the first table the outer join reads: the year's hours, not the units
    read = [step for step in plan if step.startswith(("SCAN", "SEARCH")) and ("person_year_hours" in step or "verified_unit" in step)]
    assert read and "person_year_hours" in read[0], plan
