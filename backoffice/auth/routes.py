"""/login, /captcha.png, /select-org, /change-password, /logout and /forgot-password (three steps).

Lockout is counted in the database with conditional UPDATEs, so it holds across gunicorn workers and
two wrong guesses at the same moment both count.
"""
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import case, func, select, update

from .. import audit
from ..extensions import db
from ..labels import AuditAction
from ..models import User
from ..models.base import utcnow
from ..validators import check_password
from ..policy import act_as, available_contexts, current_actor
from ..policy.actor import SESSION_KEY
from . import captcha
from .reset_notice import tell_owner_of_reset
from .forms import (
    ChangePasswordForm,
    ForgotAccountForm,
    ForgotAnswersForm,
    ForgotResetForm,
    LoginForm,
    SelectOrgForm,
)

bp = Blueprint("auth", __name__)

BAD_CREDENTIALS = "账号或密码错误"


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: never redirect a clerk to another host after sign-in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_url() -> str:
    return url_for("admin.index")


@bp.get("/captcha.png")
def captcha_image():
    response = current_app.response_class(captcha.new_image(), mimetype="image/png")
    response.headers["Cache-Control"] = "no-store"
    return response


def register_failure(user: User, *, what: str = "密码", message: str = BAD_CREDENTIALS) -> str:
    """Count one failed proof of identity (a wrong password, wrong security answers) against the account.

    One conditional UPDATE, so concurrent failures all count and the lock holds across workers; the
    fifth failure locks the account and restarts the counter. Returns the message to show.
    """
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    lock_until = utcnow() + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    failures = User.failed_logins + 1
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            failed_logins=case((failures >= limit, 0), else_=failures),
            locked_until=case((failures >= limit, lock_until), else_=User.locked_until),
        )
    )
    db.session.refresh(user)
    audit.record(AuditAction.LOGIN_FAILED, user_id=user.id, summary=f"{what}错误：{user.login}", obj=user)
    if user.is_locked():
        return f"{what}连续错误{limit}次，账号已锁定{current_app.config['LOGIN_LOCK_MINUTES']}分钟"
    return f"{message}，再错误{limit - user.failed_logins}次账号将被锁定"


def locked_message(user: User) -> str:
    return f"账号已锁定，请于{format_datetime(user.locked_until, 'HH:mm')}后再试，或联系客服解锁"


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and current_actor() is not None:
        return redirect(home_url())
    form = LoginForm()
    captcha_on = current_app.config["CAPTCHA_ENABLED"]
    if form.validate_on_submit():
        if captcha_on and not captcha.check(form.captcha.data):
            form.captcha.errors.append("验证码错误或已过期，请重新输入")
        else:
            error = _attempt_login(form.username.data.strip(), form.password.data)
            if error is None:
                return _after_login()
            form.password.errors.append(error)
        db.session.commit()
    return render_template("auth/login.html", form=form, captcha_on=captcha_on)


def _attempt_login(login_name: str, password: str) -> str | None:
    """Sign the user in and return None, or return the message to show."""
    user = db.session.scalar(select(User).where(func.lower(User.login) == login_name.lower()))
    if user is None:
        audit.record(AuditAction.LOGIN_FAILED, summary=f"账号不存在：{login_name[:30]}")
        return BAD_CREDENTIALS
    if user.is_locked():
        return locked_message(user)
    if not user.check_password(password):
        return register_failure(user)
    if not user.active:
        return "账号已停用，请联系客服"

    session.clear()  # no fixation: a fresh session for the signed-in user
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    login_user(user)  # first, so the audit row below knows who signed in
    with audit.audit_as(AuditAction.LOGIN, f"登录：{user.login}"):
        db.session.flush()
    session.permanent = True
    return None


def _after_login():
    tell_owner_of_reset(current_user)
    contexts = available_contexts(current_user)
    next_url = _safe_next(request.args.get("next"))
    if len(contexts) == 1:
        act_as(contexts[0].key)
    db.session.commit()
    if current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    if len(contexts) != 1:
        return redirect(url_for("auth.select_org", next=next_url))
    return redirect(next_url or home_url())


@bp.route("/select-org", methods=["GET", "POST"])
@login_required
def select_org():
    contexts = available_contexts(current_user)
    form = SelectOrgForm()
    form.context.choices = [(c.key, c.label) for c in contexts]
    if not contexts:
        return render_template("auth/select_org.html", form=form, contexts=contexts)
    if request.method == "GET" and session.get(SESSION_KEY):
        form.context.data = session[SESSION_KEY]
    if form.validate_on_submit():
        actor = act_as(form.context.data)
        if actor is None:
            form.context.errors.append("所选单位账号不可用")
        else:
            audit.record(AuditAction.SELECT_ORG, summary=f"使用单位账号：{actor.label}")
            db.session.commit()
            flash(f"当前身份：{actor.label}", "success")
            return redirect(_safe_next(request.args.get("next")) or home_url())
    return render_template("auth/select_org.html", form=form, contexts=contexts)


