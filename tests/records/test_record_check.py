"""学时学分审验 (issue 11 item 3) through HTTP: the HR's list of its region's approved records and its
filters, 随机抽查, 审验通过 (lower hours) and 审验不通过 (reason required; hours cleared, back to the declarer,
who corrects and resubmits), both in the 审批流程, batch 审验 with a skipped row, other regions' rows 404."""
from datetime import timedelta

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, RecordSource
from backoffice.models import Organisation, Person, Record

from pages import act, cleared, flashes, list_table, search_box
from records_helpers import DECLARE, START, id_from, post, record, steps

CHECK = "/admin/record_check"
GZ_HR = "广州市人力资源和社会保障局"


def _approved(app, name: str, course: str, hours: str = "12", year: int | None = None) -> int:
    """An approved, unchecked record of `name`, declared by that person."""
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.name == name))
        unit = db.session.get(Organisation, person.unit_id)
        on = START - timedelta(days=len(course))
        row = Record(
            person_id=person.id, course_type="professional", course_name=course, study_form_code="01",
            start_on=on, end_on=on, days=2, exam_result="pass", declared_hours=hours, approved_hours=hours,
            year=year or on.year, source=RecordSource.PERSON, status=ApplicationStatus.APPROVED,
            reviewer_org_id=unit.id,
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def _check(client, record_id: int, result: str, opinion: str = "", hours: str = "", follow=False):
    return client.post(
        f"{CHECK}/check/?id={record_id}", {"result": result, "opinion": opinion, "checked_hours": hours},
        token_page=f"{CHECK}/", follow_redirects=follow,
    )


def test_the_list_holds_the_regions_unchecked_approved_records_with_filters(app, login_as):
    mine = _approved(app, "陈诗慧", "审验列表测试")
    other = _approved(app, "刘文斌", "深圳审验列表测试")  # 深圳: not 广州's region
    hr = login_as("gz_hr")
    html = hr.get(f"{CHECK}/").get_data(as_text=True)
    assert "审验列表测试" in list_table(html) and "深圳审验列表测试" not in list_table(html)
    for label in ("申报年度", "课程类型", "姓名", "公民身份号码", "工作单位", "审验状态"):
        search_box(html, label)
    by_name = hr.get(f"{CHECK}/?{search_box(html, '姓名')}=刘").get_data(as_text=True)
    assert "审验列表测试" not in list_table(by_name)
    by_unit = hr.get(f"{CHECK}/?{search_box(html, '工作单位')}=示范大学").get_data(as_text=True)
    assert "审验列表测试" in list_table(by_unit)
    assert hr.get(f"{CHECK}/details/?id={mine}").status_code == 200
    assert hr.get(f"{CHECK}/details/?id={other}").status_code == 404
    assert _check(hr, other, "pass").status_code == 404
    assert hr.get(f"{CHECK}/batch/?id={other}").status_code == 404
    assert record(app, other).checked_hours is None
    # the province sees both; a unit or a person does not hold the screen
    province = login_as("gd_hr").get(f"{CHECK}/").get_data(as_text=True)
    assert "深圳审验列表测试" in list_table(province)
    assert login_as("unit_a", "广州示范大学").get(f"{CHECK}/").status_code == 403
    assert login_as("p_chen").get(f"{CHECK}/").status_code == 403


def test_a_pass_may_lower_the_hours_and_is_logged(app, login_as):
    record_id = _approved(app, "陈诗慧", "审验通过测试", hours="12")
    hr = login_as("gz_hr")
    refused = flashes(_check(hr, record_id, "pass", hours="13", follow=True).get_data(as_text=True))
    assert "审验学时不能超过认定学时（12.0学时）" in refused
    assert record(app, record_id).checked_hours is None
    assert _check(hr, record_id, "pass", hours="10").status_code == 302
    row = record(app, record_id)
    assert (row.status, str(row.checked_hours), str(row.approved_hours)) == (ApplicationStatus.APPROVED, "10.0", "10.0")
    assert steps(app, record_id)[-1] == ("学时审验", "approve", GZ_HR)
    # decided once: a second decision is refused, and the row left the default (未审验) list
    message = flashes(_check(hr, record_id, "fail", opinion="再审", follow=True).get_data(as_text=True))
    assert "已审验" in message
    assert record(app, record_id).status == ApplicationStatus.APPROVED
    assert "审验通过测试" not in list_table(hr.get(f"{CHECK}/").get_data(as_text=True))
    assert "审验通过测试" in list_table(cleared(hr, f"{CHECK}/"))
    # the person sees it in the 审批流程 of their record
    chen = login_as("p_chen")
    assert "学时审验" in chen.get(f"{DECLARE}/details/?id={record_id}").get_data(as_text=True)


def test_a_failure_needs_a_reason_clears_the_hours_and_returns_the_record(app, login_as):
    chen = login_as("p_chen")
    record_id = _approved(app, "陈诗慧", "审验不通过测试")
    hr = login_as("gz_hr")
    page = _check(hr, record_id, "fail", opinion="  ", follow=True).get_data(as_text=True)
    assert "审验不通过时请填写原因" in flashes(page)
    assert _check(hr, record_id, "fail", opinion="x" * 501).status_code == 302
    assert record(app, record_id).status == ApplicationStatus.APPROVED
    assert _check(hr, record_id, "fail", opinion="证明材料不符").status_code == 302
    row = record(app, record_id)
    assert (row.status, row.approved_hours, row.checked_hours) == (ApplicationStatus.RETURNED, None, None)
    assert steps(app, record_id)[-1] == ("学时审验", "return", GZ_HR)
    assert hr.get(f"{CHECK}/details/?id={record_id}").status_code == 404  # no longer approved
    # back to the declarer: corrected and resubmitted
    details = chen.get(f"{DECLARE}/details/?id={record_id}").get_data(as_text=True)
    assert "证明材料不符" in details and "returned-hint" in details
    assert post(chen, DECLARE, "submit", record_id).status_code == 302
    assert record(app, record_id).status == ApplicationStatus.PENDING


def test_control_characters_and_bad_hours_are_refused(app, login_as):
    record_id = _approved(app, "陈诗慧", "审验输入测试")
    hr = login_as("gz_hr")
    assert _check(hr, record_id, "fail", opinion="原因\x07").status_code == 302
    assert _check(hr, record_id, "pass", hours="abc").status_code == 302
    assert _check(hr, record_id, "pass", hours="0.2").status_code == 302
    assert _check(hr, record_id, "maybe").status_code == 302
    assert record(app, record_id).checked_hours is None and record(app, record_id).status == ApplicationStatus.APPROVED


def test_batch_check_reports_done_and_skipped(app, login_as):
    first = _approved(app, "陈诗慧", "批量审验一")
    second = _approved(app, "陈诗慧", "批量审验二")
    hr = login_as("gz_hr")
    assert _check(hr, first, "pass").status_code == 302
    response = act(hr, "record_check", "batch_check", [first, second], follow=False)
    assert response.status_code == 302 and "/batch/" in response.headers["Location"]
    page = f"{CHECK}/batch/?id={first}&id={second}"
    assert hr.get(page).status_code == 200
    refused = hr.post(page, {"id": [first, second], "result": "fail", "opinion": ""}, token_page=page)
    assert refused.status_code == 200 and "审验不通过时请填写原因" in refused.get_data(as_text=True)
    done = hr.post(page, {"id": [first, second], "result": "fail", "opinion": "抽查不合格"}, token_page=page,
                   follow_redirects=True)
    message = flashes(done.get_data(as_text=True))
    assert "审验成功1条" in message and "跳过1条" in message and "已审验" in message, message
    assert record(app, first).status == ApplicationStatus.APPROVED
    assert record(app, second).status == ApplicationStatus.RETURNED


def test_random_sample_picks_unchecked_approved_records_of_the_year(app, login_as):
    year = START.year - 3  # a year of its own
    ids = {_approved(app, "陈诗慧", f"抽查测试{n}", year=year) for n in range(3)}
    outside = _approved(app, "刘文斌", "深圳抽查测试", year=year)
    hr = login_as("gz_hr")
    assert hr.get(f"{CHECK}/sample/").status_code == 200
    for count in ("0", "201", "x"):
        page = hr.post(f"{CHECK}/sample/", {"year": year, "count": count}, token_page=f"{CHECK}/sample/")
        assert page.status_code == 200 and "抽查条数" in page.get_data(as_text=True)
    response = hr.post(f"{CHECK}/sample/", {"year": year, "count": "2"}, token_page=f"{CHECK}/sample/")
    assert response.status_code == 302
    picked = {int(i.split("&")[0]) for i in response.headers["Location"].split("id=")[1:]}
    assert len(picked) == 2 and picked <= ids
    response = hr.post(f"{CHECK}/sample/", {"year": year, "count": "200"}, token_page=f"{CHECK}/sample/")
    picked = {int(i.split("&")[0]) for i in response.headers["Location"].split("id=")[1:]}
    assert picked == ids and outside not in picked
    empty = hr.post(f"{CHECK}/sample/", {"year": 2001, "count": "5"}, token_page=f"{CHECK}/sample/",
                    follow_redirects=True)
    assert "没有未审验的已通过记录" in flashes(empty.get_data(as_text=True))


def test_the_demo_has_a_failed_check(app, login_as):
    chen = login_as("p_chen")
    with app.app_context():
        row = db.session.scalar(select(Record).where(Record.course_name == "学术会议：高等教育质量论坛"))
        record_id, status = row.id, row.status
    assert status == ApplicationStatus.RETURNED
    assert steps(app, record_id)[-1] == ("学时审验", "return", GZ_HR)
    assert "参会证明" in chen.get(f"{DECLARE}/details/?id={record_id}").get_data(as_text=True)


def test_the_check_list_does_not_query_per_row(app, login_as, counting):
    hr = login_as("gz_hr")
    url = f"{CHECK}/?page_size=100"

    def measure():
        hr.get(url)
        with counting() as statements:
            assert hr.get(url).status_code == 200
        return len(statements)

    before = measure()
    for n in range(25):
        _approved(app, "陈诗慧" if n % 2 else "王新", f"计数审验{n:02d}")
    assert measure() == before


def test_the_list_as_it_opens_is_the_condition_of_its_queue_index(app, login_as, counting):
    """学时审验 opens on 已通过 + 未审验 written into the SQL (a bound 'approved' matches no partial index on
    either database), so the database can read ix_record_to_check: the queue alone, newest first."""
    client = login_as("gd_hr")
    client.get(f"{CHECK}/")
    with counting() as statements:
        assert client.get(f"{CHECK}/").status_code == 200
    listed = [s for s in statements if "FROM record" in s and "ORDER BY record.id DESC" in s]
    assert listed and all("record.status = 'approved'" in s and "record.checked_hours IS NULL" in s for s in listed)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            # SQLite plans without the values (no STAT4): NULL for each parameter
            plan = db.session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + listed[0], (None,) * listed[0].count("?")
            ).all()
            assert "ix_record_to_check" in " ".join(str(row[-1]) for row in plan)
