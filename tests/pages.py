"""Reading pages and clicking list actions the way a user does; shared by the area test helpers."""
import re


def flashes(html: str) -> str:
    """The text of the page's alert boxes, tags stripped."""
    boxes = re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>|\s+", " ", box).strip() for box in boxes)


def field_errors(html: str) -> str:
    """The messages shown next to the form's fields."""
    boxes = re.findall(r'<div class="invalid-feedback">(.*?)</div>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>|\s+", " ", box).strip() for box in boxes)


def list_table(html: str) -> str:
    """The list page's table only (the header names the acting organisation too)."""
    return html.split("model-list", 1)[1].split("</table>", 1)[0]


def act(client, view: str, action: str, ids, follow=True):
    """Tick the rows, pick the action from 「选中的…」 and confirm. `view`: an endpoint or its URL."""
    base = view if view.startswith("/") else f"/admin/{view}"
    return client.post(
        f"{base}/action/",
        {"action": action, "rowid": [str(i) for i in ids], "url": f"{base}/"},
        token_page=f"{base}/",
        follow_redirects=follow,
    )


def search_box(html: str, label: str) -> str:
    """The URL parameter of the 搜索查询 box labelled `label` (review lists: 审核状态, 年度…)."""
    match = re.search(
        r'<label[^>]*for="(search-\d+)"[^>]*>\s*' + re.escape(label) + r'\s*</label>\s*<(?:input|select)[^>]*?'
        r'name="([^"]+)"',
        html,
        re.S,
    )
    assert match, f"no search box {label}"
    return match.group(2)


def cleared(client, url: str) -> str:
    """The list at `url` after 清空: every box empty, the default (e.g. 待审核) lifted."""
    html = client.get(url).get_data(as_text=True)
    clear = re.search(r'href="([^"]+)" id="search-clear"', html)
    assert clear, f"no 清空 on {url}"
    return client.get(clear.group(1).replace("&amp;", "&")).get_data(as_text=True)
