"""信息确认 and 信息维护 scope by `staff_of` alone, not AND-ed with visible(Person): an employer's own
people lie inside what it may see, for every actor. For every demo identity (one acting for two units,
an HR that employs in 河南 among them) the rows are the same as with visible(Person)."""
import pytest
from sqlalchemy import and_

from backoffice.labels import BindingStatus
from backoffice.models import Person
from backoffice.policy import visible
from backoffice.policy.scope import staff_of
from backoffice.views.person import PersonConfirmView, PersonMaintainView

from test_scope_sweep import ids_per_identity


@pytest.mark.parametrize("view_class,status", [
    (PersonConfirmView, BindingStatus.PENDING), (PersonMaintainView, BindingStatus.CONFIRMED),
])
def test_an_employers_people_lists_are_its_staff_within_what_it_sees(app, view_class, status):
    view = next(v for v in app.extensions["backoffice_admin"]._views if type(v) is view_class)
    narrowed = ids_per_identity(app, Person, lambda actor: view.scope())
    within = ids_per_identity(
        app, Person, lambda actor: and_(visible(Person, actor), staff_of(actor), Person.binding_status == status))
    assert narrowed == within
    assert any(narrowed.values())  # the demo's employers have such people: not a comparison of empty sets
