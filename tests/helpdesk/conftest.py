"""Fixtures of the helpdesk tests: a signed-in 运维 / 客服 who finds accounts the way a clerk does."""
import re

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Membership, Organisation, Person, User

DETAILS_RE = re.compile(r"/admin/accounts/details/\?id=(\d+)")


@pytest.fixture
def helpdesk(login_as):
    return login_as("helpdesk")


@pytest.fixture
def account_of(app):
    """`account_of("p_chen")` → the User row (read in its own app context)."""

    def read(login):
        with app.app_context():
            return db.session.scalar(select(User).where(User.login == login))

    return read


@pytest.fixture
def find_account():
    """Search 账号查询 for `text` and return the ids of the accounts listed."""

    def search(client, text):
        page = client.get("/admin/accounts/", query_string={"search": text}).get_data(as_text=True)
        return [int(i) for i in dict.fromkeys(DETAILS_RE.findall(page))]

    return search


@pytest.fixture
def membership_id(app):
    def read(login, org_name):
        with app.app_context():
            return db.session.scalar(
                select(Membership.id).join(Membership.user).join(Membership.org)
                .where(User.login == login, Organisation.name == org_name)
            )

    return read


@pytest.fixture
def person_of(app):
    def read(login):
        with app.app_context():
            person = db.session.scalar(select(Person).join(User, User.id == Person.user_id).where(User.login == login))
            return person.unit.name if person.unit else None, person.binding_status

    return read
