"""人员调入: the receiving unit reads the person through the transfer, 确认调入 or 拒绝调入, one or many."""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, AuditAction, BindingStatus, ReviewResult, TransferStatus
from backoffice.models import AuditLog, Department, Person, PersonChange, ReviewLog
from backoffice.models.base import utcnow
from pages import cleared, list_table
from transfer_helpers import (
    HOSPITAL,
    SHENZHEN,
    UNIVERSITY,
    act,
    cancel,
    decide,
    flashes,
    org_id,
    person,
    reload,
    send,
)


def test_the_receiving_unit_sees_the_request_and_the_persons_details(app, shenzhen, chen_to_shenzhen):
    listing = shenzhen.get("/admin/transfer_in/").get_data(as_text=True)
    assert "陈诗慧" in listing and UNIVERSITY in listing and "待调入确认" in listing
    chen = person(app, "陈诗慧")
    page = shenzhen.get(f"/admin/transfer_in/details/?id={chen_to_shenzhen.id}").get_data(as_text=True)
    for label in ["姓名", "性别", "公民身份号码", "出生日期", "民族", "最高学历", "专业技术任职资格",
                  "资格级别", "专业系列", "从事专业", "联系电话", "调出单位"]:
        assert label in page, label
    assert chen.id_number in page and "中级" in page and UNIVERSITY in page
    assert 'value="accept"' in page and 'value="refuse"' in page
    # it cannot open the person's own page before the transfer
    assert shenzhen.get(f"/admin/person_maintain/details/?id={chen.id}").status_code == 404


def test_pending_requests_come_first(app, login_as, shenzhen, chen_to_shenzhen):
    hospital = login_as("unit_c")
    jiang = send(app, hospital, "蒋丽华", SHENZHEN)
    decide(shenzhen, jiang.id, "refuse", "暂无编制")
    # 周慧芳, not 赵明远: the demo already has 赵明远's transfer to 深圳示范科技有限公司 waiting
    send(app, login_as("unit_a", UNIVERSITY), "周慧芳", SHENZHEN)
    waiting = list_table(shenzhen.get("/admin/transfer_in/").get_data(as_text=True))  # opens on 待调入确认
    assert "周慧芳" in waiting and "陈诗慧" in waiting and "蒋丽华" not in waiting
    listing = list_table(cleared(shenzhen, "/admin/transfer_in/"))
    assert listing.index("周慧芳") < listing.index("陈诗慧") < listing.index("蒋丽华")
    assert listing.index("赵明远") < listing.index("蒋丽华")  # the demo's waiting request is pending too


def test_accepting_moves_the_person_to_the_receiving_unit(app, university, shenzhen, chen_to_shenzhen):
    with app.app_context():  # 陈诗慧 sits in a department of the university
        dept = Department(org_id=org_id(app, UNIVERSITY), name="教务处", depth=0)
        db.session.add(dept)
        db.session.flush()
        db.session.get(Person, chen_to_shenzhen.person_id).department_id = dept.id
        db.session.commit()

    page = decide(shenzhen, chen_to_shenzhen.id, "accept").get_data(as_text=True)
    assert "陈诗慧已调入本单位" in flashes(page)

    done = reload(app, chen_to_shenzhen.id)
    assert done.status == TransferStatus.ACCEPTED and done.decided_at is not None
    chen = person(app, "陈诗慧")
    assert chen.unit_id == org_id(app, SHENZHEN)
    assert chen.binding_status == BindingStatus.CONFIRMED
    assert chen.department_id is None
    # the new unit now maintains the person
    assert shenzhen.get(f"/admin/person_maintain/details/?id={chen.id}").status_code == 200
    with app.app_context():
        actions = set(
            db.session.scalars(
                select(AuditLog.object_type).where(AuditLog.action == AuditAction.TRANSFER)
            )
        )
        assert {"transfer", "person"} <= actions
        results = list(
            db.session.scalars(
                select(ReviewLog.result).where(ReviewLog.object_type == "transfer",
                                               ReviewLog.object_id == done.id).order_by(ReviewLog.id)
            )
        )
        assert results == [ReviewResult.SUBMIT, ReviewResult.APPROVE]


def test_accepting_closes_the_persons_pending_changes(app, shenzhen, chen_to_shenzhen):
    with app.app_context():
        change = PersonChange(
            person_id=chen_to_shenzhen.person_id, before={"title": "讲师"}, after={"title": "副教授"},
            status=ApplicationStatus.PENDING, reviewer_org_id=org_id(app, UNIVERSITY), submitted_at=utcnow(),
        )
        db.session.add(change)
        db.session.commit()
        change_id = change.id

    decide(shenzhen, chen_to_shenzhen.id, "accept")

    with app.app_context():
        assert db.session.get(PersonChange, change_id).status == ApplicationStatus.CLOSED
        log = db.session.scalar(
            select(ReviewLog).where(ReviewLog.object_type == "person_change", ReviewLog.object_id == change_id)
        )
        assert log.step == "人员调转" and log.result == ReviewResult.CLOSE
        assert log.opinion == "人员已调转，申请自动结案"
        assert log.reviewer_org_id == org_id(app, SHENZHEN)


