"""学时分类统计 through HTTP: report_dataset.py's 韶关市 with 学习形式 given to two people's records, as each
actor sees it (hand-computed below), its scope, its parameters and its exports (equal to the page)."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from backoffice.extensions import db
from backoffice.models import Record

from report_dataset import YEAR, build
from test_statistics import figures, rows
from wording import problems

URL = "/admin/hours_by_type/"
FACE, ONLINE = "01", "02"  # the demo's 面授, 网络培训
HEADER = ["学习形式", "记录数", "公需课学时", "专业课学时", "选修课学时", "合计学时"]
ZERO = ["0", "0", "0", "0", "0"]


@pytest.fixture
def data(app):
    """甲's three records were 面授, 丁's (declared by 武江单位 before the move) 网络培训; the rest name none."""
    found = build(app)
    with app.app_context():
        for name, form in (("甲", FACE), ("丁", ONLINE)):
            db.session.execute(update(Record).where(Record.person_id == found["people"][name])
                               .values(study_form_code=form))
        db.session.commit()
    return found


def test_a_city_hr_gets_its_people_hours_by_form_and_type(data, login_as):
    html = login_as("sg_hr").get(f"{URL}?year={YEAR}").get_data(as_text=True)
    found = figures(html, "report-hours")
    # 面授: 甲 18/42/12; 网络培训: 丁, counted in 浈江 where he works now, all three records
    assert found[FACE] == ["3", "18.0", "42.0", "12.0", "72.0"]
    assert found[ONLINE] == ["3", "18.0", "42.0", "12.0", "72.0"]
    # 未填写: 乙 and 庚 (confirmed; no 统计时间 here) 18/42/12 each, 丙 18/42 (his 选修 was returned);
    # not 己 (待单位确认), not 辛 (no unit), not 丁's 2022 record
    assert found[""] == ["8", "54.0", "126.0", "24.0", "204.0"]
    assert found["03"] == ZERO  # 学术会议: every active form is a row
    assert found["total"] == ["14", "90.0", "210.0", "48.0", "348.0"]
    assert rows(html, "report-hours")[""][0] == "未填写"
    assert 'id="chart-hours"' in html and "<svg" in html


def test_a_district_hr_sees_only_its_district(data, login_as):
    html = login_as("wj_hr").get(f"{URL}?year={YEAR}").get_data(as_text=True)
    found = figures(html, "report-hours")
    assert found[FACE] == ["3", "18.0", "42.0", "12.0", "72.0"]
    assert found[ONLINE] == ZERO  # 丁 moved to 浈江: his hours went with him
    assert found["total"] == ["9", "54.0", "126.0", "36.0", "216.0"]  # 甲, 乙, 庚


def test_an_industry_department_sees_only_its_series(data, login_as):
    html = login_as("gd_edu").get(f"{URL}?year={YEAR}").get_data(as_text=True)
    found = figures(html, "report-hours")
    # 高等学校教师 in 广东: 甲, 丁, 庚, 丙 (乙 is 卫生技术人员)
    assert found[FACE] == ["3", "18.0", "42.0", "12.0", "72.0"]
    assert found["total"] == ["11", "72.0", "168.0", "36.0", "276.0"]


def test_a_unit_sees_its_own_people(login_as):
    # 刘文斌 is 深圳示范科技有限公司's only learner of last year's demo: 64 学时
    client = login_as("unit_b")
    page = client.get(URL).get_data(as_text=True)

    year = int(re.search(r'name="year"[^>]*value="(\d+)"', page).group(1)) - 1
    found = figures(client.get(f"{URL}?year={year}").get_data(as_text=True), "report-hours")
    assert found["total"][-1] == "64.0"


@pytest.mark.parametrize("login", ["admin", "helpdesk", "inst_a", "p_chen"])
def test_other_actors_cannot_open_it(login_as, login):
    assert login_as(login).get(URL).status_code == 403


@pytest.mark.parametrize("year,message", [
    ("20x1", "年度应为四位数字"), ("1999", "年度应在2000年至"), ("9999", "年度应在2000年至"), ("²⁰²¹", "年度应为四位数字"),
])
def test_a_bad_year_is_explained(data, login_as, year, message):
    client = login_as("sg_hr")
    for url in (f"{URL}?year={year}", f"{URL}export/csv/?year={year}"):
        response = client.get(url)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert client.get(f"{URL}export/pdf/?year={YEAR}").status_code == 404


def test_the_page_reads_as_chinese(data, login_as):
    assert problems(login_as("sg_hr").get(f"{URL}?year={YEAR}").get_data(as_text=True)) == []


def test_the_exports_equal_the_page(data, login_as):
    client = login_as("sg_hr")
    page = rows(client.get(f"{URL}?year={YEAR}").get_data(as_text=True), "report-hours")
    shown = [cells for key, cells in page.items() if key != "total"]
    total = ["合计", *figures(client.get(f"{URL}?year={YEAR}").get_data(as_text=True), "report-hours")["total"]]

    response = client.get(f"{URL}export/csv/?year={YEAR}")
    assert response.status_code == 200 and response.data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    start = lines.index(HEADER)
    assert lines[start + 1:] == [*shown, total]

    response = client.get(f"{URL}export/xlsx/?year={YEAR}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [list(line) for line in sheet.iter_rows(values_only=True)]
    start = values.index(HEADER)
    numbers = lambda line: [line[0], *(float(v) for v in line[1:])]  # noqa: E731 — Excel keeps 18.0 as 18
    assert [numbers(line) for line in values[start + 1:]] == [numbers(line) for line in [*shown, total]]
    assert sheet.freeze_panes == f"A{start + 2}"
