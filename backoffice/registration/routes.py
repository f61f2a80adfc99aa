"""/register/person and the three steps of /register/org (manual 000 §1.1, 004 §1.1).

The organisation wizard keeps its progress in the signed session cookie, bound to the applicant's
account; nothing is written until step 3 is confirmed.
"""
from flask import current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import audit
from ..auth import captcha
from ..extensions import db
from ..labels import AuditAction, CodeType, OrgKind, RegionLevel
from ..models import DictionaryItem, Region
from ..policy import act_as
from ..route_params import reads
from ..workflows import WorkflowError
from ..workflows.orgs import application_endpoint, register_org
from ..text import has_control
from ..workflows.registration import (
    UNIT_PAGE, RegistrationError, register_person, registration_region, registration_units, waiting_unit,
)
from . import bp
from .forms import ApplicantForm, ConfirmForm, OrgRegistrationForm, PersonRegistrationForm

WIZARD = "org_registration"
ORG_FIELDS = ("kind", "name", "code_type", "code", "nature_code", "level", "region_code", "address",
              "legal_rep", "contact_name", "office_phone")


@bp.route("/person", methods=["GET", "POST"])
@reads()
def person():
    form = PersonRegistrationForm()
    captcha_on = current_app.config["CAPTCHA_ENABLED"]
    if request.method == "POST" and "choose_region" in request.form:
        # 选择地区 / 查找 without script: the same form again with the region's units; nothing is registered
        form.check_region_step()
    elif form.validate_on_submit():
        if captcha_on and not captcha.check(form.captcha.data):
            form.captcha.errors.append("验证码错误或已过期，请重新输入")
        else:
            data = {name: getattr(form, name).data.strip() for name in
                    ("login", "real_name", "mobile", "country", "id_type", "id_number")}
            data["email"] = (form.email.data or "").strip() or None  # optional: a post may leave it out
            answers = [(form[f"question{n}"].data, form[f"answer{n}"].data) for n in (1, 2, 3)]
            try:
                user = register_person(data, form.password.data, answers, form.unit_id.data or None)
            except RegistrationError as error:
                form[error.field].errors.append(str(error))
            else:
                db.session.commit()
                unit = waiting_unit(user)
                if unit is not None:  # 002: 注册信息已经提交审核，请耐心等待
                    flash(f"注册信息已经提交{unit.name}审核，请耐心等待，审核通过后即可登录", "success")
                else:
                    flash("注册成功，请使用新账号登录", "success")
                return redirect(url_for("auth.login"))
    form.captcha.data = ""  # a captcha is good for one try; everything else but the passwords stays
    return render_template("registration/person.html", form=form, captcha_on=captcha_on, unit_page=UNIT_PAGE)


@bp.route("/units")
@reads()
def units():
    """One page of a region's 所在单位 for the registration form's script: {"units": [{"id", "name"}],
    "more": bool}. Anonymous like the form, so it tells exactly what the form lists and nothing else.
    `region` is six digits (else 400) of a region whose province reviews registrations (else 404); `q`
    narrows by name (at most 50 characters); `offset` pages on (at most 10,000)."""
    code = request.args.get("region", "")
    name = request.args.get("q", "").strip()
    offset = request.args.get("offset", "0")
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return jsonify(error="地区代码应为6位数字"), 400
    if len(name) > 50 or has_control(name):
        return jsonify(error="单位名称限50字，且不能含控制字符"), 400
    if not (offset.isascii() and offset.isdigit() and len(offset) <= 5 and int(offset) <= 10_000):
        return jsonify(error="翻页位置应为0到10000的整数"), 400
    region = registration_region(code)
    if region is None:
        return jsonify(error="该地区不在可选择的地区中"), 404
    rows, more = registration_units(region, name, int(offset))
    return jsonify(units=[{"id": unit_id, "name": unit_name} for unit_id, unit_name in rows], more=more)


def _wizard() -> dict | None:
    """The wizard's state if it belongs to the signed-in applicant, else None."""
    state = session.get(WIZARD)
    if not current_user.is_authenticated or not state or state.get("user_id") != current_user.id:
        return None
    return state


@bp.route("/org", methods=["GET", "POST"])
@reads()
def org_applicant():
    """Step 1: 单位所属实名认证人员信息 — the applicant signs in with their own personal account."""
    if not current_user.is_authenticated:
        flash("单位账号须由本单位工作人员用已注册的个人账号申请：请先登录个人账号（没有请先注册）", "info")
        return redirect(url_for("auth.login", next=url_for("register.org_applicant")))
    form = ApplicantForm()
    if form.validate_on_submit():
        same_login = form.login.data.strip().lower() == current_user.login.lower()
        same_id = form.id_number.data.strip().upper() == current_user.id_number.upper()
        if not (same_login and same_id):
            form.id_number.errors.append("个人登录账号或证件号码与当前登录的账号不一致")
        else:
            session[WIZARD] = {"user_id": current_user.id}
            return redirect(url_for("register.org_details"))
    return render_template("registration/org_applicant.html", form=form)


@bp.route("/org/details", methods=["GET", "POST"])
@reads()
def org_details():
    """Step 2: 单位信息登记."""
    state = _wizard()
    if state is None:
        return redirect(url_for("register.org_applicant"))
    form = OrgRegistrationForm(data=state.get("org"))
    if form.validate_on_submit():
        state["org"] = {name: (form[name].data or "").strip() for name in ORG_FIELDS}
        session[WIZARD] = state
        return redirect(url_for("register.org_confirm"))
    return render_template("registration/org_details.html", form=form)


@bp.route("/org/confirm", methods=["GET", "POST"])
@reads()
def org_confirm():
    """Step 3: check everything once more, then register."""
    state = _wizard()
    if state is None or "org" not in state:
        return redirect(url_for("register.org_applicant"))
    data = state["org"]
    form = ConfirmForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            with audit.audit_as(AuditAction.REGISTER, f"单位用户注册：{data['name']}"):
                membership = register_org(user, data)
        except WorkflowError as error:
            flash(str(error), "error")
            return redirect(url_for("register.org_details"))
        db.session.commit()
        session.pop(WIZARD, None)
        act_as(f"m:{membership.id}")
        flash("单位注册成功。请在“角色申请”中完善单位信息、上传附件并送审，审核通过后即可使用其他功能。", "success")
        return redirect(url_for(application_endpoint(data["kind"])))
    return render_template("registration/org_confirm.html", form=form, rows=_summary(data))


def _summary(data: dict) -> list[tuple[str, str]]:
    region = db.session.get(Region, data["region_code"])
    nature = db.session.scalar(
        select(DictionaryItem.name).where(DictionaryItem.category == "org_nature", DictionaryItem.code == data["nature_code"])
    )
    return [
        ("注册类型", OrgKind.label(data["kind"])),
        ("单位名称", data["name"]),
        ("单位代码类型", CodeType.label(data["code_type"])),
        ("单位代码", data["code"]),
        ("单位性质", nature or ""),
        ("隶属关系", RegionLevel.label(data["level"])),
        ("所在地区", region.full_name if region else ""),
        ("单位通讯地址", data["address"]),
        ("法定代表人", data["legal_rep"]),
        ("联系人", data["contact_name"]),
        ("办公电话", data["office_phone"]),
    ]
