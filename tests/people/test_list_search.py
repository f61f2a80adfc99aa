"""Searching and filtering the people lists the way the province uses them: 公民身份号码 exactly or by
its first digits, 姓名 by its beginning, 专业系列 from a list; always inside the actor's scope."""
import re
from datetime import date

from people_helpers import HOSPITAL, SHENZHEN, UNIVERSITY, new_id, org_id, series_id
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Person, ProfessionalSeries
from backoffice.validators import make_citizen_id
from pages import list_table, search_box

QUERY = "/admin/person_query/"


def _add(app, unit: str, name: str, id_number: str, series: str | None = None) -> None:
    with app.app_context():
        db.session.add(Person(
            name=name, sex="男", id_number=id_number, unit_id=org_id(app, unit), binding_status="confirmed",
            series_id=series_id(app, series) if series else None,
        ))
        db.session.commit()


def _rows(client, query: str) -> str:
    page = client.get(f"{QUERY}?{query}")
    assert page.status_code == 200
    return list_table(page.get_data(as_text=True))


def test_search_by_id_number_exactly_or_by_its_first_digits(app, login_as):
    first, second = new_id(701, date(1981, 5, 6)), new_id(702, date(1981, 5, 6))
    other = make_citizen_id("440303", date(1990, 1, 2), "703")
    _add(app, UNIVERSITY, "检索甲", first)
    _add(app, HOSPITAL, "检索乙", second)
    _add(app, SHENZHEN, "检索丙", other)
    hr = login_as("gd_hr")

    exact = _rows(hr, f"search={first}")
    assert "检索甲" in exact and "检索乙" not in exact
    ending_x = next(n for n in (new_id(seq) for seq in range(740, 800)) if n.endswith("X"))
    _add(app, UNIVERSITY, "检索丁", ending_x)
    assert "检索丁" in _rows(hr, f"search={ending_x.lower()}")  # the check digit typed as x

    prefix = _rows(hr, "search=44010619810506")
    assert "检索甲" in prefix and "检索乙" in prefix and "检索丙" not in prefix
    assert "检索丙" in _rows(hr, "search=440303")
    # digits from the middle of a number are not a prefix
    assert "检索甲" not in _rows(hr, "search=19810506")


def test_search_by_the_beginning_of_a_name_and_the_box_says_so(app, login_as):
    _add(app, UNIVERSITY, "欧阳检索", new_id(711))
    _add(app, UNIVERSITY, "欧阳另一", new_id(712))
    hr = login_as("gd_hr")

    page = hr.get(QUERY).get_data(as_text=True)
    assert search_box(page, "姓名（前缀）或公民身份号码") == "search"  # the 搜索查询 box says what it matches
    found = _rows(hr, "search=欧阳")
    assert "欧阳检索" in found and "欧阳另一" in found
    assert "欧阳另一" not in _rows(hr, "search=欧阳检")
    # a match in the middle of a name is not what the box promises
    assert "欧阳检索" not in _rows(hr, "search=检索")
    # LIKE wildcards are plain characters, not "everything"
    for wildcard in ("%", "_", "欧%"):
        assert "欧阳检索" not in _rows(hr, f"search={wildcard}")


def test_search_stays_inside_the_scope(app, login_as):
    _add(app, SHENZHEN, "深圳检索", make_citizen_id("440303", date(1990, 1, 2), "721"))
    _add(app, UNIVERSITY, "广州检索", new_id(722))

    assert "深圳检索" in _rows(login_as("gd_hr"), "search=深圳检索")
    city = login_as("gz_hr")
    assert "深圳检索" not in _rows(city, "search=深圳检索")
    assert "广州检索" in _rows(city, "search=广州检索")
    unit = login_as("unit_b")
    assert "广州检索" not in _rows(unit, "search=广州检索")
    assert "深圳检索" in _rows(unit, "search=深圳检索")


