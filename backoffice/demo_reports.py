"""Demo 年度报告 (issue 11 items 10 and 12), called by `demo.seed_demo`: 广东示范继续教育学院 filed last
year's report with its attachment and 申报ed it through the workflow, so it waits at the HR organisation
its region routes to — the institution is province-level (440000), so `orgs.hr_for_region` gives
广东省人力资源和社会保障厅 (gd_hr); gz_hr (广州市) reviews only reports of institutions in 广州. This year's
report is a draft without an attachment (申报 asks for one). Idempotent: a year that has a report is left alone."""
import io

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from . import attachments
from .clock import beijing_today
from .extensions import db
from .models import AnnualReport, Organisation, User
from .policy import available_contexts, build_actor
from .workflows import annual_reports as ops

REPORT_PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def seed_annual_reports(orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    institution, user = orgs["inst_a"], users["inst_a"]
    key = next(c.key for c in available_contexts(user) if c.label.startswith(institution.name))
    actor = build_actor(user, key)
    this_year = beijing_today().year

    def missing(year: int) -> bool:
        return db.session.scalar(select(AnnualReport.id).where(
            AnnualReport.institution_id == institution.id, AnnualReport.year == year)) is None

    if missing(this_year - 1):
        name = f"{institution.name}{this_year - 1}年度继续教育工作报告"
        report = ops.save_report(None, actor, year=this_year - 1, name=name,
                                 note="本年度培训任务完成情况与下年度培训计划")
        attachments.save(FileStorage(io.BytesIO(REPORT_PDF), filename=f"{name}.pdf"),
                         ops.ANNUAL_REPORT.object_type, report, actor)
        ops.submit_report(report, actor)
    if missing(this_year):
        ops.save_report(None, actor, year=this_year, name=f"{institution.name}{this_year}年度继续教育工作报告")
    db.session.flush()
