"""Keyset ("seek") paging for the big lists: 下一页 and 上一页 carry the sort key of the page's last (first)
row, and the next page is the rows after that key — an index range read from the key, where OFFSET reads
and throws away every row before the page (page 500 of a province's people: 10,000 rows skipped).

A token is signed (the secret key, salt below) and names the view and the sort it was made under; a
token that does not verify, or was made under another sort (the user clicked a column heading since),
is ignored and the page number's OFFSET answers instead — never an error, since the same link may be
bookmarked. The scope and the filters are applied as on any page: a token only says where to start.

SQLite stores a date-time as text, and not always in one shape: rows written by SQLAlchemy carry
microseconds, rows from a server default or an INSERT … SELECT do not ('2026-12-01 09:00:00'). The list
sorts the text, so on SQLite a date-time key is compared as that text, read from the row as stored —
a bound datetime would be written with microseconds and never equal the row it came from.

Only sorts on the model's own NOT NULL columns seek (the primary key breaking ties): a NULL has no
place both databases agree on (SQLite sorts it first, PostgreSQL last), and a joined column's value is
not on the row. Any other sort pages by OFFSET, as before.
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Date, DateTime, String, and_, or_, select, type_coerce
from sqlalchemy.orm.attributes import InstrumentedAttribute

from ..extensions import db

SALT = "list-seek"
FORWARD, BACKWARD = "after", "before"


@dataclass(frozen=True)
class Key:
    """One column of the list's order: the column, its attribute name on the row, descending or not."""

    column: object
    name: str
    desc: bool
    #: what the comparisons read: the column, or on SQLite a date-time's stored text
    compared: object = None

    def __post_init__(self):
        if self.compared is None:
            object.__setattr__(self, "compared", self.column)

    def _smaller(self, forward: bool) -> bool:
        """Whether the page moves towards smaller values: forward over a descending column, or back
        over an ascending one."""
        return self.desc == forward

    def beyond(self, value, forward: bool):
        """Rows strictly past `value` in the direction the page moves."""
        return self.compared < value if self._smaller(forward) else self.compared > value

    def reached(self, value, forward: bool):
        """Rows at or past `value`: an index range's bound, which the OR below cannot give a planner."""
        return self.compared <= value if self._smaller(forward) else self.compared >= value


def key_for(model, field, desc: bool, joined: bool) -> Key | None:
    """The sort field as a seek key, or None when this sort cannot seek (joined, nullable, computed)."""
    if joined:
        return None
    if isinstance(field, InstrumentedAttribute):
        prop = getattr(field, "property", None)
        columns = getattr(prop, "columns", None)
        if not columns or len(columns) != 1:
            return None
        column, name = columns[0], prop.key
    else:
        column, name = field, getattr(field, "key", None)
    table = getattr(column, "table", None)
    if table is None or table is not model.__table__ or column.nullable or name is None:
        return None
    attribute = getattr(model, name)
    compared = attribute
    if isinstance(column.type, (Date, DateTime)) and db.session.get_bind().dialect.name == "sqlite":
        compared = type_coerce(attribute, String)
    return Key(attribute, name, desc, compared)


def edge(keys: list[Key], row, pk) -> list:
    """`row`'s values of `keys` as the comparisons read them (a stored text needs one primary-key read)."""
    if all(key.compared is key.column for key in keys):
        return [getattr(row, key.name) for key in keys]
    found = select(*(key.compared for key in keys)).where(pk == getattr(row, pk.key))
    return list(db.session.execute(found).one())


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _signature(endpoint: str, keys: list[Key]) -> list:
    return [endpoint, [[key.name, key.desc] for key in keys]]


def _plain(value):
    """A sort value as JSON: dates and numbers tagged so they come back as what the column holds."""
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    return value


def _typed(value):
    if isinstance(value, dict) and len(value) == 1:
        (tag, text), = value.items()
        return {"t": datetime.fromisoformat, "d": date.fromisoformat, "n": Decimal}[tag](text)
    return value


def token(endpoint: str, keys: list[Key], values: list) -> str | None:
    """The token of a row's position under `keys` (its `edge` values); None if a value is missing."""
    if any(value is None for value in values):
        return None
    return _serializer().dumps([*_signature(endpoint, keys), [_plain(v) for v in values]])


def link(url: str, made: str | None, forward: bool) -> str:
    """`url` (the list's page link, which repeats the current page's arguments) without the current
    page's token and with `made`, if any."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in (FORWARD, BACKWARD)]
    if made is not None:
        query.append((FORWARD if forward else BACKWARD, made))
    return urlunsplit(parts._replace(query=urlencode(query)))


def read(text: str | None, endpoint: str, keys: list[Key]) -> list | None:
    """The sort values a token carries, if it is ours and made under this view's current sort."""
    if not text or not keys:
        return None
    try:
        made_for, sort, values = _serializer().loads(text)
        if [made_for, sort] != _signature(endpoint, keys) or len(values) != len(keys):
            return None
        return [_typed(value) for value in values]
    except (BadSignature, ValueError, TypeError, KeyError):
        return None


def condition(keys: list[Key], values: list, forward: bool):
    """The rows after (before) the row with `values` in the order `keys`: (a, b) beyond (x, y) spelled as
    a ≥ x AND (a beyond x OR (a = x AND b beyond y)), which holds for mixed directions and hands the
    leading column's bound to the index."""
    alternatives = []
    for i, key in enumerate(keys):
        equal = [k.compared == v for k, v in zip(keys[:i], values[:i])]
        alternatives.append(and_(*equal, key.beyond(values[i], forward)))
    return and_(keys[0].reached(values[0], forward), or_(*alternatives))
