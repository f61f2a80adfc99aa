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

    # Certificates (backoffice/pdf.py): the CJK TrueType font to embed (default: the first found of
    # Debian's WenQuanYi fonts and the paperang-p2-fonts-cjk package), and the address printed in a
    # certificate's QR code (default: the address the page was requested at).
    CJK_FONT_PATH = os.environ.get("CJK_FONT_PATH") or None
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or None

    CAPTCHA_ENABLED = _flag("CAPTCHA_ENABLED", True)
    # werkzeug's method for password and security-answer hashes (models/account.py). Production keeps
    # the default; the tests and the browser tests' server sign in thousands of times and use a cheap
    # scrypt (`scrypt:1024:8:1`, 2 ms instead of 0.15 s), which production refuses (create_app).
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "8")))
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    # Per-client rate limits (Flask-Limiter, see auth/limits.py); "N per minute;M per hour" strings.
    # memory:// counts in each worker process: with several gunicorn workers the limits multiply, so
    # production uses a shared store, redis://host:6379 or memcached://host:11211 (needs the `redis` or
    # `pymemcache` package). Offices behind one NAT address share these counters.
    RATELIMIT_ENABLED = _flag("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10 per minute;100 per hour")
    RATELIMIT_FORGOT = os.environ.get("RATELIMIT_FORGOT", "10 per minute;50 per hour")
    RATELIMIT_REGISTER = os.environ.get("RATELIMIT_REGISTER", "10 per minute;50 per hour")
    # a person choosing a region and typing a unit's name asks a few times a minute
    RATELIMIT_UNIT_LOOKUP = os.environ.get("RATELIMIT_UNIT_LOOKUP", "60 per minute;600 per hour")
    RATELIMIT_CAPTCHA = os.environ.get("RATELIMIT_CAPTCHA", "30 per minute;300 per hour")
    RATELIMIT_VERIFY = os.environ.get("RATELIMIT_VERIFY", "20 per minute;200 per hour")
    RATELIMIT_LEGACY_BIND = os.environ.get("RATELIMIT_LEGACY_BIND", "10 per minute;30 per hour")
    # 历史信息绑定: wrong answers of a unit or user (操作日志) before further tries are refused for the window
    LEGACY_BIND_MAX_FAILURES = int(os.environ.get("LEGACY_BIND_MAX_FAILURES", "5"))
    LEGACY_BIND_WINDOW_MINUTES = int(os.environ.get("LEGACY_BIND_WINDOW_MINUTES", "60"))
    RATELIMIT_ANONYMOUS = os.environ.get("RATELIMIT_ANONYMOUS", "120 per minute;1200 per hour")
    RATELIMIT_HEADERS_ENABLED = True  # Retry-After on a 429
    RATELIMIT_SWALLOW_ERRORS = True  # an unreachable Redis must not turn every page into a 500
    # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (werkzeug
    # ProxyFix). 0: the address the request comes from is the client's. Never set it without a proxy
    # that overwrites those headers, or clients choose their own address and escape the rate limits.
    PROXY_FIX = int(os.environ.get("PROXY_FIX", "0"))

    WTF_CSRF_TIME_LIMIT = None  # a clerk keeps a form open all morning; the session bounds it
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")

    FLASK_ADMIN_SWATCH = "default"  # other swatches @import web fonts; these offices are offline
    # Exports stream (views/exports.py); still, one download holds at most this many rows, and the list
    # and the file both say so when a list has more (an XLSX sheet holds 1,048,576 at most).
    EXPORT_MAX_ROWS = min(int(os.environ.get("EXPORT_MAX_ROWS", "200000")), 1_000_000)


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    CAPTCHA_ENABLED = False
    RATELIMIT_ENABLED = False  # the suite signs in hundreds of times from one address
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
