"""人员调出: 先选择调出人员, 确认后信息自动覆盖, 再填写调入单位 → 调出请求; refusals change nothing; 撤销."""
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import AuditAction, TransferStatus
from backoffice.models import AuditLog, ReviewLog, Transfer

from transfer_helpers import (
    HOSPITAL,
    SHENZHEN,
    UNIVERSITY,
    act,
    cancel,
    flashes,
    org_id,
    person,
    reload,
    send,
    transfer_out,
    transfers_of,
)


def _transfer_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Transfer))


def test_the_picker_lists_only_confirmed_people_of_the_unit(university):
    page = university.get("/admin/transfer_out/request/").get_data(as_text=True)
    assert "陈诗慧" in page and "赵明远" in page
    assert "王新" not in page  # still waiting for the unit's confirmation
    assert "刘文斌" not in page and "蒋丽华" not in page  # other units' people
    found = university.get("/admin/transfer_out/request/?q=陈诗").get_data(as_text=True)
    assert "陈诗慧" in found and "赵明远" not in found


def test_choosing_a_person_shows_their_details_before_the_request(app, university):
    chen = person(app, "陈诗慧")
    page = university.get(f"/admin/transfer_out/request/?person_id={chen.id}").get_data(as_text=True)
    assert "确认后专业技术人员信息会自动覆盖" in page
    assert chen.id_number in page and "讲师" in page
    assert 'name="to_unit"' in page and 'name="reason"' in page


def test_a_request_waits_for_the_receiving_unit(app, university):
    transfer = send(app, university, "陈诗慧", SHENZHEN)
    assert transfer.status == TransferStatus.PENDING
    assert transfer.from_unit_id == org_id(app, UNIVERSITY)
    assert transfer.to_unit_id == org_id(app, SHENZHEN)
    assert transfer.reason == "工作调动"
    # the person has not moved yet
    assert person(app, "陈诗慧").unit_id == org_id(app, UNIVERSITY)

    listing = university.get("/admin/transfer_out/").get_data(as_text=True)
    assert "陈诗慧" in listing and SHENZHEN in listing and "待调入确认" in listing
    with app.app_context():
        assert db.session.scalar(
            select(func.count()).select_from(AuditLog).where(
                AuditLog.action == AuditAction.TRANSFER, AuditLog.object_type == "transfer",
                AuditLog.object_id == str(transfer.id),
            )
        ) == 1
        step = db.session.scalar(
            select(ReviewLog.step).where(ReviewLog.object_type == "transfer", ReviewLog.object_id == transfer.id)
        )
        assert step == "人员调出"


def test_a_pending_transfer_blocks_a_second(app, university, chen_to_shenzhen):
    chen = person(app, "陈诗慧")
    page = transfer_out(university, chen.id, org_id(app, HOSPITAL)).get_data(as_text=True)
    assert "已有待调入确认的调转申请，不能重复调出" in page
    assert len(transfers_of(app, "陈诗慧")) == 1
    # the picker says so too
    picker = university.get("/admin/transfer_out/request/?q=陈诗慧").get_data(as_text=True)
    assert "调转中" in picker


def test_another_units_person_cannot_be_transferred_by_a_forged_id(app, university):
    liu = person(app, "刘文斌")  # 深圳示范科技有限公司's
    before = _transfer_count(app)
    response = transfer_out(university, liu.id, org_id(app, HOSPITAL))
    assert response.status_code == 404  # another unit's person: as if there were none
    assert liu.id_number not in response.get_data(as_text=True)
    assert _transfer_count(app) == before
    assert person(app, "刘文斌").unit_id == org_id(app, SHENZHEN)


def test_a_person_not_yet_confirmed_cannot_be_transferred(app, university):
    page = transfer_out(university, person(app, "王新").id, org_id(app, SHENZHEN)).get_data(as_text=True)
    assert "该人员不是本单位已确认的专业技术人员，不能调出" in flashes(page)
    assert transfers_of(app, "王新") == []


def test_the_receiving_unit_must_be_another_approved_unit(app, university):
    chen = person(app, "陈诗慧").id
    own = transfer_out(university, chen, org_id(app, UNIVERSITY)).get_data(as_text=True)
    assert "不能选择本单位" in own
    pending_org = transfer_out(university, chen, org_id(app, "广州示范科技学校")).get_data(as_text=True)
    assert "所选单位不存在或尚未通过审核，请重新选择" in pending_org
    hr = transfer_out(university, chen, org_id(app, "广东省人力资源和社会保障厅")).get_data(as_text=True)
    assert "所选单位不存在或尚未通过审核，请重新选择" in hr
    missing = transfer_out(university, chen, "").get_data(as_text=True)
    assert "请选择调入单位" in missing
    too_long = transfer_out(university, chen, org_id(app, SHENZHEN), reason="长" * 201).get_data(as_text=True)
    assert "调出说明限200字" in too_long
    assert transfers_of(app, "陈诗慧") == []


def test_the_sender_can_withdraw_a_pending_request(app, university, chen_to_shenzhen):
    page = cancel(university, chen_to_shenzhen.id).get_data(as_text=True)
    assert "已撤销陈诗慧的调出请求" in flashes(page)
    assert reload(app, chen_to_shenzhen.id).status == TransferStatus.CANCELLED
    details = university.get(f"/admin/transfer_log/details/?id={chen_to_shenzhen.id}").get_data(as_text=True)
    assert "发出调出请求" in details and "撤销调出" in details and "已撤销" in details
    again = cancel(university, chen_to_shenzhen.id).get_data(as_text=True)
    assert "当前状态为“已撤销”" in flashes(again)
    # once withdrawn, the person can be transferred again
    send(app, university, "陈诗慧", HOSPITAL)


def test_the_receiving_unit_cannot_withdraw(app, shenzhen, chen_to_shenzhen):
    # 人员调出 lists only the unit's own requests: the receiving side finds nothing there
    assert cancel(shenzhen, chen_to_shenzhen.id, follow=False).status_code == 404
    assert reload(app, chen_to_shenzhen.id).status == TransferStatus.PENDING


def test_batch_withdraw_says_what_was_skipped(app, university, chen_to_shenzhen):
    zhou = send(app, university, "周慧芳", SHENZHEN)  # 赵明远 already has the demo's pending transfer
    cancel(university, zhou.id)
    page = act(university, "transfer_out", "cancel", [chen_to_shenzhen.id, zhou.id]).get_data(as_text=True)
    assert "撤销成功1条，跳过1条" in flashes(page)
    assert "周慧芳" in flashes(page)
    assert reload(app, chen_to_shenzhen.id).status == TransferStatus.CANCELLED
