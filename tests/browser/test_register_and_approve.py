"""A unit registers through the real pages, applies for its role, and HR approves it in chromium."""
import pytest

from backoffice.validators import make_citizen_id, make_uscc

pytestmark = pytest.mark.browser

PASSWORD = "Zhou2026abc"


def sign_in(page, url, username, password="Demo2026x"):
    page.goto(url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def sign_out(page):
    """The identity menu › 退出, once the page's scripts (bootstrap's dropdown) have run: on a loaded machine
    a click that comes before them opens nothing."""
    page.wait_for_load_state("load")
    page.click("#acting-as .dropdown-toggle")
    page.locator("#acting-as .dropdown-menu").wait_for(state="visible")
    page.click("#acting-as button:text-is('退出')")
    page.wait_for_url("**/login")


def test_a_unit_registers_and_hr_approves_it(page, live_server, tmp_path):
    from datetime import date

    id_number = make_citizen_id("440106", date(1990, 2, 3), "611")
    code = make_uscc("91440106MA0000611")

    # 个人用户注册
    page.goto(live_server + "/register/person")
    for name, value in {
        "login": "zhou_reg", "password": PASSWORD, "confirm": PASSWORD, "real_name": "周注册",
        "mobile": "13912340611", "id_number": id_number, "email": "zhou@example.cn",
        "answer1": "甲", "answer2": "乙", "answer3": "丙",
    }.items():
        page.fill(f"[name={name}]", value)
    page.select_option("[name=question2]", index=1)
    page.select_option("[name=question3]", index=2)
    page.click("button[type=submit]")
    page.wait_for_url("**/login")
    assert "注册成功" in page.inner_text("body")

    # 单位用户注册: sign in with the personal account, then the three steps
    sign_in(page, live_server, "zhou_reg", PASSWORD)
    page.wait_for_url("**/admin/")
    page.goto(live_server + "/register/org")
    page.fill("[name=login]", "zhou_reg")
    page.fill("[name=id_number]", id_number)
    page.click("button:has-text('下一步')")
    page.wait_for_url("**/register/org/details")
    page.check("text=法人单位")
    page.fill("[name=name]", "广州浏览器测试有限公司")
    page.fill("[name=code]", code)
    page.select_option("[name=region_code]", "440106")
    for name, value in {"address": "天河路2号", "legal_rep": "周注册", "contact_name": "周注册",
                        "office_phone": "020-87650611"}.items():
        page.fill(f"[name={name}]", value)
    page.click("button:has-text('下一步')")
    page.wait_for_url("**/register/org/confirm")
    assert code in page.inner_text("#register-org-summary")
    page.click("button:has-text('确认注册')")
    page.wait_for_url("**/org_application/application/")

    # 角色申请: complete the profile, attach the licence, 送审
    for name, value in {"mobile": "13912340611", "email": "office@example.cn", "postcode": "510000",
                        "profile": "软件开发"}.items():
        page.fill(f"[name={name}]", value)
    page.click("button[name=save]")
    assert "保存成功" in page.inner_text("body")
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_input_files("#upload-form input[type=file]", str(licence))
    page.click("#upload-form button")
    assert "营业执照.pdf" in page.inner_text("body")
    page.click("button[name=submit]")
    assert page.inner_text("#application-status") == "待审核"
    page.screenshot(path="test-results/application_submitted.png", full_page=True)
    sign_out(page)

    # 审核法人单位 as 广州市人社局
    sign_in(page, live_server, "gz_hr")
    page.wait_for_url("**/admin/")
    page.goto(live_server + "/admin/review_units/")
    row = page.locator("table.model-list tr", has_text="广州浏览器测试有限公司")
    row.locator("a.row-link", has_text="审核").click()
    page.wait_for_url("**/review_units/details/**")
    assert "营业执照.pdf" in page.inner_text("body")
    page.check("#review-form input[value=approve]")
    page.fill("#review-form textarea", "材料齐全，同意")
    page.click("#review-form button[type=submit]")
    page.wait_for_url("**/review_units/")
    assert "审核完成" in page.inner_text("body")
    page.screenshot(path="test-results/hr_reviewed.png", full_page=True)
    sign_out(page)

    # The applicant now chooses the organisation and has its full menu.
    sign_in(page, live_server, "zhou_reg", PASSWORD)
    page.wait_for_url("**/select-org**")
    page.check("text=广州浏览器测试有限公司（法人单位）")
    page.click("text=使用选中的单位账号登录")
    page.wait_for_url("**/admin/")
    assert "单位信息维护" in page.text_content("nav")
