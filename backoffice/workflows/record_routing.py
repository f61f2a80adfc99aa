"""Who recognises a 继续教育记录 (DESIGN §3): the review chain per source and province, as data. No screen or
other workflow looks for a record's reviewer itself.

A chain is a tuple of steps; each step is one 审批流程 row and names who decides there:

- `UNIT` — the person's unit (继续教育记录认定, 000 §1.6.3), while the person is confirmed there;
- `REGION_HR` — the HR organisation of that unit's region, nearest up (Henan, 002: 学时学分审批 by 人社).

The province's rule (`provinces.rules_for(unit region).record_chain`) picks the chain: `unit` (Guangdong,
the unit only) or `unit_then_hr` (Henan). The chain is fixed per step as the record moves: a record
already waiting keeps the reviewer it was routed to when its rule changes. A step whose reviewer is the
declarer itself — a unit declaring for its own people — is that declarer's 确认 at 送审 and is passed at
once (`workflows/declarations.py`). Two steps in a row with the same reviewer (an HR employing staff of its own, Henan: its 学时学分审批 and the region HR's are
the same organisation) are one step.
"""
from dataclasses import dataclass

from ..extensions import db
from ..labels import BindingStatus, RecordChain
from ..models import Organisation, Person, Record
from ..provinces import rules_for
from .orgs import hr_for_region
from .review import ReviewError

UNIT = "unit"
REGION_HR = "region_hr"

#: 审核环节 as the 审批流程 shows it
STEP_NAMES = {
    UNIT: "继续教育记录认定",
    REGION_HR: "学时学分审批（人社部门）",
}

#: the province rule's record chain → its steps (the same for every source of record)
CHAINS: dict[str, tuple[str, ...]] = {
    RecordChain.UNIT: (UNIT,),
    RecordChain.UNIT_THEN_HR: (UNIT, REGION_HR),
}


@dataclass(frozen=True)
class Step:
    key: str
    org: Organisation

    @property
    def name(self) -> str:
        return STEP_NAMES[self.key]


def person_unit(person: Person) -> Organisation:
    """The unit recognising a person's records: where they are confirmed, or ReviewError."""
    if person.unit_id is None or person.binding_status != BindingStatus.CONFIRMED:
        raise ReviewError(f"{person.name}尚未确认到工作单位，没有可认定学时的单位，暂不能送审")
    # through the relationship, which holds the unit: a `session.get` by id found it gone from the
    # session's (weak) identity map on every record of a batch, and read it again (1,000 statements
    # in a 批量审核 of 1,000). By id still when the relationship lags a unit_id changed in this session.
    unit = person.unit
    return unit if unit is not None and unit.id == person.unit_id else db.session.get(Organisation, person.unit_id)


def chain_keys(record: Record, unit: Organisation) -> tuple[str, ...]:
    return CHAINS[rules_for(unit.region_code).record_chain]


def _resolve(key: str, unit: Organisation) -> Organisation:
    if key == UNIT:
        return unit
    hr = hr_for_region(unit.region_code)
    if hr is None:
        raise ReviewError("所在地区没有已开通的人社部门，暂不能送审，请联系上级人社部门")
    return hr


def chain(record: Record) -> list[Step]:
    """Every step of the record's chain with its reviewer, first step first."""
    unit = person_unit(db.session.get(Person, record.person_id))
    steps: list[Step] = []
    for key in chain_keys(record, unit):
        step = Step(key, _resolve(key, unit))
        # an employer that is the HR of its own region (Henan: an HR's own staff, issue 13 item 2) would
        # approve the same record twice in a row: its 学时学分审批 is the whole chain
        if not steps or steps[-1].org.id != step.org.id:
            steps.append(step)
    return steps


def next_step(record: Record) -> dict | None:
    """`Flow.route_on` of records: after 同意 at the step the record waits at, the values routing it to the
    next step, or None when that was the last."""
    steps = chain(record)
    keys = [step.key for step in steps]
    here = keys.index(record.review_step) if record.review_step in keys else 0
    if here + 1 >= len(steps):
        return None
    following = steps[here + 1]
    return {"reviewer_org_id": following.org.id, "review_step": following.key}


def step_name(record: Record) -> str:
    return STEP_NAMES.get(record.review_step or UNIT, STEP_NAMES[UNIT])
