"""Two roles sign in through the real login form and see the menus their role allows."""
import pytest

from .test_register_and_approve import sign_out

pytestmark = pytest.mark.browser


def sign_in(page, url, username):
    page.goto(url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Demo2026x")
    page.click("button[type=submit]")


def test_hr_and_unit_see_their_own_menus(page, live_server):
    sign_in(page, live_server, "gz_hr")
    page.wait_for_url("**/admin/")
    assert page.inner_text("#acting-org") == "广州市人力资源和社会保障局"
    menu = page.inner_text("nav")
    assert "业务管理" in menu and "查询统计" in menu
    assert "专业技术人员管理" not in menu
    page.click("text=业务管理")
    page.click("a.dropdown-item:has-text('管理法人单位')")
    assert "广州示范大学" in page.inner_text("table.model-list")
    page.screenshot(path="test-results/gz_hr_oversight.png", full_page=True)

    sign_out(page)

    sign_in(page, live_server, "unit_a")
    page.wait_for_url("**/select-org**")
    page.check("text=广州示范大学（法人单位）")
    page.click("text=使用选中的单位账号登录")
    page.wait_for_url("**/admin/")
    assert page.inner_text("#acting-org") == "广州示范大学"
    menu = page.inner_text("nav")
    assert "专业技术人员管理" in menu and "单位管理" in menu
    assert "业务管理" not in menu and "系统管理" not in menu
    page.screenshot(path="test-results/unit_a_home.png", full_page=True)


def test_wrong_password_shows_the_message_beside_the_field(page, live_server):
    page.goto(live_server + "/login")
    page.fill("input[name=username]", "unit_b")
    page.fill("input[name=password]", "Wrong2026x")
    page.click("button[type=submit]")
    assert "账号或密码错误" in page.inner_text(".invalid-feedback")
