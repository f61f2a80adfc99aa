"""The generic scope test: every registered Flask-Admin view, every demo identity.

For each view an identity may use, the rows outside its scope (every row of the table minus those the
policy grants) must be absent from the list and export, and answer 404 on details, edit, delete and
actions. Relation choices in forms must stay in scope too. For each view it may not use, the URL
answers 403. A view added tomorrow is swept the day it is registered.
"""
import csv
import io
import re

import pytest
from flask import g
from sqlalchemy import inspect, select

from backoffice.extensions import db
from backoffice.models import User
from backoffice.policy import available_contexts, build_actor, visible
from backoffice.views import scoped_views

# (login, organisation to act as when the account has several)
IDENTITIES = [
    ("admin", None),
    ("helpdesk", None),
    ("gd_hr", None),
    ("gz_hr", None),
    ("gd_edu", None),
    ("gz_edu", None),
    ("unit_a", "广州示范大学"),
    ("unit_a", "广州示范医院"),
    ("unit_b", None),
    ("unit_c", None),
    ("inst_a", None),
    ("p_chen", None),
    ("p_liu", None),
    ("hn_hr", None),
    ("py_hr", None),
    ("py_unit", None),
    ("py_base", None),
]
SAMPLE = 3  # hidden rows probed per view and identity


def _actor(app, login, org):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == login))
        contexts = available_contexts(user)
        key = next(c.key for c in contexts if org is None or c.label.startswith(org))
        return build_actor(user, key)


def ids_per_identity(app, model, condition) -> dict[tuple, set]:
    """(login, organisation) → the ids of `model` where `condition(actor)`, built in a request acting as
    that demo identity (for comparing a view's narrowed scope with the policy's rule it implies)."""
    pk = inspect(model).primary_key[0]
    found = {}
    for login, org in IDENTITIES:
        actor = _actor(app, login, org)
        with app.test_request_context():
            g.actor = actor
            found[login, org] = set(db.session.scalars(select(pk).where(condition(actor))))
    return found


def _visible_ids(app, view, actor):
    with app.test_request_context():
        g.actor = actor
        return {inspect(row).identity[0] for row in view.get_query().all()}


def _all_ids(app, model):
    with app.app_context():
        pk = inspect(model).primary_key[0]
        return set(db.session.scalars(select(pk)))


def _views(app):
    return scoped_views(app.extensions["backoffice_admin"])


@pytest.mark.parametrize("login,org", IDENTITIES, ids=[f"{l}-{o or ''}" for l, o in IDENTITIES])
def test_every_view_keeps_out_of_scope_rows_out(app, login_as, login, org):
    client = login_as(login, org)
    actor = _actor(app, login, org)
    swept = 0
    for view in _views(app):
        base = view.url
        if not actor.can_use(view.module):
            assert client.get(f"{base}/").status_code == 403, f"{login} reached {base}"
            continue
        swept += 1
        visible_ids = _visible_ids(app, view, actor)
        hidden = sorted(_all_ids(app, view.model) - visible_ids, key=str)[:SAMPLE]

        listing = client.get(f"{base}/?page_size=100", follow_redirects=True)
        assert listing.status_code == 200, base
        html = listing.get_data(as_text=True)
        for row_id in hidden:
            assert not re.search(rf"[?&]id={re.escape(str(row_id))}[&\"']", html), (login, base, row_id)
            assert client.get(f"{base}/details/?id={row_id}").status_code == 404, (login, base, row_id)
            # a screen without 修改/删除 refuses the verb itself (403); one with it does not find the row (404)
            edit_status, delete_status = (404 if view.can_edit else 403), (404 if view.can_delete else 403)
            assert client.get(f"{base}/edit/?id={row_id}").status_code == edit_status, (login, base, row_id)
            deleted = client.post(f"{base}/delete/", {"id": row_id})
            assert deleted.status_code == delete_status, (login, base, row_id)
            acted = client.post(f"{base}/action/", {"action": "delete", "rowid": [row_id]})
            assert acted.status_code == 404, (login, base, row_id)

        if view.can_export:
            # the whole list, not just what it opens on (review lists open on 待审核): after 清空
            clear = re.search(r'href="[^"?]*\?([^"]*)" id="search-clear"', html)
            query = clear.group(1).replace("&amp;", "&") if clear else ""
            exported = client.get(f"{base}/export/csv/?{query}")
            assert exported.status_code == 200
            rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
            assert len(rows) - 1 == len(visible_ids), (login, base)
        else:
            assert client.get(f"{base}/export/csv/").status_code == 403

        _assert_form_choices_in_scope(app, view, actor, visible_ids)
    assert swept > 0, f"{login} can use no view at all"


