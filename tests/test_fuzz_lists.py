"""The fuzz sweep's lists (issue #15, Tests): every parameter of every registered list and of its export
carries each class of hostile value, as a demo identity that can open it — never a 5xx, nothing stored by a
value that must be refused. The harness (isolated requests, the writes they make) and the forms are in
test_fuzz_sweep.py; the two halves are separate files so pytest-xdist runs them on two workers at once.
"""
from collections import defaultdict
from urllib.parse import urlencode

import pytest

from backoffice.views import scoped_views
from test_fuzz_sweep import HOSTILE, MUST_REFUSE, Sweep, clients  # noqa: F401  (clients: a fixture)
from test_scope_sweep import IDENTITIES

pytestmark = pytest.mark.early  # minutes long: started first, beside the rest of the suite


def _list_query(view, kind: str, value: str) -> dict[str, str]:
    """Every parameter of the list carrying one class of value: search, every filter (its operations
    take turns between the classes), sort, desc, page, page_size and the 下一页 / 上一页 tokens."""
    turn = list(HOSTILE).index(kind)
    query = {"page": value, "sort": value, "desc": value, "page_size": value}
    query["after" if turn % 2 else "before"] = value
    if view._search_supported:
        query["search"] = value
    operations = defaultdict(list)
    for arg, (_, flt) in (view._filter_args or {}).items():
        operations[flt.name].append(arg)
    for position, args in enumerate(operations.values()):
        query[f"flt{position}_{args[turn % len(args)]}"] = value
    return query



def test_every_list_parameter_takes_hostile_values(app, clients):
    sweep = Sweep(app)
    swept = set()
    with sweep.listening():
        for view in scoped_views(app.extensions["backoffice_admin"]):
            users = [clients[i][0] for i in IDENTITIES if clients[i][1].can_use(view.module)]
            if not users:
                continue
            swept.add(view.endpoint)
            for kind, value in HOSTILE.items():
                query = _list_query(view, kind, value)
                for endpoint in [f"{view.url}/"] + ([f"{view.url}/export/csv/"] if view.can_export else []):
                    status = sweep.send(sweep.pick(users), "GET", f"{endpoint}?{urlencode(query)}",
                                        what=f"{endpoint} every parameter={kind}", refuse=kind in MUST_REFUSE)
                    if status == 404:  # a page number out of range stops the list before the rest is read
                        rest = urlencode({k: v for k, v in query.items() if k != "page"})
                        sweep.send(sweep.pick(users), "GET", f"{endpoint}?{rest}",
                                   what=f"{endpoint} every parameter but page={kind}", refuse=kind in MUST_REFUSE)
    assert not sweep.problems, "\n".join(sweep.problems)
    assert len(swept) >= 30, "the sweep reached too few lists"