def test_refusing_needs_an_opinion_and_leaves_the_person_where_they_are(app, shenzhen, chen_to_shenzhen):
    page = decide(shenzhen, chen_to_shenzhen.id, "refuse", "  ").get_data(as_text=True)
    assert "请填写调入意见" in flashes(page)
    assert reload(app, chen_to_shenzhen.id).status == TransferStatus.PENDING
    page = decide(shenzhen, chen_to_shenzhen.id, "refuse", "长" * 201).get_data(as_text=True)
    assert "调入意见限200字" in flashes(page)
    assert reload(app, chen_to_shenzhen.id).status == TransferStatus.PENDING

    page = decide(shenzhen, chen_to_shenzhen.id, "refuse", "本单位暂无该岗位编制").get_data(as_text=True)
    assert "已拒绝陈诗慧调入本单位" in flashes(page)
    refused = reload(app, chen_to_shenzhen.id)
    assert refused.status == TransferStatus.REFUSED and refused.opinion == "本单位暂无该岗位编制"
    assert person(app, "陈诗慧").unit_id == org_id(app, UNIVERSITY)
    # decided: no more buttons, and a second decision is refused
    details = shenzhen.get(f"/admin/transfer_in/details/?id={refused.id}").get_data(as_text=True)
    assert 'value="accept"' not in details and "本单位暂无该岗位编制" in details
    again = decide(shenzhen, refused.id, "accept").get_data(as_text=True)
    assert "当前状态为“已拒绝调入”" in flashes(again)
    assert person(app, "陈诗慧").unit_id == org_id(app, UNIVERSITY)


def test_accepting_a_withdrawn_request_changes_nothing(app, university, shenzhen, chen_to_shenzhen):
    cancel(university, chen_to_shenzhen.id)
    page = decide(shenzhen, chen_to_shenzhen.id, "accept").get_data(as_text=True)
    assert "该调转申请当前状态为“已撤销”，不能再办理" in flashes(page)
    assert reload(app, chen_to_shenzhen.id).status == TransferStatus.CANCELLED
    chen = person(app, "陈诗慧")
    assert chen.unit_id == org_id(app, UNIVERSITY) and chen.binding_status == BindingStatus.CONFIRMED


def test_a_person_released_meanwhile_cannot_be_accepted(app, shenzhen, chen_to_shenzhen):
    with app.app_context():
        db.session.get(Person, chen_to_shenzhen.person_id).binding_status = BindingStatus.RELEASED
        db.session.commit()
    page = decide(shenzhen, chen_to_shenzhen.id, "accept").get_data(as_text=True)
    assert "已不是调出单位的在职人员" in flashes(page)
    assert reload(app, chen_to_shenzhen.id).status == TransferStatus.PENDING
    chen = person(app, "陈诗慧")
    assert chen.unit_id == org_id(app, UNIVERSITY) and chen.binding_status == BindingStatus.RELEASED


def test_batch_accept_reports_counts(app, login_as, university, shenzhen, chen_to_shenzhen):
    jiang = send(app, login_as("unit_c"), "蒋丽华", SHENZHEN)
    zhou = send(app, university, "周慧芳", SHENZHEN)  # 赵明远 already has the demo's pending transfer
    cancel(university, zhou.id)

    page = act(shenzhen, "transfer_in", "accept", [chen_to_shenzhen.id, jiang.id, zhou.id]).get_data(as_text=True)
    summary = flashes(page)
    assert "确认调入成功2条，跳过1条" in summary and "周慧芳" in summary and "已撤销" in summary
    assert person(app, "陈诗慧").unit_id == org_id(app, SHENZHEN)
    assert person(app, "蒋丽华").unit_id == org_id(app, SHENZHEN)
    assert person(app, "周慧芳").unit_id == org_id(app, UNIVERSITY)


def test_batch_refuse_asks_one_opinion_for_all(app, login_as, shenzhen, chen_to_shenzhen):
    jiang = send(app, login_as("unit_c"), "蒋丽华", SHENZHEN)
    ids = [chen_to_shenzhen.id, jiang.id]
    chosen = act(shenzhen, "transfer_in", "refuse", ids, follow=False)
    assert chosen.status_code == 302 and "/admin/transfer_in/batch/" in chosen.headers["Location"]
    form = shenzhen.get(chosen.headers["Location"]).get_data(as_text=True)
    assert "批量拒绝调入" in form and "陈诗慧" in form and "蒋丽华" in form

    batch_url = "/admin/transfer_in/batch/"
    empty = shenzhen.post(batch_url, {"id": ids, "decision": "refuse", "opinion": ""}, token_page="/admin/transfer_in/")
    assert "请填写调入意见" in empty.get_data(as_text=True)
    assert reload(app, jiang.id).status == TransferStatus.PENDING

    done = shenzhen.post(batch_url, {"id": ids, "decision": "refuse", "opinion": "编制已满"},
                         token_page="/admin/transfer_in/", follow_redirects=True)
    assert "拒绝调入成功2条" in flashes(done.get_data(as_text=True))
    assert {reload(app, i).status for i in ids} == {TransferStatus.REFUSED}
    assert person(app, "蒋丽华").unit_id == org_id(app, HOSPITAL)
