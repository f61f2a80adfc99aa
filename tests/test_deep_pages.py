"""Deep pages of the big lists (issue 12 item 4): a view with `ids_first` finds the page's ids on the
bare scoped query and then loads those rows; a user must see exactly the rows plain OFFSET paging shows,
page by page, equal names included (the primary key breaks the tie). And `flask bench-data` makes the
province those lists are measured on: records, their 审批流程 and 操作日志 rows, in every list's scope."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from backoffice.benchdata import RECORDS_PER_PERSON, generate
from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, ReviewResult
from backoffice.models import AuditLog, Organisation, Person, Record, ReviewLog
from backoffice.validators import make_citizen_id
from pages import list_table

PEOPLE = 30  # 150 records: 7 pages of the record lists


def _ids(client, url: str) -> list[int]:
    page = client.get(url)
    assert page.status_code == 200
    return [int(i) for i in re.findall(r"details/\?id=(\d+)", list_table(page.get_data(as_text=True)))]


def _pages(client, base: str, count: int) -> list[list[int]]:
    joiner = "&" if "?" in base else "?"
    return [_ids(client, f"{base}{joiner}page={n}") for n in range(count)]


def _view(app, endpoint: str):
    return next(v for v in app.extensions["backoffice_admin"]._views if v.endpoint == endpoint)


def _same_as_offset(app, client, endpoint: str, base: str, pages: int, monkeypatch) -> list[list[int]]:
    view = _view(app, endpoint)
    assert view.ids_first
    ids_first = _pages(client, base, pages)
    monkeypatch.setattr(view, "ids_first", False)
    offset = _pages(client, base, pages)
    monkeypatch.undo()
    assert ids_first == offset
    return ids_first


@pytest.fixture
def province(app):
    with app.app_context():
        counts = generate(PEOPLE)
        db.session.commit()
    return counts


def test_equal_names_page_the_same_with_ids_first_as_with_offset(app, login_as, monkeypatch):
    with app.app_context():
        unit = db.session.scalar(select(Organisation.id).where(Organisation.name == "广州示范大学"))
        for seq in range(45):
            db.session.add(Person(
                name="同名同姓", sex="男", id_number=make_citizen_id("440106", date(1990, 1, 1), f"{600 + seq:03d}"),
                unit_id=unit, binding_status="confirmed",
            ))
        db.session.commit()
        expected = db.session.scalars(select(Person.id).where(Person.name == "同名同姓").order_by(Person.id)).all()
    hr = login_as("gd_hr")

    pages = _same_as_offset(app, hr, "person_query", "/admin/person_query/?search=同名同姓", 4, monkeypatch)

    assert [len(p) for p in pages] == [20, 20, 5, 0]
    assert [i for p in pages for i in p] == expected  # every one once, in id order within the name


def test_bench_data_makes_records_reviews_and_audit_rows(app, province):
    with app.app_context():
        people = db.session.scalars(select(Person.id).order_by(Person.id.desc()).limit(PEOPLE)).all()
        records = db.session.execute(
            select(Record.status, func.count()).where(Record.person_id.in_(people)).group_by(Record.status)
        ).all()
        by_status = dict(records)
        per_person = db.session.execute(
            select(func.count(), func.count(func.distinct(Record.year)))
            .where(Record.person_id == people[0])
        ).one()
        mine = select(Record.id).where(Record.person_id.in_(people))
        submitted = db.session.scalar(select(func.count()).select_from(ReviewLog).where(
            ReviewLog.object_type == "record", ReviewLog.object_id.in_(mine), ReviewLog.result == ReviewResult.SUBMIT))
        decided = db.session.scalar(select(func.count()).select_from(ReviewLog).where(
            ReviewLog.object_type == "record", ReviewLog.object_id.in_(mine),
            ReviewLog.result.in_([ReviewResult.APPROVE, ReviewResult.RETURN])))
        audited = db.session.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.object_type == "record", AuditLog.region_code.like("44%")))

    assert province["人员"] == PEOPLE and province["继续教育记录"] == PEOPLE * RECORDS_PER_PERSON
    assert tuple(per_person) == (RECORDS_PER_PERSON, RECORDS_PER_PERSON)  # one a year, five years
    assert set(by_status) == {ApplicationStatus.APPROVED, ApplicationStatus.PENDING, ApplicationStatus.RETURNED,
                              ApplicationStatus.DRAFT}
    assert by_status[ApplicationStatus.APPROVED] > PEOPLE * RECORDS_PER_PERSON * 0.7
    not_draft = sum(n for status, n in by_status.items() if status != ApplicationStatus.DRAFT)
    assert submitted == not_draft
    assert decided == by_status[ApplicationStatus.APPROVED] + by_status[ApplicationStatus.RETURNED]
    assert audited >= decided


def test_record_and_audit_lists_page_the_same_with_ids_first(app, province, login_as, monkeypatch):
    hr = login_as("gd_hr")
    checks = _same_as_offset(app, hr, "record_check", "/admin/record_check/", 3, monkeypatch)
    assert [len(p) for p in checks] == [20, 20, 20]
    assert all(a > b for a, b in zip(sum(checks, []), sum(checks, [])[1:]))  # newest first, none twice

    log = _same_as_offset(app, hr, "audit_log", "/admin/audit_log/", 3, monkeypatch)
    assert [len(p) for p in log] == [20, 20, 20] and len(set(sum(log, []))) == 60


def test_the_primary_key_is_added_to_an_order_only_where_the_order_lacks_it(app, login_as, counting):
    """An order that holds the primary key (记录申报 newest first: `id DESC`) is total already; one that does
    not (信息查询 by name) gets the key after it, so namesakes never share or skip a page."""
    orders = {}
    for login, org, endpoint in (("inst_a", None, "record_score_declare"), ("gz_hr", None, "person_query")):
        client = login_as(login, org)
        client.get(f"/admin/{endpoint}/")
        with counting() as statements:
            assert client.get(f"/admin/{endpoint}/").status_code == 200
        listed = [s for s in statements if "ORDER BY" in s and "LIMIT" in s]
        assert listed
        orders[endpoint] = re.search(r"ORDER BY (.*?)\s+LIMIT", listed[-1], re.S).group(1).strip()
    assert orders == {"record_score_declare": "record.id DESC", "person_query": "person.name, person.id"}
