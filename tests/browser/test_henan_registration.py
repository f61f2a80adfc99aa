"""Henan's 审核注册人员 in chromium (issue 13): p_hn's sign-in names the unit she waits for; py_unit signs in,
reads its own province's menu and approves her registration; then she signs in."""
import pytest

from .test_register_and_approve import sign_in, sign_out

pytestmark = pytest.mark.browser


def test_py_unit_approves_p_hns_registration_and_she_signs_in(page, live_server):
    sign_in(page, live_server, "p_hn")
    page.wait_for_selector(".invalid-feedback")
    assert "此账号还未被审核，请联系濮阳示范职业技术学院" in page.inner_text(".invalid-feedback")

    sign_in(page, live_server, "py_unit")
    page.wait_for_url("**/admin/")
    page.wait_for_load_state("load")  # bootstrap's dropdowns work once the scripts have run
    page.click("a.dropdown-toggle:has-text('专业技术人员管理')")
    page.click("a.dropdown-item:text-is('审核注册人员')")
    page.wait_for_url("**/admin/person_confirm/**")
    assert "审核注册人员" in page.title()
    row = page.locator("tr", has_text="李豫华")
    page.once("dialog", lambda dialog: dialog.accept())  # 确定该人员是本单位人员吗？
    row.locator("button:has-text('是')").click()
    page.wait_for_selector(".alert-success")
    assert "已确认：李豫华" in page.inner_text(".alert-success")
    sign_out(page)

    sign_in(page, live_server, "p_hn")
    page.wait_for_url("**/admin/**")
    assert "李豫华" in page.inner_text("#acting-as")
