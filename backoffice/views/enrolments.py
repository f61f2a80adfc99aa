"""培训班报名 screens (issue 10 item 5). Every change is `workflows.enrolments`; the views only declare.

- 培训班人员录入 (unit, 000 §1.4.3): the unit's classes 接受报名 / 开班 → [人员录入] → tabs 未录入 (the unit's
  confirmed people not in the class, batch 录入) and 已录入 (its enrolees, batch 取消).
- 培训班报名确认 (institution, industry department): applications to its classes, batch 确认 / 拒绝.
- 培训班报名申请 (person, 003 §3.3.2): classes 接受报名 of institutions and industry departments, [查看/报名].
- 培训班情况查看 (person, 003 §3.3.3): their enrolments with status, 成绩 and 考核结果; 取消报名 while waiting.
"""
from flask import abort, flash, g, get_template_attribute, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.model.template import BaseListRowAction
from sqlalchemy import and_, false, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..forms import BaseForm
from ..labels import (
    ApplicationStatus,
    BindingStatus,
    ClassStatus,
    CourseType,
    EnrolmentSource,
    EnrolmentStatus,
    ExamResult,
)
from ..models import Enrolment, Organisation, Person, Plan, TrainingClass
from ..policy import current_actor, visible
from ..route_params import OWN, reads
from ..workflows import enrolments as ops
from .actions import BatchMixin, attempt
from .base import ScopedModelView
from .person import PersonBase
from .training_common import CLASS_LABELS, CLASS_STATUS_CHOICES, InFilter, contains, exam_type, study_form

ENROLMENT_STATUS_CHOICES = EnrolmentStatus.choices()


def _of_class(attr: str):
    """A column formatter reading the enrolment's class (or the class itself) through `attr`."""

    def read(view, context, model, name):
        training_class = model.training_class if isinstance(model, Enrolment) else model
        value = training_class
        for part in attr.split("."):
            value = getattr(value, part)
        return value

    return read


CLASS_FORMATTERS = {
    "course_name": _of_class("plan.course.name"),
    "course_type": lambda v, c, m, n: CourseType.label(m.plan.course_type),
    "owner": _of_class("plan.owner_org.name"),
    "hours": _of_class("plan.hours"),
    "days": _of_class("plan.days"),
    "year": _of_class("plan.year"),
    "study_form_code": study_form,
    "exam_type_code": exam_type,
    "teachers": lambda v, c, m, n: "、".join(t.name for t in m.teachers),
    "subjects": lambda v, c, m, n: "、".join(s.name for s in m.subjects),
}
ENROLMENT_FORMATTERS = {
    "class_name": _of_class("name"),
    "course_name": _of_class("plan.course.name"),
    "course_type": lambda v, c, m, n: CourseType.label(m.training_class.plan.course_type),
    "owner": _of_class("plan.owner_org.name"),
    "planned_open_on": _of_class("planned_open_on"),
    "class_status": lambda v, c, m, n: ClassStatus.label(m.training_class.status),
    "person_sex": lambda v, c, m, n: m.person.sex,
    "person_id_number": lambda v, c, m, n: m.person.id_number,
    "person_phone": lambda v, c, m, n: m.person.phone or "",
    "person_unit": lambda v, c, m, n: m.person.unit.name if m.person.unit else "",
    "result": lambda v, c, m, n: ExamResult.label(m.result) if m.result else "",
}
ENROLMENT_LABELS = {
    "class_name": "培训班名称",
    "course_name": "课程名称",
    "course_type": "课程类型",
    "owner": "培训机构",
    "planned_open_on": "计划开班日期",
    "class_status": "班级状态",
    "person": "姓名",
    "person_sex": "性别",
    "person_id_number": "公民身份号码",
    "person_phone": "联系电话",
    "person_unit": "工作单位",
    "applied_at": "报名日期",
    "decided_at": "确认时间",
    "source": "报名方式",
    "status": "报名状态",
    "score": "成绩",
    "result": "考核结果",
}
ENROLMENT_CHOICES = {
    "status": ENROLMENT_STATUS_CHOICES, "source": EnrolmentSource.choices(), "result": ExamResult.choices(),
}
CLASS_EAGER = (
    joinedload(TrainingClass.plan).joinedload(Plan.course),
    joinedload(TrainingClass.plan).joinedload(Plan.owner_org),
    joinedload(TrainingClass.head_teacher),
)
ENROLMENT_EAGER = (
    joinedload(Enrolment.training_class).joinedload(TrainingClass.plan).joinedload(Plan.course),
    joinedload(Enrolment.training_class).joinedload(TrainingClass.plan).joinedload(Plan.owner_org),
    joinedload(Enrolment.person).joinedload(Person.unit),
)


