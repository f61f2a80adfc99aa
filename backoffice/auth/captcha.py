"""图形验证码 drawn by the server (the `captcha` package); no external service.

The answer never sits in the cookie in clear: the session holds an HMAC of (answer, issue time) under
SECRET_KEY, it expires after five minutes and is consumed by the first check, right or wrong.
"""
import hashlib
import hmac
import secrets
import time

from captcha.image import ImageCaptcha
from flask import current_app, session

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
LENGTH = 4
LIFETIME_SECONDS = 300
_KEY = "captcha"


def _digest(answer: str, issued: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{answer.upper()}|{issued}".encode(), hashlib.sha256).hexdigest()


def random_answer() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_image() -> bytes:
    answer = random_answer()
    issued = int(time.time())
    session[_KEY] = {"digest": _digest(answer, issued), "issued": issued}
    return ImageCaptcha(width=120, height=44, font_sizes=(30, 34, 36)).generate(answer).getvalue()


def check(answer: str | None) -> bool:
    stored = session.pop(_KEY, None)
    if not stored or not answer:
        return False
    if time.time() - stored["issued"] > LIFETIME_SECONDS:
        return False
    return hmac.compare_digest(stored["digest"], _digest(answer.strip(), stored["issued"]))
