"""Progress screens (issue 11 item 4) through HTTP: the person's 申报进度查询 (tabs) and 年度完成情况 (a
details page per year), the unit's 单位申报记录 and 继续教育培训记录查询; another's rows 404; lists cost a
fixed number of queries."""

from sqlalchemy import select

from backoffice.clock import beijing_today
from backoffice.extensions import db
from backoffice.models import Person, Record

from pages import list_table, search_box
from records_helpers import person

PROGRESS = "/admin/record_progress"
YEARS = "/admin/record_years"
DECLARED = "/admin/record_unit_declared"
QUERY = "/admin/record_query"
UNIT_A = "广州示范大学"


def _id(app, course: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Record.id).where(Record.course_name == course))


def test_the_persons_progress_has_the_manuals_tabs(app, login_as):
    chen = login_as("p_chen")
    html = chen.get(f"{PROGRESS}/").get_data(as_text=True)
    table = list_table(html)
    for course in ("教育心理学专题讲座", "高校教学方法网络课程", "校内新进教师岗前培训", "高校教师教学能力提升（学员成绩申报）"):
        assert course in table
    assert "工匠精神与广东制造" not in table  # 刘文斌's
    tab = search_box(html, "申报进度")
    for value, shown, hidden in [
        ("draft", "教育心理学专题讲座", "高校教学方法网络课程"),
        ("pending", "高校教学方法网络课程", "教育心理学专题讲座"),
        ("approved", "校内新进教师岗前培训", "科研诚信与学术规范"),
        ("refused", "科研诚信与学术规范", "校内新进教师岗前培训"),
    ]:
        rows = list_table(chen.get(f"{PROGRESS}/?{tab}={value}").get_data(as_text=True))
        assert shown in rows and hidden not in rows, value
    # the failed 审验 of the demo is 审核不通过, with its reason in the 审批流程
    failed = _id(app, "学术会议：高等教育质量论坛")
    assert "学术会议" in list_table(chen.get(f"{PROGRESS}/?{tab}=refused").get_data(as_text=True))
    details = chen.get(f"{PROGRESS}/details/?id={failed}").get_data(as_text=True)
    assert "学时审验" in details and "参会证明" in details
    assert chen.get(f"{PROGRESS}/details/?id={_id(app, '工匠精神与广东制造')}").status_code == 404
    assert login_as("unit_a", UNIT_A).get(f"{PROGRESS}/").status_code == 403


