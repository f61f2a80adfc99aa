"""The demo's second province (issue 13 item 5), called by `demo.seed_demo`: 河南省 works by its own rules
(a `ProvinceRule` row, docs/provinces.md) beside 广东省 in the same database.

- 河南省 (410000), 濮阳市 (410900), 华龙区 (410902) — real GB/T 2260 codes;
- `hn_hr` 河南省人力资源和社会保障厅, `py_hr` 濮阳市人力资源和社会保障局, `py_unit` 濮阳示范职业技术学院 (a
  用人单位 in 华龙区), `py_base` 濮阳市示范继续教育基地 (a 继续教育基地); 河南省教育厅 (no demo login)
  publishes the 专业课目录 py_base's plans are filed from;
- `p_hn` 李豫华 registered choosing py_unit and waits for its 审核注册人员 (her sign-in says so);
- py_hr employs too (Henan's rule `every_org_employs`): 钱豫民 is its confirmed staff, `p_pyhr` 吴豫琳
  registered choosing it and waits for its 审核注册人员;
- work on every Henan screen: a plan of py_base waiting for py_hr (审核培训计划申报), a record waiting for
  py_unit's 学时学分审批, an approved one waiting for py_hr's 学时学分审验, and 华龙区人力资源和社会保障局's
  registration (`hl_hr`) waiting for py_hr's 审核人社部门.

Idempotent like the rest of the demo: rows are found by natural keys and created only when missing.
"""
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from .clock import beijing_today
from .extensions import db
from .labels import (
    ApplicationStatus, BindingStatus, CatalogueStatus, CodeType, CourseType, ExamResult, MembershipStatus, OrgKind,
    PersonJoin, PlanReviewer, RecordChain, RecordSource, RegionLevel, ReviewResult, TitleLevel, Vocabulary,
)
from .models import (
    Catalogue, Course, Membership, Organisation, Person, Plan, ProvinceRule, Qualification, Record, Region,
    ReviewLog, User,
)
from .models.base import utcnow
from .validators import birth_date_from_id, make_citizen_id, make_uscc, sex_from_id

PROVINCE, PUYANG, HUALONG = "410000", "410900", "410902"
REGIONS = [
    (PROVINCE, "河南省", RegionLevel.PROVINCE, None),
    (PUYANG, "濮阳市", RegionLevel.CITY, PROVINCE),
    (HUALONG, "华龙区", RegionLevel.COUNTY, PUYANG),
]

#: the two provinces' rules: Guangdong keeps today's flows (the defaults), Henan its manual's (002)
RULES = [
    ("440000", PersonJoin.UNIT_CONFIRMS, PlanReviewer.INDUSTRY_OF_SERIES, RecordChain.UNIT, False, Vocabulary.GUANGDONG,
     False),
    (PROVINCE, PersonJoin.REGISTRATION_REVIEW, PlanReviewer.HR_OF_REGION, RecordChain.UNIT_THEN_HR, True,
     Vocabulary.HENAN, True),
]

# key, name, kind, level, region, parent key, hr key, series code
ORGS = [
    ("hn_hr", "河南省人力资源和社会保障厅", OrgKind.HR, RegionLevel.PROVINCE, PROVINCE, None, None, None),
    ("py_hr", "濮阳市人力资源和社会保障局", OrgKind.HR, RegionLevel.CITY, PUYANG, "hn_hr", "hn_hr", None),
    ("hn_edu", "河南省教育厅", OrgKind.INDUSTRY, RegionLevel.PROVINCE, PROVINCE, None, "hn_hr", "gxjs"),
    ("py_unit", "濮阳示范职业技术学院", OrgKind.UNIT, RegionLevel.CITY, HUALONG, None, "py_hr", None),
    ("py_base", "濮阳市示范继续教育基地", OrgKind.INSTITUTION, RegionLevel.CITY, PUYANG, None, "py_hr", None),
]
# login, real name, birth, sequence (odd: 男, even: 女)
ACCOUNTS = [
    ("hn_hr", "周建国", date(1974, 5, 12), "211"),
    ("py_hr", "刘红梅", date(1981, 8, 3), "222"),
    ("py_unit", "王卫东", date(1983, 2, 27), "231"),
    ("py_base", "陈静", date(1986, 10, 9), "242"),
    ("hl_hr", "张磊", date(1984, 12, 18), "251"),
    ("p_hn", "李豫华", date(1992, 4, 6), "262"),
    ("p_pyhr", "吴豫琳", date(1990, 9, 15), "282"),
]
# confirmed people of py_unit, without accounts: (name, sex, birth, sequence)
PEOPLE = [("赵中原", date(1985, 3, 14), "271"), ("孙晓黎", date(1989, 7, 22), "282")]
# py_hr's own staff (Henan: every organisation employs, issue 13 item 2): confirmed, without an account
HR_STAFF = ("钱豫民", date(1982, 11, 2), "293")
COURSE = ("职业院校教师教学能力提升", "职业教育教学设计；实训教学组织；信息化教学手段应用。")