def test_series_filter_picks_a_series_from_the_list(app, login_as):
    _add(app, UNIVERSITY, "系列教师", new_id(731), "高等学校教师")
    _add(app, UNIVERSITY, "系列无", new_id(732))
    hr = login_as("gd_hr")
    with app.app_context():
        names = db.session.scalars(select(ProfessionalSeries.name)).all()
    page = hr.get(QUERY).get_data(as_text=True)
    box = page.split(f'name="{search_box(page, "专业系列")}"', 1)[1].split("</select>", 1)[0]
    assert set(re.findall(r">([^<]+)</option>", box)) == {"全部", *names}  # offered as options, no typing

    teachers = _rows(hr, f"flt0_0={series_id(app, '高等学校教师')}")
    assert "系列教师" in teachers and "系列无" not in teachers
    # the 专业系列 column shows the series' name (read from the process's snapshot, not a join)
    rows = {name: row for row in _rows(hr, "search=系列").split("<tr")[1:]
            for name in ("系列教师", "系列无") if name in row}
    assert "高等学校教师" in rows["系列教师"] and "高等学校教师" not in rows["系列无"]
    assert "None" not in rows["系列无"]
    for bad in ("abc", "0", "99999999999"):
        listed = _rows(hr, f"flt0_0={bad}")  # ignored, never a 500
        assert "系列教师" in listed and "系列无" in listed


def _page_ids(client, url: str) -> list[int]:
    page = client.get(url)
    assert page.status_code == 200
    return [int(i) for i in re.findall(r'name="rowid"[^>]*value="(\d+)"', list_table(page.get_data(as_text=True)))]


def test_deep_pages_are_the_offset_pages_of_the_sorted_list(app, login_as):
    """Page N, found ids first, holds exactly the rows an OFFSET over (姓名, id) gives — repeated names
    included, no row on two pages or on none."""
    shenzhen = org_id(app, SHENZHEN)
    with app.app_context():
        for n in range(47):
            db.session.add(Person(
                name=f"翻页{n % 7}", sex="女", id_number=make_citizen_id("440303", date(1985, 1, 1), f"{n + 100:03d}"),
                unit_id=shenzhen, binding_status="confirmed",
            ))
        db.session.commit()
        expected = db.session.scalars(
            select(Person.id)
            .where(Person.unit_id == shenzhen, Person.binding_status == "confirmed")
            .order_by(Person.name, Person.id)
        ).all()
    unit = login_as("unit_b")
    pages = [_page_ids(unit, f"/admin/person_maintain/?page={n}&page_size=20") for n in range(4)]
    assert [len(p) for p in pages] == [20, 20, len(expected) - 40, 0]
    assert sum(pages, []) == expected


def test_an_id_number_search_lists_by_id_number(app, login_as):
    # names in the opposite order of their ID numbers (丙 < 乙 < 甲 by code point): the list follows the numbers
    for seq, name in ((731, "甲检索"), (732, "乙检索"), (733, "丙检索")):
        _add(app, UNIVERSITY, name, new_id(seq, date(1979, 9, 9)))
    hr = login_as("gd_hr")

    rows = _rows(hr, "search=44010619790909")
    assert rows.index("甲检索") < rows.index("乙检索") < rows.index("丙检索")
    assert rows.count("检索") == 3


def test_a_term_only_one_field_can_match_searches_that_field_alone():
    """继续教育记录查询 searches 姓名 and 公民身份号码 through the record's person: a term of digits is no
    name, so the statement holds the ID sub-select alone — OR-ed with an empty name sub-select it made
    PostgreSQL read every record (3.6 s at 5,000,000)."""
    from backoffice.models import Record
    from backoffice.views.search import ID_NUMBER, PREFIX, SearchField, search_condition

    fields = (
        SearchField(Person.name, PREFIX, "姓名", through=Record.person_id, key=Person.id),
        SearchField(Person.id_number, ID_NUMBER, "公民身份号码", through=Record.person_id, key=Person.id),
    )
    by_id = str(search_condition(fields, "440106197909090011", "postgresql"))
    assert "id_number" in by_id and "person.name" not in by_id and " OR " not in by_id
    by_name = str(search_condition(fields, "袁", "postgresql"))
    assert "person.name" in by_name and "id_number" not in by_name and " OR " not in by_name
