"""批量导入专业技术人员: a unit loads its people from a spreadsheet (manual 002 批量导入, fields of 000 §1.5.2).

Matching is by 公民身份号码, so importing the same file twice creates nobody twice:

| the ID number is …                               | the row …                                              |
| ------------------------------------------------ | ------------------------------------------------------ |
| unknown                                          | creates a person confirmed in this unit                |
| confirmed in this unit                           | updates the changed fields, or is skipped (no change)  |
| of no unit / released, without an account        | attaches and confirms the person, updating fields      |
| a person with a personal account, of no unit     | fails: they choose their unit themselves               |
| pending at this unit                             | fails: the unit confirms them on 信息确认               |
| pending or confirmed at another unit             | fails: that is a 人员调转                               |

The failing cases are the one takeover rule of 新增 too (`workflows.people.takeover_refusal`).

Once a person has been confirmed (or has a real-name account), 姓名 never changes through an import, and
公民身份号码 is the key so it never changes either. A blank optional cell leaves the stored value alone.
"""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..labels import BindingStatus, DictionaryCategory, Sex, TitleLevel
from ..models import Department, Person, ProfessionalSeries
from ..models.base import utcnow
from ..models.reference import dictionary_choices
from ..validators import (
    birth_date_from_id,
    check_citizen_id,
    check_email,
    check_id_consistency,
    check_phone,
    check_postcode,
    normalize_citizen_id,
)
from ..workflows.people import takeover_refusal
from . import CREATE, SKIP, UPDATE, Column, Row, Sheet
from .matching import by_id_number, name_refusal

FLUSH_EVERY = 1000

COLUMNS = (
    Column("姓名", "name", required=True, max_length=50),
    Column("性别", "sex", required=True, kind="choice"),
    Column("公民身份号码", "id_number", required=True, as_text=True, note="18位，末位可为X；请保持单元格为文本格式"),
    Column("出生日期", "birth_date", kind="date", note="可不填，由公民身份号码得出；填写时须与其一致"),
    Column("民族", "ethnicity_code", required=True, kind="choice"),
    Column("籍贯", "native_place", required=True, max_length=50),
    Column("最高学历", "education_code", required=True, kind="choice"),
    Column("最高学位", "degree_code", kind="choice"),
    Column("所学专业", "major", required=True, max_length=50),
    Column("毕业院校", "school", required=True, max_length=50),
    Column("毕业时间", "graduated_on", required=True, kind="date"),
    Column("参加工作时间", "work_started_on", required=True, kind="date"),
    Column("联系电话", "phone", required=True, max_length=20, as_text=True),
    Column("邮箱", "email", max_length=100),
    Column("专业技术任职资格", "title", required=True, max_length=50),
    Column("资格级别", "title_level", required=True, kind="choice"),
    Column("取得资格时间", "title_obtained_on", kind="date"),
    Column("专业系列", "series_id", required=True, kind="choice"),
    Column("从事专业", "specialty", required=True, max_length=50),
    Column("邮政编码", "postcode", max_length=6, as_text=True),
    Column("通信地址", "address", max_length=100),
    Column("所属部门", "department_id", kind="choice", note="本单位的内设部门，可不填"),
)
# Fields an import may set on an existing person (the ID number is the key; the name is checked apart).
UPDATABLE = [c.key for c in COLUMNS if c.key not in ("id_number", "name")] + ["name"]
DATES_AFTER_BIRTH = ("graduated_on", "work_started_on", "title_obtained_on")


def department_names(unit_id: int) -> dict[str, int]:
    """The unit's active departments by the name people write: the plain name where it is unique,
    otherwise the path from the top (内科/心血管内科)."""
    rows = db.session.execute(
        select(Department.id, Department.name, Department.parent_id)
        .where(Department.org_id == unit_id, Department.active.is_(True))
        .order_by(Department.depth, Department.sort, Department.name)
    ).all()
    by_id = {row.id: row for row in rows}

    def path(row) -> str:
        parts = [row.name]
        parent = by_id.get(row.parent_id)
        while parent is not None:
            parts.append(parent.name)
            parent = by_id.get(parent.parent_id)
        return "/".join(reversed(parts))

    plain = [row.name for row in rows]
    return {(row.name if plain.count(row.name) == 1 else path(row)): row.id for row in rows}


