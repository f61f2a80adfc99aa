"""专业课目录指南发布: 新申请 → 专业添加 → 确认; published courses are read-only and offered to plans;
撤回 only while no plan uses a course; only province-level industry departments have the screen."""
from backoffice.models import Catalogue, Course

from pages import field_errors, flashes, list_table
from training_helpers import APPLY, CATALOGUES, YEAR, create_plan, id_from, one, upload


def _new_catalogue(client, year):
    return client.post(f"{CATALOGUES}/new/", {"year": str(year), "declared_on": f"{year}-01-05"}, token_page=f"{CATALOGUES}/")


def _add_course(client, catalogue_id, name, content="学习内容"):
    return client.post(
        f"{CATALOGUES}/course/?id={catalogue_id}", {"name": name, "content": content, "note": ""},
        token_page=f"{CATALOGUES}/details/?id={catalogue_id}",
    )


def _publish(client, catalogue_id):
    return client.post(f"{CATALOGUES}/publish/?id={catalogue_id}", {}, token_page=f"{CATALOGUES}/details/?id={catalogue_id}", follow_redirects=True)


def test_publish_a_catalogue_and_plans_can_choose_its_courses(app, login_as):
    gd_edu = login_as("gd_edu")
    created = _new_catalogue(gd_edu, YEAR + 1)
    assert created.status_code == 302
    catalogue_id = id_from(created)
    assert one(app, Catalogue, id=catalogue_id).status == "draft"

    # 确认 with no course: refused, still a draft
    assert "请先新增专业课" in flashes(_publish(gd_edu, catalogue_id).get_data(as_text=True))
    assert _add_course(gd_edu, catalogue_id, "人工智能赋能高校教学").status_code == 302
    again = _add_course(gd_edu, catalogue_id, "人工智能赋能高校教学")
    assert again.status_code == 200 and "本目录已有同名专业课" in field_errors(again.get_data(as_text=True))
    too_long = _add_course(gd_edu, catalogue_id, "教学研究方法", content="字" * 1001)
    assert "学习内容限1000字" in field_errors(too_long.get_data(as_text=True))
    assert upload(gd_edu, CATALOGUES, catalogue_id, "目录指南.pdf").status_code == 302

    # a draft is the department's own: units cannot choose its courses yet
    draft_course = one(app, Course, name="人工智能赋能高校教学")
    unit = login_as("unit_a", "广州示范大学")
    assert "人工智能赋能高校教学" not in unit.get(f"{APPLY}/new/").get_data(as_text=True)

    page = _publish(gd_edu, catalogue_id).get_data(as_text=True)
    assert f"已确认发布：{YEAR + 1}年高等学校教师专业课目录" in flashes(page)
    assert one(app, Catalogue, id=catalogue_id).status == "published"
    assert "该专业课目录已发布" in flashes(_publish(gd_edu, catalogue_id).get_data(as_text=True))

    # published: read-only, the attachment stays, and units see the course in 选择专业课程
    edit = gd_edu.post(
        f"{CATALOGUES}/course/?id={catalogue_id}&course_id={draft_course.id}",
        {"name": "改名", "content": "改内容"}, token_page=f"{CATALOGUES}/", follow_redirects=True,
    )
    assert "已发布的专业课不能修改，只能撤回" in flashes(edit.get_data(as_text=True))
    assert one(app, Course, id=draft_course.id).name == "人工智能赋能高校教学"
    picker = unit.get(f"{APPLY}/courses/").get_data(as_text=True)
    assert "人工智能赋能高校教学" in picker and "学习内容" in picker


def test_withdraw_a_published_course_only_while_no_plan_uses_it(app, login_as):
    gd_edu = login_as("gd_edu")
    catalogue = one(app, Catalogue, year=YEAR)
    used = one(app, Course, name="高校教师教学能力提升")  # the demo's plans use it
    page = gd_edu.post(
        f"{CATALOGUES}/course/withdraw/?id={catalogue.id}&course_id={used.id}", {}, token_page=f"{CATALOGUES}/",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "已有专业课计划使用该专业课，不能撤回" in flashes(page)
    assert one(app, Course, id=used.id).withdrawn is False

    created = _add_course(gd_edu, catalogue.id, "高校实验室安全管理")
    assert created.status_code == 302
    fresh = one(app, Course, name="高校实验室安全管理")
    assert fresh.withdrawn is False  # added to a published catalogue: published at once
    page = gd_edu.post(
        f"{CATALOGUES}/course/withdraw/?id={catalogue.id}&course_id={fresh.id}", {}, token_page=f"{CATALOGUES}/",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "已撤回专业课：高校实验室安全管理" in flashes(page)
    assert one(app, Course, id=fresh.id).withdrawn is True

    # a withdrawn course is no longer offered, and a crafted POST choosing it is refused
    unit = login_as("unit_a", "广州示范大学")
    assert "高校实验室安全管理" not in unit.get(f"{APPLY}/courses/").get_data(as_text=True)
    refused = create_plan(unit, APPLY, fresh.id)
    assert refused.status_code == 200
    assert "所选专业课程不存在、已撤回或不可选择" in field_errors(refused.get_data(as_text=True))


def test_only_province_level_industry_departments_publish(app, login_as):
    assert login_as("gz_edu").get(f"{CATALOGUES}/").status_code == 403
    for login, org in [("unit_a", "广州示范大学"), ("inst_a", None), ("gd_hr", None), ("p_chen", None)]:
        assert login_as(login, org).get(f"{CATALOGUES}/").status_code == 403
    listing = list_table(login_as("gd_edu").get(f"{CATALOGUES}/").get_data(as_text=True))
    assert "广东省教育厅" in listing and "高等学校教师" in listing


def test_one_catalogue_per_series_and_year(app, login_as):
    gd_edu = login_as("gd_edu")
    response = _new_catalogue(gd_edu, YEAR)
    assert response.status_code == 200
    assert f"本单位{YEAR}年的专业课目录已存在" in field_errors(response.get_data(as_text=True))
