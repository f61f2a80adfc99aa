"""导入历史数据 (`flask import-legacy`): the old system's units, people, records (≤2017) and certificates.

Four sheets of the import engine, loaded in this order (each may refer to what the earlier ones made):

| sheet / CSV (`title`) | columns (required *)                                           | key (re-import updates) |
| --------------------- | -------------------------------------------------------------- | ----------------------- |
| 旧系统单位             | 旧系统单位代码*, 旧系统单位名称*                                    | 旧系统单位代码            |
| 旧系统学员             | 姓名*, 身份证号码*, 旧系统单位代码*                                  | 身份证号码               |
| 历史继续教育记录        | 身份证号码*, 姓名*, 年度*, 科目类型*, 课程名称*, 学时*, 施教机构名称  | 身份证号码+年度+科目类型+课程名称 |
| 历史证书               | 证书编号*, 身份证号码*, 姓名*, 年度*, 学时*                          | 证书编号                 |

An .xlsx holds any of these as sheets named by the title (other sheets are ignored); a .csv holds one,
recognised by its headers (`kind_of_headers`). The whole run is one transaction: if any row of any sheet
fails, nothing is stored and every failed row is reported with its row number and reason.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from ..extensions import db
from ..labels import CourseType
from ..models import LegacyCertificate, LegacyPerson, LegacyRecord, LegacyUnit
from ..models.legacy import FIRST_LEGACY_YEAR, LAST_LEGACY_YEAR
from ..validators import check_citizen_id, normalize_citizen_id
from . import (
    CREATE, SKIP, UPDATE, Column, ImportRefused, Report, Row, Sheet, frame_of, read_bytes, sheet_names, validate,
)

MAX_HOURS = Decimal("9999.9")
ID_COLUMN = Column("身份证号码", "id_number", required=True, as_text=True, note="18位，末位可为X；请保持单元格为文本格式")
YEAR_COLUMN = Column("年度", "year", required=True, max_length=4, note=f"{FIRST_LEGACY_YEAR}至{LAST_LEGACY_YEAR}")
HOURS_COLUMN = Column("学时", "hours", required=True, max_length=10, note="0至9999.9，最多一位小数")


def _year(row: Row) -> None:
    text = row.values.get("year")
    if text is None:
        return
    if not re.fullmatch(r"\d{4}", text) or not FIRST_LEGACY_YEAR <= int(text) <= LAST_LEGACY_YEAR:
        row.values.pop("year")
        row.fail(f"年度应为{FIRST_LEGACY_YEAR}至{LAST_LEGACY_YEAR}年之间的四位年份（旧系统只含2017年及以前的数据）")
        return
    row.values["year"] = int(text)


def _hours(row: Row) -> None:
    text = row.values.get("hours")
    if text is None:
        return
    try:
        hours = Decimal(text)
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite() or not 0 <= hours <= MAX_HOURS or hours != hours.quantize(Decimal("0.1")):
        row.values.pop("hours")
        row.fail(f"学时应为0至{MAX_HOURS}之间的数，最多一位小数")
        return
    row.values["hours"] = hours.quantize(Decimal("0.1"))


def _id_number(row: Row) -> None:
    raw = row.values.pop("id_number", None)
    if raw is None:
        return
    error = check_citizen_id(raw)
    if error:
        row.fail(error)
    else:
        row.values["id_number"] = normalize_citizen_id(raw)


def _plan_update(row: Row, target, fields: tuple[str, ...]) -> None:
    changes = {key: row.values.get(key) for key in fields if getattr(target, key) != row.values.get(key)}
    row.target, row.changes = target, changes
    row.outcome = UPDATE if changes else SKIP


def _apply(rows: list[Row], make) -> None:
    for row in rows:
        if row.outcome == CREATE:
            db.session.add(make(row))
        elif row.outcome == UPDATE:
            for key, value in row.changes.items():
                setattr(row.target, key, value)
    db.session.flush()


def _old_people(rows: list[Row]) -> dict[str, LegacyPerson]:
    numbers = {row.values["id_number"] for row in rows if "id_number" in row.values}
    found: dict[str, LegacyPerson] = {}
    chunk = sorted(numbers)
    for start in range(0, len(chunk), 1000):
        for person in db.session.scalars(
            select(LegacyPerson).where(LegacyPerson.id_number.in_(chunk[start:start + 1000]))
        ):
            found[person.id_number] = person
    return found


def _records_of(person_ids: list[int]) -> dict[tuple, LegacyRecord]:
    """The stored records of these old people by their key, read in chunks (no query per row)."""
    found = {}
    for start in range(0, len(person_ids), 1000):
        for record in db.session.scalars(
            select(LegacyRecord).where(LegacyRecord.legacy_person_id.in_(person_ids[start:start + 1000]))
        ):
            found[(record.legacy_person_id, record.year, record.course_type, record.course_name)] = record
    return found


def _person_of(row: Row, people: dict[str, LegacyPerson]) -> LegacyPerson | None:
    """The old person a record or certificate row names, by 身份证号码 and the same 姓名."""
    if "id_number" not in row.values:
        return None
    person = people.get(row.values["id_number"])
    if person is None:
        row.fail("该身份证号码不是旧系统学员（请先在“旧系统学员”中导入）")
        return None
    if row.values.get("name") is not None and row.values["name"] != person.name:
        row.fail("姓名与旧系统学员登记的姓名不一致")
        return None
    return person


class LegacyUnitSheet(Sheet):
    title = "旧系统单位"
    columns = (
        Column("旧系统单位代码", "code", required=True, max_length=30, as_text=True),
        Column("旧系统单位名称", "name", required=True, max_length=100),
    )
    key = "code"

    def check_rows(self, rows: list[Row]) -> None:
        for row in rows:
            if "code" in row.values:
                row.values["code"] = row.values["code"].upper()
        codes = [row.values["code"] for row in rows if "code" in row.values]
        existing = {u.code: u for u in db.session.scalars(select(LegacyUnit).where(LegacyUnit.code.in_(codes)))}
        for row in rows:
            if not row.ok:
                continue
            unit = existing.get(row.values["code"])
            if unit is None:
                row.outcome = CREATE
            else:
                _plan_update(row, unit, ("name",))

    def apply(self, rows: list[Row]) -> None:
        _apply(rows, lambda row: LegacyUnit(**row.values))


class LegacyPersonSheet(Sheet):
    title = "旧系统学员"
    columns = (
        Column("姓名", "name", required=True, max_length=50),
        ID_COLUMN,
        Column("旧系统单位代码", "unit_code", required=True, max_length=30, as_text=True),
    )
    key = "id_number"

    def check_rows(self, rows: list[Row]) -> None:
        for row in rows:
            _id_number(row)
        codes = {row.values["unit_code"].upper() for row in rows if "unit_code" in row.values}
        units = dict(db.session.execute(
            select(LegacyUnit.code, LegacyUnit.id).where(LegacyUnit.code.in_(sorted(codes)))
        ).all())
        people = _old_people(rows)
        for row in rows:
            code = row.values.pop("unit_code", "").upper()
            if code:
                if code not in units:
                    row.fail(f"旧系统单位代码“{code[:30]}”不存在（请先在“旧系统单位”中导入）")
                else:
                    row.values["legacy_unit_id"] = units[code]
            if not row.ok:
                continue
            person = people.get(row.values["id_number"])
            if person is None:
                row.outcome = CREATE
            else:
                _plan_update(row, person, ("name", "legacy_unit_id"))

    def apply(self, rows: list[Row]) -> None:
        _apply(rows, lambda row: LegacyPerson(**row.values))


class LegacyRecordSheet(Sheet):
    title = "历史继续教育记录"
    columns = (
        ID_COLUMN,
        Column("姓名", "name", required=True, max_length=50),
        YEAR_COLUMN,
        Column("科目类型", "course_type", required=True, kind="choice"),
        Column("课程名称", "course_name", required=True, max_length=100),
        HOURS_COLUMN,
        Column("施教机构名称", "institution_name", max_length=100),
    )
    key = ("id_number", "year", "course_type", "course_name")

    def choices(self):
        return {"course_type": {label: code for code, label in CourseType.choices()}}

    def check_rows(self, rows: list[Row]) -> None:
        for row in rows:
            _id_number(row)
            _year(row)
            _hours(row)
        people = _old_people(rows)
        known = _records_of([p.id for p in people.values()])
        for row in rows:
            person = _person_of(row, people)
            if not row.ok:
                continue
            values = row.values
            values.pop("name", None)
            values["legacy_person_id"] = person.id
            values.pop("id_number")
            values.setdefault("institution_name", None)
            existing = known.get((person.id, values["year"], values["course_type"], values["course_name"]))
            if existing is None:
                row.outcome = CREATE
            else:
                _plan_update(row, existing, ("hours", "institution_name"))

    def apply(self, rows: list[Row]) -> None:
        _apply(rows, lambda row: LegacyRecord(**row.values))


class LegacyCertificateSheet(Sheet):
    title = "历史证书"
    columns = (
        Column("证书编号", "number", required=True, max_length=40, as_text=True),
        ID_COLUMN,
        Column("姓名", "name", required=True, max_length=50),
        YEAR_COLUMN,
        HOURS_COLUMN,
    )
    key = "number"

    def check_rows(self, rows: list[Row]) -> None:
        for row in rows:
            _id_number(row)
            _year(row)
            _hours(row)
        people = _old_people(rows)
        numbers = [row.values["number"] for row in rows if "number" in row.values]
        existing = {
            c.number: c
            for c in db.session.scalars(select(LegacyCertificate).where(LegacyCertificate.number.in_(numbers)))
        }
        for row in rows:
            person = _person_of(row, people)
            if not row.ok:
                continue
            values = row.values
            values.pop("name", None)
            values.pop("id_number")
            values["legacy_person_id"] = person.id
            certificate = existing.get(values["number"])
            if certificate is None:
                row.outcome = CREATE
            else:
                _plan_update(row, certificate, ("legacy_person_id", "year", "hours"))

    def apply(self, rows: list[Row]) -> None:
        _apply(rows, lambda row: LegacyCertificate(**row.values))


#: in the order they are loaded
SHEETS: tuple[type[Sheet], ...] = (LegacyUnitSheet, LegacyPersonSheet, LegacyRecordSheet, LegacyCertificateSheet)


def kind_of_headers(headers: list[str]) -> type[Sheet] | None:
    """A CSV's sheet, by the headers only one sheet has: 证书编号 → 历史证书, 课程名称 → 历史继续教育记录,
    身份证号码 → 旧系统学员, else 旧系统单位名称 → 旧系统单位."""
    present = set(headers)
    for marker, sheet in (
        ("证书编号", LegacyCertificateSheet), ("课程名称", LegacyRecordSheet),
        ("身份证号码", LegacyPersonSheet), ("旧系统单位名称", LegacyUnitSheet),
    ):
        if marker in present:
            return sheet
    return None


# ---- the run -----------------------------------------------------------------------------------------


class FileReport:
    """One file's sheets, each with its engine Report."""

    def __init__(self, name: str):
        self.name = name
        self.reports: list[Report] = []


