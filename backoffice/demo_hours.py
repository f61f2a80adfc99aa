"""Demo data of 学时要求 and a verified year (issue 11 item 5, issue 12 item 1), called by `demo.seed_demo`:

- the national 学时要求 for the last two years and this one;
- last year's approved 继续教育记录 of four people, so 年度验证 and 继续教育综合统计 have figures: 陈诗慧 and
  赵明远 pass, 刘文斌 (too few hours) and 蒋丽华 (专业科目 short) fail, and a returned record of 赵明远 that
  does not count;
- this year so far: 刘文斌 has made up for it (passes), 陈诗慧 has her 公需 hours (a learner, not yet
  passing) — so the report opened on this year is not empty.

Idempotent: requirements by (year, national), records by (person, course, year).
"""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from .clock import beijing_today
from .extensions import db
from .labels import ApplicationStatus, CourseType, RecordSource, ReviewResult
from .models import HourRequirement, Organisation, Person, Record, ReviewLog
from .models.base import utcnow

# 人力资源社会保障部令第25号《专业技术人员继续教育规定》(2015) 第八条: 专业技术人员参加继续教育的时间，
# 每年累计应不少于90学时，其中，专业科目一般不少于总学时的三分之二 — 90 in total, 专业 ≥ 60.
NATIONAL_RULE = {
    "total_hours": Decimal(90), "min_public_hours": Decimal(0), "min_professional_hours": Decimal(60),
    "min_elective_hours": Decimal(0),
    "note": "人力资源社会保障部令第25号《专业技术人员继续教育规定》第八条：每年累计不少于90学时，专业科目一般不少于总学时的三分之二",
}
PUBLIC, PROFESSIONAL = CourseType.PUBLIC, CourseType.PROFESSIONAL
# person, 科目类型, 课程名称, month, 学时, state, years before this one
RECORDS = [
    ("陈诗慧", PUBLIC, "专业技术人员职业道德与诚信建设", 3, 30, ApplicationStatus.APPROVED, 1),
    ("陈诗慧", PROFESSIONAL, "高校教师教学能力提升", 5, 36, ApplicationStatus.APPROVED, 1),
    ("陈诗慧", PROFESSIONAL, "课程思政建设与实践", 9, 24, ApplicationStatus.APPROVED, 1),
    ("赵明远", PUBLIC, "专业技术人员职业道德与诚信建设", 3, 24, ApplicationStatus.APPROVED, 1),
    ("赵明远", PROFESSIONAL, "高等教育数字化转型与智慧教学", 6, 66, ApplicationStatus.APPROVED, 1),
    ("赵明远", PROFESSIONAL, "学术会议交流", 10, 12, ApplicationStatus.RETURNED, 1),
    ("刘文斌", PUBLIC, "数字经济概论", 4, 24, ApplicationStatus.APPROVED, 1),
    ("刘文斌", PROFESSIONAL, "工匠精神与广东制造", 7, 40, ApplicationStatus.APPROVED, 1),
    ("蒋丽华", PUBLIC, "专业技术人员创新能力", 4, 36, ApplicationStatus.APPROVED, 1),
    ("蒋丽华", PROFESSIONAL, "临床诊疗规范更新", 8, 54, ApplicationStatus.APPROVED, 1),
    ("刘文斌", PUBLIC, "专业技术人员职业道德与诚信建设", 3, 30, ApplicationStatus.APPROVED, 0),
    ("刘文斌", PROFESSIONAL, "智能制造技术应用", 5, 60, ApplicationStatus.APPROVED, 0),
    ("陈诗慧", PUBLIC, "数字经济概论", 4, 30, ApplicationStatus.APPROVED, 0),
]
REVIEW_STEP = "继续教育记录认定"


def seed_hours(orgs: dict[str, Organisation]) -> None:
    today = beijing_today()
    this_year = today.year
    for year in range(this_year - 2, this_year + 1):
        found = db.session.scalar(
            select(HourRequirement).where(HourRequirement.year == year, HourRequirement.region_code.is_(None))
        )
        if found is None:
            db.session.add(HourRequirement(year=year, entry_deadline=date(year + 1, 1, 31), **NATIONAL_RULE))
    for name, kind, course, month, hours, status, back in RECORDS:
        year = this_year - back
        person = db.session.scalar(select(Person).where(Person.name == name))
        if person is None or person.unit_id is None:
            continue
        # this year's studies have happened by today, whatever today is: early in the year they are dated
        # today rather than left out (陈诗慧's 公需 and 刘文斌's passing year would be missing until spring)
        start = min(date(year, month, 10), today)
        if db.session.scalar(select(Record.id).where(
            Record.person_id == person.id, Record.course_name == course, Record.year == year
        )) is not None:
            continue
        granted = Decimal(hours)
        record = Record(
            person_id=person.id, course_type=kind, course_name=course, study_form_code="01",
            start_on=start, end_on=start, days=(granted / 6).quantize(Decimal("0.1")),
            declared_hours=granted, approved_hours=granted if status == ApplicationStatus.APPROVED else None,
            institution_org_id=orgs["inst_a"].id, year=year, source=RecordSource.UNIT, status=status,
            reviewer_org_id=person.unit_id, declared_by_org_id=person.unit_id,
            submitted_at=min(datetime(year, month, 20, 2, 0), utcnow()),
        )
        db.session.add(record)
        db.session.flush()
        unit = db.session.get(Organisation, person.unit_id)
        result, opinion = (
            (ReviewResult.APPROVE, "同意") if status == ApplicationStatus.APPROVED
            else (ReviewResult.RETURN, "证明材料不全，请补充学术会议的参会证明")
        )
        db.session.add(ReviewLog(object_type="record", object_id=record.id, step="继续教育记录申报",
                                 reviewer_org_id=unit.id, result=ReviewResult.SUBMIT, opinion="提交送审"))
        db.session.add(ReviewLog(object_type="record", object_id=record.id, step=REVIEW_STEP,
                                 reviewer_org_id=unit.id, result=result, opinion=opinion))
