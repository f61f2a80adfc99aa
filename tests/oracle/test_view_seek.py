"""下一页 / 上一页 by key (views/seek.py through views/base.py): on every list without a count, following the
links the page renders gives exactly the pages the page numbers give — forwards to the end and back to the
start, for every identity that may open the screen — and, of the world's rows, exactly the oracle's
(test_view_oracle.SCREENS). A forged token and a token of another sort are ignored (the page number's
OFFSET answers), and a token never carries a list past the scope of whoever uses it.
"""
from urllib.parse import parse_qs, urlsplit

from flask import g
from sqlalchemy import inspect

from test_view_oracle import GUANGDONG_IDENTITIES, SCREENS, _views

PAGE = 3  # small pages: the world's rows spread over several, so every link is followed
MAX_PAGES = 80


def _cases(app) -> list[tuple[str, str]]:
    return [
        (endpoint, who)
        for endpoint, view in sorted(_views(app).items())
        if view.simple_list_pager
        for who in GUANGDONG_IDENTITIES
        if who in SCREENS[endpoint]
    ]


def _keys(rows) -> list[int]:
    return [inspect(row).identity[0] for row in rows]


def _actor(app, world, who: str):
    """The identity, resolved inside an app context (under mutmut every lookup resolves it anew)."""
    with app.app_context():
        return world.actors[who]


def _page(app, view, actor, page: int, link: str | None = None, key_only: bool = True):
    """The page's rows as the list reads them at `link` (a 下一页 / 上一页 href) or by its number, and the
    hrefs it renders: (rows, 下一页, 上一页)."""
    # A link with a key is read with page 0: only the key can then bring the page's rows (OFFSET would
    # bring the first page's).
    keyed = key_only and link is not None and ("after=" in link or "before=" in link)
    with app.test_request_context(link or f"{view.url}/?page={page}"):
        g.actor = actor
        _, rows = view.get_list(0 if keyed else page, None, None, None, [], page_size=PAGE)
        forward = view.seek_url(f"{view.url}/?page={page + 1}", rows[-1], True) if rows else None
        back = view.seek_url(f"{view.url}/?page={page - 1}", rows[0], False) if rows and page else None
        return _keys(rows), forward, back


def test_the_seeking_screens_are_swept(app):
    """Every list without a count (people, records, 学时审验, 操作日志, accounts…) is here."""
    assert len({endpoint for endpoint, _ in _cases(app)}) >= 6


def test_the_links_walk_the_numbered_pages_both_ways(app, world):
    for endpoint, who in _cases(app):
        view, actor = _views(app)[endpoint], _actor(app, world, who)
        numbered, walked, links = [], [], []
        link = None
        for page in range(MAX_PAGES):
            rows, forward, _ = _page(app, view, actor, page, link)
            numbered.append(_page(app, view, actor, page)[0])
            walked.append(rows)
            if not rows:
                break
            links.append(forward)
            link = forward
        assert walked == numbered, f"{endpoint} as {who}: 下一页 differs from the page numbers"
        listed = sum(walked, [])
        assert len(listed) == len(set(listed)), f"{endpoint} as {who}: pages overlap"
        keys = world.keys[view.model]
        assert {keys[pk] for pk in listed if pk in keys} == SCREENS[endpoint][who], f"{endpoint} as {who}"
        sought = [link for link in links if "after=" in link]
        if len(walked) > 2 and sought:
            # back from the last full page by 上一页, each page the same as forwards
            last = len(walked) - 2
            rows, _, back = _page(app, view, actor, last, links[last - 1])
            for page in range(last - 1, -1, -1):
                assert "before=" in back, f"{endpoint}: 上一页 without a key"
                rows, _, back = _page(app, view, actor, page, back)
                assert rows == walked[page], f"{endpoint} as {who}: 上一页 to page {page}"
                if page == 0:
                    break


def test_the_big_lists_seek_by_key(app, world):
    """The people, record and log lists carry a key in 下一页: their default order is their own NOT NULL
    columns."""
    seeking = set()
    for endpoint, who in _cases(app):
        view, actor = _views(app)[endpoint], _actor(app, world, who)
        rows, forward, _ = _page(app, view, actor, 0)
        if len(rows) == PAGE and "after=" in forward:
            seeking.add(endpoint)
    assert {"person_query", "record_check", "audit_log"} <= seeking


