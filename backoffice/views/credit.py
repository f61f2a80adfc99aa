"""信用管理: 失信信息录入 (000 §1.8.1), 单位失信信息查看 (000 §1.8.2), 失信信息查看 (003 §3.4.1).

All three list the same table; the scope rule (policy) decides what an actor may see at all, and each
screen then shows its own part of that: what the organisation recorded, what is about the
organisation, what is about the signed-in person. 保存 and 删除 go through `workflows.credit`.
"""
from flask_admin.actions import action
from flask_admin.model.fields import AjaxSelectField
from sqlalchemy import and_, false
from sqlalchemy.orm import joinedload
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..labels import SubjectType
from ..models import Dishonesty, Organisation, Person
from ..policy import current_actor
from ..workflows import credit as ops
from .base import ScopedAjaxLoader, ScopedModelView
from .actions import BatchMixin, attempt

LABELS = {
    "subject_type": "失信人类型",
    "subject_name": "失信人名称",
    "content": "失信内容",
    "recorded_by_user": "操作人",
    "created_at": "操作时间",
    "updated_at": "修改时间",
    "person.name": "失信人姓名",
    "subject_org.name": "失信单位名称",
}
EAGER = (
    joinedload(Dishonesty.person),
    joinedload(Dishonesty.subject_org),
    joinedload(Dishonesty.recorded_by_org),
    joinedload(Dishonesty.recorded_by_user),
)


def _subject(view, context, model, name):
    return model.subject_name


def _operator(view, context, model, name):
    """操作人, the same on every screen: who recorded the entry, for which organisation."""
    org = model.recorded_by_org.name if model.recorded_by_org else ""
    user = model.recorded_by_user
    return f"{user.real_name}（{org}）" if user else org


class DishonestyBase(ScopedModelView):
    """The columns of 003 §3.4.1: 失信人类型 失信人名称 失信内容 操作人 操作时间."""

    column_list = ["subject_type", "subject_name", "content", "recorded_by_user", "created_at"]
    column_details_list = column_list
    column_labels = LABELS
    column_choices = {"subject_type": SubjectType.choices()}
    column_formatters = {"subject_name": _subject, "recorded_by_user": _operator}
    column_formatters_export = {
        "subject_type": lambda v, c, m, n: SubjectType.label(m.subject_type),
        **column_formatters,
    }
    column_sortable_list = ["subject_type", "created_at"]
    column_default_sort = ("created_at", True)
    column_searchable_list = ["person.name", "subject_org.name"]
    list_eager = EAGER

    def screen_rows(self, actor):
        """This screen's part of the rows the scope rule lets the actor see."""
        return false()

    def scope(self):
        return and_(super().scope(), self.screen_rows(current_actor()))


# ---- 失信信息录入 ------------------------------------------------------------------------------


class SubjectLoader(ScopedAjaxLoader):
    """The 失信人 picker: the scope rule plus who this actor may record about (workflows.credit)."""

    def get_query(self):
        return super().get_query().filter(ops.subject_condition(self.model, current_actor()))

    def get_one(self, pk):
        try:
            pk = int(str(pk))
        except ValueError:
            return None
        if not 0 < pk < 2**31:
            return None
        # not super(): ScopedAjaxLoader.get_one compares the pk column's *name* with the value
        return self.get_query().filter(getattr(self.model, self.pk) == pk).one_or_none()

    def format(self, model):
        if model is None:
            return None
        if isinstance(model, Person):
            return model.id, f"{model.name}（{model.id_number}）"
        return model.id, model.name


class SubjectField(AjaxSelectField):
    """A select2 lookup whose refusals are Chinese: nothing chosen, or an id the picker would not offer."""

    def __init__(self, loader, label, *, empty: str, refused: str, **kwargs):
        super().__init__(loader, label, **kwargs)
        self.empty, self.refused = empty, refused

    def pre_validate(self, form):
        if self.data is not None:
            return
        posted = self._formdata
        if posted in (None, "", "__None"):
            raise ValidationError(self.empty)
        kept = self.object_data  # editing the content of an entry about someone who has since left
        if kept is not None and str(getattr(kept, "id", "")) == str(posted):
            self.data = kept
            return
        raise ValidationError(self.refused)


