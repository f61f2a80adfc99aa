"""Demo data of the training chain (issue 10), called by `demo.seed_demo`:

- 广东省教育厅 (gd_edu) has published this year's 专业课目录 for 高等学校教师;
- 广东示范继续教育学院 (inst_a, province level) holds the 专业培训资格 for it (approved at 送审);
- 专业课计划 of 广州示范大学 (unit_a) and inst_a in every state: 草稿; 待审核 at 广州市教育局 (gz_edu) and
  at gd_edu; 已退回 with an opinion; 已通过 — with classes 未开班, 接受报名, 开班 and 结业;
- the two 开班 classes have 报名成功 enrolees (unit_a's class: its own people, 陈诗慧 among them; inst_a's
  third class: people of 深圳示范科技 and 广州示范医院), two 考勤 sessions each on the class's days with
  marks (one 扫码签到 among them); unit_a's class has 成绩 / 考核结果 for some enrolees — not all, so 结业
  still waits — and inst_a's none yet (so it can still be 取消);
- inst_a's 接受报名 class has 刘文斌 (p_liu) 报名成功, 陈诗慧 (p_chen) and 吴志刚 waiting for confirmation and
  褚文静 refused;
- one class of inst_a already 结业 through the workflow, so its 合格 enrolees' 继续教育记录 wait for
  广州示范大学's 认定.

Idempotent like the rest of the demo: rows are found by their natural keys and created only when missing.
"""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from .clock import beijing_today
from .extensions import db
from .labels import (
    ApplicationStatus,
    AttendanceMark,
    CatalogueStatus,
    ClassStatus,
    CourseType,
    EnrolmentSource,
    EnrolmentStatus,
    ExamResult,
    ReviewResult,
)
from .models import (
    Attendance,
    AttendanceSession,
    Catalogue,
    ClassSubject,
    Course,
    Enrolment,
    Organisation,
    Person,
    Plan,
    Qualification,
    ReviewLog,
    Teacher,
    TrainingClass,
    User,
)
from .models.base import utcnow
from .policy import available_contexts, build_actor
from .workflows.classes import move_class

COURSES = [
    ("高校教师教学能力提升", "教学设计与课堂组织；以学生为中心的教学方法；教学评价与反馈；优秀课例研讨。"),
    ("高等教育数字化转型与智慧教学", "数字化教学资源建设；混合式教学设计；智慧教室与教学平台应用；教育数据的分析与使用。"),
    ("课程思政建设与实践", "课程思政的内涵与要求；专业课程思政元素挖掘；课程思政教学设计与案例。"),
]
AUTO_APPROVED = "省级施教机构，专业培训资格默认通过"


def _log(object_type: str, object_id: int, step: str, org: Organisation | None, user: User | None,
         result: str, opinion: str | None = None) -> None:
    db.session.add(ReviewLog(
        object_type=object_type, object_id=object_id, step=step, reviewer_org_id=org.id if org else None,
        reviewer_user_id=user.id if user else None, result=result, opinion=opinion,
    ))