def _sheets_of(content: bytes, kind: str, name: str) -> list[tuple[Sheet, object]]:
    """(sheet, frame) for every kind of data the file holds, in loading order."""
    if kind == "csv":
        probe = frame_of(content, kind, Sheet())
        sheet_class = kind_of_headers(list(probe.columns))
        if sheet_class is None:
            raise ImportRefused(f"{name}：无法识别 CSV 文件的数据类别（列标题应含 证书编号、课程名称、身份证号码 或 旧系统单位名称）")
        sheet = sheet_class()
        return [(sheet, frame_of(content, kind, sheet))]
    titles = sheet_names(content)
    found = [(cls(), None) for cls in SHEETS if cls.title in titles]
    if not found:
        wanted = "、".join(cls.title for cls in SHEETS)
        raise ImportRefused(f"{name}：工作簿中没有可导入的工作表（工作表名称应为 {wanted}）")
    return [(sheet, frame_of(content, kind, sheet)) for sheet, _ in found]


def load(files) -> tuple[list[FileReport], dict[str, dict[str, int]]]:
    """Validate and apply every sheet of every file (FileStorage-like objects) in loading order, flushing
    each so the later sheets see the earlier ones. Returns the reports and the counts per sheet title;
    the caller commits only if no row failed (and rolls back otherwise). ImportRefused for a bad file."""
    pending = []
    for file in files:
        content, kind = read_bytes(file)
        report = FileReport(file.filename)
        for sheet, frame in _sheets_of(content, kind, file.filename):
            pending.append((SHEETS.index(type(sheet)), report, sheet, frame))
    pending.sort(key=lambda item: item[0])
    reports, counts = [], {}
    for _, report, sheet, frame in pending:
        result = validate(frame, sheet)
        report.reports.append(result)
        sheet.apply([row for row in result.rows if row.ok])
        total = counts.setdefault(sheet.title, {CREATE: 0, UPDATE: 0, SKIP: 0, "failed": 0})
        for key, value in result.counts.items():
            total[key] += value
        if report not in reports:
            reports.append(report)
    return reports, counts
