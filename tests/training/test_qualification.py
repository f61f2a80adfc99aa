"""施教机构专业培训资格: a province-level institution passes at 送审; a city-level one is reviewed by the
industry department of the series nearest up its region (one of two reviewers wins); plans need it."""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import ProfessionalSeries, Qualification, ReviewLog

from pages import act, field_errors, flashes, list_table
from training_helpers import (
    APPLY,
    QUAL_APPLY,
    QUAL_REVIEW,
    create_plan,
    course_id,
    make_org,
    one,
    org_id,
    upload,
)

CITY_INSTITUTION = "广州越秀职业培训学院"


def _series_id(app, name):
    return one(app, ProfessionalSeries, name=name).id


def _apply(client, *series_ids, note="申请说明"):
    return client.post(
        f"{QUAL_APPLY}/new/", {"series_ids": [str(s) for s in series_ids], "note": note}, token_page=f"{QUAL_APPLY}/"
    )


def _submit(client, qualification_id):
    return client.post(
        f"{QUAL_APPLY}/submit/?id={qualification_id}", {}, token_page=f"{QUAL_APPLY}/details/?id={qualification_id}",
        follow_redirects=True,
    )


def _steps(app, qualification_id):
    with app.app_context():
        return [
            (log.step, log.result, log.reviewer_org.name if log.reviewer_org else None, log.opinion)
            for log in db.session.scalars(
                select(ReviewLog).where(ReviewLog.object_type == "qualification", ReviewLog.object_id == qualification_id)
                .order_by(ReviewLog.id)
            )
        ]


def test_a_province_level_institution_is_qualified_at_submission(app, login_as):
    inst = login_as("inst_a")
    health = _series_id(app, "卫生技术人员")
    assert _apply(inst, health).status_code == 302
    row = one(app, Qualification, institution_id=org_id(app, "广东示范继续教育学院"), series_id=health)
    assert row.status == "draft"
    page = _submit(inst, row.id).get_data(as_text=True)
    assert "卫生技术人员：省级施教机构，专业培训资格默认通过" in flashes(page)
    assert one(app, Qualification, id=row.id).status == "approved"
    assert _steps(app, row.id) == [
        ("送审", "submit", "广东示范继续教育学院", None),
        ("施教机构专业培训资格审核", "approve", None, "省级施教机构，专业培训资格默认通过"),
    ]
    # nothing to review anywhere, and the same series cannot be applied for twice
    assert "广东示范继续教育学院" not in list_table(login_as("gd_edu").get(f"{QUAL_REVIEW}/").get_data(as_text=True))
    twice = _apply(inst, health)
    assert twice.status_code == 200 and "本机构已申请" in field_errors(twice.get_data(as_text=True))


def test_a_city_level_institution_is_reviewed_by_the_city_industry_department(app, login_as):
    make_org(app, "inst_yx", CITY_INSTITUTION, "institution", "city", "440104", 7001)
    inst = login_as("inst_yx")
    teachers_series = _series_id(app, "高等学校教师")

    # no qualification yet: the plan form says so, and a crafted POST for a course is refused
    form = inst.get(f"{APPLY}/new/").get_data(as_text=True)
    assert "本机构尚未取得任何专业系列的专业培训资格" in form
    refused = create_plan(inst, APPLY, course_id(app, "高校教师教学能力提升"))
    assert "本机构尚未取得该专业系列的专业培训资格" in field_errors(refused.get_data(as_text=True))

    created = _apply(inst, teachers_series)
    assert created.status_code == 302
    row = one(app, Qualification, series_id=teachers_series, institution_id=org_id(app, CITY_INSTITUTION))
    assert upload(inst, QUAL_APPLY, row.id, "办学许可证.pdf").status_code == 302
    page = _submit(inst, row.id).get_data(as_text=True)
    assert "已送审，审核部门：广州市教育局" in flashes(page)
    assert one(app, Qualification, id=row.id).reviewer_org_id == org_id(app, "广州市教育局")
    # read-only now
    assert "已送审的申请不能再修改" in flashes(
        inst.get(f"{QUAL_APPLY}/edit/?id={row.id}", follow_redirects=True).get_data(as_text=True)
    )

    # the province department is not the nearest: 404; the city department decides; a second decision loses
    assert login_as("gd_edu").get(f"{QUAL_REVIEW}/details/?id={row.id}").status_code == 404
    first, second = login_as("gz_edu"), login_as("gz_edu")
    details = first.get(f"{QUAL_REVIEW}/details/?id={row.id}").get_data(as_text=True)
    assert CITY_INSTITUTION in details and "办学许可证.pdf" in details and 'id="review-form"' in details
    decided = first.post(f"{QUAL_REVIEW}/review/?id={row.id}", {"result": "approve", "opinion": "同意"}, token_page=f"{QUAL_REVIEW}/")
    assert decided.status_code == 302
    late = second.post(
        f"{QUAL_REVIEW}/review/?id={row.id}", {"result": "return", "opinion": "材料不全"}, token_page=f"{QUAL_REVIEW}/",
        follow_redirects=True,
    )
    assert "已审核，当前状态为“已通过”" in flashes(late.get_data(as_text=True))
    assert one(app, Qualification, id=row.id).status == "approved"
    assert [s[:3] for s in _steps(app, row.id)] == [
        ("送审", "submit", CITY_INSTITUTION), ("施教机构专业培训资格审核", "approve", "广州市教育局"),
    ]

    # qualified: the course is offered now
    assert "高校教师教学能力提升" in inst.get(f"{APPLY}/courses/").get_data(as_text=True)


def test_no_industry_department_of_the_series_means_the_refusal_names_it(app, login_as):
    make_org(app, "inst_yx", CITY_INSTITUTION, "institution", "city", "440104", 7001)
    inst = login_as("inst_yx")
    assert _apply(inst, _series_id(app, "卫生技术人员")).status_code == 302
    row = one(app, Qualification, institution_id=org_id(app, CITY_INSTITUTION))
    page = _submit(inst, row.id).get_data(as_text=True)
    assert "没有可审核专业培训资格的“卫生技术人员”行业主管部门：请联系越秀区或广州市或广东省的“卫生技术人员”行业主管部门" in flashes(page)
    assert one(app, Qualification, id=row.id).status == "draft"


def test_batch_review_and_return_makes_it_editable_again(app, login_as):
    make_org(app, "inst_yx", CITY_INSTITUTION, "institution", "city", "440104", 7001)
    inst = login_as("inst_yx")
    assert _apply(inst, _series_id(app, "高等学校教师")).status_code == 302
    row = one(app, Qualification, institution_id=org_id(app, CITY_INSTITUTION))
    act(inst, "qualification_apply", "submit", [row.id])
    assert one(app, Qualification, id=row.id).status == "pending"

    gz_edu = login_as("gz_edu")
    batch = gz_edu.post(
        f"{QUAL_REVIEW}/batch/?id={row.id}", {"id": [str(row.id)], "result": "return", "opinion": "请补充办学许可证"},
        token_page=f"{QUAL_REVIEW}/", follow_redirects=True,
    )
    assert "审核成功1条" in flashes(batch.get_data(as_text=True))
    assert one(app, Qualification, id=row.id).status == "returned"
    page = inst.get(f"{QUAL_APPLY}/details/?id={row.id}").get_data(as_text=True)
    assert "申请已被退回" in page and "请补充办学许可证" in page
    assert "已送审，审核部门：广州市教育局" in flashes(_submit(inst, row.id).get_data(as_text=True))
