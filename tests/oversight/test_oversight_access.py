"""移除权限 / 恢复权限 through the screens: a reason, an audit trail, operators locked out and let back in."""
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import g
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Organisation, User
from backoffice.policy import available_contexts, build_actor
from backoffice.workflows import WorkflowError
from backoffice.workflows.oversight import restore_access, revoke_access
from oversight_helpers import UNITS, audit_rows, org_id, org_state
from pages import flashes

REASON = "单位已注销，经核实停止使用本系统"


def _choose(client, ids, action="revoke"):
    """Tick rows on the list and pick an action: the browser lands on the confirmation page."""
    response = client.post(f"{UNITS}/action/", {"action": action, "rowid": [str(i) for i in ids]},
                           token_page=f"{UNITS}/")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


def _confirm(client, page, reason):
    """Fill in the reason on the confirmation page and submit it."""
    ids = [value for key, value in parse_qsl(urlsplit(page).query) if key == "id"]
    return client.post(page.split("?")[0], {"id": ids, "reason": reason}, token_page=page, follow_redirects=True)


def test_revoke_with_reason_locks_the_operators_out_until_restored(app, login_as):
    hospital = org_id(app, "广州示范医院")
    operator = login_as("unit_c")
    assert operator.get("/admin/").status_code == 200

    hr = login_as("gz_hr")
    page = _choose(hr, [hospital])
    assert f"/admin/oversee_units/revoke/?id={hospital}" in page
    confirmation = hr.get(page).get_data(as_text=True)
    assert "广州示范医院" in confirmation and "原因" in confirmation and 'id="access-change-form"' in confirmation

    done = _confirm(hr, page, REASON).get_data(as_text=True)
    assert "移除权限成功1条" in done
    assert org_state(app, "广州示范医院") == (False, REASON)
    assert any(oid == str(hospital) and REASON in summary and "广州示范医院" in summary
               for oid, summary in audit_rows(app, "revoke"))
    details = hr.get(f"{UNITS}/details/?id={hospital}").get_data(as_text=True)
    assert "该单位的权限已被移除" in details and REASON in details and "恢复权限" in details

    # The operator's very next request: no organisation to act for, nothing offered.
    locked = operator.get("/admin/")
    assert locked.status_code == 302 and "/select-org" in locked.headers["Location"]
    offered = operator.get("/select-org").get_data(as_text=True)
    assert "尚未绑定任何有效的单位" in offered and "广州示范医院" not in offered
    assert operator.get("/admin/person_maintain/").status_code == 302
    # unit_a, an ordinary member of the hospital, keeps only its university.
    contexts = login_as("unit_a").get("/select-org").get_data(as_text=True)
    assert "广州示范大学" in contexts and "广州示范医院" not in contexts

    page = _choose(hr, [hospital], "restore")
    assert "/admin/oversee_units/restore/" in page
    assert "恢复权限成功1条" in _confirm(hr, page, "复核后恢复").get_data(as_text=True)
    assert org_state(app, "广州示范医院") == (True, None)
    assert any("复核后恢复" in summary for _, summary in audit_rows(app, "restore"))
    assert login_as("unit_c").get("/admin/").status_code == 200


@pytest.mark.parametrize("reason,message", [("", "请填写原因"), ("   ", "请填写原因"), ("理" * 201, "原因限200字")])
def test_a_missing_or_long_reason_is_refused_and_changes_nothing(app, login_as, reason, message):
    hospital = org_id(app, "广州示范医院")
    hr = login_as("gz_hr")
    page = f"{UNITS}/revoke/?id={hospital}"
    response = hr.post(page, {"reason": reason}, token_page=page)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert org_state(app, "广州示范医院") == (True, None)
    assert audit_rows(app, "revoke") == []


