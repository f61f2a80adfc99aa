"""/register: 个人用户注册 and the three steps of 单位用户注册. Open to anonymous visitors."""
from flask import Blueprint

bp = Blueprint("register", __name__, url_prefix="/register")

from . import routes  # noqa: E402,F401
