"""Server-side sign-in sessions (table `user_session`).

The signed session cookie carries only a random token (Flask-Login's user id, see `User.get_id`); the
row keyed by the token's SHA-256 decides whether it still opens anything:

- logout deletes the row, so a cookie copied before logout is worthless afterwards;
- a password change or reset moves `User.session_version`, which the row must match: every session of
  the account ends, whoever changed the password and however (helpdesk, forgot-password, owner);
- a session unused for PERMANENT_SESSION_LIFETIME ends. `expires_at` slides forward, written at most
  once every TOUCH_EVERY so that reading pages costs no write per click.

Loading the user and checking the row is one indexed query (`load`).
"""
import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, request, session
from flask_login import current_user, logout_user
from sqlalchemy import delete, insert, or_, select, update

from ..extensions import db
from ..models import User, UserSession
from ..models.base import utcnow

TOUCH_EVERY = timedelta(minutes=5)
_TOKEN_MAX = 100  # a token is 43 characters; anything much longer is not ours


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lifetime() -> timedelta:
    return current_app.permanent_session_lifetime


def start(user: User) -> None:
    """Open a session for `user` (call before `login_user`) and purge the account's dead rows."""
    now = utcnow()
    token = secrets.token_urlsafe(32)
    # No autoflush: the caller's pending changes to the user are flushed by its own audited flush.
    with db.session.no_autoflush:
        db.session.execute(
            delete(UserSession).where(
                UserSession.user_id == user.id,
                or_(UserSession.expires_at <= now, UserSession.password_version != user.session_version),
            )
        )
        db.session.execute(
            insert(UserSession).values(
                token_hash=_digest(token),
                user_id=user.id,
                password_version=user.session_version,
                created_at=now,
                expires_at=now + _lifetime(),
            )
        )
    user.session_token = token
    user.session_expires_at = now + _lifetime()


def load(token: str) -> User | None:
    """Flask-Login's user loader: the user whose live session this token is, else None."""
    if not isinstance(token, str) or not token or len(token) > _TOKEN_MAX:
        return None
    row = db.session.execute(
        select(User, UserSession.expires_at)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == _digest(token),
            UserSession.expires_at > utcnow(),
            UserSession.password_version == User.session_version,
        )
    ).first()
    if row is None:
        return None
    user, expires_at = row
    user.session_token = token
    user.session_expires_at = expires_at
    return user


def refresh() -> None:
    """Slide the current session's expiry forward (a before_request hook, so nothing else is pending
    and the commit carries only this)."""
    if request.endpoint is None or request.endpoint.endswith("static"):
        return
    if not current_user.is_authenticated:
        return
    now = utcnow()
    expires_at: datetime = current_user.session_expires_at
    if expires_at - now > _lifetime() - TOUCH_EVERY:
        return
    db.session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _digest(current_user.session_token))
        .values(expires_at=now + _lifetime())
    )
    db.session.commit()


def end_all(user: User) -> None:
    """Delete every session row of the account (after its password changed: they are dead anyway)."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


def discard_current() -> None:
    """Delete the server-side session this browser's cookie names, if any."""
    token = session.get("_user_id")
    if isinstance(token, str) and len(token) <= _TOKEN_MAX:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == _digest(token)))


def sign_out() -> None:
    """End this browser's session on the server, then forget it in the cookie."""
    discard_current()
    logout_user()
    session.clear()
