"""A unit files a 专业课计划 with a class through the real pages in chromium; 广州市教育局 approves it; the unit
opens the class, enters one of its people, records a 合格 and 结业 creates the person's 继续教育记录."""
from datetime import date

import pytest

from backoffice.clock import beijing_today
from backoffice.validators import make_citizen_id

from .test_register_and_approve import sign_out

pytestmark = pytest.mark.browser

YEAR = beijing_today().year
TEACHER_ID = make_citizen_id("440106", date(1979, 6, 18), "611")


def sign_in(page, url, username, org=None):
    page.goto(url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Demo2026x")
    page.click("button[type=submit]")
    if org:
        page.wait_for_url("**/select-org**")
        page.check(f"text={org}")
        page.click("text=使用选中的单位账号登录")
    page.wait_for_url("**/admin/")


def test_a_plan_is_filed_with_a_class_and_approved(page, live_server):
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, "unit_a", "广州示范大学（法人单位）")

    # the class's teacher, added in 师资信息维护 (other browser tests may disable the demo's)
    page.goto(live_server + "/admin/teachers/new/")
    for name, value in {"name": "浏览器老师", "id_number": TEACHER_ID, "title": "副教授", "phone": "020-83330618",
                        "email": "teacher618@example.cn", "courses": "课程思政", "intro": "长期从事课程思政教学"}.items():
        page.fill(f"[name={name}]", value)
    page.select_option("[name=sex]", "男")
    page.click("input[type=submit][value='保存']")
    page.wait_for_url("**/admin/teachers/**")

    # 新申请: 专业课程 from the published catalogue; 继续教育学时 follows 培训天数 × 6
    page.goto(live_server + "/admin/plan_apply/new/")
    page.select_option("[name=course_id]", label=f"课程思政建设与实践（高等学校教师，{YEAR}年）")
    page.fill("[name=name]", f"{YEAR}年浏览器测试培训计划")
    page.fill("[name=days]", "1.5")
    assert page.input_value("[name=hours]") == "9"
    for name, value in {"sessions": "1", "start_on": f"{YEAR}-03-01", "end_on": f"{YEAR}-06-30",
                        "content": "课程思政教学设计", "audience": "本校专任教师"}.items():
        page.fill(f"[name={name}]", value)
    page.click("input[type=submit][value='保存']")
    page.wait_for_url("**/plan_apply/details/**")

    # 培训班新增 with its teacher and subjects
    page.click("#new-class")
    page.wait_for_url("**/plan_apply/classes/form/**")
    for name, value in {"name": "浏览器测试班", "planned_open_on": f"{YEAR}-04-01",
                        "study_start_on": f"{YEAR}-04-01", "study_end_on": f"{YEAR}-04-02", "capacity": "25",
                        "location": "行政楼报告厅", "schedule": "9:00-17:00", "subjects": "专题讲授\n案例研讨"}.items():
        page.fill(f"[name={name}]", value)
    page.select_option("[name=study_form_code]", label="面授")
    page.select_option("[name=exam_type_code]", label="考查")
    page.select_option("[name=head_teacher_id]", label="浏览器老师（副教授）")
    page.check("#teacher-choices label:has-text('浏览器老师')")
    page.click("#class-form button[type=submit]")
    page.wait_for_url("**/plan_apply/details/**")
    assert "浏览器测试班" in page.inner_text("#class-table")

    page.click("#submit-form button")
    page.wait_for_url("**/plan_apply/")
    assert "已送审，审核部门：广州市教育局" in page.inner_text("body")
    page.screenshot(path="test-results/plan_submitted.png", full_page=True)
    sign_out(page)

    # 专业课计划审核 as 广州市教育局
    sign_in(page, live_server, "gz_edu")
    page.goto(live_server + "/admin/plan_review/")
    row = page.locator("table.model-list tr", has_text=f"{YEAR}年浏览器测试培训计划")
    row.locator("a.row-link", has_text="审核").click()
    page.wait_for_url("**/plan_review/details/**")
    assert "浏览器测试班" in page.inner_text("#class-table")
    page.check("#review-form input[value=approve]")
    page.fill("#review-form textarea", "同意开班")
    page.screenshot(path="test-results/plan_review.png", full_page=True)
    page.click("#review-form button[type=submit]")
    page.wait_for_url("**/plan_review/")
    assert "审核完成" in page.inner_text("body")
    sign_out(page)

    # the unit finds the class in 培训班设置 and opens it
    sign_in(page, live_server, "unit_a", "广州示范大学（法人单位）")
    _class_move(page, live_server, "开班", "按计划开班")
    assert "开班成功1条" in page.inner_text("body")
    assert "按计划开班" in page.locator("table.model-list tr", has_text="浏览器测试班").inner_text()
    page.screenshot(path="test-results/class_opened.png", full_page=True)

    # 培训班人员录入: 吴志刚 from the 未录入 tab
    page.goto(live_server + "/admin/class_enrol/")
    page.locator("table.model-list tr", has_text="浏览器测试班").locator("a", has_text="人员录入").click()
    page.wait_for_url("**/class_enrol_people/**")
    page.locator("table.model-list tr", has_text="吴志刚").locator("input[name=rowid]").check()
    page.click("#list-toolbar a[data-model-action=enter]")
    page.wait_for_selector(".alert")
    assert "录入成功1条" in page.inner_text("body")

    # 学员成绩管理 › 成绩录入: 合格
    page.goto(live_server + "/admin/class_results/")
    page.locator("table.model-list tr", has_text="浏览器测试班").locator("a", has_text="成绩录入").click()
    page.wait_for_url("**/class_results/grid/**")
    row = page.locator("#results tr", has_text="吴志刚")
    row.locator("input").fill("91")
    row.locator("select").select_option(label="合格")
    page.click("#results-form button[type=submit]")
    page.wait_for_selector(".alert-success")

    # 结业: the class is finished and 吴志刚's hours are recorded at once (the unit's own class)
    _class_move(page, live_server, "结业", "考核完成")
    assert "结业成功1条，生成继续教育记录1条" in page.inner_text("body")
    page.screenshot(path="test-results/class_finished.png", full_page=True)


def _class_move(page, live_server, move, note):
    """培训班设置: tick the browser test's class, press the move's button, write the 说明, 保存."""
    page.goto(live_server + "/admin/class_setup/")
    page.locator("table.model-list tr", has_text="浏览器测试班").locator("input[name=rowid]").check()
    page.click(f"#list-toolbar a[data-model-action]:text-is('{move}')")
    page.wait_for_url("**/class_setup/status/**")
    page.fill("[name=note]", note)
    page.click("#class-status-form button[type=submit]")
    page.wait_for_url("**/class_setup/")
