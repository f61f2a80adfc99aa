"""Form fields shared by several screens."""
import json

from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms import Field
from wtforms.validators import ValidationError

from .extensions import db
from .labels import ApplicationStatus
from .models import Organisation
from .provinces import employer_condition


def unit_label(org: Organisation) -> str:
    return f"{org.name}（{org.region.full_name}）"


def approved_units():
    """The organisations a person can work for or be transferred to: approved, not revoked, and employing
    (a 法人单位, or any organisation where its province's rule has every organisation employ)."""
    return select(Organisation).where(
        employer_condition(),
        Organisation.status == ApplicationStatus.APPROVED,
        Organisation.active.is_(True),
    )


class UnitSelectWidget:
    """A select2 box that searches `me.units` as the user types (Flask-Admin's form.js drives it)."""

    def __call__(self, field, **kwargs):
        from flask import url_for

        current = [field.data.id, unit_label(field.data)] if field.data is not None else None
        attrs = {
            "type": "hidden",
            "id": field.id,
            "name": field.name,
            "value": field.data.id if field.data is not None else "",
            "data-role": "select2-ajax",
            "data-url": url_for("me.units"),
            "data-json": json.dumps(current, ensure_ascii=False),
            "data-placeholder": "输入单位名称查找",
            "data-minimum-input-length": "1",
            "data-allow-blank": "1",
            "class": kwargs.pop("class", "") + " form-control",
            **kwargs,
        }
        return Markup("<input %s>" % " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items()))


class UnitField(Field):
    """工作单位 / 调入单位: an approved 法人单位, chosen by searching its name; `data` is the Organisation."""

    widget = UnitSelectWidget()

    def __init__(self, label=None, validators=None, exclude_id=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.exclude_id = exclude_id

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        self._raw = raw
        if raw.isascii() and raw.isdigit() and int(raw) < 2**31:  # "²" is a digit to str.isdigit
            self.data = db.session.scalar(approved_units().where(Organisation.id == int(raw)))

    def pre_validate(self, form):
        if getattr(self, "_raw", "") and self.data is None:
            raise ValidationError("所选单位不存在或尚未通过审核，请重新选择")
        if self.data is not None and self.data.id == self.exclude_id:
            raise ValidationError("不能选择本单位")
