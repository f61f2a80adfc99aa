"""The demo data contract of DESIGN §5: every role signs in with `Demo2026x` and finds real work.

Idempotent: each row is looked up by its natural key and created only when missing, so running it
again (or after a partial run) adds nothing twice and never overwrites what people changed.
"""
import secrets
from datetime import date
from pathlib import Path

from flask import current_app

from sqlalchemy import select

from .extensions import db
from .labels import (
    ApplicationStatus,
    BindingStatus,
    CodeType,
    DictionaryCategory,
    MembershipStatus,
    OrgKind,
    RegionLevel,
    ReviewResult,
    SubjectType,
    SystemRole,
    TitleLevel,
    TransferStatus,
)
from .models import (
    Attachment,
    Department,
    DictionaryItem,
    Dishonesty,
    Membership,
    Organisation,
    OrgRole,
    Person,
    PersonChange,
    ProfessionalSeries,
    Region,
    ReviewLog,
    Teacher,
    Transfer,
    User,
)
from .models.base import utcnow
from .demo_certificates import seed_certificates
from .demo_checks import seed_checks
from .demo_henan import seed_henan
from .demo_hours import seed_hours
from .demo_legacy import seed_legacy
from .demo_reports import seed_annual_reports
from .demo_training import seed_records, seed_training
from .validators import birth_date_from_id, make_citizen_id, make_uscc, sex_from_id

DEMO_PASSWORD = "Demo2026x"

REGIONS = [
    ("440000", "广东省", RegionLevel.PROVINCE, None),
    ("440100", "广州市", RegionLevel.CITY, "440000"),
    ("440103", "荔湾区", RegionLevel.COUNTY, "440100"),
    ("440104", "越秀区", RegionLevel.COUNTY, "440100"),
    ("440106", "天河区", RegionLevel.COUNTY, "440100"),
    ("440300", "深圳市", RegionLevel.CITY, "440000"),
    ("440303", "罗湖区", RegionLevel.COUNTY, "440300"),
    ("440304", "福田区", RegionLevel.COUNTY, "440300"),
    ("440305", "南山区", RegionLevel.COUNTY, "440300"),
]

SERIES = [
    ("gxjs", "高等学校教师"),
    ("wsjs", "卫生技术人员"),
    ("gcjs", "工程技术人员"),
    ("zxxjs", "中小学教师"),
    ("jjzy", "经济专业人员"),
]

DICTIONARIES = {
    DictionaryCategory.ETHNICITY: ["汉族", "壮族", "回族", "满族", "瑶族", "畲族", "苗族", "土家族", "黎族", "其他"],
    DictionaryCategory.EDUCATION: ["博士研究生", "硕士研究生", "大学本科", "大学专科", "中等专科", "高中及以下"],
    DictionaryCategory.DEGREE: ["博士", "硕士", "学士", "无"],
    DictionaryCategory.ORG_NATURE: ["政府部门", "事业单位", "国有企业", "民营企业", "社会团体", "其他"],
    # 学术论文 and 学历教育 (Henan, 002): forms whose declaration leaves fields out (workflows/declarations.py)
    DictionaryCategory.STUDY_FORM: ["面授", "网络培训", "学术会议", "进修", "其他", "学术论文", "学历教育"],
    DictionaryCategory.EXAM_TYPE: ["考试", "考查", "无"],
    DictionaryCategory.SECURITY_QUESTION: [
        "您母亲的姓名是？", "您父亲的姓名是？", "您的出生地是？", "您小学的校名是？", "您配偶的姓名是？",
    ],
}
ID_TYPES = [("resident_id", "居民身份证"), ("passport", "护照"), ("hk_macao", "港澳居民来往内地通行证"),
            ("taiwan", "台湾居民来往大陆通行证")]

