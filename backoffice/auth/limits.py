"""Per-client rate limits (Flask-Limiter) on everything a visitor can reach without signing in.

The account lockout (5 wrong passwords) protects one account; these limits protect the doors: nobody
may try passwords over many accounts, lock accounts in bulk, walk 忘记密码 for ID numbers or register
accounts at machine speed. Limits are counted per client address (`request.remote_addr`: behind a
reverse proxy set PROXY_FIX so that it is the client's, not the proxy's) and read from the config at
each request, so they can be changed without touching code.

| limit (config key)      | what it counts                                                       |
| ----------------------- | -------------------------------------------------------------------- |
| RATELIMIT_LOGIN         | POST /login                                                          |
| RATELIMIT_FORGOT        | POSTs of the three /forgot-password steps, together                  |
| RATELIMIT_REGISTER      | POSTs under /register/ (personal and organisation registration)      |
| RATELIMIT_UNIT_LOOKUP   | GET /register/units (所在单位 of a region, for the registration form)  |
| RATELIMIT_CAPTCHA       | GET /captcha.png                                                     |
| RATELIMIT_VERIFY        | GET /verify/<number> (证书查验: nobody may walk the numbers)          |
| RATELIMIT_LEGACY_BIND   | POSTs of 历史信息绑定 (with the unit's failure count, workflows/legacy) |
| RATELIMIT_ANONYMOUS     | every request of a client that is not signed in (static files aside) |

Each app gets its own Limiter (and storage): nothing is shared between app instances.
"""
from collections.abc import Callable

from flask import Flask, current_app
from flask_limiter import ApplicationLimit, Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

# (endpoints, config key, methods or None for all, bucket shared by the endpoints)
ENDPOINT_LIMITS = [
    (("auth.login",), "RATELIMIT_LOGIN", ["POST"], "login"),
    (("auth.forgot_password", "auth.forgot_questions", "auth.forgot_reset"), "RATELIMIT_FORGOT", ["POST"], "forgot"),
    (("auth.captcha_image",), "RATELIMIT_CAPTCHA", None, "captcha"),
    (("verify.certificate",), "RATELIMIT_VERIFY", None, "verify"),
    (("register.units",), "RATELIMIT_UNIT_LOOKUP", None, "unit_lookup"),
    (("legacy_bind.direct_view", "legacy_bind.scheme_one_view", "legacy_bind.scheme_two_view"),
     "RATELIMIT_LEGACY_BIND", ["POST"], "legacy_bind"),
]
BLUEPRINT_LIMITS = [("register", "RATELIMIT_REGISTER", ["POST"], "register")]


def _setting(key: str) -> Callable[[], str]:
    return lambda: current_app.config[key]


def _signed_in() -> bool:
    return current_user.is_authenticated


def init_app(app: Flask) -> Limiter | None:
    if not app.config.get("RATELIMIT_ENABLED", True):
        return None
    anonymous = ApplicationLimit(
        _setting("RATELIMIT_ANONYMOUS"), key_function=get_remote_address, scope="anonymous",
        exempt_when=_signed_in,
    )
    limiter = Limiter(get_remote_address, application_limits=[anonymous])
    limiter.init_app(app)
    for endpoints, key, methods, scope in ENDPOINT_LIMITS:
        shared = limiter.shared_limit(_setting(key), scope=scope, methods=methods)
        for endpoint in endpoints:
            app.view_functions[endpoint] = shared(app.view_functions[endpoint])
    for blueprint, key, methods, scope in BLUEPRINT_LIMITS:
        limiter.shared_limit(_setting(key), scope=scope, methods=methods)(app.blueprints[blueprint])
    app.extensions["backoffice_limiter"] = limiter
    return limiter
