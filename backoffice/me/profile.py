"""/me/profile: 个人信息.

The account owner changes 手机号码 and 邮箱 (and 姓名 until it is real-name verified) freely, and the
three 密保问题 only with the current password (a wrong one counts toward the lockout). 登录账号,
国家/地区, 证件类型 and 证件号码 are shown, never taken from the request: the forms have no such fields,
so a forged POST cannot change them.
"""
from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from .. import audit
from ..auth.forms import ProfileForm, SecurityQuestionsForm
from ..auth.routes import locked_message, locked_out, register_failure
from ..extensions import db
from ..labels import AuditAction, DictionaryCategory
from ..models import dictionary_choices
from ..shell import render_page
from ..route_params import reads
from ..workflows import WorkflowError
from ..workflows.registration import become_person, person_missing
from . import bp


def _forms(info_data=None, questions_data=None):
    """Both forms of the page; only the one being posted reads the request."""
    user = current_user._get_current_object()
    info = ProfileForm(formdata=info_data, obj=user, name_editable=not user.real_name_verified)
    questions = SecurityQuestionsForm(formdata=questions_data, obj=user)
    return info, questions


def _render(info: ProfileForm, questions: SecurityQuestionsForm):
    user = current_user._get_current_object()
    id_types = dict(dictionary_choices(DictionaryCategory.ID_TYPE))
    context = dict(
        info=info,
        questions=questions,
        user=user,
        id_type_label=id_types.get(user.id_type, user.id_type),
        has_questions=all((user.answer1_hash, user.answer2_hash, user.answer3_hash)),
        person_missing=person_missing(user),
    )
    return render_page("me/profile.html", **context)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
@reads()
def profile():
    if request.method == "GET":
        return _render(*_forms())
    info, questions = _forms(info_data=request.form)
    if info.validate():
        user = current_user._get_current_object()
        with audit.audit_as(AuditAction.UPDATE, f"修改个人信息：{user.login}"):
            user.mobile = info.mobile.data
            user.email = info.email.data or None
            if "real_name" in info:
                user.real_name = info.real_name.data.strip()
            db.session.flush()
        db.session.commit()
        flash("个人信息已保存", "success")
        return redirect(url_for("me.profile"))
    return _render(info, questions)


@bp.route("/profile/person", methods=["POST"])
@login_required
@reads()
def profile_person():
    """登记为专业技术人员: the account gets its 专业技术人员 record (workflows/registration.py:become_person)."""
    user = current_user._get_current_object()
    try:
        person = become_person(user)
    except WorkflowError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("me.profile"))
    db.session.commit()
    where = f"所在单位：{person.unit.name}" if person.unit is not None and person.is_confirmed else (
        "请在“选择单位账号”中切换到“个人”，在“人员基本信息维护”中选择工作单位")
    flash(f"已登记为专业技术人员。{where}", "success")
    return redirect(url_for("auth.select_org"))


@bp.route("/profile/questions", methods=["POST"])
@login_required
@reads()
def profile_questions():
    info, questions = _forms(questions_data=request.form)
    if questions.validate():
        user = current_user._get_current_object()
        if user.is_locked():
            questions.current_password.errors.append(locked_message(user))
        elif not user.check_password(questions.current_password.data):
            # Counts toward the lockout like a wrong sign-in; the lock it causes ends this session.
            questions.current_password.errors.append(register_failure(user, message="当前密码不正确"))
            if user.is_locked():
                return locked_out(user)
            db.session.commit()
        else:
            with audit.audit_as(AuditAction.UPDATE, f"修改密保问题：{user.login}"):
                user.set_security_answers(questions.pairs())
                db.session.flush()
            db.session.commit()
            flash("密保问题已保存", "success")
            return redirect(url_for("me.profile"))
    return _render(info, questions)
