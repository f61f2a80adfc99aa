"""Issue 12's "done": a supervisor of gd_hr gets the province's 继续教育综合统计 with a chart and an Excel
file in a few clicks — from the menu, through 统计, the download, a city's districts and 查看."""
import pytest
from openpyxl import load_workbook

from .test_register_and_approve import sign_in, sign_out

pytestmark = pytest.mark.browser


def test_a_supervisor_gets_the_province_figures_a_chart_and_an_excel_file(page, live_server, tmp_path):
    sign_in(page, live_server, "gd_hr")
    page.wait_for_url("**/admin/")
    page.click("text=查询统计")
    page.click("a.dropdown-item:has-text('继续教育综合统计')")
    page.wait_for_url("**/admin/statistics/**")
    if not page.locator("#report-regions").count():  # the page may open on its query form alone
        page.click("#report-query button[type=submit]")  # 统计
    regions = page.locator("#report-regions")
    regions.wait_for()
    assert "广州市" in regions.inner_text() and "合计" in regions.inner_text()
    assert page.locator("#chart-regions svg").count() == 1  # drawn on the server, no script from outside
    page.screenshot(path="test-results/gd_hr_statistics.png", full_page=True)

    with page.expect_download() as download:
        page.click("#report-export a:has-text('导出 Excel')")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    sheet = load_workbook(saved).worksheets[0]
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "专业技术人员" in cells and "广州市" in cells and "合计" in cells
    assert sheet.freeze_panes is not None  # the header row stays in view

    regions.locator("a", has_text="广州市").click()  # the city's districts
    page.wait_for_url("**region=440100**")
    assert "返回" in page.inner_text("#report-up")
    page.locator("#report-regions tfoot a", has_text="[查看]").click()  # the city by 资格级别
    page.wait_for_url("**/statistics/levels**")
    assert "中级" in page.inner_text("body") and page.locator("#chart-levels svg").count() == 1
    sign_out(page)
