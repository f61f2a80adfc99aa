"""学时预警 through HTTP (docs/statistics.md 学时预警): the person's notice, the unit's to-do and 学时未达标人员,
HR's 单位学时达标情况 and its drill-down, scope (404), parameters, exports and query counts — against
shortfall_dataset.py's 清远市, computed by hand."""
import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete

from backoffice.extensions import db
from backoffice.models import HourRequirement, Organisation
from backoffice.clock import beijing_today

from shortfall_dataset import add_short_person, add_unit, build, year
from wording import problems

PEOPLE = "/admin/hours_shortfall/"
UNITS = "/admin/unit_hours_compliance/"
HEADER = ["姓名", "公民身份号码", "部门", "资格级别", "公需学时", "专业学时", "选修学时", "总学时",
          "公需尚差", "专业尚差", "选修尚差", "总学时尚差", "距截止日期天数"]


@pytest.fixture
def data(app):
    return build(app)


def days_left() -> int:
    return (date(year() + 1, 1, 31) - beijing_today()).days


def cells(html: str, table_id: str) -> list[list[str]]:
    """The rows of a table as cell texts, the 序号 and 操作 columns dropped."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    found = []
    for body in re.findall(r'<tr data-[a-z]+="\d+">(.*?)</tr>', table, re.S):
        texts = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]
        found.append([t for t in texts[1:] if t != "[查看]"])
    return found


def people(html: str) -> dict[str, list[str]]:
    """姓名 → the row's figures (公需 … 距截止日期天数) of 学时未达标人员."""
    return {row[0]: row[4:] for row in cells(html, "shortfall-people")}


def notices(html: str) -> list[tuple[str, str]]:
    return re.findall(r'alert-(\w+) d-flex[^>]*>\s*<span>([^<]*)</span>', html)


# ---- the person's 工作台 --------------------------------------------------------------------------------


def test_a_person_who_met_the_requirement_is_told_so(data, login_as):
    html = login_as("qy_jia").get("/admin/").get_data(as_text=True)
    assert ("success", f"{year()}年度已认定72学时（公需18，专业42，选修12），已达到年度要求72学时") in notices(html)


def test_a_short_person_is_told_what_is_missing_and_the_days_left(data, login_as):
    html = login_as("qy_yi").get("/admin/").get_data(as_text=True)
    text = (f"{year()}年度已认定60学时（公需18，专业30，选修12），年度要求72学时，尚差专业科目12学时；"
            f"距学时录入截止日期（{year() + 1}年1月31日）还有{days_left()}天")
    assert ("warning", text) in notices(html)
    assert 'href="/admin/record_declare/"' in html  # where to declare what is missing


def test_a_year_without_requirement_says_so(app, data, login_as):
    with app.app_context():
        db.session.execute(delete(HourRequirement).where(HourRequirement.year == year()))
        db.session.commit()
    html = login_as("qy_jia").get("/admin/").get_data(as_text=True)
    assert ("info", f"{year()}年度尚未设定学时要求；本年度已认定72学时") in notices(html)


def test_the_demo_person_short_of_professional_hours(login_as):
    """陈诗慧 holds this year's 30 公需 hours (demo) against the national 90 with 专业 ≥ 60."""
    tones = dict((tone, text) for tone, text in notices(login_as("p_chen").get("/admin/").get_data(as_text=True))
                 if "年度" in text)
    assert "专业科目" in tones["warning"] and f"还有{days_left()}天" in tones["warning"]


def test_the_missing_text_names_each_course_type_then_the_rest_of_the_total():
    from decimal import Decimal

    from backoffice.shortfall import missing_text

    def gaps(public, professional, elective, total):
        return {"missing_public": Decimal(public), "missing_professional": Decimal(professional),
                "missing_elective": Decimal(elective), "missing_total": Decimal(total)}

    assert missing_text(gaps(0, 36, 0, 36)) == "专业科目36学时"
    assert missing_text(gaps(0, 0, 0, 30)) == "任意科目30学时"  # minimums met, the total not
    assert missing_text(gaps(6, 12.5, 0, 30)) == "公需科目6学时、专业科目12.5学时、其他科目11.5学时"


# ---- the unit ---------------------------------------------------------------------------------------


def test_the_units_to_do_counts_its_short_confirmed_people(data, login_as):
    html = login_as("qy_unit").get("/admin/").get_data(as_text=True)
    row = re.search(r'data-todo="hours_short".*?todo-count">(\d+)</td>.*?<a href="([^"]+)">\[处理\]', html, re.S)
    assert row and row.group(1) == "4" and row.group(2) == PEOPLE
    assert "本年度学时未达标人员" in html


