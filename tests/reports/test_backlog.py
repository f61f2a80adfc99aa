"""审核积压统计 through HTTP: with test_todos.py's rows waiting in every queue, each reviewer's figures in a
supervisor's report are the figures on that reviewer's own 工作台; scope, exports, query count."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Organisation

from test_statistics import rows
from test_todos import counts, waiting  # noqa: F401 — the fixture
from wording import problems

URL = "/admin/review_backlog/"
QUEUE_LABELS = {
    "unit_applications": "法人单位角色申请待审核", "institution_applications": "施教机构角色申请待审核",
    "industry_applications": "行业主管部门角色申请待审核", "sub_industry_applications": "下级行业主管部门角色申请待审核",
    "org_changes": "机构信息修改待审核", "person_changes": "人员信息修改待审核",
    "qualifications": "施教机构专业培训资格待审核", "plans": "专业课计划待审核",
    "records_to_recognise": "继续教育记录待认定", "annual_reports": "继续教育基地年度报告待审核",
}
# the reviewers the fixture and the demo give a login, and the organisation each acts for
REVIEWERS = {
    "广东省人力资源和社会保障厅": ("gd_hr", None), "广州市人力资源和社会保障局": ("gz_hr", None),
    "广东省教育厅": ("gd_edu", None), "广州市教育局": ("gz_edu", None),
    "广州示范大学": ("unit_a", "广州示范大学"), "广州示范医院": ("unit_c", None), "深圳示范科技有限公司": ("unit_b", None),
}


def report(client) -> dict[str, dict[str, str]]:
    """{reviewer name: {column heading: cell}} of the page's table (合计 under its own label)."""
    html = client.get(URL).get_data(as_text=True)
    table = html.split('id="report-backlog"', 1)[1].split("</table>", 1)[0]
    headers = re.findall(r"<th[^>]*>(.*?)</th>", table)
    return {cells[0]: dict(zip(headers[1:], cells[1:])) for cells in rows(html, "report-backlog").values()}


def test_every_reviewer_s_figures_are_its_own_workbench_s(waiting, login_as):  # noqa: F811
    province = report(login_as("gd_hr"))
    for name, (login, org) in REVIEWERS.items():
        own = {QUEUE_LABELS[code]: str(n) for code, n in counts(login_as(login, org)).items()
               if code in QUEUE_LABELS and n}
        shown = {label: n for label, n in province.get(name, {}).items() if label in QUEUE_LABELS.values() and n != "0"}
        assert shown == own, name


def test_hand_counted_figures_of_the_province(waiting, login_as):  # noqa: F811
    found = report(login_as("gd_hr"))
    # 广州: the demo's two units and one institution, the fixture's unit (3 days) and 更名; not the
    # 深圳 unit misrouted to it (outside its region: on no one's 工作台, so in no one's backlog)
    assert {k: v for k, v in found["广州市人力资源和社会保障局"].items() if v != "0"} == {
        "法人单位角色申请待审核": "2", "施教机构角色申请待审核": "1", "机构信息修改待审核": "1",
        "待审核合计": "4", "最长已等待（天）": found["广州市人力资源和社会保障局"]["最长已等待（天）"],
    }
    assert int(found["广州市人力资源和社会保障局"]["最长已等待（天）"]) >= 3
    assert found["广东省人力资源和社会保障厅"]["待审核合计"] == "4"
    assert found["合计"]["最长已等待（天）"] == str(max(int(r["最长已等待（天）"]) for n, r in found.items() if n != "合计"))
    assert found["合计"]["待审核合计"] == str(sum(int(r["待审核合计"]) for n, r in found.items() if n != "合计"))


def test_a_city_sees_only_its_own_reviewers(waiting, login_as):  # noqa: F811
    found = report(login_as("gz_hr"))
    assert "广州市人力资源和社会保障局" in found and "广州示范大学" in found
    assert not {"广东省人力资源和社会保障厅", "广东省教育厅", "深圳示范科技有限公司"} & set(found)
    industry = report(login_as("gd_edu"))
    assert set(industry) - {"合计"} <= {"广东省教育厅", "广州市教育局", "深圳市教育局"}
    assert "广州市人力资源和社会保障局" not in industry


@pytest.mark.parametrize("login", ["unit_b", "inst_a", "admin", "helpdesk", "p_chen"])
def test_other_actors_cannot_open_it(login_as, login):
    client = login_as(login)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}export/csv/").status_code == 403


def test_the_page_reads_as_chinese_and_the_exports_equal_it(waiting, login_as):  # noqa: F811
    client = login_as("gd_hr")
    html = client.get(URL).get_data(as_text=True)
    assert problems(html) == []
    page = rows(html, "report-backlog")
    shown = [cells for key, cells in page.items() if key != "total"]
    total = page["total"]
    exported = client.get(f"{URL}export/csv/")
    assert exported.headers["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    start = next(i for i, line in enumerate(lines) if line and line[0] == "审核单位")
    assert lines[start + 1:] == [*shown, total]
    sheet = load_workbook(io.BytesIO(client.get(f"{URL}export/xlsx/").data)).active
    values = [["" if v is None else str(v) for v in line] for line in sheet.iter_rows(values_only=True)]
    start = next(i for i, line in enumerate(values) if line[0] == "审核单位")
    assert values[start + 1:] == [*shown, total]
    assert client.get(f"{URL}export/pdf/").status_code == 404


def test_the_report_costs_the_same_queries_however_many_reviewers_wait(app, waiting, login_as, counting):  # noqa: F811
    client = login_as("gd_hr")
    client.get(URL)
    with counting() as before:
        assert client.get(URL).status_code == 200
    with app.app_context():
        reviewer = db.session.scalar(select(Organisation).where(Organisation.name == "广东省教育厅"))
        pending = db.session.scalar(select(Organisation).where(Organisation.name == "广州示范科技学校"))
        pending.reviewer_org_id = reviewer.id  # a new reviewer row appears in the report
        db.session.commit()
    with counting() as after:
        assert client.get(URL).status_code == 200
    assert len(after) == len(before)
