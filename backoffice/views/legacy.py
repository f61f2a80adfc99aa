"""历史数据绑定 and 历史数据管理 (000 §1.10–1.11; docs/legacy.md).

- 历史信息绑定 (unit): 当前单位名称 / 当前单位代码, 绑定历史学员 (direct), 方案一 and 方案二 with
  验证并绑定历史学员; the old units already bound. The rules are in workflows/legacy.py.
- 历史继续教育记录查询 and 历史证书查询/打印 (unit, HR, person): lists of what the scope lets the actor
  see (policy/scope.py follows the bindings); a 历史证书 prints as a PDF marked 历史证书.
"""
from urllib.parse import quote

from flask import abort, current_app, flash, redirect, render_template, request
from flask_admin import expose
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..extensions import db
from ..forms import BaseForm
from ..labels import CourseType
from ..models import LegacyCertificate, LegacyPerson, LegacyRecord, Organisation
from ..pdf import FontMissing, render
from ..policy import current_actor
from ..route_params import OWN, reads
from ..workflows import WorkflowError
from ..workflows import legacy as ops
from ..workflows.certificates import mask_id
from .base import PageView, ScopedModelView
from .class_work import LinkRowAction
from .training_common import InFilter, contains

NAME_MAX, CODE_MAX = 100, 30


class SchemeOneForm(BaseForm):
    old_name = StringField("旧系统单位名称", validators=[
        DataRequired("请填写旧系统单位名称"), Length(max=NAME_MAX, message=f"旧系统单位名称限{NAME_MAX}字")])
    old_code = StringField("旧系统单位代码", validators=[
        DataRequired("请填写旧系统单位代码"), Length(max=CODE_MAX, message=f"旧系统单位代码限{CODE_MAX}字")])


def _person_fields(n: int):
    name = StringField(f"旧系统学员{n} 姓名", validators=[
        DataRequired(f"请填写旧系统学员{n}的姓名"), Length(max=50, message="姓名限50字")])
    number = StringField(f"旧系统学员{n} 身份证", validators=[
        DataRequired(f"请填写旧系统学员{n}的身份证"), Length(max=18, message="身份证为18位")])
    return name, number


class SchemeTwoForm(BaseForm):
    name1, id1 = _person_fields(1)
    name2, id2 = _person_fields(2)
    name3, id3 = _person_fields(3)

    def people(self) -> list[tuple[str, str]]:
        return [(getattr(self, f"name{n}").data, getattr(self, f"id{n}").data) for n in (1, 2, 3)]


class LegacyBindView(PageView):
    """历史信息绑定 (000 §1.10.1)."""

    module = "legacy_bind"

    def __init__(self, model=None, name=None, category=None, endpoint=None, **kwargs):
        super().__init__(name=name, category=category, endpoint=endpoint, **kwargs)

    def _page(self, one=None, two=None):
        actor = current_actor()
        unit = db.session.get(Organisation, actor.org_id)
        bound = ops.bound_units(actor)
        counts = ops.people_counts([u.id for u in bound])
        return self.render(
            "legacy/bind.html", unit=unit, bound=bound, counts=counts, direct=BaseForm(),
            one=one or SchemeOneForm(formdata=None), two=two or SchemeTwoForm(formdata=None),
        )

    @expose("/")
    @reads()
    def index_view(self):
        return self._page()

    def _attempt(self, how: str, bind):
        """Run one bind; a wrong answer is logged and committed (it counts towards the limit)."""
        actor = current_actor()
        try:
            outcome = bind(actor)
        except ops.BindRefused as refused:
            db.session.rollback()
            ops.record_failure(actor, how, str(refused))
            db.session.commit()
            flash(str(refused), "error")
            return False
        except WorkflowError as error:
            db.session.rollback()
            flash(str(error), "error")
            return False
        db.session.commit()
        flash(outcome.message(), "success")
        return True

    @expose("/direct/", methods=("POST",))
    @reads()
    def direct_view(self):
        """绑定历史学员: the current name and code."""
        if not BaseForm().validate_on_submit():
            abort(400)
        self._attempt(ops.DIRECT, ops.bind_direct)
        return redirect(self.get_url(".index_view"))

    @expose("/scheme-one/", methods=("POST",))
    @reads()
    def scheme_one_view(self):
        """方案一: 旧系统单位名称 + 旧系统单位代码."""
        form = SchemeOneForm()
        if not form.validate_on_submit():
            return self._page(one=form), 200
        if self._attempt(ops.SCHEME_ONE, lambda actor: ops.bind_by_unit(actor, form.old_name.data, form.old_code.data)):
            return redirect(self.get_url(".index_view"))
        return self._page(one=form), 200

    @expose("/scheme-two/", methods=("POST",))
    @reads()
    def scheme_two_view(self):
        """方案二: three old people's 姓名 + 身份证, of one old unit."""
        form = SchemeTwoForm()
        if not form.validate_on_submit():
            return self._page(two=form), 200
        if self._attempt(ops.SCHEME_TWO, lambda actor: ops.bind_by_people(actor, form.people())):
            return redirect(self.get_url(".index_view"))
        return self._page(two=form), 200


