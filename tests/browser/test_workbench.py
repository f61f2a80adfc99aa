"""A clerk opens the back office, sees what waits on the 工作台, reaches it in one click and reviews it
from the list that opens on 待审核; an irreversible row action asks before it acts."""
import pytest

from .test_register_and_approve import sign_in, sign_out

pytestmark = pytest.mark.browser


def test_a_clerk_reaches_a_waiting_application_in_one_click_and_reviews_it(page, live_server):
    sign_in(page, live_server, "gz_hr")
    page.wait_for_url("**/admin/")
    todo = page.locator("tr[data-todo=unit_applications]")
    before = int(todo.locator(".todo-count").inner_text())
    assert before >= 1
    page.screenshot(path="test-results/gz_hr_workbench.png", full_page=True)

    todo.locator("a", has_text="处理").click()  # the one click
    page.wait_for_url("**/admin/review_units/")
    assert page.locator("#search-bar select").first.input_value() == "pending"  # opens on 待审核
    row = page.locator("table.model-list tr", has_text="广州示范科技学校")
    assert "待审核" in row.inner_text()
    row.locator("a.row-link", has_text="审核").click()
    page.wait_for_url("**/review_units/details/**")
    assert "统一社会信用代码证.pdf" in page.inner_text("#review-history, .attachment-table")
    page.check("#review-form input[value=approve]")
    page.fill("#review-form textarea", "材料齐全，同意")
    page.click("#review-form button[type=submit]")
    page.wait_for_url("**/review_units/")
    assert "审核完成" in page.inner_text(".alert-success")
    assert "广州示范科技学校" not in page.inner_text("table.model-list")  # no longer waits

    page.click("#search-clear")  # 清空: everything this bureau reviewed
    assert "已通过" in page.locator("table.model-list tr", has_text="广州示范科技学校").inner_text()
    page.goto(live_server + "/admin/")
    assert int(page.locator("tr[data-todo=unit_applications] .todo-count").inner_text()) == before - 1
    sign_out(page)


def test_an_irreversible_row_action_asks_first(page, live_server):
    sign_in(page, live_server, "unit_b")
    page.wait_for_url("**/admin/")
    page.goto(live_server + "/admin/person_maintain/")
    row = page.locator("table.model-list tr", has_text="冯国栋")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    row.locator("button", has_text="解除绑定").click()
    assert asked and "不再属于本单位" in asked[0]
    assert "冯国栋" in page.inner_text("table.model-list")  # 取消: nothing happened

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("table.model-list tr", has_text="冯国栋").locator("button", has_text="解除绑定").click()
    page.wait_for_selector(".alert-success")
    assert "已解除与冯国栋的绑定" in page.inner_text(".alert-success")
    assert "冯国栋" not in page.inner_text("table.model-list")
    sign_out(page)
