"""Under the Content-Security-Policy the main pages raise no violation and no script error, and their
scripted parts still work: captcha refresh, filters, batch actions, confirmations, select2 search,
the person form's scripts, the date picker, logout. In chromium."""
import pytest

from .test_register_and_approve import sign_in, sign_out

pytestmark = pytest.mark.browser

# Chromium logs a violation to the console too; the event also names the directive.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', function (e) {
  console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture
def problems(page):
    """Console errors, CSP violations and uncaught script errors of every page the test opens."""
    found = []
    page.add_init_script(REPORT_VIOLATIONS)
    # the app has no favicon; chromium's automatic request for one is no page's error
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.on("console", lambda message: found.append(f"{page.url}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: found.append(f"{page.url}: {error}"))
    return found


@pytest.fixture
def dialogs(page):
    """Confirmation dialogs, dismissed unless the test sets `dialogs.accept = True` first."""

    class Dialogs(list):
        accept = False

    seen = Dialogs()

    def answer(dialog):
        seen.append(dialog.message)
        dialog.accept() if seen.accept else dialog.dismiss()

    page.on("dialog", answer)
    return seen


def test_the_login_page_and_its_captcha(page, captcha_server, problems):
    page.goto(captcha_server + "/login")
    image = page.locator("#captcha-image")
    first = image.get_attribute("src")
    with page.expect_response(lambda response: "/captcha.png?" in response.url):
        image.click()  # handlers.js, not an inline onclick
    assert image.get_attribute("src") != first
    assert page.evaluate("document.getElementById('captcha-image').naturalWidth") > 0
    page.goto(captcha_server + "/forgot-password")
    page.goto(captcha_server + "/register/person")
    assert problems == []


def test_a_list_with_filters_actions_and_row_buttons(page, live_server, problems, dialogs):
    sign_in(page, live_server, "unit_a")
    page.wait_for_url("**/select-org**")
    page.check("text=广州示范大学（法人单位）")
    page.click("text=使用选中的单位账号登录")
    page.wait_for_url("**/admin/")

    page.goto(live_server + "/admin/teachers/")
    # 添加筛选器 → 状态: filters.js adds the row; applying it filters the list
    page.click("a.dropdown-toggle:has-text('添加筛选器')")
    page.click("a.filter:has-text('状态')")
    page.wait_for_selector("#filter_form table.filters tr")
    assert "javascript:" not in page.url
    page.click("#filter_form button[type=submit]")
    page.wait_for_url("**/admin/teachers/?flt*")

    rows = page.locator("input.action-checkbox")
    assert rows.count() > 0
    # 选中的 → 禁用 asks first (actions.js through handlers.js); dismissed: nothing happens
    rows.first.check()
    page.click("a.dropdown-toggle:has-text('选中的')")
    page.click("a.dropdown-item:has-text('禁用')")
    assert dialogs[-1].startswith("确定要禁用选中的教师吗")
    # the row's own buttons ask too: 禁用 and the trash button
    page.locator(".teacher-toggle button").first.click()
    assert dialogs[-1].startswith("确定要") and dialogs[-1].endswith("该教师吗？")
    page.locator("button[title='删除记录']").first.click()
    assert "删除" in dialogs[-1]
    assert page.locator(".alert-success").count() == 0  # every dialog was dismissed

    # accepted, the batch action runs
    dialogs.accept = True
    page.locator("input.action-checkbox").first.check()
    page.click("a.dropdown-toggle:has-text('选中的')")
    page.click("a.dropdown-item:has-text('禁用')")
    page.wait_for_selector(".alert-success")
    assert len(dialogs) == 4

    # placeholder links (the active 列表 tab is javascript:void(0)) do not navigate
    page.click("a.nav-link.active:has-text('列表')")
    page.goto(live_server + "/admin/person_maintain/")
    page.click("a.dropdown-toggle:has-text('添加筛选器')")
    page.click("a.filter:has-text('专业系列')")
    page.wait_for_selector("#filter_form table.filters tr")
    page.goto(live_server + "/admin/")
    sign_out(page)
    assert problems == []


def test_the_person_form_and_the_profile_with_its_unit_search(page, live_server, problems):
    from datetime import date

    from backoffice.validators import make_citizen_id

    sign_in(page, live_server, "unit_b")
    page.wait_for_url("**/admin/")
    page.goto(live_server + "/admin/person_maintain/new/")
    page.fill("#id_number", make_citizen_id("440305", date(1988, 6, 9), "413"))
    assert page.input_value("#birth_date") == "1988-06-09"  # person_form.js
    page.fill("#graduated_on", "2010-07-01")  # the date inputs
    assert page.input_value("#graduated_on") == "2010-07-01"
    for url in ("/me/profile", "/me/bindings", "/change-password", "/admin/person_query/"):
        page.goto(live_server + url)
    sign_out(page)

    sign_in(page, live_server, "p_new")
    page.wait_for_url("**/admin/")
    page.goto(live_server + "/admin/my_profile/")
    page.click("#s2id_unit .select2-choice")
    page.fill("#select2-drop .select2-input", "深圳示范")
    page.wait_for_selector("#select2-drop .select2-result-label:has-text('深圳示范科技有限公司')")
    page.keyboard.press("Escape")
    sign_out(page)
    assert problems == []


def test_a_date_filter_opens_its_date_picker(page, live_server, problems):
    sign_in(page, live_server, "admin")
    page.wait_for_url("**/admin/")
    page.goto(live_server + "/admin/audit_log/")
    page.click("a.dropdown-toggle:has-text('添加筛选器')")
    page.click("a.filter:has-text('时间')")
    page.locator("#filter_form input.filter-val").first.click()
    page.wait_for_selector(".daterangepicker", state="visible")  # Flask-Admin's form.js, nonce'd
    page.keyboard.press("Escape")
    sign_out(page)
    assert problems == []
