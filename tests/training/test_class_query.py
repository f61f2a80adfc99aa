"""施教机构培训班查询 (industry, 004 §1.7.3) and 培训班查询 (HR): read-only, the classes of approved plans the
policy lets them query — an industry department its region's institutions in its series, HR its region."""
from pages import list_table
from training_helpers import YEAR, filtered, one

from backoffice.models import TrainingClass

INDUSTRY = "/admin/class_query_industry"
HR = "/admin/class_query_hr"
INSTITUTE = f"{YEAR}年高校教师教学能力提升研修班"  # 广东示范继续教育学院 (province level), approved
INTERNAL = f"{YEAR}年课程思政校内培训第1期"  # 广州示范大学 (天河区), approved
PENDING = f"{YEAR}年高等教育数字化转型研修第1期"  # inst_a's plan waiting for review


def test_the_province_department_queries_the_institutions_classes_of_its_series(app, login_as):
    gd_edu = login_as("gd_edu")
    listing = list_table(gd_edu.get(f"{INDUSTRY}/").get_data(as_text=True))
    for n in (1, 2, 3):
        assert f"{INSTITUTE}第{n}期" in listing
    assert "广东示范继续教育学院" in listing and "黄立群" in listing  # 施教机构名称, 班主任
    assert INTERNAL not in listing and PENDING not in listing  # a unit's class; a plan not approved
    assert "第2期" in filtered(gd_edu, INDUSTRY, "施教机构名称", "示范继续教育")
    assert "第2期" not in filtered(gd_edu, INDUSTRY, "施教机构名称", "越秀")
    assert "第2期" in filtered(gd_edu, INDUSTRY, "培训班名称", "第2期")
    second = one(app, TrainingClass, name=f"{INSTITUTE}第2期")
    details = gd_edu.get(f"{INDUSTRY}/details/?id={second.id}").get_data(as_text=True)
    assert "林晓红" in details and "专题讲授" in details and "学习地点" in details


def test_a_city_department_does_not_see_a_province_institutions_classes(app, login_as):
    second = one(app, TrainingClass, name=f"{INSTITUTE}第2期")
    gz_edu = login_as("gz_edu")
    assert INSTITUTE not in list_table(gz_edu.get(f"{INDUSTRY}/").get_data(as_text=True))
    assert gz_edu.get(f"{INDUSTRY}/details/?id={second.id}").status_code == 404


def test_hr_queries_every_class_of_its_region(app, login_as):
    internal = one(app, TrainingClass, name=INTERNAL)
    second = one(app, TrainingClass, name=f"{INSTITUTE}第2期")
    gd_hr = list_table(login_as("gd_hr").get(f"{HR}/").get_data(as_text=True))
    assert INTERNAL in gd_hr and f"{INSTITUTE}第2期" in gd_hr and PENDING not in gd_hr
    gz_hr = login_as("gz_hr")
    listing = list_table(gz_hr.get(f"{HR}/").get_data(as_text=True))
    assert INTERNAL in listing and "广州示范大学" in listing
    assert INSTITUTE not in listing  # the province-level institution is not in 广州市
    assert gz_hr.get(f"{HR}/details/?id={internal.id}").status_code == 200
    assert gz_hr.get(f"{HR}/details/?id={second.id}").status_code == 404
    assert "课程思政" in filtered(gz_hr, HR, "开班单位", "示范大学")


def test_the_queries_are_read_only_and_for_their_kind_only(app, login_as):
    internal = one(app, TrainingClass, name=INTERNAL)
    gz_hr = login_as("gz_hr")
    assert gz_hr.get(f"{HR}/edit/?id={internal.id}").status_code == 403
    assert gz_hr.post(f"{HR}/delete/", {"id": internal.id}).status_code == 403
    assert gz_hr.get(f"{INDUSTRY}/").status_code == 403
    assert login_as("gd_edu").get(f"{HR}/").status_code == 403
    assert login_as("inst_a").get(f"{INDUSTRY}/").status_code == 403
