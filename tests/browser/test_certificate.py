"""陈诗慧 declares last year's course in chromium, 广州示范大学 recognises it, then regenerates and prints her
certificate with the new hours; the new number verifies as 有效 and the old one as 已作废 (issue 11)."""
import sqlite3
from datetime import date

import pytest

from .test_register_and_approve import sign_in, sign_out
from backoffice.clock import beijing_today

pytestmark = pytest.mark.browser

LAST_YEAR = beijing_today().year - 1
COURSE = "浏览器测试选修课"


def _keep_last_year_open(live_env) -> None:
    """Last year's records are entered until its 学时录入截止日期 (the demo's: 31 January); the 系统管理员
    extends it here, so the test declares last year's course on any day of the year."""
    path = live_env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE hour_requirement SET entry_deadline = ? WHERE year = ?",
                   (date(beijing_today().year + 1, 1, 31).isoformat(), LAST_YEAR))


def test_a_declared_record_is_recognised_and_the_certificate_reprinted(page, live_server, live_env):
    page.on("dialog", lambda dialog: dialog.accept())
    _keep_last_year_open(live_env)

    # 继续教育记录申报 (the person): 学习形式 first, then the course; 保存, then 送审
    sign_in(page, live_server, "p_chen")
    page.wait_for_url("**/admin/")
    page.goto(live_server + "/admin/record_declare/new/")
    page.select_option("[name=study_form_code]", label="面授")
    page.select_option("[name=course_type]", label="选修课")
    for name, value in {"course_name": COURSE, "start_on": f"{LAST_YEAR}-10-10", "end_on": f"{LAST_YEAR}-10-11",
                        "days": "1", "declared_hours": "6", "institution_name": "广东示范继续教育学院",
                        "location": "广州市天河区", "content": "选修专题"}.items():
        page.fill(f"[name={name}]", value)
    page.select_option("[name=year]", str(LAST_YEAR))
    page.select_option("[name=exam_result]", label="合格")
    page.click("input[type=submit][value='保存']")
    page.wait_for_url("**/record_declare/details/**")
    page.click("#submit-form button")
    page.wait_for_selector(".alert-success")
    sign_out(page)

    # 继续教育记录认定 (the unit): [审核] → 同意
    sign_in(page, live_server, "unit_a")
    page.wait_for_url("**/select-org**")
    page.check("text=广州示范大学（法人单位）")
    page.click("text=使用选中的单位账号登录")
    page.wait_for_url("**/admin/")
    page.goto(live_server + "/admin/record_review/")
    page.locator("table.model-list tr", has_text=COURSE).locator("a.row-link", has_text="审核").click()
    page.wait_for_url("**/record_review/details/**")
    page.check("#review-form input[value=approve]")
    page.click("#review-form button[type=submit]")
    page.wait_for_url("**/record_review/")
    assert "审核完成" in page.inner_text("body")

    # 继续教育证书打印: 96 学时 now; 重新生成证书并打印 gives a PDF with a new number
    page.goto(live_server + f"/admin/certificate_print/?year={LAST_YEAR}")
    row = page.locator("#certificate-list tr", has_text="陈诗慧")
    assert "96" in row.inner_text()
    old = row.locator(".certificate-number").inner_text().strip()
    assert old  # the demo printed her certificate with 90
    # the PDF opens in a new tab: its response is the browser context's, not this page's
    with page.context.expect_event("response", lambda r: "/certificate_print/regenerate/" in r.url) as answer:
        row.locator("button", has_text="重新生成证书并打印").click()
    assert answer.value.headers["content-type"] == "application/pdf"
    page.reload()
    new = page.locator("#certificate-list tr", has_text="陈诗慧").locator(".certificate-number").inner_text().strip()
    assert new and new != old
    page.screenshot(path="test-results/certificate_list.png", full_page=True)
    sign_out(page)

    # anyone checks the numbers, signed in or not
    page.goto(live_server + f"/verify/{new}")
    assert "有效" in page.inner_text("#verify-status") and "陈*慧" in page.inner_text("#verify-details")
    assert "96" in page.inner_text("#verify-details")
    page.goto(live_server + f"/verify/{old}")
    assert "已作废" in page.inner_text("#verify-status")
