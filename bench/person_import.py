"""批量导入 at its limit: 20,000 new people from one .xlsx, against a raw executemany INSERT of the same rows.

    .venv/bin/python bench/person_import.py                # SQLite, the bench's province
    BENCH_ROWS=5000 DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python bench/person_import.py

Prints the time of each step of the import path (read the file, validate every row with its database
look-ups, apply + audit + commit) and of one raw INSERT executemany of the same rows, and their ratio.
Runs in the bench's province (bench/list_pages.py `build`), so the import validates against a million
people; the imported people and their 操作日志 rows are deleted afterwards.
"""
import io
import os
import time
from datetime import date, timedelta

from flask import g
from openpyxl import Workbook
from sqlalchemy import delete, func, insert, select

from backoffice import audit
from backoffice.extensions import db
from backoffice.imports import CREATE, EXCEL_ENGINE, frame_of, validate
from backoffice.imports.persons import COLUMNS, PersonSheet
from backoffice.labels import AuditAction
from backoffice.models import AuditLog, Organisation, Person, User
from backoffice.models.base import utcnow
from backoffice.policy import available_contexts, build_actor
from backoffice.validators import make_citizen_id, sex_from_id
from list_pages import bench_app, build

ROWS = int(os.environ.get("BENCH_ROWS", "20000"))
UNIT = "广州示范医院"


def rows(n: int) -> list[dict]:
    out = []
    for i in range(n):
        id_number = make_citizen_id("440103", date(1960, 1, 1) + timedelta(days=i // 900), f"{100 + i % 900:03d}")
        out.append({
            "姓名": f"压测{i:05d}", "性别": sex_from_id(id_number), "公民身份号码": id_number, "民族": "汉族",
            "籍贯": "广东广州", "最高学历": "大学本科", "最高学位": "学士", "所学专业": "临床医学",
            "毕业院校": "中山大学", "毕业时间": "2008-07-01", "参加工作时间": "2008/8/1", "联系电话": "13800138000",
            "邮箱": f"p{i}@example.cn", "专业技术任职资格": "主治医师", "资格级别": "中级", "取得资格时间": "2015.9.1",
            "专业系列": "卫生技术人员", "从事专业": "内科", "邮政编码": "510000", "通信地址": "广州市越秀区中山二路1号",
            "所属部门": "心血管内科",
        })
    return out


def xlsx(data: list[dict]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("专业技术人员")
    headers = [c.label for c in COLUMNS]
    sheet.append(headers)
    for row in data:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main():
    app = bench_app()
    build(app)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == "unit_c"))
        actor = build_actor(user, available_contexts(user)[0].key)
        unit_id = db.session.scalar(select(Organisation.id).where(Organisation.name == UNIT))
        dialect = db.engine.dialect.name
        last_person, last_log = (db.session.scalar(select(func.max(model.id))) for model in (Person, AuditLog))
    try:
        measure(app, actor, unit_id, dialect, last_person, last_log)
    finally:  # the province is every bench's: the imported people and their 操作日志 go
        with app.app_context():
            db.session.execute(delete(AuditLog).where(AuditLog.id > last_log))
            db.session.execute(delete(Person).where(Person.id > last_person))
            db.session.commit()


def measure(app, actor, unit_id: int, dialect: str, last_person: int, last_log: int) -> None:
    content, build_s = timed(lambda: xlsx(rows(ROWS)))
    print(f"{dialect}: {ROWS:,} rows, {len(content) / 1024 / 1024:.1f} MB .xlsx (built in {build_s:.1f}s)")

    with app.test_request_context():
        g.actor = actor
        sheet = PersonSheet(unit_id)
        frame, read_s = timed(lambda: frame_of(content, "xlsx", sheet))
        report, validate_s = timed(lambda: validate(frame, sheet))
        assert report.counts[CREATE] == ROWS, report.counts
        values = [
            {**row.values, "unit_id": unit_id, "binding_status": "confirmed", "confirmed_at": utcnow(),
             "created_at": utcnow(), "updated_at": utcnow()}
            for row in report.valid
        ]

        def raw():
            db.session.execute(insert(Person.__table__), values)  # one executemany, no ORM, no audit
            db.session.commit()

        _, raw_s = timed(raw)
        db.session.execute(delete(Person).where(Person.id > last_person))
        db.session.commit()

        # The import path re-validates (the screen reads the stored file again before importing).
        sheet = PersonSheet(unit_id)

        def through_app():
            report = validate(frame_of(content, "xlsx", sheet), sheet)
            with audit.audit_as(AuditAction.IMPORT, f"批量导入专业技术人员：{ROWS} 人"):
                sheet.apply(report.valid)
            db.session.commit()

        _, import_s = timed(through_app)
        imported = db.session.scalar(select(func.count()).select_from(Person).where(Person.id > last_person))
        audited = db.session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.id > last_log, AuditLog.action == "import"))
        assert imported == ROWS and audited == ROWS, (imported, audited)

    print(f"{'step':44} {'seconds':>8}")
    print(f"{f'read .xlsx (pandas, {EXCEL_ENGINE}, dtype=str)':44} {read_s:8.2f}")
    print(f"{'validate (rows + chunked look-ups)':44} {validate_s:8.2f}")
    print(f"{'导入有效数据: read + validate + apply + audit':44} {import_s:8.2f}")
    print(f"{'raw executemany INSERT of the same rows':44} {raw_s:8.2f}")
    apply_s = import_s - read_s - validate_s
    print(f"ratio import step / raw insert: {import_s / raw_s:.1f}  "
          f"(apply + audit alone ≈ {apply_s:.2f}s, {apply_s / raw_s:.1f}×)")
    rate = ROWS / import_s  # issue 12: 10,000 rows in ≤ 15 s, i.e. ≥ 667 rows/s
    print(f"target 10,000 rows ≤ 15 s: {rate:,.0f} rows/s, {'met' if rate >= 10_000 / 15 else 'MISSED'}")


if __name__ == "__main__":
    main()
