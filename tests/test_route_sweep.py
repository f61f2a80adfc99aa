"""The scope sweep over every route that names a row (issue 10): the app's own pages beyond Flask-Admin's
list / 查看 / 修改 / 删除 / actions / export (which tests/test_scope_sweep.py walks).

Each such route declares what it reads (`backoffice/route_params.py`: `@reads(id=OWN, class_id=…)`).
An undeclared route fails here the day it is added; a declared parameter is probed, for every demo
identity, with rows that identity may not see — in the URL, and posted where the route takes POST —
and must answer exactly 404 (or 403 where the identity is refused the route's verb for its own rows
as well). A screen the identity may not use answers 403 on every route of it.
"""
import pytest
from flask import g
from sqlalchemy import inspect, select

from backoffice.extensions import db
from backoffice.policy import visible
from backoffice.route_params import OWN
from backoffice.views import scoped_views
from backoffice.views.base import ModuleAccess

from test_scope_sweep import IDENTITIES, _actor

# Flask-Admin's own endpoints of a model view: swept by tests/test_scope_sweep.py
FLASK_ADMIN = {
    "index_view", "details_view", "edit_view", "delete_view", "action_view", "export", "create_view",
    "ajax_lookup", "ajax_update", "index", "static",
}
SAMPLE = 2  # hidden rows probed per parameter


def _routes(app):
    """(rule, view or None, declared params) of every route beyond Flask-Admin's own."""
    admin = app.extensions["backoffice_admin"]
    views = {view.endpoint: view for view in admin._views}
    found = []
    for rule in app.url_map.iter_rules():
        blueprint, _, name = rule.endpoint.rpartition(".")
        if name in FLASK_ADMIN:
            continue
        declared = getattr(app.view_functions[rule.endpoint], "reads_rows", None)
        found.append((rule, views.get(blueprint), declared))
    return found


def test_every_route_declares_the_rows_it_reads(app):
    undeclared = sorted(rule.endpoint for rule, _, declared in _routes(app) if declared is None)
    assert undeclared == [], "declare with @reads(...) (backoffice/route_params.py): " + ", ".join(undeclared)


def test_the_sweep_probes_the_routes_that_matter(app):
    """Guard against a vacuous sweep: the routes known to take ids are among the probed ones."""
    probed = {rule.endpoint for rule, _, declared in _routes(app) if declared}
    assert {
        "plan_apply.class_form_view", "plan_apply.submit_view", "class_setup.status_view",
        "review_units.review_view", "transfer_out.request_view", "attachments.download",
        "accounts.reset_view", "catalogue_publish.course_view",
    } <= probed


def _own_ids(app, view, actor) -> tuple[set, set]:
    """(ids the view shows this actor, every id of its model)."""
    with app.test_request_context():
        g.actor = actor
        pk = inspect(view.model).primary_key[0]
        shown = {inspect(row).identity[0] for row in view.get_query().all()}
        return shown, set(db.session.scalars(select(pk)))


def _hidden(app, model, actor) -> list:
    with app.app_context():
        pk = inspect(model).primary_key[0]
        every = set(db.session.scalars(select(pk)))
        seen = set(db.session.scalars(select(pk).where(visible(model, actor))))
    return sorted(every - seen)[:SAMPLE]


def _url(rule, path_values: dict, query: dict) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<int:{name}>", str(path_values[name])).replace(f"<{name}>", str(path_values[name]))
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def _probe(client, rule, path_values: dict, query: dict) -> dict:
    """Status of GET and POST (those the route takes) with the parameters in the URL, and posted too."""
    url = _url(rule, path_values, query)
    statuses = {}
    if "GET" in rule.methods:
        statuses["GET"] = client.get(url).status_code
    if "POST" in rule.methods:
        statuses["POST"] = client.post(url, dict(query)).status_code
    return statuses


@pytest.mark.parametrize("login,org", IDENTITIES, ids=[f"{l}-{o or ''}" for l, o in IDENTITIES])
def test_every_route_answers_404_for_rows_out_of_scope(app, login_as, login, org):
    client = login_as(login, org)
    actor = _actor(app, login, org)
    probes = 0
    for rule, view, declared in _routes(app):
        if not declared:
            continue
        if isinstance(view, ModuleAccess) and not actor.can_use(view.module):
            url = _url(rule, {name: 1 for name in rule.arguments}, {})
            statuses = {m: (client.get(url) if m == "GET" else client.post(url, {})).status_code
                        for m in ("GET", "POST") if m in rule.methods}
            assert set(statuses.values()) == {403}, (login, rule.rule, statuses)
            continue
        shown, every = _own_ids(app, view, actor) if OWN in declared.values() else (set(), set())
        parent = {"id": min(shown)} if shown else None
        # A route whose verb this identity may not use at all (撤销 on a screen it may only read)
        # refuses its own rows with 403 too: then 403 for a hidden row leaks nothing either.
        # (judged without changing anything: GET with its own row, or a POST naming no row)
        if rule.arguments:
            own = None
        elif "GET" in rule.methods:
            own = client.get(_url(rule, {}, parent or {})).status_code
        else:
            own = client.post(_url(rule, {}, {}), {}).status_code
        expected = {403} if own == 403 else {404}
        for param, model in declared.items():
            if model == OWN:
                hidden = sorted(every - shown)[:SAMPLE]
                context = {}
            else:
                hidden = _hidden(app, model, actor)
                if "id" in declared and param != "id":
                    if parent is None:
                        continue  # no row of its own to name as the parent
                    context = parent
                else:
                    context = {}
            for row_id in hidden:
                in_path = param in rule.arguments
                statuses = _probe(
                    client, rule,
                    {param: row_id} if in_path else {},
                    {**context, **({} if in_path else {param: row_id})},
                )
                assert set(statuses.values()) == expected, (login, rule.rule, param, row_id, statuses)
                probes += 1
    if login != "admin":  # the 系统管理员 sees every row: nothing is out of its scope
        assert probes > 0, f"{login}: nothing probed"
