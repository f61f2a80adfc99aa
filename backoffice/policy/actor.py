"""Who is acting: the signed-in user plus the organisation (or person, or system role) chosen at login.

The choice lives in the signed session cookie as a small key ("m:<membership id>", "person",
"system"); it is re-validated against the database on every request, so revoking a membership or
an organisation takes effect at the next click.
"""
from dataclasses import dataclass, field

from flask import g, session
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..labels import ActorKind, ApplicationStatus, MembershipStatus, OrgKind
from ..models import Membership, Organisation, Person, User
from ..models.reference import subtree_bounds
from ..provinces import rules_for
from .modules import by_rules, modules_for

SESSION_KEY = "acting"


@dataclass(frozen=True)
class Context:
    """One way a user can act, as offered on the 选择单位 page."""

    key: str
    kind: str
    label: str


@dataclass(frozen=True)
class Actor:
    user_id: int
    kind: str
    label: str
    org_id: int | None = None
    membership_id: int | None = None
    person_id: int | None = None
    region_code: str | None = None
    region_level: str | None = None
    series_id: int | None = None
    # the region whose province's rules (backoffice/provinces.py) name the screens: the organisation's,
    # or a person's unit's; None for the system roles (the default rules)
    rules_region: str | None = None
    is_super_admin: bool = False
    org_approved: bool = True
    modules: frozenset[str] = field(default_factory=frozenset)

    @property
    def kind_label(self) -> str:
        return ActorKind.label(self.kind)

    @property
    def region_bounds(self) -> tuple[str, str]:
        assert self.region_code and self.region_level
        return subtree_bounds(self.region_code, self.region_level)

    def can_use(self, module: str) -> bool:
        return module in self.modules


def available_contexts(user: User) -> list[Context]:
    """Everything this user may act as, in a stable order."""
    if user.system_role:
        return [Context("system", user.system_role, ActorKind.label(user.system_role))]
    contexts = []
    memberships = db.session.scalars(
        select(Membership)
        .join(Membership.org)
        .where(
            Membership.user_id == user.id,
            Membership.status == MembershipStatus.ACTIVE,
            Organisation.active.is_(True),
        )
        .order_by(Organisation.name)
    )
    for m in memberships:
        contexts.append(Context(f"m:{m.id}", m.org.kind, f"{m.org.name}（{OrgKind.label(m.org.kind)}）"))
    person = db.session.scalar(select(Person.id).where(Person.user_id == user.id))
    if person is not None:
        contexts.append(Context("person", ActorKind.PERSON, f"个人（{user.real_name}）"))
    return contexts


def build_actor(user: User, key: str | None) -> Actor | None:
    """Resolve a context key for this user, or None when it is not (or no longer) theirs."""
    if key == "system" and user.system_role:
        return Actor(
            user_id=user.id,
            kind=user.system_role,
            label=ActorKind.label(user.system_role),
            modules=modules_for(user.system_role),
        )
    if key == "person":
        row = db.session.execute(
            select(Person, Organisation.region_code)
            .outerjoin(Organisation, Organisation.id == Person.unit_id)
            .where(Person.user_id == user.id)
        ).first()
        if row is None:
            return None
        person, unit_region = row
        return Actor(
            user_id=user.id,
            kind=ActorKind.PERSON,
            label=f"个人（{person.name}）",
            person_id=person.id,
            rules_region=unit_region,
            modules=modules_for(ActorKind.PERSON),
        )
    if key and key.startswith("m:") and key[2:].isascii() and key[2:].isdigit():
        m = db.session.scalar(
            select(Membership)
            .options(joinedload(Membership.org).joinedload(Organisation.region), selectinload(Membership.roles))
            .where(Membership.id == int(key[2:]), Membership.user_id == user.id)
        )
        if m is None or m.status != MembershipStatus.ACTIVE or not m.org.active:
            return None
        org = m.org
        approved = org.status == ApplicationStatus.APPROVED
        granted = {code for role in m.roles for code in (role.modules or [])}
        return Actor(
            user_id=user.id,
            kind=org.kind,
            label=org.name,
            org_id=org.id,
            membership_id=m.id,
            region_code=org.region_code,
            region_level=org.region.level,
            series_id=org.series_id,
            rules_region=org.region_code,
            is_super_admin=m.is_super_admin,
            org_approved=approved,
            modules=by_rules(modules_for(
                org.kind, is_super_admin=m.is_super_admin, granted=granted, org_approved=approved,
                level=org.level,
            ), rules_for(org.region_code), org.kind),
        )
    return None


def current_actor() -> Actor | None:
    """The acting identity of this request (cached on `g`), or None when not signed in or not chosen."""
    if "actor" not in g:
        actor = None
        if current_user.is_authenticated:
            actor = build_actor(current_user, session.get(SESSION_KEY))
        g.actor = actor
    return g.actor


def act_as(key: str) -> Actor | None:
    """Switch the session to another of the user's contexts; None if it isn't theirs."""
    actor = build_actor(current_user, key)
    if actor is not None:
        session[SESSION_KEY] = key
        g.actor = actor
    return actor
