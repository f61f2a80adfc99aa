"""调转记录 and who may see a transfer: both units, the sending one only as a record once the person left;
a third unit gets 404 everywhere."""
import csv
import io
from datetime import timezone

from backoffice.clock import BEIJING
from backoffice.labels import TransferStatus

from transfer_helpers import (
    SHENZHEN,
    UNIVERSITY,
    act,
    add_transfers,
    cancel,
    decide,
    org_id,
    person,
    reload,
    send,
)


def test_after_acceptance_the_sender_keeps_the_record_but_not_the_person(app, university, shenzhen, chen_to_shenzhen):
    decide(shenzhen, chen_to_shenzhen.id, "accept")
    chen = person(app, "陈诗慧")

    assert university.get(f"/admin/person_maintain/details/?id={chen.id}").status_code == 404
    assert university.get(f"/admin/person_query/details/?id={chen.id}").status_code == 404
    assert "陈诗慧" not in university.get("/admin/person_maintain/").get_data(as_text=True)

    log = university.get("/admin/transfer_log/").get_data(as_text=True)
    assert "陈诗慧" in log and "已调入" in log and "调出" in log
    details = university.get(f"/admin/transfer_log/details/?id={chen_to_shenzhen.id}")
    assert details.status_code == 200 and SHENZHEN in details.get_data(as_text=True)
    # the receiving unit's 调转记录 shows the same transfer as 调入
    assert "调入" in shenzhen.get("/admin/transfer_log/").get_data(as_text=True)


def test_a_third_unit_gets_404_on_the_transfer_everywhere(app, hospital, chen_to_shenzhen):
    tid = chen_to_shenzhen.id
    for endpoint in ["transfer_out", "transfer_in", "transfer_log"]:
        assert hospital.get(f"/admin/{endpoint}/details/?id={tid}").status_code == 404, endpoint
        assert "陈诗慧" not in hospital.get(f"/admin/{endpoint}/").get_data(as_text=True)
    assert act(hospital, "transfer_in", "accept", [tid], follow=False).status_code == 404
    assert act(hospital, "transfer_in", "refuse", [tid], follow=False).status_code == 404
    assert act(hospital, "transfer_out", "cancel", [tid], follow=False).status_code == 404
    assert decide(hospital, tid, "accept", follow=False).status_code == 404
    assert cancel(hospital, tid, follow=False).status_code == 404
    assert hospital.get(f"/admin/transfer_in/batch/?id={tid}").status_code == 404
    assert reload(app, tid).status == TransferStatus.PENDING
    assert person(app, "陈诗慧").unit_id == org_id(app, UNIVERSITY)


def test_each_side_sees_only_its_own_screen(app, university, shenzhen, chen_to_shenzhen):
    tid = chen_to_shenzhen.id
    # the sender does not decide, the receiver does not withdraw
    assert university.get(f"/admin/transfer_in/details/?id={tid}").status_code == 404
    assert decide(university, tid, "accept", follow=False).status_code == 404
    assert shenzhen.get(f"/admin/transfer_out/details/?id={tid}").status_code == 404
    assert reload(app, tid).status == TransferStatus.PENDING


def test_the_log_exports_both_directions_and_filters_by_year(app, login_as, university, shenzhen, chen_to_shenzhen):
    send(app, shenzhen, "刘文斌", UNIVERSITY)
    exported = university.get("/admin/transfer_log/export/csv/")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["姓名", "公民身份号码", "调转方向"]
    # 赵明远: the demo's transfer from 广州示范大学 to 深圳示范科技有限公司
    assert sorted((r[0], r[2]) for r in rows[1:]) == [("刘文斌", "调入"), ("赵明远", "调出"), ("陈诗慧", "调出")]

    created = reload(app, chen_to_shenzhen.id).created_at  # naive UTC; 年度 is the Beijing year
    year = created.replace(tzinfo=timezone.utc).astimezone(BEIJING).year
    page = university.get("/admin/transfer_log/").get_data(as_text=True)
    assert "年度" in page
    view = next(v for v in app.extensions["backoffice_admin"]._views if v.endpoint == "transfer_log")
    index = next(i for i, f in enumerate(view._filters) if f.name == "年度")
    this_year = university.get(f"/admin/transfer_log/?flt0_{index}={year}").get_data(as_text=True)
    assert "陈诗慧" in this_year and "刘文斌" in this_year
    other_year = university.get(f"/admin/transfer_log/?flt0_{index}={year - 1}").get_data(as_text=True)
    assert "陈诗慧" not in other_year


def test_the_status_filter_narrows_the_log(app, university, shenzhen, chen_to_shenzhen):
    decide(shenzhen, chen_to_shenzhen.id, "refuse", "暂无编制")
    view = next(v for v in app.extensions["backoffice_admin"]._views if v.endpoint == "transfer_log")
    index = next(
        i for i, f in enumerate(view._filters) if f.name == "调转状态" and f.operation() in ("equals", "等于")
    )
    refused = university.get(f"/admin/transfer_log/?flt0_{index}=refused").get_data(as_text=True)
    pending = university.get(f"/admin/transfer_log/?flt0_{index}=pending").get_data(as_text=True)
    assert "陈诗慧" in refused and "陈诗慧" not in pending


def test_a_third_unit_exports_none_of_it(hospital, chen_to_shenzhen):
    exported = hospital.get("/admin/transfer_log/export/csv/").get_data(as_text=True)
    assert "陈诗慧" not in exported


def test_transfer_lists_do_not_query_per_row(app, university, shenzhen, counting):
    pages = ["/admin/transfer_out/?page_size=100", "/admin/transfer_log/?page_size=100"]
    received = "/admin/transfer_in/?page_size=100"
    # with the demo's transfer of 赵明远 (pending, 广州示范大学 → 深圳示范科技有限公司) every list has 3 rows, then 7
    add_transfers(app, UNIVERSITY, SHENZHEN, ["陈诗慧", "孙立新"])
    university.get(pages[0])  # warm up: the first request of a session reads the actor and caches

    def cost():
        with counting() as statements:
            for page in pages:
                assert university.get(page).status_code == 200
            assert shenzhen.get(received).status_code == 200
        return len(statements)

    two = cost()
    add_transfers(app, UNIVERSITY, SHENZHEN, ["钱雅琴", "周慧芳", "吴志刚", "郑晓燕"])
    assert cost() == two
    for client, page in [(university, pages[0]), (university, pages[1]), (shenzhen, received)]:
        listing = client.get(page).get_data(as_text=True)
        assert all(name in listing for name in ["赵明远", "陈诗慧", "孙立新", "钱雅琴", "周慧芳", "吴志刚", "郑晓燕"])
