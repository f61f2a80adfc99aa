"""/me: what a signed-in user does for themselves, whatever organisation they act as (or none yet):
个人信息, 我经办的单位账号 (accept or refuse an organisation's binding)."""
from flask import Blueprint

bp = Blueprint("me", __name__, url_prefix="/me")

from . import routes  # noqa: E402,F401
