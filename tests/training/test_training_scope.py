"""An organisation never reaches another organisation's plans, classes or qualifications: every route
that takes an id answers 404, whatever the id or the action posted."""
from datetime import date
from decimal import Decimal

import pytest

from backoffice.extensions import db
from backoffice.models import Catalogue, Plan, Qualification, Teacher, TrainingClass

from pages import act, list_table
from training_helpers import (
    org_id,
    APPLY,
    CLASSES,
    QUAL_APPLY,
    QUAL_REVIEW,
    QUERY,
    REVIEW,
    YEAR,
    add_teacher,
    make_org,
    one,
    plan_status,
)

OTHER = "广州越秀职业培训学院"


@pytest.fixture
def other_institution(app):
    """A city-level institution with an approved plan and class, a draft plan and a pending qualification."""
    org = make_org(app, "inst_yx", OTHER, "institution", "city", "440104", 7001)
    head = add_teacher(app, OTHER, "越秀老师", 501)
    with app.app_context():
        catalogue = db.session.query(Catalogue).filter_by(year=YEAR, org_id=org_id(app, "广东省教育厅")).one()
        course = catalogue.courses[0]
        rows = {}
        for status in ("approved", "draft"):
            plan = Plan(
                owner_org_id=org, course_id=course.id, series_id=catalogue.series_id, year=YEAR,
                name=f"越秀{status}计划", days=Decimal(1), hours=Decimal(6), sessions=1, start_on=date(YEAR, 3, 1),
                end_on=date(YEAR, 3, 31), content="内容", audience="对象", status=status,
            )
            plan.classes = [TrainingClass(
                name=f"越秀{status}班", planned_open_on=date(YEAR, 3, 2), study_form_code="01",
                study_start_on=date(YEAR, 3, 2), study_end_on=date(YEAR, 3, 3), capacity=20, head_teacher_id=head,
                exam_type_code="01", location="越秀", schedule="一天", status="not_started", enrolled_count=0,
                teachers=[db.session.get(Teacher, head)],
            )]
            db.session.add(plan)
            db.session.flush()
            rows[status] = (plan.id, plan.classes[0].id)
        qualification = Qualification(
            institution_id=org, series_id=catalogue.series_id, status="pending",
            reviewer_org_id=catalogue.org_id,
        )
        db.session.add(qualification)
        db.session.commit()
        return {**rows, "qualification": qualification.id}


def _every_plan_route(client, view, plan_id, class_id):
    get = [
        f"{view}/details/?id={plan_id}", f"{view}/edit/?id={plan_id}", f"{view}/classes/form/?id={plan_id}",
        f"{view}/classes/form/?id={plan_id}&class_id={class_id}",
        f"{view}/classes/view/?id={plan_id}&class_id={class_id}",
    ]
    post = [
        f"{view}/edit/?id={plan_id}", f"{view}/submit/?id={plan_id}", f"{view}/classes/form/?id={plan_id}",
        f"{view}/classes/delete/?id={plan_id}&class_id={class_id}", f"{view}/attachments/upload/?id={plan_id}",
        f"{view}/attachments/delete/?id={plan_id}&attachment_id=1",
    ]
    statuses = [client.get(url).status_code for url in get]
    statuses += [client.post(url, {}, token_page=f"{view}/").status_code for url in post]
    statuses.append(client.post(f"{view}/delete/", {"id": plan_id}, token_page=f"{view}/").status_code)
    statuses.append(act(client, view, "submit", [plan_id], follow=False).status_code)
    return statuses


def test_an_institution_never_reaches_another_institutions_plans_or_classes(app, login_as, other_institution):
    approved_plan, approved_class = other_institution["approved"]
    draft_plan, draft_class = other_institution["draft"]
    inst = login_as("inst_a")
    assert "越秀" not in list_table(inst.get(f"{APPLY}/").get_data(as_text=True))
    assert "越秀" not in list_table(inst.get(f"{QUERY}/").get_data(as_text=True))
    assert "越秀" not in list_table(inst.get(f"{CLASSES}/").get_data(as_text=True))
    for plan_id, class_id in [(approved_plan, approved_class), (draft_plan, draft_class)]:
        assert set(_every_plan_route(inst, APPLY, plan_id, class_id)) == {404}, plan_id
        assert inst.get(f"{QUERY}/details/?id={plan_id}").status_code == 404
        assert inst.get(f"{QUERY}/classes/view/?id={plan_id}&class_id={class_id}").status_code == 404
        assert inst.get(f"{CLASSES}/details/?id={class_id}").status_code == 404
        assert inst.get(f"{CLASSES}/status/?id={class_id}&move=open").status_code == 404
        assert inst.post(f"{CLASSES}/status/", {"id": [str(class_id)], "move": "cancel"}, token_page=f"{CLASSES}/").status_code == 404
        for action in ("open", "cancel", "status"):
            assert act(inst, "class_setup", action, [class_id], follow=False).status_code == 404
    assert inst.get(f"{QUAL_APPLY}/details/?id={other_institution['qualification']}").status_code == 404
    assert (plan_status(app, draft_plan), one(app, TrainingClass, id=approved_class).status) == ("draft", "not_started")

    # and the other way round: the demo's institution is out of the new one's reach
    mine = one(app, Plan, name=f"{YEAR}年高校教师教学能力提升研修班")
    own_class = one(app, TrainingClass, plan_id=mine.id, name=f"{mine.name}第1期")
    other = login_as("inst_yx")
    assert set(_every_plan_route(other, APPLY, mine.id, own_class.id)) == {404}
    assert other.get(f"{CLASSES}/details/?id={own_class.id}").status_code == 404


def test_a_class_id_of_another_plan_is_not_found_under_ones_own_plan(app, login_as, other_institution):
    _, foreign_class = other_institution["approved"]
    mine = one(app, Plan, name=f"{YEAR}年高等教育数字化转型研修")
    inst = login_as("inst_a")
    assert inst.get(f"{APPLY}/classes/view/?id={mine.id}&class_id={foreign_class}").status_code == 404
    assert inst.get(f"{APPLY}/classes/form/?id={mine.id}&class_id={foreign_class}").status_code == 404


def test_reviewers_reach_only_what_is_routed_to_them(app, login_as, other_institution):
    qualification = other_institution["qualification"]  # routed to 广东省教育厅 in this fixture
    assert login_as("gz_edu").get(f"{QUAL_REVIEW}/details/?id={qualification}").status_code == 404
    assert login_as("gd_edu").get(f"{QUAL_REVIEW}/details/?id={qualification}").status_code == 200
    pending_at_gz = one(app, Plan, name=f"{YEAR}年课程思政专题培训")
    gd_edu = login_as("gd_edu")
    assert gd_edu.get(f"{REVIEW}/details/?id={pending_at_gz.id}").status_code == 404
    refused = gd_edu.post(f"{REVIEW}/review/?id={pending_at_gz.id}", {"result": "approve"}, token_page=f"{REVIEW}/")
    assert refused.status_code == 404
    assert plan_status(app, pending_at_gz.id) == "pending"
    # a unit has no review screen at all
    assert login_as("unit_a", "广州示范大学").get(f"{REVIEW}/").status_code == 403
