"""The owner is told of every password reset at their next sign-in (DESIGN §4), once."""
from flask import flash

from ..models import User
from ..workflows.accounts import take_reset_notice


def tell_owner_of_reset(user: User) -> None:
    """Flash who reset the password and when, if someone did since the last sign-in; the request commits."""
    notice = take_reset_notice(user)
    if notice:
        flash(notice, "warning")
