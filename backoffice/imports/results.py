"""批量导入成绩 (002 学员成绩管理: 先选择培训班，然后下载导入模板…): the 成绩 and 考核结果 of one class's enrolees.

The template lists the class's 报名成功 enrolees (公民身份号码, 姓名) with what is already entered, so the
clerk fills in the blanks. A row is matched to its enrolee by (class, 公民身份号码); nothing is ever
created, so importing a file again updates the same enrolees:

| the row …                                                    | outcome                               |
| ------------------------------------------------------------ | ------------------------------------- |
| names a 报名成功 enrolee, 姓名 agrees, values differ           | update 成绩 / 考核结果                  |
| the same values as stored, or both cells blank               | skip (a blank cell clears nothing)    |
| ID not a 报名成功 enrolee of this class, 姓名 differs, bad 成绩 | fail with the reason                  |

Changes go through `workflows.results.save_results`, the grid's own workflow.
"""
from __future__ import annotations

from ..labels import ExamResult
from ..validators import check_citizen_id, normalize_citizen_id
from ..workflows import WorkflowError
from ..workflows.attendance import roster
from ..workflows.results import clean_score, save_results
from . import SKIP, UPDATE, Column, Row, Sheet

COLUMNS = (
    Column("公民身份号码", "id_number", required=True, as_text=True, note="本培训班报名成功学员的公民身份号码，请勿修改"),
    Column("姓名", "name", required=True, max_length=50),
    Column("成绩", "score", max_length=10, note="0至100，最多一位小数，可不填"),
    Column("考核结果", "result", kind="choice", note="合格或不合格；结业前每位学员都须填写"),
)


class ResultSheet(Sheet):
    title = "学员成绩"
    columns = COLUMNS
    key = "id_number"
    max_rows = 10_000  # a class holds at most 10,000 people (training_class.capacity)

    def __init__(self, training_class, actor):
        self.training_class, self.actor = training_class, actor
        self._enrolees = None

    def enrolees(self) -> dict:
        """公民身份号码 → the class's 报名成功 enrolment."""
        if self._enrolees is None:
            self._enrolees = {e.person.id_number: e for e in roster(self.training_class.id)}
        return self._enrolees

    def choices(self):
        return {"result": {label: code for code, label in ExamResult.choices()}}

    def template_rows(self):
        return [
            {"id_number": number, "name": e.person.name, "score": e.score if e.score is not None else "",
             "result": ExamResult.label(e.result) if e.result else ""}
            for number, e in self.enrolees().items()
        ]

    def check_rows(self, rows: list[Row]) -> None:
        enrolees = self.enrolees()
        for row in rows:
            values = row.values
            raw_id = values.get("id_number")
            enrolment = None
            if raw_id is not None:
                number = normalize_citizen_id(raw_id)
                enrolment = enrolees.get(number)
                if enrolment is None:
                    error = check_citizen_id(raw_id)
                    if error and "E+" in raw_id.upper():
                        error = "公民身份号码被 Excel 存成了数字，请把该列设为文本格式后重新填写"
                    row.fail(error or "该公民身份号码不是本培训班报名成功的学员")
                elif "name" in values and values["name"] != enrolment.person.name:
                    row.fail(f"姓名与该公民身份号码的学员（{enrolment.person.name}）不一致")
            if "score" in values:
                try:
                    values["score"] = clean_score(values["score"])
                except WorkflowError as error:
                    row.fail(str(error))
            if not row.ok or enrolment is None:
                continue
            score = values.get("score", enrolment.score)
            result = values.get("result", enrolment.result)
            row.target = enrolment
            if (score, result) != (enrolment.score, enrolment.result):
                row.changes = {"score": score, "result": result}
                row.outcome = UPDATE
            else:
                row.outcome = SKIP

    def apply(self, rows: list[Row]) -> None:
        wanted = {row.target.id: (row.changes["score"], row.changes["result"]) for row in rows if row.outcome == UPDATE}
        if wanted:
            save_results(self.training_class, wanted, self.actor,
                         summary=f"批量导入成绩：{self.training_class.name}，{len(wanted)}人")
