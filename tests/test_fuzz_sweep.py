"""The fuzz sweep (issue #15, Tests): every list parameter and every form, with hostile values, as each demo
identity that can open it — never a 5xx, and nothing stored by a value that must be refused.

What is swept, found the way a user finds it (a view added tomorrow is swept the day it is registered):
- every registered list (ScopedModelView): search, each filter, sort, desc, page, page_size, on the list
  and on its export (test_fuzz_lists.py, with this file's harness); and every query parameter of the pages a view offers (details `id`, its own pages
  and the links on them: `membership`, `person_id`, `q`, `token`…);
- every POST form on those pages (list, details, create, edit, the view's own pages and their links) and
  on the plain routes (sign-in, 忘记密码 and its steps, registration and its steps, /me), anonymous where
  the page is open.

Values: each class below in one field at a time, the other fields as the page would send them (blanks
filled with valid samples, so the hostile value is the only problem), plus the field missing; NUL and
control characters, refused field by field whatever the rest holds, in every field of a form at once
(and text that is no option in every select, radio and checkbox at once).
The identity rotates over those who reach the page (one per kind of actor that can use a view: HR,
industry, unit…, and every identity on the plain pages), so each gets a share and every field gets every
class once — not the cartesian product. A list's parameters take each class together; when the page
number is refused (404), the others again without it.

Nothing stored: each request runs in a SAVEPOINT rolled back afterwards, with the client's cookies
restored, so every request meets the same data and session. A value that must be refused (NUL, control
characters, over-long text, a required field missing) may not make any INSERT/UPDATE/DELETE reach the
database except the bookkeeping a refused request legitimately writes: AuditLog rows, the failure
counters of user_account (failed_logins, locked_until: a wrong password counts even beside bad input)
and a session's sliding expiry. Emoji, numbers and blanks of optional fields are text a form may
accept: for those only the status is judged.
"""
import io
import itertools
import re
from collections import defaultdict
from contextlib import contextmanager
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from sqlalchemy import event, select

from backoffice.demo import DEMO_PASSWORD
from backoffice.extensions import db
from backoffice.models import User
from backoffice.validators import make_citizen_id, make_uscc
from backoffice.views import scoped_views
from backoffice.views.base import PageView
from fuzz_forms import PageForm, parse
from test_scope_sweep import IDENTITIES, _actor

pytestmark = pytest.mark.early  # minutes long: started first, beside the rest of the suite

HOSTILE = {
    "long": "长" * 1999,  # query values: just under the request screen's limit, so the view itself reads it
    "control": "a\x01b\x1b[0m",
    "nul": "a\x00b",
    "emoji": "😀👍🏽",
    "huge": "9" * 30,
    "negative": "-1",
    "digits": "²",  # str.isdigit() says yes, int() says no
}
FORM_HOSTILE = {**HOSTILE, "long": "长" * 5000, "missing": None}
MUST_REFUSE = {"long", "control", "nul"}  # in a field the user types; and "missing" for a required blank
TYPED = {"text", "textarea", "password", "email", "tel", "number", "search", "date", "url"}
# Bookkeeping a refused request may write: a wrong password counts toward the lockout, and a session in
# use slides its expiry forward (auth/sessions.py, at most every few minutes — the sweep can take longer).
BOOKKEEPING = {"user_account": {"failed_logins", "locked_until", "updated_at"}, "user_session": {"expires_at"}}
NOT_SWEPT = {"/logout"}  # ends the client's session; it takes nothing but the CSRF token
HOST = "http://localhost"
# Refused field by field whatever the other fields hold (the request screen, BaseForm): one post carries
# them in every field of a form. The other classes may pass a field's checks and reach a workflow, so
# they go one field at a time, the rest of the form valid.
SPREAD = ("nul", "control")
ONE_BY_ONE = [k for k in FORM_HOSTILE if k not in SPREAD]
# Text that is no option of any select, radio or checkbox list: refused by the choice check of each, or
# by coercing it to a number; those fields take it together too.
CHOICES = ("select", "radio", "checkbox")
SPREAD_OVER_CHOICES = ("long", "emoji")

