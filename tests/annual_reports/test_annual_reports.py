"""年度报告管理 (institution) and 审核继续教育基地年度报告 (HR), issue 11 item 10, over HTTP: create, edit,
attachment, 申报 (routed to the HR of the institution's region), delete until 申报, one per year, the
three outcomes, batch review, the 审批流程, the 工作台 to-do, and 404 for every other organisation."""
import re
from datetime import date
from io import BytesIO

import pytest
from sqlalchemy import select

from backoffice.clock import beijing_today
from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, MembershipStatus, ReviewResult
from backoffice.models import AnnualReport, Attachment, Membership, Organisation, ReviewLog, User
from backoffice.validators import make_citizen_id, make_uscc
from backoffice.demo import DEMO_PASSWORD
from pages import act, flashes

MINE = "/admin/annual_report"
REVIEW = "/admin/annual_report_review"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
YEAR = beijing_today().year - 2  # the demo has last year's (申报ed) and this year's (draft)
INSTITUTION = "广东示范继续教育学院"


def org_id(app, name):
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name == name))


def report(app, report_id) -> AnnualReport | None:
    with app.app_context():
        row = db.session.get(AnnualReport, report_id)
        if row is not None:
            db.session.expunge(row)
        return row


def steps(app, report_id):
    with app.app_context():
        return [
            (r.step, r.result, r.opinion) for r in db.session.scalars(
                select(ReviewLog).where(ReviewLog.object_type == "annual_report", ReviewLog.object_id == report_id)
                .order_by(ReviewLog.id))
        ]


def create(client, **changes):
    data = {"year": str(YEAR), "name": f"{YEAR}年度继续教育工作报告", "note": "培训任务完成情况"}
    data.update(changes)
    return client.post(f"{MINE}/new/", data, token_page=f"{MINE}/")


def new_report(app, client, **changes) -> int:
    response = create(client, **changes)
    assert response.status_code == 302, flashes(response.get_data(as_text=True))
    with app.app_context():
        return db.session.scalar(select(AnnualReport.id).where(
            AnnualReport.year == int(changes.get("year", YEAR)),
            AnnualReport.institution_id == select(Organisation.id).where(Organisation.name == INSTITUTION).scalar_subquery()))


def attach(client, report_id, name="年度报告.pdf", content=PDF, view=MINE):
    return client.post(f"{view}/attachments/upload/?id={report_id}", {"file": (BytesIO(content), name)},
                       token_page=f"{view}/", content_type="multipart/form-data", follow_redirects=True)


def post(client, url, data=None, view=MINE, follow=False):
    return client.post(url, data or {}, token_page=f"{view}/", follow_redirects=follow)


def decide(client, report_id, result, opinion=""):
    return client.post(f"{REVIEW}/review/?id={report_id}", {"result": result, "opinion": opinion},
                       token_page=f"{REVIEW}/", follow_redirects=True)


@pytest.fixture
def other_institution(app):
    """An approved city-level institution in 广州 (440104) with its own super admin, `inst_yx`."""
    with app.app_context():
        hr = db.session.scalar(select(Organisation.id).where(Organisation.name == "广州市人力资源和社会保障局"))
        org = Organisation(
            kind="institution", name="广州越秀年报测试学院", code=make_uscc("91440000MB0007101"), level="city",
            region_code="440104", hr_org_id=hr, status=ApplicationStatus.APPROVED, active=True,
            contact_name="办公室", office_phone="020-83330000", mobile="13900000000", email="yx@example.cn",
            postcode="510000", address="示范路1号", profile="测试机构", nature_code="02",
        )
        user = User(login="inst_yx", real_name="越秀经办人", id_type="resident_id",
                    id_number=make_citizen_id("440106", date(1985, 1, 1), "711"), mobile="13800009999",
                    email="yx@example.cn", real_name_verified=True)
        user.set_password(DEMO_PASSWORD)
        db.session.add_all([org, user])
        db.session.flush()
        db.session.add(Membership(user_id=user.id, org_id=org.id, status=MembershipStatus.ACTIVE, is_super_admin=True))
        db.session.commit()
        return org.id


# ---- the institution's screens ----------------------------------------------------------------------


