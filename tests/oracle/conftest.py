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
    """Each module's world starts with no 专业系列 width known (`scope._few_people`'s process cache): the
    worlds reuse the same ids, so a width kept from an earlier module — or, under mutmut, from the clean
    run before the mutant's process was forked — would spare every test the count and its code."""
    from backoffice.policy import scope

    scope._series_widths.clear()
    with app.app_context():
        return build()