def _classes(condition):
    return select(TrainingClass.id).where(condition)


def class_name_filter(column):
    return InFilter(column, "培训班名称", lambda v: _classes(contains(TrainingClass.name, v)), kind="text", operation="包含")


def owner_name_filter(label: str):
    return InFilter(
        TrainingClass.plan_id, label,
        lambda v: select(Plan.id).where(Plan.owner_org_id.in_(select(Organisation.id).where(contains(Organisation.name, v)))),
        kind="text", operation="包含",
    )


def _enrolment_label(row: Enrolment) -> str:
    return f"{row.training_class.name}：{row.person.name}"


class LinkRowAction(BaseListRowAction):
    """A labelled row link to another screen, e.g. [人员录入] → the class's 未录入 tab."""

    def __init__(self, endpoint: str, label: str, arg: str = "class_id"):
        super().__init__(title=None)
        self.endpoint, self.label, self.arg = endpoint, label, arg

    def render(self, context, row_id, row):
        link = get_template_attribute("training/_enrol_macros.html", "link")
        return link(url_for(self.endpoint, **{self.arg: row_id}), self.label)


# ---- 培训班人员录入 (the unit) ------------------------------------------------------------------


def _unit_classes():
    """The acting unit's classes that take enrolees: of its approved plans, 接受报名 or 开班."""
    mine = select(Plan.id).where(Plan.owner_org_id == current_actor().org_id, Plan.status == ApplicationStatus.APPROVED)
    return and_(TrainingClass.plan_id.in_(mine), TrainingClass.status.in_(ops.SEAT_STATES))


class ClassEnrolView(ScopedModelView):
    """培训班人员录入: pick a class, then 录入 people on its 未录入 tab."""

    module = "class_enrol"
    column_list = ["name", "course_name", "planned_open_on", "study_start_on", "study_end_on", "capacity", "enrolled_count", "status"]
    column_details_list = [
        "plan.name", "course_type", "course_name", "name", "planned_open_on", "study_form_code", "study_start_on",
        "study_end_on", "capacity", "enrolled_count", "head_teacher", "exam_type_code", "location", "schedule", "status",
    ]
    column_export_list = column_list
    column_labels = CLASS_LABELS
    column_choices = {"status": CLASS_STATUS_CHOICES}
    column_formatters = column_formatters_detail = column_formatters_export = CLASS_FORMATTERS
    column_sortable_list = ["name", "planned_open_on"]
    column_default_sort = [("planned_open_on", True), ("id", True)]
    column_filters = ["name"]
    list_eager = CLASS_EAGER
    column_extra_row_actions = [LinkRowAction("class_enrol_people.index_view", "人员录入")]

    def scope(self):
        return and_(super().scope(), _unit_classes())


class ClassTabs:
    """The 未录入 / 已录入 tabs of one class (`?class_id=`), reached from 培训班人员录入's [人员录入]."""

    module = "class_enrol"
    list_template = "training/enrol_tabs.html"
    tab = ""

    def is_visible(self) -> bool:
        return False  # reached from the class list, not the menu

    def the_class(self) -> TrainingClass | None:
        """The class named by `class_id` if it is one of the acting unit's open classes; without it
        the tab lists nothing (and says to pick a class)."""
        if "enrol_class" not in g:
            raw = request.args.get("class_id", "")
            found = None
            if raw.isascii() and raw.isdigit() and len(raw) < 10:
                found = db.session.scalar(select(TrainingClass).where(
                    TrainingClass.id == int(raw), visible(TrainingClass, current_actor()), _unit_classes(),
                ))
                if found is None:
                    abort(404)
            elif raw:
                abort(404)
            g.enrol_class = found
        return g.enrol_class

    def get_url(self, endpoint, **kwargs):
        # pager, sort, search, actions, export and the rows' [查看] stay on the chosen class
        chosen = self.the_class() if endpoint.startswith(".") else None
        if chosen is not None:
            kwargs.setdefault("class_id", chosen.id)
        return super().get_url(endpoint, **kwargs)

    def render(self, template, **kwargs):
        chosen = self.the_class()
        kwargs.update(enrol_class=chosen, tab=self.tab, enrol_class_status=ClassStatus.label(chosen.status) if chosen else "")
        return super().render(template, **kwargs)


