"""bench/operations.py on a tiny province (`flask bench-data`'s generator): each case's functions do what
the bench says they time — every record decided, one PDF page per person, the rows asked for in both
export formats, the raw SQL the same rows — and leave nothing behind, so the bench cannot rot silently
and cannot change a reused database."""
import csv
import io
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from backoffice.benchdata import generate
from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, ReviewResult
from backoffice.models import AuditLog, Certificate, Record, ReviewLog

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import operations as bench  # noqa: E402  (bench/ is no package: its scripts import each other by name)

PEOPLE = 30


@pytest.fixture
def province(app):
    with app.app_context():
        generate(PEOPLE)
        db.session.commit()


def _rows() -> tuple[int, int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Record, ReviewLog, AuditLog, Certificate))


def test_batch_review_decides_every_record_it_adds_and_leaves_nothing_behind(app, province):
    with app.app_context():
        unit_id = bench.largest_unit()
        before = _rows()
    actor = bench.actor_for(app, "unit_b", unit_id)

    with bench.rolled_back(app):
        ids = bench.add_pending_records(unit_id, 12)
        outcome = bench.batch_review(app, actor, ids)
        decided = db.session.execute(
            select(Record.status, func.count()).where(Record.id.in_(ids)).group_by(Record.status)
        ).all()
        logged = db.session.scalars(select(ReviewLog.opinion).where(
            ReviewLog.object_type == "record", ReviewLog.object_id.in_(ids), ReviewLog.result == ReviewResult.APPROVE,
        )).all()

    assert len(ids) == 12 and len(outcome.done) == 12 and outcome.skipped == []
    assert decided == [(ApplicationStatus.APPROVED, 12)]
    assert logged == ["同意（压测）"] * 12
    with app.app_context():
        assert _rows() == before


def test_raw_review_updates_the_same_rows_with_their_logs(app, province):
    with app.app_context():
        unit_id = bench.largest_unit()
        before = _rows()
    with bench.rolled_back(app):
        ids = bench.add_pending_records(unit_id, 5)
        changed = bench.raw_review(unit_id, ids, logs=True)
        approved = db.session.scalar(select(func.count()).select_from(Record).where(
            Record.id.in_(ids), Record.status == ApplicationStatus.APPROVED, Record.approved_hours == 8))
        logs = db.session.scalar(select(func.count()).select_from(ReviewLog).where(
            ReviewLog.object_type == "record", ReviewLog.object_id.in_(ids)))

    assert (changed, approved, logs) == (5, 5, 5)
    with app.app_context():
        assert _rows() == before


def test_certificate_batch_is_one_pdf_page_per_person_and_is_rolled_back(app, province):
    actor = bench.actor_for(app, "gd_hr")
    with app.app_context():
        before = _rows()
        people = bench.province_people(3)

    with bench.rolled_back(app), bench.timed_render() as rendering:
        bench.add_passing_year(people, bench.CERTIFICATE_YEAR)
        content = bench.print_certificates(app, actor, people, bench.CERTIFICATE_YEAR)
        issued = db.session.scalars(select(Certificate.person_id).where(Certificate.person_id.in_(people))).all()

    assert len(PdfReader(io.BytesIO(content)).pages) == 3
    assert sorted(issued) == people
    assert len(rendering) == 1 and 0 < rendering[0].wall
    with app.app_context():
        assert _rows() == before


def test_exports_hold_the_rows_asked_for_and_the_raw_sql_reads_the_same_people(app, province):
    actor = bench.actor_for(app, "gd_hr")
    cap = app.config["EXPORT_MAX_ROWS"]

    with bench.rolled_back(app):
        workbook = bench.export(app, actor, "xlsx", 25)
        text = bench.export(app, actor, "csv", 25)
        raw_ids = [row[2] for row in db.session.execute(db.text(bench.RAW_EXPORT), {"rows": 25})]
        assert bench.raw_export("csv", 25) > 0 and bench.raw_export("xlsx", 25) > 0

    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert bench.exported_rows("xlsx", workbook) == 25 and bench.exported_rows("csv", text) == 25
    assert lines[-1][0].startswith("（仅导出前25条")  # the cap says so in the file
    assert len(raw_ids) == 25 and [line[2] for line in lines[1:26]] == raw_ids  # 公民身份号码, in the list's order
    assert app.config["EXPORT_MAX_ROWS"] == cap
