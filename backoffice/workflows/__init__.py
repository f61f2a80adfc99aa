"""Operations that change state. Each checks what it needs, changes rows, writes ReviewLog/AuditLog and
flushes; the request commits once. Views call these and turn `WorkflowError` into a message."""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError

from ..extensions import db

CLASH = "保存失败：与已有记录重复，或引用的数据已不存在，请刷新页面后重试"


class WorkflowError(Exception):
    """An operation refused for a business reason; the message is Chinese and shown as is."""


@dataclass
class BatchOutcome:
    """What a batch did: `done` holds (row, result) pairs, `skipped` (row label, reason) pairs."""

    done: list = field(default_factory=list)
    skipped: list[tuple[object, str]] = field(default_factory=list)

    def message(self, verb: str = "审核") -> str:
        text = f"{verb}成功{len(self.done)}条"
        if self.skipped:
            reasons = "；".join(f"{row}：{reason}" for row, reason in self.skipped[:10])
            more = f"等{len(self.skipped)}条" if len(self.skipped) > 10 else ""
            text += f"，跳过{len(self.skipped)}条（{reasons}{more}）"
        return text


def each_row(rows: Iterable, operation: Callable, *, label: Callable = str) -> BatchOutcome:
    """Batch operations: `operation(row)` for each row in its own savepoint, so a refused or clashing
    row is skipped with its reason and the others still happen. The caller commits."""
    outcome = BatchOutcome()
    for row in rows:
        try:
            with db.session.begin_nested():
                result = operation(row)
        except WorkflowError as error:
            outcome.skipped.append((label(row), str(error)))
        except IntegrityError:
            outcome.skipped.append((label(row), CLASH))
        else:
            outcome.done.append((row, result))
    return outcome
