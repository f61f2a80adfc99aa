"""培训计划统计 through HTTP: this year's demo plans (demo_training.py) per organiser, counted by hand below;
scope, parameters and exports equal to the page."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook

from test_statistics import rows
from wording import problems
from backoffice.clock import beijing_today

URL = "/admin/plan_statistics/"
HEADER = ["举办单位", "计划待审核", "计划已通过", "计划已退回", "计划已结案", "培训班数", "班级未开班", "班级接受报名",
          "班级开班", "班级结业", "班级取消", "报名成功人数", "考核人数", "合格人数", "合格率（%）"]
# 广州示范大学: 课程思政专题培训 待审核, 混合式教学设计培训 已退回, 课程思政校内培训 已通过 (its draft is not counted);
# their classes: two 未开班 and 校内培训第1期 开班 with five enrolees, 陈诗慧 and 赵明远 合格
UNIVERSITY = ["广州示范大学", "1", "1", "1", "0", "3", "2", "0", "1", "0", "0", "5", "2", "2", "100.0"]
# 广东示范继续教育学院: 数字化转型研修 待审核 (one class 未开班), 教学能力提升研修班 已通过 (未开班, 接受报名 with
# 刘文斌, 开班 with four), 师德师风专题培训 已通过 (结业: 陈诗慧, 钱雅琴 合格, 孙立新 不合格)
INSTITUTE = ["广东示范继续教育学院", "1", "2", "0", "0", "5", "2", "1", "1", "1", "0", "8", "3", "2", "66.7"]


def table(client, year=None):
    html = client.get(f"{URL}?year={year or beijing_today().year}").get_data(as_text=True)
    return html, {cells[0]: cells for key, cells in rows(html, "report-plans").items()}


def test_the_province_sees_every_organiser_of_its_region(login_as):
    html, found = table(login_as("gd_hr"))
    assert re.findall(r"<th[^>]*>(.*?)</th>", html.split('id="report-plans"', 1)[1])[:15] == HEADER
    assert found == {"广州示范大学": UNIVERSITY, "广东示范继续教育学院": INSTITUTE,
                     "合计": ["合计", "2", "3", "1", "0", "8", "4", "1", "2", "1", "0", "13", "5", "4", "80.0"]}


def test_an_organiser_sees_only_its_own_plans(login_as):
    _, found = table(login_as("inst_a"))
    assert set(found) == {"广东示范继续教育学院", "合计"}
    _, found = table(login_as("unit_a", "广州示范大学"))
    assert found["广州示范大学"] == UNIVERSITY and "广东示范继续教育学院" not in found


def test_an_industry_department_sees_its_series_and_what_it_reviews(login_as):
    _, found = table(login_as("gz_edu"))  # reviews 广州示范大学's plans; 广东示范继续教育学院 is the province's
    assert "广东示范继续教育学院" not in found and found["广州示范大学"] == UNIVERSITY


def test_another_year_is_empty_and_a_bad_year_explained(login_as):
    client = login_as("gd_hr")
    html = client.get(f"{URL}?year=2001").get_data(as_text=True)
    assert 'id="report-empty"' in html
    lines = list(csv.reader(io.StringIO(client.get(f"{URL}export/csv/?year=2001").data.decode("utf-8-sig"))))
    assert lines[-1][0] == "合计"
    for bad in ("abc", "1999", "99999"):
        response = client.get(f"{URL}?year={bad}")
        assert response.status_code == 400 and "年度应" in response.get_data(as_text=True)


@pytest.mark.parametrize("login", ["admin", "helpdesk", "p_chen"])
def test_other_actors_cannot_open_it(login_as, login):
    assert login_as(login).get(URL).status_code == 403


def test_the_page_reads_as_chinese_and_the_exports_equal_it(login_as):
    client = login_as("gd_hr")
    html, found = table(client)
    assert problems(html) == []
    year = beijing_today().year
    shown = list(found.values())
    lines = list(csv.reader(io.StringIO(client.get(f"{URL}export/csv/?year={year}").data.decode("utf-8-sig"))))
    assert lines[lines.index(HEADER) + 1:] == shown
    sheet = load_workbook(io.BytesIO(client.get(f"{URL}export/xlsx/?year={year}").data)).active
    values = [list(line) for line in sheet.iter_rows(values_only=True)]
    numbers = lambda line: [line[0], *(float(v) for v in line[1:])]  # noqa: E731 — Excel keeps 100.0 as 100
    assert [numbers(line) for line in values[values.index(HEADER) + 1:]] == [numbers(line) for line in shown]