NEW_ID = make_citizen_id("440104", date(1991, 2, 3), "517")
NEW_CODE = make_uscc("91440000MA0099901")
NEW_PASSWORD = "Fuzz2027xq"
# Valid sample values for blank fields, by field name; then per page path where a field means more.
SAMPLES = {
    "username": "admin", "password": DEMO_PASSWORD, "confirm": DEMO_PASSWORD, "old_password": DEMO_PASSWORD,
    "current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD, "login": "fuzz_user1",
    "real_name": "张测试", "name": "测试名称", "legal_rep": "张测试", "contact_name": "张测试",
    "id_number": NEW_ID, "code": NEW_CODE, "mobile": "13912345678", "phone": "020-83331234",
    "office_phone": "020-83331234", "email": "fuzz@example.cn", "postcode": "510000", "sort": "1",
    "answer1": "答案一", "answer2": "答案二", "answer3": "答案三", "captcha": "",
}
DATE_SAMPLE = "2010-07-01"
TEXT_SAMPLE = "测试内容"


def _path_samples(app) -> dict[str, dict[str, str]]:
    with app.app_context():
        ids = dict(db.session.execute(select(User.login, User.id_number)).all())
    return {
        "/change-password": {"confirm": NEW_PASSWORD},
        "/forgot-password/reset": {"confirm": NEW_PASSWORD},
        "/forgot-password": {"login": "p_chen", "id_number": ids["p_chen"]},
        "/register/org": {"login": "p_chen", "id_number": ids["p_chen"]},
        "/admin/org_members/invite/": {"login": "p_liu", "id_number": ids["p_liu"]},
        "/admin/region/new/": {"code": "440199"},
        "/admin/dictionary/new/": {"code": "fz01"},
        "/admin/series/new/": {"code": "fz01"},
    }


# ---- the harness: isolated requests, and the writes they make ----------------------------------------


class Sweep:
    """Sends requests that leave nothing behind and records what went wrong."""

    def __init__(self, app):
        self.app = app
        self.connection = db._app_engines[app][None]  # the test's connection (conftest._isolated)
        self.statements: list[str] = []
        self.problems: list[str] = []
        self.requests = 0
        self.turn = itertools.count()

    def pick(self, candidates: list):
        return candidates[next(self.turn) % len(candidates)]

    @contextmanager
    def listening(self):
        with self.app.app_context():
            engine = db.engine.engine

        def record(conn, cursor, statement, *args):
            if re.match(r"\s*(INSERT|UPDATE|DELETE)\b", statement, re.I):
                self.statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield self
        finally:
            event.remove(engine, "before_cursor_execute", record)

    def send(self, client, method: str, url: str, data=None, *, what: str, refuse: bool) -> int:
        cookies = dict(client.http._cookies)
        savepoint = self.connection.begin_nested()
        self.statements.clear()
        error = None
        try:
            status = client.http.open(url, method=method, data=data).status_code
        except Exception as raised:  # noqa: BLE001  (TESTING propagates a view's exception: that is the 500)
            status, error = 500, f"{type(raised).__name__}: {raised}"[:200]
        finally:
            stored = _stored(self.statements)
            savepoint.rollback()
            client.http._cookies.clear()
            client.http._cookies.update(cookies)
        self.requests += 1
        if status >= 500:
            self.problems.append(f"{status} {what} {method} {url[:160]} {error or ''}")
        elif refuse and stored:
            self.problems.append(f"stored {what} {method} {url[:160]}: {stored[0][:120]}")
        return status


def _stored(statements: list[str]) -> list[str]:
    """The writes that are not bookkeeping: AuditLog rows and the BOOKKEEPING columns."""
    kept = []
    for statement in statements:
        match = re.match(r'\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', statement, re.I)
        verb, table = match.group(1).upper(), match.group(2).lower()
        if table == "audit_log" and verb == "INSERT INTO":
            continue
        if table in BOOKKEEPING and verb == "UPDATE":
            assignments = statement.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
            if set(re.findall(r'"?(\w+)"?\s*=', assignments)) <= BOOKKEEPING[table]:
                continue
        kept.append(statement)
    return kept