# key, name, kind, level, region, parent key, hr key, series code
ORGS = [
    ("gd_hr", "广东省人力资源和社会保障厅", OrgKind.HR, RegionLevel.PROVINCE, "440000", None, None, None),
    ("gz_hr", "广州市人力资源和社会保障局", OrgKind.HR, RegionLevel.CITY, "440100", "gd_hr", "gd_hr", None),
    ("gd_edu", "广东省教育厅", OrgKind.INDUSTRY, RegionLevel.PROVINCE, "440000", None, "gd_hr", "gxjs"),
    ("gz_edu", "广州市教育局", OrgKind.INDUSTRY, RegionLevel.CITY, "440100", "gd_edu", "gz_hr", "gxjs"),
    ("unit_a", "广州示范大学", OrgKind.UNIT, RegionLevel.CITY, "440106", None, "gz_hr", None),
    ("unit_b", "深圳示范科技有限公司", OrgKind.UNIT, RegionLevel.COUNTY, "440305", None, "gd_hr", None),
    ("unit_c", "广州示范医院", OrgKind.UNIT, RegionLevel.CITY, "440104", None, "gz_hr", None),
    ("inst_a", "广东示范继续教育学院", OrgKind.INSTITUTION, RegionLevel.PROVINCE, "440000", None, "gd_hr", None),
]

# login, real name, system role, region of birth, birth date, sequence (odd = 男)
ACCOUNTS = [
    ("admin", "系统管理员", SystemRole.ADMIN, "440106", date(1980, 3, 1), "011"),
    ("helpdesk", "客服小周", SystemRole.HELPDESK, "440106", date(1990, 6, 12), "022"),
    ("gd_hr", "黄志强", None, "440104", date(1975, 1, 20), "031"),
    ("gz_hr", "李美玲", None, "440103", date(1982, 9, 5), "042"),
    ("gd_edu", "张国华", None, "440106", date(1978, 11, 30), "051"),
    ("gz_edu", "何晓敏", None, "440104", date(1986, 4, 18), "062"),
    ("unit_a", "林建华", None, "440106", date(1984, 7, 7), "071"),
    ("unit_b", "吴海燕", None, "440305", date(1988, 2, 14), "082"),
    ("unit_c", "郑伟", None, "440104", date(1979, 12, 1), "091"),
    ("inst_a", "罗丽", None, "440103", date(1983, 5, 25), "102"),
    ("p_chen", "陈诗慧", None, "440106", date(1990, 8, 16), "122"),
    ("p_liu", "刘文斌", None, "440305", date(1987, 3, 9), "131"),
    ("p_new", "王新", None, "440104", date(1995, 10, 3), "141"),
    # applicants of the organisations waiting for review below
    ("unit_d", "马晓军", None, "440103", date(1985, 6, 21), "151"),
    ("inst_b", "钟丽萍", None, "440104", date(1987, 1, 9), "162"),
    ("sz_edu", "黄海涛", None, "440305", date(1980, 10, 30), "171"),
]

# Applications waiting for review, so HR and industry reviewers find work:
# key, name, kind, level, region, parent key, reviewer key, series code
PENDING_ORGS = [
    ("unit_d", "广州示范科技学校", OrgKind.UNIT, RegionLevel.COUNTY, "440103", None, "gz_hr", None),
    ("inst_b", "广州示范职业培训中心", OrgKind.INSTITUTION, RegionLevel.CITY, "440104", None, "gz_hr", None),
    ("sz_edu", "深圳市教育局", OrgKind.INDUSTRY, RegionLevel.CITY, "440300", "gd_edu", "gd_edu", "gxjs"),
]
DEMO_PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"

