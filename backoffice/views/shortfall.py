"""学时预警 screens (issue 11 item 11, docs/statistics.md 学时预警): pages, not model lists.

- 学时未达标人员 (unit, HR): this year's confirmed people short of the requirement — 姓名, 公民身份号码, 部门,
  资格级别, hours and missing hours per 科目类型, days left — filtered by 部门 and 科目类型, paged, exported.
  HR sees its region's, or one unit's (`unit`, 404 outside its region).
- 单位学时达标情况 (HR): per unit of the region, its confirmed and short people and the share, paged and
  sorted, exported; a unit's figure opens its 学时未达标人员.

Parameters: `year` (default this year in Beijing), `page` (from 1; beyond the end 404), the filters, and
`format` (csv / xlsx) on the export.
A malformed value is a Chinese message (400), a row outside the scope 404 — never a 500.
"""
from urllib.parse import quote

from flask import abort, current_app, request, stream_with_context
from flask_admin import expose
from sqlalchemy import func, select

from .. import shortfall
from ..clock import beijing_today
from ..extensions import db
from ..hours import custom_plans
from ..labels import ActorKind, OrgKind, TitleLevel
from ..models import Department, Organisation, Person
from ..policy import current_actor, visible
from ..policy.scope import orgs_in_region
from ..route_params import reads
from .base import XLSX_MIME, PageView, neutralise
from .exports import CSV_MIME, csv_chunks, file_chunks, xlsx_file

PAGE_SIZE = 50
MAX_PAGE = 100_000


class BadParameter(Exception):
    """A parameter the page explains in Chinese instead of answering."""


def _year() -> int:
    raw = request.args.get("year", "")
    this_year = beijing_today().year
    if not raw:
        return this_year
    if not raw.isdigit() or len(raw) != 4:
        raise BadParameter("年度应为四位数字，如 2026")
    value = int(raw)
    if not shortfall.FIRST_YEAR <= value <= this_year:
        raise BadParameter(f"年度应在{shortfall.FIRST_YEAR}年至{this_year}年之间")
    return value


def _page() -> int:
    """The 0-based page; a malformed or absurd one is not a page (404)."""
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        abort(404)
    return int(raw) - 1


