"""The application factory: configuration, extensions, sign-in, the back office's views, the CLI."""
from flask import Flask, redirect, request, url_for
from flask_login import current_user

from .config import ROOT, Config
from .extensions import babel, csrf, db, harden_sqlite, login_manager, migrate
from .route_params import reads


def _tune_postgresql(app: Flask) -> None:
    """PostgreSQL without JIT compilation. Its cost estimate for the 年度验证 join (a requirement looked up per
    region × 专业系列 pair) passes `jit_above_cost` even on a few hundred rows, and compiling took 1.4 s of a
    1.5 s statement (EXPLAIN ANALYZE on the demo: the 工作台's 学时未达标 count); every query here is a short
    OLTP statement or a GROUP BY that JIT does not pay back for."""
    from sqlalchemy.engine import make_url

    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "postgresql":
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    connect_args["options"] = f"{connect_args.get('options', '')} -c jit=off".strip()
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config or Config)
    app.config.update(overrides)
    _refuse_unsafe_production(app)
    if app.config["PROXY_FIX"]:
        # Behind N trusted reverse proxies: the client's address and scheme come from their headers.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    _tune_postgresql(app)
    db.init_app(app)
    with app.app_context():
        harden_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: "zh_CN", timezone_selector=lambda: "Asia/Shanghai")
    _init_login(app)
    from .auth import headers, limits

    headers.init_app(app)

    from . import audit  # noqa: F401  (registers the flush hook)
    from . import formatting, inputs
    from .attachments import bp as attachments_bp
    from .auth import bp as auth_bp
    from .checkin import bp as checkin_bp
    from .cli import register_cli
    from .me import bp as me_bp
    from .registration import bp as register_bp
    from .verify import bp as verify_bp
    from .views import init_admin

    from .policy import current_actor

    app.jinja_env.globals["current_actor"] = current_actor
    formatting.init_app(app)
    inputs.init_app(app)  # screens query parameters and posted NULs before any view (and the gate) runs
    app.register_blueprint(auth_bp)
    app.register_blueprint(me_bp)
    app.register_blueprint(register_bp)
    app.register_blueprint(attachments_bp)
    app.register_blueprint(checkin_bp)
    app.register_blueprint(verify_bp)
    init_admin(app)
    limits.init_app(app)  # after every view is registered: it wraps some of them
    register_cli(app)
    _install_gate(app)
    _install_error_pages(app)

    @app.get("/")
    @reads()
    def root():
        return redirect(url_for("admin.index"))

    return app


def _refuse_unsafe_production(app: Flask) -> None:
    if app.config["ENV_NAME"] != "production":
        return
    if app.config["SECRET_KEY"] == Config.SECRET_KEY:
        raise RuntimeError("生产环境必须设置 SECRET_KEY 环境变量 (SECRET_KEY is required in production)")
    if app.config["PASSWORD_HASH_METHOD"] != "scrypt":
        raise RuntimeError("生产环境不得更改 PASSWORD_HASH_METHOD (production keeps werkzeug's scrypt)")


def _init_login(app: Flask) -> None:
    from .auth import sessions

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录"
    login_manager.login_message_category = "warning"
    # The cookie holds a server-side session's token: user and session come back in one query, and
    # a session ended by logout or a password change loads nobody.
    login_manager.user_loader(sessions.load)
    # An early hook of every request (after the CSRF check): load the user and slide the session's expiry while nothing else
    # is pending, so the commit carries only that.
    app.before_request(sessions.refresh)


# Endpoints reachable while the user still has to change the password or pick an organisation.
_OPEN_ENDPOINTS = {"auth.login", "auth.logout", "auth.captcha_image", "static", "admin.static"}
_SETUP_ENDPOINTS = _OPEN_ENDPOINTS | {"auth.change_password", "auth.select_org"}
# Blueprints whose pages need no acting organisation: anonymous registration and forgotten
# passwords, and a user's own pages (/me) which they may need before any organisation accepts them.
_OPEN_BLUEPRINTS = {"register", "verify"}
_SETUP_BLUEPRINTS = {"me"}


def _is_open(endpoint: str) -> bool:
    return (
        endpoint in _OPEN_ENDPOINTS
        or endpoint.endswith(".static")
        or endpoint.startswith("auth.forgot")
        or endpoint.partition(".")[0] in _OPEN_BLUEPRINTS
    )


def _install_gate(app: Flask) -> None:
    from .policy import current_actor

    @app.before_request
    def gate():
        endpoint = request.endpoint or ""
        if _is_open(endpoint):
            return None
        if not current_user.is_authenticated:
            return None  # views themselves send anonymous users to /login
        if current_user.must_change_password:
            if endpoint == "auth.change_password":
                return None
            return redirect(url_for("auth.change_password"))
        if endpoint in _SETUP_ENDPOINTS or endpoint.partition(".")[0] in _SETUP_BLUEPRINTS:
            return None
        if current_actor() is None:
            return redirect(url_for("auth.select_org", next=request.full_path))
        return None


def _install_error_pages(app: Flask) -> None:
    from flask import render_template

    messages = {
        400: "请求无效，请返回重试",
        403: "您没有使用该功能的权限",
        404: "页面或记录不存在",
        405: "请求方式不正确，请返回重试",
        413: "上传的文件过大",
        429: "操作过于频繁，请稍后再试",
        500: "系统繁忙，请稍后再试",
    }

    def render(error):
        code = getattr(error, "code", 500) or 500
        if code == 500:
            db.session.rollback()
        return render_template("error.html", code=code, message=messages.get(code, "请求无法完成")), code

    for code in messages:
        app.register_error_handler(code, render)

    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        app.logger.warning("CSRF refused: %s", error.description)
        return render_template("error.html", code=400, message="页面已过期或来源无效，请刷新页面后重试"), 400