def _get_or_create(model, key: dict, **values):
    row = db.session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key, **values)
        db.session.add(row)
        db.session.flush()
    return row


def _log(object_type, object_id, step, org, user, result, opinion=None) -> None:
    db.session.add(ReviewLog(
        object_type=object_type, object_id=object_id, step=step, reviewer_org_id=org.id if org else None,
        reviewer_user_id=user.id if user else None, result=result, opinion=opinion,
    ))


def _org_fields(key: str, name: str, n: int) -> dict:
    return dict(
        code_type=CodeType.USCC, nature_code="01" if key.endswith(("hr", "edu")) else "02", contact_name="办公室",
        office_phone="0393-4410000", mobile=f"1390393{n:04d}", email=f"{key}@example.cn", postcode="457000",
        address=f"河南省濮阳市华龙区{name}办公楼", profile=f"{name}，负责本单位专业技术人员继续教育工作。",
    )


def seed_henan(series: dict, password: str, pending_application) -> dict[str, Organisation]:
    """Everything of 河南省; `pending_application` is the demo's own (a registration with its licence)."""
    for code, name, level, parent in REGIONS:
        _get_or_create(Region, {"code": code}, name=name, level=level, parent_code=parent)
    for code, join, plans, chain, hr_self, words, every_org in RULES:
        _get_or_create(ProvinceRule, {"region_code": code}, person_join=join, plan_reviewer=plans,
                       record_chain=chain, hr_self_registration=hr_self, vocabulary=words,
                       every_org_employs=every_org)
    users = {}
    for n, (login, real_name, birth, seq) in enumerate(ACCOUNTS):
        user = db.session.scalar(select(User).filter_by(login=login))
        if user is None:
            user = User(login=login, real_name=real_name, id_type="resident_id",
                        id_number=make_citizen_id(HUALONG, birth, seq), mobile=f"1370393{n:04d}",
                        email=f"{login}@example.cn", real_name_verified=True)
            user.set_password(password)
            db.session.add(user)
            db.session.flush()
        users[login] = user

    orgs: dict[str, Organisation] = {}
    for n, (key, name, kind, level, region, parent, hr, series_code) in enumerate(ORGS, start=1):
        orgs[key] = _get_or_create(
            Organisation, {"kind": kind, "code": make_uscc(f"91410900MA{n:07d}")},
            name=name, level=level, region_code=region, parent_id=orgs[parent].id if parent else None,
            hr_org_id=orgs[hr].id if hr else None, series_id=series[series_code].id if series_code else None,
            status=ApplicationStatus.APPROVED, **_org_fields(key, name, n),
            # HR departments are set up by the 系统管理员; the others applied and were approved by their HR
            **({} if kind == OrgKind.HR else {"reviewer_org_id": orgs[hr].id, "submitted_at": utcnow()}),
        )
        if key in users:
            _get_or_create(Membership, {"user_id": users[key].id, "org_id": orgs[key].id},
                           status=MembershipStatus.ACTIVE, is_super_admin=True)
        if kind != OrgKind.HR and not db.session.scalar(select(ReviewLog.id).where(
                ReviewLog.object_type == "organisation", ReviewLog.object_id == orgs[key].id)):
            # approved through 角色申请 like any other organisation (HR departments are set up, not applied)
            _log("organisation", orgs[key].id, "送审", orgs[key], users.get(key), ReviewResult.SUBMIT)
            _log("organisation", orgs[key].id, "单位信息审核", orgs[hr], users.get(hr), ReviewResult.APPROVE,
                 "材料齐全，同意")
    # 华龙区's HR registered itself (Henan: 审核人社部门 by the HR one level up)
    code = make_uscc(f"91410900MA{len(ORGS) + 1:07d}")
    hualong = db.session.scalar(select(Organisation).filter_by(kind=OrgKind.HR, code=code))
    if hualong is None:
        hualong = pending_application(
            users["hl_hr"], orgs["py_hr"], code, name="华龙区人力资源和社会保障局", kind=OrgKind.HR,
            level=RegionLevel.COUNTY, region_code=HUALONG, parent_id=orgs["py_hr"].id, hr_org_id=orgs["py_hr"].id,
            series_id=None,
        )
        _get_or_create(Membership, {"user_id": users["hl_hr"].id, "org_id": hualong.id},
                       status=MembershipStatus.ACTIVE, is_super_admin=True)

    p_hn = users["p_hn"]
    _get_or_create(
        Person, {"id_number": p_hn.id_number}, user_id=p_hn.id, name=p_hn.real_name,
        sex=sex_from_id(p_hn.id_number), birth_date=birth_date_from_id(p_hn.id_number), phone=p_hn.mobile,
        email=p_hn.email, unit_id=orgs["py_unit"].id, binding_status=BindingStatus.PENDING,
    )
    people = []
    for name, birth, seq in PEOPLE:
        id_number = make_citizen_id(HUALONG, birth, seq)
        people.append(_get_or_create(
            Person, {"id_number": id_number}, name=name, sex=sex_from_id(id_number), birth_date=birth,
            unit_id=orgs["py_unit"].id, binding_status=BindingStatus.CONFIRMED, confirmed_at=utcnow(),
            title="讲师", title_level=TitleLevel.MIDDLE, series_id=series["gxjs"].id,
            phone=f"1390393{seq}0", address="河南省濮阳市华龙区示范路1号", postcode="457000",
        ))
    _seed_hr_staff(orgs, users, series)
    _seed_plan(orgs, users)
    _seed_records(orgs, users, people)
    db.session.flush()
    return orgs


