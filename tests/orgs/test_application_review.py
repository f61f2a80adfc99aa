"""角色申请 → 审核 → the organisation's full menu, and each review outcome, through HTTP."""
import pytest
from sqlalchemy import func, select, update

from backoffice.clock import beijing_today
from backoffice.extensions import db
from backoffice.models import Organisation, ReviewLog

from org_helpers import CONTACTS, org_by_name, uscc
from pages import cleared, list_table, search_box

UNIT = "广州测试科技有限公司"


@pytest.fixture
def draft_unit(app, applicant):
    """zhang_san has registered 广州测试科技有限公司 (天河区) and acts for it; nothing submitted yet."""
    assert applicant.register_org(UNIT, uscc(21)).status_code == 302
    return applicant


def _submitted(draft_unit):
    assert draft_unit.upload().status_code == 302
    response = draft_unit.submit(**CONTACTS)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return draft_unit


def _logs(app, org_id):
    with app.app_context():
        return [
            (log.step, log.result, log.opinion)
            for log in db.session.scalars(
                select(ReviewLog).where(ReviewLog.object_type == "organisation", ReviewLog.object_id == org_id)
                .order_by(ReviewLog.id)
            )
        ]


def _review(client, view, org_id, result, opinion=""):
    return client.post(
        f"/admin/{view}/review/?id={org_id}",
        {"result": result, "opinion": opinion},
    )


def test_register_apply_review_and_sign_in_with_the_new_menu(app, draft_unit, login_as):
    # 保存 then 送审 without the licence: refused with the reason, still a draft.
    assert draft_unit.save(**CONTACTS).status_code == 302
    refused = draft_unit.submit()
    page = draft_unit.client.get(refused.headers.get("Location", "/admin/org_application/")).get_data(as_text=True)
    assert "请先上传本单位的统一社会信用代码证" in (refused.get_data(as_text=True) + page)
    assert org_by_name(app, UNIT).status == "draft"

    _submitted(draft_unit)
    org = org_by_name(app, UNIT)
    assert org.status == "pending"
    gz_hr = org_by_name(app, "广州市人力资源和社会保障局")
    assert org.reviewer_org_id == gz_hr.id
    page = draft_unit.client.get("/admin/org_application/application/").get_data(as_text=True)
    assert "待审核" in page and 'id="application-form"' not in page  # read-only once submitted

    hr = login_as("gz_hr")
    listing = hr.get("/admin/review_units/").get_data(as_text=True)
    assert UNIT in listing
    details = hr.get(f"/admin/review_units/details/?id={org.id}").get_data(as_text=True)
    assert "营业执照.pdf" in details and "审批流程" in details and 'id="review-form"' in details
    assert _review(hr, "review_units", org.id, "approve", "材料齐全").status_code == 302

    assert org_by_name(app, UNIT).status == "approved"
    assert _logs(app, org.id) == [("送审", "submit", None), ("单位信息审核", "approve", "材料齐全")]

    # The applicant picks the organisation again and now has its whole menu.
    client = draft_unit.client
    client.select(UNIT)
    home = client.get("/admin/").get_data(as_text=True)
    for menu in ("单位信息维护", "单位经办人员", "角色管理", "专业技术人员信息维护"):
        assert menu in home, menu


def test_a_reviewer_outside_the_routing_gets_404(app, draft_unit, login_as):
    _submitted(draft_unit)
    org = org_by_name(app, UNIT)
    gd_hr = login_as("gd_hr")  # the province sees the unit in its region, but it is not routed there
    assert UNIT not in gd_hr.get("/admin/review_units/").get_data(as_text=True)
    assert gd_hr.get(f"/admin/review_units/details/?id={org.id}").status_code == 404
    assert _review(gd_hr, "review_units", org.id, "approve").status_code == 404
    assert gd_hr.post("/admin/review_units/action/", {"action": "batch_review", "rowid": [org.id]}).status_code == 404
    assert gd_hr.get(f"/admin/review_units/batch/?id={org.id}").status_code == 404
    unit_b = login_as("unit_b")
    assert unit_b.get(f"/admin/review_units/details/?id={org.id}").status_code == 403
    assert org_by_name(app, UNIT).status == "pending"


def test_return_makes_it_editable_and_resubmittable(app, draft_unit, login_as):
    _submitted(draft_unit)
    org = org_by_name(app, UNIT)
    hr = login_as("gz_hr")
    refused = _review(hr, "review_units", org.id, "return")
    assert refused.status_code == 302
    assert "不同意时请填写审核意见" in hr.get(refused.headers["Location"]).get_data(as_text=True)
    assert org_by_name(app, UNIT).status == "pending"

    _review(hr, "review_units", org.id, "return", "请补充法人证书")
    assert org_by_name(app, UNIT).status == "returned"
    page = draft_unit.client.get("/admin/org_application/application/").get_data(as_text=True)
    assert "请补充法人证书" in page and 'id="application-form"' in page
    assert draft_unit.submit(**CONTACTS).status_code == 302
    assert org_by_name(app, UNIT).status == "pending"
    assert [r for _, r, _ in _logs(app, org.id)] == ["submit", "return", "submit"]


