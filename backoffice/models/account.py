"""Personal accounts. Organisations never sign in themselves: their operators do (经办人)."""
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import Boolean, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..labels import DictionaryCategory, SystemRole
from .base import Timestamps, in_choices, utcnow

#: werkzeug's scrypt (N=32768, r=8, p=1: about 0.1 s a hash on these machines), unless the app's
#: PASSWORD_HASH_METHOD says otherwise (the test suite's cheaper scrypt; config.py)
DEFAULT_HASH_METHOD = "scrypt"


def hash_method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", DEFAULT_HASH_METHOD) if has_app_context() \
        else DEFAULT_HASH_METHOD


def hash_secret(secret: str) -> str:
    """A password's or a security answer's hash; checking reads the method from the hash itself."""
    return generate_password_hash(secret, method=hash_method())


class User(Timestamps, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (
        UniqueConstraint("id_type", "id_number"),
        in_choices("system_role", SystemRole),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(30), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    real_name: Mapped[str] = mapped_column(String(50), index=True)
    mobile: Mapped[str | None] = mapped_column(String(11), index=True)
    country: Mapped[str] = mapped_column(String(20), default="中国")
    id_type: Mapped[str] = mapped_column(
        String(20), default="resident_id", info={"dictionary": DictionaryCategory.ID_TYPE}
    )
    id_number: Mapped[str] = mapped_column(String(30))  # immutable after registration
    email: Mapped[str | None] = mapped_column(String(100))
    question1: Mapped[str | None] = mapped_column(String(20))
    answer1_hash: Mapped[str | None] = mapped_column(String(255))
    question2: Mapped[str | None] = mapped_column(String(20))
    answer2_hash: Mapped[str | None] = mapped_column(String(255))
    question3: Mapped[str | None] = mapped_column(String(20))
    answer3_hash: Mapped[str | None] = mapped_column(String(255))

    system_role: Mapped[str | None] = mapped_column(String(10))
    real_name_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Bumped on every password change or reset: sessions opened under an older value stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=0)
    # Who reset the password (e.g. "广州示范大学", "客服") and when: told to the owner at their next
    # sign-in, then cleared (DESIGN §4: the owner is told of every reset).
    password_reset_by: Mapped[str | None] = mapped_column(String(100))
    password_reset_at: Mapped[datetime | None] = mapped_column(DateTime)

    memberships: Mapped[list["Membership"]] = relationship(back_populates="user")  # noqa: F821

    # Flask-Login protocol. The id Flask-Login keeps in the cookie is the random token of a server-side
    # session (auth/sessions.py), set on the instance at sign-in or when the session is loaded.
    is_anonymous = False
    session_token = None  # str while signed in
    session_expires_at = None  # datetime while signed in

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str | None:
        return self.session_token

    def set_password(self, password: str) -> None:
        self.password_hash = hash_secret(password)
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @staticmethod
    def _answer_key(answer: str) -> str:
        return "".join((answer or "").split()).casefold()

    def set_security_answers(self, pairs: list[tuple[str, str]]) -> None:
        """Three (question, answer) pairs; answers are hashed like passwords, ignoring spaces and case."""
        for n, (question, answer) in enumerate(pairs, start=1):
            setattr(self, f"question{n}", question)
            setattr(self, f"answer{n}_hash", hash_secret(self._answer_key(answer)))

    def check_security_answers(self, answers: list[str]) -> bool:
        """True only when every question is set and every answer matches."""
        hashes = [self.answer1_hash, self.answer2_hash, self.answer3_hash]
        if len(answers) != 3 or not all(hashes):
            return False
        return all(
            check_password_hash(h, self._answer_key(a)) for h, a in zip(hashes, answers, strict=True)
        )

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    def __str__(self) -> str:
        return f"{self.real_name}（{self.login}）"
