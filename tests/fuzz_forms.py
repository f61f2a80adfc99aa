"""The fuzz sweep's eyes: the POST forms of a page as a browser would submit them, and the links it offers.

`forms(html, page_url)` reads every `<form method="post">` (inputs, textareas, selects, named buttons)
into a `PageForm`: where it posts, what a browser would send untouched (`baseline`), which fields are
required, and every field name the fuzz may vary.
"""
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class PageForm:
    action: str  # path and query it posts to
    baseline: dict[str, list[str]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    fields: list[str] = field(default_factory=list)  # in page order, buttons included
    types: dict[str, str] = field(default_factory=dict)  # name → input type / "textarea" / "select"
    options: dict[str, list[str]] = field(default_factory=dict)  # select / radio values

    @property
    def path(self) -> str:
        return urlsplit(self.action).path

    @property
    def signature(self) -> tuple:
        """Forms posting to the same place with the same fields are one form (the per-row ones)."""
        return self.path, tuple(sorted(set(self.fields)))

    def add(self, name: str, kind: str, value: str | None, required: bool) -> None:
        if name not in self.fields:
            self.fields.append(name)
            self.types[name] = kind
        if required:
            self.required.add(name)
        if value is not None:
            self.baseline.setdefault(name, []).append(value)


class _Parser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[PageForm] = []
        self.links: list[str] = []
        self.form: PageForm | None = None
        self.select: tuple[str, bool] | None = None  # (name, multiple)
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page_url, a["href"]))
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.form = PageForm(urljoin(self.page_url, a.get("action") or self.page_url))
            return
        form = self.form
        if form is not None and tag == "option" and self.select is not None:
            value = a.get("value", "")
            form.options.setdefault(self.select[0], []).append(value)
            if "selected" in a:
                form.baseline.setdefault(self.select[0], []).append(value)
                self.select_chosen = True
            elif self.select_first is None and value not in ("", "__None"):
                self.select_first = value
            return
        if form is None or not a.get("name"):
            return
        name, required = a["name"], "required" in a
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "reset", "button"):
                form.add(name, "button", None, False)
            elif kind in ("checkbox", "radio"):
                form.add(name, kind, a.get("value", "on") if "checked" in a else None, required)
                form.options.setdefault(name, []).append(a.get("value", "on"))
            else:
                form.add(name, kind, a.get("value", ""), required)
        elif tag == "button":
            form.add(name, "button", None, False)
        elif tag == "textarea":
            self.textarea = [name, required, ""]
        elif tag == "select":
            self.select = (name, "multiple" in a)
            self.select_first, self.select_chosen = None, False
            form.add(name, "select", None, required)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None and self.form is not None:
            name, required, text = self.textarea
            if text.startswith("\r\n"):  # browsers drop the line break that opens a textarea
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self.form.add(name, "textarea", text, required)
            self.textarea = None
        elif tag == "select" and self.select is not None and self.form is not None:
            name, multiple = self.select
            if not self.select_chosen and not multiple and self.select_first is not None:
                self.form.baseline[name] = [self.select_first]  # a browser sends the first option
            self.select = None
        elif tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None


def parse(html: str, page_url: str) -> tuple[list[PageForm], list[str]]:
    """The page's POST forms and the absolute URLs of its links."""
    parser = _Parser(page_url)
    parser.feed(html)
    return parser.forms, parser.links
