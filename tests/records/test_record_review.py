"""继续教育记录认定 (issue 11 item 2) through HTTP: the unit's pending list and its filters, the three
outcomes with 认定学时, 退案 → 修改 → 重新送审, batch review with a skipped row, records of 结业 in the same
list, and the 工作台's count."""
import re
from datetime import timedelta

from sqlalchemy import false, func, select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, EnrolmentSource, EnrolmentStatus, ExamResult, RecordSource
from backoffice.models import AuditLog, Enrolment, Organisation, Person, Plan, Record, TrainingClass
from backoffice.todos import QUEUES

from pages import cleared, flashes, list_table, search_box
from records_helpers import DECLARE, END, REVIEW, START, decide, declare, id_from, org_id, person, post, record, steps

UNIT_A = "广州示范大学"


def _submitted(login_as, course: str, **changes) -> int:
    chen = login_as("p_chen")
    record_id = id_from(declare(chen, course_name=course, **changes))
    assert post(chen, DECLARE, "submit", record_id).status_code == 302
    return record_id


def _class_record(app, course: str) -> int:
    """A record as 结业 of an institution's class leaves it: source 培训班结业, 待审核 at the person's unit."""
    with app.app_context():
        inst = org_id(app, "广东示范继续教育学院")
        chen = person(app, "陈诗慧")
        klass = db.session.scalar(  # one of the institution's classes she is not in yet
            select(TrainingClass).join(Plan, Plan.id == TrainingClass.plan_id)
            .where(Plan.owner_org_id == inst,
                   TrainingClass.id.not_in(select(Enrolment.class_id).where(Enrolment.person_id == chen.id)))
            .order_by(TrainingClass.id.desc())
        )
        enrolment = Enrolment(class_id=klass.id, person_id=chen.id, source=EnrolmentSource.SELF,
                              status=EnrolmentStatus.ENROLLED, result=ExamResult.PASS)
        db.session.add(enrolment)
        db.session.flush()
        row = Record(
            person_id=chen.id, course_type="professional", course_name=course, study_form_code="01", start_on=START,
            end_on=END, days=2, exam_result="pass", declared_hours=12, institution_org_id=inst, year=END.year,
            source=RecordSource.CLASS, status=ApplicationStatus.PENDING, reviewer_org_id=org_id(app, UNIT_A),
            review_step="unit", declared_by_org_id=inst, enrolment_id=enrolment.id,
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def test_the_list_opens_on_what_waits_from_every_source_and_filters(app, login_as):
    own = _submitted(login_as, "认定列表测试")
    from_class = _class_record(app, "结业课程认定测试")
    unit = login_as("unit_a", UNIT_A)
    html = unit.get(f"{REVIEW}/").get_data(as_text=True)
    table = list_table(html)
    assert "认定列表测试" in table and "结业课程认定测试" in table
    assert "培训班结业" in table and "个人" in table
    assert "已通过" not in table  # opens on 待审核
    assert "学术会议：高等教育质量论坛" in list_table(cleared(unit, f"{REVIEW}/"))  # 清空 shows the decided ones
    for label in ("课程类型", "课程名称", "姓名", "公民身份号码", "申报年度", "来源", "审核状态"):
        search_box(html, label)
    by_source = unit.get(f"{REVIEW}/?{search_box(html, '来源')}=class").get_data(as_text=True)
    assert "结业课程认定测试" in list_table(by_source) and "认定列表测试" not in list_table(by_source)
    id_number = person(app, "陈诗慧").id_number
    by_id = unit.get(f"{REVIEW}/?{search_box(html, '公民身份号码')}={id_number}").get_data(as_text=True)
    assert "认定列表测试" in list_table(by_id)
    by_name = unit.get(f"{REVIEW}/?{search_box(html, '姓名')}=刘文斌").get_data(as_text=True)
    assert "认定列表测试" not in list_table(by_name)
    # the class record is decided like any other
    decide(unit, from_class, "approve")
    assert record(app, from_class).status == ApplicationStatus.APPROVED
    assert own


def test_approve_sets_the_recognised_hours_never_more_than_declared(app, login_as):
    record_id = _submitted(login_as, "认定学时测试")
    unit = login_as("unit_a", UNIT_A)
    page = unit.get(f"{REVIEW}/details/?id={record_id}").get_data(as_text=True)
    assert "认定学时" in page and "审批流程" in page and "附件材料" in page
    too_many = decide(unit, record_id, "approve", hours="12.5")
    assert "认定学时不能超过拟申报学时（12.0学时）" in flashes(too_many.get_data(as_text=True))
    assert record(app, record_id).status == ApplicationStatus.PENDING
    decide(unit, record_id, "approve", "同意", hours="9.5")
    row = record(app, record_id)
    assert (row.status, str(row.approved_hours)) == (ApplicationStatus.APPROVED, "9.5")
    assert steps(app, record_id)[-1] == ("继续教育记录认定", "approve", UNIT_A)
    again = decide(unit, record_id, "approve")
    assert "已审核" in flashes(again.get_data(as_text=True))


def test_approve_without_hours_grants_the_declared_hours(app, login_as):
    record_id = _submitted(login_as, "默认学时测试", declared_hours="7.5")
    decide(login_as("unit_a", UNIT_A), record_id, "approve")
    assert str(record(app, record_id).approved_hours) == "7.5"


def test_refuse_and_close_is_final(app, login_as):
    record_id = _submitted(login_as, "结案测试")
    unit = login_as("unit_a", UNIT_A)
    no_reason = decide(unit, record_id, "close")
    assert "不同意时请填写审核意见" in flashes(no_reason.get_data(as_text=True))
    decide(unit, record_id, "close", "与本人专业无关")
    assert record(app, record_id).status == ApplicationStatus.CLOSED
    chen = login_as("p_chen")
    resubmit = post(chen, DECLARE, "submit", record_id, follow=True)
    assert "不能送审" in flashes(resubmit.get_data(as_text=True))
    assert chen.get(f"{DECLARE}/edit/?id={record_id}").status_code == 302


def test_return_then_edit_then_resubmit(app, login_as):
    record_id = _submitted(login_as, "退案测试")
    unit = login_as("unit_a", UNIT_A)
    decide(unit, record_id, "return", "请补充结业证明")
    row = record(app, record_id)
    assert (row.status, row.approved_hours) == (ApplicationStatus.RETURNED, None)
    chen = login_as("p_chen")
    details = chen.get(f"{DECLARE}/details/?id={record_id}").get_data(as_text=True)
    assert "记录已被退回" in details and "请补充结业证明" in details
    edited = chen.post(f"{DECLARE}/edit/?id={record_id}",
                         _form(course_name="退案测试（已补充）", declared_hours="10"),
                         token_page=f"{DECLARE}/edit/?id={record_id}")
    assert edited.status_code == 302, edited.get_data(as_text=True)[-1500:]
    assert record(app, record_id).course_name == "退案测试（已补充）"
    post(chen, DECLARE, "submit", record_id)
    assert record(app, record_id).status == ApplicationStatus.PENDING
    decide(unit, record_id, "approve")
    assert str(record(app, record_id).approved_hours) == "10.0"
    assert [s[1] for s in steps(app, record_id)] == ["submit", "return", "submit", "approve"]


def _form(**changes):
    from records_helpers import record_form

    return record_form(**changes)


def test_batch_review_decides_each_row_and_reports_the_skipped_ones(app, login_as):
    first = _submitted(login_as, "批量认定一")
    second = _submitted(login_as, "批量认定二")
    unit = login_as("unit_a", UNIT_A)
    decide(unit, second, "approve")  # already decided: the batch must skip it
    page = unit.get(f"{REVIEW}/batch/?id={first}&id={second}")
    assert page.status_code == 200
    response = unit.post(f"{REVIEW}/batch/?id={first}&id={second}", {"result": "approve", "opinion": "批量同意"},
                         token_page=f"{REVIEW}/batch/?id={first}&id={second}", follow_redirects=True)
    message = flashes(response.get_data(as_text=True))
    assert "审核成功1条" in message and "跳过1条" in message and "已审核，当前状态为“已通过”" in message
    assert record(app, first).status == ApplicationStatus.APPROVED
    assert str(record(app, first).approved_hours) == "12.0"


def test_the_units_workbench_counts_records_waiting_for_its_recognition(app, login_as):
    queue = next(q for q in QUEUES if q.code == "records_to_recognise")
    unit = login_as("unit_a", UNIT_A)
    before = _count(unit)
    _submitted(login_as, "工作台计数测试")
    assert _count(unit) == before + 1
    with app.app_context():
        waiting = db.session.scalar(select(func.count()).select_from(Record).where(
            Record.status == ApplicationStatus.PENDING, Record.reviewer_org_id == org_id(app, UNIT_A)))
    assert _count(unit) == waiting
    assert queue.module == "record_review"


def _count(client) -> int:
    html = client.get("/admin/").get_data(as_text=True)
    match = re.search(r"继续教育记录待认定.*?(\d+)", html, re.S)
    assert match, "no 继续教育记录待认定 on the 工作台"
    return int(match.group(1))


def test_batch_review_costs_the_same_few_statements_a_row(app, login_as, counting):
    """Each row of a 批量审核: its savepoint, the conditional UPDATE, the release — nothing read again per
    row (the unit was re-read for every record: 1,000 statements more in a batch of 1,000), and the
    审批流程 and 操作日志 rows written for the whole batch together, each decided record with both."""
    unit = login_as("unit_a", UNIT_A)

    def statements_for(count: int, name: str) -> int:
        ids = [_submitted(login_as, f"{name}{n}") for n in range(count)]
        query = "&".join(f"id={i}" for i in ids)
        unit.get(f"{REVIEW}/batch/?{query}")
        with counting() as statements:
            response = unit.post(f"{REVIEW}/batch/?{query}", {"result": "approve", "opinion": "批量同意"},
                                 token_page=f"{REVIEW}/batch/?{query}")
        assert response.status_code == 302 and all(record(app, i).status == ApplicationStatus.APPROVED for i in ids)
        for i in ids:
            assert steps(app, i)[-1] == ("继续教育记录认定", "approve", UNIT_A), steps(app, i)
            with app.app_context():
                assert db.session.scalar(select(func.count()).select_from(AuditLog).where(
                    AuditLog.object_type == "record", AuditLog.object_id == str(i), AuditLog.action == "review")) == 1
        inserts = [s for s in statements if s.startswith("INSERT INTO")]
        return len(statements) - len(inserts), len(inserts)

    (few, few_inserts), (more, more_inserts) = statements_for(2, "每行语句少"), statements_for(6, "每行语句多")
    assert (more - few) / 4 <= 3, (few, more)
    # an 操作日志 and an 审批流程 row a record, written after the last: on PostgreSQL each table's in one
    # multi-row INSERT (SQLite's driver inserts them one by one, in-process)
    with app.app_context():
        multi_row = db.engine.dialect.name == "postgresql"
    assert (more_inserts == few_inserts) if multi_row else ((more_inserts - few_inserts) / 4 <= 2), (few_inserts, more_inserts)


def test_the_unit_a_record_goes_to_is_the_persons_unit_now(app):
    """The routing reads the unit through the person's relationship (kept while a batch runs), and by id
    when that relationship still names the unit a change in the same session has just replaced."""
    from backoffice.workflows.record_routing import person_unit

    with app.app_context():
        chen = db.session.scalar(select(Person).where(Person.name == "陈诗慧"))
        before = chen.unit
        assert person_unit(chen) is before
        other = db.session.scalar(select(Organisation).where(Organisation.kind == "unit", Organisation.id != before.id))
        chen.unit_id = other.id  # not flushed: chen.unit still names the old one
        assert person_unit(chen).id == other.id
        db.session.rollback()


def test_the_review_lists_rows_are_its_reviewed_records_within_what_the_actor_sees(app):
    """RecordReviewView scopes by `reviewer_org_id` alone, not AND-ed with visible(Record) as ReviewView
    does: for every demo identity acting for an organisation (one acting for two units among them) the
    rows are the same; an actor without one (系统管理员, a person) reviews nothing — ReviewView's
    `reviewer_org_id == None` read as IS NULL there."""
    from sqlalchemy import and_

    from backoffice.policy import visible
    from backoffice.views.records import RecordReviewView

    from test_scope_sweep import ids_per_identity

    view = next(v for v in app.extensions["backoffice_admin"]._views if isinstance(v, RecordReviewView))
    with app.app_context():  # a 草稿 naming a reviewer, which no flow leaves (撤销 clears it): still not listed
        draft = db.session.scalar(select(Record).where(Record.status == ApplicationStatus.DRAFT).limit(1))
        draft.reviewer_org_id = db.session.scalar(select(Record.reviewer_org_id).where(
            Record.reviewer_org_id.is_not(None)).limit(1))
        db.session.commit()

    def reviewed_within_visible(actor):
        if actor.org_id is None:
            return false()
        reviewed = and_(Record.reviewer_org_id == actor.org_id, Record.status != ApplicationStatus.DRAFT)
        return and_(visible(Record, actor), reviewed)

    narrowed = ids_per_identity(app, Record, lambda actor: view.scope())
    assert narrowed == ids_per_identity(app, Record, reviewed_within_visible)
    assert any(narrowed.values())  # the demo's reviewers have records: not a comparison of empty sets


def _submitted_at(app, record_id: int, when) -> None:
    with app.app_context():
        db.session.get(Record, record_id).submitted_at = when
        db.session.commit()


def test_the_queue_lists_the_latest_submitted_first_and_pending_first_when_cleared(app, login_as):
    """待审核 newest submission first, whatever the order the records were made in (a record sent back and
    送审 again waits as newly submitted); 清空 (every state) still lists what waits before what was decided."""
    older, newer = _submitted(login_as, "队列顺序甲"), _submitted(login_as, "队列顺序乙")
    with app.app_context():
        first = db.session.get(Record, newer).submitted_at
    _submitted_at(app, older, first + timedelta(hours=1))  # the first made, the last submitted
    unit = login_as("unit_a", UNIT_A)
    table = list_table(unit.get(f"{REVIEW}/").get_data(as_text=True))
    assert table.index("队列顺序甲") < table.index("队列顺序乙")
    _submitted_at(app, older, first - timedelta(hours=1))
    table = list_table(unit.get(f"{REVIEW}/").get_data(as_text=True))
    assert table.index("队列顺序乙") < table.index("队列顺序甲")
    everything = list_table(cleared(unit, f"{REVIEW}/"))
    decided = everything.index("学术会议：高等教育质量论坛")  # the demo's approved record
    assert everything.index("队列顺序甲") < decided and everything.index("队列顺序乙") < decided


def test_the_pending_queue_is_read_in_its_order_from_the_reviewers_index(app, login_as, counting):
    """On 待审核 the order is (submitted_at, id) alone — the state is one value — which ix_record_reviewer_queue
    holds: a page of a long queue is read from the index, never the whole queue sorted."""
    _submitted(login_as, "队列索引测试")
    unit = login_as("unit_a", UNIT_A)
    unit.get(f"{REVIEW}/")
    with counting() as statements:
        assert unit.get(f"{REVIEW}/").status_code == 200
    listed = [s for s in statements if "FROM record" in s and "ORDER BY" in s and "LIMIT" in s]
    assert listed and all("CASE" not in s for s in listed)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            plan = " ".join(str(row[-1]) for row in db.session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + listed[0], (None,) * listed[0].count("?")).all())
            assert "ix_record_reviewer_queue" in plan and "TEMP B-TREE" not in plan
