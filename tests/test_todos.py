"""工作台: each role sees what waits for it, counted inside its scope, one click from the list that holds it.

The fixture adds to the demo a row of every queue, some inside and some outside each reviewer's reach,
so each count below is the demo's waiting rows plus exactly the fixture rows the actor may see.
"""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, BindingStatus, CodeType, OrgKind, RegionLevel, TransferStatus
from backoffice.models import OrgChange, Organisation, Person, PersonChange, Transfer
from backoffice.models.base import utcnow
from backoffice.todos import QUEUES
from backoffice.validators import make_citizen_id, make_uscc
from pages import list_table

TODO_ROW = re.compile(
    r'<tr[^>]*data-todo="(\w+)"[^>]*>\s*<td>[^<]*</td>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>([^<]*)</td>\s*'
    r'<td>(?:<a href="([^"]+)">)?',
)


def todos(client) -> dict[str, tuple[int, str, str]]:
    """code → (待办数量, 最长已等待, link) as the 工作台 shows them."""
    html = client.get("/admin/").get_data(as_text=True)
    return {code: (int(n), days.strip(), url) for code, n, days, url in TODO_ROW.findall(html)}


def counts(client) -> dict[str, int]:
    return {code: n for code, (n, _, _) in todos(client).items()}


def _org(name, code_seq, kind, region, level, reviewer, days_ago=0, **extra):
    org = Organisation(
        name=name, kind=kind, code_type=CodeType.USCC, code=make_uscc(f"91440000TD{code_seq:07d}"),
        level=level, region_code=region, status=ApplicationStatus.PENDING, reviewer_org_id=reviewer.id,
        submitted_at=utcnow() - timedelta(days=days_ago), **extra,
    )
    db.session.add(org)
    return org


def _named(name):
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def _person(name, unit, seq, binding):
    person = Person(
        name=name, id_number=make_citizen_id("440106", date(1990, 1, 1), f"{seq:03d}"),
        sex="男" if seq % 2 else "女", unit_id=unit.id, binding_status=binding,
    )
    db.session.add(person)
    return person


@pytest.fixture
def waiting(app):
    """Rows waiting in every queue, inside and outside each actor's reach."""
    with app.app_context():
        gz_hr, gd_hr, gd_edu = _named("广州市人力资源和社会保障局"), _named("广东省人力资源和社会保障厅"), _named("广东省教育厅")
        university, shenzhen, hospital = _named("广州示范大学"), _named("深圳示范科技有限公司"), _named("广州示范医院")
        # 广州: a unit waiting 3 days for 广州市人社局; 深圳: one for 广东省人社厅
        _org("广州待办测试有限公司", 1, OrgKind.UNIT, "440106", RegionLevel.CITY, gz_hr, days_ago=3)
        _org("深圳待办测试有限公司", 2, OrgKind.UNIT, "440305", RegionLevel.COUNTY, gd_hr, days_ago=1)
        # A 深圳 unit routed to 广州市人社局 by mistake: outside its region, so not its to-do either.
        _org("深圳错送测试有限公司", 3, OrgKind.UNIT, "440304", RegionLevel.COUNTY, gz_hr)
        _org("广东待办测试学院", 4, OrgKind.INSTITUTION, "440000", RegionLevel.PROVINCE, gd_hr)
        _org("广东待办测试厅", 5, OrgKind.INDUSTRY, "440000", RegionLevel.PROVINCE, gd_hr)
        _org("广州待办测试局", 6, OrgKind.INDUSTRY, "440100", RegionLevel.CITY, gd_edu,
             series_id=gd_edu.series_id, parent_id=gd_edu.id)
        db.session.add(OrgChange(
            org_id=university.id, code_type=CodeType.USCC, code=make_uscc("91440106TD0000007"),
            reason="更名", status=ApplicationStatus.PENDING, reviewer_org_id=gz_hr.id, submitted_at=utcnow(),
        ))
        # 医院: two people waiting, a change request and a transfer in; 大学: one more person
        for seq, name in enumerate(["待确认甲", "待确认乙"], start=601):
            _person(name, hospital, seq, BindingStatus.PENDING)
        _person("待确认丙", university, 603, BindingStatus.PENDING)
        member = _person("已确认丁", hospital, 605, BindingStatus.CONFIRMED)
        mover = _person("调动戊", shenzhen, 607, BindingStatus.CONFIRMED)
        db.session.flush()
        db.session.add(PersonChange(
            person_id=member.id, before={"title": "医师"}, after={"title": "主治医师"},
            status=ApplicationStatus.PENDING, reviewer_org_id=hospital.id, submitted_at=utcnow(),
        ))
        db.session.add(Transfer(
            person_id=mover.id, from_unit_id=shenzhen.id, to_unit_id=hospital.id, status=TransferStatus.PENDING,
        ))
        db.session.commit()


