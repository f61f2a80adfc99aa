"""/me/units: the name search behind every 工作单位 / 调入单位 box (select2, Flask-Admin's protocol)."""
from flask import jsonify, request
from flask_login import login_required
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..fields import approved_units, unit_label
from ..models import Organisation
from ..route_params import reads
from . import bp

PAGE = 10


@bp.route("/units")
@login_required
@reads()
def units():
    """[[id, "名称（地区）"], …] of approved units whose name contains the query, ten at a time."""
    query = (request.args.get("query") or "").strip()[:50]
    offset = request.args.get("offset", "0")
    offset = int(offset) if offset.isascii() and offset.isdigit() and int(offset) < 10_000 else 0
    if not query:
        return jsonify([])
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = db.session.scalars(
        approved_units()
        .options(joinedload(Organisation.region))
        .where(Organisation.name.like(f"%{escaped}%", escape="\\"))
        .order_by(Organisation.name, Organisation.id)
        .offset(offset)
        .limit(PAGE)
    )
    return jsonify([[org.id, unit_label(org)] for org in rows])
