"""The people story of issue #4 from start to end, through the screens as users click them."""
from people_helpers import SHENZHEN, UNIVERSITY, changes_of, new_id, org_id, person, profile, register

PAGE = "/admin/my_profile/"


def test_register_confirm_change_transfer_and_the_old_unit_loses_sight(app, client, login_as):
    # 1. a person registers and chooses 广州示范大学 as their unit
    id_number = new_id(401)
    register(client, "e2e_person", id_number, real_name="郑一")
    client.post(PAGE, profile(app, "郑一", id_number, unit=str(org_id(app, UNIVERSITY))), token_page=PAGE)
    me = person(app, id_number=id_number)
    assert me.binding_status == "pending"

    # 2. the unit confirms them
    university = login_as("unit_a", UNIVERSITY)
    university.post(f"/admin/person_confirm/decide/?id={me.id}", {"accept": "1"}, token_page="/admin/person_confirm/")
    assert person(app, id=me.id).binding_status == "confirmed"

    # 3. the person asks for a title change; 4. the unit approves it
    client.post(PAGE, profile(app, "郑一", id_number, title="副教授", title_level="vice_senior"), token_page=PAGE)
    [first] = changes_of(app, me.id)
    details = f"/admin/person_changes/details/?id={first.id}"
    university.post(f"/admin/person_changes/review/?id={first.id}", {"result": "approve"}, token_page=details)
    assert person(app, id=me.id).title == "副教授"

    # 5. the unit transfers them to 深圳示范科技有限公司; 6. that unit accepts
    university.post(
        f"/admin/transfer_out/request/?person_id={me.id}",
        {"person_id": str(me.id), "to_unit": str(org_id(app, SHENZHEN)), "reason": "工作调动"},
        token_page="/admin/transfer_out/request/",
    )
    shenzhen = login_as("unit_b")
    incoming = shenzhen.get("/admin/transfer_in/").get_data(as_text=True)
    assert "郑一" in incoming
    from backoffice.extensions import db
    from backoffice.models import Transfer
    from sqlalchemy import select

    with app.app_context():
        transfer_id = db.session.scalar(select(Transfer.id).where(Transfer.person_id == me.id))
    shenzhen.post(
        f"/admin/transfer_in/decide/?id={transfer_id}", {"decision": "accept"}, token_page="/admin/transfer_in/"
    )
    moved = person(app, id=me.id)
    assert (moved.unit_id, moved.binding_status, moved.title) == (org_id(app, SHENZHEN), "confirmed", "副教授")

    # new data after the transfer: a change request now goes to the new unit
    client.post(PAGE, profile(app, "郑一", id_number, title="教授", title_level="senior"), token_page=PAGE)
    second = [c for c in changes_of(app, me.id) if c.id != first.id][0]
    assert second.reviewer_org_id == org_id(app, SHENZHEN)
    assert "副教授 → 教授" in shenzhen.get("/admin/person_changes/").get_data(as_text=True)

    # the old unit: 404 on the person and their new request; its own history stays
    for url in [
        f"/admin/person_maintain/details/?id={me.id}",
        f"/admin/person_maintain/edit/?id={me.id}",
        f"/admin/person_query/details/?id={me.id}",
        f"/admin/person_changes/details/?id={second.id}",
    ]:
        assert university.get(url).status_code == 404, url
    assert university.post(f"/admin/person_query/reset/?id={me.id}", {"reason": "x"}).status_code == 404
    assert university.get(f"/admin/person_changes/details/?id={first.id}").status_code == 200
    assert "郑一" in university.get("/admin/transfer_log/").get_data(as_text=True)
    assert "郑一" not in university.get("/admin/person_query/").get_data(as_text=True)
    assert "郑一" in shenzhen.get("/admin/person_maintain/").get_data(as_text=True)
    # and the person reads the whole story on their own page
    page = client.get(PAGE).get_data(as_text=True)
    assert "已调入" in page and SHENZHEN in page
