"""Demo certificates (issue 11 item 12), called by `demo.seed_demo` after the verified year is seeded:
广州示范大学 has printed 陈诗慧's certificate of last year, through the workflow (so its number, figures
and 操作日志 row are the real ones). Idempotent: a person-year with a 有效 certificate is left alone."""

from sqlalchemy import select

from .clock import beijing_today
from .extensions import db
from .models import Organisation, Person, User
from .policy import available_contexts, build_actor
from .workflows.certificates import certificate_for

PRINTED = [("陈诗慧", "unit_a", "广州示范大学")]


def seed_certificates(orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    year = beijing_today().year - 1
    for name, login, org_name in PRINTED:
        person = db.session.scalar(select(Person).where(Person.name == name))
        user = users[login]
        key = next(c.key for c in available_contexts(user) if c.label.startswith(org_name))
        certificate_for(person, year, build_actor(user, key))
