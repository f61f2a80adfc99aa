"""/me/bindings: 我经办的单位账号."""
from flask import abort
from flask_login import login_required

from . import bp


@bp.route("/bindings", methods=["GET", "POST"])
@login_required
def bindings():
    abort(404)  # built by the members work of issue #3
