"""Fixtures of the 单位经办人员 / 角色管理 / 内设部门 tests."""
import pytest

from backoffice.extensions import db
from backoffice.models import Department

from member_helpers import SHENZHEN, UNIVERSITY, answer_binding, invite, membership, org_id, user_of


@pytest.fixture
def liu_member_of_shenzhen(app, login_as):
    """The manual's story up to the binding: unit_b invites p_liu, p_liu accepts. Returns the id."""
    boss = login_as("unit_b")
    invite(boss, "p_liu", user_of(app, "p_liu").id_number)
    pending = membership(app, "p_liu", SHENZHEN)
    answer_binding(login_as("p_liu"), pending.id, "accept")
    return pending.id


@pytest.fixture
def departments(app):
    """广州示范大学: 教务处 → 教学科 → 教材组, 人事处; 深圳示范科技有限公司: 研发部. Returns ids by name."""
    with app.app_context():
        university, shenzhen = org_id(app, UNIVERSITY), org_id(app, SHENZHEN)
        ids = {}

        def add(name, org, parent=None, sort=0):
            dept = Department(
                org_id=org, name=name, parent_id=ids.get(parent), sort=sort,
                depth=0 if parent is None else db.session.get(Department, ids[parent]).depth + 1,
            )
            db.session.add(dept)
            db.session.flush()
            ids[name] = dept.id

        add("人事处", university, sort=2)
        add("教务处", university, sort=1)
        add("教学科", university, "教务处")
        add("教材组", university, "教学科")
        add("研发部", shenzhen)
        db.session.commit()
        return ids
