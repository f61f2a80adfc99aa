"""Helpers for the 信用管理 stories: look people and organisations up, record entries as the manual does."""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Dishonesty, Organisation, Person, User
from pages import act, field_errors, flashes, list_table  # noqa: F401  (re-exported to the tests)

UNIVERSITY = "广州示范大学"
HOSPITAL = "广州示范医院"
SHENZHEN = "深圳示范科技有限公司"
INSTITUTE = "广东示范继续教育学院"
GZ_EDU = "广州市教育局"
ENTRY = "/admin/dishonesty_entry"
ORG_VIEW = "/admin/dishonesty_org"
MINE = "/admin/my_dishonesty"


def org_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name == name))


def person_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.name == name))


def user_id(app, login: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.login == login))


def entries(app, **where) -> list[Dishonesty]:
    with app.app_context():
        return list(db.session.scalars(select(Dishonesty).filter_by(**where).order_by(Dishonesty.id)))


def entry_count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Dishonesty.id)).all())


def entry_ids(app) -> set[int]:
    """The ids of every entry now: a baseline (the demo records some) to tell the test's own entries apart."""
    with app.app_context():
        return set(db.session.scalars(select(Dishonesty.id)))


def new_entries(app, baseline: set[int], **where) -> list[Dishonesty]:
    """The entries (matching `where`) added since `baseline` was taken, oldest first."""
    return [e for e in entries(app, **where) if e.id not in baseline]


def add_entry(app, *, by: str, content: str, person: str | None = None, org: str | None = None) -> int:
    """An entry put straight into the database (the story under test is elsewhere)."""
    with app.app_context():
        row = Dishonesty(
            subject_type="person" if person else "org",
            person_id=person_id(app, person) if person else None,
            subject_org_id=org_id(app, org) if org else None,
            content=content,
            recorded_by_org_id=org_id(app, by),
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def record(client, content: str, *, person: int | None = None, org: int | None = None, url: str = f"{ENTRY}/new/"):
    """新增 → pick the 失信人 → fill 失信内容 → 保存."""
    data = {"content": content}
    if person is not None:
        data["person"] = str(person)
    if org is not None:
        data["subject_org"] = str(org)
    return client.post(url, data, token_page=f"{ENTRY}/new/", follow_redirects=True)


def lookup(client, field: str, query: str = "") -> list[str]:
    """What the select2 picker offers for a typed text."""
    response = client.get(f"{ENTRY}/ajax/lookup/?name={field}&query={query}")
    assert response.status_code == 200
    return [label for _, label in response.get_json()]







