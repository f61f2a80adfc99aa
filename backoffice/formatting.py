"""How values read on screens and in exports: times in Beijing time, codes as their Chinese labels."""
import re
import time
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from flask import Flask, g
from flask_admin.model import typefmt
from flask_babel import format_datetime
from sqlalchemy import event
from sqlalchemy.orm import Session

from . import labels

DATETIME_PATTERN = "yyyy-MM-dd HH:mm:ss"


def local_datetime(value: datetime | None) -> str:
    """Stored times are naive UTC; people read Asia/Shanghai (the Babel timezone)."""
    return format_datetime(value, DATETIME_PATTERN) if value else ""


def hours(value) -> str:
    """学时 as people write them: 12, 12.5 (never 12.0 or 1.2E+1)."""
    if value is None:
        return ""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def date_cn(value: datetime | None) -> str:
    """2026年12月1日, in Beijing time."""
    return format_datetime(value, "yyyy年M月d日") if value else ""


#: seconds the process keeps a dictionary's names. A change committed by this process is seen by its next
#: request at once (`forget_dictionaries`); another worker's within this time. A dictionary read on every
#: page was a statement on every page (a database round trip: 0.2 ms of a 3 ms page on PostgreSQL).
DICTIONARY_TTL = 60


class Dictionary(NamedTuple):
    """What the process knows of one dictionary: every code's name (an inactive one still names old rows),
    and the active entries in their order as a select's options (a filter's choices)."""

    names: dict
    options: list[tuple[str, str]]


#: category → (its Dictionary, when the process reads it again)
_dictionaries: dict[str, tuple[Dictionary, float]] = {}


#: the snapshot of 专业系列 names by id, kept as a dictionary's: a list shows a person's series without
#: joining the table (继续教育记录查询: one join fewer to plan on every page)
SERIES = "professional_series"


def dictionary_name(category: str, code: str | None) -> str:
    """A dictionary code as its name: one request reads one snapshot of each dictionary, kept by the
    process for DICTIONARY_TTL seconds, not read once per row or per page."""
    if not code:
        return ""
    name = _named(category, code)
    return code if name is None else name


def dictionary_options(category: str) -> list[tuple[str, str]]:
    """A dictionary's active (code, name) entries in their order, from the process's snapshot: a list's
    filter offers them on every page without reading the table (as dictionary_name)."""
    return _snapshot(category).options


def series_options() -> list[tuple[str, str]]:
    """The 专业系列 as (id, name) select options in id order, from the process's snapshot."""
    return _snapshot(SERIES).options


def series_name(series_id: int | None) -> str:
    """A 专业系列 id as its name, from the process's snapshot (as dictionary_name)."""
    return (_named(SERIES, series_id) or "") if series_id is not None else ""


def _named(category: str, key):
    """`key`'s name in the snapshot; a key it lacks (added since, by another worker) reads the dictionary
    again, once a request."""
    names = _snapshot(category).names
    if key not in names:
        reread = g.setdefault("dictionaries_reread", set())
        if category not in reread:
            reread.add(category)
            forget_dictionaries([category])
            g.dictionary_names.pop(category, None)
            names = _snapshot(category).names
    return names.get(key)


def _snapshot(category: str) -> Dictionary:
    snapshot = g.setdefault("dictionary_names", {})
    if category not in snapshot:
        known = _dictionaries.get(category)
        now = time.monotonic()
        if known is None or known[1] <= now:
            known = (_read_dictionary(category), now + DICTIONARY_TTL)
            _dictionaries[category] = known
        snapshot[category] = known[0]
    return snapshot[category]


def _read_dictionary(category: str) -> Dictionary:
    from .extensions import db
    from .models import DictionaryItem, ProfessionalSeries

    if category == SERIES:
        rows = db.session.execute(
            db.select(ProfessionalSeries.id, ProfessionalSeries.name).order_by(ProfessionalSeries.id)
        ).all()
        return Dictionary(dict(rows), [(str(series_id), name) for series_id, name in rows])
    rows = db.session.execute(
        db.select(DictionaryItem.code, DictionaryItem.name, DictionaryItem.active)
        .where(DictionaryItem.category == category)
        .order_by(DictionaryItem.sort, DictionaryItem.code)
    ).all()
    return Dictionary({code: name for code, name, _ in rows}, [(code, name) for code, name, active in rows if active])