def test_batch_reports_what_was_done_and_why_the_rest_was_skipped(app, login_as):
    hospital, university = org_id(app, "广州示范医院"), org_id(app, "广州示范大学")
    hr = login_as("gz_hr")
    _confirm(hr, f"{UNITS}/revoke/?id={hospital}", REASON)
    page = _choose(hr, [hospital, university])
    done = _confirm(hr, page, "批量停用").get_data(as_text=True)
    assert "移除权限成功1条，跳过1条（广州示范医院：该单位的权限已被移除）" in done
    assert org_state(app, "广州示范大学") == (False, "批量停用")
    assert org_state(app, "广州示范医院") == (False, REASON)


def test_another_regions_hr_gets_not_found(app, login_as):
    shenzhen = org_id(app, "深圳示范科技有限公司")
    hr = login_as("gz_hr")
    assert hr.get(f"{UNITS}/details/?id={shenzhen}").status_code == 404
    assert hr.get(f"{UNITS}/revoke/?id={shenzhen}").status_code == 404
    assert hr.post(f"{UNITS}/revoke/", {"id": [str(shenzhen)], "reason": REASON}).status_code == 404
    assert hr.post(f"{UNITS}/restore/", {"id": [str(shenzhen)], "reason": REASON}).status_code == 404
    mixed = hr.post(f"{UNITS}/action/", {"action": "revoke", "rowid": [str(org_id(app, "广州示范医院")), str(shenzhen)]})
    assert mixed.status_code == 404
    assert org_state(app, "深圳示范科技有限公司") == (True, None)
    assert org_state(app, "广州示范医院") == (True, None)


def test_malformed_or_missing_ids_never_fail(app, login_as):
    hr = login_as("gz_hr")
    assert hr.get(f"{UNITS}/revoke/?id=abc").status_code == 404
    assert hr.get(f"{UNITS}/revoke/?id=99999999999999999999").status_code == 404
    empty = hr.get(f"{UNITS}/revoke/")
    assert empty.status_code == 302  # back to the list, asking to tick a row first
    assert "请先勾选要操作的单位" in flashes(hr.get(empty.headers["Location"]).get_data(as_text=True))


def test_industry_may_look_but_not_revoke(app, login_as):
    gz_edu_id = org_id(app, "广州市教育局")
    gd_edu = login_as("gd_edu")
    details = gd_edu.get(f"/admin/oversee_industries/details/?id={gz_edu_id}")
    assert details.status_code == 200 and "何晓敏" in details.get_data(as_text=True)
    assert "access-buttons" not in details.get_data(as_text=True)
    assert gd_edu.get(f"/admin/oversee_industries/revoke/?id={gz_edu_id}").status_code == 403
    acted = gd_edu.post("/admin/oversee_industries/action/", {"action": "revoke", "rowid": [str(gz_edu_id)]})
    assert acted.status_code == 302 and "/revoke/" not in acted.headers["Location"]
    assert org_state(app, "广州市教育局") == (True, None)


def _actor(login):
    user = db.session.scalar(select(User).where(User.login == login))
    return build_actor(user, available_contexts(user)[0].key)


def _org(name):
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def test_the_workflow_refuses_what_the_screens_never_offer(app):
    with app.test_request_context():
        g.actor = gz_hr = _actor("gz_hr")
        with pytest.raises(WorkflowError, match="本单位"):
            revoke_access(_org("广州市人力资源和社会保障局"), REASON, gz_hr)
        with pytest.raises(WorkflowError, match="管理范围"):
            revoke_access(_org("深圳示范科技有限公司"), REASON, gz_hr)
        with pytest.raises(WorkflowError, match="未被移除"):
            restore_access(_org("广州示范医院"), REASON, gz_hr)
        g.actor = gd_edu = _actor("gd_edu")
        with pytest.raises(WorkflowError, match="人社部门"):
            revoke_access(_org("广州市教育局"), REASON, gd_edu)
        assert _org("广州市教育局").active and _org("深圳示范科技有限公司").active
