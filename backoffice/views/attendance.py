"""培训班考勤设置 (000 §1.4.2): the classes the acting organisation runs; per class its sessions (录入考勤)
and 考勤查看; per session the marks grid, 设置普通考勤 and the 扫码签到 QR code. The rules are
`workflows.attendance`; the scan itself is `backoffice/checkin.py`."""
import io

import segno
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from markupsafe import Markup
from sqlalchemy import select
from wtforms import DateField, SelectField, TimeField
from wtforms.validators import InputRequired, Optional

from ..extensions import db
from ..forms import BaseForm
from ..labels import AttendanceMark, ClassStatus
from ..models import AttendanceSession, TrainingClass
from ..policy import current_actor, visible
from ..policy.scope import classes_run_by
from ..route_params import OWN, reads
from ..workflows import attendance as ops
from .class_work import LinkRowAction, RunClassesView
from .training_common import run_form

MARK_CHOICES = [("", "未登记"), *AttendanceMark.choices()]


class SessionForm(BaseForm):
    """录入考勤: the date and times of one session."""

    on_date = DateField("考勤日期", validators=[InputRequired("请填写考勤日期")])
    starts_at = TimeField("开始时间", validators=[InputRequired("请填写开始时间（如 09:00）")])
    ends_at = TimeField("结束时间", validators=[InputRequired("请填写结束时间（如 12:00）")])


def marks_form(enrolees, current, formdata=None):
    """One select per 报名成功 enrolee (`m<enrolment id>`), filled with the stored marks."""

    class MarksForm(BaseForm):
        pass

    for enrolment in enrolees:
        row = current.get(enrolment.id)
        setattr(MarksForm, f"m{enrolment.id}", SelectField(
            enrolment.person.name, choices=MARK_CHOICES, default=row.mark if row else "", validators=[Optional()],
        ))
    return MarksForm(formdata=formdata) if formdata is not None else MarksForm()


def qr_svg(url: str) -> Markup:
    """The check-in link as an inline SVG QR code, drawn here (no image service, no script)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", xmldecl=False, svgns=True, scale=5, border=2,
                                    title="扫码签到二维码")
    return Markup(buffer.getvalue().decode("utf-8"))


class ClassAttendanceView(RunClassesView):
    module = "class_attendance"
    column_extra_row_actions = [LinkRowAction(".sessions_view", "录入考勤"), LinkRowAction(".summary_view", "考勤查看")]

    # ---- rows ---------------------------------------------------------------------------------------

    def the_session(self, session_id) -> AttendanceSession:
        """A session of a class the acting organisation runs, or 404."""
        actor = current_actor()
        if session_id in (None, "") or "," in str(session_id):
            abort(404)
        key = self.coerce_pk(session_id)
        row = db.session.scalar(
            select(AttendanceSession).where(
                AttendanceSession.id == key, visible(AttendanceSession, actor),
                AttendanceSession.class_id.in_(classes_run_by(actor)),
            )
        )
        if row is None:
            abort(404)
        return row

    @staticmethod
    def editable(training_class: TrainingClass) -> bool:
        return training_class.status in ops.OPEN_STATES

    # ---- 录入考勤: the class's sessions ----------------------------------------------------------------

    @expose("/sessions/", methods=("GET", "POST"))
    @reads(id=OWN)
    def sessions_view(self):
        training_class = self.the_class(request.args.get("id"))
        form = SessionForm()
        if request.method == "POST" and form.validate_on_submit():
            session = run_form(form, lambda: ops.add_session(
                training_class, form.on_date.data, form.starts_at.data, form.ends_at.data, current_actor()))
            if session:
                flash(f"考勤已录入：{session}", "success")
                return redirect(url_for(".session_view", id=session.id))
        elif request.method == "GET":
            form.on_date.data = training_class.study_start_on
        sessions = ops.sessions_of(training_class.id)
        marked = ops.counts_by_session(training_class.id)
        return self.render(
            "attendance/sessions.html", training_class=training_class, sessions=sessions, marked=marked,
            enrolees=len(ops.roster(training_class.id)), form=form, editable=self.editable(training_class),
            class_status=ClassStatus.label(training_class.status),
        )

    # ---- one session: marks, 设置普通考勤, QR code ----------------------------------------------------

    @expose("/session/", methods=("GET", "POST"))
    @reads(id=AttendanceSession)
    def session_view(self):
        session = self.the_session(request.args.get("id"))
        training_class = db.session.get(TrainingClass, session.class_id)
        enrolees = ops.roster(training_class.id)
        current = ops.marks_of(session.id)
        form = marks_form(enrolees, current, request.form if request.method == "POST" else None)
        if request.method == "POST" and form.validate_on_submit():
            wanted = {e.id: (form[f"m{e.id}"].data or None) for e in enrolees}
            changed = run_form(form, lambda: ops.save_marks(session, wanted, current_actor()))
            if changed is not False:
                flash(f"考勤已保存，{changed}人的考勤有变化", "success")
                return redirect(url_for(".session_view", id=session.id))
        link = url_for("checkin.scan", token=ops.checkin_token(session), _external=True)
        return self.render(
            "attendance/session.html", session=session, training_class=training_class, enrolees=enrolees,
            current=current, form=form, editable=self.editable(training_class), link=link, qr=qr_svg(link),
            window=ops.window_text(session), mark_label=AttendanceMark.label,
        )

    @expose("/session/present/", methods=("POST",))
    @reads(id=AttendanceSession)
    def present_view(self):
        session = self.the_session(request.args.get("id"))
        form = BaseForm()
        if not form.validate_on_submit():
            abort(400)
        marked = run_form(form, lambda: ops.mark_all_present(session, current_actor()))
        if marked is not False:
            flash(f"设置普通考勤：{marked}名未登记的学员已设为出勤" if marked else "所有学员都已登记考勤，没有需要设置的学员",
                  "success")
        return redirect(url_for(".session_view", id=session.id))

    @expose("/session/delete/", methods=("POST",))
    @reads(id=AttendanceSession)
    def delete_session_view(self):
        session = self.the_session(request.args.get("id"))
        class_id = session.class_id
        form = BaseForm()
        if not form.validate_on_submit():
            abort(400)
        if run_form(form, lambda: ops.delete_session(session, current_actor()) or True):
            flash("考勤场次已删除", "success")
            return redirect(url_for(".sessions_view", id=class_id))
        return redirect(url_for(".session_view", id=session.id))

    # ---- 考勤查看 -----------------------------------------------------------------------------------

    @expose("/summary/")
    @reads(id=OWN)
    def summary_view(self):
        training_class = self.the_class(request.args.get("id"))
        return self.render(
            "attendance/summary.html", training_class=training_class, rates=ops.rates(training_class),
            sessions=ops.sessions_of(training_class.id), marks=AttendanceMark.choices(),
        )


VIEWS = [(ClassAttendanceView, TrainingClass, "培训班管理", "class_attendance")]
