"""专业课目录指南发布 (004 §1.3.1): the province-level industry department's catalogues — 新申请 (基本信息),
专业添加, 附件材料, 确认 — and 撤回 of a published course no plan uses. Every change is
`workflows.catalogue`."""
from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import and_
from sqlalchemy.orm import joinedload, selectinload
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..clock import beijing_today
from ..forms import BaseForm
from ..labels import CatalogueStatus
from ..models import Catalogue, Course
from ..policy import current_actor
from ..route_params import OWN, reads
from ..workflows import catalogue as ops
from .actions import attempt
from .base import ScopedModelView
from .training_common import AttachmentPages, run_form


def _years():
    this = beijing_today().year
    return [(str(y), f"{y}年") for y in range(this + 1, this - 3, -1)]


class CatalogueForm(BaseForm):
    year = SelectField("年度", validate_choice=False, validators=[DataRequired("请选择年度")])
    declared_on = DateField(
        "申报日期", validators=[DataRequired("请填写申报日期")], default=date.today, render_kw={"type": "date"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.year.choices = _years()


class CourseForm(BaseForm):
    name = StringField("专业课名称", validators=[DataRequired("请填写专业课名称"), Length(max=100, message="专业课名称限100字")])
    content = TextAreaField(
        "学习内容", validators=[DataRequired("请填写学习内容"), Length(max=1000, message="学习内容限1000字")],
        render_kw={"rows": 5, "maxlength": 1000},
    )
    note = TextAreaField(
        "备注", validators=[Optional(), Length(max=500, message="备注限500字")], render_kw={"rows": 2, "maxlength": 500}
    )


def _course_count(view, context, model, name):
    return sum(1 for c in model.courses if not c.withdrawn)


class CatalogueView(AttachmentPages, ScopedModelView):
    module = "catalogue_publish"
    attachment_owner = "catalogue"
    read_only_message = "已发布的专业课目录不能再修改附件"
    can_create = True
    can_edit = True
    form = CatalogueForm
    details_template = "training/catalogue_details.html"
    column_list = ["org", "series", "year", "declared_on", "course_count", "operator", "status", "published_at"]
    column_details_list = ["org", "series", "year", "declared_on", "operator", "status", "published_at"]
    column_export_list = column_list
    column_labels = {
        "org": "单位名称",
        "series": "专业序列",
        "year": "年度",
        "declared_on": "申报日期",
        "course_count": "专业课数",
        "operator": "经办人",
        "status": "状态",
        "published_at": "发布时间",
    }
    column_choices = {"status": CatalogueStatus.choices()}
    column_formatters = {
        "course_count": _course_count,
        "operator": lambda v, c, m, n: m.operator.real_name if m.operator else "",
    }
    column_formatters_export = column_formatters
    column_formatters_detail = {"operator": column_formatters["operator"]}
    column_filters = ["year", "status"]
    column_default_sort = [("year", True), ("id", True)]
    list_eager = (
        joinedload(Catalogue.org), joinedload(Catalogue.series), joinedload(Catalogue.operator),
        selectinload(Catalogue.courses),
    )

    def scope(self):
        return and_(super().scope(), Catalogue.org_id == current_actor().org_id)

    def attachments_editable(self, row) -> bool:
        return not row.is_published

    def get_save_return_url(self, model, is_created=False):
        return url_for(".details_view", id=model.id)

    # ---- 基本信息 ------------------------------------------------------------------------------

    def _save(self, catalogue, form):
        return run_form(
            form,
            lambda: ops.save_catalogue(catalogue, current_actor(), year=form.year.data, declared_on=form.declared_on.data),
        )

    def create_model(self, form):
        return self._save(None, form)

    def update_model(self, form, model):
        return bool(self._save(model, form))

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        row = self.get_one(request.args.get("id"))
        if row.is_published:
            flash("已发布的专业课目录不能修改基本信息", "error")
            return self._back(row)
        return super().edit_view()

    # ---- the page: courses, attachments, 确认 --------------------------------------------------

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            row = kwargs["model"]
            kwargs.update(
                courses=list(row.courses),
                editable=not row.is_published,
                **self.attachment_context(row),
            )
        return super().render(template, **kwargs)

    def _course_of(self, row) -> Course:
        wanted = request.args.get("course_id", "")
        course = next((c for c in row.courses if str(c.id) == wanted), None)
        if course is None:
            abort(404)
        return course

    @expose("/course/", methods=("GET", "POST"))
    @reads(id=OWN, course_id=Course)
    def course_view(self):
        """专业添加 (no course_id) or 修改 one course of a draft."""
        row = self.get_one(request.args.get("id"))
        course = self._course_of(row) if request.args.get("course_id") else None
        form = CourseForm(obj=course)
        if form.validate_on_submit():
            saved = run_form(
                form,
                lambda: ops.save_course(
                    row, course, current_actor(), name=form.name.data, content=form.content.data, note=form.note.data
                ),
            )
            if saved:
                flash(f"已保存专业课：{saved.name}", "success")
                if "add_another" in request.form:
                    return redirect(url_for(".course_view", id=row.id))
                return self._back(row)
        return self.render("training/course_form.html", catalogue=row, course=course, form=form)

    @expose("/course/delete/", methods=("POST",))
    @reads(id=OWN, course_id=Course)
    def course_delete_view(self):
        row = self.get_one(request.args.get("id"))
        course = self._course_of(row)
        if BaseForm().validate_on_submit() and attempt(lambda: ops.delete_course(row, course, current_actor())):
            flash("专业课已删除", "success")
        return self._back(row)

    @expose("/course/withdraw/", methods=("POST",))
    @reads(id=OWN, course_id=Course)
    def course_withdraw_view(self):
        row = self.get_one(request.args.get("id"))
        course = self._course_of(row)
        name = course.name
        if BaseForm().validate_on_submit() and attempt(lambda: ops.withdraw_course(row, course, current_actor())):
            flash(f"已撤回专业课：{name}", "success")
        return self._back(row)

    @expose("/publish/", methods=("POST",))
    @reads(id=OWN)
    def publish_view(self):
        row = self.get_one(request.args.get("id"))
        if BaseForm().validate_on_submit() and attempt(lambda: ops.publish(row, current_actor())):
            flash(f"已确认发布：{row}", "success")
        return self._back(row)


VIEWS = [
    (CatalogueView, Catalogue, "专业课目录管理", "catalogue_publish"),
]
