"""Security headers on every response (Flask-Talisman): CSP, anti-framing, nosniff.

The policy allows only the app's own files. Scripts: 'self' plus a per-request nonce, which Flask-Admin
puts on its few inline <script> blocks (`Admin(csp_nonce_generator=...)`). No inline event handler
may run (Chromium reports each onclick="…" of a page as a violation at load): our templates use data
attributes read by static/js/handlers.js, and the three Flask-Admin 2.2 macro files that still write
onclick attributes (upstream issue #2556) are overridden in templates/admin/, each importing the
original through the "flask_admin/" template prefix and replacing only the macro concerned.

Styles allow 'unsafe-inline' on purpose: Bootstrap, select2, daterangepicker and Flask-Admin write
style="…" attributes into the markup they build, and a nonce cannot cover attributes. Inline CSS cannot
run code; what it could leak needs injected HTML, which output escaping already refuses.

HTTPS is not forced here (force_https=False): SESSION_COOKIE_SECURE remains the one switch, and the
session cookie keeps Flask's own settings. HSTS belongs to the proxy that terminates TLS.
"""
from flask import Flask
from flask_talisman import Talisman
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",  # + 'nonce-…' per request
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",  # Bootstrap's form icons are data: SVGs in its CSS
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_app(app: Flask) -> Talisman:
    # "flask_admin/admin/actions.html" is Flask-Admin's own file even where templates/admin/ overrides it.
    upstream = PrefixLoader({"flask_admin": PackageLoader("flask_admin", "templates/bootstrap4")})
    app.jinja_loader = ChoiceLoader([app.jinja_loader, upstream])
    return Talisman(
        app,
        force_https=False,
        strict_transport_security=False,
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        # Talisman would otherwise impose its own cookie settings: hand it Flask's.
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=app.config["SESSION_COOKIE_HTTPONLY"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )


def nonce_generator(app: Flask):
    """The nonce of the current request, for Flask-Admin's inline scripts (set by Talisman)."""
    return app.jinja_env.globals["csp_nonce"]
