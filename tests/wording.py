"""What a clerk reads on a page, and what must never be there: English from the framework, "None",
raw dictionary codes in labelled fields, ISO timestamps — and inline script.

`visible_text(html)` keeps what a browser shows (text outside <script>, <style> and hidden data
boxes) plus the `title=` and `placeholder=` attributes a user reads on hover or in an empty box.
"""
import re
from html.parser import HTMLParser

# Latin words the product itself uses (docs/glossary.md): file formats and sizes, IP (地址), the
# password rule's own example of a forbidden run, and the server command that resets a system account.
ALLOWED_WORDS = {"PDF", "Word", "Excel", "CSV", "JPG", "PNG", "KB", "MB", "IP", "abcd", "flask", "reset-password"}

# Data, not wording: e-mail addresses, organisation codes, ID numbers, file names, URLs.
DATA_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),
    re.compile(r"\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b"),  # 统一社会信用代码
    re.compile(r"\b\d{17}[\dX]\b"),  # 公民身份号码
    re.compile(r"\S+\.(pdf|xlsx|csv|jpg|png)\b", re.I),
    re.compile(r"https?://\S+"),
]
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{2}:\d{2}:\d{2}\.\d+|[+-]00:00\b")
DICTIONARY_LABELS = {"民族", "最高学历", "最高学位", "单位性质", "学习形式", "考试类型", "证件类型"}
RAW_CODE = re.compile(r"^\s*\d{1,3}\s*$")
# Behaviour lives in static files: a Content-Security-Policy without 'unsafe-inline' blocks these.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>|\son[a-z]+=[\"']", re.I)


class _Text(HTMLParser):
    SKIP = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.cells: list[tuple[str, str]] = []  # (th text, td text) pairs of labelled rows
        self._row: list[tuple[str, list[str]]] | None = None
        self.headers: list[str] = []

    @property
    def hidden(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        skip = tag in self.SKIP or "d-none" in classes or attrs.get("type") == "hidden"
        if tag not in ("input", "img", "br", "hr", "meta", "link", "option"):
            self.stack.append((tag, skip))
        if not self.hidden and not skip:
            for name in ("title", "placeholder", "alt"):
                if attrs.get(name):
                    self.parts.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag == "table":
            self.headers = []
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._row.append((tag, []))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag == "tr" and self._row is not None:
            texts = [(kind, " ".join("".join(t).split())) for kind, t in self._row]
            kinds = {kind for kind, _ in texts}
            if kinds == {"th"}:  # a list's header row: its labels name the cells below
                self.headers = [label for _, label in texts]
            elif kinds == {"td"} and len(texts) == len(self.headers):
                self.cells.extend(zip(self.headers, (value for _, value in texts)))
            for (k1, label), (k2, value) in zip(texts, texts[1:]):
                if k1 == "th" and k2 == "td":  # a details row: 标签 | 值
                    self.cells.append((label, value))
            self._row = None

    def handle_data(self, data):
        if self.hidden:
            return
        self.parts.append(data)
        if self._row:
            self._row[-1][1].append(data)


def parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def visible_text(html: str) -> str:
    return " ".join(" ".join(parse(html).parts).split())


def problems(html: str, data_words: set[str] = frozenset()) -> list[str]:
    """Everything on the page a clerk should not have to read."""
    page = parse(html)
    text = " ".join(" ".join(page.parts).split())
    found = []
    scrubbed = text
    for pattern in DATA_PATTERNS:
        scrubbed = pattern.sub(" ", scrubbed)
    for word in re.findall(r"[A-Za-z][A-Za-z_-]*[A-Za-z]|[A-Za-z]", scrubbed):
        if word == "None":
            found.append("None")
        elif word not in ALLOWED_WORDS and word not in data_words:
            found.append(f"英文：{word}")
    for match in ISO_TIME.finditer(text):
        found.append(f"ISO时间：{match.group(0)}")
    for match in INLINE_SCRIPT.finditer(html):
        found.append(f"内联脚本：{match.group(0).strip()}")
    for label, value in page.cells:
        if label.strip("*： ") in DICTIONARY_LABELS and RAW_CODE.match(value):
            found.append(f"代码：{label}={value}")
    return sorted(set(found))
