"""培训计划统计 (issue 12 item 2): a year's 专业课计划 and their 培训班 per organiser and status, with the
classes' volume and pass rate, in SQL.

Rows are the organisers (施教机构, 行业主管部门, 单位 owning plans) of the plans the actor may see — the
Plan scope rule itself (`policy.visible`): HR the submitted plans of its region's organisations, industry
those of its series in its region and the ones routed to it, an organiser its own. Drafts are not plans
yet and are not counted. Three GROUP BYs — plans (organiser × 审核状态), classes (organiser × 班级状态,
with the 报名成功 count), results (organiser: 考核人数, 合格人数) — and the organisers' names.
"""
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from ..extensions import db
from ..labels import ApplicationStatus, ClassStatus, ExamResult
from ..models import Enrolment, Organisation, Plan, TrainingClass
from ..policy import visible
from ..policy.actor import Actor
from .statistics import Figures, Table

PLAN_STATES = [s for s, _ in ApplicationStatus.choices() if s != ApplicationStatus.DRAFT]
CLASS_STATES = [s for s, _ in ClassStatus.choices()]
LABELS = (
    {f"plan_{s}": f"计划{label}" for s, label in ApplicationStatus.choices() if s != ApplicationStatus.DRAFT}
    | {"classes": "培训班数"}
    | {f"class_{s}": f"班级{label}" for s, label in ClassStatus.choices()}
    | {"enrolled": "报名成功人数", "examined": "考核人数", "passed": "合格人数", "rate": "合格率（%）"}
)
COLUMNS = tuple(LABELS)


class PlanRow(Figures):
    """An organiser's figures; 合格率 = 合格人数 ÷ 考核人数, derived (never summed)."""

    @property
    def rate(self) -> Decimal | None:
        if not self.examined:
            return None
        return (Decimal(self.passed) * 100 / self.examined).quantize(Decimal("0.1"), ROUND_HALF_UP)


def by_organiser(actor: Actor, year: int) -> Table:
    """One row per organiser with a submitted plan of `year`, by name."""
    plans = (Plan.year == year, Plan.status != ApplicationStatus.DRAFT, visible(Plan, actor))
    figures: dict[int, dict] = {}

    def add(owner, name, value):
        row = figures.setdefault(owner, {})
        row[name] = row.get(name, 0) + (value or 0)

    for owner, status, count in db.session.execute(
        select(Plan.owner_org_id, Plan.status, func.count()).where(*plans).group_by(Plan.owner_org_id, Plan.status)
    ):
        add(owner, f"plan_{status}", count)
    for owner, status, count, enrolled in db.session.execute(
        select(Plan.owner_org_id, TrainingClass.status, func.count(), func.sum(TrainingClass.enrolled_count))
        .join(Plan, Plan.id == TrainingClass.plan_id).where(*plans)
        .group_by(Plan.owner_org_id, TrainingClass.status)
    ):
        add(owner, f"class_{status}", count)
        add(owner, "classes", count)
        add(owner, "enrolled", enrolled)
    for owner, examined, passed in db.session.execute(
        select(Plan.owner_org_id, func.count(), func.count().filter(Enrolment.result == ExamResult.PASS))
        .select_from(Enrolment).join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .join(Plan, Plan.id == TrainingClass.plan_id)
        .where(*plans, Enrolment.result.is_not(None)).group_by(Plan.owner_org_id)
    ):
        add(owner, "examined", examined)
        add(owner, "passed", passed)
    names = dict(db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(list(figures)))
    ).all()) if figures else {}
    counted = [c for c in COLUMNS if c != "rate"]
    rows = [PlanRow(owner, names[owner], {c: values.get(c, 0) for c in counted}) for owner, values in figures.items()]
    rows.sort(key=lambda row: row.label)
    return Table(f"{year}年度专业课计划和培训班（按举办单位）", "举办单位", COLUMNS, rows, labels=LABELS,
                 row_type=PlanRow)
