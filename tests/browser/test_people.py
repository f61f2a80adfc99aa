"""A person chooses their unit with the search box and the unit confirms them, in chromium; the ID number
fills 出生日期 and 性别 on the unit's 新增 form."""
import pytest

from .test_register_and_approve import sign_in, sign_out

pytestmark = pytest.mark.browser


def test_a_person_picks_a_unit_by_searching_and_the_unit_confirms(page, live_server):
    sign_in(page, live_server, "p_new")
    page.goto(live_server + "/admin/my_profile/")
    assert "等待单位确认" in page.inner_text("#binding-status")

    page.click("#s2id_unit .select2-choice")
    page.fill("#select2-drop .select2-input", "深圳示范")
    page.click("#select2-drop .select2-result-label:has-text('深圳示范科技有限公司')")
    page.click("#profile-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "已提交“深圳示范科技有限公司”确认" in page.inner_text(".alert-success")
    sign_out(page)

    sign_in(page, live_server, "unit_b")
    page.goto(live_server + "/admin/person_confirm/")
    row = page.locator("tr", has_text="王新")
    page.once("dialog", lambda dialog: dialog.accept())  # 确定该人员是本单位人员吗？
    row.locator("button:has-text('是')").click()
    page.wait_for_selector(".alert-success")
    assert "已确认：王新" in page.inner_text(".alert-success")
    page.goto(live_server + "/admin/person_maintain/")
    assert "王新" in page.inner_text(".model-list")


def test_the_id_number_fills_birth_date_and_sex_as_the_operator_types(page, live_server):
    from datetime import date

    from backoffice.validators import make_citizen_id

    sign_in(page, live_server, "unit_b")
    page.goto(live_server + "/admin/person_maintain/new/")
    page.fill("#id_number", make_citizen_id("440305", date(1988, 6, 9), "412"))
    assert page.input_value("#birth_date") == "1988-06-09"
    assert page.input_value("#sex") == "女"
