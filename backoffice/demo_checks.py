"""Demo 学时学分审验 (issue 11 item 12), called by `demo.seed_demo` after the certificates: 广州市人社局 has
checked two of 陈诗慧's approved records through the workflow — 校内新进教师岗前培训 passed, and
学术会议：高等教育质量论坛 failed (back to her as 已退回, hours cleared). Idempotent: a record already
checked (or failed) is left alone."""
from sqlalchemy import select

from .extensions import db
from .labels import ApplicationStatus
from .models import Organisation, Person, Record, User
from .policy import available_contexts, build_actor
from .workflows.record_checks import check

FAIL_REASON = "抽查发现会议日程与参会证明不符，请补充参会证明后重新申报"
#: (person, course, passed, opinion)
CHECKS = [
    ("陈诗慧", "校内新进教师岗前培训", True, ""),
    ("陈诗慧", "学术会议：高等教育质量论坛", False, FAIL_REASON),
]


def seed_checks(orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    user = users["gz_hr"]
    actor = build_actor(user, next(c.key for c in available_contexts(user) if c.label.startswith("广州市人力资源")))
    for name, course, passed, opinion in CHECKS:
        record = db.session.scalar(
            select(Record).join(Person, Person.id == Record.person_id)
            .where(Person.name == name, Record.course_name == course, Record.status == ApplicationStatus.APPROVED,
                   Record.checked_hours.is_(None))
        )
        if record is not None:
            check(record, passed, opinion, None, actor)
    db.session.flush()
