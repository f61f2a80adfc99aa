"""批量导入 (unit): 模板下载 → upload → validation report → 导入有效数据 (one transaction) → failed rows.

`ImportView` is the one screen of every whole-file import of a unit (批量导入 of people, 继续教育记录批量申报):
a subclass names its sheet, its words and its audit summary. The uploaded file waits server-side
(imports.UploadStore) behind a token signed for the acting organisation and user; the import step reads
and validates it again, because data may have changed.
"""
from urllib.parse import quote

from flask import abort, current_app, request
from flask_admin import expose
from flask_wtf.file import FileField
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField

from .. import audit
from ..extensions import db
from ..forms import BaseForm
from ..imports import (
    CREATE, SKIP, UPDATE, XLSX_MIME, ImportRefused, UploadStore, failed_rows_workbook, frame_of, read_bytes,
    template_workbook, validate,
)
from ..imports.persons import PersonSheet
from ..labels import AuditAction
from ..policy import current_actor
from ..route_params import reads
from ..workflows import WorkflowError
from .base import PageView

SHOWN_FAILURES = 500  # the page lists this many failed rows; the download has them all


class UploadForm(BaseForm):
    file = FileField("导入文件")


class RunForm(BaseForm):
    token = HiddenField()


class ImportView(PageView):
    """A unit's import screen. A page, not a model list: the same access gate as every ScopedModelView."""

    module: str
    store: UploadStore
    sheet_class: type
    index_template = "person_import/index.html"
    template_name = ""  # the template's download name
    noun = "人"
    check_verbs = ("将新增", "将更新", "无变化将跳过", "有误")
    done_verbs = ("已新增", "已更新", "无变化已跳过", "有误未导入")
    summary_verbs = ("新增", "更新", "无变化跳过", "有误未导入")
    clash_message = "导入期间数据已被他人修改，未导入任何数据，请重新校验后再导入"

    def __init__(self, model=None, name=None, category=None, endpoint=None, **kwargs):
        super().__init__(name=name, category=category, endpoint=endpoint, **kwargs)

    # ---- helpers ------------------------------------------------------------------------------------

    def sheet(self):
        raise NotImplementedError

    def summary(self, done: int) -> str:
        raise NotImplementedError

    def words(self) -> dict:
        return {"noun": self.noun, "check_verbs": self.check_verbs, "done_verbs": self.done_verbs,
                "summary_verbs": self.summary_verbs}

    def _stored(self, token):
        """The actor's own uploaded file behind this token, or 404 (foreign, forged, expired or gone)."""
        found = self.store.load(token, current_actor())
        if found is None:
            abort(404)
        return found

    def _report(self, token):
        content, kind, original_name = self._stored(token)
        sheet = self.sheet()
        try:
            frame = frame_of(content, kind, sheet)
        except ImportRefused:
            abort(404)  # it was read once already; a file that no longer reads is gone for our purpose
        return validate(frame, sheet), original_name

    @staticmethod
    def _xlsx(content: bytes, filename: str):
        response = current_app.response_class(content, mimetype=XLSX_MIME)
        response.headers["Content-Disposition"] = (
            f"attachment; filename=import.xlsx; filename*=UTF-8''{quote(filename)}"
        )
        response.headers["Cache-Control"] = "private, no-cache"
        return response

    def _page(self, form=None, error=None, status=200):
        return self.render(self.index_template, form=form or UploadForm(), error=error,
                           max_mb=current_app.config["MAX_UPLOAD_MB"], max_rows=self.sheet_class.max_rows), status

    # ---- screens ------------------------------------------------------------------------------------

    @expose("/")
    def index(self):
        return self._page()

    @expose("/template/")
    @reads()
    def template(self):
        return self._xlsx(template_workbook(self.sheet()), self.template_name)

    @expose("/upload/", methods=["POST"])
    @reads()
    def upload(self):
        form = UploadForm()
        if not form.validate_on_submit():
            return self._page(form, "页面已过期，请刷新后重新上传", 400)
        sheet = self.sheet()
        try:
            content, kind = read_bytes(request.files.get("file"))
            frame = frame_of(content, kind, sheet)
        except ImportRefused as refused:
            return self._page(form, str(refused))
        token = self.store.save(content, kind, request.files["file"].filename, current_actor())
        report = validate(frame, sheet)
        return self._check_page(report, token, request.files["file"].filename)

    def _check_page(self, report, token, original_name):
        return self.render(
            "person_import/check.html", report=report, counts=report.counts, token=token,
            original_name=original_name, failed=report.failed[:SHOWN_FAILURES], run_form=RunForm(token=token),
            CREATE=CREATE, UPDATE=UPDATE, SKIP=SKIP, **self.words(),
        )

    @expose("/check/")
    @reads()
    def check(self):
        token = request.args.get("token")
        report, original_name = self._report(token)
        return self._check_page(report, token, original_name)

    @expose("/run/", methods=["POST"])
    @reads()
    def run(self):
        form = RunForm()
        if not form.validate_on_submit():
            abort(400)
        token = form.token.data
        report, original_name = self._report(token)
        counts = report.counts
        done = counts[CREATE] + counts[UPDATE]
        error = None
        if done:
            try:
                with audit.audit_as(AuditAction.IMPORT, self.summary(done)):
                    report.sheet.apply(report.valid)
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                error = self.clash_message
            except WorkflowError as refused:  # something changed since the validation page
                db.session.rollback()
                error = f"未导入任何数据：{refused}。请重新上传校验后再导入"
        return self.render(
            "person_import/result.html", counts=counts, error=error, token=token,
            original_name=original_name, CREATE=CREATE, UPDATE=UPDATE, SKIP=SKIP, **self.words(),
        )

    @expose("/failed/")
    @reads()
    def failed(self):
        report, original_name = self._report(request.args.get("token"))
        stem = original_name.rpartition(".")[0] or "导入文件"
        return self._xlsx(failed_rows_workbook(report), f"{stem}_失败数据.xlsx")


class PersonImportView(ImportView):
    """批量导入专业技术人员 (imports/persons.py)."""

    module = "person_import"
    store = UploadStore("person_import")
    sheet_class = PersonSheet
    template_name = "专业技术人员批量导入模板.xlsx"
    clash_message = "导入期间数据已被他人修改（公民身份号码重复），未导入任何数据，请重新校验后再导入"

    def sheet(self) -> PersonSheet:
        return PersonSheet(current_actor().org_id)

    def summary(self, done: int) -> str:
        return f"批量导入专业技术人员：{done} 人"


VIEWS = [(PersonImportView, None, "专业技术人员管理", "person_import")]
