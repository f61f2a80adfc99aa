"""The statements a scope is made of are built once per process where they read only plain values
(policy/scope.py: orgs_in_region, people_of_units, records_of_region, records_of_series; the declaration,
记录审核, 学时审验 and 继续教育记录查询 scopes) and reused as they are. Reused, they must select what a fresh build selects, for every
demo identity in whatever order the identities come — a statement built for one region, organisation,
set of employer kinds or width is never another's."""
import pytest
from flask import g
from sqlalchemy import inspect, select

from backoffice.extensions import db
from backoffice.labels import OrgKind
from backoffice.models import Organisation, Person, Record
from backoffice.policy import scope, visible
from backoffice.views import scoped_views
from backoffice.workflows import WorkflowError

from test_scope_sweep import IDENTITIES, _actor

def _forget():
    for memo in scope.BUILT_ONCE:  # every builder `built_once` memoizes, wherever it lives
        memo.cache_clear()


def _ids(app, model, identity) -> set:
    actor = _actor(app, *identity)
    with app.test_request_context():
        g.actor = actor
        return set(db.session.scalars(select(inspect(model).primary_key[0]).where(visible(model, actor))))


@pytest.mark.parametrize("model", [Person, Record, Organisation])
def test_reused_statements_select_what_fresh_ones_select_for_every_identity(app, model):
    alone = {}
    for identity in IDENTITIES:  # each built from nothing
        _forget()
        alone[identity] = _ids(app, model, identity)
    _forget()
    forward = {identity: _ids(app, model, identity) for identity in IDENTITIES}  # each reusing the ones before
    _forget()
    backward = {identity: _ids(app, model, identity) for identity in reversed(IDENTITIES)}
    assert forward == alone == backward
    regions = [identity for identity in IDENTITIES if identity[0] in ("gd_hr", "gz_hr", "hn_hr", "py_hr", "gd_edu")]
    assert all(alone[identity] for identity in regions)
    assert not alone["gd_hr", None] & alone["hn_hr", None]  # 广东 and 河南: nobody in both


def test_one_region_and_kinds_give_one_statement_and_others_their_own(app):
    province, city, henan = (_actor(app, login, None) for login in ("gd_hr", "gz_hr", "hn_hr"))
    units = scope.orgs_in_region(province, OrgKind.UNIT)
    assert scope.orgs_in_region(province, OrgKind.UNIT) is units
    assert scope.orgs_in_region(province, OrgKind.INSTITUTION) is not units
    assert scope.orgs_in_region(province) is not units
    assert scope.orgs_in_region(city, OrgKind.UNIT) is not units
    assert scope.orgs_in_region(henan, OrgKind.UNIT) is not units


def _view_ids(app, view, identity):
    actor = _actor(app, *identity)
    with app.test_request_context():
        g.actor = actor
        if not view.is_accessible():
            return None
        try:
            condition = view.scope()
        except WorkflowError:  # not a declarer: its screen refuses it
            return None
        return set(db.session.scalars(select(Record.id).where(condition)))


def test_every_record_lists_reused_scope_selects_what_a_fresh_one_selects(app):
    views = [v for v in scoped_views(app.extensions["backoffice_admin"]) if v.model is Record]
    assert {"record_review", "record_check", "record_score_declare", "record_unit_declared"} <= {v.endpoint for v in views}
    for view in views:
        alone = {}
        for identity in IDENTITIES:
            _forget()
            alone[identity] = _view_ids(app, view, identity)
        _forget()
        forward = {identity: _view_ids(app, view, identity) for identity in IDENTITIES}
        _forget()
        backward = {identity: _view_ids(app, view, identity) for identity in reversed(IDENTITIES)}
        assert forward == alone == backward, view.endpoint
        assert any(alone.values()), f"{view.endpoint}: no identity has rows"