def _seed_hr_staff(orgs, users, series) -> None:
    """濮阳市人社局 has people of its own (Henan's rule: every organisation employs): 钱豫民 confirmed, and
    吴豫琳 (`p_pyhr`) registered choosing it and waits for its 审核注册人员."""
    hr = orgs["py_hr"]
    name, birth, seq = HR_STAFF
    id_number = make_citizen_id(HUALONG, birth, seq)
    _get_or_create(
        Person, {"id_number": id_number}, name=name, sex=sex_from_id(id_number), birth_date=birth,
        unit_id=hr.id, binding_status=BindingStatus.CONFIRMED, confirmed_at=utcnow(), title="经济师",
        title_level=TitleLevel.MIDDLE, series_id=series["gxjs"].id, phone=f"1390393{seq}0",
        address="河南省濮阳市华龙区人民路1号", postcode="457000",
    )
    waiting = users["p_pyhr"]
    _get_or_create(
        Person, {"id_number": waiting.id_number}, user_id=waiting.id, name=waiting.real_name,
        sex=sex_from_id(waiting.id_number), birth_date=birth_date_from_id(waiting.id_number), phone=waiting.mobile,
        email=waiting.email, unit_id=hr.id, binding_status=BindingStatus.PENDING,
    )


def _seed_plan(orgs, users) -> None:
    """河南省教育厅's catalogue, py_base's 专业培训资格, and its plan waiting for 濮阳市人社局 (HR reviews plans)."""
    year = beijing_today().year
    edu, base = orgs["hn_edu"], orgs["py_base"]
    catalogue = db.session.scalar(select(Catalogue).filter_by(org_id=edu.id, series_id=edu.series_id, year=year))
    if catalogue is None:
        catalogue = Catalogue(org_id=edu.id, series_id=edu.series_id, year=year, declared_on=date(year, 1, 10),
                              status=CatalogueStatus.PUBLISHED, published_at=utcnow())
        catalogue.courses = [Course(name=COURSE[0], content=COURSE[1], withdrawn=False)]
        db.session.add(catalogue)
        db.session.flush()
    if db.session.scalar(select(Qualification.id).filter_by(institution_id=base.id, series_id=edu.series_id)) is None:
        qualification = Qualification(institution_id=base.id, series_id=edu.series_id, status=ApplicationStatus.APPROVED,
                                      note="本基地承担濮阳市职业院校教师继续教育培训。", submitted_at=utcnow())
        db.session.add(qualification)
        db.session.flush()
        _log("qualification", qualification.id, "送审", base, users["py_base"], ReviewResult.SUBMIT)
        _log("qualification", qualification.id, "施教机构专业培训资格审核", edu, None, ReviewResult.APPROVE, "同意")
    name = f"{year}年职业院校教师教学能力提升培训"
    if db.session.scalar(select(Plan.id).filter_by(owner_org_id=base.id, name=name)) is None:
        plan = Plan(
            owner_org_id=base.id, course_id=catalogue.courses[0].id, series_id=catalogue.series_id,
            course_type=CourseType.PROFESSIONAL, year=year, name=name, days=Decimal("2"), hours=Decimal("12"),
            sessions=1, start_on=date(year, 3, 1), end_on=date(year, 12, 20), content=f"{COURSE[0]}：{COURSE[1]}",
            audience="濮阳市职业院校专任教师", status=ApplicationStatus.PENDING, created_by_id=users["py_base"].id,
            reviewer_org_id=orgs["py_hr"].id, submitted_at=utcnow(),
        )
        db.session.add(plan)
        db.session.flush()
        _log("plan", plan.id, "送审", base, users["py_base"], ReviewResult.SUBMIT)


