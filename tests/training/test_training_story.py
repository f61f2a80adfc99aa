"""Issue 10 items 1–4 as one story: a catalogue is published, a city-level institution is qualified for
it by the city industry department, files a plan with a class, has it returned, fixes and resubmits it,
gets it approved, and runs the class through 接受报名, 开班 and 取消."""
from backoffice.models import Catalogue, Course, Qualification, TrainingClass

from pages import flashes
from training_helpers import (
    APPLY,
    CATALOGUES,
    QUAL_APPLY,
    QUAL_REVIEW,
    YEAR,
    add_class,
    add_teacher,
    class_status,
    create_plan,
    decide,
    id_from,
    make_org,
    move,
    one,
    org_id,
    plan_form,
    plan_status,
    submit,
)

INSTITUTION = "广州越秀职业培训学院"


def test_catalogue_to_class(app, login_as):
    # 专业课目录指南发布: next year's catalogue of 广东省教育厅
    gd_edu = login_as("gd_edu")
    catalogue = id_from(gd_edu.post(
        f"{CATALOGUES}/new/", {"year": str(YEAR + 1), "declared_on": f"{YEAR}-12-01"}, token_page=f"{CATALOGUES}/"
    ))
    assert gd_edu.post(
        f"{CATALOGUES}/course/?id={catalogue}", {"name": "高校教师科研能力提升", "content": "科研选题与项目申报"},
        token_page=f"{CATALOGUES}/details/?id={catalogue}",
    ).status_code == 302
    gd_edu.post(f"{CATALOGUES}/publish/?id={catalogue}", {}, token_page=f"{CATALOGUES}/details/?id={catalogue}")
    assert one(app, Catalogue, id=catalogue).status == "published"
    course = one(app, Course, name="高校教师科研能力提升")

    # 施教机构专业培训资格: a city-level institution, reviewed by 广州市教育局
    make_org(app, "inst_yx", INSTITUTION, "institution", "city", "440104", 7001)
    inst = login_as("inst_yx")
    series = one(app, Catalogue, id=catalogue).series_id
    assert inst.post(f"{QUAL_APPLY}/new/", {"series_ids": [str(series)]}, token_page=f"{QUAL_APPLY}/").status_code == 302
    qualification = one(app, Qualification, institution_id=org_id(app, INSTITUTION)).id
    inst.post(f"{QUAL_APPLY}/submit/?id={qualification}", {}, token_page=f"{QUAL_APPLY}/")
    assert one(app, Qualification, id=qualification).status == "pending"
    gz_edu = login_as("gz_edu")
    assert decide(gz_edu, qualification, "approve", "同意", view=QUAL_REVIEW).status_code == 302
    assert one(app, Qualification, id=qualification).status == "approved"

    # 专业课计划申报 with a class, 送审 to 广州市教育局 (nearest department of the series up from 越秀区)
    teacher = add_teacher(app, INSTITUTION, "越秀讲师", 521)
    plan = id_from(create_plan(inst, APPLY, course.id, year=str(YEAR + 1), start_on=f"{YEAR + 1}-03-01",
                               end_on=f"{YEAR + 1}-06-30"))
    assert add_class(inst, APPLY, plan, teacher, [teacher], planned_open_on=f"{YEAR + 1}-04-01",
                     study_start_on=f"{YEAR + 1}-04-01", study_end_on=f"{YEAR + 1}-04-02").status_code == 302
    assert submit(inst, APPLY, plan).status_code == 302
    assert plan_status(app, plan) == "pending"

    # 不同意并退案 → fixed → resubmitted → 同意
    assert decide(gz_edu, plan, "return", "培训天数与课程安排不符").status_code == 302
    assert plan_status(app, plan) == "returned"
    fixed = inst.post(f"{APPLY}/edit/?id={plan}", plan_form(
        course.id, year=str(YEAR + 1), start_on=f"{YEAR + 1}-03-01", end_on=f"{YEAR + 1}-06-30", days="2",
        hours="12", sessions="1",
    ), token_page=f"{APPLY}/")
    assert fixed.status_code == 302
    assert submit(inst, APPLY, plan).status_code == 302
    assert decide(gz_edu, plan, "approve", "同意").status_code == 302
    assert plan_status(app, plan) == "approved"

    # 培训班设置: 接受报名 → 开班 → 取消 (no results yet)
    training_class = one(app, TrainingClass, plan_id=plan).id
    assert "接受报名成功1条" in flashes(move(inst, [training_class], "enrol", "开始报名").get_data(as_text=True))
    assert "开班成功1条" in flashes(move(inst, [training_class], "open").get_data(as_text=True))
    assert "取消成功1条" in flashes(move(inst, [training_class], "cancel", "报名人数不足").get_data(as_text=True))
    assert class_status(app, training_class) == "cancelled"
