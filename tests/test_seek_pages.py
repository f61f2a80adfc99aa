"""下一页 / 上一页 of the big lists start from the edge row's sort key (views/seek.py), not from an OFFSET:
following the links gives exactly the pages the page numbers give, forwards and back, equal sort values
included; the statements carry no OFFSET; a token that is not ours, or was made under another sort,
is ignored (the page number answers); and a token never reaches past the scope of whoever uses it."""
import html
import re
from datetime import date

import pytest
from sqlalchemy import event, select

from backoffice.benchdata import generate
from backoffice.extensions import db
from backoffice.models import Organisation, Person
from backoffice.validators import make_citizen_id
from pages import list_table

SAME_NAME = "同名同姓"


def _ids(text: str) -> list[int]:
    return [int(i) for i in re.findall(r"details/\?id=(\d+)", list_table(text))]


def _link(text: str, label: str) -> str | None:
    found = re.search(r'<a class="page-link" href="([^"]*)">' + label + "</a>", text)
    href = html.unescape(found.group(1)) if found else None
    return None if href in (None, "#") else href


def _walk(client, url: str, label: str, limit: int = 20) -> tuple[list[list[int]], list[str]]:
    """The pages met following `label` from `url`, and the links followed."""
    pages, links = [], []
    while url and len(pages) < limit:
        page = client.get(url)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        pages.append(_ids(text))
        url = _link(text, label)
        if url:
            links.append(url)
    return pages, links


def _numbered(client, base: str, count: int) -> list[list[int]]:
    joiner = "&" if "?" in base else "?"
    return [_ids(client.get(f"{base}{joiner}page={n}").get_data(as_text=True)) for n in range(count)]


def _no_offset(statements) -> bool:
    """Every page was read by key: no statement skipped rows. (SQLite prints OFFSET 0 after any LIMIT,
    so the statements are judged before compiling.)"""
    pages = [s for s in statements if getattr(s, "_limit_clause", None) is not None]
    return bool(pages) and all(getattr(s, "_offset_clause", None) is None for s in pages)


@pytest.fixture
def namesakes(app):
    """45 people of one name in 广州示范大学: three pages whose boundaries fall inside one name."""
    with app.app_context():
        unit = db.session.scalar(select(Organisation.id).where(Organisation.name == "广州示范大学"))
        for seq in range(45):
            db.session.add(Person(
                name=SAME_NAME, sex="男", id_number=make_citizen_id("440106", date(1990, 1, 1), f"{600 + seq:03d}"),
                unit_id=unit, binding_status="confirmed",
            ))
        db.session.commit()
        return db.session.scalars(select(Person.id).where(Person.name == SAME_NAME).order_by(Person.id)).all()


@pytest.fixture
def statements(app):
    seen = []
    with app.app_context():
        engine = db.engine

    def record(conn, clauseelement, multiparams, params, execution_options):
        seen.append(clauseelement)

    event.listen(engine, "before_execute", record)
    yield seen
    event.remove(engine, "before_execute", record)


def test_next_and_previous_walk_the_pages_the_numbers_give(app, login_as, namesakes, statements):
    hr = login_as("gd_hr")
    base = f"/admin/person_query/?search={SAME_NAME}"

    statements.clear()
    forward, links = _walk(hr, base, "下一页")
    assert _no_offset(statements)

    assert forward == _numbered(hr, base, 3)
    assert [len(p) for p in forward] == [20, 20, 5]
    assert sum(forward, []) == namesakes  # one name: the primary key orders it, none twice or lost
    assert len(links) == 2 and all("after=" in link for link in links)
    assert re.search(r"page=2\b", links[-1])  # 第 3 页 still says which page it is

    statements.clear()
    back, back_links = _walk(hr, links[-1], "上一页")
    assert back == forward[::-1]
    assert all("before=" in link for link in back_links)
    assert _no_offset(statements)


def test_the_record_and_log_lists_newest_first(app, login_as):
    with app.app_context():
        generate(30)
        db.session.commit()
    hr = login_as("gd_hr")
    for base in ("/admin/record_check/", "/admin/audit_log/"):
        forward, links = _walk(hr, base, "下一页", limit=3)
        assert forward == _numbered(hr, base, 3)
        assert [len(p) for p in forward] == [20, 20, 20] and len(set(sum(forward, []))) == 60
        assert all("after=" in link for link in links)


def test_a_token_not_ours_or_of_another_sort_leaves_the_page_number_to_answer(app, login_as, namesakes):
    hr = login_as("gd_hr")
    base = f"/admin/person_query/?search={SAME_NAME}"
    first = hr.get(base).get_data(as_text=True)
    after = _link(first, "下一页")
    token = after.split("after=", 1)[1]
    numbered = _numbered(hr, base, 3)

    forged = after.replace(token, token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))
    assert _ids(hr.get(forged).get_data(as_text=True)) == numbered[1]
    for junk in ("x", "..", "a" * 300, "%E4%B8%AD"):
        answer = hr.get(f"{base}&page=1&after={junk}")
        assert answer.status_code == 200 and _ids(answer.get_data(as_text=True)) == numbered[1]

    # made under the name order; clicking 公民身份号码's heading twice (sort=2, desc) asks for another
    by_id_number = _numbered(hr, f"{base}&sort=2&desc=1", 2)
    assert by_id_number[1] != numbered[1]
    answer = hr.get(f"{base}&sort=2&desc=1&page=1&after={token}")
    assert _ids(answer.get_data(as_text=True)) == by_id_number[1]


def test_a_token_does_not_reach_past_the_scope_of_whoever_uses_it(app, login_as, namesakes):
    """A province HR's link opened by a unit's clerk: the unit's own rows after that key, nothing else."""
    hr = login_as("gd_hr")
    everyone = hr.get("/admin/person_query/").get_data(as_text=True)
    token = _link(everyone, "下一页").split("after=", 1)[1]
    with app.app_context():
        unit = db.session.scalar(select(Organisation.id).where(Organisation.name == "广州示范大学"))
        own = set(db.session.scalars(select(Person.id).where(Person.unit_id != unit)))
    other = login_as("gz_hr")
    answer = other.get(f"/admin/person_query/?page=1&after={token}")
    assert answer.status_code == 200
    shown = _ids(answer.get_data(as_text=True))
    mine = set(sum(_numbered(other, "/admin/person_query/", 10), []))
    assert shown and set(shown) <= mine
    assert own  # the world has people elsewhere the token could have pointed past
