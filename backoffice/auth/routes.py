"""/login, /captcha.png, /select-org, /change-password, /logout and /forgot-password (three steps).

Lockout is counted in the database with conditional UPDATEs, so it holds across gunicorn workers and
two wrong guesses at the same moment both count.
"""
import secrets
import time
from datetime import timedelta
from functools import cache
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
from flask_login import current_user, login_required, login_user
from sqlalchemy import case, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from .. import audit
from ..extensions import db
from ..labels import AuditAction
from ..models import User
from ..models.account import hash_method
from ..models.base import utcnow
from ..validators import check_password
from ..workflows.registration import waiting_unit
from ..policy import act_as, available_contexts, current_actor
from ..policy.actor import SESSION_KEY
from ..route_params import reads
from ..shell import render_page
from . import captcha, sessions
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

NEXT_MAX_LENGTH = 500


def bad_credentials() -> str:
    """The one answer to a failed sign-in: unknown account, wrong password and locked account alike,
    so the login page never tells whether an account exists."""
    return (
        f"账号或密码错误。连续错误{current_app.config['LOGIN_MAX_FAILURES']}次的账号将锁定"
        f"{current_app.config['LOGIN_LOCK_MINUTES']}分钟，请稍后再试或联系客服解锁"
    )


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)


def spend_password_time(password: str) -> None:
    """Hash the password against a throw-away hash: refusing an unknown or locked account takes as
    long as checking a real one (scrypt dominates), so timing does not tell them apart."""
    check_password_hash(_dummy_hash(hash_method()), password)


def _safe_next(target: str | None) -> str | None:
    """Only short same-site paths: never redirect a clerk to another host after sign-in."""
    if not target or len(target) > NEXT_MAX_LENGTH:
        return None
    # Browsers read a backslash as a slash (/\evil is //evil) and drop control characters.
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_url() -> str:
    return url_for("admin.index")


@bp.get("/captcha.png")
@reads()
def captcha_image():
    response = current_app.response_class(captcha.new_image(), mimetype="image/png")
    response.headers["Cache-Control"] = "no-store"
    return response


def register_failure(user: User, *, what: str = "密码", message: str = "密码不正确") -> str:
    """Count one failed proof of identity (a wrong password, wrong security answers) against the account.

    One conditional UPDATE, so concurrent failures all count and the lock holds across workers; the
    fifth failure locks the account and restarts the counter. Returns the message for a page where the
    account is already known (signed in, or past 忘记密码 step 1); the login page says `bad_credentials`.
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
@reads()
def login():
    if current_user.is_authenticated and current_actor() is not None:
        return redirect(home_url())
    form = LoginForm()
    captcha_on = current_app.config["CAPTCHA_ENABLED"]
    if form.validate_on_submit():
        if captcha_on and not captcha.check(form.captcha.data):
            form.captcha.errors.append(captcha.REFUSED)
        else:
            error = _attempt_login(form.username.data.strip(), form.password.data)
            if error is None:
                return _after_login()
            form.password.errors.append(error)
        db.session.commit()
    return render_template("auth/login.html", form=form, captcha_on=captcha_on)


def _attempt_login(login_name: str, password: str) -> str | None:
    """Sign the user in and return None, or return the message to show.

    An unknown account, a wrong password and a locked account get the same words after the same
    work (one scrypt hash), so neither the message nor the time tells whether the account exists.
    A locked account's password is not even tried: the lock must not become a guessing oracle.
    """
    user = db.session.scalar(select(User).where(func.lower(User.login) == login_name.lower()))
    if user is None or user.is_locked():
        spend_password_time(password)
        summary = f"账号已锁定：{user.login}" if user else f"账号不存在：{login_name[:30]}"
        audit.record(AuditAction.LOGIN_FAILED, user_id=user.id if user else None, summary=summary)
        return bad_credentials()
    if not user.check_password(password):
        register_failure(user)
        return bad_credentials()
    if not user.active:
        return "账号已停用，请联系客服"
    waiting = waiting_unit(user)
    if waiting is not None:  # 002 常见登录错误信息 3 (the password was right: nothing leaks)
        return f"此账号还未被审核，请联系{waiting.name}"

    sessions.discard_current()  # signing in over another sign-in ends that one
    session.clear()  # no fixation: a fresh session for the signed-in user
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    sessions.start(user)
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


def locked_out(user: User):
    """This session's wrong guesses locked the account: end the session, say why on the login page."""
    message = locked_message(user)
    sessions.sign_out()
    db.session.commit()
    flash(message, "danger")
    return redirect(url_for("auth.login"))


@bp.route("/select-org", methods=["GET", "POST"])
@login_required
@reads()
def select_org():
    contexts = available_contexts(current_user)
    form = SelectOrgForm()
    form.context.choices = [(c.key, c.label) for c in contexts]
    if not contexts:
        return render_page("auth/select_org.html", form=form, contexts=contexts)
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
    return render_page("auth/select_org.html", form=form, contexts=contexts)


@bp.route("/change-password", methods=["GET", "POST"])
@login_required
@reads()
def change_password():
    """修改密码. A wrong 原密码 counts toward the lockout like a wrong sign-in: a stolen session must
    not become an unlimited password oracle. The lock that this session's guesses cause signs it out."""
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        login_clash = check_password(form.new_password.data, user.login)
        if login_clash:
            form.new_password.errors.append(login_clash)
        elif user.is_locked():
            form.old_password.errors.append(locked_message(user))
        elif not user.check_password(form.old_password.data):
            form.old_password.errors.append(register_failure(user, message="原密码不正确"))
            if user.is_locked():
                return locked_out(user)
            db.session.commit()
        elif form.old_password.data == form.new_password.data:
            form.new_password.errors.append("新密码不能与原密码相同")
        else:
            key = session.get(SESSION_KEY)
            with audit.audit_as(AuditAction.CHANGE_PASSWORD, f"修改密码：{user.login}"):
                user.set_password(form.new_password.data)  # moves the session version
                user.must_change_password = False
                user.failed_logins = 0
                db.session.flush()
            # Every session of the account ends; this browser gets a new one and keeps its 单位账号.
            sessions.end_all(user)
            sessions.start(user)
            db.session.commit()
            login_user(user)
            if key:
                session[SESSION_KEY] = key
            flash("密码修改成功", "success")
            if current_actor() is None:
                return redirect(url_for("auth.select_org"))
            return redirect(home_url())
    return render_page("auth/change_password.html", form=form)


@bp.post("/logout")
@reads()
def logout():
    """POST only (a link or an <img> elsewhere must not sign anyone out); ends the session server-side."""
    if current_user.is_authenticated:
        audit.record(AuditAction.LOGOUT, user_id=current_user.id, summary=f"退出：{current_user.login}")
    sessions.sign_out()
    db.session.commit()
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
@reads()
def forgot_password():
    """Step 1: 登录账号 + 证件号码 (+ 验证码)."""
    form = ForgotAccountForm()
    captcha_on = current_app.config["CAPTCHA_ENABLED"]
    error = None
    if form.validate_on_submit():
        if captcha_on and not captcha.check(form.captcha.data):
            form.captcha.errors.append(captcha.REFUSED)
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
@reads()
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
@reads()
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
            sessions.end_all(user)
            db.session.commit()
            session.pop(FORGOT, None)
            flash("密码已重置，请使用新密码登录", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/forgot_reset.html", form=form, user=user)
