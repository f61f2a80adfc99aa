"""What every screen does with a workflow call: run it, commit once, and turn a refusal into a message;
and batch actions the way STYLE.md has them."""
from flask import flash
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..policy import current_actor
from ..workflows import CLASH, BatchOutcome, WorkflowError, each_row


class Refusal(str):
    """The message of a refused workflow call (a distinct type: a call may itself return a str)."""


def attempt_quietly(operation):
    """Run one workflow call and commit; on refusal roll back and return its `Refusal`."""
    try:
        result = operation()
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        return Refusal(error)
    except IntegrityError:  # someone else saved the same thing a moment earlier
        db.session.rollback()
        return Refusal(CLASH)
    return result if result is not None else True


def attempt(operation):
    """Like `attempt_quietly`, but flash the refusal and return False."""
    result = attempt_quietly(operation)
    if isinstance(result, Refusal):
        flash(result, "error")
        return False
    return result


class BatchMixin:
    """Flask-Admin actions as STYLE.md has them: re-query the ids in scope, one workflow call per row
    in its own savepoint, commit once, say what was done and what was skipped and why."""

    def _run(self, ids, operation, *, order=None) -> BatchOutcome:
        actor = current_actor()
        rows = self.scoped_rows(ids)
        if order is not None:
            rows.sort(key=order)
        outcome = each_row(rows, lambda row: operation(row, actor), label=self.row_label)
        db.session.commit()
        return outcome

    def _batch(self, ids, operation, verb, *, order=None) -> None:
        if not ids:
            flash("请先选择要操作的记录", "warning")
            return
        outcome = self._run(ids, operation, order=order)
        flash(outcome.message(verb), "success" if not outcome.skipped else "warning")

    @staticmethod
    def row_label(row) -> str:
        return str(row)
