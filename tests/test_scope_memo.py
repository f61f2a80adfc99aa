"""The statements a scope is made of are built once per process where they read only plain values
(policy/scope.py: orgs_in_region, people_of_units, records_of_region, records_of_series; the declaration,
记录审核, 学时审验 and 继续教育记录查询 scopes) and reused as they are. Reused, they must select what a fresh build selects, for every
demo identity in whatever order the identities come — a statement built for one region, organisation,
set of employer kinds or width is never another's."""
import pytest
from flask import g
from sqlalchemy import inspect, select
from sqlalchemy.orm import aliased

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


def test_the_people_rule_read_off_a_joined_unit_selects_the_people_rule(app):
    """scope.people_by_unit — the Person rule for statements that join each person's unit (the
    statistics) — selects visible(Person) for every identity: the same people, nobody else."""
    with app.app_context():  # someone on an institution's books: no employer in 广东 (DESIGN §4), one in 河南
        institution = db.session.scalar(select(Organisation).where(
            Organisation.kind == OrgKind.INSTITUTION, Organisation.region_code.like("44%")))
        db.session.scalar(select(Person).where(Person.name == "刘文斌")).unit_id = institution.id
        db.session.commit()  # into the test's own transaction, rolled back after it
    unit = aliased(Organisation)
    for identity in IDENTITIES:
        actor = _actor(app, *identity)
        with app.test_request_context():
            g.actor = actor
            joined = set(db.session.scalars(
                select(Person.id).outerjoin(unit, unit.id == Person.unit_id).where(scope.people_by_unit(actor, unit))
            ))
        assert joined == _ids(app, Person, identity), identity
    assert _ids(app, Person, ("gd_edu", None)) and _ids(app, Person, ("hn_hr", None))