EXPECTED = {
    # demo: 广州示范科技学校 and 广州示范职业培训中心 wait for 广州市人社局
    ("gz_hr", None): {"unit_applications": 2, "institution_applications": 1, "industry_applications": 0,
                      "org_changes": 1, "plans": 0, "records_to_recognise": 0, "annual_reports": 0},
    # demo: 广东示范继续教育学院 (province level, 440000) 申报ed last year's 年度报告: it waits for 广东省人社厅
    ("gd_hr", None): {"unit_applications": 1, "institution_applications": 1, "industry_applications": 1,
                      "org_changes": 0, "plans": 0, "records_to_recognise": 0, "annual_reports": 1},
    # demo: 深圳市教育局 waits for 广东省教育厅, so does 广东示范继续教育学院's 数字化转型研修 plan;
    # 广州示范大学's 课程思政专题培训 plan waits for 广州市教育局
    ("gd_edu", None): {"sub_industry_applications": 2, "org_changes": 0, "qualifications": 0, "plans": 1,
                       "enrol_applications": 0},
    ("gz_edu", None): {"sub_industry_applications": 0, "org_changes": 0, "qualifications": 0, "plans": 1,
                       "enrol_applications": 0},
    # demo: 王新 waits for confirmation, 钱雅琴's promotion for review; for 认定: 陈诗慧's records (her own and
    # 广东示范继续教育学院's 学员成绩申报) and the two 合格 of its finished 师德师风 class (陈诗慧, 钱雅琴)
    # 学时预警 (hours_short): no confirmed person of the demo's units has this year's 90 学时 but 刘文斌
    # (深圳示范科技有限公司); the fixture's confirmed 已确认丁 and 调动戊 have none either
    ("unit_a", "广州示范大学"): {"people_to_confirm": 2, "person_changes": 1, "transfers_in": 0,
                                "records_to_recognise": 4, "hours_short": 7},
    ("unit_c", None): {"people_to_confirm": 2, "person_changes": 1, "transfers_in": 1, "records_to_recognise": 0,
                       "hours_short": 5},
    # demo: 赵明远's transfer waits for 深圳示范科技有限公司, and 刘文斌's own record for 认定
    ("unit_b", None): {"people_to_confirm": 0, "person_changes": 0, "transfers_in": 1, "records_to_recognise": 1,
                       "hours_short": 5},
    # unit_a acting for 广州示范医院 holds only its role's modules: no to-do of the hospital's
    ("unit_a", "广州示范医院"): {},
    # demo: 陈诗慧 and 吴志刚 applied to 广东示范继续教育学院's class
    ("inst_a", None): {"enrol_applications": 2},
    ("admin", None): {},
    ("helpdesk", None): {},
    ("p_chen", None): {},
}


@pytest.mark.parametrize("login,org", list(EXPECTED), ids=[f"{l}-{o or ''}" for l, o in EXPECTED])
def test_each_role_counts_only_what_waits_for_it(waiting, login_as, login, org):
    assert counts(login_as(login, org)) == EXPECTED[(login, org)]


def test_the_oldest_waiting_row_says_how_long_it_has_waited(waiting, login_as):
    shown = todos(login_as("gz_hr"))
    assert shown["unit_applications"][1] == "3天"
    assert shown["industry_applications"][1] == "—"  # nothing waits


def test_one_click_opens_the_list_holding_exactly_the_counted_rows(waiting, login_as):
    for login, org in [("gz_hr", None), ("gd_hr", None), ("gd_edu", None), ("unit_c", None), ("unit_b", None), ("inst_a", None)]:
        client = login_as(login, org)
        for code, (count, _, url) in todos(client).items():
            table = list_table(client.get(url).get_data(as_text=True))
            rows = len(re.findall(r'<td class="text-muted row-number">', table))
            assert rows == count, (login, code, url)
            if count:
                # a labelled way to act ([查看] the person: 学时预警 is to read, not to decide)
                assert "[审核]" in table or 'value="1"' in table or (code == "hours_short" and "[查看]" in table), \
                    (login, code)


def test_every_queue_names_a_module_with_a_screen(app):
    admin = app.extensions["backoffice_admin"]
    modules = {getattr(v, "module", None) for v in admin._views}
    assert {q.module for q in QUEUES} <= modules


def test_an_organisation_waiting_for_its_review_is_told_so(login_as):
    client = login_as("unit_d")
    html = client.get("/admin/").get_data(as_text=True)
    assert "本单位的角色申请已送审，等待广州市人力资源和社会保障局审核" in html
    assert 'id="todos"' not in html


def test_an_approved_organisation_has_no_application_to_do(login_as):
    html = login_as("unit_b").get("/admin/").get_data(as_text=True)
    assert "角色申请" not in html.split('id="page-heading"', 1)[-1].split("</nav>")[-1]
    page = login_as("unit_b").get("/admin/org_application/application/").get_data(as_text=True)
    assert "角色申请已审核通过" in page and "重新选择单位账号" not in page


def test_a_person_sees_the_next_step(app, login_as):
    assert "已提交广州示范大学确认，等待单位确认" in login_as("p_new").get("/admin/").get_data(as_text=True)
    assert "广州示范大学已确认您的信息" in login_as("p_chen").get("/admin/").get_data(as_text=True)
    with app.app_context():
        chen = db.session.scalar(select(Person).where(Person.name == "陈诗慧"))
        chen.binding_status, chen.unit_id = BindingStatus.RELEASED, None
        db.session.commit()
    html = login_as("p_chen").get("/admin/").get_data(as_text=True)
    assert "请完善人员基本信息并选择工作单位" in html and 'href="/admin/my_profile/"' in html


def test_an_invited_operator_is_asked_to_answer(login_as):
    html = login_as("unit_d").get("/admin/").get_data(as_text=True)  # 广州示范医院 invited him
    assert "有1个单位申请绑定您的账号为经办人员" in html and 'href="/me/bindings"' in html


def test_the_counts_are_one_query_each(login_as, counting):
    client = login_as("gz_hr")
    with counting() as statements:
        client.get("/admin/")
    queue_queries = [s for s in statements if "count(" in s.lower() and "min(" in s.lower()]
    assert len(queue_queries) == 7  # 审核法人单位, 审核施教机构, 审核行业主管部门, 审核机构信息修改, 专业课计划审核, 继续教育记录认定, 审核继续教育基地年度报告
