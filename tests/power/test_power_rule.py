"""The account-power rule called directly (policy and workflows), with actors that must be refused:
whatever a screen shows or hides, neither layer lets a reset reach further than the resetter's power."""
import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import BindingStatus, MembershipStatus
from backoffice.models import Membership, Organisation, Person, User
from backoffice.policy import available_contexts, build_actor, power, reset_refusal
from backoffice.workflows import WorkflowError
from backoffice.workflows import accounts, members
from backoffice.workflows.people import OTHER_UNIT, SELF_REGISTERED, WAITING_HERE, takeover_refusal

from power_helpers import HOSPITAL, SHENZHEN, UNIVERSITY, give_person


def _user(login):
    return db.session.scalar(select(User).where(User.login == login))


def _actor(login, org_name=None):
    """The actor `login` becomes after choosing `org_name` (or its only context)."""
    user = _user(login)
    contexts = available_contexts(user)
    key = next(c.key for c in contexts if org_name is None or c.label.startswith(org_name))
    return build_actor(user, key)


def _membership(login, org_name):
    return db.session.scalar(
        select(Membership).join(Organisation, Organisation.id == Membership.org_id)
        .where(Membership.user_id == _user(login).id, Organisation.name == org_name)
    )


REFUSED = [
    # (resetter, acting as, account, the reason)
    ("helpdesk", None, "admin", power.SYSTEM_ACCOUNT),
    ("helpdesk", None, "helpdesk", power.SELF),
    ("unit_c", None, "unit_a", power.OTHER_ORG),  # chain (a): the hospital and the university's super admin
    ("unit_c", None, "admin", power.SYSTEM_ACCOUNT),
    ("unit_a", UNIVERSITY, "unit_a", power.SELF),
    ("unit_a", UNIVERSITY, "p_new", power.WAITING),  # only 待单位确认
    ("unit_a", UNIVERSITY, "p_liu", power.NOT_CONFIRMED_HERE),
    ("unit_a", HOSPITAL, "p_chen", power.NOT_CONFIRMED_HERE),  # an ordinary member of the hospital
    ("unit_a", UNIVERSITY, "unit_b", power.OTHER_ORG),
    ("gz_hr", None, "p_liu", power.NOT_IN_REGION),  # 深圳 is not 广州
    ("gz_hr", None, "p_new", power.NOT_IN_REGION),
    ("gz_hr", None, "unit_a", power.OTHER_ORG),
    ("gz_edu", None, "p_chen", power.NO_PEOPLE_RESET),
    ("inst_a", None, "p_chen", power.NO_POWER),
    ("admin", None, "p_chen", power.NO_POWER),
    ("p_chen", None, "p_new", power.NO_POWER),
]


@pytest.mark.parametrize("resetter, org, login, reason", REFUSED)
def test_the_rule_refuses_accounts_beyond_the_resetters_power(app, resetter, org, login, reason):
    with app.test_request_context():
        actor, user = _actor(resetter, org), _user(login)
        assert reset_refusal(actor, user) == reason
        before = user.password_hash
        with pytest.raises(WorkflowError, match=reason):
            accounts.reset_password(user, actor, reason="越权测试")
        assert user.password_hash == before and user.password_reset_at is None
        db.session.rollback()


ALLOWED = [
    ("helpdesk", None, "gz_hr"),
    ("helpdesk", None, "unit_a"),
    ("helpdesk", None, "p_chen"),
    ("unit_a", UNIVERSITY, "p_chen"),
    ("gz_hr", None, "p_chen"),
    ("gd_hr", None, "p_liu"),  # the province reaches 深圳
]


@pytest.mark.parametrize("resetter, org, login", ALLOWED)
def test_the_rule_allows_accounts_within_the_resetters_power(app, resetter, org, login):
    with app.test_request_context():
        actor, user = _actor(resetter, org), _user(login)
        assert reset_refusal(actor, user) is None
        assert accounts.reset_password(user, actor, reason="本人来电")
        assert user.must_change_password and user.password_reset_by == power.reset_label(actor)
        db.session.rollback()


def test_nobody_acting_resets_nothing(app):
    with app.test_request_context():
        assert reset_refusal(None, _user("p_chen")) == power.NO_POWER


def test_the_member_workflow_holds_the_rule_too(app):
    """单位经办人员 → 重置密码 called directly: the hospital's super admin on unit_a's binding."""
    with app.test_request_context():
        hospital, unit_a = _actor("unit_c"), _membership("unit_a", HOSPITAL)
        before = unit_a.user.password_hash
        with pytest.raises(WorkflowError, match=power.OTHER_ORG):
            members.reset_member_password(unit_a, hospital)
        assert unit_a.user.password_hash == before
        db.session.rollback()


def test_an_organisation_resets_a_member_whose_whole_power_is_its_own(app):
    """A member with no other binding and, if any, a person record confirmed at the same organisation."""
    give_person(app, "unit_d", HOSPITAL, BindingStatus.CONFIRMED)
    with app.test_request_context():
        hospital = _actor("unit_c")
        invited = _membership("unit_d", HOSPITAL)
        # unit_d still runs his own (pending) 广州示范科技学校: beyond the hospital
        assert reset_refusal(hospital, invited.user) == power.OTHER_ORG
        own = _membership("unit_d", "广州示范科技学校")
        own.status = MembershipStatus.REMOVED
        db.session.flush()
        # only the hospital's invitation is left, but he has not accepted it
        assert reset_refusal(hospital, invited.user) == power.NOT_ACCEPTED
        invited.status = MembershipStatus.ACTIVE
        db.session.flush()
        assert reset_refusal(hospital, invited.user) is None
        # an ordinary operator of the hospital does not hold the members' power
        assert reset_refusal(_actor("unit_a", HOSPITAL), invited.user) == power.OWN_MEMBER
        person = db.session.scalar(select(Person).where(Person.user_id == invited.user_id))
        person.binding_status = BindingStatus.PENDING
        db.session.flush()
        assert reset_refusal(hospital, invited.user) == power.PERSON_ELSEWHERE
        db.session.rollback()


def test_may_reset_people_is_for_units_and_hr_only(app):
    with app.test_request_context():
        assert power.may_reset_people(_actor("unit_b")) and power.may_reset_people(_actor("gz_hr"))
        for login in ("gz_edu", "inst_a", "helpdesk", "admin", "p_chen"):
            assert not power.may_reset_people(_actor(login)), login
        assert not power.may_reset_people(None)


def test_the_takeover_rule(app):
    with app.test_request_context():
        university = db.session.scalar(select(Organisation.id).where(Organisation.name == UNIVERSITY))
        shenzhen = db.session.scalar(select(Organisation.id).where(Organisation.name == SHENZHEN))
        chen = db.session.scalar(select(Person).where(Person.name == "陈诗慧"))
        new = db.session.scalar(select(Person).where(Person.name == "王新"))
        assert takeover_refusal(chen, university) is None  # its own member: not a takeover
        assert takeover_refusal(chen, shenzhen) == OTHER_UNIT
        assert takeover_refusal(new, university) == WAITING_HERE
        assert takeover_refusal(new, shenzhen) == OTHER_UNIT
        chen.unit_id, chen.binding_status = None, BindingStatus.RELEASED
        assert takeover_refusal(chen, shenzhen) == SELF_REGISTERED  # released, but owns an account
        chen.user_id = None
        assert takeover_refusal(chen, shenzhen) is None  # nobody holds the record
        db.session.rollback()
