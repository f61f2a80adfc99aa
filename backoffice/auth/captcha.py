"""图形验证码 drawn by the server (the `captcha` package); no external service.

The answer never sits in the cookie in clear: the session holds an HMAC of (answer, issue time, nonce)
under SECRET_KEY. Each captcha is usable once, server-side: the first check — right or wrong — records
its nonce in `used_captcha`, whose primary key refuses a second use in any worker, so replaying a copied
cookie gets nowhere. It expires after five minutes; spent nonces are kept only that long.
"""
import hashlib
import hmac
import secrets
import time
from datetime import datetime, timezone

from captcha.image import ImageCaptcha
from flask import current_app, session
from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import UsedCaptcha
from ..models.base import utcnow

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
LENGTH = 4
LIFETIME_SECONDS = 300
REFUSED = "验证码错误或已过期，请重新输入"
_KEY = "captcha"


def _digest(answer: str, issued: int, nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{answer.upper()}|{issued}|{nonce}".encode(), hashlib.sha256).hexdigest()


def random_answer() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_image() -> bytes:
    answer = random_answer()
    issued = int(time.time())
    nonce = secrets.token_hex(16)
    session[_KEY] = {"digest": _digest(answer, issued, nonce), "issued": issued, "nonce": nonce}
    return ImageCaptcha(width=120, height=44, font_sizes=(30, 34, 36)).generate(answer).getvalue()


def _spend(nonce: str, issued: int) -> bool:
    """Record the nonce as used; False if it already was. Committed at once: a request that then ends
    without committing (a refused form) must still have spent it, or a wrong answer could be retried."""
    expires = datetime.fromtimestamp(issued + LIFETIME_SECONDS, timezone.utc).replace(tzinfo=None)
    try:
        with db.session.begin_nested():
            db.session.execute(insert(UsedCaptcha).values(nonce=nonce, expires_at=expires))
    except IntegrityError:
        return False
    finally:
        db.session.execute(delete(UsedCaptcha).where(UsedCaptcha.expires_at < utcnow()))
        db.session.commit()
    return True


def check(answer: str | None) -> bool:
    stored = session.pop(_KEY, None)
    if not isinstance(stored, dict) or not isinstance(stored.get("nonce"), str):
        return False
    issued = stored.get("issued")
    if not isinstance(issued, int) or not 0 <= time.time() - issued <= LIFETIME_SECONDS:
        return False
    if not _spend(stored["nonce"][:32], issued):
        return False
    if not answer:
        return False
    return hmac.compare_digest(stored.get("digest", ""), _digest(answer.strip(), issued, stored["nonce"]))