def test_the_units_list_against_the_hand_computed_figures(data, login_as):
    html = login_as("qy_unit").get(PEOPLE).get_data(as_text=True)
    left = str(days_left())
    assert people(html) == {
        "乙": ["18", "30", "12", "60", "0", "12", "0", "12", left],
        "丙": ["0", "0", "0", "0", "18", "42", "12", "72", left],  # no record at all: short too
        "丁": ["18", "42", "0", "60", "0", "0", "12", "12", left],  # the returned 选修 does not count
        "辛": ["0", "0", "0", "0", "18", "42", "12", "72", left],  # last year's hours do not count
    }  # 甲 met; 戊 and 己 moved to 清新单位; 庚 is not confirmed
    rows = {row[0]: row[1:4] for row in cells(html, "shortfall-people")}
    assert rows["乙"][1:] == ["教务处", "初级"] and rows["丁"][1:] == ["", "正高级"]
    assert "共 4 条" in html
    assert problems(html) == []


def test_people_who_moved_count_at_their_new_unit(app, data, login_as):
    with app.app_context():  # 清新单位 has no account of its own: its manager is added here
        from shortfall_dataset import _manager
        _manager("qy_unit2", db.session.get(Organisation, data["units"]["清新单位"]), 909)
        db.session.commit()
    html = login_as("qy_unit2").get(PEOPLE).get_data(as_text=True)
    assert list(people(html)) == ["己"]


@pytest.mark.parametrize("query,names", [
    ("department={教务处}", ["乙", "辛"]),
    ("department={科研处}", ["丙"]),
    ("kind=public", ["丙", "辛"]),
    ("kind=elective", ["丙", "丁", "辛"]),
    ("kind=professional&department={教务处}", ["乙", "辛"]),
])
def test_the_list_filters_by_department_and_course_type(data, login_as, query, names):
    url = PEOPLE + "?" + query.format(**data["departments"])
    assert sorted(people(login_as("qy_unit").get(url).get_data(as_text=True))) == sorted(names)


def test_the_unit_names_no_other_units_rows(data, login_as):
    client = login_as("qy_unit")
    assert client.get(PEOPLE + f"?department={data['departments']['办公室']}").status_code == 404
    assert client.get(PEOPLE + f"?unit={data['units']['清新单位']}").status_code == 404
    assert client.get(PEOPLE + f"?unit={data['units']['清城单位']}").status_code == 200
    assert client.get(UNITS).status_code == 403  # HR's screen


# ---- HR -------------------------------------------------------------------------------------------------


def test_hr_sees_each_unit_of_its_region_with_its_figures(data, login_as):
    html = login_as("qy_hr").get(UNITS).get_data(as_text=True)
    assert cells(html, "compliance-units") == [["清城单位", "5", "4", "80.0"], ["清新单位", "2", "1", "50.0"]]
    by_name = login_as("qy_hr").get(UNITS + "?sort=name").get_data(as_text=True)
    assert [row[0] for row in cells(by_name, "compliance-units")] == ["清城单位", "清新单位"]
    by_share = login_as("qy_hr").get(UNITS + "?sort=share").get_data(as_text=True)
    assert [row[0] for row in cells(by_share, "compliance-units")] == ["清城单位", "清新单位"]
    assert f'{PEOPLE}?unit={data["units"]["清城单位"]}' in html.replace("&amp;", "&")
    assert problems(html) == []


def test_hr_drills_into_a_units_list(data, login_as):
    client = login_as("qy_hr")
    html = client.get(PEOPLE + f"?unit={data['units']['清城单位']}").get_data(as_text=True)
    assert sorted(people(html)) == sorted(["乙", "丙", "丁", "辛"])
    assert "清城单位" in html.split('id="page-heading"', 1)[1].split("</h4>", 1)[0]
    region = client.get(PEOPLE).get_data(as_text=True)  # the whole region, with the unit column
    assert sorted(row[0] for row in cells(region, "shortfall-people")) == ["丁", "丙", "乙", "己", "辛"]


def test_the_units_page_counts_and_pages_its_units(data, login_as, monkeypatch):
    """The count rides on the page's own statement (a window): each page says how many units in all,
    and a page past the last is not found."""
    from backoffice.views import shortfall as views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client = login_as("qy_hr")
    first, second = (client.get(UNITS + f"?page={n}").get_data(as_text=True) for n in (1, 2))
    assert [row[0] for row in cells(first, "compliance-units")] == ["清城单位"]
    assert [row[0] for row in cells(second, "compliance-units")] == ["清新单位"]
    assert "共 2 条，第 1 / 2 页" in first and "共 2 条，第 2 / 2 页" in second
    assert client.get(UNITS + "?page=3").status_code == 404


def test_the_province_sees_the_citys_units_too(data, login_as):
    html = login_as("gd_hr").get(UNITS + "?sort=name").get_data(as_text=True)
    names = [row[0] for row in cells(html, "compliance-units")]
    assert "清城单位" in names and "广州示范大学" in names


