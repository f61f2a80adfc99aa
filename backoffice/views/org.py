"""The acting organisation's own screens: 角色申请 (until approved), 单位信息维护 and its
修改单位信息 / 更换上级部门 requests."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from .. import attachments
from ..extensions import db
from ..forms import BaseForm
from ..labels import ApplicationStatus, CodeType, OrgKind, RegionLevel
from ..models import Attachment, OrgChange, Organisation, ProfessionalSeries, ReviewLog
from ..policy import current_actor
from ..registration.forms import ContactFields, OrgIdentityForm, _clean_code
from ..route_params import reads
from ..validators import Email, Mobile, Phone, Postcode
from ..workflows import WorkflowError
from ..workflows.orgs import (
    APPLICATION,
    application_editable,
    check_code_free,
    parent_industry_choices,
    request_change,
    submit_application,
    superior_choices,
    superior_of,
)
from ..workflows.review import history
from .base import ScopedModelView

ORG_LABELS = {
    "kind": "单位类型",
    "name": "单位名称",
    "code_type": "单位代码类型",
    "code": "单位代码",
    "nature_code": "单位性质",
    "level": "隶属关系",
    "region": "所在地区",
    "parent": "上级部门",
    "hr_org": "上级人社主管部门",
    "series": "专业系列",
    "legal_rep": "法定代表人",
    "contact_name": "联系人",
    "office_phone": "办公电话",
    "mobile": "移动电话",
    "email": "邮箱",
    "postcode": "邮政编码",
    "address": "单位通讯地址",
    "profile": "单位职能简介",
    "status": "审核状态",
    "active": "有效",
    "created_at": "注册时间",
}
ORG_CHOICES = {
    "kind": OrgKind.choices(),
    "code_type": CodeType.choices(),
    "level": RegionLevel.choices(),
    "status": ApplicationStatus.choices(),
}
def _required(label):
    return DataRequired(f"请填写{label}")


CONTACT_FORM_ARGS = {
    "contact_name": {"validators": [_required("联系人"), Length(max=50, message="联系人限50字")]},
    "office_phone": {"validators": [_required("办公电话"), Phone()]},
    "mobile": {"validators": [_required("移动电话"), Mobile()]},
    "email": {"validators": [_required("邮箱"), Email()]},
    "postcode": {"validators": [_required("邮政编码"), Postcode()]},
    "address": {"validators": [_required("单位通讯地址"), Length(max=100, message="单位通讯地址限100字")]},
    "profile": {"validators": [_required("单位职能简介"), Length(max=500, message="单位职能简介限500字")]},
}
ORG_DETAILS = [
    "name", "kind", "code_type", "code", "nature_code", "level", "region", "hr_org", "parent", "series",
    "legal_rep", "contact_name", "office_phone", "mobile", "email", "postcode", "address", "profile",
    "status",
]


class OwnOrganisationView(ScopedModelView):
    """A screen about the acting organisation only, whatever else the actor may oversee."""

    can_export = False
    column_list = ["name", "kind", "code", "region", "level", "status"]
    column_details_list = ORG_DETAILS
    column_labels = ORG_LABELS
    column_choices = ORG_CHOICES
    list_eager = (joinedload(Organisation.region),)

    def scope(self):
        return and_(super().scope(), Organisation.id == current_actor().org_id)

    def own(self) -> Organisation:
        return self.get_one(current_actor().org_id)


class ApplicationForm(OrgIdentityForm, ContactFields):
    """角色申请: everything about the organisation, editable until it is 送审."""

    series_id = SelectField("专业系列", coerce=int)
    parent_id = SelectField("上一级行业主管部门", coerce=int)

    def __init__(self, org: Organisation, *args, **kwargs):
        super().__init__(*args, obj=org, **kwargs)
        if org.kind != OrgKind.INDUSTRY:
            del self.series_id
            del self.parent_id
            return
        series = db.session.scalars(
            select(ProfessionalSeries).where(ProfessionalSeries.active.is_(True)).order_by(ProfessionalSeries.sort)
        )
        self.series_id.choices = [(0, "请选择…")] + [(s.id, s.name) for s in series]
        parents = parent_industry_choices(org) if org.level != RegionLevel.PROVINCE else []
        self.parent_id.choices = [(0, "（省级行业主管部门不需选择）" if not parents else "请选择…")] + [
            (o.id, f"{o.name}（{o.series.name if o.series else ''}）") for o in parents
        ]


APPLICATION_FIELDS = (
    "name", "code_type", "code", "nature_code", "level", "region_code", "address", "legal_rep",
    "contact_name", "office_phone", "mobile", "email", "postcode", "profile",
)


class ApplicationView(OwnOrganisationView):
    """角色申请 (manual 000 §1.2.1, 004 §1.2.1): 保存, upload attachments, 送审; then read-only with
    its 审批流程. The only screen of an organisation that is not yet approved."""

    module = "org_application"

    @expose("/")
    def index_view(self):
        return redirect(url_for(".application_view"))

    @expose("/application/", methods=["GET", "POST"])
    @reads()
    def application_view(self):
        org = self.own()
        editable = application_editable(org)
        form = ApplicationForm(org) if editable else None
        if editable and form.validate_on_submit():
            if self._save(org, form) and "submit" in request.form:
                try:
                    reviewer = submit_application(org, current_actor())
                except WorkflowError as error:
                    db.session.rollback()
                    flash(str(error), "error")  # nothing saved; the form keeps what was typed
                    return self._render_application(self.own(), form)
                db.session.commit()
                flash(f"已送审，审核部门：{reviewer.name}。审核通过后即可使用其他功能。", "success")
                return redirect(url_for(".application_view"))
            if not form.errors:
                db.session.commit()
                flash("保存成功", "success")
                return redirect(url_for(".application_view"))
        return self._render_application(org, form)

    def _save(self, org: Organisation, form: ApplicationForm) -> bool:
        try:
            check_code_free(org, form.code.data)
        except WorkflowError as error:
            form.code.errors = [*form.code.errors, str(error)]
            return False
        for name in APPLICATION_FIELDS:
            setattr(org, name, form[name].data.strip() if isinstance(form[name].data, str) else form[name].data)
        if org.kind == OrgKind.INDUSTRY:
            org.series_id = form.series_id.data or None
            org.parent_id = form.parent_id.data or None
        db.session.flush()
        return True

    def _render_application(self, org, form):
        return self.render(
            "org/application.html",
            org=org,
            form=form,
            editable=application_editable(org),
            attachments=attachments.for_owner("organisation", org.id),
            delete_url=lambda a: url_for(".delete_attachment_view", attachment_id=a.id),
            review_history=history(APPLICATION, org),
        )

    @expose("/application/upload/", methods=["POST"])
    @reads()
    def upload_view(self):
        org = self.own()
        if not application_editable(org):
            flash("已送审的申请不能再修改附件", "error")
            return redirect(url_for(".application_view"))
        upload = request.files.get("file")
        form = BaseForm()
        if not form.validate_on_submit():
            flash("页面已过期，请刷新后重试", "error")
        elif upload is None or not upload.filename:
            flash("请选择要上传的文件", "error")
        else:
            try:
                attachments.save(upload, "organisation", org, current_actor())
            except WorkflowError as error:
                db.session.rollback()
                flash(str(error), "error")
            else:
                db.session.commit()
                flash("附件上传成功", "success")
        return redirect(url_for(".application_view"))

    @expose("/application/attachments/<int:attachment_id>/delete/", methods=["POST"])
    @reads(attachment_id=Attachment)
    def delete_attachment_view(self, attachment_id):
        org = self.own()
        owned = {a.id: a for a in attachments.for_owner("organisation", org.id)}
        if attachment_id not in owned:
            abort(404)
        if not application_editable(org):
            flash("已送审的申请不能再修改附件", "error")
        elif BaseForm().validate_on_submit():
            attachments.delete(owned[attachment_id], current_actor())
            db.session.commit()
            flash("附件已删除", "success")
        return redirect(url_for(".application_view"))


class ChangeRequestForm(BaseForm):
    code_type = SelectField("单位代码类型", choices=CodeType.choices())
    code = StringField("单位代码", validators=[_required("单位代码"), _clean_code])
    superior_id = SelectField("上级部门", coerce=int)
    reason = StringField("修改原因", validators=[_required("修改原因"), Length(max=200, message="修改原因限200字")])


class OrgProfileView(OwnOrganisationView):
    """单位信息维护 (manual 000 §1.2.2): contact fields saved without review; 修改单位信息 /
    更换上级部门 go to the superior for review, only while nothing of the organisation is pending."""

    module = "org_profile"
    can_edit = True
    details_template = "org/profile_details.html"
    form_columns = ["contact_name", "office_phone", "mobile", "email", "postcode", "address", "profile"]
    form_args = CONTACT_FORM_ARGS
    form_widget_args = {"profile": {"rows": 5}}

    @expose("/")
    def index_view(self):
        return redirect(url_for(".details_view", id=current_actor().org_id))

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            kwargs["changes"] = self._changes(kwargs["model"])
        return super().render(template, **kwargs)

    @staticmethod
    def _changes(org):
        changes = list(
            db.session.scalars(
                select(OrgChange).where(OrgChange.org_id == org.id).order_by(OrgChange.id.desc()).limit(20)
            )
        )
        opinions = {}
        if changes:
            rows = db.session.execute(
                select(ReviewLog.object_id, ReviewLog.opinion)
                .where(ReviewLog.object_type == "org_change", ReviewLog.object_id.in_([c.id for c in changes]))
                .order_by(ReviewLog.id)
            )
            opinions = {object_id: opinion for object_id, opinion in rows}
        return [(change, opinions.get(change.id)) for change in changes]

    @expose("/change/", methods=["GET", "POST"])
    @reads()
    def change_view(self):
        org = self.own()
        form = ChangeRequestForm(obj=None if request.method == "POST" else org)
        current = superior_of(org)
        form.superior_id.choices = [(o.id, o.name) for o in superior_choices(org)]
        if request.method == "GET" and current is not None:
            form.superior_id.data = current.id
        if form.validate_on_submit():
            try:
                request_change(
                    org,
                    code_type=form.code_type.data,
                    code=form.code.data,
                    superior_id=form.superior_id.data,
                    reason=form.reason.data.strip(),
                    actor=current_actor(),
                )
            except WorkflowError as error:
                db.session.rollback()
                flash(str(error), "error")
            else:
                db.session.commit()
                flash("修改申请已送上级部门审核，审核通过后生效", "success")
                return redirect(url_for(".index_view"))
        return self.render("org/change.html", org=org, form=form, current=current)


class HrApplicationView(ApplicationView):
    """角色申请 of a city or county HR department that registered itself (Henan: 审核人社部门 reviews it)."""

    module = "hr_application"


VIEWS = [
    (ApplicationView, Organisation, "单位管理", "org_application"),
    (HrApplicationView, Organisation, "单位管理", "hr_application"),
    (OrgProfileView, Organisation, "单位管理", "org_profile"),
]
