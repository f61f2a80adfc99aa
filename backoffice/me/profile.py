"""/me/profile: 个人信息."""
from flask import abort
from flask_login import login_required

from . import bp


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    abort(404)  # built by the self-service work of issue #3
