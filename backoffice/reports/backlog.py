"""审核积压统计 (issue 12 item 2): what waits at each reviewer organisation of a supervisor's region.

One row per reviewer organisation with anything pending: the pending count of every review queue
(`todos.QUEUES` whose rows are routed to a reviewer), their sum and the longest wait in days. Each queue
is one GROUP BY reviewer through `todos.backlog` — the very query the reviewer's own 工作台 runs for
itself — for the reviewers `policy.statistics.reviewers_in_scope` allows. The rows are read as their
reviewer reads them (routed to it and within its reach), not in the supervisor's row scope: an
organisation's 信息修改 routed to a city bureau is no row the province may open, but it is in that
bureau's backlog, and the province sees the bureau's count, not the row. So a figure here is the
figure on that reviewer's 工作台 (tests/reports/test_backlog.py holds them equal).
"""
from sqlalchemy import select, true

from .. import todos
from ..extensions import db
from ..models import Organisation
from ..policy.actor import Actor
from ..policy.statistics import reviewers_in_scope
from .statistics import Figures, Table

TOTAL, DAYS = "waiting", "days"


def by_reviewer(actor: Actor) -> Table:
    """Reviewers sorted by their longest wait (then by name); columns: the queues with anything pending."""
    figures: dict[int, dict] = {}
    queues = [queue for queue in todos.QUEUES if queue.routed]
    for queue in queues:
        query = todos.backlog(queue, true(), reviewers_in_scope(actor, todos.REVIEWER))
        for reviewer_id, count, oldest in db.session.execute(query):
            row = figures.setdefault(reviewer_id, {TOTAL: 0, DAYS: 0})
            row[queue.code] = row.get(queue.code, 0) + count
            row[TOTAL] += count
            row[DAYS] = max(row[DAYS], todos.waited_days(oldest) or 0)
    names = dict(db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(list(figures)))
    ).all()) if figures else {}
    shown = [queue.code for queue in queues if any(queue.code in row for row in figures.values())]
    labels = {code: todos.label(code) for code in shown} | {TOTAL: "待审核合计", DAYS: "最长已等待（天）"}
    rows = [Figures(reviewer_id, names[reviewer_id], {code: values.get(code, 0) for code in [*shown, TOTAL, DAYS]})
            for reviewer_id, values in figures.items()]
    rows.sort(key=lambda row: (-row.days, row.label))
    return Table("各审核单位待审核事项", "审核单位", (*shown, TOTAL, DAYS), rows, labels=labels,
                 row_type=Figures)
