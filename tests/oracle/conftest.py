"""The oracle tests only read: one rolled-back transaction per module holds the world they read,
built once (about a second) instead of once per test."""
import pytest

from isolation import isolated
from world import build


@pytest.fixture(scope="module", autouse=True)
def _isolated(app):
    with isolated(app):
        yield


@pytest.fixture(scope="module")
def world(app, _isolated):
    with app.app_context():
        return build()
