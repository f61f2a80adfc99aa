"""Fixtures of the 人员调转 stories."""
import pytest

from transfer_helpers import SHENZHEN, UNIVERSITY


@pytest.fixture
def university(login_as):
    """unit_a acting as 广州示范大学 (it also works for 广州示范医院, so it chooses)."""
    return login_as("unit_a", UNIVERSITY)


@pytest.fixture
def shenzhen(login_as):
    return login_as("unit_b")


@pytest.fixture
def hospital(login_as):
    return login_as("unit_c")


@pytest.fixture
def chen_to_shenzhen(app, university):
    """广州示范大学 has asked to transfer 陈诗慧 to 深圳示范科技有限公司; the request waits."""
    from transfer_helpers import send

    return send(app, university, "陈诗慧", SHENZHEN)
