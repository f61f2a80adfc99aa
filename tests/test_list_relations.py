"""Every list loads the relations it shows with its page's rows (`list_eager`), never one row at a time;
its CSV export likewise with each batch.

For every registered list and every demo identity that may open it, the page as it opens and the page
cleared of its default (a review list opens on 待审核) are rendered while the rows are watched: each
relationship of a row — and of every object loaded with it — that was not loaded when `get_list`
returned must still be unloaded once the page is written, and so must each column a page's loads left
out (`page_eager`). A relationship or column read while writing the page is a query per row on a page whose rows name different objects (the demo's rows often name the same one,
which hides the N+1 from a count of statements; this watch does not depend on the data). A view added
tomorrow is watched the day it is registered.
"""
import re

import pytest
from sqlalchemy import inspect

from backoffice.views import scoped_views
from backoffice.views.base import ScopedModelView

from test_scope_sweep import IDENTITIES  # the demo identities whose lists hold rows

CLEAR = re.compile(r'href="([^"]+)" id="search-clear"')


def _not_loaded(rows) -> dict[int, tuple[object, set[str]]]:
    """id → (object, its attributes not loaded), for the rows and every object loaded with them: its
    relationships, and its columns a page's loads left out (`page_eager`'s load_only)."""
    found, todo = {}, list(rows)
    while todo:
        obj = todo.pop()
        if id(obj) in found:
            continue
        state = inspect(obj)
        relationships = state.mapper.relationships
        found[id(obj)] = (obj, set(state.unloaded))
        for rel in relationships:
            value = state.dict.get(rel.key)
            if rel.key in state.unloaded or value is None:
                continue
            todo.extend(value if rel.uselist else [value])
    return found


@pytest.fixture
def watched_pages(monkeypatch):
    """The list pages and exports written since: (endpoint, what was not loaded when its rows were read).
    An export's row is caught at its first cell, before any of its values is read."""
    pages = []
    get_list, get_export_value = ScopedModelView.get_list, ScopedModelView.get_export_value
    exported = {}  # the export's rows stay referenced, so no id is reused while watched

    def watching(self, *args, **kwargs):
        count, rows = get_list(self, *args, **kwargs)
        if isinstance(rows, list):  # executed: a page's rows (an export asks for the query)
            pages.append((self.endpoint, _not_loaded(rows)))
        return count, rows

    def watching_export(self, model, name):
        if id(model) not in exported:
            exported[id(model)] = model
            pages.append((f"{self.endpoint} export", _not_loaded([model])))
        return get_export_value(self, model, name)

    monkeypatch.setattr(ScopedModelView, "get_list", watching)
    monkeypatch.setattr(ScopedModelView, "get_export_value", watching_export)
    return pages


def _read_while_rendering(pages) -> set[str]:
    read = set()
    for endpoint, before in pages:
        for obj, keys in before.values():
            for key in keys - inspect(obj).unloaded:
                read.add(f"{endpoint}: {type(obj).__name__}.{key}")
    return read


@pytest.mark.parametrize("login,org", IDENTITIES, ids=[f"{l}-{o or ''}" for l, o in IDENTITIES])
def test_no_list_reads_a_relation_row_by_row(app, login_as, watched_pages, login, org):
    client = login_as(login, org)
    endpoints = [view.endpoint for view in scoped_views(app.extensions["backoffice_admin"])]
    for endpoint in endpoints:
        response = client.get(f"/admin/{endpoint}/")
        if response.status_code != 200:
            continue  # not this identity's screen (the scope sweep checks the answer)
        cleared = CLEAR.search(response.get_data(as_text=True))
        if cleared:
            assert client.get(cleared.group(1).replace("&amp;", "&")).status_code == 200
        if f"/admin/{endpoint}/export/csv/" in response.get_data(as_text=True):
            exported = client.get(f"/admin/{endpoint}/export/csv/")
            assert exported.status_code == 200 and exported.get_data()  # read to the end: it streams
    rows_seen = sum(len(before) for _, before in watched_pages)
    assert rows_seen, "no list of this identity showed a row: nothing was watched"
    assert _read_while_rendering(watched_pages) == set()


def test_the_watch_sees_a_relation_read_on_the_page(app, login_as, watched_pages, monkeypatch):
    """Not blind: the same walk over a record list without its joined person reports the person."""
    from backoffice.views.records import RecordReviewView

    monkeypatch.setattr(RecordReviewView, "list_eager", ())
    monkeypatch.setattr(RecordReviewView, "page_eager", None)
    client = login_as("unit_b")
    opened = client.get("/admin/record_review/").get_data(as_text=True)
    everything = CLEAR.search(opened).group(1).replace("&amp;", "&")  # 清空: beyond 待审核
    assert "model-list" in client.get(everything).get_data(as_text=True)
    client.get("/admin/record_review/export/csv/?" + everything.split("?", 1)[1]).get_data()
    read = _read_while_rendering(watched_pages)
    assert {"record_review: Record.person", "record_review export: Record.person"} <= read


def test_the_watch_sees_a_column_the_pages_loads_left_out(app, login_as, watched_pages, monkeypatch):
    """Not blind to columns either: 记录审核 loading its people's 姓名 but not their 公民身份号码, which it
    shows, reads that number person by person."""
    from sqlalchemy.orm import joinedload

    from backoffice.models import Person, Record
    from backoffice.views.records import RecordReviewView

    monkeypatch.setattr(RecordReviewView, "page_eager", (joinedload(Record.person).load_only(Person.name),))
    client = login_as("unit_b")
    opened = client.get("/admin/record_review/").get_data(as_text=True)
    assert "model-list" in client.get(CLEAR.search(opened).group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "record_review: Person.id_number" in _read_while_rendering(watched_pages)
