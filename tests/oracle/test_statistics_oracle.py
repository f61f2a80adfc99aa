"""Who is counted in whose statistics (policy/statistics.py), written by hand like the scope oracle: the
organisations and people of 继续教育综合统计, the regions a report opens at and the reviewers of 审核积压统计.

HR counts every organisation of its region subtree; an industry department the units employing people
of its series in its region, the institutions qualified (已通过) for its series there, and its own
department tree; nobody else counts organisations. People are the Person rule's for HR, industry and
units, and nobody's for institutions, persons and the system roles.
"""
import pytest

from backoffice.extensions import db
from backoffice.models import Organisation, Person, Region
from backoffice.policy.statistics import (
    counted_organisations,
    counted_people,
    region_in_scope,
    reviewers_in_scope,
)
from test_scope_oracle import PERSON
from world import IDENTITIES, visible_keys


def _s(text: str) -> frozenset:
    return frozenset(text.split())


NONE = frozenset()
GUANGDONG = _s(
    "or_hr_p or_hr_gz or_hr_sz or_ind_p_a or_ind_p_b or_ind_gz_a or_ind_gz_b or_ind_sz_a or_unit_gz1 "
    "or_unit_gz2 or_unit_gz_new or_unit_gz_ret or_unit_gz_draft or_unit_gz_up or_unit_sz or_unit_p or_inst_p "
    "or_inst_gz or_ind_sz_none"
)
GUANGZHOU = _s(
    "or_hr_gz or_ind_gz_a or_ind_gz_b or_unit_gz1 or_unit_gz2 or_unit_gz_new or_unit_gz_ret or_unit_gz_draft "
    "or_unit_gz_up or_inst_gz"
)
HR_REGIONS = {
    "hr_p": GUANGDONG,
    "hr_gz": GUANGZHOU,
    "hr_sz": _s("or_hr_sz or_ind_sz_a or_unit_sz or_ind_sz_none"),
    "hr_o": _s("or_hr_o or_hr_oc or_ind_o or_unit_oc or_inst_oc"),
    "hr_oc": _s("or_hr_oc or_unit_oc or_inst_oc"),
}
COUNTED_ORGANISATIONS = {
    **dict.fromkeys(IDENTITIES, NONE),
    **HR_REGIONS,
    # series 甲 in the province: the units of its people (广州 1 and 2, 深圳, the province's), the province
    # institution qualified for 甲 (广州's waits), every 甲 department whatever its state
    "ind_p": _s("or_unit_gz1 or_unit_gz2 or_unit_sz or_unit_p or_inst_p or_ind_p_a or_ind_gz_a or_ind_sz_a"),
    # in 广州 only: the province's institution lies outside its region
    "ind_gz": _s("or_unit_gz1 or_unit_gz2 or_ind_gz_a"),
    # 神谕省: its series' people work at the unit, the city HR and the institution; only the unit is
    # counted as a unit, the institution has no qualification
    "ind_o": _s("or_unit_oc or_ind_o"),
    # of no series: no people and no qualification of its series anywhere, only its own department tree
    "ind_none": _s("or_ind_sz_none"),
}
COUNTED_PEOPLE = {
    **dict.fromkeys(IDENTITIES, NONE),
    **{who: PERSON[who] for who in ("hr_p", "hr_gz", "hr_sz", "ind_p", "ind_gz", "unit_gz1", "unit_sz",
                                    "multi_gz1", "multi_gz2", "hr_o", "hr_oc", "ind_o", "unit_oc")},
}
REVIEWERS = {
    **dict.fromkeys(IDENTITIES, NONE),
    **HR_REGIONS,
    "ind_p": _s("or_ind_p_a or_ind_gz_a or_ind_sz_a"),
    "ind_gz": _s("or_ind_gz_a"),
    "ind_o": _s("or_ind_o"),
    "ind_none": _s("or_ind_sz_none"),
}
#: the regions a report may be opened at, per identity; every other identity none
REGIONS = {
    "hr_p": {"440000", "440100", "440106", "440300", "440305"},
    "hr_gz": {"440100", "440106"},
    "hr_sz": {"440300", "440305"},
    "ind_p": {"440000", "440100", "440106", "440300", "440305"},
    "ind_gz": {"440100", "440106"},
    "hr_o": {"490000", "490100"},
    "hr_oc": {"490100"},
    "ind_o": {"490000", "490100"},
    "ind_none": {"440300", "440305"},
}
ASKED = ("440000", "440100", "440106", "440300", "440305", "490000", "490100")


@pytest.mark.parametrize("who", list(IDENTITIES))
def test_counted_organisations(app, world, who):
    with app.app_context():
        seen = visible_keys(world, Organisation, counted_organisations(world.actors[who]))
    expected = COUNTED_ORGANISATIONS[who]
    assert seen == expected, f"too wide: {sorted(seen - expected)}; too narrow: {sorted(expected - seen)}"


@pytest.mark.parametrize("who", list(IDENTITIES))
def test_counted_people(app, world, who):
    with app.app_context():
        seen = visible_keys(world, Person, counted_people(world.actors[who]))
    expected = COUNTED_PEOPLE[who]
    assert seen == expected, f"too wide: {sorted(seen - expected)}; too narrow: {sorted(expected - seen)}"


@pytest.mark.parametrize("who", list(IDENTITIES))
def test_reviewers_of_the_backlog(app, world, who):
    with app.app_context():
        seen = visible_keys(world, Organisation, reviewers_in_scope(world.actors[who], Organisation))
    expected = REVIEWERS[who]
    assert seen == expected, f"too wide: {sorted(seen - expected)}; too narrow: {sorted(expected - seen)}"


@pytest.mark.parametrize("who", list(IDENTITIES))
def test_regions_a_report_opens_at(app, world, who):
    with app.app_context():
        actor = world.actors[who]
        opened = {code for code in ASKED if region_in_scope(actor, db.session.get(Region, code))}
    assert opened == REGIONS.get(who, set())
