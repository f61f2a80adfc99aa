"""修改 / 删除 of one's own entries, other organisations' 404s, 单位失信信息查看 (000 §1.8.2) and the person's
失信信息查看 (003 §3.4.1)."""
from sqlalchemy import event

from backoffice.extensions import db

from credit_helpers import (
    ENTRY, HOSPITAL, MINE, ORG_VIEW, SHENZHEN, UNIVERSITY, act, add_entry, entries, entry_ids, field_errors,
    flashes, list_table, new_entries, person_id, record,
)


def test_edit_and_delete_own_entries(app, login_as):
    before = entry_ids(app)
    client = login_as("unit_a", UNIVERSITY)
    record(client, "信息造假", person=person_id(app, "陈诗慧"))
    record(client, "学时造假", person=person_id(app, "赵明远"))
    first, second = (e.id for e in new_entries(app, before))

    url = f"{ENTRY}/edit/?id={first}"
    assert "信息造假" in client.get(url).get_data(as_text=True)
    record(client, "信息造假（已核实）", person=person_id(app, "钱雅琴"), url=url)
    edited = entries(app, id=first)[0]
    assert (edited.content, edited.person_id) == ("信息造假（已核实）", person_id(app, "钱雅琴"))

    page = record(client, "改到别的单位", person=person_id(app, "刘文斌"), url=url).get_data(as_text=True)
    assert "只能录入本单位已确认的专业技术人员的失信信息" in field_errors(page)
    assert entries(app, id=first)[0].person_id == person_id(app, "钱雅琴")

    client.post(f"{ENTRY}/delete/", {"id": first, "url": f"{ENTRY}/"}, token_page=f"{ENTRY}/")
    assert entries(app, id=first) == []
    page = act(client, ENTRY, "delete", [second]).get_data(as_text=True)
    assert "删除成功1条" in flashes(page)
    assert entry_ids(app) == before  # both gone, the demo's entries untouched


def test_the_content_of_an_entry_about_someone_who_left_can_still_be_corrected(app, login_as):
    from backoffice.models import Person

    before = entry_ids(app)
    client = login_as("unit_a", UNIVERSITY)
    zhou = person_id(app, "周慧芳")  # not part of the demo's pending transfer or change request
    record(client, "学时造假", person=zhou)
    (entry,) = new_entries(app, before)
    with app.app_context():
        db.session.get(Person, zhou).binding_status = "released"
        db.session.commit()
    record(client, "学时造假，已处理", person=zhou, url=f"{ENTRY}/edit/?id={entry.id}")
    assert entries(app, id=entry.id)[0].content == "学时造假，已处理"


def test_the_entry_list_shows_only_what_the_organisation_recorded(app, login_as):
    before = entry_ids(app)
    mine = add_entry(app, by=UNIVERSITY, person="陈诗慧", content="信息造假")
    about_us = add_entry(app, by="广州市人力资源和社会保障局", org=UNIVERSITY, content="拖欠培训费用")
    client = login_as("unit_a", UNIVERSITY)
    table = list_table(client.get(f"{ENTRY}/").get_data(as_text=True))
    assert "信息造假" in table and "拖欠培训费用" not in table
    assert client.get(f"{ENTRY}/details/?id={mine}").status_code == 200
    assert client.get(f"{ENTRY}/edit/?id={about_us}").status_code == 404  # not ours to change
    assert act(client, ENTRY, "delete", [about_us], follow=False).status_code == 404
    assert entry_ids(app) == before | {mine, about_us}


def test_search_by_name(app, login_as):
    add_entry(app, by=UNIVERSITY, person="陈诗慧", content="信息造假")
    add_entry(app, by=UNIVERSITY, person="赵明远", content="学时造假")
    table = list_table(login_as("unit_a", UNIVERSITY).get(f"{ENTRY}/?search=陈诗").get_data(as_text=True))
    assert "信息造假" in table and "学时造假" not in table
    add_entry(app, by="广州市人力资源和社会保障局", org=HOSPITAL, content="拖欠培训费用")
    add_entry(app, by="广州市人力资源和社会保障局", org=UNIVERSITY, content="虚报学时")
    table = list_table(login_as("gz_hr").get(f"{ENTRY}/?search=医院").get_data(as_text=True))
    assert "拖欠培训费用" in table and "虚报学时" not in table


def test_another_organisation_gets_404_on_every_route_to_an_entry(app, login_as):
    entry = add_entry(app, by=UNIVERSITY, person="陈诗慧", content="信息造假")
    for login, org in [("unit_b", None), ("unit_c", None), ("gd_hr", None)]:
        client = login_as(login, org)
        assert "信息造假" not in list_table(client.get(f"{ENTRY}/").get_data(as_text=True))
        assert client.get(f"{ENTRY}/details/?id={entry}").status_code == 404
        assert client.get(f"{ENTRY}/edit/?id={entry}").status_code == 404
        assert client.post(f"{ENTRY}/edit/?id={entry}", {"content": "改"}, token_page=f"{ENTRY}/").status_code == 404
        assert client.post(f"{ENTRY}/delete/", {"id": entry}, token_page=f"{ENTRY}/").status_code == 404
        assert act(client, ENTRY, "delete", [entry], follow=False).status_code == 404
    assert entries(app, id=entry)[0].content == "信息造假"


