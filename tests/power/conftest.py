"""Fixtures of the account-power tests."""
import pytest

from power_helpers import SHENZHEN, accept, account, invite, membership_id


@pytest.fixture
def liu_member_of_shenzhen(app, login_as):
    """深圳's super admin binds p_liu (its own confirmed person), who accepts. Returns the membership id."""
    invite(login_as("unit_b"), "p_liu", account(app, "p_liu").id_number)
    pending = membership_id(app, "p_liu", SHENZHEN)
    assert accept(login_as("p_liu"), pending).status_code == 302
    return pending
