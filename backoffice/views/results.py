"""学员成绩管理 (002; 000 §1.4.1 成绩/考核结果录入): the classes the acting organisation runs; per class the
grid of its 报名成功 enrolees' 成绩 and 考核结果, and 批量导入成绩 through the import engine (模板下载 listing
the enrolees → upload → 校验 → 导入有效数据 → 失败数据). The rules are `workflows.results` and
`imports.results`."""
from urllib.parse import quote

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy.exc import IntegrityError
from wtforms import SelectField, StringField
from wtforms.validators import Optional, ValidationError

from ..extensions import db
from ..forms import BaseForm
from ..imports import CREATE, SKIP, UPDATE, XLSX_MIME, ImportRefused, UploadStore, failed_rows_workbook, frame_of, read_bytes, template_workbook, validate
from ..imports.results import ResultSheet
from ..labels import ClassStatus, ExamResult
from ..models import TrainingClass
from ..policy import current_actor
from ..route_params import OWN, reads
from ..workflows import WorkflowError
from ..workflows import results as ops
from ..workflows.attendance import OPEN_STATES, roster
from .class_work import LinkRowAction, RunClassesView
from .person_import import SHOWN_FAILURES, RunForm, UploadForm
from .training_common import run_form

RESULT_CHOICES = [("", "请选择…"), *ExamResult.choices()]


def _score(form, field):
    try:
        ops.clean_score(field.data)
    except WorkflowError as error:
        raise ValidationError(str(error)) from None


def results_form(enrolees, formdata=None):
    """Per 报名成功 enrolee: 成绩 (`s<id>`) and 考核结果 (`r<id>`), filled with what is stored."""

    class ResultsForm(BaseForm):
        pass

    for e in enrolees:
        setattr(ResultsForm, f"s{e.id}", StringField(
            f"{e.person.name}的成绩", default="" if e.score is None else str(e.score), validators=[_score],
            render_kw={"maxlength": 5, "inputmode": "decimal"},
        ))
        setattr(ResultsForm, f"r{e.id}", SelectField(
            f"{e.person.name}的考核结果", choices=RESULT_CHOICES, default=e.result or "", validators=[Optional()],
        ))
    return ResultsForm(formdata=formdata) if formdata is not None else ResultsForm()


