"""Every setting, read from the environment once, with safe defaults for a developer's machine."""
import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() not in {"0", "false", "no", "off", ""}


class Config:
    ENV_NAME = os.environ.get("BACKOFFICE_ENV", "development")
    # Several gunicorn workers must share one key, or CSRF tokens and sessions break between them;
    # production refuses to start without it (see create_app).
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'backoffice.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", ROOT / "instance" / "uploads"))
    # One uploaded file at most MAX_UPLOAD_MB; a request a little more (form fields, multipart framing),
    # so an oversized file gets the upload's own message rather than the bare 413 page.
    MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "10"))
    MAX_CONTENT_LENGTH = (MAX_UPLOAD_MB + 1) * 1024 * 1024

    CAPTCHA_ENABLED = _flag("CAPTCHA_ENABLED", True)
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "8")))
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    WTF_CSRF_TIME_LIMIT = None  # a clerk keeps a form open all morning; the session bounds it
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")

    FLASK_ADMIN_SWATCH = "default"  # other swatches @import web fonts; these offices are offline
    # Exports are built in memory by tablib; bound them and say so in the UI.
    EXPORT_MAX_ROWS = int(os.environ.get("EXPORT_MAX_ROWS", "50000"))


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    CAPTCHA_ENABLED = False
