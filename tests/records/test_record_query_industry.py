"""继续教育记录查询 (004 §1.7.1): an industry department reads the declared records of the people of its 专业系列
employed in its region — list, search, filters, details and export — and nothing else; read only."""
import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, BindingStatus, RecordSource
from backoffice.models import DictionaryItem, Organisation, Person, ProfessionalSeries, Record
from backoffice.validators import make_citizen_id
from pages import list_table, search_box

QUERY = "/admin/record_query_industry"
OWN = "查询测试-本系列"  # 钱雅琴 (高等学校教师, 广州示范大学): gz_edu's and gd_edu's
ONLINE = "查询测试-网络课程"  # the same person, 网络培训, 专业课, 2023, 已通过
OTHER_SERIES = "查询测试-他系列"  # a 工程技术 person of 广州示范大学
SHENZHEN = "查询测试-深圳"  # a 高等学校教师 of 深圳示范科技有限公司: gd_edu's, not gz_edu's
DRAFT = "查询测试-草稿"  # 钱雅琴's draft: nobody's here
SZ_ID = make_citizen_id("440305", date(1991, 5, 6), "771")


def _series(code: str) -> int:
    return db.session.scalar(select(ProfessionalSeries.id).where(ProfessionalSeries.code == code))


def _unit(name: str) -> int:
    return db.session.scalar(select(Organisation.id).where(Organisation.name == name))


def _person(name, unit, series, region, seq) -> int:
    person = Person(
        name=name, sex="男", id_number=make_citizen_id(region, date(1991, 5, 6), seq), unit_id=_unit(unit),
        binding_status=BindingStatus.CONFIRMED, series_id=_series(series),
    )
    db.session.add(person)
    db.session.flush()
    return person.id


def _record(person_id, course, status=ApplicationStatus.APPROVED, *, form="01", kind="public", year=2024):
    on = date(year, 5, 10)
    row = Record(
        person_id=person_id, course_type=kind, course_name=course, study_form_code=form, start_on=on, end_on=on,
        days=1, declared_hours=6, approved_hours=6 if status == ApplicationStatus.APPROVED else None, year=year,
        source=RecordSource.PERSON, status=status,
    )
    db.session.add(row)
    db.session.flush()
    return row.id


@pytest.fixture
def rows(app):
    with app.app_context():
        qian = db.session.scalar(select(Person.id).where(Person.name == "钱雅琴"))
        online = db.session.scalar(select(DictionaryItem.code).where(
            DictionaryItem.category == "study_form", DictionaryItem.name == "网络培训"))
        ids = {
            OWN: _record(qian, OWN, ApplicationStatus.PENDING),
            ONLINE: _record(qian, ONLINE, form=online, kind="professional", year=2023),
            OTHER_SERIES: _record(_person("查询工程师", "广州示范大学", "gcjs", "440106", "773"), OTHER_SERIES),
            SHENZHEN: _record(_person("查询深圳", "深圳示范科技有限公司", "gxjs", "440305", "771"), SHENZHEN),
            DRAFT: _record(qian, DRAFT, ApplicationStatus.DRAFT),
        }
        db.session.commit()
        ids["online_code"] = online
        ids["gxjs"], ids["gcjs"] = _series("gxjs"), _series("gcjs")
    return ids


def _listing(client, query: str = "") -> str:
    response = client.get(f"{QUERY}/?page_size=100{query}")
    assert response.status_code == 200
    return list_table(response.get_data(as_text=True))


def _filtered(client, label: str, value) -> str:
    arg = search_box(client.get(f"{QUERY}/").get_data(as_text=True), label)
    return _listing(client, f"&{arg}={value}")


def _export(client) -> list[dict]:
    response = client.get(f"{QUERY}/export/csv/")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_a_city_department_sees_its_series_people_in_its_city_only(rows, login_as):
    gz_edu = login_as("gz_edu")
    listing = _listing(gz_edu)
    assert OWN in listing and ONLINE in listing and "高等学校教师" in listing
    for absent in (OTHER_SERIES, SHENZHEN, DRAFT):
        assert absent not in listing
    exported = {row["课程名称"] for row in _export(gz_edu)}
    assert {OWN, ONLINE} <= exported and not exported & {OTHER_SERIES, SHENZHEN, DRAFT}
    assert gz_edu.get(f"{QUERY}/details/?id={rows[OWN]}").status_code == 200
    for absent in (OTHER_SERIES, SHENZHEN, DRAFT):
        assert gz_edu.get(f"{QUERY}/details/?id={rows[absent]}").status_code == 404


def test_the_province_department_sees_its_series_across_the_province(rows, login_as):
    gd_edu = login_as("gd_edu")
    listing = _listing(gd_edu)
    assert OWN in listing and SHENZHEN in listing
    assert OTHER_SERIES not in listing and DRAFT not in listing
    assert gd_edu.get(f"{QUERY}/details/?id={rows[SHENZHEN]}").status_code == 200
    assert gd_edu.get(f"{QUERY}/details/?id={rows[DRAFT]}").status_code == 404
    assert gd_edu.get(f"{QUERY}/details/?id={rows[OTHER_SERIES]}").status_code == 404


