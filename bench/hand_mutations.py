"""Re-check the gaps of issue 14 by hand: apply each deliberate bug, run the oracle tests, expect red,
put the file back. `.venv/bin/python bench/hand_mutations.py` (about half a minute per gap on 2 idle
cores); the result table goes into docs/testing.md. It edits the working tree while it runs: do not
run tests or commit meanwhile.

Each gap is a plain text replacement, so the bug is the one described and nothing else; a gap whose
text is no longer found is reported as such (the code moved: update the gap, do not drop it).
"""
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCOPE = "tests/oracle/test_scope_oracle.py"
SCREENS = "tests/oracle/test_view_oracle.py"
GUARDS = "tests/oracle/test_guards.py"
BASE = "tests/oracle/test_view_base.py"
ALL = [SCOPE, SCREENS, GUARDS, BASE]

# what, file, text, replacement (the tests run: every oracle module; -x stops at the first failure)
GAPS = [
    (
        "visible() no longer deny-by-default for a model without a rule",
        "backoffice/policy/scope.py",
        "    if actor is None or model not in _RULES:\n        return false()\n    return _RULES[model](actor)",
        "    if actor is None:\n        return false()\n    return _RULES[model](actor) if model in _RULES else true()",
    ),
    (
        "HR also sees persons with no unit (any region)",
        "backoffice/policy/scope.py",
        "    if actor.kind == ActorKind.HR:\n        return Person.unit_id.in_(orgs_in_region(actor, OrgKind.UNIT))",
        "    if actor.kind == ActorKind.HR:\n"
        "        return or_(Person.unit_id.in_(orgs_in_region(actor, OrgKind.UNIT)), Person.unit_id.is_(None))",
    ),
    (
        "a person sees every person of their unit",
        "backoffice/policy/scope.py",
        "    if actor.kind == ActorKind.PERSON:\n        return Person.id == actor.person_id\n",
        "    if actor.kind == ActorKind.PERSON:\n"
        "        from sqlalchemy.orm import aliased\n"
        "        me = aliased(Person)\n"
        "        return or_(Person.id == actor.person_id,"
        " Person.unit_id == select(me.unit_id).where(me.id == actor.person_id).scalar_subquery())\n",
    ),
    (
        "any organisation sees every OrgChange (and so its attachments)",
        "backoffice/policy/scope.py",
        "        return or_(OrgChange.org_id == actor.org_id, OrgChange.reviewer_org_id == actor.org_id)",
        "        return true()",
    ),
    (
        "HR sees transfers of any region",
        "backoffice/policy/scope.py",
        "        return or_(Transfer.from_unit_id.in_(units), Transfer.to_unit_id.in_(units))",
        "        return true()",
    ),
    (
        "a unit sees any PersonChange",
        "backoffice/policy/scope.py",
        "        return PersonChange.reviewer_org_id == actor.org_id",
        "        return true()",
    ),
    (
        "a person sees every 失信 entry",
        "backoffice/policy/scope.py",
        "        return Dishonesty.person_id == actor.person_id",
        "        return true()",
    ),
    (
        "an organisation sees every user",
        "backoffice/policy/scope.py",
        "        return User.id.in_(members)",
        "        return true()",
    ),
    (
        "an organisation sees every ReviewLog",
        "backoffice/policy/scope.py",
        "        return ReviewLog.reviewer_org_id == actor.org_id",
        "        return true()",
    ),
    (
        "专业技术人员信息维护 without its confirmed-only filter",
        "backoffice/views/person.py",
        "        return and_(super().scope(), Person.binding_status == BindingStatus.CONFIRMED)",
        "        return super().scope()",
    ),
    (
        "the row count no longer scoped (the pager counts other organisations' rows)",
        "backoffice/views/base.py",
        "        return db.session.query(func.count(\"*\")).select_from(self.model).filter(self.scope())",
        "        return db.session.query(func.count(\"*\")).select_from(self.model)",
    ),
    (
        "the still-visible check on save removed",
        "backoffice/views/base.py",
        "        if still_visible is None:",
        "        if False:",
    ),
    (
        "the review decision UPDATE without its reviewer_org_id condition",
        "backoffice/workflows/review.py",
        "            model.status == ApplicationStatus.PENDING,\n            model.reviewer_org_id == actor.org_id,\n",
        "            model.status == ApplicationStatus.PENDING,\n",
    ),
    (
        "super-admin-only modules grantable through roles",
        "backoffice/policy/modules.py",
        "if m.code in granted and not m.super_admin_only)",
        "if m.code in granted)",
    ),
    (
        "either unit may decide or cancel a transfer",
        "backoffice/workflows/transfers.py",
        "Transfer.status == TransferStatus.PENDING, side == actor.org_id)",
        "Transfer.status == TransferStatus.PENDING,"
        " (Transfer.from_unit_id == actor.org_id) | (Transfer.to_unit_id == actor.org_id))",
    ),
    (
        "a unit confirms a person who waits for another unit",
        "backoffice/workflows/people.py",
        "            Person.id == person.id,\n            Person.unit_id == actor.org_id,\n"
        "            Person.binding_status == BindingStatus.PENDING,",
        "            Person.id == person.id,\n            Person.binding_status == BindingStatus.PENDING,",
    ),
    (
        "releasing a person whose transfer is pending",
        "backoffice/workflows/people.py",
        "    if busy is not None:",
        "    if False:",
    ),
    (
        "approving a key-field change after the person was re-bound elsewhere",
        "backoffice/workflows/people.py",
        "    if person.unit_id != actor.org_id or not person.is_confirmed:",
        "    if not person.is_confirmed:",
    ),
]


def order(path: str) -> list[str]:
    """The oracle modules, the one most likely to catch a bug in `path` first."""
    first = {"backoffice/policy/scope.py": SCOPE, "backoffice/views/person.py": SCREENS,
             "backoffice/views/base.py": SCREENS}.get(path, GUARDS)
    return [first, *(m for m in ALL if m != first)]


def run(tests: list[str]) -> bool:
    """True when the tests pass."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    return result.returncode == 0


def main() -> int:
    # a stopped run must still put the file back: SIGTERM unwinds through the `finally` below
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if not run(ALL):
        print("the tests fail without any mutation: fix them first")
        return 1
    missed = 0
    for what, path, text, replacement in GAPS:
        file = ROOT / path
        original = file.read_text()
        if original.count(text) != 1:
            print(f"?? text not found once in {path}: {what}")
            missed += 1
            continue
        file.write_text(original.replace(text, replacement))
        try:
            caught = not run(order(path))
        finally:
            file.write_text(original)
        missed += not caught
        print(f"{'caught' if caught else 'MISSED':7} {what} ({path})")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
