"""内设部门: an organisation's department tree, kept by whoever holds the 内设部门 module (a role can grant it).

Department trees stay trees: no department under itself or its descendants, `depth` kept for the whole
moved subtree, a department under a disabled one is disabled too; only the acting organisation's rows.
Every change is audited; functions flush, never commit (the request commits once).
"""
from sqlalchemy import select

from ..extensions import db
from ..models import Department
from ..policy import Actor
from . import WorkflowError
from .members import clean_name, require_own

SORT_MAX = 99999  # the department list orders by a fixed-width rendering of `sort`


def _require_departments(actor: Actor) -> None:
    if actor is None or actor.org_id is None or not actor.can_use("org_departments"):
        raise WorkflowError("您没有管理内设部门的权限")


def _org_departments(org_id: int) -> list[Department]:
    """Every department of the organisation, locked for the rest of the transaction (PostgreSQL):
    two people reshaping the same tree at once take turns instead of building a cycle."""
    return list(
        db.session.scalars(
            select(Department).where(Department.org_id == org_id).order_by(Department.id).with_for_update()
        )
    )


def _descendants(dept_id: int, departments: list[Department]) -> list[Department]:
    children: dict[int | None, list[Department]] = {}
    for d in departments:
        children.setdefault(d.parent_id, []).append(d)
    found, todo = [], list(children.get(dept_id, []))
    while todo:
        d = todo.pop()
        found.append(d)
        todo.extend(children.get(d.id, []))
    return found


def department_choices(actor: Actor, exclude: Department | None = None) -> list[Department]:
    """Departments that may be chosen as 上级部门: this organisation's, minus `exclude` and its subtree."""
    departments = list(
        db.session.scalars(
            select(Department).where(Department.org_id == actor.org_id).order_by(Department.sort, Department.id)
        )
    )
    if exclude is None or exclude.id is None:
        return departments
    banned = {exclude.id} | {d.id for d in _descendants(exclude.id, departments)}
    return [d for d in departments if d.id not in banned]


def save_department(
    dept: Department | None, actor: Actor, *, name: str, parent_id: int | None, sort: int | None, active: bool
) -> Department:
    """新增 / 编辑部门. Refuses a parent outside the organisation, the department itself or one of its
    descendants; keeps `depth` of the whole subtree; disabling disables the subtree."""
    _require_departments(actor)
    if dept is not None:
        require_own(actor, dept)
    name = clean_name(name, "部门名称")
    sort = 0 if sort is None else sort
    if not 0 <= sort <= SORT_MAX:
        raise WorkflowError(f"排序应为0–{SORT_MAX}之间的整数")
    departments = _org_departments(actor.org_id)
    by_id = {d.id: d for d in departments}
    parent = None
    if parent_id is not None:
        parent = by_id.get(parent_id)
        if parent is None:
            raise WorkflowError("上级部门不存在")
        if dept is not None and (
            parent.id == dept.id or parent.id in {d.id for d in _descendants(dept.id, departments)}
        ):
            raise WorkflowError("上级部门不能是本部门或其下级部门")
        if active and not parent.active:
            raise WorkflowError(f"上级部门“{parent.name}”已禁用，请先启用上级部门")
    if any(
        d.name == name and d.parent_id == parent_id and (dept is None or d.id != dept.id)
        for d in departments
    ):
        raise WorkflowError(f"同一上级部门下已有名为“{name}”的部门")

    if dept is None:
        dept = Department(org_id=actor.org_id)
        db.session.add(dept)
    old_depth = dept.depth or 0
    dept.name, dept.parent_id, dept.sort = name, parent_id, sort
    dept.depth = parent.depth + 1 if parent is not None else 0
    subtree = _descendants(dept.id, departments) if dept.id is not None else []
    shift = dept.depth - old_depth
    for d in subtree:
        if shift:
            d.depth += shift
        if not active:
            d.active = False
    dept.active = active
    db.session.flush()
    return dept


def set_department_active(dept: Department, active: bool, actor: Actor) -> int:
    """启用 / 禁用. Disabling takes the sub-departments along; enabling needs an enabled parent.
    Returns how many sub-departments were disabled with it."""
    _require_departments(actor)
    require_own(actor, dept)
    departments = _org_departments(actor.org_id)
    if active:
        if dept.active:
            raise WorkflowError("已是启用状态")
        parent = next((d for d in departments if d.id == dept.parent_id), None)
        if parent is not None and not parent.active:
            raise WorkflowError(f"上级部门“{parent.name}”已禁用，请先启用上级部门")
        dept.active = True
        db.session.flush()
        return 0
    if not dept.active:
        raise WorkflowError("已是禁用状态")
    dept.active = False
    followers = [d for d in _descendants(dept.id, departments) if d.active]
    for d in followers:
        d.active = False
    db.session.flush()
    return len(followers)


def delete_department(dept: Department, actor: Actor) -> None:
    """删除部门: only a department without sub-departments."""
    _require_departments(actor)
    require_own(actor, dept)
    has_children = db.session.scalar(select(Department.id).where(Department.parent_id == dept.id).limit(1))
    if has_children is not None:
        raise WorkflowError(f"部门“{dept.name}”下有下级部门，不能删除")
    db.session.delete(dept)
    db.session.flush()