def test_the_export_holds_exactly_the_listed_rows(rows, login_as):
    gd_edu = login_as("gd_edu")
    listing = _listing(gd_edu)
    cells = [re.sub(r"<[^>]+>|\s+", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", listing, re.S)]
    exported = _export(gd_edu)
    assert len(exported) == len(re.findall(r"details/\?id=\d+", listing)) > 0
    for row in exported:  # each exported row is a listed one, in the list's order
        assert row["课程名称"] in cells and row["公民身份号码"] in cells
    listed_courses = [c for c in cells if c in {r["课程名称"] for r in exported}]
    assert [r["课程名称"] for r in exported if r["课程名称"].startswith("查询")] == \
        [c for c in listed_courses if c.startswith("查询")]
    assert set(exported[0]) >= {"姓名", "公民身份号码", "专业系列", "课程名称", "科目类型", "申报年度", "学习形式", "审核状态"}


def test_details_show_the_manuals_fields(rows, login_as):
    html = login_as("gz_edu").get(f"{QUERY}/details/?id={rows[OWN]}").get_data(as_text=True)
    for label in ("姓名", "性别", "公民身份号码", "所属地区", "课程名称", "科目类型", "学习形式", "学习开始时间",
                  "学习结束时间", "参训天数", "考核结果", "拟申报学时", "施教机构名称", "申报年度", "学习地点", "学习内容", "备注"):
        assert label in html, label
    assert "钱雅琴" in html and "天河区" in html and "广州示范大学" in html and "面授" in html


def test_search_by_id_number_and_by_name(rows, login_as):
    gd_edu = login_as("gd_edu")
    by_id = _listing(gd_edu, f"&search={SZ_ID}")
    assert SHENZHEN in by_id and OWN not in by_id
    assert SHENZHEN in _listing(gd_edu, f"&search={SZ_ID[:10]}")  # a prefix of digits
    by_name = _listing(gd_edu, "&search=钱雅")
    assert OWN in by_name and ONLINE in by_name and SHENZHEN not in by_name
    assert "查询" not in _listing(gd_edu, "&search=查询工程师")  # another series: not found by name either
    assert "details/?id=" not in _listing(gd_edu, "&search=99")  # an ID-number prefix nobody has
    assert "details/?id=" not in _listing(gd_edu, "&search=%25")  # a % is a character, not a pattern


def test_each_filter(rows, login_as):
    gd_edu = login_as("gd_edu")
    assert OWN in _filtered(gd_edu, "专业系列", rows["gxjs"])
    assert "details/?id=" not in _filtered(gd_edu, "专业系列", rows["gcjs"])
    named = _filtered(gd_edu, "课程名称", "本系列")
    assert OWN in named and ONLINE not in named
    year = _filtered(gd_edu, "申报年度", "2023")
    assert ONLINE in year and OWN not in year
    kind = _filtered(gd_edu, "科目类型", "professional")
    assert ONLINE in kind and OWN not in kind
    form = _filtered(gd_edu, "学习形式", rows["online_code"])
    assert ONLINE in form and OWN not in form
    pending = _filtered(gd_edu, "审核状态", ApplicationStatus.PENDING)
    assert OWN in pending and ONLINE not in pending and SHENZHEN not in pending
    assert "details/?id=" not in _filtered(gd_edu, "审核状态", ApplicationStatus.DRAFT)


def test_bad_filter_values_are_refused_without_an_error(rows, login_as):
    gd_edu = login_as("gd_edu")
    for label, value in (("专业系列", "abc"), ("专业系列", "99999999999"), ("学习形式", "nope"), ("申报年度", "20x3")):
        arg = search_box(gd_edu.get(f"{QUERY}/").get_data(as_text=True), label)
        assert gd_edu.get(f"{QUERY}/?{arg}={value}").status_code == 200


def test_read_only_and_for_industry_departments_only(rows, login_as):
    gz_edu = login_as("gz_edu")
    assert gz_edu.get(f"{QUERY}/new/").status_code == 403
    assert gz_edu.get(f"{QUERY}/edit/?id={rows[OWN]}").status_code == 403
    assert gz_edu.post(f"{QUERY}/delete/", {"id": rows[OWN]}, token_page=f"{QUERY}/").status_code == 403
    for login in ("unit_a", "gz_hr", "gd_hr", "inst_a", "p_chen"):
        client = login_as(login, "广州示范大学") if login == "unit_a" else login_as(login)
        assert client.get(f"{QUERY}/", follow_redirects=False).status_code == 403, login
        assert client.get(f"{QUERY}/details/?id={rows[OWN]}", follow_redirects=False).status_code == 403, login
        assert client.get(f"{QUERY}/export/csv/", follow_redirects=False).status_code == 403, login


def test_the_list_and_export_do_not_query_per_row(app, rows, login_as, counting):
    gd_edu = login_as("gd_edu")
    urls = [f"{QUERY}/?page_size=100", f"{QUERY}/?page_size=100&search=钱雅琴"]

    def measure():
        counts = []
        for url in urls:
            gd_edu.get(url)
            with counting() as statements:
                assert gd_edu.get(url).status_code == 200
            counts.append(len(statements))
        return counts

    before = measure()
    with app.app_context():
        for n in range(25):  # 25 more people of the series, across 广州 and 深圳, a record each
            unit = "广州示范大学" if n % 2 else "深圳示范科技有限公司"
            _record(_person(f"查询加测{n:02d}", unit, "gxjs", "440106", f"{800 + n:03d}"), f"查询加测课程{n:02d}")
        db.session.commit()
    assert measure() == before
    assert max(before) <= 13, before  # 12 of every list, and the series width (records_of_series)
