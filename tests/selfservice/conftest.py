"""Fixtures of the self-service tests: accounts with security answers, read back from the database."""
import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import User

ANSWERS = [("您母亲的姓名是？", "李梅"), ("您父亲的姓名是？", "陈强"), ("您的出生地是？", "广州")]


@pytest.fixture
def account_of(app):
    """`account_of("p_chen")` → the User row as stored now."""

    def read(login):
        with app.app_context():
            return db.session.scalar(select(User).where(User.login == login))

    return read


@pytest.fixture
def update_account(app):
    """`update_account("p_chen", must_change_password=True)`; `answers=ANSWERS` sets the 密保问题."""

    def update(login, answers=None, **values):
        with app.app_context():
            user = db.session.scalar(select(User).where(User.login == login))
            if answers:
                user.set_security_answers(answers)
            for key, value in values.items():
                setattr(user, key, value)
            db.session.commit()

    return update


@pytest.fixture
def with_answers(update_account):
    """p_chen has set the three 密保问题 of ANSWERS."""
    update_account("p_chen", answers=ANSWERS)
    return ANSWERS