def test_close_ends_it(app, draft_unit, login_as):
    _submitted(draft_unit)
    org = org_by_name(app, UNIT)
    _review(login_as("gz_hr"), "review_units", org.id, "close", "非本地区单位")
    assert org_by_name(app, UNIT).status == "closed"
    page = draft_unit.client.get("/admin/org_application/application/").get_data(as_text=True)
    assert "已结案" in page and 'id="application-form"' not in page
    again = draft_unit.client.post(
        "/admin/org_application/application/", {"submit": "1"}, token_page="/admin/org_application/application/"
    )
    assert again.status_code == 200
    assert org_by_name(app, UNIT).status == "closed"


def test_batch_review_reports_done_and_skipped_rows(app, draft_unit, login_as):
    _submitted(draft_unit)
    ours = org_by_name(app, UNIT).id
    demo_pending = org_by_name(app, "广州示范科技学校").id
    hr = login_as("gz_hr")
    # Someone else decided 广州示范科技学校 a moment ago.
    _review(login_as("gz_hr"), "review_units", demo_pending, "approve")
    picked = hr.post("/admin/review_units/action/", {"action": "batch_review", "rowid": [ours, demo_pending]})
    assert picked.status_code == 302 and "/batch/" in picked.headers["Location"]
    page = hr.get(picked.headers["Location"]).get_data(as_text=True)
    assert UNIT in page and "广州示范科技学校" in page
    done = hr.post(
        f"/admin/review_units/batch/?id={ours}&id={demo_pending}",
        {"result": "approve", "opinion": "同意开通"},
        token_page=picked.headers["Location"],
        follow_redirects=True,
    )
    text = done.get_data(as_text=True)
    assert "审核成功1条" in text and "跳过1条" in text and "已审核" in text
    assert org_by_name(app, UNIT).status == "approved"
    with app.app_context():
        approvals = db.session.scalar(
            select(func.count()).select_from(ReviewLog).where(
                ReviewLog.object_id == demo_pending, ReviewLog.result == "approve"
            )
        )
    assert approvals == 1  # not reviewed twice


def test_batch_review_with_a_bad_opinion_changes_nothing(app, draft_unit, login_as):
    _submitted(draft_unit)
    ours = org_by_name(app, UNIT).id
    hr = login_as("gz_hr")
    response = hr.post(
        f"/admin/review_units/batch/?id={ours}", {"result": "close", "opinion": ""},
        token_page=f"/admin/review_units/batch/?id={ours}",
    )
    assert response.status_code == 200 and "不同意时请填写审核意见" in response.get_data(as_text=True)
    too_long = hr.post(
        f"/admin/review_units/batch/?id={ours}", {"result": "approve", "opinion": "长" * 501},
        token_page=f"/admin/review_units/batch/?id={ours}",
    )
    assert "审核意见限500字" in too_long.get_data(as_text=True)
    assert org_by_name(app, UNIT).status == "pending"


def test_of_two_reviewers_deciding_at_once_exactly_one_wins(app, draft_unit, login_as):
    """Both loaded the page while it was pending; the second decision finds it already decided."""
    from flask import g

    from backoffice.policy import build_actor
    from backoffice.models import User
    from backoffice.workflows.orgs import APPLICATION
    from backoffice.workflows.review import ReviewError, review

    _submitted(draft_unit)
    org_id = org_by_name(app, UNIT).id
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.login == "gz_hr"))
        g.actor = actor = build_actor(user, f"m:{user.memberships[0].id}")
        org = db.session.get(Organisation, org_id)
        assert org.status == "pending"  # reviewer A has the row in hand…
        # …while reviewer B's decision commits first.
        db.session.execute(update(Organisation).where(Organisation.id == org_id).values(status="approved"))
        with pytest.raises(ReviewError, match="已审核"):
            review(APPLICATION, org, "close", "重复", actor)
        assert db.session.scalar(
            select(func.count()).select_from(ReviewLog).where(ReviewLog.object_id == org_id, ReviewLog.result == "close")
        ) == 0


def test_the_review_list_opens_on_pending_and_filters_by_year(app, draft_unit, login_as):

    _submitted(draft_unit)
    hr = login_as("gz_hr")
    page = hr.get("/admin/review_units/").get_data(as_text=True)
    year = search_box(page, "年度")
    demo_pending = org_by_name(app, "广州示范科技学校").id
    _review(hr, "review_units", demo_pending, "approve")
    waiting = list_table(hr.get("/admin/review_units/").get_data(as_text=True))
    assert UNIT in waiting and "广州示范科技学校" not in waiting
    table = list_table(cleared(hr, "/admin/review_units/"))
    assert table.index(UNIT) < table.index("广州示范科技学校")
    this_year = hr.get(f"/admin/review_units/?{year}={beijing_today().year}").get_data(as_text=True)
    assert UNIT in this_year
    other_year = hr.get(f"/admin/review_units/?{year}=2019").get_data(as_text=True)
    assert UNIT not in other_year and "广州示范科技学校" not in other_year
    assert hr.get(f"/admin/review_units/?{year}=abcd").status_code == 200