def _assert_form_choices_in_scope(app, view, actor, visible_ids):
    if not (view.can_create or view.can_edit):
        return
    with app.test_request_context():
        g.actor = actor
        form = view.create_form() if view.can_create else view.edit_form(
            view.get_query().first() if visible_ids else None
        )
        for field in form:
            factory = getattr(field, "query_factory", None)
            if factory is None:
                continue
            target = factory().column_descriptions[0]["entity"]
            allowed = {inspect(r).identity[0] for r in db.session.query(target).filter(visible(target, actor))}
            offered = {inspect(r).identity[0] for r in factory()}
            assert offered <= allowed, (view.endpoint, field.name)


def test_the_sweep_covers_rows_owned_by_others(app):
    """Guard against a vacuous sweep: some identity must actually be denied rows in each org-scoped view."""
    unit_b = _actor(app, "unit_b", None)
    denied_somewhere = 0
    for view in _views(app):
        if unit_b.can_use(view.module):
            denied_somewhere += bool(_all_ids(app, view.model) - _visible_ids(app, view, unit_b))
    assert denied_somewhere >= 3


def test_anonymous_is_sent_to_login_from_every_view(app, client):
    for view in _views(app):
        response = client.get(f"{view.url}/")
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def _page_views(app):
    from backoffice.views.base import PageView

    return [v for v in app.extensions["backoffice_admin"]._views if isinstance(v, PageView)]


@pytest.mark.parametrize("login,org", IDENTITIES, ids=[f"{l}-{o or ''}" for l, o in IDENTITIES])
def test_every_page_view_answers_only_to_its_module(app, login_as, login, org):
    """Page screens (批量导入, reports) have no rows to sweep, but the same gate: 403 without the module."""
    assert _page_views(app), "no page view registered"
    client = login_as(login, org)
    actor = _actor(app, login, org)
    for view in _page_views(app):
        status = client.get(f"{view.url}/").status_code
        assert (status == 200) == actor.can_use(view.module), (login, view.url, status)
        if not actor.can_use(view.module):
            assert status == 403, (login, view.url, status)


def test_anonymous_is_sent_to_login_from_every_page_view(app, client):
    for view in _page_views(app):
        response = client.get(f"{view.url}/")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_malformed_ids_are_not_found(login_as):
    client = login_as("unit_b")
    for bad in ["abc", "1,2", "99999999999999999999", "1&id=2"]:
        assert client.get(f"/admin/person_maintain/details/?id={bad}").status_code == 404, bad
    # no id at all is not a lookup: back to the list, as Flask-Admin does
    for missing in ["?id=", ""]:
        response = client.get(f"/admin/person_maintain/details/{missing}")
        assert response.status_code == 302 and response.headers["Location"].endswith("/admin/person_maintain/")


def test_ajax_relation_lookups_stay_in_scope(app):
    """select2 lookups (form_ajax_refs) list and resolve only rows in scope."""
    from backoffice.models import Person
    from backoffice.views.base import ScopedAjaxLoader

    unit_b = _actor(app, "unit_b", None)
    with app.test_request_context():
        g.actor = unit_b
        loader = ScopedAjaxLoader("person", db.session, Person, fields=["name"])
        names = {p.name for p in loader.get_list("", offset=0, limit=100)}
        assert "刘文斌" in names and "陈诗慧" not in names
        chen = db.session.scalar(select(Person.id).where(Person.name == "陈诗慧"))
        liu = db.session.scalar(select(Person.id).where(Person.name == "刘文斌"))
        assert loader.get_one(chen) is None and loader.get_one(str(chen)) is None
        assert loader.get_one(str(liu)).name == "刘文斌"  # the posted value is text
        assert loader.get_one("id") is None and loader.get_one("99999999999") is None
