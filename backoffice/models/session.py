"""What a signed cookie alone cannot take back: sign-in sessions and spent captchas.

The cookie is signed, not stored: once copied it stays valid until it expires. These rows make the
server the judge. A session ends when its row is gone (logout), stale (`expires_at`) or older than the
account's password (`password_version` ≠ `User.session_version`). A captcha is spent when its nonce is
in `used_captcha`; the primary key refuses a second use, in any worker.
"""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class UserSession(db.Model):
    __tablename__ = "user_session"

    # SHA-256 of the random token the cookie carries: the table alone opens no session.
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    password_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Slides forward while the session is used (see auth/sessions.py).
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class UsedCaptcha(db.Model):
    __tablename__ = "used_captcha"

    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    # After this the captcha is refused by its age anyway, so the row can go.
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
