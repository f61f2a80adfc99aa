"""继续教育综合统计 (menu 查询统计): a page, not a model list — the same module gate as every screen.

Parameters: 统计时间 `date` (YYYY-MM-DD, default today in Beijing), 年度 `year` (default the date's year),
and for HR / industry the region `region` whose child regions are the rows (default the actor's own).
A region outside the actor's region answers 404; a malformed date or year is a Chinese message (400).
"""
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from flask import abort, current_app, request
from flask_admin import expose

from ..extensions import db
from ..labels import ActorKind
from ..models import Region
from ..policy import current_actor
from ..policy.statistics import region_in_scope
from ..route_params import reads
from ..clock import beijing_today
from ..views.base import PageView
from ..views.exports import CSV_MIME
from . import charts
from .export import XLSX_MIME, as_csv, as_xlsx
from .backlog import by_reviewer
from .hours_by_type import by_study_form
from .plans import by_organiser
from .statistics import LABELS, by_level, by_region, unit_tables

FIRST_YEAR = 2000
DATE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadParameter(Exception):
    """A parameter the page explains in Chinese instead of answering."""


@dataclass
class Query:
    as_of: date
    year: int
    region: Region | None


def _as_of(raw: str | None) -> date:
    today = beijing_today()
    if not raw:
        return today
    if not DATE_FORMAT.match(raw):
        raise BadParameter("统计时间格式应为“年-月-日”，如 2026-01-31")
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise BadParameter("统计时间不是有效的日期") from None
    if not date(FIRST_YEAR, 1, 1) <= value <= today:
        raise BadParameter(f"统计时间应在{FIRST_YEAR}年1月1日至今天之间")
    return value


def _year(raw: str | None, as_of: date) -> int:
    if not raw:
        return as_of.year
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 4:  # "²" is a digit to str.isdigit, not to int
        raise BadParameter("年度应为四位数字，如 2025")
    value = int(raw)
    if not FIRST_YEAR <= value <= as_of.year:
        raise BadParameter(f"年度应在{FIRST_YEAR}年至统计时间所在的{as_of.year}年之间")
    return value


class StatisticsView(PageView):
    module = "statistics"

    def __init__(self, model=None, name=None, category=None, endpoint=None, **kwargs):
        super().__init__(name=name, category=category, endpoint=endpoint, **kwargs)

    # ---- parameters ---------------------------------------------------------------------------

    def _region(self, actor) -> Region | None:
        """The report's base region: the actor's own, or one below it (anything else: 404)."""
        if actor.kind == ActorKind.UNIT:
            if request.args.get("region"):
                abort(404)
            return None
        code = request.args.get("region") or actor.region_code
        region = db.session.get(Region, code) if code and len(code) <= 6 else None
        if region is None or not region_in_scope(actor, region):
            abort(404)
        return region

    def _query(self, actor) -> Query:
        region = self._region(actor)  # 404 before any message about the other parameters
        as_of = _as_of(request.args.get("date"))
        return Query(as_of, _year(request.args.get("year"), as_of), region)

    def _page(self, template, actor, query, tables, **context):
        return self.render(
            template, actor=actor, query=query, tables=tables, labels=LABELS, error=None,
            first_year=FIRST_YEAR, today=beijing_today(), **context,
        )

    def _error(self, actor, message):
        return self.render("reports/statistics.html", actor=actor, query=None, tables=[], labels=LABELS,
                           error=message, first_year=FIRST_YEAR, today=beijing_today(),
                           region_chart=None, level_chart=None, base=None), 400

    def _tables(self, actor, query, view: str):
        if actor.kind == ActorKind.UNIT:
            return unit_tables(actor, query.year, query.as_of)
        if view == "levels":
            return [by_level(actor, query.region, query.year, query.as_of)]
        return [by_region(actor, query.region, query.year, query.as_of)]

    # ---- screens ------------------------------------------------------------------------------

    # `region` names a region, readable by everyone; what limits it is the actor's own region
    # (`region_in_scope`, 404 otherwise — tests/reports/test_statistics.py), not a row rule to probe.
    @expose("/")
    @reads()
    def index(self):
        actor = current_actor()
        try:
            query = self._query(actor)
        except BadParameter as bad:
            return self._error(actor, str(bad))
        tables = self._tables(actor, query, "regions")
        if actor.kind == ActorKind.UNIT:
            return self._page("reports/statistics.html", actor, query, tables, base=None,
                              region_chart=None, level_chart=charts.level_shares(tables[1]))
        parent = query.region.parent if query.region.code != actor.region_code else None
        return self._page("reports/statistics.html", actor, query, tables, base=query.region, parent=parent,
                          region_chart=charts.region_bars(tables[0]), level_chart=None)

    @expose("/levels/")
    @reads()
    def levels(self):
        actor = current_actor()
        if actor.kind == ActorKind.UNIT:
            abort(404)
        try:
            query = self._query(actor)
        except BadParameter as bad:
            return self._error(actor, str(bad))
        tables = self._tables(actor, query, "levels")
        return self._page("reports/levels.html", actor, query, tables, base=query.region,
                          level_chart=charts.level_shares(tables[0]))

    @expose("/export/<kind>/")
    @reads()
    def export(self, kind):
        if kind not in ("csv", "xlsx"):
            abort(404)
        actor = current_actor()
        view = request.args.get("view", "regions")
        if view not in ("regions", "levels") or (view == "levels" and actor.kind == ActorKind.UNIT):
            abort(404)
        try:
            query = self._query(actor)
        except BadParameter as bad:
            return self._error(actor, str(bad))
        tables = self._tables(actor, query, view)
        scope = actor.label if query.region is None else f"{actor.label}（{query.region.name}）"
        title = [f"继续教育综合统计　{scope}", f"统计时间：{query.as_of:%Y年%m月%d日}　年度：{query.year}年"]
        body = as_csv(tables, title) if kind == "csv" else as_xlsx(tables, title)
        mimetype = CSV_MIME if kind == "csv" else XLSX_MIME
        response = current_app.response_class(body, mimetype=mimetype)
        filename = f"继续教育综合统计_{query.year}年.{kind}"
        response.headers["Content-Disposition"] = (
            f"attachment; filename=statistics.{kind}; filename*=UTF-8''{quote(filename)}"
        )
        response.headers["Cache-Control"] = "private, no-cache"
        return response


