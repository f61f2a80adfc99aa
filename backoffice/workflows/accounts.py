"""Account operations shared by helpdesk, super admins and the account owner."""
import secrets
import string

from .. import audit
from ..extensions import db
from ..labels import AuditAction
from ..models import User
from ..validators import check_password

_ALPHABET = string.ascii_letters.replace("l", "").replace("I", "").replace("O", "") + "23456789"


def temporary_password(login: str | None = None) -> str:
    """A random 10-character password that satisfies the password policy (shown once, never stored)."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        if check_password(candidate, login) is None:
            return candidate


def reset_password(user: User, *, reason: str, by_whom: str) -> str:
    """Give the account a temporary password it must change at next sign-in; returns it to show once.

    Ends the account's other sessions (the session version moves) and clears a lockout.
    """
    password = temporary_password(user.login)
    with audit.audit_as(AuditAction.RESET_PASSWORD, f"{by_whom}重置密码：{user.login}；原因：{reason}"[:200]):
        user.set_password(password)
        user.must_change_password = True
        user.failed_logins = 0
        user.locked_until = None
        db.session.flush()
    return password