class ClassResultsView(RunClassesView):
    module = "class_results"
    column_extra_row_actions = [LinkRowAction(".grid_view", "成绩录入"), LinkRowAction(".import_view", "批量导入")]

    @staticmethod
    def editable(training_class) -> bool:
        return training_class.status in OPEN_STATES

    # ---- 成绩/考核结果录入 ---------------------------------------------------------------------------

    @expose("/grid/", methods=("GET", "POST"))
    @reads(id=OWN)
    def grid_view(self):
        training_class = self.the_class(request.args.get("id"))
        enrolees = roster(training_class.id)
        form = results_form(enrolees, request.form if request.method == "POST" else None)
        if request.method == "POST" and form.validate_on_submit():
            wanted = {e.id: (form[f"s{e.id}"].data, form[f"r{e.id}"].data or None) for e in enrolees}
            changed = run_form(form, lambda: ops.save_results(training_class, wanted, current_actor()))
            if changed is not False:
                flash(f"成绩已保存，{changed}名学员的成绩或考核结果有变化", "success")
                return redirect(url_for(".grid_view", id=training_class.id))
        return self.render(
            "results/grid.html", training_class=training_class, enrolees=enrolees, form=form,
            editable=self.editable(training_class), class_status=ClassStatus.label(training_class.status),
            result_label=ExamResult.label,
        )

    # ---- 批量导入成绩 --------------------------------------------------------------------------------

    @staticmethod
    def store(training_class) -> UploadStore:
        # a token opens its file only on the class it was uploaded for
        return UploadStore(f"result_import.{training_class.id}")

    def sheet(self, training_class) -> ResultSheet:
        return ResultSheet(training_class, current_actor())

    def _import_page(self, training_class, form=None, error=None, status=200):
        return self.render(
            "results/import.html", training_class=training_class, form=form or UploadForm(), error=error,
            editable=self.editable(training_class), class_status=ClassStatus.label(training_class.status),
            max_mb=current_app.config["MAX_UPLOAD_MB"], max_rows=ResultSheet.max_rows,
        ), status

    def _report(self, training_class, token):
        found = self.store(training_class).load(token, current_actor())
        if found is None:
            abort(404)
        content, kind, original_name = found
        sheet = self.sheet(training_class)
        try:
            frame = frame_of(content, kind, sheet)
        except ImportRefused:
            abort(404)
        return validate(frame, sheet), original_name

    def _check_page(self, training_class, report, token, original_name):
        return self.render(
            "results/check.html", training_class=training_class, report=report, counts=report.counts, token=token,
            original_name=original_name, failed=report.failed[:SHOWN_FAILURES], run_form=RunForm(token=token),
            CREATE=CREATE, UPDATE=UPDATE, SKIP=SKIP,
        )

    @staticmethod
    def _xlsx(content: bytes, filename: str):
        response = current_app.response_class(content, mimetype=XLSX_MIME)
        response.headers["Content-Disposition"] = f"attachment; filename=import.xlsx; filename*=UTF-8''{quote(filename)}"
        response.headers["Cache-Control"] = "private, no-cache"
        return response

    @expose("/import/")
    @reads(id=OWN)
    def import_view(self):
        return self._import_page(self.the_class(request.args.get("id")))

    @expose("/import/template/")
    @reads(id=OWN)
    def template_view(self):
        training_class = self.the_class(request.args.get("id"))
        return self._xlsx(template_workbook(self.sheet(training_class)), f"{training_class.name}_成绩导入模板.xlsx")

    @expose("/import/upload/", methods=("POST",))
    @reads(id=OWN)
    def upload_view(self):
        training_class = self.the_class(request.args.get("id"))
        form = UploadForm()
        if not form.validate_on_submit():
            return self._import_page(training_class, form, "页面已过期，请刷新后重新上传", 400)
        if not self.editable(training_class):
            return self._import_page(training_class, form, "只有开班或接受报名的培训班才能导入成绩")
        sheet = self.sheet(training_class)
        try:
            content, kind = read_bytes(request.files.get("file"))
            frame = frame_of(content, kind, sheet)
        except ImportRefused as refused:
            return self._import_page(training_class, form, str(refused))
        name = request.files["file"].filename
        token = self.store(training_class).save(content, kind, name, current_actor())
        return self._check_page(training_class, validate(frame, sheet), token, name)

    @expose("/import/check/")
    @reads(id=OWN)
    def check_view(self):
        training_class = self.the_class(request.args.get("id"))
        token = request.args.get("token")
        report, original_name = self._report(training_class, token)
        return self._check_page(training_class, report, token, original_name)

    @expose("/import/run/", methods=("POST",))
    @reads(id=OWN)
    def run_view(self):
        training_class = self.the_class(request.args.get("id"))
        form = RunForm()
        if not form.validate_on_submit():
            abort(400)
        token = form.token.data
        report, original_name = self._report(training_class, token)
        counts, error = report.counts, None
        if counts[UPDATE]:
            try:
                report.sheet.apply(report.valid)
                db.session.commit()
            except WorkflowError as refused:
                db.session.rollback()
                error = f"未导入任何数据：{refused}"
            except IntegrityError:
                db.session.rollback()
                error = "导入期间数据已被他人修改，未导入任何数据，请重新校验后再导入"
        return self.render(
            "results/result.html", training_class=training_class, counts=counts, error=error, token=token,
            original_name=original_name, CREATE=CREATE, UPDATE=UPDATE, SKIP=SKIP,
        )

    @expose("/import/failed/")
    @reads(id=OWN)
    def failed_view(self):
        training_class = self.the_class(request.args.get("id"))
        report, original_name = self._report(training_class, request.args.get("token"))
        stem = original_name.rpartition(".")[0] or "导入文件"
        return self._xlsx(failed_rows_workbook(report), f"{stem}_失败数据.xlsx")


VIEWS = [(ClassResultsView, TrainingClass, "培训班管理", "class_results")]
