"""继续教育记录 born of a class (DESIGN §3, issue 10 item 8): 结业 turns each 合格 enrolee into a record.

| class owner            | the record                                                                  |
| ---------------------- | --------------------------------------------------------------------------- |
| 法人单位 (own class)   | 审核通过 at once: 认定学时 = the plan's 继续教育学时, its 审批流程 says why   |
| 施教机构, 主管部门     | 待审核, routed to the person's unit for 认定 (a person bound to no unit at   |
|                        | the time waits with no reviewer until the records issue routes them)        |

Every record: 科目类型 of the plan, 课程名称 of the plan's course, 学习形式 and dates of the class, 参训天数
and 拟申报学时 of the plan, 考核结果 合格, the organiser as 施教机构 and declarer, 申报年度 the year the
class ends, source 培训班结业 and the enrolment it came from.

Records are written by two INSERT … SELECT statements (records, then their 审批流程 rows), so a class of
any size costs the same two statements; `Record.enrolment_id` is unique, so no enrolment ever yields two
records, and the class's conditional UPDATE to 结业 already lets only one operator get this far.
"""
from sqlalchemy import case, insert, literal, select

from ..extensions import db
from ..labels import ApplicationStatus, BindingStatus, EnrolmentStatus, ExamResult, OrgKind, RecordSource, ReviewResult
from ..models import Course, Enrolment, Organisation, Person, Plan, Record, ReviewLog, TrainingClass
from ..models.base import utcnow
from ..policy import Actor
from .record_routing import UNIT

SUBMIT_STEP = "培训班结业"
RECOGNITION_STEP = "继续教育记录认定"  # the person's unit (issue 11 reviews through the review engine)
OWN_CLASS_OPINION = "本单位内部培训班结业，学时直接认定"
TEXT_MAX = 100  # Record.location / content


def _clip(text: str | None) -> str | None:
    return text[:TEXT_MAX] if text else None


def records_from_class(training_class: TrainingClass, actor: Actor) -> int:
    """Create the records of a class that has just moved to 结业; returns how many."""
    plan = db.session.get(Plan, training_class.plan_id)
    course = db.session.get(Course, plan.course_id)
    owner = db.session.get(Organisation, plan.owner_org_id)
    own_class = owner.kind == OrgKind.UNIT
    now = utcnow()
    status = ApplicationStatus.APPROVED if own_class else ApplicationStatus.PENDING
    # the unit that recognises the hours: the person's unit while they are confirmed there
    reviewer = None if own_class else case(
        (Person.binding_status == BindingStatus.CONFIRMED, Person.unit_id), else_=None
    )
    columns = {
        Record.person_id: Enrolment.person_id,
        Record.course_type: literal(plan.course_type),
        Record.course_name: literal(course.name),
        Record.study_form_code: literal(training_class.study_form_code),
        Record.start_on: literal(training_class.study_start_on),
        Record.end_on: literal(training_class.study_end_on),
        Record.days: literal(plan.days),
        Record.exam_result: literal(ExamResult.PASS),
        Record.declared_hours: literal(plan.hours),
        Record.approved_hours: literal(plan.hours if own_class else None),
        Record.institution_org_id: literal(owner.id),
        Record.year: literal(training_class.study_end_on.year),
        Record.location: literal(_clip(training_class.location)),
        Record.content: literal(_clip(plan.name)),
        Record.source: literal(RecordSource.CLASS),
        Record.status: literal(status),
        Record.reviewer_org_id: reviewer if reviewer is not None else literal(None),
        Record.review_step: literal(None if own_class else UNIT),
        Record.submitted_at: literal(now),
        Record.declared_by_org_id: literal(owner.id),
        Record.enrolment_id: Enrolment.id,
        Record.created_at: literal(now),
        Record.updated_at: literal(now),
    }
    passed = (
        select(*columns.values())
        .select_from(Enrolment)
        .join(Person, Person.id == Enrolment.person_id)
        .where(
            Enrolment.class_id == training_class.id,
            Enrolment.status == EnrolmentStatus.ENROLLED,
            Enrolment.result == ExamResult.PASS,
        )
    )
    # RETURNING, not rowcount: psycopg reports no rowcount for an INSERT … SELECT through the ORM
    created = len(db.session.scalars(
        insert(Record).from_select([column.key for column in columns], passed).returning(Record.id)
    ).all())

    # 审批流程: 送审 by the operator who pressed 结业; for an own class the recognition as well
    of_class = select(Record.id).where(
        Record.enrolment_id.in_(select(Enrolment.id).where(Enrolment.class_id == training_class.id))
    ).subquery()
    steps = [(SUBMIT_STEP, actor.org_id, actor.user_id, ReviewResult.SUBMIT, training_class.name)]
    if own_class:
        steps.append((RECOGNITION_STEP, actor.org_id, actor.user_id, ReviewResult.APPROVE, OWN_CLASS_OPINION))
    for step, org_id, user_id, result, opinion in steps:
        db.session.execute(
            insert(ReviewLog).from_select(
                ["object_type", "object_id", "step", "reviewer_org_id", "reviewer_user_id", "result", "opinion",
                 "created_at"],
                select(
                    literal(Record.__tablename__), of_class.c.id, literal(step), literal(org_id), literal(user_id),
                    literal(result), literal(opinion), literal(now),
                ),
            )
        )
    return created