# person login (or None), name, unit key, binding, title, level, series, birth, seq
PEOPLE = [
    ("p_chen", "陈诗慧", "unit_a", BindingStatus.CONFIRMED, "讲师", TitleLevel.MIDDLE, "gxjs"),
    ("p_liu", "刘文斌", "unit_b", BindingStatus.CONFIRMED, "工程师", TitleLevel.MIDDLE, "gcjs"),
    ("p_new", "王新", "unit_a", BindingStatus.PENDING, "助教", TitleLevel.JUNIOR, "gxjs"),
]
# (name, sex): the ID number's sequence is odd for 男, even for 女, as GB 11643 has it
EXTRA_PEOPLE = [
    ("unit_a", "gxjs", [("赵明远", "男"), ("钱雅琴", "女"), ("孙立新", "男"), ("周慧芳", "女"), ("吴志刚", "男"),
                        ("郑晓燕", "女")]),
    ("unit_b", "gcjs", [("冯国栋", "男"), ("陈晓东", "男"), ("褚文静", "女"), ("卫建平", "男")]),
    ("unit_c", "wsjs", [("蒋丽华", "女"), ("沈国强", "男"), ("韩雪梅", "女"), ("杨振宇", "男")]),
]
TITLES = {
    "gxjs": [("助教", TitleLevel.JUNIOR), ("讲师", TitleLevel.MIDDLE), ("副教授", TitleLevel.VICE_SENIOR),
             ("教授", TitleLevel.SENIOR)],
    "gcjs": [("助理工程师", TitleLevel.JUNIOR), ("工程师", TitleLevel.MIDDLE),
             ("高级工程师", TitleLevel.VICE_SENIOR), ("正高级工程师", TitleLevel.SENIOR)],
    "wsjs": [("医师", TitleLevel.JUNIOR), ("主治医师", TitleLevel.MIDDLE), ("副主任医师", TitleLevel.VICE_SENIOR),
             ("主任医师", TitleLevel.SENIOR)],
}


def _get_or_create(model, key: dict, **values):
    row = db.session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key, **values)
        db.session.add(row)
        db.session.flush()
    return row


def _org_code(index: int) -> str:
    # 9 = 工商, 1 = 企业; 440000 region; a stable body per demo organisation.
    return make_uscc(f"91440000MA{index:07d}")