def test_the_persons_years_against_the_requirement(app, login_as):
    chen = login_as("p_chen")
    html = chen.get(f"{YEARS}/").get_data(as_text=True)
    assert f'data-year="{beijing_today().year}"' in html and f'data-year="{beijing_today().year - 1}"' in html
    last = html.split(f'data-year="{beijing_today().year - 1}"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="verdict">通过</td>' in last  # the year of her certificate
    with app.app_context():
        row = db.session.scalar(select(Record).where(Record.course_name == "校内新进教师岗前培训"))
        year, course = row.year, row.course_name
    page = chen.get(f"{YEARS}/year/?year={year}").get_data(as_text=True)
    assert course in page and "学术会议：高等教育质量论坛" not in page  # failed 审验: no hours
    assert "工匠精神与广东制造" not in chen.get(f"{YEARS}/year/?year={year}").get_data(as_text=True)
    for bad in ("x", "99999", ""):
        assert chen.get(f"{YEARS}/year/?year={bad}").status_code == 404
    assert login_as("unit_a", UNIT_A).get(f"{YEARS}/").status_code == 403


def test_the_units_declarations_and_its_peoples_approved_records(app, login_as):
    unit = login_as("unit_a", UNIT_A)
    declared = list_table(unit.get(f"{DECLARED}/").get_data(as_text=True))
    assert "校内新进教师岗前培训" in declared and "实验室安全管理培训" in declared  # a draft too
    assert "高校教学方法网络课程" not in declared  # the person's own declaration
    assert unit.get(f"{DECLARED}/details/?id={_id(app, '工程伦理网络研修')}").status_code == 404
    html = unit.get(f"{QUERY}/").get_data(as_text=True)
    query = list_table(html)
    assert "校内新进教师岗前培训" in query and "高校教学方法网络课程" not in query  # 已通过 only
    for label in ("姓名", "课程名称", "课程类型", "施教机构名称", "申报年度"):
        search_box(html, label)
    by_name = unit.get(f"{QUERY}/?{search_box(html, '姓名')}=刘文斌").get_data(as_text=True)
    assert "校内新进教师岗前培训" not in list_table(by_name)
    mine = _id(app, "校内新进教师岗前培训")
    assert unit.get(f"{QUERY}/details/?id={mine}").status_code == 200
    other = login_as("unit_b", "深圳示范科技有限公司")
    assert other.get(f"{QUERY}/details/?id={mine}").status_code == 404
    assert other.get(f"{DECLARED}/details/?id={mine}").status_code == 404
    assert "校内新进教师岗前培训" not in list_table(other.get(f"{QUERY}/").get_data(as_text=True))


def test_progress_lists_do_not_query_per_row(app, login_as, counting):
    from datetime import timedelta

    from backoffice.labels import ApplicationStatus, RecordSource
    from records_helpers import START

    chen, unit = login_as("p_chen"), login_as("unit_a", UNIT_A)
    urls = [(chen, f"{PROGRESS}/?page_size=100"), (unit, f"{DECLARED}/?page_size=100"),
            (unit, f"{QUERY}/?page_size=100"), (chen, f"{YEARS}/")]

    def measure():
        counts = []
        for client, url in urls:
            client.get(url)
            with counting() as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return counts

    before = measure()
    with app.app_context():
        who = person(app, "陈诗慧")
        unit_id = db.session.scalar(select(Person.unit_id).where(Person.id == who.id))
        for n in range(25):
            on = START - timedelta(days=n)
            db.session.add(Record(
                person_id=who.id, course_type="public", course_name=f"进度加测{n:02d}", study_form_code="01",
                start_on=on, end_on=on, days=1, declared_hours=6, approved_hours=6, year=on.year,
                source=RecordSource.UNIT, status=ApplicationStatus.APPROVED, declared_by_org_id=unit_id,
            ))
        db.session.commit()
    assert measure() == before


def test_the_person_query_details_show_the_approved_records_capped_at_50(app, login_as):
    from datetime import timedelta

    from backoffice.labels import ApplicationStatus, RecordSource
    from records_helpers import START

    who = person(app, "陈诗慧")
    unit = login_as("unit_a", UNIT_A)
    page = unit.get(f"/admin/person_query/details/?id={who.id}").get_data(as_text=True)
    section = page.split('id="person-records"', 1)[1].split("</table>", 1)[0]
    assert "校内新进教师岗前培训" in section and "高校教学方法网络课程" not in section  # 已通过 only
    assert "records-capped" not in page
    with app.app_context():
        for n in range(51):
            on = START - timedelta(days=n)
            db.session.add(Record(
                person_id=who.id, course_type="public", course_name=f"封顶加测{n:02d}", study_form_code="01",
                start_on=on, end_on=on, days=1, declared_hours=6, approved_hours=6, year=on.year,
                source=RecordSource.UNIT, status=ApplicationStatus.APPROVED, declared_by_org_id=who.unit_id,
            ))
        db.session.commit()
    page = unit.get(f"/admin/person_query/details/?id={who.id}").get_data(as_text=True)
    section = page.split('id="person-records"', 1)[1].split("</table>", 1)[0]
    assert section.count("<tr>") == 51 and "records-capped" in page  # the header and 50 rows
    assert login_as("gz_hr").get(f"/admin/person_query/details/?id={who.id}").status_code == 200
