"""Fixtures of the organisation tests."""
import pytest

from org_helpers import PASSWORD, Applicant


@pytest.fixture
def applicant(client):
    """An anonymous visitor who has registered a personal account and signed in."""
    a = Applicant(client, "zhang_san", 501)
    assert a.register_person().status_code == 302
    assert client.login("zhang_san", PASSWORD).status_code == 302
    return a