class EnrolPeopleView(ClassTabs, BatchMixin, PersonBase):
    """未录入: the unit's confirmed people not (or no longer) in the class."""

    tab = "pending"
    can_export = False
    column_list = ["name", "sex", "id_number", "phone", "title", "title_level"]
    column_filters = []

    def scope(self):
        chosen = self.the_class()
        if chosen is None:
            return false()
        active = select(Enrolment.person_id).where(
            Enrolment.class_id == chosen.id, Enrolment.status.not_in(ops.ENDED)
        )
        return and_(
            super().scope(), Person.unit_id == current_actor().org_id,
            Person.binding_status == BindingStatus.CONFIRMED, Person.id.not_in(active),
        )

    @action("enter", "录入", "确定录入选中的人员吗？")
    def action_enter(self, ids):
        chosen = self.the_class()
        self._batch(ids, lambda person, actor: ops.enter(chosen, person, actor), "录入")


class EnrolledView(ClassTabs, BatchMixin, ScopedModelView):
    """已录入: the class's enrolees (报名成功)."""

    tab = "entered"
    column_list = ["person", "person_sex", "person_id_number", "person_phone", "source", "applied_at", "score", "result"]
    column_details_list = ["class_name", *column_list, "status", "decided_at"]
    column_export_list = column_list
    column_labels = {**ENROLMENT_LABELS, "applied_at": "录入日期"}
    column_choices = ENROLMENT_CHOICES
    column_formatters = column_formatters_detail = column_formatters_export = ENROLMENT_FORMATTERS
    column_sortable_list = ["applied_at"]
    column_default_sort = [("applied_at", False), ("id", False)]
    list_eager = ENROLMENT_EAGER
    row_label = staticmethod(_enrolment_label)

    def scope(self):
        chosen = self.the_class()
        if chosen is None:
            return false()
        return and_(super().scope(), Enrolment.class_id == chosen.id, Enrolment.status == EnrolmentStatus.ENROLLED)

    @action("withdraw", "取消", "确定取消选中人员的录入吗？")
    def action_withdraw(self, ids):
        self._batch(ids, ops.withdraw, "取消")


# ---- 培训班报名确认 (the class's institution or industry department) -------------------------------


class EnrolConfirmView(BatchMixin, ScopedModelView):
    """Applications to the acting organisation's classes; opens on those waiting (已报名待确认)."""

    module = "enrol_confirm"
    column_list = [
        "class_name", "person", "person_sex", "person_id_number", "person_unit", "applied_at", "status", "decided_at",
    ]
    column_details_list = [
        "class_name", "course_name", "planned_open_on", "class_status", "person", "person_sex", "person_id_number",
        "person_phone", "person_unit", "source", "applied_at", "status", "decided_at", "score", "result",
    ]
    column_export_list = column_list
    column_labels = {**ENROLMENT_LABELS, "decided_at": "处理时间"}
    column_choices = ENROLMENT_CHOICES
    column_formatters = column_formatters_detail = column_formatters_export = ENROLMENT_FORMATTERS
    column_sortable_list = ["applied_at", "status"]
    column_default_sort = [("applied_at", False), ("id", False)]
    column_filters = [class_name_filter(Enrolment.class_id), "status"]
    default_filters = {"status": EnrolmentStatus.APPLIED}
    list_eager = ENROLMENT_EAGER
    row_label = staticmethod(_enrolment_label)

    details_template = "training/enrol_confirm_details.html"

    def scope(self):
        mine = select(Plan.id).where(Plan.owner_org_id == current_actor().org_id)
        return and_(super().scope(), Enrolment.class_id.in_(_classes(TrainingClass.plan_id.in_(mine))))

    def row_link_label(self, row) -> str:
        return "审核" if row.status == EnrolmentStatus.APPLIED else "查看"

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            kwargs["decide_form"] = BaseForm()
        return super().render(template, **kwargs)

    @expose("/decide/", methods=["POST"])
    @reads(id=OWN)
    def decide_view(self):
        """确认 / 拒绝 one application from its page."""
        row = self.get_one(request.args.get("id"))
        accept = request.form.get("accept")
        if not BaseForm().validate_on_submit():
            flash("页面已过期，请刷新后重试", "error")
        elif accept not in ("1", "0"):
            flash("请选择确认或拒绝", "error")
        elif attempt(lambda: ops.decide(row, accept == "1", current_actor())):
            flash("报名已确认" if accept == "1" else "报名已拒绝", "success")
        return redirect(url_for(".details_view", id=row.id))

    @action("confirm", "确认", "确定确认选中的报名吗？确认后占用培训班名额。")
    def action_confirm(self, ids):
        self._batch(ids, lambda row, actor: ops.decide(row, True, actor), "确认")

    @action("refuse", "拒绝", "确定拒绝选中的报名吗？")
    def action_refuse(self, ids):
        self._batch(ids, lambda row, actor: ops.decide(row, False, actor), "拒绝")


