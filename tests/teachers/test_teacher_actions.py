"""启用 / 禁用 / 删除 of teachers, the class forms' choice of teachers, and other organisations' 404s."""
import re

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Plan, Teacher, TrainingClass
from backoffice.workflows.teachers import selectable_teachers

from teacher_helpers import (
    FEMALE_ID, HOSPITAL, MALE_ID, SHENZHEN, TEACHERS, UNIVERSITY, act, add_teacher, flashes, list_table, org_id,
    teacher,
)


@pytest.fixture
def two_teachers(app):
    return add_teacher(app, UNIVERSITY, "王老师", MALE_ID), add_teacher(app, UNIVERSITY, "李老师", FEMALE_ID, sex="女")


def _selectable(app, org_name):
    with app.app_context():
        return [t.name for t in db.session.scalars(selectable_teachers(org_id(app, org_name)))]


def test_disable_and_enable_in_a_batch(app, login_as, two_teachers):
    wang, li = two_teachers
    client = login_as("unit_a", UNIVERSITY)
    page = act(client, "disable", [wang, li]).get_data(as_text=True)
    assert "禁用成功2条" in flashes(page)
    assert not teacher(app, id=wang).active and not teacher(app, id=li).active
    assert list_table(page).count("禁用") >= 2

    page = act(client, "disable", [wang]).get_data(as_text=True)
    assert "禁用成功0条，跳过1条（王老师：已是禁用状态）" in flashes(page)

    page = act(client, "enable", [li]).get_data(as_text=True)
    assert "启用成功1条" in flashes(page)
    assert teacher(app, id=li).active and not teacher(app, id=wang).active


def test_each_row_has_its_own_enable_or_disable_button(app, login_as, two_teachers):
    wang, _ = two_teachers
    client = login_as("unit_a", UNIVERSITY)
    page = client.get(f"{TEACHERS}/").get_data(as_text=True)
    button = re.search(
        rf'<form class="icon teacher-toggle"[^>]*>(?:(?!</form>).)*name="rowid" value="{wang}"(?:(?!</form>).)*</form>',
        page, re.S,
    ).group(0)
    assert 'name="action" value="disable"' in button and "禁用" in button
    act(client, "disable", [wang])
    page = client.get(f"{TEACHERS}/").get_data(as_text=True)
    assert re.search(rf'value="enable">\s*<input type="hidden" name="rowid" value="{wang}"', page)


def test_only_enabled_teachers_of_the_organisation_can_be_chosen_for_a_class(app, login_as, two_teachers):
    add_teacher(app, HOSPITAL, "陈医生", MALE_ID)
    add_teacher(app, SHENZHEN, "刘工", FEMALE_ID, sex="女")
    # by name; 何振邦 is the demo's teacher of 广州示范大学
    assert _selectable(app, UNIVERSITY) == ["何振邦", "李老师", "王老师"]
    act(login_as("unit_a", UNIVERSITY), "disable", [two_teachers[0]])
    assert _selectable(app, UNIVERSITY) == ["何振邦", "李老师"]
    assert _selectable(app, HOSPITAL) == ["陈医生"]
    assert "陈医生" not in _selectable(app, UNIVERSITY) and "刘工" not in _selectable(app, UNIVERSITY)
    # the demo's disabled teacher of 广东示范继续教育学院 (陈建华) is not offered, its enabled ones are
    assert sorted(_selectable(app, "广东示范继续教育学院")) == sorted(["黄立群", "林晓红"])


def test_delete_an_unused_teacher_single_and_in_a_batch(app, login_as, two_teachers):
    wang, li = two_teachers
    third = add_teacher(app, UNIVERSITY, "赵老师", "110101199003070011")
    client = login_as("unit_a", UNIVERSITY)
    client.post(f"{TEACHERS}/delete/", {"id": wang, "url": f"{TEACHERS}/"}, token_page=f"{TEACHERS}/")
    assert teacher(app, id=wang) is None
    page = act(client, "delete", [li, third]).get_data(as_text=True)
    assert "删除成功2条" in flashes(page)
    assert teacher(app, id=li) is None and teacher(app, id=third) is None


@pytest.fixture
def class_table(app):
    """Puts a teacher among the 授课教师 of 广州示范大学's demo class (the class_teacher table)."""

    def use(teacher_id):
        with app.app_context():
            training_class = db.session.scalar(
                select(TrainingClass).join(TrainingClass.plan).where(Plan.owner_org_id == org_id(app, UNIVERSITY))
            )
            training_class.teachers.append(db.session.get(Teacher, teacher_id))
            db.session.commit()

    return use


def test_a_teacher_used_by_a_class_cannot_be_deleted(app, login_as, two_teachers, class_table):
    wang, li = two_teachers
    class_table(wang)
    client = login_as("unit_a", UNIVERSITY)
    page = client.post(
        f"{TEACHERS}/delete/", {"id": wang, "url": f"{TEACHERS}/"}, token_page=f"{TEACHERS}/", follow_redirects=True
    ).get_data(as_text=True)
    assert "该教师已被培训班使用，不能删除" in flashes(page)
    assert teacher(app, id=wang) is not None

    page = act(client, "delete", [wang, li]).get_data(as_text=True)
    assert "删除成功1条，跳过1条（王老师：该教师已被培训班使用，不能删除）" in flashes(page)
    assert teacher(app, id=wang) is not None and teacher(app, id=li) is None

    # a 班主任 is used by the class as well
    head = teacher(app, name="何振邦")
    page = act(client, "delete", [head.id]).get_data(as_text=True)
    assert "跳过1条（何振邦：该教师已被培训班使用，不能删除）" in flashes(page)


def test_another_organisation_gets_404_on_every_route_to_a_teacher(app, login_as, two_teachers):
    wang, _ = two_teachers
    for login, org in [("unit_b", None), ("unit_c", None), ("inst_a", None), ("gd_edu", None)]:
        client = login_as(login, org)
        assert "王老师" not in list_table(client.get(f"{TEACHERS}/").get_data(as_text=True))
        assert client.get(f"{TEACHERS}/details/?id={wang}").status_code == 404
        assert client.get(f"{TEACHERS}/edit/?id={wang}").status_code == 404
        assert client.post(f"{TEACHERS}/edit/?id={wang}", {"name": "改名"}, token_page=f"{TEACHERS}/").status_code == 404
        assert client.post(f"{TEACHERS}/delete/", {"id": wang}, token_page=f"{TEACHERS}/").status_code == 404
        for action in ("enable", "disable", "delete"):
            assert act(client, action, [wang], follow=False).status_code == 404
    row = teacher(app, id=wang)
    assert (row.name, row.active) == ("王老师", True)


def test_people_hr_and_helpdesk_have_no_teacher_screen(login_as):
    for login in ("p_chen", "gz_hr", "helpdesk"):
        assert login_as(login).get(f"{TEACHERS}/").status_code == 403
