"""The region statements a scope is made of are built once per process (policy/scope.py: orgs_in_region,
people_of_units, records_of_region) and reused as they are. Reused, they must select what a fresh build
selects, for every demo identity in whatever order the identities come — a statement built for one
region, one set of employer kinds or one width is never another's."""
import pytest
from flask import g
from sqlalchemy import inspect, select

from backoffice.extensions import db
from backoffice.labels import OrgKind
from backoffice.models import Organisation, Person, Record
from backoffice.policy import scope, visible

from test_scope_sweep import IDENTITIES, _actor

MEMOS = (scope._orgs_in_region, scope._people_of_units, scope._records_of_region)


def _forget():
    for memo in MEMOS:
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