@bp.route("/change-password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        login_clash = check_password(form.new_password.data, current_user.login)
        if login_clash:
            form.new_password.errors.append(login_clash)
        elif not current_user.check_password(form.old_password.data):
            form.old_password.errors.append("原密码不正确")
        elif form.old_password.data == form.new_password.data:
            form.new_password.errors.append("新密码不能与原密码相同")
        else:
            user = current_user._get_current_object()
            key = session.get(SESSION_KEY)
            with audit.audit_as(AuditAction.CHANGE_PASSWORD, f"修改密码：{user.login}"):
                user.set_password(form.new_password.data)
                user.must_change_password = False
                db.session.flush()
            db.session.commit()
            # The session id embeds the password version: sign in again on this browser only.
            login_user(user)
            if key:
                session[SESSION_KEY] = key
            flash("密码修改成功", "success")
            if current_actor() is None:
                return redirect(url_for("auth.select_org"))
            return redirect(home_url())
    return render_template("auth/change_password.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    if current_user.is_authenticated:
        audit.record(AuditAction.LOGOUT, user_id=current_user.id, summary=f"退出：{current_user.login}")
        db.session.commit()
    logout_user()
    session.clear()
    flash("您已安全退出", "info")
    return redirect(url_for("auth.login"))


# ---- 忘记密码: 登录账号 + 证件号码 → 密保问题 → 新密码 --------------------------------------------
#
# Progress lives in the signed session cookie, bound to the account and to its session version: once
# the password changes (here, by helpdesk or by the owner) the version moves and an old cookie,
# replayed, no longer opens any step. Nothing is written before step 3 but failure counts.

FORGOT = "forgot_password"
FORGOT_LIFETIME_SECONDS = 15 * 60
FORGOT_GENERIC = "登录账号或证件号码不正确"
FORGOT_NO_QUESTIONS = "该账号未设置密保问题，请联系客服重置密码"
FORGOT_EXPIRED = "找回密码的操作已失效，请重新开始"
STEP_ANSWERS, STEP_PASSWORD = "answers", "password"


def _has_security_answers(user: User) -> bool:
    return all((user.answer1_hash, user.answer2_hash, user.answer3_hash))


def _start_forgot(user: User) -> None:
    session[FORGOT] = {
        "user_id": user.id,
        "version": user.session_version,
        "step": STEP_ANSWERS,
        "issued": int(time.time()),
    }


def _forgot_user(step: str) -> User | None:
    """The account whose password is being recovered, if the session is at `step` and still valid."""
    state = session.get(FORGOT)
    if not isinstance(state, dict) or state.get("step") != step or not isinstance(state.get("user_id"), int):
        return None
    if time.time() - state.get("issued", 0) > FORGOT_LIFETIME_SECONDS:
        session.pop(FORGOT, None)
        return None
    user = db.session.get(User, state.get("user_id"))
    if user is None or user.session_version != state.get("version") or not user.active:
        session.pop(FORGOT, None)
        return None
    return user


def _restart():
    flash(FORGOT_EXPIRED, "warning")
    return redirect(url_for("auth.forgot_password"))


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    """Step 1: 登录账号 + 证件号码 (+ 验证码)."""
    form = ForgotAccountForm()
    captcha_on = current_app.config["CAPTCHA_ENABLED"]
    error = None
    if form.validate_on_submit():
        if captcha_on and not captcha.check(form.captcha.data):
            form.captcha.errors.append("验证码错误或已过期，请重新输入")
        else:
            login_name = form.login.data.strip()
            user = db.session.scalar(select(User).where(func.lower(User.login) == login_name.lower()))
            id_number = form.id_number.data.strip().upper()
            if user is None or user.id_number.strip().upper() != id_number or not user.active:
                audit.record(AuditAction.LOGIN_FAILED, summary=f"找回密码：账号或证件号码不符（{login_name[:30]}）")
                db.session.commit()
                error = FORGOT_GENERIC
            elif user.is_locked():
                error = locked_message(user)
            elif not _has_security_answers(user):
                error = FORGOT_NO_QUESTIONS
            else:
                _start_forgot(user)
                return redirect(url_for("auth.forgot_questions"))
    return render_template("auth/forgot_password.html", form=form, captcha_on=captcha_on, error=error)


@bp.route("/forgot-password/questions", methods=["GET", "POST"])
def forgot_questions():
    """Step 2: the three 密保问题. Wrong answers count as failed sign-ins (lock after 5)."""
    user = _forgot_user(STEP_ANSWERS)
    if user is None:
        return _restart()
    form = ForgotAnswersForm()
    questions = [user.question1, user.question2, user.question3]
    for n, question in enumerate(questions, start=1):
        form[f"answer{n}"].label.text = f"问题{n}：{question}"
    error, locked = None, user.is_locked()
    if locked:
        error = locked_message(user)
    elif form.validate_on_submit():
        answers = [form.answer1.data, form.answer2.data, form.answer3.data]
        if user.check_security_answers(answers):
            session[FORGOT] = dict(session[FORGOT], step=STEP_PASSWORD)
            return redirect(url_for("auth.forgot_reset"))
        error = register_failure(user, what="密保答案", message="密保答案不正确")
        db.session.commit()
        locked = user.is_locked()
    if locked:
        session.pop(FORGOT, None)
    return render_template("auth/forgot_questions.html", form=form, error=error, locked=locked, user=user)


@bp.route("/forgot-password/reset", methods=["GET", "POST"])
def forgot_reset():
    """Step 3: the new password. Ends every session of the account and clears a lockout."""
    user = _forgot_user(STEP_PASSWORD)
    if user is None:
        return _restart()
    form = ForgotResetForm()
    if form.validate_on_submit():
        login_clash = check_password(form.new_password.data, user.login)
        if login_clash:
            form.new_password.errors.append(login_clash)
        else:
            with audit.audit_as(AuditAction.FORGOT_PASSWORD, f"通过密保问题找回密码：{user.login}"):
                user.set_password(form.new_password.data)  # moves the session version
                user.must_change_password = False
                user.failed_logins = 0
                user.locked_until = None
                db.session.flush()
            db.session.commit()
            session.pop(FORGOT, None)
            flash("密码已重置，请使用新密码登录", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/forgot_reset.html", form=form, user=user)
