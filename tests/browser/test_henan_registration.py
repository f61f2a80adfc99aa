"""Henan's 审核注册人员 in chromium (issue 13): p_hn's sign-in names the unit she waits for; py_unit signs in,
reads its own province's menu and approves her registration; then she signs in. A new person registers
choosing 所在地区 first: the page's script fills 所在单位 with that region's units."""
from datetime import date

import pytest
from playwright.sync_api import expect

from backoffice.validators import make_citizen_id

from .test_register_and_approve import sign_in, sign_out

pytestmark = pytest.mark.browser

PASSWORD = "Yu2026abcx"


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


def test_a_person_chooses_hualong_and_the_script_offers_its_units(page, live_server):
    page.goto(live_server + "/register/person")
    assert page.locator("#choose-region").count() == 0  # the script fetches; no server round trip
    for name, value in {
        "login": "yu_browser", "password": PASSWORD, "confirm": PASSWORD, "real_name": "豫浏览",
        "mobile": "13912340701", "id_number": make_citizen_id("410902", date(1991, 4, 5), "701"),
        "answer1": "甲", "answer2": "乙", "answer3": "丙",
    }.items():
        page.fill(f"[name={name}]", value)
    page.select_option("[name=question2]", index=1)
    page.select_option("[name=question3]", index=2)
    assert page.locator("#unit_id option").all_inner_texts() == ["请选择…"]

    with page.expect_response(lambda response: "/register/units?region=410900" in response.url):
        page.select_option("[name=region_code]", label="河南省 / 濮阳市")
    expect(page.locator("#unit_id option").nth(1)).to_be_attached()
    city = page.locator("#unit_id option").all_inner_texts()
    assert "濮阳市人力资源和社会保障局" in city and "濮阳示范职业技术学院" not in city

    with page.expect_response(lambda response: "/register/units?region=410902" in response.url):
        page.select_option("[name=region_code]", label="河南省 / 濮阳市 / 华龙区")
    expect(page.locator("#unit_id option")).to_have_text(["请选择…", "濮阳示范职业技术学院"])
    expect(page.locator("#unit_id")).to_be_enabled()
    page.select_option("[name=unit_id]", label="濮阳示范职业技术学院")
    page.click("button[type=submit]:has-text('注册')")
    page.wait_for_url("**/login")
    assert "注册信息已经提交濮阳示范职业技术学院审核，请耐心等待" in page.inner_text("body")

    sign_in(page, live_server, "yu_browser", PASSWORD)
    page.wait_for_selector(".invalid-feedback")
    assert "此账号还未被审核，请联系濮阳示范职业技术学院" in page.inner_text(".invalid-feedback")