def test_a_unit_outside_the_region_is_not_found(app, data, login_as):
    client = login_as("qy_hr")
    with app.app_context():
        demo_unit = db.session.query(Organisation.id).filter(Organisation.name == "广州示范大学").scalar()
    assert client.get(PEOPLE + f"?unit={demo_unit}").status_code == 404
    assert login_as("gz_hr").get(PEOPLE + f"?unit={data['units']['清城单位']}").status_code == 404
    assert client.get(PEOPLE + "?unit=999999999").status_code == 404
    assert client.get(PEOPLE + "?unit=abc").status_code == 404


# ---- parameters -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url,status,message", [
    (PEOPLE + "?year=1999", 400, "年度应在2000年至"),
    (PEOPLE + "?year=3000", 400, "年度应在2000年至"),
    (PEOPLE + "?year=20x6", 400, "年度应为四位数字"),
    (PEOPLE + "?kind=bogus", 400, "科目类型应为公需、专业或选修"),
    (PEOPLE + "?page=99", 404, None),
    (PEOPLE + "?page=0", 404, None),
    (PEOPLE + "?page=-1", 404, None),
    (PEOPLE + "export/?format=pdf", 404, None),
    (PEOPLE + "export/?format=csv&year=1999", 400, "年度应在2000年至"),
])
def test_bad_parameters_get_a_chinese_message_or_404(data, login_as, url, status, message):
    response = login_as("qy_unit").get(url)
    assert response.status_code == status
    if message:
        assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("url,status,message", [
    (UNITS + "?year=1999", 400, "年度应在2000年至"),
    (UNITS + "?sort=bogus", 400, "排序方式应为"),
    (UNITS + "?page=2", 404, None),
])
def test_hrs_bad_parameters(data, login_as, url, status, message):
    response = login_as("qy_hr").get(url)
    assert response.status_code == status
    if message:
        assert message in response.get_data(as_text=True)


def test_last_year_is_judged_by_last_years_requirement(data, login_as):
    """Last year has only the demo's national rule (90, 专业 ≥ 60): 辛's 72 hours are 18 专业 short, and its
    entry deadline (31 January of this year) has passed unless it is January."""
    html = login_as("qy_unit").get(PEOPLE + f"?year={year() - 1}").get_data(as_text=True)
    left = (date(year(), 1, 31) - beijing_today()).days
    assert people(html)["辛"] == ["18", "42", "12", "72", "0", "18", "0", "18", str(left) if left >= 0 else "已过截止日期"]
    assert people(html)["甲"][-2] == "90"  # no record last year: the whole 90 is missing


# ---- exports ----------------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_units_csv_and_xlsx_hold_the_visible_rows(data, login_as):
    client = login_as("qy_unit")
    for query in ("", f"&department={data['departments']['教务处']}", "&kind=elective"):
        visible = cells(client.get(PEOPLE + "?" + query.lstrip("&")).get_data(as_text=True), "shortfall-people")
        exported = _csv(client.get(PEOPLE + "export/?format=csv" + query))
        assert exported[0] == HEADER
        assert exported[1:] == visible
        response = client.get(PEOPLE + "export/?format=xlsx" + query)
        sheet = load_workbook(io.BytesIO(response.get_data())).active
        rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        assert rows[0] == HEADER and rows[1:] == visible and sheet.freeze_panes == "A2"


def test_hrs_export_holds_the_visible_units(data, login_as):
    client = login_as("qy_hr")
    visible = cells(client.get(UNITS).get_data(as_text=True), "compliance-units")
    exported = _csv(client.get(UNITS + "export/?format=csv"))
    assert exported[0] == ["单位名称", "已确认人数", "未达标人数", "未达标比例（%）"]
    assert exported[1:] == visible
    drill = _csv(client.get(PEOPLE + f"export/?format=csv&unit={data['units']['清城单位']}"))
    assert sorted(row[0] for row in drill[1:]) == ["丁", "丙", "乙", "辛"]


# ---- cost -----------------------------------------------------------------------------------------------


def test_the_pages_cost_the_same_queries_whatever_the_rows(app, data, login_as, counting):
    unit, hr = login_as("qy_unit"), login_as("qy_hr")

    def measure(client, url):
        client.get(url)
        with counting() as statements:
            assert client.get(url).status_code == 200
        return statements

    before = [len(measure(unit, PEOPLE)), len(measure(unit, "/admin/")), len(measure(hr, UNITS))]
    for seq in range(31, 36):
        add_short_person(app, data["units"]["清城单位"], seq)
    for seq in range(41, 44):
        add_unit(app, seq)
    after = [len(measure(unit, PEOPLE)), len(measure(unit, "/admin/")), len(measure(hr, UNITS))]
    assert after == before
    statements = measure(hr, UNITS)
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "postgresql":  # the generic-plan trap (docs/statistics.md)
        assert any("plan_cache_mode" in s for s in statements)
