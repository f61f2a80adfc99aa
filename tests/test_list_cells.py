"""A cell reads as Flask-Admin writes it (views/listing.py `_get_list_value`): the column's formatter or the
attribute along its dots, a choice's label, the first type formatter the value is an instance of — with
nothing (None) as "" — though ours looks a value's type formatter up once per type.

Every cell of every list, details page and export of every demo identity is compared with Flask-Admin's
own reading of it, so a formatter set, column or type added tomorrow is compared the day it appears.
"""
import datetime
import enum

import pytest
from flask_admin.model.base import BaseModelView

from backoffice.views import listing, scoped_views
from backoffice.views.base import ScopedModelView

from test_scope_sweep import IDENTITIES


def _flask_admins(view, context, model, name, column_formatters, column_type_formatters):
    value = BaseModelView._get_list_value(view, context, model, name, column_formatters, column_type_formatters)
    return "" if value is None else value


@pytest.fixture
def compared(monkeypatch):
    """(endpoint, column, ours, Flask-Admin's) of every cell written since."""
    cells = []
    ours = ScopedModelView._get_list_value

    def both(self, context, model, name, column_formatters, column_type_formatters):
        mine = ours(self, context, model, name, column_formatters, column_type_formatters)
        theirs = _flask_admins(self, context, model, name, column_formatters, column_type_formatters)
        cells.append((self.endpoint, name, mine, theirs))
        return mine

    monkeypatch.setattr(ScopedModelView, "_get_list_value", both)
    return cells


@pytest.mark.parametrize("login,org", IDENTITIES, ids=[f"{l}-{o or ''}" for l, o in IDENTITIES])
def test_every_cell_reads_as_flask_admin_writes_it(app, login_as, compared, login, org):
    client = login_as(login, org)
    for view in scoped_views(app.extensions["backoffice_admin"]):
        page = client.get(f"/admin/{view.endpoint}/")
        if page.status_code != 200:
            continue  # not this identity's screen
        html = page.get_data(as_text=True)
        details = listing_details_link(html, view.endpoint)
        if details:
            client.get(details)
        if f"/admin/{view.endpoint}/export/csv/" in html:
            client.get(f"/admin/{view.endpoint}/export/csv/").get_data()
    assert compared, "no page of this identity wrote a cell"
    differing = [(e, n, m, t) for e, n, m, t in compared if m != t or type(m) is not type(t)]
    assert differing == []


def listing_details_link(html: str, endpoint: str) -> str | None:
    marker = f"/admin/{endpoint}/details/?id="
    start = html.find(marker)
    if start < 0:
        return None
    end = html.find('"', start)
    return html[start:end].replace("&amp;", "&")


class Colour(enum.Enum):
    RED = "red"


def _named(label):
    return lambda view, value, name: f"{label}:{value}"


def test_the_first_formatter_the_value_is_an_instance_of_answers_as_in_flask_admin():
    formatters = {int: _named("int"), bool: _named("bool"), enum.Enum: _named("enum"), datetime.date: _named("date")}
    for value in (True, 3, Colour.RED, datetime.datetime(2026, 1, 2, 3, 4), datetime.date(2026, 1, 2), "text", None):
        expected = next((f for base, f in formatters.items() if isinstance(value, base)), None)
        assert listing._type_formatter(formatters, type(value)) is expected
    assert listing._type_formatter(formatters, bool) is formatters[int]  # bool is an int: the first one wins


def test_each_formatter_set_answers_for_itself():
    listed, detailed = {datetime.date: _named("list")}, {datetime.date: _named("details")}
    assert listing._type_formatter(listed, datetime.date) is listed[datetime.date]
    assert listing._type_formatter(detailed, datetime.date) is detailed[datetime.date]
    assert listing._type_formatter(listed, datetime.date) is listed[datetime.date]


def test_a_set_born_at_a_dead_sets_address_is_not_given_the_dead_sets_answer():
    fresh = {datetime.date: _named("fresh")}
    dead = {datetime.date: _named("dead")}
    listing._TYPE_FORMATTERS[(id(fresh), datetime.date)] = (dead, dead[datetime.date])  # as if id were reused
    assert listing._type_formatter(fresh, datetime.date) is fresh[datetime.date]
