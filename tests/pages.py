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
