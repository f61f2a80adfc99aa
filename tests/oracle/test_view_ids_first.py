"""Ids first (views/base.py `ScopedModelView.get_list` with `ids_first`): the big lists find a page's ids on
the bare scoped query and then load those rows. The page must be exactly the one the plain query gives —
the same rows in the same order, for every identity that may open the screen, on the first page and the
next — and hold, of the world's rows, exactly the oracle's (test_view_oracle.SCREENS).
"""
import pytest
from flask import g
from sqlalchemy import inspect

from test_view_oracle import GUANGDONG_IDENTITIES, SCREENS, _views

PAGE = 5  # small pages, so the world's rows and the demo's spread over several


def _ids_first_cases(app) -> list[tuple[str, str]]:
    return [
        (endpoint, who)
        for endpoint, view in sorted(_views(app).items())
        if view.ids_first
        for who in GUANGDONG_IDENTITIES
        if who in SCREENS[endpoint]
    ]


def _keys(rows) -> list[int]:
    return [inspect(row).identity[0] for row in rows]


def test_the_ids_first_screens_are_swept(app):
    """The screens that declare `ids_first` (records, people, 学时审验, progress, 操作日志) are all here."""
    assert len({endpoint for endpoint, _ in _ids_first_cases(app)}) >= 6


MAX_PAGES = 60


def test_an_ids_first_page_is_the_plain_page(app, world):
    """Page by page until the list ends (some lists count no rows: their pager has no last page)."""
    for endpoint, who in _ids_first_cases(app):
        view = _views(app)[endpoint]
        with app.test_request_context():
            g.actor = world.actors[who]
            listed, ended = [], False
            for page in range(MAX_PAGES):
                count, fast = view.get_list(page, None, None, None, [], page_size=PAGE)
                view.ids_first = False
                try:
                    plain_count, plain = view.get_list(page, None, None, None, [], page_size=PAGE)
                finally:
                    view.ids_first = True
                assert _keys(fast) == _keys(plain), f"{endpoint} as {who}, page {page}"
                assert count == plain_count, f"{endpoint} as {who}: the pager's count differs"
                if not fast:
                    ended = True
                    break
                listed += _keys(fast)
            assert len(listed) == len(set(listed)), f"{endpoint} as {who}: pages overlap"
            if ended:
                keys = world.keys[view.model]
                seen = {keys[pk] for pk in listed if pk in keys}
                expected = SCREENS[endpoint][who]
                assert seen == expected, \
                    f"{endpoint} as {who}: too wide {sorted(seen - expected)}, too narrow {sorted(expected - seen)}"
