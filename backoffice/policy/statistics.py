"""Who is counted in whose 继续教育综合统计 (issue 12 item 1). Like `scope.py`, the only place the report's
rows are chosen by role; `backoffice/reports/` only groups and counts what these conditions allow.

- HR: the organisations and people of its region subtree;
- industry: its 专业系列 in its region — the people of that series in the region's units, the units
  employing them, the institutions qualified (已通过) for the series, and its own department tree;
- unit: its own people (no organisation figures);
- anyone else: nothing.
"""
from sqlalchemy import ColumnElement, and_, false, or_, select

from ..labels import ActorKind, ApplicationStatus, OrgKind
from ..models import Organisation, Person, Qualification, Region
from .actor import Actor
from .scope import in_region, industry_subtree, people_by_unit, visible

REPORT_KINDS = (ActorKind.HR, ActorKind.INDUSTRY, ActorKind.UNIT)


def counted_people(actor: Actor, unit=None) -> ColumnElement[bool]:
    """The people whose figures the actor may see (the Person rule itself). `unit`: the person's unit when
    the statement joins it (an Organisation alias on `unit.id == Person.unit_id`), which the rule then
    reads instead of looking each person's unit up again (`scope.people_by_unit`)."""
    if actor.kind not in REPORT_KINDS:
        return false()
    return visible(Person, actor) if unit is None else people_by_unit(actor, unit)


def counted_organisations(actor: Actor) -> ColumnElement[bool]:
    """The organisations the actor's report counts (units, institutions, industry departments)."""
    if actor.kind == ActorKind.HR:
        return in_region(Organisation.region_code, actor)
    if actor.kind == ActorKind.INDUSTRY:
        units = select(Person.unit_id).where(visible(Person, actor))
        qualified = select(Qualification.institution_id).where(
            Qualification.series_id == actor.series_id, Qualification.status == ApplicationStatus.APPROVED
        )
        return and_(
            in_region(Organisation.region_code, actor),
            or_(
                and_(Organisation.kind == OrgKind.UNIT, Organisation.id.in_(units)),
                and_(Organisation.kind == OrgKind.INSTITUTION, Organisation.id.in_(qualified)),
                Organisation.id.in_(industry_subtree(actor)),
            ),
        )
    return false()


def region_in_scope(actor: Actor, region: Region) -> bool:
    """A region the actor may open its report at: its own region or one below it (HR, industry)."""
    if actor.kind not in (ActorKind.HR, ActorKind.INDUSTRY) or not actor.region_code:
        return False
    low, high = actor.region_bounds
    return low <= region.code <= high


def reviewers_in_scope(actor: Actor, reviewer) -> ColumnElement[bool]:
    """The reviewer organisations (an Organisation alias) whose backlog the actor's 审核积压统计 shows: HR —
    every organisation of its region (its own bureau, the bureaus and industry departments below, the
    units reviewing their people's records); industry — its own department tree."""
    if actor.kind == ActorKind.HR:
        return in_region(reviewer.region_code, actor)
    if actor.kind == ActorKind.INDUSTRY:
        return reviewer.id.in_(industry_subtree(actor))
    return false()
