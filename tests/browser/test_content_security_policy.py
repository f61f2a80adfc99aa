"""Under the Content-Security-Policy the main pages raise no violation and no script error, and their
scripted parts still work: captcha refresh, the 搜索查询 bar, batch actions, confirmations, select2
search, the person form's scripts, the date box, logout. In chromium."""
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
    # pages name /static/favicon.svg; chromium may still ask for /favicon.ico, which is no page's error
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
    # the response arriving is not the image decoded: wait for the decode (fails after the timeout)
    page.wait_for_function("() => { const i = document.getElementById('captcha-image'); "
                           "return i.complete && i.naturalWidth > 0; }", timeout=5000)
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
    # the 搜索查询 bar: 状态 → 启用, 查询 (a plain GET form, no script needed)
    page.select_option("#search-bar select", label="启用")
    page.click("#search-submit")
    page.wait_for_url("**/admin/teachers/?*flt*")

    rows = page.locator("input.action-checkbox")
    assert rows.count() > 0
    # the 禁用 batch button asks first (actions.js through handlers.js); dismissed: nothing happens
    rows.first.check()
    page.click("#list-toolbar a[data-model-action=disable]")
    assert dialogs[-1].startswith("确定要禁用选中的教师吗")
    # the row's own buttons ask too: [禁用] and [删除]
    page.locator(".teacher-toggle button").first.click()
    assert dialogs[-1].startswith("确定要") and dialogs[-1].endswith("该教师吗？")
    page.locator("button.row-link:has-text('删除')").first.click()
    assert "删除" in dialogs[-1]
    assert page.locator(".alert-success").count() == 0  # every dialog was dismissed

    # accepted, the batch action runs
    dialogs.accept = True
    page.locator("input.action-checkbox").first.check()
    page.click("#list-toolbar a[data-model-action=disable]")
    page.wait_for_selector(".alert-success")
    assert len(dialogs) == 4

    # placeholder links (the menu's categories are javascript:void(0)) do not navigate, once handlers.js has
    # run (a click before it, on a loaded machine, would be the browser's own javascript: navigation)
    page.wait_for_load_state("load")
    before = page.url
    page.click("a.dropdown-toggle:has-text('师资管理')")
    assert page.url == before
    page.goto(live_server + "/admin/person_maintain/")
    page.select_option("#search-bar select >> nth=0", label="高等学校教师")  # 专业系列, from a list
    page.click("#search-submit")
    page.wait_for_url("**/admin/person_maintain/?*flt*")
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


def test_a_date_box_narrows_the_audit_log(page, live_server, problems):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    sign_in(page, live_server, "admin")
    page.wait_for_url("**/admin/")
    page.goto(live_server + "/admin/audit_log/")
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    page.fill("#search-bar input[type=date]", today)  # the browser's own date picker, no script
    page.click("#search-submit")
    page.wait_for_url("**/admin/audit_log/?*flt*")
    assert "登录" in page.inner_text("table.model-list")  # this sign-in, logged today
    sign_out(page)
    assert problems == []
