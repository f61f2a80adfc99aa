"""继续教育证书打印 (000 §1.6.4; 002 电子证书查询打印 for 用人单位, 主管部门 and 人社部门; 003 §3.3.4 for the
person): the person-years of the actor's people with their figures, 打印 (one or many as one PDF),
重新生成证书并打印, 重新统计学时, and for HR 撤销. The rules are in workflows/certificates.py.
"""
from urllib.parse import quote

import segno
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_admin import expose
from sqlalchemy import func, select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..clock import beijing_today
from ..extensions import db
from ..forms import BaseForm
from ..labels import ActorKind, ApplicationStatus, CertificateStatus
from ..models import Certificate, Person, ProfessionalSeries, Record
from ..pdf import FontMissing, render
from ..policy import current_actor, visible
from ..route_params import reads
from ..workflows import WorkflowError
from ..workflows import certificates as ops
from .base import PageView

PAGE_SIZE = 20
MAX_PAGE = 10_000
MAX_BATCH = 500  # people in one 批量打印


def _year_arg(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def _ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            key = int(value)
        except (TypeError, ValueError):
            abort(404)
        if not -(2**31) <= key < 2**31:
            abort(404)
        ids.append(key)
    return ids


class RevokeForm(BaseForm):
    reason = TextAreaField(
        "撤销原因",
        validators=[DataRequired("请填写撤销原因"), Length(max=ops.REASON_MAX, message=f"撤销原因限{ops.REASON_MAX}字")],
        render_kw={"rows": 3, "maxlength": ops.REASON_MAX},
    )


class CertificatePages:
    """Printing, shared by the organisations' screen and the person's own."""

    def _people(self, ids: list[int]) -> list[Person]:
        """The people behind posted ids, all printable by the actor, or 404."""
        if not ids or len(ids) > MAX_BATCH:
            abort(404)
        found = db.session.scalars(
            select(Person).where(Person.id.in_(ids), ops.printable_people(current_actor()))
        ).all()
        if len(found) != len(set(ids)):
            abort(404)
        return sorted(found, key=lambda p: ids.index(p.id))

    def _pdf(self, certificates: list[Certificate]):
        base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
        pages = []
        for certificate in certificates:
            link = base.rstrip("/") + url_for("verify.certificate", number=certificate.number)
            pages.append((certificate, segno.make(link, error="m").png_data_uri(scale=4, border=1), link))
        html = render_template("certificates/pdf.html", pages=pages, mask_id=ops.mask_id)
        content = render(html)
        name = f"继续教育证书_{certificates[0].year}.pdf" if len(certificates) > 1 else f"继续教育证书_{certificates[0].number}.pdf"
        response = current_app.response_class(content, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f"inline; filename=certificate.pdf; filename*=UTF-8''{quote(name)}"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    def _print(self, regenerate: bool):
        year = _year_arg(request.form.get("year"))
        if year is None:
            abort(404)
        people = self._people(_ids(request.form.getlist("id")))
        if regenerate and len(people) != 1:
            abort(404)
        actor = current_actor()
        try:
            if regenerate:
                certificates = [ops.regenerate(people[0], year, actor)]
            else:
                certificates = [ops.certificate_for(person, year, actor) for person in people]
            response = self._pdf(certificates)
        except (WorkflowError, FontMissing) as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(self.get_url(".index_view", year=year))
        db.session.commit()
        return response

    @expose("/print/", methods=("POST",))
    @reads(id=Person)
    def print_view(self):
        """打印 (批量打印 with several ids): one PDF."""
        if not BaseForm().validate_on_submit():
            abort(400)
        return self._print(regenerate=False)

    @expose("/regenerate/", methods=("POST",))
    @reads(id=Person)
    def regenerate_view(self):
        """重新生成证书并打印."""
        if not BaseForm().validate_on_submit():
            abort(400)
        return self._print(regenerate=True)


class CertificatePrintView(CertificatePages, PageView):
    """用人单位 / 主管部门 / 人社部门: their people's person-years. A unit lists all of them; HR and
    industry departments, whose people are a region's, search by 姓名 or 公民身份号码 first."""

    module = ops.MODULE

    def __init__(self, model=None, name=None, category=None, endpoint=None, **kwargs):
        super().__init__(name=name, category=category, endpoint=endpoint, **kwargs)

    def _rows(self, actor, year: int, search: str, page: int):
        people = select(Person.id).where(ops.printable_people(actor))
        if search:
            if search[:1].isdigit():
                people = people.where(Person.id_number.startswith(search.upper()))
            else:
                people = people.where(Person.name.startswith(search))
        learners = (
            select(Record.person_id)
            .where(Record.year == year, Record.status == ApplicationStatus.APPROVED, Record.person_id.in_(people))
            .distinct()
        )
        total = db.session.scalar(select(func.count()).select_from(learners.subquery()))
        ids = list(db.session.scalars(
            select(Person.id).where(Person.id.in_(learners)).order_by(Person.name, Person.id)
            .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
        ))
        persons = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))}
        series = dict(db.session.execute(select(ProfessionalSeries.id, ProfessionalSeries.name)).all())
        found = ops.figures(ids, year)
        certificates = ops.valid_certificates(ids, year)
        rows = [(persons[i], series.get(persons[i].series_id, ""), found[i], certificates.get(i)) for i in ids]
        return rows, total

    @expose("/")
    @reads()
    def index_view(self):
        actor = current_actor()
        this_year = beijing_today().year
        year = _year_arg(request.args.get("year")) or this_year - 1
        search = (request.args.get("q") or "").strip()[:30]
        try:
            page = max(1, min(int(request.args.get("page", 1)), MAX_PAGE))
        except ValueError:
            page = 1
        needs_search = actor.kind != ActorKind.UNIT and not search
        rows, total = ([], 0) if needs_search else self._rows(actor, year, search, page)
        return self.render(
            "certificates/list.html", rows=rows, total=total, year=year, search=search, page=page,
            pages=max(1, -(-total // PAGE_SIZE)), years=range(this_year, this_year - 10, -1),
            needs_search=needs_search, can_revoke=actor.kind == ActorKind.HR, form=BaseForm(),
        )

    @expose("/recount/", methods=("POST",))
    @reads(id=Person)
    def recount_view(self):
        """重新统计学时: which 有效 certificates no longer match the records."""
        if not BaseForm().validate_on_submit():
            abort(400)
        year = _year_arg(request.form.get("year"))
        if year is None:
            abort(404)
        people = self._people(_ids(request.form.getlist("id")))
        stale = ops.recount([p.id for p in people], year)
        if stale:
            flash("以下人员的证书学时与当前认定学时不一致，请重新生成证书：" + "；".join(stale), "warning")
        else:
            flash(f"已重新统计{len(people)}人的学时，证书学时与认定学时一致", "success")
        return redirect(self.get_url(".index_view", year=year, q=request.form.get("q", "")))

    @expose("/revoke/", methods=("GET", "POST"))
    @reads(id=Certificate)
    def revoke_view(self):
        """撤销 (人社部门 only): a reason, then the number verifies as 已撤销."""
        actor = current_actor()
        if actor.kind != ActorKind.HR:
            abort(403)
        ids = _ids([request.args.get("id", "")])
        certificate = db.session.scalar(
            select(Certificate).where(Certificate.id == ids[0], visible(Certificate, actor))
        )
        if certificate is None:
            abort(404)
        form = RevokeForm()
        if form.validate_on_submit():
            try:
                ops.revoke(certificate, form.reason.data, actor)
            except WorkflowError as error:
                db.session.rollback()
                form.reason.errors = [*form.reason.errors, str(error)]
            else:
                db.session.commit()
                flash(f"已撤销证书{certificate.number}", "success")
                return redirect(self.get_url(".index_view", year=certificate.year, q=certificate.id_number))
        return self.render("certificates/revoke.html", certificate=certificate, form=form,
                           status=CertificateStatus.label(certificate.status))


class MyCertificatesView(CertificatePages, PageView):
    """The person's own years (003 §3.3.4): 培训年度, figures, 年度认证情况, 证书号, 打印证书."""

    module = ops.OWN_MODULE

    def __init__(self, model=None, name=None, category=None, endpoint=None, **kwargs):
        super().__init__(name=name, category=category, endpoint=endpoint, **kwargs)

    @expose("/")
    @reads()
    def index_view(self):
        actor = current_actor()
        person = db.session.get(Person, actor.person_id)
        years = list(db.session.scalars(
            select(Record.year).where(Record.person_id == person.id, Record.status == ApplicationStatus.APPROVED)
            .distinct().order_by(Record.year.desc())
        ))
        series = db.session.get(ProfessionalSeries, person.series_id) if person.series_id else None
        found = ops.person_figures(person.id, years)
        rows = [(year, *found[year]) for year in years]
        return self.render("certificates/mine.html", person=person, series=series, rows=rows, form=BaseForm())


VIEWS = [
    (CertificatePrintView, None, "继续教育记录管理", "certificate_print"),
    (MyCertificatesView, None, "继续教育记录管理", "my_certificates"),
]
