"""/me: what a signed-in user does for themselves, whatever organisation they act as (or none yet):
个人信息 (profile.py) and 我经办的单位账号, where an organisation's binding is accepted or refused
(bindings.py)."""
from flask import Blueprint

bp = Blueprint("me", __name__, url_prefix="/me")

from . import bindings, profile, units  # noqa: E402,F401