def seed_demo() -> dict[str, int]:
    for code, name, level, parent in REGIONS:
        _get_or_create(Region, {"code": code}, name=name, level=level, parent_code=parent)
    series = {
        code: _get_or_create(ProfessionalSeries, {"code": code}, name=name, sort=i)
        for i, (code, name) in enumerate(SERIES)
    }
    for category, names in DICTIONARIES.items():
        for i, name in enumerate(names, start=1):
            _get_or_create(DictionaryItem, {"category": category, "code": f"{i:02d}"}, name=name, sort=i)
    for i, (code, name) in enumerate(ID_TYPES, start=1):
        _get_or_create(DictionaryItem, {"category": DictionaryCategory.ID_TYPE, "code": code}, name=name, sort=i)

    orgs: dict[str, Organisation] = {}
    for i, (key, name, kind, level, region, parent, hr, series_code) in enumerate(ORGS, start=1):
        orgs[key] = _get_or_create(
            Organisation,
            {"kind": kind, "code": _org_code(i)},
            name=name,
            code_type=CodeType.USCC,
            level=level,
            region_code=region,
            parent_id=orgs[parent].id if parent else None,
            hr_org_id=orgs[hr].id if hr else None,
            series_id=series[series_code].id if series_code else None,
            nature_code="01" if kind in (OrgKind.HR, OrgKind.INDUSTRY) else "02",
            contact_name="办公室",
            office_phone="020-83330000",
            mobile=f"1390000{i:04d}",
            email=f"{key}@example.cn",
            postcode="510000",
            address=f"{name}办公楼",
            profile=f"{name}，负责本单位专业技术人员继续教育工作。",
            status=ApplicationStatus.APPROVED,
        )

    users: dict[str, User] = {}
    for login, real_name, system_role, region, birth, seq in ACCOUNTS:
        user = db.session.scalar(select(User).filter_by(login=login))
        if user is None:
            user = User(
                login=login,
                real_name=real_name,
                system_role=system_role,
                id_type="resident_id",
                id_number=make_citizen_id(region, birth, seq),
                mobile=f"1380000{len(users):04d}",
                email=f"{login}@example.cn",
                real_name_verified=True,
            )
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            db.session.flush()
        users[login] = user

    for i, (key, name, kind, level, region, parent, reviewer, series_code) in enumerate(PENDING_ORGS, start=len(ORGS) + 1):
        org = db.session.scalar(select(Organisation).filter_by(kind=kind, code=_org_code(i)))
        if org is None:
            org = _pending_application(
                users[key], orgs[reviewer], _org_code(i),
                name=name, kind=kind, level=level, region_code=region,
                parent_id=orgs[parent].id if parent else None,
                hr_org_id=orgs["gz_hr" if region.startswith("4401") else "gd_hr"].id,
                series_id=series[series_code].id if series_code else None,
            )
        orgs[key] = org

    for key in orgs:
        if key in users:
            _get_or_create(
                Membership, {"user_id": users[key].id, "org_id": orgs[key].id},
                status=MembershipStatus.ACTIVE, is_super_admin=True,
            )
    # unit_a also works for 广州示范医院, as an ordinary member with a personnel role: it must choose.
    staff_role = _get_or_create(
        OrgRole, {"org_id": orgs["unit_c"].id, "name": "人事专员"},
        modules=["person_maintain", "org_departments"],
    )
    second = _get_or_create(
        Membership, {"user_id": users["unit_a"].id, "org_id": orgs["unit_c"].id},
        status=MembershipStatus.ACTIVE, is_super_admin=False,
    )
    if staff_role not in second.roles:
        second.roles.append(staff_role)
    # 广州示范医院 has asked unit_d to become one of its operators: he answers on 我经办的单位账号.
    _get_or_create(
        Membership, {"user_id": users["unit_d"].id, "org_id": orgs["unit_c"].id},
        status=MembershipStatus.PENDING, is_super_admin=False,
    )
    _seed_departments(orgs["unit_c"])

    people = 0
    for login, name, unit_key, binding, title, level, series_code in PEOPLE:
        user = users[login]
        _get_or_create(
            Person, {"id_number": user.id_number},
            user_id=user.id, name=name, sex=sex_from_id(user.id_number), birth_date=birth_date_from_id(user.id_number),
            unit_id=orgs[unit_key].id, binding_status=binding, title=title, title_level=level,
            series_id=series[series_code].id, phone=user.mobile, email=user.email,
            confirmed_at=utcnow() if binding == BindingStatus.CONFIRMED else None,
            **_profile(people, birth_date_from_id(user.id_number)),
        )
        people += 1
    for u, (unit_key, series_code, names) in enumerate(EXTRA_PEOPLE):
        region = orgs[unit_key].region_code
        departments = db.session.scalars(
            select(Department).where(Department.org_id == orgs[unit_key].id, Department.depth == 0)
            .order_by(Department.id)
        ).all()
        for n, (name, sex) in enumerate(names):
            birth = date(1970 + 3 * n + u, 1 + (n * 5) % 12, 1 + (n * 7) % 28)
            id_number = make_citizen_id(region, birth, f"{200 + 20 * u + 2 * n + (sex == '男'):03d}")
            title, level = TITLES[series_code][n % 4]
            _get_or_create(
                Person, {"id_number": id_number},
                name=name, sex=sex_from_id(id_number), birth_date=birth, unit_id=orgs[unit_key].id,
                binding_status=BindingStatus.CONFIRMED, title=title, title_level=level,
                series_id=series[series_code].id, confirmed_at=utcnow(),
                department_id=departments[n % len(departments)].id if departments else None,
                phone=f"139{region[:4]}{people:04d}", **_profile(people, birth),
            )
            people += 1
    _seed_people_work(orgs, users)
    _seed_approvals(orgs, users)
    seed_training(orgs, users)
    seed_records(orgs, users)
    seed_hours(orgs)
    seed_certificates(orgs, users)
    seed_checks(orgs, users)
    seed_annual_reports(orgs, users)
    seed_legacy(orgs)
    henan = seed_henan(series, DEMO_PASSWORD, _pending_application)
    return {"单位": len(orgs) + len(henan), "账号": len(users), "专业技术人员": people}


