"""继续教育记录批量申报 (001 §1.6.2): a unit declares records of its confirmed people from a spreadsheet.

Every row is one declaration and passes exactly the checks of one (`workflows.declarations`): the
values through `clean`, and the import itself goes through `save_record` and `submit_record`, so a
limit changed there changes here. People are found by the import engine's one rule
(`imports.matching`: 公民身份号码 + 姓名 of the unit's confirmed people).

| the row …                                                             | outcome                         |
| --------------------------------------------------------------------- | ------------------------------- |
| valid, person confirmed here, not declared yet                        | create and 确认/送审 (as 批量申报) |
| the person already has a record of this 课程名称 and 学习开始时间          | skip (already declared)         |
| a field the declaration refuses, a person not confirmed here, 姓名 differs | fail with the reason            |
| a 申报年度 whose 学时录入截止日期 has passed                                | fail, naming the deadline       |

So importing the same file again declares nothing twice.
"""
from __future__ import annotations

from sqlalchemy import select, tuple_

from ..extensions import db
from ..labels import CourseType, DictionaryCategory, ExamResult
from ..models import Organisation, Record
from ..models.reference import dictionary_choices
from ..validators import check_citizen_id, normalize_citizen_id
from ..workflows import WorkflowError
from ..workflows import declarations
from . import CREATE, SKIP, Column, Row, Sheet
from .matching import LOOKUP_CHUNK, by_id_number, member_refusal

COLUMNS = (
    Column("公民身份号码", "id_number", required=True, as_text=True, note="本单位已确认的专业技术人员；请保持单元格为文本格式"),
    Column("姓名", "name", required=True, max_length=50),
    Column("科目类型", "course_type", required=True, kind="choice"),
    Column("课程名称", "course_name", required=True, max_length=declarations.TEXT_MAX),
    Column("学习形式", "study_form_code", required=True, kind="choice"),
    Column("学习开始时间", "start_on", required=True, kind="date"),
    Column("学习结束时间", "end_on", required=True, kind="date"),
    Column("参训天数", "days", max_length=10, note="0.5至365，最多一位小数；学术论文、学历教育不填"),
    Column("考核结果", "exam_result", kind="choice", note="合格或不合格；学术论文不填"),
    Column("拟申报学时", "declared_hours", required=True, max_length=10,
           note=f"0.5至999.9，最多一位小数，不超过参训天数×{declarations.HOURS_PER_DAY}"),
    Column("申报年度", "year", max_length=4, note="可不填：取学习结束时间的年份"),
    Column("施教机构名称", "institution_name", max_length=declarations.TEXT_MAX),
    Column("学习地点", "location", max_length=declarations.TEXT_MAX, note="网络培训、学术论文不填"),
    Column("学习内容", "content", max_length=declarations.TEXT_MAX),
    Column("备注", "note", max_length=declarations.TEXT_MAX),
)
KEY = ("id_number", "course_name", "start_on")


class RecordSheet(Sheet):
    title = "继续教育记录"
    columns = COLUMNS
    key = KEY
    max_rows = 2_000  # each row goes through the declaration workflow (save, 确认/送审, 审批流程)

    def __init__(self, actor):
        self.actor = actor
        self._choices = None
        self._deadlines: dict[tuple, str | None] = {}
        self._region_code: str | None = None

    def _region(self) -> str | None:
        if self._region_code is None:
            unit = db.session.get(Organisation, self.actor.org_id)
            self._region_code = unit.region_code if unit else ""
        return self._region_code or None

    def choices(self):
        if self._choices is None:
            self._choices = {
                "course_type": {label: code for code, label in CourseType.choices()},
                "study_form_code": {name: code for code, name in dictionary_choices(DictionaryCategory.STUDY_FORM)},
                "exam_result": {label: code for code, label in ExamResult.choices()},
            }
        return self._choices

    # ---- checks -------------------------------------------------------------------------------------

    def check_rows(self, rows: list[Row]) -> None:
        try:
            declarations.declarer(self.actor)
        except WorkflowError as refused:
            for row in rows:
                row.fail(str(refused))
            return
        people = by_id_number(row.values["id_number"] for row in rows if "id_number" in row.values)
        for row in rows:
            self._check(row, people)
        declared = self._declared([row for row in rows if row.ok])
        for row in rows:
            if row.ok:
                row.outcome = SKIP if (row.target.id, row.values["course_name"], row.values["start_on"]) in declared else CREATE

    def _check(self, row: Row, people) -> None:
        values = row.values
        raw_id = values.get("id_number")
        if raw_id is not None:
            error = check_citizen_id(raw_id)
            if error and "E+" in raw_id.upper():
                error = "公民身份号码被 Excel 存成了数字，请把该列设为文本格式后重新填写"
            if error:
                row.fail(error)
            else:
                values["id_number"] = normalize_citizen_id(raw_id)
                person = people.get(values["id_number"])
                refusal = member_refusal(person, values.get("name"), self.actor.org_id)
                if refusal:
                    row.fail(refusal)
                else:
                    row.target = person
        if "year" not in values and "end_on" in values:
            values["year"] = values["end_on"].year
        if {"course_type", "study_form_code", "course_name", "start_on", "end_on", "declared_hours"} <= values.keys():
            try:
                values.update(declarations.clean(values))  # the declaration's own limits, one by one
            except WorkflowError as refused:
                row.fail(str(refused))
                return
            if row.target is not None:
                refusal = self._closed_year(row.target, values["year"])
                if refusal:
                    row.fail(refusal)

    def _closed_year(self, person, year: int) -> str | None:
        """The declaration's entry-deadline refusal, asked once per (专业系列, 年度): every person of the
        file is confirmed at the importing unit, so the unit's region is theirs."""
        key = (person.series_id, year)
        if key not in self._deadlines:
            self._deadlines[key] = declarations.closed_year_refusal(year, self._region(), person.series_id)
        return self._deadlines[key]

    def _declared(self, rows: list[Row]) -> set[tuple]:
        """(person, 课程名称, 学习开始时间) of the rows that some record already holds."""
        keys = sorted({(row.target.id, row.values["course_name"], row.values["start_on"]) for row in rows})
        found: set[tuple] = set()
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start:start + LOOKUP_CHUNK]
            found.update(map(tuple, db.session.execute(
                select(Record.person_id, Record.course_name, Record.start_on)
                .where(tuple_(Record.person_id, Record.course_name, Record.start_on).in_(chunk))
            )))
        return found

    # ---- the import ---------------------------------------------------------------------------------

    def apply(self, rows: list[Row]) -> None:
        """Each new row: `save_record` then `submit_record` (the unit's 确认, or 送审 where the province's
        chain has a further step). A refusal raises and the caller rolls the whole import back."""
        for row in rows:
            if row.outcome != CREATE:
                continue
            values = {key: value for key, value in row.values.items() if key not in ("id_number", "name")}
            try:
                record = declarations.save_record(
                    None, self.actor, id_number=row.values["id_number"], name=row.values["name"], **values
                )
                declarations.submit_record(record, self.actor)
            except WorkflowError as refused:
                raise WorkflowError(f"第{row.number}行：{refused}") from None
