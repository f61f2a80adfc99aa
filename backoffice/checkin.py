"""/checkin/<token>: 扫码签到. The QR code on a session's page (培训班考勤设置) leads here; the rules are
`workflows.attendance.check_in`.

| who opens the link                                          | answer                                  |
| ----------------------------------------------------------- | --------------------------------------- |
| not signed in                                               | 302 to /login, back here after sign-in  |
| a link not signed by us (forged, cut short, altered)        | 400                                     |
| signed in as an organisation, 系统管理员 or 运维             | 403 (sign in as yourself)               |
| a person, the session was deleted                           | 404                                     |
| a person who is not a 报名成功 enrolee of the class          | 403                                     |
| the class is no longer 开班 / 接受报名                        | 403                                     |
| before start−15 min or after the end                        | 403, saying the window                  |
| an enrolee inside the window                                | 200 签到成功 (出勤, by scan)             |
| an enrolee who already checked in                           | 200 已签到, nothing changes             |
"""
from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from .extensions import db
from .policy import current_actor
from .route_params import reads
from .shell import render_page
from .workflows.attendance import CheckInRefused, check_in, session_id_of, window_text

bp = Blueprint("checkin", __name__, url_prefix="/checkin")


def _refused(refusal: CheckInRefused):
    db.session.rollback()
    return render_page("attendance/checkin.html", ok=False, message=str(refusal)), refusal.status


@bp.route("/<token>")
@reads()
def scan(token: str):
    try:
        session_id = session_id_of(token)
    except CheckInRefused as refusal:
        return _refused(refusal)
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path))
    try:
        done = check_in(session_id, current_actor())
    except CheckInRefused as refusal:
        return _refused(refusal)
    db.session.commit()
    return render_page(
        "attendance/checkin.html", ok=True, again=done.again, done=done, window=window_text(done.session),
    )