def test_a_forged_or_foreign_token_leaves_the_page_number_to_answer(app, world):
    people = _views(app)["person_query"]
    made = _page(app, people, _actor(app, world, "hr_p"), 0)[1]
    foreign = parse_qs(urlsplit(made).query)["after"][0]  # a token of 信息查询's name order
    checked = 0
    for endpoint, who in _cases(app):
        view, actor = _views(app)[endpoint], _actor(app, world, who)
        rows, forward, _ = _page(app, view, actor, 0)
        if len(rows) < PAGE or "after=" not in forward:
            continue
        second = _page(app, view, actor, 1)[0]
        token = parse_qs(urlsplit(forward).query)["after"][0]
        forged = forward.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
        assert _page(app, view, actor, 1, forged, key_only=False)[0] == second, \
            f"{endpoint}: a forged token was followed"
        if endpoint != "person_query":
            answer = _page(app, view, actor, 1, f"{view.url}/?page=1&after={foreign}", key_only=False)[0]
            assert answer == second, f"{endpoint}: another list's token was followed"
        checked += 1
    assert checked >= 3


def test_a_token_does_not_carry_a_list_past_the_users_scope(app, world):
    """The province HR's key opened by every other identity of the screen: their rows after it, no other."""
    for endpoint, who in _cases(app):
        if who == "hr_p" or "hr_p" not in SCREENS[endpoint]:
            continue
        view = _views(app)[endpoint]
        rows, forward, _ = _page(app, view, _actor(app, world, "hr_p"), 0)
        if not rows or "after=" not in forward:
            continue
        shown = _page(app, view, _actor(app, world, who), 1, forward, key_only=False)[0]
        keys = world.keys[view.model]
        assert {keys[pk] for pk in shown if pk in keys} <= SCREENS[endpoint][who], f"{endpoint} as {who}"


def _sorted_page(app, view, actor, sort: str, desc: bool, page: int, link: str | None = None):
    """A page of the list sorted by `sort` (a column name, as the list's header link asks), read at
    `link` (with page 0 when it carries a key) or by its number: (rows, 下一页)."""
    keyed = link is not None and "after=" in link
    with app.test_request_context("/"):
        index = next(i for i, (name, _) in enumerate(view._list_columns) if name == sort)
    order = f"sort={index}" + ("&desc=1" if desc else "")
    with app.test_request_context(link or f"{view.url}/?page={page}&{order}"):
        g.actor = actor
        _, rows = view.get_list(0 if keyed else page, sort, desc, None, [], page_size=PAGE)
        forward = view.seek_url(f"{view.url}/?page={page + 1}&{order}", rows[-1], True) if rows else None
        return _keys(rows), forward


def test_a_sort_the_key_cannot_follow_leaves_the_links_to_page_numbers(app, world):
    """Sorted by a nullable column (资格级别: the two databases sort NULLs apart) 下一页 carries no key and
    the number answers; sorted by the list's own NOT NULL column the other way (姓名, descending) it
    carries one, and following it gives the numbered page."""
    people, actor = _views(app)["person_query"], _actor(app, world, "hr_p")
    for desc in (False, True):  # both ways: one of them puts the NULLs last, so the page's edge has a value
        first, forward = _sorted_page(app, people, actor, "title_level", desc, 0)
        assert len(first) == PAGE and "after=" not in forward and "before=" not in forward
        assert _sorted_page(app, people, actor, "title_level", desc, 1, forward)[0] == \
            _sorted_page(app, people, actor, "title_level", desc, 1)[0]

    first, forward = _sorted_page(app, people, actor, "name", True, 0)
    assert len(first) == PAGE and "after=" in forward
    walked = _sorted_page(app, people, actor, "name", True, 1, forward)[0]
    assert walked == _sorted_page(app, people, actor, "name", True, 1)[0] and set(walked).isdisjoint(first)
