"""Settings that production must not get wrong: the secret key, the password hash, the server's hooks."""
import gc
import runpy
from pathlib import Path

import pytest
from werkzeug.security import check_password_hash

from backoffice import create_app
from backoffice.config import Config, TestConfig
from backoffice.models import User


def _app(**overrides):
    return create_app(Config, SQLALCHEMY_DATABASE_URI="sqlite://", **overrides)


def test_production_refuses_the_development_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        _app(ENV_NAME="production")


def test_production_refuses_a_cheaper_password_hash():
    with pytest.raises(RuntimeError, match="PASSWORD_HASH_METHOD"):
        _app(ENV_NAME="production", SECRET_KEY="a-real-secret", PASSWORD_HASH_METHOD="scrypt:1024:8:1")


def test_production_hashes_passwords_and_answers_with_full_scrypt():
    app = _app(ENV_NAME="production", SECRET_KEY="a-real-secret")
    with app.app_context():
        user = User()
        user.set_password("Demo2026x")
        user.set_security_answers([("问题一", "甲"), ("问题二", "乙"), ("问题三", "丙")])
    assert user.password_hash.startswith("scrypt:32768:8:1$")
    assert user.answer1_hash.startswith("scrypt:32768:8:1$")
    assert check_password_hash(user.password_hash, "Demo2026x")


def test_the_suites_cheap_hash_still_checks_passwords(app):
    assert TestConfig.PASSWORD_HASH_METHOD != Config.PASSWORD_HASH_METHOD
    with app.app_context():
        user = User()
        user.set_password("Demo2026x")
    assert user.password_hash.startswith("scrypt:1024:8:1$")
    assert user.check_password("Demo2026x")
    assert not user.check_password("Demo2026y")


def test_a_gunicorn_worker_freezes_the_built_app_out_of_garbage_collection():
    """gunicorn.conf.py (read by `make run` and production): after the worker has loaded the app, the
    objects built so far leave the collector's walks."""
    config = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        config["post_worker_init"](object())
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
