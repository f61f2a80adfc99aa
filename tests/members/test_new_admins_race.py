"""新增经办人 under races (tests/race.py: a committed database of its own, PostgreSQL or SQLite): the same
account registered twice at once, or the same person picked twice at once, leaves one account and one
binding, and the loser gets a Chinese refusal, not a database error."""
from datetime import date

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import Membership, Organisation, Person, User
from backoffice.policy import available_contexts, build_actor
from backoffice.validators import make_citizen_id
from backoffice.workflows import WorkflowError
from backoffice.workflows.members import ID_TAKEN_HERE, LOGIN_TAKEN_HERE, pick_member, register_member
from backoffice.workflows.registration import JUST_TAKEN

from race import at_once, drop_race_app, race_app

SHENZHEN = "深圳示范科技有限公司"


@pytest.fixture(scope="module")
def racing(tmp_path_factory):
    app = race_app(tmp_path_factory, "new_admins_race")
    yield app
    drop_race_app(app)


def _boss():
    user = db.session.scalar(select(User).where(User.login == "unit_b"))
    key = next(c.key for c in available_contexts(user) if c.label.startswith(SHENZHEN))
    actor = build_actor(user, key)
    return db.session.get(Organisation, actor.org_id), actor


def _register():
    org, actor = _boss()
    data = {"login": "racer_1", "real_name": "并发", "mobile": "13900001111", "id_type": "resident_id",
            "id_number": make_citizen_id("440305", date(1991, 1, 1), "331")}
    return register_member(org, data, "Racing2027q", actor).id


def _pick():
    org, actor = _boss()
    person = db.session.scalar(select(Person).where(Person.name == "刘文斌"))
    return pick_member(org, person, actor).id


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_one_account_registered_twice_at_once_is_registered_once(racing):
    results = at_once(racing, [_register, _register])
    won = [r for r in results if isinstance(r, int)]
    lost = [r for r in results if not isinstance(r, int)]
    assert len(won) == 1 and len(lost) == 1, results
    # the loser is refused either by the unique index (the winner not yet committed when it checked) or,
    # started a moment later, by the check before it (the winner's row already there): both in Chinese
    assert isinstance(lost[0], WorkflowError)
    assert str(lost[0]) in (JUST_TAKEN, LOGIN_TAKEN_HERE, ID_TAKEN_HERE), str(lost[0])
    assert _count(racing, User, User.login == "racer_1") == 1
    assert _count(racing, Membership, Membership.id == won[0]) == 1


def test_one_person_picked_twice_at_once_is_bound_once(racing):
    results = at_once(racing, [_pick, _pick])
    won = [r for r in results if isinstance(r, int)]
    lost = [r for r in results if not isinstance(r, int)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], WorkflowError) and "刘文斌（p_liu）" in str(lost[0])
    with racing.app_context():
        liu = db.session.scalar(select(User.id).where(User.login == "p_liu"))
    assert _count(racing, Membership, Membership.user_id == liu) == 1
