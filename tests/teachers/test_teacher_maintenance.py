"""师资信息维护 (000 §1.7.1, 004 §1.6.1): 新增, 修改, and bad input that changes nothing."""
import re

from teacher_helpers import (
    FEMALE_ID, MALE_ID, SHENZHEN, TEACHERS, UNIVERSITY, create, field_errors, flashes, list_table, org_id, save,
    teacher, teacher_count, teacher_form,
)


def test_add_a_teacher_as_the_manual_shows(app, login_as):
    client = login_as("unit_a", UNIVERSITY)
    form = client.get(f"{TEACHERS}/new/").get_data(as_text=True)
    for label in ["姓名", "性别", "公民身份号码", "专业技术资格", "联系电话", "邮箱", "可以教授课程", "教师简介"]:
        assert label in form
    assert "限500字" in form and "限1000字" in form and "请选择…" in form

    page = create(client).get_data(as_text=True)
    table = list_table(page)
    for cell in ["张福强", "男", "13899665532", "《工匠精神与广东制造》", "教授", "启用"]:
        assert cell in table
    for header in ["姓名", "性别", "联系电话", "可教授课程", "专业技术资格/职称", "状态"]:
        assert header in page
    saved = teacher(app, name="张福强")
    assert (saved.org_id, saved.id_number, saved.active) == (org_id(app, UNIVERSITY), MALE_ID, True)


def test_the_organisation_comes_from_the_acting_account_not_the_form(app, login_as):
    client = login_as("unit_a", UNIVERSITY)
    create(client, org_id=str(org_id(app, SHENZHEN)), org=str(org_id(app, SHENZHEN)))
    assert teacher(app, name="张福强").org_id == org_id(app, UNIVERSITY)


def test_edit_a_teacher(app, login_as):
    client = login_as("unit_a", UNIVERSITY)
    create(client)
    row = teacher(app, name="张福强")
    url = f"{TEACHERS}/edit/?id={row.id}"
    assert "《工匠精神与广东制造》" in client.get(url).get_data(as_text=True)
    save(client, url, teacher_form(name="张福强", title="正高级工程师", sex="女", id_number=FEMALE_ID))
    edited = teacher(app, id=row.id)
    assert (edited.title, edited.sex, edited.id_number, edited.org_id) == (
        "正高级工程师", "女", FEMALE_ID, org_id(app, UNIVERSITY)
    )


def test_bad_input_is_explained_next_to_the_field_and_saves_nothing(app, login_as):
    client = login_as("unit_a", UNIVERSITY)
    before = teacher_count(app)
    cases = [
        ({"id_number": MALE_ID[:17] + ("0" if MALE_ID[17] != "0" else "1")}, "公民身份号码校验位不正确"),
        ({"id_number": "12345"}, "公民身份号码应为18位"),
        ({"sex": "女"}, "性别与公民身份号码不一致"),
        ({"sex": ""}, "请选择性别"),
        ({"sex": "未知"}, ""),  # not one of the choices: refused by the select itself
        ({"name": "张" * 51}, "姓名限50字"),
        ({"title": "教" * 51}, "专业技术资格限50字"),
        ({"courses": "课" * 501}, "可以教授课程限500字"),
        ({"intro": "简" * 1001}, "教师简介限1000字"),
        ({"phone": "abc"}, "联系电话格式不正确"),
        ({"email": "not-an-email"}, "邮箱格式不正确"),
        ({"intro": ""}, "请填写教师简介"),
        ({"courses": "   "}, "请填写可以教授课程"),
    ]
    for change, message in cases:
        response = create(client, **change)
        assert response.status_code == 200, change
        page = response.get_data(as_text=True)
        assert "保存失败" in flashes(page), change
        assert message in field_errors(page), (change, field_errors(page))
    assert teacher_count(app) == before


def test_limits_are_inclusive(app, login_as):
    client = login_as("unit_a", UNIVERSITY)
    create(client, name="张" * 50, courses="课" * 500, intro="简" * 1000)
    assert teacher(app, name="张" * 50) is not None


def test_a_duplicate_id_number_in_the_same_organisation_is_refused_next_to_the_field(app, login_as):
    client = login_as("unit_a", UNIVERSITY)
    create(client)
    before = teacher_count(app)
    page = create(client, name="张福强二号").get_data(as_text=True)
    assert "本单位已有该公民身份号码的教师" in field_errors(page)
    assert teacher_count(app) == before

    # editing another teacher onto the same number is refused the same way
    create(client, name="李老师", sex="女", id_number=FEMALE_ID)
    other = teacher(app, name="李老师")
    page = save(client, f"{TEACHERS}/edit/?id={other.id}", teacher_form(name="李老师")).get_data(as_text=True)
    assert "本单位已有该公民身份号码的教师" in field_errors(page)
    assert teacher(app, id=other.id).id_number == FEMALE_ID

    # another organisation may keep the same person as its own teacher
    create(login_as("unit_b"))
    assert teacher(app, org_id=org_id(app, SHENZHEN), id_number=MALE_ID) is not None


def test_search_by_name_or_id_number_and_filter_by_status(app, login_as):
    from pages import search_box
    from teacher_helpers import add_teacher

    add_teacher(app, UNIVERSITY, "王启用", MALE_ID)
    add_teacher(app, UNIVERSITY, "赵禁用", FEMALE_ID, sex="女", active=False)
    client = login_as("unit_a", UNIVERSITY)
    by_name = list_table(client.get(f"{TEACHERS}/?search=王启").get_data(as_text=True))
    assert "王启用" in by_name and "赵禁用" not in by_name
    by_id = list_table(client.get(f"{TEACHERS}/?search={FEMALE_ID}").get_data(as_text=True))
    assert "赵禁用" in by_id and "王启用" not in by_id

    page = client.get(f"{TEACHERS}/").get_data(as_text=True)
    status = search_box(page, "状态")
    options = page.split(f'name="{status}"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r">([^<]+)</option>", options) == ["全部", "启用", "禁用"]
    disabled = list_table(client.get(f"{TEACHERS}/?{status}=0").get_data(as_text=True))
    assert "赵禁用" in disabled and "王启用" not in disabled


def test_the_details_page_shows_every_field(app, login_as):
    client = login_as("unit_a", UNIVERSITY)
    create(client)
    page = client.get(f"{TEACHERS}/details/?id={teacher(app, name='张福强').id}").get_data(as_text=True)
    for text in ["公民身份号码", MALE_ID, "zhangfq@qq.com", "从事制造业质量管理教学二十年。", "启用"]:
        assert text in page


def test_the_export_has_every_field_and_the_status_in_words(app, login_as):
    client = login_as("unit_a", UNIVERSITY)
    create(client)
    text = client.get(f"{TEACHERS}/export/csv/").get_data(as_text=True)
    assert text.startswith("\ufeff姓名,性别,公民身份号码")
    assert f"张福强,男,{MALE_ID},教授,13899665532,zhangfq@qq.com" in text and text.rstrip().endswith("启用")