def _download(body: bytes, kind: str, filename: str):
    """A report's file: CSV (UTF-8 with BOM) or XLSX, named in Chinese for the browser, ASCII for the rest."""
    mimetype = CSV_MIME if kind == "csv" else XLSX_MIME
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=report.{kind}; filename*=UTF-8''{quote(f'{filename}.{kind}')}"
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response


class HoursByTypeView(PageView):
    """学时分类统计: one year's 认定学时 by 学习形式 and 科目类型, within the actor's report scope (HR its
    region's people, industry its series', a unit its own). Parameter: 年度 `year` (default this year)."""

    module = "hours_by_type"
    title = "学时分类统计"  # the export's heading and file name
    figures = staticmethod(by_study_form)

    def __init__(self, model=None, name=None, category=None, endpoint=None, **kwargs):
        super().__init__(name=name, category=category, endpoint=endpoint, **kwargs)

    def _year(self) -> int:
        return _year(request.args.get("year"), beijing_today())

    def _error(self, message):
        return self.render("reports/hours_by_type.html", table=None, chart=None, year=None, error=message,
                           first_year=FIRST_YEAR, today=beijing_today(), actor=current_actor()), 400

    @expose("/")
    @reads()
    def index(self):
        try:
            year = self._year()
        except BadParameter as bad:
            return self._error(str(bad))
        table = by_study_form(current_actor(), year)
        return self.render("reports/hours_by_type.html", table=table, chart=charts.stacked_hours(table), year=year,
                           error=None, first_year=FIRST_YEAR, today=beijing_today(), actor=current_actor())

    @expose("/export/<kind>/")
    @reads()
    def export(self, kind):
        if kind not in ("csv", "xlsx"):
            abort(404)
        try:
            year = self._year()
        except BadParameter as bad:
            return self._error(str(bad))
        actor = current_actor()
        table = self.figures(actor, year)
        title = [f"{self.title}　{actor.label}", f"年度：{year}年"]
        body = as_csv([table], title) if kind == "csv" else as_xlsx([table], title)
        return _download(body, kind, f"{self.title}_{year}年")


class BacklogView(PageView):
    """审核积压统计: every reviewer organisation of the supervisor's region with rows pending, per review
    queue, with the longest wait — the figures each reviewer's 工作台 shows (reports/backlog.py)."""

    module = "review_backlog"

    def __init__(self, model=None, name=None, category=None, endpoint=None, **kwargs):
        super().__init__(name=name, category=category, endpoint=endpoint, **kwargs)

    @expose("/")
    @reads()
    def index(self):
        actor = current_actor()
        return self.render("reports/backlog.html", table=by_reviewer(actor), actor=actor, today=beijing_today())

    @expose("/export/<kind>/")
    @reads()
    def export(self, kind):
        if kind not in ("csv", "xlsx"):
            abort(404)
        actor = current_actor()
        title = [f"审核积压统计　{actor.label}", f"统计时间：{beijing_today():%Y年%m月%d日}"]
        table = by_reviewer(actor)
        body = as_csv([table], title) if kind == "csv" else as_xlsx([table], title)
        return _download(body, kind, "审核积压统计")


class PlanStatisticsView(HoursByTypeView):
    """培训计划统计: a year's submitted 专业课计划 and their 培训班 per organiser and status, with the classes'
    volume and pass rate (reports/plans.py), in the Plan scope; the 学时分类统计 page's year parameter."""

    module = "plan_statistics"
    title = "培训计划统计"
    figures = staticmethod(by_organiser)  # the inherited export reads these

    @expose("/")
    @reads()
    def index(self):
        try:
            year = self._year()
        except BadParameter as bad:
            return self._error(str(bad))
        table = by_organiser(current_actor(), year)
        return self.render("reports/plans.html", table=table, year=year, error=None, first_year=FIRST_YEAR,
                           today=beijing_today(), actor=current_actor())

    def _error(self, message):
        return self.render("reports/plans.html", table=None, year=None, error=message,
                           first_year=FIRST_YEAR, today=beijing_today(), actor=current_actor()), 400


VIEWS = [
    (StatisticsView, None, "查询统计", "statistics"),
    (HoursByTypeView, None, "查询统计", "hours_by_type"),
    (BacklogView, None, "查询统计", "review_backlog"),
    (PlanStatisticsView, None, "查询统计", "plan_statistics"),
]