def seed_training(orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    year = beijing_today().year
    gd_edu, unit_a, inst_a = orgs["gd_edu"], orgs["unit_a"], orgs["inst_a"]
    catalogue = db.session.scalar(select(Catalogue).filter_by(org_id=gd_edu.id, series_id=gd_edu.series_id, year=year))
    if catalogue is None:
        catalogue = Catalogue(
            org_id=gd_edu.id, series_id=gd_edu.series_id, year=year, declared_on=date(year, 1, 10),
            operator_id=users["gd_edu"].id, status=CatalogueStatus.PUBLISHED, published_at=utcnow(),
        )
        catalogue.courses = [Course(name=name, content=content, withdrawn=False) for name, content in COURSES]
        db.session.add(catalogue)
        db.session.flush()
    courses = {c.name: c for c in catalogue.courses}

    if db.session.scalar(select(Qualification.id).filter_by(institution_id=inst_a.id, series_id=gd_edu.series_id)) is None:
        qualification = Qualification(
            institution_id=inst_a.id, series_id=gd_edu.series_id, note="本院长期承担高校教师继续教育培训。",
            status=ApplicationStatus.APPROVED, submitted_at=utcnow(),
        )
        db.session.add(qualification)
        db.session.flush()
        _log("qualification", qualification.id, "送审", inst_a, users["inst_a"], ReviewResult.SUBMIT)
        _log("qualification", qualification.id, "施教机构专业培训资格审核", None, None, ReviewResult.APPROVE, AUTO_APPROVED)

    teachers = {
        t.name: t for t in db.session.scalars(select(Teacher).where(Teacher.org_id.in_([unit_a.id, inst_a.id])))
    }
    start = date(year, 3, 1)

    def plan(owner_key, name, course, status, reviewer_key=None, opinion=None, classes=()):
        owner = orgs[owner_key]
        if db.session.scalar(select(Plan.id).filter_by(owner_org_id=owner.id, name=name)) is not None:
            return
        row = Plan(
            owner_org_id=owner.id, course_id=courses[course].id, series_id=catalogue.series_id,
            course_type=CourseType.PROFESSIONAL, year=year, name=name, days=Decimal("2"), hours=Decimal("12"),
            sessions=max(1, len(classes)), start_on=start, end_on=date(year, 12, 20),
            content=f"{course}：{courses[course].content}", audience="全省高等学校专任教师",
            status=status, created_by_id=users[owner_key].id,
            reviewer_org_id=orgs[reviewer_key].id if reviewer_key else None,
            submitted_at=utcnow() if status != ApplicationStatus.DRAFT else None,
        )
        for n, (class_status, teacher_names) in enumerate(classes, start=1):
            opens = start + timedelta(days=30 * n)
            row.classes.append(TrainingClass(
                name=f"{name}第{n}期", planned_open_on=opens, study_form_code="01", study_start_on=opens,
                study_end_on=opens + timedelta(days=1), capacity=30 + 10 * n, head_teacher_id=teachers[teacher_names[0]].id,
                exam_type_code="02", location=f"{owner.name}教学楼{n}01室", schedule="第一天 9:00-17:00 讲授；第二天 9:00-17:00 研讨与考核",
                status=class_status, enrolled_count=0,
                teachers=[teachers[t] for t in teacher_names],
                subjects=[ClassSubject(name=s, sort=i) for i, s in enumerate(("专题讲授", "案例研讨"), start=1)],
            ))
        db.session.add(row)
        db.session.flush()
        if status == ApplicationStatus.DRAFT:
            return
        _log("plan", row.id, "送审", owner, users[owner_key], ReviewResult.SUBMIT)
        outcome = {ApplicationStatus.APPROVED: ReviewResult.APPROVE, ApplicationStatus.RETURNED: ReviewResult.RETURN}
        if status in outcome:
            _log("plan", row.id, "专业课计划审核", orgs[reviewer_key], users[reviewer_key], outcome[status], opinion)

    unit_teacher, inst_teachers = ["何振邦"], ["黄立群", "林晓红"]
    plan("unit_a", f"{year}年青年教师教学能力提升培训", "高校教师教学能力提升", ApplicationStatus.DRAFT,
         classes=[(ClassStatus.NOT_STARTED, unit_teacher)])
    plan("unit_a", f"{year}年课程思政专题培训", "课程思政建设与实践", ApplicationStatus.PENDING, "gz_edu",
         classes=[(ClassStatus.NOT_STARTED, unit_teacher)])
    plan("unit_a", f"{year}年混合式教学设计培训", "高等教育数字化转型与智慧教学", ApplicationStatus.RETURNED, "gz_edu",
         opinion="培训对象不够具体，请写明参训教师的范围后重新送审", classes=[(ClassStatus.NOT_STARTED, unit_teacher)])
    plan("unit_a", f"{year}年课程思政校内培训", "课程思政建设与实践", ApplicationStatus.APPROVED, "gz_edu",
         opinion="同意", classes=[(ClassStatus.OPEN, unit_teacher)])
    plan("inst_a", f"{year}年高等教育数字化转型研修", "高等教育数字化转型与智慧教学", ApplicationStatus.PENDING, "gd_edu",
         classes=[(ClassStatus.NOT_STARTED, inst_teachers)])
    plan("inst_a", f"{year}年高校教师教学能力提升研修班", "高校教师教学能力提升", ApplicationStatus.APPROVED, "gd_edu",
         opinion="同意", classes=[
             (ClassStatus.NOT_STARTED, inst_teachers), (ClassStatus.ENROLLING, inst_teachers),
             (ClassStatus.OPEN, inst_teachers[1:]),
         ])
    db.session.flush()
    plan("inst_a", f"{year}年高校师德师风专题培训", "课程思政建设与实践", ApplicationStatus.APPROVED, "gd_edu",
         opinion="同意", classes=[(ClassStatus.OPEN, inst_teachers)])
    db.session.flush()
    _finish_class(f"{year}年高校师德师风专题培训第1期", inst_a, users["inst_a"])
    _seed_class_work(orgs, users, year)
    seed_enrolments(orgs)  # after the class work: it leaves a class's existing enrolees alone


# who took the finished class, and how they did (成绩, 考核结果)
FINISHED_CLASS = [("陈诗慧", "88.5", ExamResult.PASS), ("钱雅琴", "92", ExamResult.PASS), ("孙立新", "55", ExamResult.FAIL)]


def _finish_class(name: str, owner: Organisation, user: User) -> None:
    """Enrol, grade and 结业 a class the way its institution would: the records come from the workflow."""
    klass = db.session.scalar(select(TrainingClass).where(TrainingClass.name == name))
    if klass.status == ClassStatus.FINISHED:
        return
    for person_name, score, result in FINISHED_CLASS:
        person = db.session.scalar(select(Person).where(Person.name == person_name))
        db.session.add(Enrolment(
            class_id=klass.id, person_id=person.id, source=EnrolmentSource.SELF, status=EnrolmentStatus.ENROLLED,
            score=Decimal(score), result=result, decided_at=utcnow(), entered_by_org_id=owner.id,
        ))
    klass.enrolled_count = len(FINISHED_CLASS)
    db.session.flush()
    actor = build_actor(user, available_contexts(user)[0].key)
    move_class(klass, "finish", "考核完成，准予结业", actor)


def seed_enrolments(orgs: dict[str, Organisation]) -> None:
    """Enrolees of the approved plans' classes, with `enrolled_count` equal to their 报名成功 rows."""
    year = beijing_today().year
    unit_a, inst_a = orgs["unit_a"], orgs["inst_a"]
    internal = f"{year}年课程思政校内培训第1期"
    enrolling = f"{year}年高校教师教学能力提升研修班第2期"
    now = utcnow()
    rows = [
        (internal, "赵明远", EnrolmentSource.UNIT, EnrolmentStatus.ENROLLED, unit_a, (Decimal("86"), ExamResult.PASS)),
        (internal, "钱雅琴", EnrolmentSource.UNIT, EnrolmentStatus.ENROLLED, unit_a, None),
        (internal, "孙立新", EnrolmentSource.UNIT, EnrolmentStatus.ENROLLED, unit_a, None),
        (enrolling, "刘文斌", EnrolmentSource.SELF, EnrolmentStatus.ENROLLED, None, None),
        (enrolling, "陈诗慧", EnrolmentSource.SELF, EnrolmentStatus.APPLIED, None, None),
        (enrolling, "吴志刚", EnrolmentSource.SELF, EnrolmentStatus.APPLIED, None, None),
        (enrolling, "褚文静", EnrolmentSource.SELF, EnrolmentStatus.REFUSED, None, None),
    ]
    owners = {internal: unit_a.id, enrolling: inst_a.id}
    for class_name, person_name, source, status, entered_by, outcome in rows:
        training_class = db.session.scalar(
            select(TrainingClass).join(Plan).where(TrainingClass.name == class_name, Plan.owner_org_id == owners[class_name])
        )
        person = db.session.scalar(select(Person).where(Person.name == person_name))
        if training_class is None or person is None:
            continue
        if db.session.scalar(select(Enrolment.id).filter_by(class_id=training_class.id, person_id=person.id)):
            continue
        score, result = outcome or (None, None)
        db.session.add(Enrolment(
            class_id=training_class.id, person_id=person.id, source=source, status=status, applied_at=now,
            decided_at=now if status != EnrolmentStatus.APPLIED else None,
            entered_by_org_id=entered_by.id if entered_by else None, score=score, result=result,
        ))
        if status == EnrolmentStatus.ENROLLED:
            training_class.enrolled_count += 1


P, A, L, V = AttendanceMark.PRESENT, AttendanceMark.ABSENT, AttendanceMark.LATE, AttendanceMark.LEAVE
# class → its enrolees: (name, marks of the two sessions, 成绩, 考核结果)
CLASS_WORK = {
    "课程思政校内培训第1期": ("unit_a", [
        ("陈诗慧", (P, P), "88.5", ExamResult.PASS), ("赵明远", (P, L), "76", ExamResult.PASS),
        ("钱雅琴", (V, P), None, None), ("孙立新", (A, P), None, None), ("周慧芳", (P, P), None, None),
    ]),
    "高校教师教学能力提升研修班第3期": ("inst_a", [
        ("冯国栋", (P, P), None, None), ("陈晓东", (P, A), None, None),
        ("蒋丽华", (L, P), None, None), ("沈国强", (P, V), None, None),
    ]),
}


def _seed_class_work(orgs: dict[str, Organisation], users: dict[str, User], year: int) -> None:
    """Enrolees, attendance and some results for the 开班 classes (issue 10 items 6–7)."""
    for suffix, (owner_key, enrolees) in CLASS_WORK.items():
        training_class = db.session.scalar(select(TrainingClass).where(TrainingClass.name == f"{year}年{suffix}"))
        if training_class is None or db.session.scalar(select(Enrolment.id).filter_by(class_id=training_class.id)):
            continue
        days = [training_class.study_start_on, training_class.study_end_on]
        sessions = [
            AttendanceSession(class_id=training_class.id, on_date=day, starts_at=time(9, 0), ends_at=time(12, 0))
            for day in days
        ]
        db.session.add_all(sessions)
        marker = users[owner_key]
        for name, marks, score, result in enrolees:
            person = db.session.scalar(select(Person).where(Person.name == name))
            enrolment = Enrolment(
                class_id=training_class.id, person_id=person.id,
                source=EnrolmentSource.UNIT if owner_key.startswith("unit") else EnrolmentSource.SELF,
                status=EnrolmentStatus.ENROLLED, decided_at=utcnow(),
                entered_by_org_id=orgs[owner_key].id if owner_key.startswith("unit") else None,
                score=Decimal(score) if score else None, result=result,
            )
            db.session.add(enrolment)
            db.session.flush()
            for n, (session, mark) in enumerate(zip(sessions, marks)):
                scanned = name == "陈诗慧" and n == 0  # the demo's one 扫码签到
                db.session.add(Attendance(
                    session_id=session.id, enrolment_id=enrolment.id, mark=mark, by_scan=scanned,
                    checked_in_at=datetime.combine(session.on_date, time(0, 52)) if scanned else None,  # 08:52 Beijing
                    marked_by_id=users["p_chen"].id if scanned else marker.id,
                ))
        training_class.enrolled_count = len(enrolees)


# ---- 继续教育记录 (issue 11 items 1–2) ------------------------------------------------------------

#: (declarer key or None for the person, person login/name, course, 学习形式 code, status, opinion)
DEMO_RECORDS = [
    (None, "陈诗慧", "教育心理学专题讲座", "01", ApplicationStatus.DRAFT, None),
    (None, "陈诗慧", "高校教学方法网络课程", "02", ApplicationStatus.PENDING, None),
    (None, "陈诗慧", "学术会议：高等教育质量论坛", "03", ApplicationStatus.APPROVED, "同意"),
    (None, "陈诗慧", "科研诚信与学术规范", "01", ApplicationStatus.RETURNED, "请上传结业证明后重新送审"),
    ("unit_a", "陈诗慧", "校内新进教师岗前培训", "01", ApplicationStatus.APPROVED, "单位确认"),
    ("unit_a", "陈诗慧", "实验室安全管理培训", "01", ApplicationStatus.DRAFT, None),
    ("inst_a", "陈诗慧", "高校教师教学能力提升（学员成绩申报）", "01", ApplicationStatus.PENDING, None),
    (None, "刘文斌", "工匠精神与广东制造", "02", ApplicationStatus.PENDING, None),
    ("inst_a", "刘文斌", "工程伦理网络研修", "02", ApplicationStatus.RETURNED, "考核结果与成绩单不符，请核对"),
]


def seed_records(orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    """Records of 陈诗慧 and 刘文斌 in 草稿, 待审核, 已通过 and 已退回, declared by the person, by 广州示范大学
    and by 广东示范继续教育学院 (学员成绩申报, for people enrolled in its 接受报名 class)."""
    from .labels import BindingStatus, EnrolmentSource, EnrolmentStatus, ExamResult, RecordSource
    from .models import Enrolment, Person, Record
    from .workflows.declarations import CONFIRM_OPINION, RECORD
    from .workflows.record_routing import STEP_NAMES, UNIT

    inst_a = orgs["inst_a"]
    enrolling = db.session.scalar(
        select(TrainingClass).join(Plan, Plan.id == TrainingClass.plan_id)
        .where(Plan.owner_org_id == inst_a.id, TrainingClass.status == ClassStatus.ENROLLING)
    )
    # this year's work, ended by today: 90 days ago is last year from January to March, and last year is the
    # demo's verified year (seed_hours: 陈诗慧 has exactly 90 学时 there, and her printed certificate says so),
    # so nothing starts before 1 January
    today = beijing_today()
    start = max(today - timedelta(days=90), date(today.year, 1, 1))
    for n, (declarer_key, person_name, course, form, status, opinion) in enumerate(DEMO_RECORDS):
        person = db.session.scalar(
            select(Person).where(Person.name == person_name, Person.binding_status == BindingStatus.CONFIRMED)
        )
        if person is None:
            continue
        # two days ending by today, inside this year (on 1 January: one day, today)
        on = max(min(start + timedelta(days=3 * n), today - timedelta(days=1)), start)
        end = min(on + timedelta(days=1), today)
        if db.session.scalar(select(Record.id).filter_by(person_id=person.id, course_name=course, start_on=on)):
            continue
        declarer = orgs[declarer_key] if declarer_key else None
        source = RecordSource.PERSON if declarer is None else (
            RecordSource.UNIT if declarer_key.startswith("unit") else RecordSource.INSTITUTION)
        if source == RecordSource.INSTITUTION and enrolling is not None and db.session.scalar(
            select(Enrolment.id).filter_by(class_id=enrolling.id, person_id=person.id)
        ) is None:
            db.session.add(Enrolment(class_id=enrolling.id, person_id=person.id, source=EnrolmentSource.SELF,
                                     status=EnrolmentStatus.ENROLLED))
        unit = db.session.get(Organisation, person.unit_id)
        hours = Decimal("6.0") if form == "02" else Decimal("12.0")
        record = Record(
            person_id=person.id, course_type=CourseType.PROFESSIONAL if n % 3 else CourseType.PUBLIC,
            course_name=course, study_form_code=form, start_on=on, end_on=end, days=Decimal((end - on).days + 1),
            exam_result=ExamResult.PASS, declared_hours=hours, institution_name=inst_a.name if declarer_key == "inst_a" else None,
            year=on.year, location=None if form == "02" else "广州市天河区", content="专业知识更新", source=source,
            status=status, declared_by_org_id=declarer.id if declarer else None,
            reviewer_org_id=unit.id if status != ApplicationStatus.DRAFT else None,
            review_step=UNIT if status == ApplicationStatus.PENDING else None,
            submitted_at=utcnow() if status != ApplicationStatus.DRAFT else None,
            approved_hours=hours if status == ApplicationStatus.APPROVED else None,
        )
        if status == ApplicationStatus.APPROVED and source == RecordSource.UNIT:
            record.reviewer_org_id = None
        db.session.add(record)
        db.session.flush()
        if status == ApplicationStatus.DRAFT:
            continue
        submitter_org = declarer
        submitter_user = users.get(declarer_key) if declarer_key else db.session.get(User, person.user_id) if person.user_id else None
        _log(RECORD.object_type, record.id, "送审", submitter_org, submitter_user, ReviewResult.SUBMIT)
        if status == ApplicationStatus.PENDING:
            continue
        result = ReviewResult.APPROVE if status == ApplicationStatus.APPROVED else ReviewResult.RETURN
        if opinion == CONFIRM_OPINION:
            _log(RECORD.object_type, record.id, STEP_NAMES[UNIT], declarer, submitter_user, result, opinion)
        else:
            unit_key = next(key for key, org in orgs.items() if org.id == unit.id)
            _log(RECORD.object_type, record.id, STEP_NAMES[UNIT], unit, users.get(unit_key), result, opinion)
    db.session.flush()