def forget_dictionaries(categories) -> None:
    """Read these dictionaries again at their next use (a change to them was committed)."""
    for category in categories:
        _dictionaries.pop(category, None)


_CHANGED = "dictionaries_changed"


@event.listens_for(Session, "after_flush")
def _note_dictionary_changes(session: Session, flush_context) -> None:
    from .models import DictionaryItem, ProfessionalSeries

    rows = (*session.new, *session.dirty, *session.deleted)
    changed = {row.category for row in rows if isinstance(row, DictionaryItem)}
    changed |= {SERIES for row in rows if isinstance(row, ProfessionalSeries)}
    if changed:
        session.info.setdefault(_CHANGED, set()).update(changed)


@event.listens_for(Session, "after_commit")
def _forget_committed_dictionaries(session: Session) -> None:
    forget_dictionaries(session.info.pop(_CHANGED, ()))


@event.listens_for(Session, "after_soft_rollback")
def _keep_dictionaries(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_CHANGED, None)


def dictionary_formatters(model) -> dict:
    """Flask-Admin formatters showing names for every column of `model` that stores a dictionary code
    (marked on the model: `mapped_column(..., info={"dictionary": category})`), so no screen shows "02"."""
    from sqlalchemy import inspect

    found = {}
    for column in inspect(model).columns:
        category = column.info.get("dictionary")
        if category:
            found[column.key] = lambda view, context, row, name, c=category: dictionary_name(c, getattr(row, name))
    return found


def _datetime_cell(view, value, name=None):
    return local_datetime(value)


def _date_cell(view, value, name=None):
    return value.isoformat()


def _yes_no(view, value, name=None):
    return "是" if value else "否"


#: Flask-Admin type formatters for lists, details and exports: times in Beijing time, booleans as 是/否.
_DATES = {datetime: _datetime_cell, date: _date_cell}
TYPE_FORMATTERS = {**typefmt.BASE_FORMATTERS, **_DATES, bool: _yes_no}
DETAIL_TYPE_FORMATTERS = {**typefmt.DETAIL_FORMATTERS, **_DATES, bool: _yes_no}
EXPORT_TYPE_FORMATTERS = {**typefmt.EXPORT_FORMATTERS, **_DATES, bool: _yes_no}


# Flask-Admin's own flashes in the product's words: its zh_Hans_CN catalogue lacks some and words the
# rest its own way (创建记录成功。), the only place these strings are chosen.
FRAMEWORK_FLASHES = {
    "Failed to create record.": "保存失败，请按提示修改后再保存",
    "Failed to save record.": "保存失败，请按提示修改后再保存",
    "创建记录失败。": "保存失败，请按提示修改后再保存",
    "保存记录失败。": "保存失败，请按提示修改后再保存",
    "创建记录成功。": "新增成功",
    "保存记录成功": "保存成功",
    "记录不存在。": "记录不存在或已被删除",
}
DELETED = re.compile(r"^(\d+) 条记录被成功删除。$")


def flash_text(message: str) -> str:
    message = str(message)
    deleted = DELETED.match(message)
    if deleted:
        return f"已删除{deleted.group(1)}条记录"
    return FRAMEWORK_FLASHES.get(message, message)


def init_app(app: Flask) -> None:
    from .shell import identity

    app.jinja_env.globals["identity"] = identity
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["flash_text"] = flash_text
    app.jinja_env.filters["hours"] = hours
    app.jinja_env.filters["date_cn"] = date_cn
    app.jinja_env.globals["review_result_label"] = labels.ReviewResult.label
    app.jinja_env.globals["status_label"] = labels.ApplicationStatus.label
    app.jinja_env.globals["kind_label"] = labels.OrgKind.label
    app.jinja_env.globals["class_status_label"] = labels.ClassStatus.label
    app.jinja_env.globals["dictionary_name"] = dictionary_name
