"""How values read on screens and in exports: times in Beijing time, codes as their Chinese labels."""
from datetime import date, datetime

from flask import Flask, g
from flask_admin.model import typefmt
from flask_babel import format_datetime

from . import labels

DATETIME_PATTERN = "yyyy-MM-dd HH:mm:ss"


def local_datetime(value: datetime | None) -> str:
    """Stored times are naive UTC; people read Asia/Shanghai (the Babel timezone)."""
    return format_datetime(value, DATETIME_PATTERN) if value else ""


def dictionary_name(category: str, code: str | None) -> str:
    """A dictionary code as its name; each dictionary is read once per request, not once per row."""
    if not code:
        return ""
    cache = g.setdefault("dictionary_names", {})
    if category not in cache:
        from .models import DictionaryItem
        from .extensions import db

        rows = db.session.execute(
            db.select(DictionaryItem.code, DictionaryItem.name).where(DictionaryItem.category == category)
        )
        cache[category] = dict(rows.all())
    return cache[category].get(code, code)


def _datetime_cell(view, value, name=None):
    return local_datetime(value)


def _date_cell(view, value, name=None):
    return value.isoformat()


def _yes_no(view, value, name=None):
    return "是" if value else "否"


#: Flask-Admin type formatters for lists (bool as an icon), details and exports (bool as 是/否).
_DATES = {datetime: _datetime_cell, date: _date_cell}
TYPE_FORMATTERS = {**typefmt.BASE_FORMATTERS, **_DATES}
DETAIL_TYPE_FORMATTERS = {**typefmt.DETAIL_FORMATTERS, **_DATES, bool: _yes_no}
EXPORT_TYPE_FORMATTERS = {**typefmt.EXPORT_FORMATTERS, **_DATES, bool: _yes_no}


# Flask-Admin 2.2's zh_Hans_CN catalogue lacks the banner it flashes over a form that does not validate.
UNTRANSLATED_FLASHES = {
    "Failed to create record.": "保存失败，请按提示修改后再保存",
    "Failed to save record.": "保存失败，请按提示修改后再保存",
}


def flash_text(message: str) -> str:
    return UNTRANSLATED_FLASHES.get(str(message), message)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["flash_text"] = flash_text
    app.jinja_env.globals["review_result_label"] = labels.ReviewResult.label
    app.jinja_env.globals["status_label"] = labels.ApplicationStatus.label
    app.jinja_env.globals["kind_label"] = labels.OrgKind.label
    app.jinja_env.globals["class_status_label"] = labels.ClassStatus.label
    app.jinja_env.globals["dictionary_name"] = dictionary_name
