"""信息确认 and 信息维护 scope by `staff_of` alone, not AND-ed with visible(Person): an employer's own
people lie inside what it may see, for every actor. For every demo identity (one acting for two units,
an HR that employs in 河南 among them) the rows are the same as with visible(Person)."""
import pytest
from flask import g
from sqlalchemy import and_, select

from backoffice.extensions import db
from backoffice.labels import BindingStatus
from backoffice.models import Person
from backoffice.policy import visible
from backoffice.policy.scope import staff_of
from backoffice.views.person import PersonConfirmView, PersonMaintainView

from test_scope_sweep import IDENTITIES, _actor


@pytest.mark.parametrize("view_class,status", [
    (PersonConfirmView, BindingStatus.PENDING), (PersonMaintainView, BindingStatus.CONFIRMED),
])
def test_an_employers_people_lists_are_its_staff_within_what_it_sees(app, view_class, status):
    view = next(v for v in app.extensions["backoffice_admin"]._views if type(v) is view_class)
    seen = 0
    for login, org in IDENTITIES:
        actor = _actor(app, login, org)
        with app.test_request_context():
            g.actor = actor
            narrowed = set(db.session.scalars(select(Person.id).where(view.scope())))
            within = and_(visible(Person, actor), staff_of(actor), Person.binding_status == status)
            assert narrowed == set(db.session.scalars(select(Person.id).where(within))), (login, org)
        seen += len(narrowed)
    assert seen  # the demo's employers have such people: not a comparison of empty sets
