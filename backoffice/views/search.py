"""Declared list search: each field says how it is matched, and every kind is one an index serves.

Flask-Admin's own search is `ILIKE '%term%'` over every searchable column, which no index serves: at a
million people 0.4–0.8 s on both databases (STACK-NOTES). Here a view declares, e.g.

    search_fields = (SearchField(Person.id_number, ID_NUMBER, "公民身份号码"),
                     SearchField(Person.name, PREFIX, "姓名（前缀）"))

- ID_NUMBER: 18 characters → equality; a shorter run of digits → a prefix range on the unique index.
  Anything else cannot be an ID number and matches nothing in that field.
- PREFIX: the value starts with the term. SQLite compares bytes (BINARY collation), so the range
  [term, term + U+10FFFF) walks the plain index; on PostgreSQL the column is in the "C" collation
  (models/person.py:NAME), where the planner turns `LIKE 'term%'` into a range of the same index —
  the one the list's name order walks, so a search page stops after 20 rows of the range.

The whole box is one term (a name has no spaces); the fields are OR'ed.

A list of other rows about a person (a record's) names the person's column and `through`, the listed
row's column holding the person's key: the match becomes `through IN (SELECT key … WHERE match)`, the
same index probe on the person, then the listed rows by their person index — no join.
"""
import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.sql.elements import False_

ID_NUMBER = "id_number"
PREFIX = "prefix"

_DIGITS = re.compile(r"\d{1,17}")
_ID = re.compile(r"\d{17}[\dX]")
_TOP = "\U0010ffff"


@dataclass(frozen=True)
class SearchField:
    column: object
    kind: str
    label: str
    #: the listed row's column holding the key of `column`'s row, and that key (a record's person_id, Person.id)
    through: object = None
    key: object = None
    #: with `through`: a callable giving what every listed row's person meets anyway (the list's own scope
    #: on the person), added to the person sub-select so the planner can start from the few who match both
    narrow: object = None

    @property
    def placeholder(self) -> str:
        return f"{self.label}（前缀）" if self.kind == PREFIX else self.label


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def digits_after(prefix: str) -> str:
    """The least string above every one that starts with the digits `prefix`: its last digit + 1 (after
    '9' comes ':'), the upper bound of a prefix range on an index."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _match(field: SearchField, term: str, dialect: str) -> ColumnElement[bool]:
    column = field.column
    if field.kind == ID_NUMBER:
        upper = term.upper()
        if _ID.fullmatch(upper):
            return column == upper
        if _DIGITS.fullmatch(term):
            return and_(column >= term, column < digits_after(term))
        return false()
    if field.kind == PREFIX:
        if _DIGITS.fullmatch(term) or _ID.fullmatch(term.upper()):
            # No name is digits. Left in, the OR with the ID match made SQLite walk the whole name
            # index (117 ms at a million people instead of an index probe).
            return false()
        if dialect == "postgresql":
            return column.like(_escape_like(term) + "%", escape="\\")
        return and_(column >= term, column < term + _TOP)
    raise ValueError(f"unknown search kind {field.kind!r}")


def search_order(fields, search: str):
    """The column an ID-number search lists by, or None to keep the list's own order.

    A term of digits can only match an ID number (a name is never digits), so its rows are listed in
    ID-number order: the unique index then finds and orders them in one walk. In name order PostgreSQL
    walks the name index filtering every row by the ID range until it has a page (25 ms at 200,000
    people for a ten-digit prefix, the whole index for a prefix nobody has)."""
    term = search.strip().upper()
    if not (_DIGITS.fullmatch(term) or _ID.fullmatch(term)):
        return None
    return next((field.column for field in fields if field.kind == ID_NUMBER and field.through is None), None)


def search_condition(fields, search: str, dialect: str) -> ColumnElement[bool]:
    term = search.strip()
    if not term:
        return true()
    # A field the term cannot match (digits are no name) is left out, not OR-ed in as an empty sub-select:
    # `person_id IN (…name…) OR person_id IN (…ID…)` made PostgreSQL walk all 5,000,000 records with two
    # hashed sub-plans (3.6 s for 继续教育记录查询 by 公民身份号码), where the one IN is a semi join.
    matches = [(field, _match(field, term, dialect)) for field in fields]
    found = [_through(field, match) for field, match in matches if not isinstance(match, False_)]
    return or_(*found) if found else false()


def _through(field: SearchField, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    if field.through is None:
        return condition
    keys = select(field.key).where(condition)
    if field.narrow is not None:
        keys = keys.where(field.narrow())
    return field.through.in_(keys)