# ---- 历史数据管理 --------------------------------------------------------------------------------------

def _name_filter(column):
    return InFilter(column, "姓名", lambda v: select(LegacyPerson.id).where(contains(LegacyPerson.name, v)),
                    kind="text", operation="包含")


def _id_filter(column):
    return InFilter(column, "身份证号码", lambda v: select(LegacyPerson.id).where(
        LegacyPerson.id_number == v.upper()), kind="text")


def _old_unit(view, context, model, name):
    return model.legacy_person.legacy_unit.name


PERSON_LABELS = {
    "legacy_person.name": "姓名", "legacy_person.id_number": "身份证号码", "old_unit": "旧系统单位",
    "year": "年度", "hours": "学时",
}


class LegacyRecordView(ScopedModelView):
    """历史继续教育记录查询 (000 §1.11.1): the old system's records (2017 and before)."""

    module = "legacy_records"
    column_list = [
        "legacy_person.name", "legacy_person.id_number", "old_unit", "year", "course_type", "course_name",
        "hours", "institution_name",
    ]
    column_details_list = column_list
    column_export_list = column_list
    column_labels = {**PERSON_LABELS, "course_type": "科目类型", "course_name": "课程名称",
                     "institution_name": "施教机构名称", "legacy_person_id": "旧系统学员"}
    column_choices = {"course_type": CourseType.choices()}
    column_formatters = {"old_unit": _old_unit}
    column_formatters_detail = column_formatters
    column_formatters_export = column_formatters
    column_sortable_list = ["year", "course_name", "hours"]
    column_default_sort = [("year", True), ("id", True)]
    column_filters = [
        _name_filter(LegacyRecord.legacy_person_id), _id_filter(LegacyRecord.legacy_person_id),
        "course_name", "course_type", "institution_name", "year",
    ]
    list_eager = (joinedload(LegacyRecord.legacy_person).joinedload(LegacyPerson.legacy_unit),)


class LegacyCertificateView(ScopedModelView):
    """历史证书查询/打印 (000 §1.11.2): the old system's certificates; [打印] gives the PDF."""

    module = "legacy_certificates"
    column_list = ["number", "legacy_person.name", "legacy_person.id_number", "old_unit", "year", "hours"]
    column_details_list = column_list
    column_export_list = column_list
    column_labels = {**PERSON_LABELS, "number": "证书编号", "hours": "总学时", "legacy_person_id": "旧系统学员"}
    column_formatters = {"old_unit": _old_unit}
    column_formatters_detail = column_formatters
    column_formatters_export = column_formatters
    column_sortable_list = ["number", "year"]
    column_default_sort = [("year", True), ("id", True)]
    column_filters = [
        _name_filter(LegacyCertificate.legacy_person_id), _id_filter(LegacyCertificate.legacy_person_id),
        "number", "year",
    ]
    column_extra_row_actions = [LinkRowAction(".print_view", "打印")]
    list_eager = (joinedload(LegacyCertificate.legacy_person).joinedload(LegacyPerson.legacy_unit),)

    @expose("/print/")
    @reads(id=OWN)
    def print_view(self):
        """打印: the certificate as an A4-landscape PDF marked 历史证书 (404 outside the actor's scope)."""
        certificate = self.get_one(request.args.get("id", ""))
        if certificate is None:
            abort(404)
        html = render_template("legacy/pdf.html", certificate=certificate, person=certificate.legacy_person,
                               unit=certificate.legacy_person.legacy_unit, mask_id=mask_id)
        try:
            content = render(html)
        except FontMissing as missing:
            flash(str(missing), "error")
            return redirect(self.get_url(".index_view"))
        response = current_app.response_class(content, mimetype="application/pdf")
        name = quote(f"历史证书_{certificate.number}.pdf")
        response.headers["Content-Disposition"] = f"inline; filename=legacy-certificate.pdf; filename*=UTF-8''{name}"
        response.headers["Cache-Control"] = "private, no-store"
        return response


VIEWS = [
    (LegacyBindView, None, "历史数据绑定", "legacy_bind"),
    (LegacyRecordView, LegacyRecord, "历史数据管理", "legacy_records"),
    (LegacyCertificateView, LegacyCertificate, "历史数据管理", "legacy_certificates"),
]