def test_create_edit_attach_and_submit_to_the_hr_of_the_region(app, login_as):
    inst = login_as("inst_a")
    report_id = new_report(app, inst)
    row = report(app, report_id)
    assert (row.status, row.reviewer_org_id, row.note) == (ApplicationStatus.DRAFT, None, "培训任务完成情况")
    page = inst.get(f"{MINE}/details/?id={report_id}").get_data(as_text=True)
    assert "申报" in page and "申报前请先在下方上传年度报告附件" in page

    edited = post(inst, f"{MINE}/edit/?id={report_id}", {"year": str(YEAR), "name": "修改后的报告名称", "note": ""})
    assert edited.status_code == 302 and report(app, report_id).name == "修改后的报告名称"
    assert report(app, report_id).note is None

    # 申报 without an attachment is refused and changes nothing
    refused = post(inst, f"{MINE}/submit/?id={report_id}", follow=True)
    assert "请先上传年度报告附件，再申报" in flashes(refused.get_data(as_text=True))
    assert report(app, report_id).status == ApplicationStatus.DRAFT and steps(app, report_id) == []

    assert "附件上传成功" in flashes(attach(inst, report_id).get_data(as_text=True))
    done = post(inst, f"{MINE}/submit/?id={report_id}", follow=True)
    # a province-level institution (440000): its region's HR is the province's
    assert "已申报，审核部门：广东省人力资源和社会保障厅" in flashes(done.get_data(as_text=True))
    row = report(app, report_id)
    assert (row.status, row.reviewer_org_id) == (ApplicationStatus.PENDING, org_id(app, "广东省人力资源和社会保障厅"))
    assert steps(app, report_id) == [("送审", ReviewResult.SUBMIT, None)]

    # read-only from 申报 on: no edit, no attachment, no delete, no second 申报
    assert "不能再修改" in flashes(inst.get(f"{MINE}/edit/?id={report_id}", follow_redirects=True).get_data(as_text=True))
    assert "不能再修改" in flashes(attach(inst, report_id, "b.pdf").get_data(as_text=True))
    gone = post(inst, f"{MINE}/delete/", {"id": str(report_id), "url": f"{MINE}/"}, follow=True)
    assert "已申报的年度报告不可删除" in flashes(gone.get_data(as_text=True))
    again = post(inst, f"{MINE}/submit/?id={report_id}", follow=True)
    assert "当前状态为“待审核”，不能申报" in flashes(again.get_data(as_text=True))
    assert report(app, report_id).status == ApplicationStatus.PENDING


def test_a_draft_is_deleted_with_its_attachments(app, login_as):
    inst = login_as("inst_a")
    report_id = new_report(app, inst)
    attach(inst, report_id)
    deleted = post(inst, f"{MINE}/delete/", {"id": str(report_id), "url": f"{MINE}/"})
    assert deleted.status_code == 302 and report(app, report_id) is None
    with app.app_context():
        assert db.session.scalar(select(Attachment.id).filter_by(owner_type="annual_report", owner_id=report_id)) is None


def test_the_fields_are_checked(app, login_as):
    inst = login_as("inst_a")
    cases = [
        ({"name": "长" * 101}, "报告名称限100字"),
        ({"name": ""}, "请填写报告名称"),
        ({"note": "备" * 501}, "备注限500字"),
    ]
    for changes, message in cases:
        html = create(inst, **changes).get_data(as_text=True)
        assert message in html, message
    assert create(inst, year=str(beijing_today().year + 1)).status_code == 200  # not offered: refused
    assert create(inst, year="1999").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(AnnualReport.id).where(AnnualReport.year.in_([1999, beijing_today().year + 1]))) is None


def test_one_report_per_institution_and_year(app, login_as):
    inst = login_as("inst_a")
    new_report(app, inst)
    html = create(inst, name="同一年的第二份").get_data(as_text=True)
    assert f"本机构{YEAR}年度的年度报告已存在，每年只能有一份" in html


# ---- HR's review ------------------------------------------------------------------------------------


def _submitted(app, login_as, **changes) -> int:
    inst = login_as("inst_a")
    report_id = new_report(app, inst, **changes)
    attach(inst, report_id)
    assert post(inst, f"{MINE}/submit/?id={report_id}").status_code == 302
    return report_id


def test_hr_approves_closes_or_returns_and_the_history_shows_each_step(app, login_as):
    approved = _submitted(app, login_as)
    hr = login_as("gd_hr")
    page = hr.get(f"{REVIEW}/details/?id={approved}").get_data(as_text=True)
    assert "年度报告.pdf" in page and 'id="review-form"' in page
    assert "不同意时请填写审核意见" in flashes(decide(hr, approved, "return").get_data(as_text=True))
    decide(hr, approved, "approve", "同意")
    assert report(app, approved).status == ApplicationStatus.APPROVED
    assert steps(app, approved)[-1] == ("年度报告审核", ReviewResult.APPROVE, "同意")
    assert "已审核" in flashes(decide(hr, approved, "close", "重复").get_data(as_text=True))

    returned = _submitted(app, login_as, year=str(YEAR - 1))
    decide(hr, returned, "return", "请补充下年度培训计划")
    assert report(app, returned).status == ApplicationStatus.RETURNED
    inst = login_as("inst_a")
    page = inst.get(f"{MINE}/details/?id={returned}").get_data(as_text=True)
    assert "请补充下年度培训计划" in page and "年度报告已被退回" in page
    # returned: editable and 申报 again, still not deletable
    assert post(inst, f"{MINE}/edit/?id={returned}", {"year": str(YEAR - 1), "name": "补充后的报告"}).status_code == 302
    gone = post(inst, f"{MINE}/delete/", {"id": str(returned), "url": f"{MINE}/"}, follow=True)
    assert "已申报的年度报告不可删除" in flashes(gone.get_data(as_text=True))
    assert post(inst, f"{MINE}/submit/?id={returned}").status_code == 302
    decide(hr, returned, "close", "不符合要求")
    assert report(app, returned).status == ApplicationStatus.CLOSED
    assert [s[1] for s in steps(app, returned)] == ["submit", "return", "submit", "close"]