def _seed_records(orgs, users, people) -> None:
    """赵中原's record from py_base waits for py_unit's 学时学分审批; 孙晓黎's went through the unit and
    濮阳市人社局 (the Henan chain) and waits for its 学时学分审验."""
    from .workflows.record_routing import REGION_HR, STEP_NAMES, UNIT

    unit, base, hr = orgs["py_unit"], orgs["py_base"], orgs["py_hr"]
    start = beijing_today() - timedelta(days=60)
    for person, course, status in ((people[0], "职业院校实训教学组织", ApplicationStatus.PENDING),
                                   (people[1], "信息化教学手段应用", ApplicationStatus.APPROVED)):
        if db.session.scalar(select(Record.id).filter_by(person_id=person.id, course_name=course)) is not None:
            continue
        hours = Decimal("12.0")
        record = Record(
            person_id=person.id, course_type=CourseType.PROFESSIONAL, course_name=course, study_form_code="01",
            start_on=start, end_on=start + timedelta(days=1), days=Decimal("2"), exam_result=ExamResult.PASS,
            declared_hours=hours, institution_org_id=base.id, year=start.year, location="濮阳市华龙区",
            content="专业知识更新", source=RecordSource.INSTITUTION, status=status, declared_by_org_id=base.id,
            reviewer_org_id=unit.id if status == ApplicationStatus.PENDING else None,
            review_step=UNIT if status == ApplicationStatus.PENDING else None, submitted_at=utcnow(),
            approved_hours=hours if status == ApplicationStatus.APPROVED else None,
        )
        db.session.add(record)
        db.session.flush()
        _log("record", record.id, "送审", base, users["py_base"], ReviewResult.SUBMIT)
        if status == ApplicationStatus.APPROVED:
            _log("record", record.id, STEP_NAMES[UNIT], unit, users["py_unit"], ReviewResult.APPROVE, "同意")
            _log("record", record.id, STEP_NAMES[REGION_HR], hr, users["py_hr"], ReviewResult.APPROVE, "同意")
