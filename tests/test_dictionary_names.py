"""Dictionary codes read as names (formatting.dictionary_name) from a snapshot the process keeps for
DICTIONARY_TTL seconds: a page no longer reads a dictionary on every request. A change this process
commits is read by its next request; a change made elsewhere (another worker, plain SQL) within the TTL,
and a code the snapshot lacks at once."""
import re

from sqlalchemy import select, text, update

from backoffice import formatting
from backoffice.extensions import db
from backoffice.labels import DictionaryCategory
from backoffice.models import DictionaryItem, Person

from pages import list_table, search_box

UNIT_A = "广州示范大学"
MAINTAIN = "/admin/person_maintain/"


def _shown_education(app) -> tuple[str, str]:
    """(code, name) of a 最高学历 that 信息维护 of 广州示范大学 shows."""
    with app.app_context():
        code = db.session.scalar(select(Person.education_code).where(Person.education_code.is_not(None)).limit(1))
        name = db.session.scalar(select(DictionaryItem.name).where(
            DictionaryItem.category == DictionaryCategory.EDUCATION, DictionaryItem.code == code))
        return code, name


def _dictionary_reads(statements) -> int:
    return sum("FROM dictionary_item" in s for s in statements)


def test_a_page_reads_a_dictionary_once_not_on_every_request(app, login_as, counting):
    code, name = _shown_education(app)
    unit = login_as("unit_a", UNIT_A)
    formatting.forget_dictionaries([DictionaryCategory.EDUCATION])
    with counting() as first:
        page = unit.get(MAINTAIN).get_data(as_text=True)
    assert name in list_table(page) and _dictionary_reads(first) >= 1
    with counting() as second:
        assert name in list_table(unit.get(MAINTAIN).get_data(as_text=True))
    assert _dictionary_reads(second) == 0


def test_a_name_this_process_commits_is_read_by_the_next_request(app, login_as):
    code, name = _shown_education(app)
    unit = login_as("unit_a", UNIT_A)
    assert name in list_table(unit.get(MAINTAIN).get_data(as_text=True))
    with app.app_context():
        item = db.session.scalar(select(DictionaryItem).where(
            DictionaryItem.category == DictionaryCategory.EDUCATION, DictionaryItem.code == code))
        item.name = "改名后的学历"
        db.session.commit()
    table = list_table(unit.get(MAINTAIN).get_data(as_text=True))
    assert "改名后的学历" in table and name not in table


def test_a_name_changed_elsewhere_is_read_once_the_snapshot_expires(app, login_as, monkeypatch):
    code, name = _shown_education(app)
    unit = login_as("unit_a", UNIT_A)
    assert name in list_table(unit.get(MAINTAIN).get_data(as_text=True))
    with app.app_context():  # plain SQL on the table, no object changed: as another worker's change
        table = DictionaryItem.__table__
        db.session.execute(update(table).where(
            table.c.category == DictionaryCategory.EDUCATION, table.c.code == code).values(name="别处改的学历"))
        db.session.commit()
    assert name in list_table(unit.get(MAINTAIN).get_data(as_text=True))  # the snapshot, within the TTL
    later = formatting.time.monotonic() + formatting.DICTIONARY_TTL + 1
    monkeypatch.setattr(formatting.time, "monotonic", lambda: later)
    assert "别处改的学历" in list_table(unit.get(MAINTAIN).get_data(as_text=True))


def test_a_rolled_back_change_forgets_nothing(app):
    with app.app_context():
        with app.test_request_context():
            formatting.dictionary_name(DictionaryCategory.EDUCATION, "x")
        assert DictionaryCategory.EDUCATION in formatting._dictionaries
        item = db.session.scalar(select(DictionaryItem).where(DictionaryItem.category == DictionaryCategory.EDUCATION))
        item.name = "不会保存"
        db.session.flush()
        db.session.rollback()
        db.session.execute(text("SELECT 1"))
        db.session.commit()
        assert DictionaryCategory.EDUCATION in formatting._dictionaries


def test_a_series_name_comes_from_the_snapshot_and_a_committed_rename_is_read_next(app, login_as, counting):
    """继续教育记录查询 shows 专业系列 by name without joining the table; a rename this process commits is
    read by the next request."""
    from backoffice.models import ProfessionalSeries

    industry = login_as("gd_edu")
    url = "/admin/record_query_industry/"
    with app.app_context():
        series = db.session.scalar(select(ProfessionalSeries).join(Person, Person.series_id == ProfessionalSeries.id)
                                   .order_by(ProfessionalSeries.id).limit(1))
        series_id, name = series.id, series.name
    industry.get(url)
    with counting() as statements:
        page = list_table(industry.get(url).get_data(as_text=True))
    assert name in page
    listed = [s for s in statements if "FROM record" in s and "LIMIT" in s]
    assert listed and not any("professional_series" in s for s in listed)  # the page's rows: not joined
    with app.app_context():
        db.session.get(ProfessionalSeries, series_id).name = "改名后的专业系列"
        db.session.commit()
    page = list_table(industry.get(url).get_data(as_text=True))
    assert "改名后的专业系列" in page and name not in page


def test_a_code_added_elsewhere_is_named_at_once(app):
    """A code the snapshot lacks (another worker added it) reads the dictionary again, once a request."""
    with app.test_request_context():  # a request of its own (its own `g`), as each served one
        assert formatting.dictionary_name(DictionaryCategory.EDUCATION, "98") == "98"  # no such code yet
    with app.app_context():
        db.session.execute(DictionaryItem.__table__.insert().values(
            category=DictionaryCategory.EDUCATION, code="98", name="新增学历", sort=98, active=True))
        db.session.commit()
    with app.test_request_context():
        assert formatting.dictionary_name(DictionaryCategory.EDUCATION, "98") == "新增学历"
        assert formatting.dictionary_name(DictionaryCategory.EDUCATION, "99") == "99"


def test_a_filters_choices_come_from_the_snapshot(app, login_as, counting):
    """继续教育记录查询's 专业系列 and 学习形式 choices are the snapshot's: no statement per page; an entry this
    process adds is offered by the next request, one it deactivates no longer is."""
    industry = login_as("gd_edu")
    url = "/admin/record_query_industry/"
    industry.get(url)
    with counting() as statements:
        page = industry.get(url).get_data(as_text=True)
    assert "网络培训" in re.search(rf'name="{search_box(page, "学习形式")}".*?</select>', page, re.S).group(0)
    assert not any("dictionary_item" in s or "professional_series" in s for s in statements)
    with app.app_context():
        db.session.add(DictionaryItem(category=DictionaryCategory.STUDY_FORM, code="97", name="新增的学习形式",
                                      sort=97, active=True))
        db.session.scalar(select(DictionaryItem).where(
            DictionaryItem.category == DictionaryCategory.STUDY_FORM, DictionaryItem.name == "网络培训")).active = False
        db.session.commit()
    page = industry.get(url).get_data(as_text=True)
    arg = search_box(page, "学习形式")
    choices = re.search(rf'name="{arg}".*?</select>', page, re.S).group(0)
    assert "新增的学习形式" in choices and "网络培训" not in choices
    assert industry.get(f"{url}?{arg}=97").status_code == 200
