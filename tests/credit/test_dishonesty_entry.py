"""失信信息录入 (000 §1.8.1): a unit about its own confirmed people, HR about units and institutions of its
region; a forged subject is refused with a message and nothing is saved."""
import pytest
from flask import g
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Organisation, Person, User
from backoffice.policy import available_contexts, build_actor
from backoffice.workflows import WorkflowError
from backoffice.workflows.credit import save_dishonesty

from credit_helpers import (
    ENTRY, GZ_EDU, HOSPITAL, INSTITUTE, SHENZHEN, UNIVERSITY, entry_count, entry_ids, field_errors,
    flashes, list_table, lookup, new_entries, org_id, person_id, record, user_id,
)

PERSON_REFUSED = "只能录入本单位已确认的专业技术人员的失信信息"
ORG_REFUSED = "只能录入本地区法人单位或施教机构的失信信息"


def test_a_unit_records_an_entry_about_its_own_person(app, login_as):
    before = entry_ids(app)
    client = login_as("unit_a", UNIVERSITY)
    form = client.get(f"{ENTRY}/new/").get_data(as_text=True)
    assert "失信人" in form and "失信内容" in form and "限500字" in form
    assert 'name="subject_org"' not in form  # a unit records about people only

    page = record(client, "信息造假", person=person_id(app, "陈诗慧")).get_data(as_text=True)
    table = list_table(page)
    for cell in ["个人", "陈诗慧", "信息造假"]:
        assert cell in table
    for header in ["失信人类型", "失信人名称", "失信内容", "操作人", "操作时间"]:
        assert header in page
    (entry,) = new_entries(app, before)
    assert (entry.subject_type, entry.person_id, entry.subject_org_id) == ("person", person_id(app, "陈诗慧"), None)
    assert (entry.recorded_by_org_id, entry.recorded_by_user_id) == (org_id(app, UNIVERSITY), user_id(app, "unit_a"))
    with app.app_context():
        operator = db.session.get(User, entry.recorded_by_user_id).real_name
    assert operator in table


def test_the_person_picker_offers_only_the_units_confirmed_people(app, login_as):
    offered = lookup(login_as("unit_a", UNIVERSITY), "person")
    assert any(label.startswith("陈诗慧") for label in offered)
    assert not any(label.startswith("王新") for label in offered)  # still waiting for the unit to confirm
    assert not any(label.startswith("刘文斌") for label in offered)  # another unit's person
    assert lookup(login_as("unit_a", UNIVERSITY), "subject_org") == []


def test_a_unit_cannot_record_about_another_units_person_even_with_a_forged_id(app, login_as):
    before = entry_count(app)
    client = login_as("unit_a", UNIVERSITY)
    for name in ["刘文斌", "王新", "蒋丽华"]:  # 深圳's person, unconfirmed, 医院's person
        page = record(client, "伪造", person=person_id(app, name)).get_data(as_text=True)
        assert PERSON_REFUSED in field_errors(page), name
    for forged in ["abc", "99999999999999999999", "-1", "0", "999999"]:
        page = record(client, "伪造", person=forged).get_data(as_text=True)
        assert PERSON_REFUSED in field_errors(page), forged
    page = record(client, "伪造", org=org_id(app, UNIVERSITY)).get_data(as_text=True)
    assert "请选择失信人" in field_errors(page)
    assert entry_count(app) == before


def _actor(app, login, org=None):
    user = db.session.scalar(select(User).where(User.login == login))
    key = next(c.key for c in available_contexts(user) if org is None or c.label.startswith(org))
    return build_actor(user, key)


def test_the_workflow_checks_the_subject_again(app):
    """Whatever reaches the operation — another unit's person, an organisation — is refused there too."""
    before = entry_count(app)
    with app.test_request_context():
        g.actor = actor = _actor(app, "unit_a", UNIVERSITY)
        liu = db.session.scalar(select(Person).where(Person.name == "刘文斌"))
        with pytest.raises(WorkflowError, match=PERSON_REFUSED):
            save_dishonesty(None, actor, subject=liu, content="伪造")
        university = db.session.get(Organisation, org_id(app, UNIVERSITY))
        with pytest.raises(WorkflowError, match=PERSON_REFUSED):
            save_dishonesty(None, actor, subject=university, content="伪造")
        g.actor = hr = _actor(app, "gz_hr")
        shenzhen = db.session.get(Organisation, org_id(app, SHENZHEN))
        with pytest.raises(WorkflowError, match=ORG_REFUSED):
            save_dishonesty(None, hr, subject=shenzhen, content="伪造")
        chen = db.session.scalar(select(Person).where(Person.name == "陈诗慧"))
        with pytest.raises(WorkflowError, match=ORG_REFUSED):
            save_dishonesty(None, hr, subject=chen, content="伪造")
        g.actor = inst = _actor(app, "inst_a")
        with pytest.raises(WorkflowError, match="没有录入失信信息的权限"):
            save_dishonesty(None, inst, subject=university, content="伪造")
        db.session.rollback()
    assert entry_count(app) == before


def test_hr_records_about_units_and_institutions_of_its_region(app, login_as):
    before = entry_ids(app)
    client = login_as("gz_hr")
    form = client.get(f"{ENTRY}/new/").get_data(as_text=True)
    assert 'name="subject_org"' in form and 'name="person"' not in form
    offered = lookup(client, "subject_org")
    assert UNIVERSITY in offered and HOSPITAL in offered
    assert SHENZHEN not in offered and INSTITUTE not in offered and GZ_EDU not in offered
    assert lookup(client, "person") == []

    page = record(client, "拖欠培训费用", org=org_id(app, UNIVERSITY)).get_data(as_text=True)
    assert "单位" in list_table(page) and UNIVERSITY in list_table(page)
    (entry,) = new_entries(app, before)
    assert (entry.subject_type, entry.subject_org_id, entry.person_id, entry.recorded_by_org_id) == (
        "org", org_id(app, UNIVERSITY), None, org_id(app, "广州市人力资源和社会保障局")
    )


def test_hr_of_guangzhou_cannot_record_about_an_organisation_outside_guangzhou(app, login_as):
    before = entry_ids(app)
    client = login_as("gz_hr")
    for name in [SHENZHEN, INSTITUTE, GZ_EDU]:  # 深圳; province level; an industry department
        page = record(client, "伪造", org=org_id(app, name)).get_data(as_text=True)
        assert ORG_REFUSED in field_errors(page), name
    page = record(client, "伪造", person=person_id(app, "陈诗慧")).get_data(as_text=True)
    assert "请选择失信单位" in field_errors(page)
    assert entry_ids(app) == before

    # the provincial HR department covers both
    province = login_as("gd_hr")
    record(province, "未按规定开展培训", org=org_id(app, INSTITUTE))
    record(province, "虚报学时", org=org_id(app, SHENZHEN))
    assert [e.subject_org_id for e in new_entries(app, before)] == [org_id(app, INSTITUTE), org_id(app, SHENZHEN)]


def test_content_is_required_and_at_most_500_characters(app, login_as):
    before = entry_count(app)
    client = login_as("unit_a", UNIVERSITY)
    chen = person_id(app, "陈诗慧")
    assert "请填写失信内容" in field_errors(record(client, "", person=chen).get_data(as_text=True))
    assert "请填写失信内容" in field_errors(record(client, "   ", person=chen).get_data(as_text=True))
    page = record(client, "失" * 501, person=chen).get_data(as_text=True)
    assert "失信内容限500字" in field_errors(page) and "保存失败" in flashes(page)
    assert entry_count(app) == before
    record(client, "失" * 500, person=chen)
    assert entry_count(app) == before + 1
