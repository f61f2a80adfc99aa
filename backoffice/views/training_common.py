"""Pieces the training screens share: running a workflow behind a form, and the 附件材料 block of a
row's page (upload / delete while the row is editable)."""
import re

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from sqlalchemy.exc import IntegrityError

from .. import attachments
from ..extensions import db
from ..formatting import dictionary_name
from ..forms import BaseForm
from ..labels import ApplicationStatus, ClassStatus, DictionaryCategory
from ..policy import current_actor
from ..models import Attachment
from ..route_params import OWN, reads
from ..workflows import CLASH, WorkflowError

STATUS_CHOICES = ApplicationStatus.choices()
PLAN_LABELS = {
    "name": "培训计划名称",
    "course": "专业课程名称",
    "course.name": "专业课程名称",
    "course_type": "科目类型",
    "series": "专业系列",
    "owner_org": "申报单位",
    "owner_org.name": "申报单位",
    "year": "年度",
    "days": "培训天数",
    "hours": "继续教育学时",
    "sessions": "拟办期数",
    "start_on": "计划开始时间",
    "end_on": "计划完成时间",
    "content": "培训内容",
    "audience": "培训对象",
    "note": "备注",
    "reviewer_org": "审核部门",
    "step": "审核环节",
    "status": "审核状态",
    "submitted_at": "送审时间",
    "created_at": "创建时间",
}
PLAN_DETAILS = [
    "course", "series", "course_type", "year", "name", "days", "hours", "sessions", "start_on", "end_on",
    "content", "audience", "note", "owner_org", "reviewer_org", "step", "status", "submitted_at",
]
CLASS_LABELS = {
    "plan.course_type": "课程类型",
    "course_type": "课程类型",
    "course_name": "专业课程名称",
    "name": "班级名称",
    "plan": "所属科目计划",
    "plan.name": "所属科目计划",
    "planned_open_on": "计划开班日期",
    "study_form_code": "学习形式",
    "study_start_on": "学习开始时间",
    "study_end_on": "学习结束时间",
    "capacity": "计划招生人数",
    "enrolled_count": "已报名人数",
    "head_teacher": "班主任",
    "exam_type_code": "考试类型",
    "location": "学习地点",
    "schedule": "课程具体时间安排",
    "status": "班级状态",
    "status_note": "说明",
    "status_changed_at": "状态设置时间",
    "year": "年度",
    "owner": "开班单位",
}


def plan_step(view, context, model, name) -> str:
    """审核环节 of a plan: nothing until it is submitted."""
    return "专业课计划审核" if model.status != ApplicationStatus.DRAFT else ""


def study_form(view, context, model, name) -> str:
    return dictionary_name(DictionaryCategory.STUDY_FORM, model.study_form_code)


def exam_type(view, context, model, name) -> str:
    return dictionary_name(DictionaryCategory.EXAM_TYPE, model.exam_type_code)


CLASS_STATUS_CHOICES = ClassStatus.choices()


def run_form(form, operation):
    """Run one workflow call behind a form and commit; a refusal goes next to its field (FieldError)
    or into a flash, the transaction is rolled back and False returned."""
    try:
        result = operation()
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        field = getattr(error, "field", None)
        if field and field in form:
            form[field].errors = [*form[field].errors, str(error)]
        flash(f"保存失败：{error}", "error")
        return False
    except IntegrityError:
        db.session.rollback()
        flash(CLASH, "error")
        return False
    return result


class AttachmentPages:
    """附件材料 of a row shown on its details page: upload and delete while `attachments_editable(row)`.

    The row comes through `get_one` (scoped), the attachment through the row's own list: another
    organisation's row or attachment answers 404.
    """

    attachment_owner: str = ""
    read_only_message = "已送审的记录不能再修改附件"

    def attachments_editable(self, row) -> bool:
        return False

    def attachments_of(self, row) -> list:
        return attachments.for_owner(self.attachment_owner, row.id)

    def attachment_context(self, row) -> dict:
        """What the 附件材料 block of the row's page needs (templates/training/_macros.html)."""
        editable = self.attachments_editable(row)
        return dict(
            attachments=self.attachments_of(row),
            attachments_editable=editable,
            upload_url=url_for(".upload_view", id=row.id),
            delete_url=(lambda a: url_for(".delete_attachment_view", id=row.id, attachment_id=a.id)) if editable else None,
        )

    def _back(self, row):
        return redirect(url_for(".details_view", id=row.id))

    @expose("/attachments/upload/", methods=["POST"])
    @reads(id=OWN)
    def upload_view(self):
        row = self.get_one(request.args.get("id"))
        upload = request.files.get("file")
        if not self.attachments_editable(row):
            flash(self.read_only_message, "error")
        elif not BaseForm().validate_on_submit():
            flash("页面已过期，请刷新后重试", "error")
        elif upload is None or not upload.filename:
            flash("请选择要上传的文件", "error")
        else:
            try:
                attachments.save(upload, self.attachment_owner, row, current_actor())
            except WorkflowError as error:
                db.session.rollback()
                flash(str(error), "error")
            else:
                db.session.commit()
                flash("附件上传成功", "success")
        return self._back(row)

    @expose("/attachments/delete/", methods=["POST"])
    @reads(id=OWN, attachment_id=Attachment)
    def delete_attachment_view(self):
        row = self.get_one(request.args.get("id"))
        owned = {str(a.id): a for a in self.attachments_of(row)}
        attachment = owned.get(request.args.get("attachment_id", ""))
        if attachment is None:
            abort(404)
        if not self.attachments_editable(row):
            flash(self.read_only_message, "error")
        elif BaseForm().validate_on_submit():
            attachments.delete(attachment, current_actor())
            db.session.commit()
            flash("附件已删除", "success")
        return self._back(row)


class InFilter(BaseSQLAFilter):
    """`column IN (subquery(value))`: a filter on a related row without a join, so a list keeps its
    eager loads and its fixed query count. `kind` validates the value: "text", "int" or "choice"."""

    def __init__(self, column, name, subquery, *, options=None, kind="choice", operation="等于"):
        super().__init__(column, name, options=options)
        self.subquery, self.kind, self._operation = subquery, kind, operation

    def validate(self, value) -> bool:
        if self.kind == "int":  # a year; ASCII digits only (str.isdigit() also accepts "²")
            return re.fullmatch(r"[0-9]{4}", str(value)) is not None and 1900 <= int(value) <= 2999
        if self.kind == "choice":
            return value in {code for code, _ in self.options or ()}
        return 0 < len(str(value).strip()) <= 100

    def clean(self, value):
        return int(value) if self.kind == "int" else str(value).strip()

    def apply(self, query, value, alias=None):
        return query.filter(self.get_column(alias).in_(self.subquery(value)))

    def operation(self) -> str:
        return self._operation


def contains(column, value: str):
    """column LIKE %value% with the user's %, _ and \\ taken literally."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")