# ---- the person ------------------------------------------------------------------------------


class ClassApplyView(ScopedModelView):
    """培训班报名申请: classes 接受报名 of institutions and industry departments; the class page has 报名."""

    module = "class_apply"
    details_template = "training/enrol_apply_details.html"
    column_list = [
        "name", "course_name", "course_type", "owner", "planned_open_on", "hours", "capacity", "enrolled_count", "status",
    ]
    column_details_list = [
        "course_name", "name", "study_form_code", "days", "capacity", "planned_open_on", "study_start_on",
        "study_end_on", "head_teacher", "teachers", "exam_type_code", "schedule", "location", "subjects", "owner",
        "hours", "enrolled_count", "status",
    ]
    column_export_list = column_list
    column_labels = {
        **CLASS_LABELS, "name": "培训班名称", "course_name": "培训课程名称", "owner": "施教机构", "hours": "学时",
        "capacity": "拟招人数", "planned_open_on": "计划开班时间", "days": "培训天数", "head_teacher": "班主任姓名",
        "teachers": "授课老师姓名", "subjects": "科目信息", "study_form_code": "培训组织形式",
    }
    column_choices = {"status": CLASS_STATUS_CHOICES}
    column_formatters = column_formatters_detail = column_formatters_export = CLASS_FORMATTERS
    column_sortable_list = ["name", "planned_open_on"]
    column_default_sort = [("planned_open_on", False), ("id", False)]
    column_filters = ["name", owner_name_filter("施教机构")]
    list_eager = CLASS_EAGER

    def scope(self):
        return and_(super().scope(), TrainingClass.status.in_(ops.APPLY_STATES))

    def row_link_label(self, row) -> str:
        return "查看/报名"

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            actor = current_actor()
            kwargs["mine"] = Enrolment.query.filter_by(class_id=kwargs["model"].id, person_id=actor.person_id).one_or_none()
            kwargs["apply_form"] = BaseForm()
            kwargs["status_label"] = EnrolmentStatus.label
        return super().render(template, **kwargs)

    @expose("/apply/", methods=["POST"])
    @reads(id=OWN)
    def apply_view(self):
        training_class = self.get_one(request.args.get("id"))
        if not BaseForm().validate_on_submit():
            flash("页面已过期，请刷新后重试", "error")
        elif attempt(lambda: ops.apply(training_class, current_actor())):
            flash(f"报名成功提交，请等待{training_class.plan.owner_org.name}确认", "success")
        return redirect(url_for(".details_view", id=training_class.id))


class MyClassesView(BatchMixin, ScopedModelView):
    """培训班情况查看: the person's enrolments; 取消报名 while one waits for confirmation."""

    module = "my_classes"
    column_list = [
        "class_name", "course_name", "course_type", "owner", "planned_open_on", "applied_at", "status", "score", "result",
    ]
    column_details_list = [
        "class_name", "course_name", "course_type", "owner", "planned_open_on", "class_status", "source", "applied_at",
        "status", "decided_at", "score", "result",
    ]
    column_export_list = column_list
    column_labels = ENROLMENT_LABELS
    column_choices = ENROLMENT_CHOICES
    column_formatters = column_formatters_detail = column_formatters_export = ENROLMENT_FORMATTERS
    column_sortable_list = ["applied_at", "status"]
    column_default_sort = [("applied_at", True), ("id", True)]
    column_filters = ["status"]
    list_eager = ENROLMENT_EAGER
    row_label = staticmethod(_enrolment_label)

    @action("cancel", "取消报名", "确定取消选中的报名吗？")
    def action_cancel(self, ids):
        self._batch(ids, ops.cancel_application, "取消报名")


VIEWS = [
    (ClassEnrolView, TrainingClass, "培训班管理", "class_enrol"),
    (EnrolPeopleView, Person, "培训班管理", "class_enrol_people"),
    (EnrolledView, Enrolment, "培训班管理", "class_enrol_entered"),
    (EnrolConfirmView, Enrolment, "培训班管理", "enrol_confirm"),
    (ClassApplyView, TrainingClass, "培训班报名", "class_apply"),
    (MyClassesView, Enrolment, "培训班报名", "my_classes"),
]
