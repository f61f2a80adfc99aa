"""What a user types and clicks on the record screens (issue 11 items 1–2), and rows read back."""
import re
from datetime import date, timedelta

from sqlalchemy import select

from backoffice.clock import beijing_today
from backoffice.extensions import db
from backoffice.models import Organisation, Person, Record, ReviewLog

DECLARE = "/admin/record_declare"
SCORES = "/admin/record_score_declare"
REVIEW = "/admin/record_review"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# 40 days ago — but never in last year once its entry has closed (the demo's deadline: 31 January)
START = max(beijing_today() - timedelta(days=40),
            date(beijing_today().year, 1, 1) if beijing_today() > date(beijing_today().year, 1, 31) else date.min)
END = START + timedelta(days=1)


def record_form(**changes) -> dict:
    """A face-to-face course of two days, 12 学时, as the form posts it."""
    data = {
        "study_form_code": "01", "course_type": "professional", "course_name": "测试专题讲座",
        "start_on": START.isoformat(), "end_on": END.isoformat(), "days": "2", "exam_result": "pass",
        "declared_hours": "12", "institution_name": "广东示范继续教育学院", "year": str(START.year),
        "location": "广州市天河区", "content": "专业知识更新", "note": "",
    }
    data.update(changes)
    return data


def declare(client, view: str = DECLARE, **changes):
    """添加培训记录 then 保存 (保存暂不提交): the response of the create form."""
    return client.post(f"{view}/new/", record_form(**changes), token_page=f"{view}/")


def id_from(response) -> int:
    match = re.search(r"[?&]id=(\d+)", response.headers.get("Location", ""))
    assert match, (response.status_code, response.headers.get("Location"), response.get_data(as_text=True)[-2000:])
    return int(match.group(1))


def post(client, view: str, what: str, record_id: int, data=None, follow=False):
    return client.post(f"{view}/{what}/?id={record_id}", data or {}, token_page=f"{view}/",
                       follow_redirects=follow)


def decide(client, record_id: int, result: str, opinion: str = "", hours: str = "", follow=True):
    return client.post(
        f"{REVIEW}/review/?id={record_id}", {"result": result, "opinion": opinion, "approved_hours": hours},
        token_page=f"{REVIEW}/", follow_redirects=follow,
    )


def record(app, record_id: int) -> Record | None:
    with app.app_context():
        row = db.session.get(Record, record_id)
        if row is not None:
            db.session.expunge(row)
        return row


def steps(app, record_id: int) -> list[tuple[str, str, str | None]]:
    """The 审批流程: (step, result, reviewing organisation's name)."""
    with app.app_context():
        rows = db.session.scalars(
            select(ReviewLog).where(ReviewLog.object_type == "record", ReviewLog.object_id == record_id)
            .order_by(ReviewLog.id)
        )
        return [(r.step, r.result, r.reviewer_org.name if r.reviewer_org else None) for r in rows]


def person(app, name: str) -> Person:
    with app.app_context():
        row = db.session.scalar(select(Person).where(Person.name == name))
        db.session.expunge(row)
        return row


def org_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name == name))