def _pages(count: int, page: int) -> int:
    pages = max((count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if page >= pages:
        abort(404)
    return pages


def _download(kind: str, filename: str, title: str, header: list[str], rows):
    if kind == "csv":
        body = stream_with_context(csv_chunks(header, rows, lambda: None))
        response = current_app.response_class(body, mimetype=CSV_MIME)
    else:
        response = current_app.response_class(file_chunks(xlsx_file(title, header, rows, lambda: None)),
                                              mimetype=XLSX_MIME)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=export.{kind}; filename*=UTF-8''{quote(filename)}.{kind}"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


class _WarningPage(PageView):
    def __init__(self, model=None, name=None, category=None, endpoint=None, **kwargs):
        super().__init__(name=name, category=category, endpoint=endpoint, **kwargs)

    def _error(self, message: str):
        return self.render("shortfall/error.html", error=message), 400


# ---- 学时未达标人员 -----------------------------------------------------------------------------------

COLUMNS = ["姓名", "公民身份号码", "部门", "资格级别",
           "公需学时", "专业学时", "选修学时", "总学时",
           "公需尚差", "专业尚差", "选修尚差", "总学时尚差", "距截止日期天数"]


class ShortfallView(_WarningPage):
    module = "hours_shortfall"

    def _unit(self, actor) -> Organisation | None:
        """The unit whose people are listed: the acting unit's own; for HR a unit of its region, or none."""
        raw = request.args.get("unit", "")
        if actor.kind == ActorKind.UNIT:
            if raw and raw != str(actor.org_id):
                abort(404)
            return db.session.get(Organisation, actor.org_id)
        if not raw:
            return None
        units = orgs_in_region(actor, OrgKind.UNIT)  # the region rule of policy/scope.py
        unit = db.session.scalar(
            select(Organisation).where(Organisation.id == int(raw), Organisation.id.in_(units))
        ) if raw.isdigit() and len(raw) <= 9 else None
        if unit is None:
            abort(404)
        return unit

    def _department(self, unit) -> Department | None:
        raw = request.args.get("department", "")
        if not raw:
            return None
        department = db.session.get(Department, int(raw)) if raw.isdigit() and len(raw) <= 9 else None
        if department is None or unit is None or department.org_id != unit.id:
            abort(404)
        return department

    def _kind(self) -> str | None:
        raw = request.args.get("kind", "")
        if raw and raw not in shortfall.KINDS:
            raise BadParameter("科目类型应为公需、专业或选修")
        return raw or None

    def _query(self, actor):
        unit = self._unit(actor)  # 404 before any message about the other parameters
        department = self._department(unit)
        year, kind = _year(), self._kind()
        chosen = shortfall.confirmed_at_unit(visible(Person, actor))
        if unit is not None:
            chosen = chosen & (Person.unit_id == unit.id)
        if department is not None:
            chosen = chosen & (Person.department_id == department.id)
        short = shortfall.short_people(chosen, year, kind=kind)
        rows = (
            select(short, Department.name.label("department_name"), Organisation.name.label("unit_name"))
            .select_from(short)
            .outerjoin(Department, Department.id == short.c.department_id)
            .outerjoin(Organisation, Organisation.id == short.c.unit_id)
            .order_by(short.c.name, short.c.person_id)
        )
        args = {"year": year, "unit": unit.id if unit and actor.kind != ActorKind.UNIT else None,
                "department": department.id if department else None, "kind": kind}
        return unit, year, rows, select(func.count()).select_from(short), args

    def _cells(self, row, today, with_unit: bool) -> list:
        left = shortfall.days_left(row["entry_deadline"], today)
        cells = [row["name"], row["id_number"], row["department_name"] or "",
                 TitleLevel.label(row["title_level"]) if row["title_level"] else ""]
        if with_unit:
            cells.insert(2, row["unit_name"] or "")
        cells += [shortfall.hours_text(row[f"{s}_hours"]) for s in ("public", "professional", "elective", "total")]
        cells += [shortfall.hours_text(row[f"missing_{s}"]) for s in ("public", "professional", "elective", "total")]
        cells.append(left if left is None or left >= 0 else "已过截止日期")
        return cells

    def _header(self, with_unit: bool) -> list[str]:
        return COLUMNS[:2] + ["单位"] + COLUMNS[2:] if with_unit else list(COLUMNS)

    @expose("/")
    @reads(unit=Organisation, department=Department)
    def index_view(self):
        actor = current_actor()
        try:
            unit, year, rows, count, args = self._query(actor)
        except BadParameter as bad:
            return self._error(str(bad))
        page = _page()
        custom_plans()
        total = db.session.scalar(count)
        pages = _pages(total, page)
        found = db.session.execute(rows.limit(PAGE_SIZE).offset(page * PAGE_SIZE)).mappings().all()
        today = beijing_today()
        with_unit = unit is None
        departments = [] if unit is None else db.session.scalars(
            select(Department).where(Department.org_id == unit.id).order_by(Department.sort, Department.id)
        ).all()
        return self.render(
            "shortfall/people.html", unit=unit, year=year, args=args, header=self._header(with_unit),
            rows=[(r["person_id"], self._cells(r, today, with_unit)) for r in found],
            details=actor.can_use("person_query"), count=total, page=page, pages=pages,
            page_size=PAGE_SIZE, departments=departments, kinds=shortfall.KINDS, actor=actor,
            page_link=lambda n: self.get_url(".index_view", page=n + 1, **args),
        )

    @expose("/export/")
    @reads(unit=Organisation, department=Department)
    def export_view(self):
        export_type = request.args.get("format")
        if export_type not in ("csv", "xlsx"):
            abort(404)
        actor = current_actor()
        try:
            unit, year, rows, _, _ = self._query(actor)
        except BadParameter as bad:
            return self._error(str(bad))
        custom_plans()
        today = beijing_today()
        with_unit = unit is None

        def lines():
            for row in db.session.execute(rows.execution_options(yield_per=1000)).mappings():
                yield [neutralise(c) for c in self._cells(row, today, with_unit)]

        title = f"{year}年度学时未达标人员"
        name = f"{unit.name}_{title}" if unit else title
        return _download(export_type, name, "学时未达标人员", self._header(with_unit), lines())


# ---- 单位学时达标情况 ---------------------------------------------------------------------------------

SORTS = {"short": "未达标人数", "share": "未达标比例", "confirmed": "已确认人数", "name": "单位名称"}
UNIT_COLUMNS = ["单位名称", "已确认人数", "未达标人数", "未达标比例（%）"]


class UnitComplianceView(_WarningPage):
    module = "unit_hours_compliance"

    def _query(self, actor):
        year = _year()
        sort = request.args.get("sort", "short")
        if sort not in SORTS:
            raise BadParameter("排序方式应为未达标人数、未达标比例、已确认人数或单位名称")
        figures = shortfall.per_unit(shortfall.confirmed_at_unit(visible(Person, actor)), year).subquery("units")
        share = figures.c.short * 1.0 / figures.c.confirmed
        order = {
            "short": [figures.c.short.desc()], "share": [share.desc()],
            "confirmed": [figures.c.confirmed.desc()], "name": [figures.c.unit_name],
        }[sort]
        rows = select(figures).order_by(*order, figures.c.unit_id)
        return year, sort, rows

    @staticmethod
    def _cells(row) -> list:
        share = round(100 * row["short"] / row["confirmed"], 1) if row["confirmed"] else None
        return [row["unit_name"], row["confirmed"], row["short"], share]

    @expose("/")
    @reads()
    def index_view(self):
        actor = current_actor()
        try:
            year, sort, rows = self._query(actor)
        except BadParameter as bad:
            return self._error(str(bad))
        page = _page()
        custom_plans()
        # the page must sort every unit's figures anyway: the count rides along (a window over the same
        # pass) instead of verifying the region a second time (3.3 s of 6 s at a million people on SQLite)
        counted = rows.add_columns(func.count().over().label("units_counted"))
        found = db.session.execute(counted.limit(PAGE_SIZE).offset(page * PAGE_SIZE)).mappings().all()
        if not found and page:
            abort(404)  # beyond the last page
        total = found[0]["units_counted"] if found else 0
        pages = _pages(total, page)
        return self.render(
            "shortfall/units.html", year=year, sort=sort, sorts=SORTS, header=UNIT_COLUMNS,
            rows=[(r["unit_id"], self._cells(r)) for r in found], count=total, page=page, pages=pages,
            page_size=PAGE_SIZE, actor=actor,
            page_link=lambda n: self.get_url(".index_view", page=n + 1, year=year, sort=sort),
        )

    @expose("/export/")
    @reads()
    def export_view(self):
        export_type = request.args.get("format")
        if export_type not in ("csv", "xlsx"):
            abort(404)
        actor = current_actor()
        try:
            year, _, rows = self._query(actor)
        except BadParameter as bad:
            return self._error(str(bad))
        custom_plans()

        def lines():
            for row in db.session.execute(rows.execution_options(yield_per=1000)).mappings():
                yield [neutralise(c) for c in self._cells(row)]

        return _download(export_type, f"{year}年度单位学时达标情况", "单位学时达标情况", UNIT_COLUMNS, lines())


VIEWS = [
    (ShortfallView, None, "查询统计", "hours_shortfall"),
    (UnitComplianceView, None, "查询统计", "unit_hours_compliance"),
]
