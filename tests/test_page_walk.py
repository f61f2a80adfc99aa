"""Every demo identity signs in and walks every page its menu reaches, plus each list's first details
page and its create and edit forms, and its own pages (/me, /select-org, /change-password). No page may
show English from the framework, "None", a raw dictionary code in a labelled field, an ISO time, or an
inline script a Content-Security-Policy would block."""
import re
from urllib.parse import urljoin, urlsplit

import pytest

from backoffice.demo import ACCOUNTS, SERIES
from backoffice.demo_henan import ACCOUNTS as HENAN_ACCOUNTS

from wording import problems

IDENTITIES = [
    ("admin", None),
    ("helpdesk", None),
    ("gd_hr", None),
    ("gz_hr", None),
    ("gd_edu", None),
    ("gz_edu", None),
    ("unit_a", "广州示范大学"),
    ("unit_a", "广州示范医院"),
    ("unit_b", None),
    ("unit_c", None),
    ("inst_a", None),
    ("p_chen", None),
    ("p_liu", None),
    ("p_new", None),
    ("unit_d", None),
    ("inst_b", None),
    ("sz_edu", None),
    ("hn_hr", None),
    ("py_hr", None),
    ("py_unit", None),
    ("py_base", None),
    ("hl_hr", None),
]
# Data the screens show, not wording: login names (账号查询, 经办人), 专业系列 codes (系统管理员's list).
DATA_WORDS = {login for login, *_ in ACCOUNTS + HENAN_ACCOUNTS} | {code for code, _ in SERIES}
OWN_PAGES = ["/me/profile", "/me/bindings", "/change-password"]
HREF = re.compile(r'href="([^"#]+)"')
TOOLBAR_BUTTON = re.compile(r'<a class="btn btn-primary btn-sm mr-2" id="[\w-]+" href="([^"#]+)"')
TABS = re.compile(r'<ul class="nav nav-tabs"[^>]*>(.*?)</ul>', re.S)


def _menu_links(html: str) -> list[str]:
    nav = html.split('id="admin-navbar-collapse"', 1)[1].split('id="acting-as"', 1)[0]
    return [h.replace("&amp;", "&") for h in HREF.findall(nav) if h.startswith("/admin/")]


def _first(html: str, marker: str) -> str | None:
    table = html.split("model-list", 1)[1] if "model-list" in html else ""
    for href in HREF.findall(table):
        if marker in href:
            return href.replace("&amp;", "&")
    return None


def _walk(client, start_pages):
    seen, queue, report = set(), list(start_pages), {}
    while queue:
        url = queue.pop(0)
        path = urlsplit(url)
        key = path.path + ("?" + path.query if path.query else "")
        if key in seen or "/logout" in key or "/export/" in key:
            continue
        seen.add(key)
        response = client.get(key, follow_redirects=True)
        assert response.status_code == 200, f"{key} answered {response.status_code}"
        html = response.get_data(as_text=True)
        found = problems(html, DATA_WORDS)
        if found:
            report[key] = found
        for tabs in TABS.findall(html):  # a screen's pages in tabs (新增经办人's three ways)
            queue.extend(urljoin(key, h.replace("&amp;", "&")) for h in HREF.findall(tabs)
                         if not h.startswith("javascript:"))
        if "model-list" in html and key.startswith("/admin/") and "/details/" not in key:
            base = key.split("?", 1)[0]
            for marker in ("/details/", "/edit/"):
                link = _first(html, marker)
                if link:
                    queue.append(urljoin(base, link))
            if re.search(r'href="[^"]*/new/', html):
                queue.append(base.rstrip("/") + "/new/")
            for link in TOOLBAR_BUTTON.findall(html):  # the list's own pages: 新增经办人, 批量申报…
                queue.append(urljoin(base, link.replace("&amp;", "&")))
            cleared = re.search(r'href="([^"]+)" id="search-clear"', html)
            if cleared:  # a review list opens on 待审核: walk what it holds besides
                queue.append(cleared.group(1).replace("&amp;", "&"))
    return seen, report


@pytest.mark.parametrize("login,org", IDENTITIES, ids=[f"{l}-{o or ''}" for l, o in IDENTITIES])
def test_every_page_reads_as_one_chinese_product(login_as, login, org):
    client = login_as(login, org)
    home = client.get("/admin/", follow_redirects=True).get_data(as_text=True)
    pages, report = _walk(client, ["/admin/", *_menu_links(home), *OWN_PAGES, "/select-org"])
    assert len(pages) > 3
    assert report == {}


def test_the_walk_reaches_the_pages_a_list_offers(login_as):
    """Beyond 新增 (/new/): the list's own buttons and the tabs of the pages they open."""
    pages, _ = _walk(login_as("unit_b"), ["/admin/org_members/"])
    assert {"/admin/org_members/invite/pick/", "/admin/org_members/invite/register/",
            "/admin/org_members/invite/"} <= pages


def test_the_walk_would_see_what_a_clerk_reads():
    """The checker is not blind: each kind of leak on a page is reported."""
    page = """<html><head><title>Items</title><script>var English = 1;</script></head><body>
      <div class="d-none">{"hidden": "json"}</div>
      <input type="text" placeholder="person.name">
      <span title="active: true"></span> None的信息修改
      <table><tr><th>单位性质</th><td>02</td></tr><tr><th>送审时间</th><td>2026-12-01T15:07:47.384726</td></tr></table>
      <p>unit_a 的邮箱 unit_a@example.cn，单位代码 91440000MA0000009X，附件 证书.pdf</p></body></html>"""
    found = problems(page, {"unit_a"})
    assert found == sorted([
        "英文：Items", "英文：person", "英文：name", "英文：active", "英文：true", "None",
        "代码：单位性质=02", "ISO时间：2026-12-01T15:07", "英文：T", "内联脚本：<script>",
    ])