# 师资: (owner, name, sex, birth, seq, 专业技术资格, 可教授课程, enabled)
TEACHERS = [
    ("inst_a", "黄立群", date(1972, 4, 2), "311", "教授", "《工匠精神与广东制造》《专业技术人员创新能力》", True),
    ("inst_a", "林晓红", date(1980, 9, 15), "322", "副教授", "《数字经济概论》", True),
    ("inst_a", "陈建华", date(1968, 1, 20), "331", "高级讲师", "《职业道德与法律法规》", False),
    ("unit_a", "何振邦", date(1975, 6, 6), "341", "教授", "《高校教师教学能力提升》", True),
    ("gd_edu", "梁思敏", date(1978, 11, 11), "352", "研究员", "《教育政策解读》", True),
]


def _seed_people_work(orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    """What waits in the people screens: teachers, a 失信 entry each way, a transfer, a change request."""
    for owner, name, birth, seq, title, courses, enabled in TEACHERS:
        id_number = make_citizen_id("440106", birth, seq)
        _get_or_create(
            Teacher, {"org_id": orgs[owner].id, "id_number": id_number},
            name=name, sex=sex_from_id(id_number), title=title, phone=f"1380000{seq}0",
            email=f"teacher{seq}@example.cn", courses=courses, intro=f"{name}，长期从事继续教育教学工作。",
            active=enabled,
        )
    university, shenzhen, hospital = orgs["unit_a"], orgs["unit_b"], orgs["unit_c"]
    sun = db.session.scalar(select(Person).where(Person.name == "孙立新"))
    _get_or_create(
        Dishonesty, {"subject_type": SubjectType.PERSON, "person_id": sun.id},
        content="继续教育学时证明材料造假", recorded_by_org_id=university.id,
        recorded_by_user_id=users["unit_a"].id,
    )
    _get_or_create(
        Dishonesty, {"subject_type": SubjectType.ORG, "subject_org_id": hospital.id},
        content="虚报本单位人员继续教育学时", recorded_by_org_id=orgs["gz_hr"].id,
        recorded_by_user_id=users["gz_hr"].id,
    )
    # 广州示范大学 transfers 赵明远 to 深圳示范科技有限公司, which has to confirm (人员调入).
    zhao = db.session.scalar(select(Person).where(Person.name == "赵明远"))
    transfer = _get_or_create(
        Transfer, {"person_id": zhao.id, "status": TransferStatus.PENDING},
        from_unit_id=university.id, to_unit_id=shenzhen.id, reason="工作调动", requested_by_id=users["unit_a"].id,
    )
    _history("transfer", transfer.id, [("人员调出", university, users["unit_a"], ReviewResult.SUBMIT, "工作调动")])
    # 钱雅琴 asked 广州示范大学 to record her promotion (审核人员信息修改).
    qian = db.session.scalar(select(Person).where(Person.name == "钱雅琴"))
    change = db.session.scalar(select(PersonChange).where(PersonChange.person_id == qian.id))
    if change is None:
        change = PersonChange(
            person_id=qian.id, reviewer_org_id=university.id, status=ApplicationStatus.PENDING,
            submitted_at=utcnow(), before={"title": qian.title, "title_level": qian.title_level},
            after={"title": "副教授", "title_level": TitleLevel.VICE_SENIOR},
        )
        db.session.add(change)
        db.session.flush()
    # She has no account of her own: her unit's records show the request without an operator.
    _history("person_change", change.id, [("送审", None, None, ReviewResult.SUBMIT, None)])
    db.session.flush()


def _history(object_type: str, object_id: int, steps) -> None:
    """The 审批流程 / 办理过程 rows of a seeded object, as the workflows write them for real ones
    (once: an object that has any keeps them)."""
    exists = db.session.scalar(
        select(ReviewLog.id).where(ReviewLog.object_type == object_type, ReviewLog.object_id == object_id)
    )
    if exists is not None:
        return
    for step, org, user, result, opinion in steps:
        db.session.add(
            ReviewLog(
                object_type=object_type, object_id=object_id, step=step, result=result, opinion=opinion,
                reviewer_org_id=org.id if org else None, reviewer_user_id=user.id if user else None,
            )
        )


def _seed_approvals(orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    """The approved demo organisations went through 角色申请 like any other: 送审, then 同意 by the
    organisation DESIGN §3 routes them to (a city industry department: its parent; else its HR)."""
    for key, _, kind, level, _, parent, hr, _ in ORGS:
        if kind == OrgKind.HR:
            continue  # set up by the 系统管理员, never applied
        reviewer = parent if kind == OrgKind.INDUSTRY and level != RegionLevel.PROVINCE else hr
        org = orgs[key]
        if org.reviewer_org_id is None:
            org.reviewer_org_id, org.submitted_at = orgs[reviewer].id, org.created_at
        _history("organisation", org.id, [
            ("送审", org, users[key], ReviewResult.SUBMIT, None),
            ("单位信息审核", orgs[reviewer], users[reviewer], ReviewResult.APPROVE, "材料齐全，同意"),
        ])
    db.session.flush()


PLACES = ["广东广州", "广东深圳", "湖南长沙", "广东佛山", "江西赣州"]
SCHOOLS = ["中山大学", "华南理工大学", "暨南大学", "南方医科大学", "华南师范大学"]
MAJORS = ["计算机科学与技术", "临床医学", "机械工程", "汉语言文学", "护理学"]


def _profile(n: int, birth: date) -> dict:
    """The rest of 000 §1.5.2, varied a little from person to person."""
    graduated = date(birth.year + 23, 7, 1)
    return dict(
        ethnicity_code="01" if n % 5 else "02",
        native_place=PLACES[n % 5],
        education_code=("01", "02", "03")[n % 3],
        degree_code=("01", "02", "03")[n % 3],
        major=MAJORS[n % 5],
        school=SCHOOLS[n % 5],
        graduated_on=graduated,
        work_started_on=date(graduated.year, 8, 1),
        title_obtained_on=date(graduated.year + 5, 12, 1),
        specialty=MAJORS[n % 5],
        postcode="510000",
        address="广东省广州市天河区示范路88号",
    )


# 内设部门 of 广州示范医院: (name, parent name)
DEPARTMENTS = [("医务科", None), ("护理部", None), ("内科", None), ("心血管内科", "内科"), ("消化内科", "内科")]


def _seed_departments(org: Organisation) -> None:
    made: dict[str, Department] = {}
    for sort, (name, parent_name) in enumerate(DEPARTMENTS, start=1):
        parent = made.get(parent_name)
        made[name] = _get_or_create(
            Department, {"org_id": org.id, "parent_id": parent.id if parent else None, "name": name},
            sort=sort, depth=parent.depth + 1 if parent else 0, active=True,
        )


def _pending_application(applicant: User, reviewer: Organisation, code: str, **fields) -> Organisation:
    """An organisation that registered, attached its licence and was 送审 to `reviewer`."""
    org = Organisation(
        code=code, code_type=CodeType.USCC, nature_code="02", legal_rep=applicant.real_name,
        contact_name=applicant.real_name, office_phone="020-83330001", mobile=applicant.mobile,
        email=applicant.email, postcode="510000", address=f"{fields['name']}办公楼",
        profile=f"{fields['name']}，申请开通继续教育管理权限。",
        status=ApplicationStatus.PENDING, reviewer_org_id=reviewer.id, submitted_at=utcnow(), **fields,
    )
    db.session.add(org)
    db.session.flush()
    stored_name = f"demo-{secrets.token_hex(16)}.pdf"
    folder = Path(current_app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored_name).write_bytes(DEMO_PDF)
    db.session.add(
        Attachment(
            owner_type="organisation", owner_id=org.id, original_name="统一社会信用代码证.pdf",
            stored_name=stored_name, content_type="application/pdf", size=len(DEMO_PDF),
            uploaded_by_id=applicant.id, uploaded_by_org_id=org.id,
        )
    )
    db.session.add(
        ReviewLog(
            object_type="organisation", object_id=org.id, step="送审", reviewer_org_id=org.id,
            reviewer_user_id=applicant.id, result=ReviewResult.SUBMIT,
        )
    )
    db.session.flush()
    return org

