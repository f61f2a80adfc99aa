"""内设部门 (workflows/departments.py) beyond test_guards_members.py's refusals: which departments the
上级部门 picker offers (`department_choices`: the acting organisation's own, ordered by 排序 then age,
never the department being edited nor anything under it), the exact refusal without the module, and what
禁用 / 启用 change. Nothing is committed (`acting`).
"""
import pytest

from backoffice.extensions import db
from backoffice.models import Department
from backoffice.workflows import WorkflowError
from backoffice.workflows.departments import (
    delete_department, department_choices, save_department, set_department_active,
)
from world import acting, row


def _tree(world):
    """广州 unit 1's tree with two more rows: a leaf under de_gz1_sub, and a later top department whose
    排序 puts it first of the top level's newcomers (7 before 9 though created after it)."""
    boss = world.actors["unit_gz1"]
    sub = row(world, Department, "de_gz1_sub")
    save_department(None, boss, name="de_late9", parent_id=None, sort=9, active=True)
    save_department(None, boss, name="de_leaf", parent_id=sub.id, sort=0, active=True)
    save_department(None, boss, name="de_late7", parent_id=None, sort=7, active=True)
    return boss


def _names(departments) -> list[str]:
    return [d.name for d in departments]


@pytest.mark.parametrize(
    "exclude,offered",
    [
        (None, ["de_gz1_top", "de_gz1_sub", "de_leaf", "de_late7", "de_late9"]),
        ("de_gz1_top", ["de_late7", "de_late9"]),  # the department, its child and grandchild
        ("de_gz1_sub", ["de_gz1_top", "de_late7", "de_late9"]),
        ("de_leaf", ["de_gz1_top", "de_gz1_sub", "de_late7", "de_late9"]),
        ("new", ["de_gz1_top", "de_gz1_sub", "de_leaf", "de_late7", "de_late9"]),  # 新增: nothing to leave out
    ],
)
def test_the_parent_picker_offers_the_organisations_own_minus_the_subtree(app, world, exclude, offered):
    with acting(app):
        boss = _tree(world)
        if exclude == "new":
            excluded = Department(org_id=world.ids["or_unit_gz1"], name="未保存")
        elif exclude is not None:
            excluded = next(d for d in department_choices(boss) if d.name == exclude)
        else:
            excluded = None
        assert _names(department_choices(boss, excluded)) == offered


def test_each_organisation_picks_among_its_own_departments_only(app, world):
    with acting(app):
        _tree(world)
        assert _names(department_choices(world.actors["multi_gz2"])) == ["de_gz2"]
        assert _names(department_choices(world.actors["hr_gz"])) == ["de_hr_gz"]
        assert _names(department_choices(world.actors["unit_sz"])) == []


@pytest.mark.parametrize("who", ["multi_gz1", "p1", None])  # a role without 内设部门, a person, nobody signed in
def test_without_the_module_nothing_is_changed(app, world, who):
    with acting(app):
        actor = world.actors[who] if who else None
        top = row(world, Department, "de_gz1_top")
        for call in (
            lambda: save_department(None, actor, name="新部门", parent_id=None, sort=0, active=True),
            lambda: save_department(top, actor, name="改名", parent_id=None, sort=0, active=True),
            lambda: set_department_active(top, False, actor),
            lambda: delete_department(top, actor),
        ):
            with pytest.raises(WorkflowError, match="^您没有管理内设部门的权限$"):
                call()
        db.session.refresh(top)
        assert (top.name, top.active) == ("de_gz1_top", True)
        assert _names(department_choices(world.actors["unit_gz1"])) == ["de_gz1_top", "de_gz1_sub"]


def test_disabling_a_department_disables_its_whole_subtree_and_nothing_else(app, world):
    with acting(app):
        boss = _tree(world)
        top, sub = row(world, Department, "de_gz1_top"), row(world, Department, "de_gz1_sub")
        late7 = next(d for d in department_choices(boss) if d.name == "de_late7")
        assert set_department_active(top, False, boss) == 2  # de_gz1_sub and de_leaf went along
        assert {d.name: d.active for d in department_choices(boss)} == {
            "de_gz1_top": False, "de_gz1_sub": False, "de_leaf": False, "de_late7": True, "de_late9": True,
        }
        assert set_department_active(late7, False, boss) == 0  # nothing under it
        assert late7.active is False
        assert set_department_active(top, True, boss) == 0  # enabling takes nobody along
        assert (top.active, sub.active) == (True, False)


@pytest.mark.parametrize("parent", ["de_gz2", "de_hr_gz"])  # another organisation's departments
def test_a_parent_of_another_organisation_does_not_exist_here(app, world, parent):
    with acting(app):
        boss = world.actors["unit_gz1"]
        top = row(world, Department, "de_gz1_top")
        with pytest.raises(WorkflowError, match="^上级部门不存在$"):
            save_department(top, boss, name="de_gz1_top", parent_id=world.ids[parent], sort=0, active=True)
        db.session.refresh(top)
        assert (top.parent_id, top.depth) == (None, 0)
        assert _names(department_choices(boss)) == ["de_gz1_top", "de_gz1_sub"]
