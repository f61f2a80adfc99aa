"""学员成绩管理 (002; 000 §1.4.1 成绩/考核结果录入): the classes the acting organisation runs; per class the
grid of its 报名成功 enrolees' 成绩 and 考核结果, and 批量导入成绩 through the import engine (模板下载 listing
the enrolees → upload → 校验 → 导入有效数据 → 失败数据). The rules are `workflows.results` and
`imports.results`."""
from flask import flash, redirect, request, url_for
from flask_admin import expose
from wtforms import SelectField, StringField
from wtforms.validators import Optional, ValidationError

from ..forms import BaseForm
from ..imports import UploadStore
from ..imports.results import ResultSheet
from ..labels import ClassStatus, ExamResult
from ..models import TrainingClass
from ..policy import current_actor
from ..route_params import OWN, reads
from ..workflows import WorkflowError
from ..workflows import results as ops
from ..workflows.attendance import OPEN_STATES, roster
from .class_work import LinkRowAction, RunClassesView
from .person_import import ImportScreens
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


class ClassResultsView(ImportScreens, RunClassesView):
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

    # ---- 批量导入成绩: the import engine's screens (person_import.ImportScreens), per class ---------------

    sheet_class = ResultSheet
    result_template = "results/result.html"
    index_template = "results/import.html"
    noun = "名学员的成绩"
    skip_noun = "行"
    check_verbs = ("", "将更新", "无变化将跳过", "有误")
    done_verbs = ("", "已更新", "无变化已跳过", "有误未导入")
    summary_verbs = ("", "更新", "无变化跳过", "有误未导入")
    endpoints = {"index": ".import_view", "template": ".template_view", "upload": ".upload_view",
                 "check": ".check_view", "run": ".run_view", "failed": ".failed_view"}

    def store_for(self, training_class) -> UploadStore:
        # a token opens its file only on the class it was uploaded for
        return UploadStore(f"result_import.{training_class.id}")

    def sheet(self, training_class=None) -> ResultSheet:
        return ResultSheet(training_class, current_actor())

    def summary(self, done: int) -> None:
        return None  # the sheet saves through workflows.results, which writes the AuditLog row

    def template_filename(self, training_class) -> str:
        return f"{training_class.name}_成绩导入模板.xlsx"

    def upload_refusal(self, training_class) -> str | None:
        return None if self.editable(training_class) else "只有开班或接受报名的培训班才能导入成绩"

    def subject_context(self, training_class) -> dict:
        return {
            "url_args": {"id": training_class.id}, "subject_name": training_class.name,
            "training_class": training_class, "editable": self.editable(training_class),
            "class_status": ClassStatus.label(training_class.status),
        }

    def _class(self):
        return self.the_class(request.args.get("id"))

    @expose("/import/")
    @reads(id=OWN)
    def import_view(self):
        return self._index(self._class())

    @expose("/import/template/")
    @reads(id=OWN)
    def template_view(self):
        return self._template(self._class())

    @expose("/import/upload/", methods=("POST",))
    @reads(id=OWN)
    def upload_view(self):
        return self._upload(self._class())

    @expose("/import/check/")
    @reads(id=OWN)
    def check_view(self):
        return self._check(self._class())

    @expose("/import/run/", methods=("POST",))
    @reads(id=OWN)
    def run_view(self):
        return self._run(self._class())

    @expose("/import/failed/")
    @reads(id=OWN)
    def failed_view(self):
        return self._failed(self._class())


VIEWS = [(ClassResultsView, TrainingClass, "培训班管理", "class_results")]