def _relative(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _get(client, url: str):
    """GET like a browser (redirects followed): (html, final URL, its POST forms, its links), or None."""
    response = client.get(url, follow_redirects=True)
    if response.status_code != 200 or not response.content_type.startswith("text/html"):
        return None
    request = response.request
    html = response.get_data(as_text=True)
    final = HOST + request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
    return (html, final, *parse(html, final))


@pytest.fixture
def clients(app, login_as):
    """A signed-in client per demo identity, with the actor it acts as."""
    return {identity: (login_as(*identity), _actor(app, *identity)) for identity in IDENTITIES}


def _views(app):
    admin = app.extensions["backoffice_admin"]
    return scoped_views(admin) + [v for v in admin._views if isinstance(v, PageView)]


# ---- discovering pages and forms, per identity --------------------------------------------------------


def _first_id(html: str) -> str | None:
    match = re.search(r"details/\?id=(\d+)", html)
    return match.group(1) if match else None


STANDARD_URLS = {"/", "/new/", "/edit/", "/details/", "/delete/", "/action/"}
LIST_KEYS = re.compile(r"page|page_size|sort|desc|search|flt\d+_.*|url")  # swept with the lists
NOT_PAGES = re.compile(r"/(export|ajax|template|failed)/")


def _view_pages(view, client) -> tuple[list[tuple], bool]:
    """The view's pages (as `_get` reads them): its list or index, the first row's details and edit pages,
    the create page, its own screens (reset, batch, request…, with the first row's id) and the pages of
    the view those link to; and whether the list had rows."""
    base = view.url
    pages, seen = [], set()

    def visit(url):
        parts = urlsplit(url)
        # the list's own parameters (sort, page…) make no new page: the list sweep has them
        key = (parts.path, frozenset(k for k, _ in parse_qsl(parts.query) if not LIST_KEYS.fullmatch(k)))
        if key in seen or len(pages) >= 15:
            return None
        seen.add(key)
        page = _get(client, url)
        if page is not None:
            pages.append(page)
        return page

    index = visit(f"{base}/")
    first = _first_id(index[0]) if index else None
    if getattr(view, "can_view_details", False) and first:
        visit(f"{base}/details/?id={first}")
    if getattr(view, "can_create", False):
        visit(f"{base}/new/")
    if getattr(view, "can_edit", False) and first:
        visit(f"{base}/edit/?id={first}")
    for url, _, methods in view._urls:
        if "GET" in methods and url not in STANDARD_URLS and "<" not in url and not NOT_PAGES.search(url):
            visit(f"{base}{url}" + (f"?id={first}" if first else ""))
    for page in list(pages):
        for link in page[3]:
            path = urlsplit(link).path
            if path.startswith(base + "/") and not NOT_PAGES.search(path):
                visit(link)
    return pages, first is not None


def _forms_on(pages, client, found: dict, args: dict) -> None:
    for html, url, forms, _ in filter(None, pages):
        for form in forms:
            if form.path in NOT_SWEPT or not [f for f in form.fields if f != "csrf_token"]:
                continue
            if form.path.endswith("/action/") and not any(form.baseline.get("action", [])):
                _as_clicked(form, html)
            form.action = _relative(form.action)
            found[form.signature].append((client, form))
        for key, _ in parse_qsl(urlsplit(url).query):
            if not LIST_KEYS.fullmatch(key):
                args[(urlsplit(url).path, key)].append((client, _relative(url)))


def _as_clicked(form: PageForm, html: str) -> None:
    """A list's action form as its script sends it: the first action of the menu and a ticked row."""
    action = re.search(r"modelActions\.execute\('([^']+)'\)", html)
    row = re.search(r'name="rowid" class="action-checkbox" value="([^"]+)"', html)
    if action:
        form.baseline["action"] = [action.group(1)]
    if row:
        form.add("rowid", "hidden", row.group(1), False)


def _anonymous_steps(app, make_client, found, args):
    """Open pages as nobody: sign-in, 忘记密码 (each step reached with a valid answer), registration."""
    with app.app_context():
        chen = db.session.scalar(select(User).where(User.login == "p_chen"))
        chen.set_security_answers([("您母亲的姓名是？", "李梅"), ("您父亲的姓名是？", "陈强"), ("您的出生地是？", "广州")])
        chen_id = chen.id_number
        db.session.commit()
    start = make_client()
    _forms_on([_get(start, u) for u in ("/login", "/forgot-password", "/register/person")], start, found, args)
    step2 = make_client()
    step2.post("/forgot-password", {"login": "p_chen", "id_number": chen_id}, token_page="/forgot-password")
    _forms_on([_get(step2, "/forgot-password/questions")], step2, found, args)
    step3 = make_client()
    step3.post("/forgot-password", {"login": "p_chen", "id_number": chen_id}, token_page="/forgot-password")
    step3.post("/forgot-password/questions", {"answer1": "李梅", "answer2": "陈强", "answer3": "广州"},
               token_page="/forgot-password/questions")
    _forms_on([_get(step3, "/forgot-password/reset")], step3, found, args)


def _org_wizard(app, login_as, found, args):
    """单位用户注册 step 2 as a person who has started it; then, registered, the new organisation's 角色申请
    (the one screen of an organisation not yet approved: no demo organisation is)."""
    with app.app_context():
        chen_id = db.session.scalar(select(User.id_number).where(User.login == "p_chen"))
    step1 = {"login": "p_chen", "id_number": chen_id}
    details = login_as("p_chen")
    details.post("/register/org", step1, token_page="/register/org")
    _forms_on([_get(details, "/register/org/details")], details, found, args)
    applicant = login_as("p_chen")
    applicant.post("/register/org", step1, token_page="/register/org")
    form = next(f for f in _get(applicant, "/register/org/details")[2] if f.path == "/register/org/details")
    applicant.post("/register/org/details", _filled(form, {}), token_page="/register/org/details")
    applicant.post("/register/org/confirm", {}, token_page="/register/org/confirm")
    _forms_on([_get(applicant, "/admin/org_application/")], applicant, found, args)


IMPORT_ROW = {
    "姓名": "导入测试", "性别": "男", "公民身份号码": make_citizen_id("440104", date(1985, 6, 15), "611"), "民族": "汉族",
    "籍贯": "广东广州", "最高学历": "大学本科", "所学专业": "临床医学", "毕业院校": "中山大学", "毕业时间": "2008-07-01",
    "参加工作时间": "2008-08-01", "联系电话": "13800138000", "专业技术任职资格": "主治医师", "资格级别": "中级",
    "专业系列": "卫生技术人员", "从事专业": "内科",
}


def _import_check(clients, found, args):
    """批量导入's check page and its 导入 form, after a one-row upload by a unit."""
    content = (",".join(IMPORT_ROW) + "\n" + ",".join(IMPORT_ROW.values()) + "\n").encode("utf-8-sig")
    client = clients[("unit_c", None)][0]
    response = client.post("/admin/person_import/upload/", {"file": (io.BytesIO(content), "名单.csv")},
                           token_page="/admin/person_import/", content_type="multipart/form-data")
    html, url = response.get_data(as_text=True), HOST + "/admin/person_import/upload/"
    _forms_on([(html, url, *parse(html, url))], client, found, args)


def _discover(app, clients, make_client, login_as):
    """Every form and page parameter reached, with who reached it. A view's pages are read once per kind
    of actor that can use it (HR, industry, unit…), by the first identity of that kind whose list has
    rows (a reviewer with nothing routed to it shows no review form); the plain pages by everyone, and by
    unit_d, who has a binding request to answer on /me/bindings."""
    found, args = defaultdict(list), defaultdict(list)
    for view in _views(app):
        done = set()
        for identity in IDENTITIES:
            client, actor = clients[identity]
            if actor.can_use(view.module) and actor.kind not in done:
                pages, had_rows = _view_pages(view, client)
                _forms_on(pages, client, found, args)
                if had_rows:
                    done.add(actor.kind)
    plain = ("/change-password", "/select-org", "/me/profile", "/me/bindings", "/register/org")
    for client in [clients[i][0] for i in IDENTITIES] + [login_as("unit_d")]:
        _forms_on([_get(client, u) for u in plain], client, found, args)
    _anonymous_steps(app, make_client, found, args)
    _org_wizard(app, login_as, found, args)
    _import_check(clients, found, args)
    return found, args


# ---- (b) forms ---------------------------------------------------------------------------------------


def _filled(form: PageForm, samples: dict) -> dict[str, list[str]]:
    """What a careful user would post: the page's values, blanks filled with valid samples."""
    data = {name: list(values) for name, values in form.baseline.items()}
    for name in form.fields:
        kind = form.types[name]
        if kind == "button" or (data.get(name) and any(data[name])):
            continue
        if kind == "radio" and form.options.get(name):
            data[name] = [form.options[name][0]]
        elif kind == "date":
            data[name] = [DATE_SAMPLE] if name != "birth_date" else [""]
        elif name in samples.get(form.path, {}):
            data[name] = [samples[form.path][name]]
        elif name in SAMPLES:
            data[name] = [SAMPLES[name]]
        elif kind in ("text", "textarea", "password"):
            data[name] = [TEXT_SAMPLE]
    return data


def _must_refuse(form: PageForm, name: str, kind: str) -> bool:
    """Whether this value in this field must leave nothing stored. NUL never passes the request screen;
    control characters no field of a form accepts (a button's value is no field; a checkbox is ticked by
    any value); over-long text is refused where a user types text (a hidden return `url` is never
    stored). A missing field must be refused where the page left it blank and required: an edit form's
    field left out of the post keeps its stored value (WTForms), which is no change."""
    kind_of_input = form.types[name]
    if kind == "nul":
        return True
    if kind == "control":
        return kind_of_input not in ("button", "checkbox")
    if kind == "long":
        return kind_of_input in TYPED
    if kind == "missing":
        return kind_of_input in TYPED and name in form.required and not any(form.baseline.get(name, []))
    return False


def test_every_form_takes_hostile_values(app, clients, client, login_as):
    anonymous = type(client)  # conftest's browser-like Client: fresh ones for the steps of 忘记密码
    found, args = _discover(app, clients, lambda: anonymous(app), login_as)
    samples = _path_samples(app)
    sweep = Sweep(app)
    with sweep.listening():
        for (path, key), pages in args.items():  # the query parameters of every page reached
            for kind, value in HOSTILE.items():
                who, url = sweep.pick(pages)
                parts = urlsplit(url)
                query = [(k, value if k == key else v) for k, v in parse_qsl(parts.query)]
                sweep.send(who, "GET", f"{parts.path}?{urlencode(query)}", what=f"{path} {key}={kind}",
                           refuse=kind in MUST_REFUSE)
        buttons = itertools.cycle(ONE_BY_ONE)
        for signature, reached in found.items():
            names = [n for n in reached[0][1].fields if n != "csrf_token"]
            for kind in SPREAD:
                who, page_form = sweep.pick(reached)
                data = {**_filled(page_form, samples), **{name: [FORM_HOSTILE[kind]] for name in names}}
                sweep.send(who, "POST", page_form.action, data, what=f"every field={kind}",
                           refuse=any(_must_refuse(page_form, name, kind) for name in names))
            choices = [n for n in names if reached[0][1].types[n] in CHOICES]
            for kind in SPREAD_OVER_CHOICES if choices else ():
                who, page_form = sweep.pick(reached)
                data = {**_filled(page_form, samples), **{name: [FORM_HOSTILE[kind]] for name in choices}}
                sweep.send(who, "POST", page_form.action, data, what=f"every choice={kind}",
                           refuse=any(_must_refuse(page_form, name, kind) for name in choices))
            for name in names:
                # a button's value only says it was pressed: one class each, the buttons taking turns
                kinds = ONE_BY_ONE
                if reached[0][1].types[name] == "button":
                    kinds = [next(buttons)]
                elif name in choices:
                    kinds = [k for k in ONE_BY_ONE if k not in SPREAD_OVER_CHOICES]
                for kind in kinds:
                    who, page_form = sweep.pick(reached)
                    data = _filled(page_form, samples)
                    if FORM_HOSTILE[kind] is None:
                        data.pop(name, None)
                    else:
                        data[name] = [FORM_HOSTILE[kind]]
                    sweep.send(who, "POST", page_form.action, data, what=f"{name}={kind}",
                               refuse=_must_refuse(page_form, name, kind))
    assert not sweep.problems, "\n".join(sweep.problems)
    paths = {signature[0] for signature in found}
    for expected in ("/login", "/forgot-password/questions", "/forgot-password/reset", "/register/person",
                     "/register/org/details", "/change-password", "/me/profile", "/me/bindings", "/select-org",
                     "/admin/org_application/application/", "/admin/person_import/run/", "/admin/teachers/new/",
                     "/admin/review_units/batch/", "/admin/transfer_out/request/", "/admin/accounts/unlock/",
                     "/admin/org_members/invite/pick/choose/", "/admin/org_members/invite/register/"):
        assert any(p.startswith(expected) for p in paths), f"the sweep never reached {expected}"