class DishonestyEntryView(BatchMixin, DishonestyBase):
    """失信信息录入: a unit about its confirmed people (个人), HR about units and institutions (单位)."""

    module = "dishonesty_entry"
    can_create = True
    can_edit = True
    can_delete = True
    column_details_list = [*DishonestyBase.column_list, "updated_at"]
    form_ajax_refs = {
        "person": {"fields": ["name", "id_number"], "order_by": "name", "placeholder": "输入姓名或公民身份号码查询"},
        "subject_org": {"fields": ["name"], "order_by": "name", "placeholder": "输入单位名称查询"},
    }

    def screen_rows(self, actor):
        return Dishonesty.recorded_by_org_id == actor.org_id if actor.org_id is not None else false()

    @staticmethod
    def row_label(row) -> str:
        return row.subject_name

    # ---- the form: the subject picker the actor's kind records about, and 失信内容 ------------

    def _create_ajax_loader(self, name, options):
        remote = {"person": Person, "subject_org": Organisation}[name]
        return SubjectLoader(name, self.session, remote, **options)

    def scaffold_form(self):
        refs = self._form_ajax_refs

        class DishonestyForm(self.form_base_class):
            person = SubjectField(
                refs["person"], "失信人", empty="请选择失信人", refused=ops.BAD_SUBJECT[SubjectType.PERSON]
            )
            subject_org = SubjectField(
                refs["subject_org"], "失信单位", empty="请选择失信单位", refused=ops.BAD_SUBJECT[SubjectType.ORG]
            )
            content = TextAreaField(
                "失信内容",
                validators=[
                    DataRequired("请填写失信内容"),
                    Length(max=ops.CONTENT_MAX, message=f"失信内容限{ops.CONTENT_MAX}字"),
                ],
                filters=[lambda v: v.strip() if isinstance(v, str) else v],
                description=f"限{ops.CONTENT_MAX}字",
                render_kw={"rows": 5, "maxlength": ops.CONTENT_MAX},
            )

        return DishonestyForm

    def _for_actor(self, form):
        """Keep only the picker of the type this actor records (个人 for a unit, 单位 for HR)."""
        keep = "person" if ops.subject_type_for(current_actor()) == SubjectType.PERSON else "subject_org"
        del form["subject_org" if keep == "person" else "person"]
        return form

    def create_form(self, obj=None):
        return self._for_actor(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._for_actor(super().edit_form(obj))

    def _save(self, entry, form):
        subject = (form["person"] if "person" in form else form["subject_org"]).data
        return attempt(
            lambda: ops.save_dishonesty(entry, current_actor(), subject=subject, content=form.content.data)
        )

    def create_model(self, form):
        return self._save(None, form)

    def update_model(self, form, model):
        return bool(self._save(model, form))

    def delete_model(self, model):
        return attempt(lambda: ops.delete_dishonesty(model, current_actor())) is not False

    @action("delete", "删除", "确定要删除选中的失信信息吗？")
    def action_delete(self, ids):
        self._batch(ids, ops.delete_dishonesty, "删除")


# ---- 单位失信信息查看, 失信信息查看 -------------------------------------------------------------


class OrgDishonestyView(DishonestyBase):
    """单位失信信息查看: the entries about the acting organisation (unit, institution)."""

    module = "dishonesty_org"

    def screen_rows(self, actor):
        return Dishonesty.subject_org_id == actor.org_id if actor.org_id is not None else false()


class MyDishonestyView(DishonestyBase):
    """失信信息查看: the entries about the signed-in person."""

    module = "my_dishonesty"
    can_export = False
    column_searchable_list = []

    def screen_rows(self, actor):
        return Dishonesty.person_id == actor.person_id if actor.person_id is not None else false()


VIEWS = [
    (DishonestyEntryView, Dishonesty, "信用管理", "dishonesty_entry"),
    (OrgDishonestyView, Dishonesty, "信用管理", "dishonesty_org"),
    (MyDishonestyView, Dishonesty, "信用管理", "my_dishonesty"),
]