class PersonSheet(Sheet):
    title = "专业技术人员"
    columns = COLUMNS
    key = "id_number"

    def __init__(self, unit_id: int):
        self.unit_id = unit_id
        self._choices = None

    def choices(self):
        if self._choices is None:
            def named(category):
                return {name: code for code, name in dictionary_choices(category)}

            series = db.session.execute(
                select(ProfessionalSeries.name, ProfessionalSeries.id)
                .where(ProfessionalSeries.active.is_(True))
                .order_by(ProfessionalSeries.sort, ProfessionalSeries.name)
            ).all()
            self._choices = {
                "sex": {label: code for code, label in Sex.choices()},
                "ethnicity_code": named(DictionaryCategory.ETHNICITY),
                "education_code": named(DictionaryCategory.EDUCATION),
                "degree_code": named(DictionaryCategory.DEGREE),
                "title_level": {label: code for code, label in TitleLevel.choices()},
                "series_id": {name: id_ for name, id_ in series},
                "department_id": department_names(self.unit_id),
            }
        return self._choices

    # ---- checks -------------------------------------------------------------------------------------

    def check_rows(self, rows: list[Row]) -> None:
        for row in rows:
            self._check_fields(row)
        existing = by_id_number(row.values["id_number"] for row in rows if "id_number" in row.values)
        for row in rows:
            if "id_number" in row.values:
                self._plan(row, existing.get(row.values["id_number"]))

    def _check_fields(self, row: Row) -> None:
        values = row.values
        raw_id = values.pop("id_number", None)
        if raw_id is not None:
            error = check_citizen_id(raw_id)
            if error and "E+" in raw_id.upper():
                error = "公民身份号码被 Excel 存成了数字，请把该列设为文本格式后重新填写"
            error = error or check_id_consistency(raw_id, values.get("birth_date"), values.get("sex"))
            if error:
                row.fail(error)
            else:
                values["id_number"] = normalize_citizen_id(raw_id)
                values["birth_date"] = birth_date_from_id(raw_id)
                for key in DATES_AFTER_BIRTH:
                    if key in values and values[key] < values["birth_date"]:
                        row.fail(f"{self.column(key).label}早于出生日期")
        for key, check in (("phone", check_phone), ("email", check_email), ("postcode", check_postcode)):
            if key in values:
                error = check(values[key])
                if error:
                    row.fail(error)

    def _plan(self, row: Row, person: Person | None) -> None:
        if person is None:
            if row.ok:
                row.outcome = CREATE
            return
        refusal = takeover_refusal(person, self.unit_id)
        if refusal:
            row.fail(refusal)
            return
        refusal = name_refusal(person, row.values.get("name"))
        if refusal:
            row.fail(refusal)
        if not row.ok:
            return
        changes = {
            key: row.values[key]
            for key in UPDATABLE
            if key in row.values and getattr(person, key) != row.values[key]
        }
        if not (person.unit_id == self.unit_id and person.binding_status == BindingStatus.CONFIRMED):
            changes.update(unit_id=self.unit_id, binding_status=BindingStatus.CONFIRMED)
            if person.confirmed_at is None:
                changes["confirmed_at"] = None  # set to the time of the import in apply()
        row.target, row.changes = person, changes
        row.outcome = UPDATE if changes else SKIP

    # ---- the import ---------------------------------------------------------------------------------

    def apply(self, rows: list[Row]) -> None:
        now = utcnow()
        for n, row in enumerate(rows, start=1):
            if row.outcome == CREATE:
                db.session.add(Person(
                    **row.values, unit_id=self.unit_id, binding_status=BindingStatus.CONFIRMED, confirmed_at=now,
                ))
            elif row.outcome == UPDATE:
                for key, value in row.changes.items():
                    setattr(row.target, key, now if key == "confirmed_at" else value)
            if n % FLUSH_EVERY == 0:
                db.session.flush()
        db.session.flush()