def test_the_organisation_sees_the_entries_about_itself(app, login_as):
    about = add_entry(app, by="广州市人力资源和社会保障局", org=UNIVERSITY, content="拖欠培训费用")
    other = add_entry(app, by="广州市人力资源和社会保障局", org=HOSPITAL, content="虚报学时")
    own_person = add_entry(app, by=UNIVERSITY, person="陈诗慧", content="信息造假")

    client = login_as("unit_a", UNIVERSITY)
    page = client.get(f"{ORG_VIEW}/").get_data(as_text=True)
    table = list_table(page)
    assert "拖欠培训费用" in table and "广州市人力资源和社会保障局" in table
    assert "虚报学时" not in table and "信息造假" not in table
    details = client.get(f"{ORG_VIEW}/details/?id={about}").get_data(as_text=True)
    assert "拖欠培训费用" in details and "单位" in details
    for hidden in (other, own_person):
        assert client.get(f"{ORG_VIEW}/details/?id={hidden}").status_code == 404
    # read-only
    assert client.get(f"{ORG_VIEW}/new/").status_code == 403
    assert client.get(f"{ORG_VIEW}/edit/?id={about}").status_code == 403
    assert client.post(f"{ORG_VIEW}/delete/", {"id": about}, token_page=f"{ORG_VIEW}/").status_code == 403

    hospital = login_as("unit_c")
    assert "虚报学时" in list_table(hospital.get(f"{ORG_VIEW}/").get_data(as_text=True))
    assert hospital.get(f"{ORG_VIEW}/details/?id={about}").status_code == 404


def test_a_person_sees_only_the_entries_about_themselves(app, login_as):
    chen = add_entry(app, by=UNIVERSITY, person="陈诗慧", content="信息造假")
    liu = add_entry(app, by=SHENZHEN, person="刘文斌", content="学时造假")
    add_entry(app, by="广州市人力资源和社会保障局", org=UNIVERSITY, content="拖欠培训费用")

    client = login_as("p_chen")
    page = client.get(f"{MINE}/").get_data(as_text=True)
    table = list_table(page)
    assert "信息造假" in table and "个人" in table and "陈诗慧" in table and UNIVERSITY in table
    assert "学时造假" not in table and "拖欠培训费用" not in table
    for header in ["失信人类型", "失信人名称", "失信内容", "操作人", "操作时间"]:
        assert header in page
    assert client.get(f"{MINE}/details/?id={chen}").status_code == 200
    assert client.get(f"{MINE}/details/?id={liu}").status_code == 404
    assert client.get(f"{MINE}/new/").status_code == 403
    assert client.get(f"{MINE}/export/csv/").status_code == 403

    other = login_as("p_liu")
    assert "信息造假" not in list_table(other.get(f"{MINE}/").get_data(as_text=True))
    assert other.get(f"{MINE}/details/?id={chen}").status_code == 404
    assert other.get(f"{ENTRY}/").status_code == 403 and other.get(f"{ORG_VIEW}/").status_code == 403


def test_the_entry_list_costs_the_same_queries_with_more_rows(app, login_as):
    client = login_as("unit_a", UNIVERSITY)
    url = f"{ENTRY}/?page_size=100"

    def count():
        client.get(url)
        with app.app_context():
            engine = db.engine.engine
        statements = []
        record_statement = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", record_statement)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record_statement)
        return len(statements)

    record(client, "信息造假", person=person_id(app, "陈诗慧"))
    before = count()
    for name in ["赵明远", "钱雅琴", "孙立新", "周慧芳"]:
        record(client, f"{name}学时造假", person=person_id(app, name))
    assert count() == before
    for base in (ORG_VIEW,):
        assert client.get(f"{base}/").status_code == 200


def test_exports_read_like_the_list(app, login_as):
    add_entry(app, by=UNIVERSITY, person="陈诗慧", content="=HYPERLINK(1)")
    add_entry(app, by="广州市人力资源和社会保障局", org=UNIVERSITY, content="拖欠培训费用")
    client = login_as("unit_a", UNIVERSITY)
    text = client.get(f"{ENTRY}/export/csv/").get_data(as_text=True)
    assert "失信人类型" in text and "个人,陈诗慧,'=HYPERLINK(1)" in text and "拖欠培训费用" not in text
    text = client.get(f"{ORG_VIEW}/export/csv/").get_data(as_text=True)
    assert f"单位,{UNIVERSITY},拖欠培训费用,广州市人力资源和社会保障局" in text and "HYPERLINK" not in text