def test_batch_review_decides_each_and_reports_the_skipped(app, login_as):
    first = _submitted(app, login_as)
    second = _submitted(app, login_as, year=str(YEAR - 1))
    hr = login_as("gd_hr")
    decide(hr, second, "approve")
    response = hr.post(f"{REVIEW}/batch/?id={first}&id={second}", {"result": "approve", "opinion": "批量同意"},
                       token_page=f"{REVIEW}/", follow_redirects=True)
    message = flashes(response.get_data(as_text=True))
    assert "成功1条" in message and "跳过1条" in message, message
    assert report(app, first).status == ApplicationStatus.APPROVED


def _todo(client) -> int:
    html = client.get("/admin/").get_data(as_text=True)
    match = re.search(r"<td>继续教育基地年度报告待审核</td>\s*<td[^>]*>(\d+)</td>", html)
    assert match, "no such to-do"
    return int(match.group(1))


def test_the_workbench_counts_what_waits(app, login_as):
    before = _todo(login_as("gd_hr"))
    assert before == 1  # the demo's: 广东示范继续教育学院's report of last year
    _submitted(app, login_as)
    assert _todo(login_as("gd_hr")) == before + 1
    assert _todo(login_as("gz_hr")) == 0


# ---- who may not -----------------------------------------------------------------------------------


def test_other_organisations_get_404_on_every_route(app, login_as, other_institution):
    report_id = _submitted(app, login_as)
    draft_id = new_report(app, login_as("inst_a"), year=str(YEAR - 1))
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id).filter_by(owner_type="annual_report", owner_id=report_id))
    other = login_as("inst_yx")
    for rid in (report_id, draft_id):
        for url in (f"{MINE}/details/?id={rid}", f"{MINE}/edit/?id={rid}"):
            assert other.get(url).status_code == 404, url
        for url in (f"{MINE}/edit/?id={rid}", f"{MINE}/submit/?id={rid}", f"{MINE}/attachments/upload/?id={rid}",
                    f"{MINE}/attachments/delete/?id={rid}&attachment_id={attachment_id}"):
            assert post(other, url).status_code == 404, url
        assert post(other, f"{MINE}/delete/", {"id": str(rid), "url": f"{MINE}/"}).status_code == 404
        assert act(other, MINE, "submit", [rid], follow=False).status_code == 404
        assert act(other, MINE, "delete", [rid], follow=False).status_code == 404
    assert other.get(f"/attachments/{attachment_id}").status_code == 404
    # HR of another region: the report is not routed to it
    gz = login_as("gz_hr")
    for url in (f"{REVIEW}/details/?id={report_id}", f"{REVIEW}/batch/?id={report_id}", f"/attachments/{attachment_id}"):
        assert gz.get(url).status_code == 404, url
    assert gz.post(f"{REVIEW}/review/?id={report_id}", {"result": "approve"}, token_page=f"{REVIEW}/").status_code == 404
    # a draft is never on a review screen, even for the HR of its region
    assert login_as("gd_hr").get(f"{REVIEW}/details/?id={draft_id}").status_code == 404
    assert login_as("gd_hr").get(f"/attachments/{attachment_id}").status_code == 200
    assert report(app, report_id).status == ApplicationStatus.PENDING and report(app, draft_id) is not None


def test_the_other_institution_files_to_the_city_hr(app, login_as, other_institution):
    other = login_as("inst_yx")
    response = create(other, name="越秀年度报告")
    assert response.status_code == 302
    with app.app_context():
        rid = db.session.scalar(select(AnnualReport.id).where(AnnualReport.institution_id == other_institution))
    attach(other, rid)
    done = post(other, f"{MINE}/submit/?id={rid}", follow=True)
    assert "审核部门：广州市人力资源和社会保障局" in flashes(done.get_data(as_text=True))
    assert login_as("gz_hr").get(f"{REVIEW}/details/?id={rid}").status_code == 200
    assert login_as("gd_hr").get(f"{REVIEW}/details/?id={rid}").status_code == 404  # not routed to it


def test_other_kinds_have_no_such_screen(login_as):
    for who in ("unit_b", "p_chen", "gd_edu", "helpdesk"):
        assert login_as(who).get(f"{MINE}/").status_code in (403, 404), who
    for who in ("inst_a", "unit_b", "p_chen"):
        assert login_as(who).get(f"{REVIEW}/").status_code in (403, 404), who
