"""批量导入: 模板下载 → upload → validation report → 导入有效数据 (one transaction) → failed rows.

`ImportScreens` are the one set of screens of every import (批量导入 of people, 继续教育记录批量申报, and a
class's 批量导入成绩); `ImportView` serves a unit's whole-file imports with them: a subclass names its
sheet, its words and its audit summary. The uploaded file waits server-side
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


class ImportScreens:
    """The import engine's one set of screens: upload → 校验 → 导入有效数据 → 失败数据, and the template.

    A view mixes it in and exposes each step at its own URLs (`ImportView`: a unit's whole-file import;
    the class results view: per class, under /import/), passing the *subject* the import is about (None,
    or the training class). Hooks say what differs: the sheet, the store, the words, the audit summary,
    a refusal to upload, and the subject's part of the page and of every link."""

    store: UploadStore
    sheet_class: type
    index_template = "person_import/index.html"
    result_template = "person_import/result.html"
    template_name = ""  # the template's download name
    noun = "人"
    skip_noun = ""  # what a skipped row counts as (default: the noun)
    check_verbs = ("将新增", "将更新", "无变化将跳过", "有误")
    done_verbs = ("已新增", "已更新", "无变化已跳过", "有误未导入")
    summary_verbs = ("新增", "更新", "无变化跳过", "有误未导入")
    clash_message = "导入期间数据已被他人修改，未导入任何数据，请重新校验后再导入"
    #: step → this view's endpoint
    endpoints = {"index": ".index", "template": ".template", "upload": ".upload", "check": ".check",
                 "run": ".run", "failed": ".failed"}

    # ---- hooks ----------------------------------------------------------------------------------------

    def sheet(self, subject=None):
        raise NotImplementedError

    def store_for(self, subject) -> UploadStore:
        return self.store

    def summary(self, done: int) -> str | None:
        """The AuditLog summary of an import; None when the sheet's apply writes its own."""
        raise NotImplementedError

    def template_filename(self, subject) -> str:
        return self.template_name

    def upload_refusal(self, subject) -> str | None:
        """Why nothing may be uploaded for this subject now (e.g. a class no longer open), or None."""
        return None

    def subject_context(self, subject) -> dict:
        """The subject's template values; `url_args` go into every link and form action of the screens."""
        return {"url_args": {}}

    def words(self) -> dict:
        return {"noun": self.noun, "skip_noun": self.skip_noun or self.noun, "check_verbs": self.check_verbs,
                "done_verbs": self.done_verbs, "summary_verbs": self.summary_verbs}

    # ---- the steps ----------------------------------------------------------------------------------

    def _screen(self, template, subject, **values):
        return self.render(template, endpoints=self.endpoints, **self.subject_context(subject), **self.words(),
                           **values)

    def _stored(self, subject, token):
        """The actor's own uploaded file behind this token, or 404 (foreign, forged, expired or gone)."""
        found = self.store_for(subject).load(token, current_actor())
        if found is None:
            abort(404)
        return found

    def _report(self, subject, token):
        content, kind, original_name = self._stored(subject, token)
        sheet = self.sheet(subject)
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

    def _index(self, subject, form=None, error=None, status=200):
        return self._screen(
            self.index_template, subject, form=form or UploadForm(), error=error,
            max_mb=current_app.config["MAX_UPLOAD_MB"], max_rows=self.sheet_class.max_rows,
        ), status

    def _template(self, subject):
        return self._xlsx(template_workbook(self.sheet(subject)), self.template_filename(subject))

    def _upload(self, subject):
        form = UploadForm()
        if not form.validate_on_submit():
            return self._index(subject, form, "页面已过期，请刷新后重新上传", 400)
        refusal = self.upload_refusal(subject)
        if refusal:
            return self._index(subject, form, refusal)
        sheet = self.sheet(subject)
        try:
            content, kind = read_bytes(request.files.get("file"))
            frame = frame_of(content, kind, sheet)
        except ImportRefused as refused:
            return self._index(subject, form, str(refused))
        name = request.files["file"].filename
        token = self.store_for(subject).save(content, kind, name, current_actor())
        return self._check_page(subject, validate(frame, sheet), token, name)

    def _check_page(self, subject, report, token, original_name):
        return self._screen(
            "person_import/check.html", subject, report=report, counts=report.counts, token=token,
            original_name=original_name, failed=report.failed[:SHOWN_FAILURES], run_form=RunForm(token=token),
            CREATE=CREATE, UPDATE=UPDATE, SKIP=SKIP,
        )

    def _check(self, subject):
        token = request.args.get("token")
        report, original_name = self._report(subject, token)
        return self._check_page(subject, report, token, original_name)

    def _run(self, subject):
        form = RunForm()
        if not form.validate_on_submit():
            abort(400)
        token = form.token.data
        report, original_name = self._report(subject, token)
        counts = report.counts
        error = None
        done = counts[CREATE] + counts[UPDATE]
        if done:
            try:
                summary = self.summary(done)
                if summary is None:
                    report.sheet.apply(report.valid)
                else:
                    with audit.audit_as(AuditAction.IMPORT, summary):
                        report.sheet.apply(report.valid)
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                error = self.clash_message
            except WorkflowError as refused:  # something changed since the validation page
                db.session.rollback()
                error = f"未导入任何数据：{refused}。请重新上传校验后再导入"
        return self._screen(
            self.result_template, subject, counts=counts, error=error, token=token,
            original_name=original_name, CREATE=CREATE, UPDATE=UPDATE, SKIP=SKIP,
        )

    def _failed(self, subject):
        report, original_name = self._report(subject, request.args.get("token"))
        stem = original_name.rpartition(".")[0] or "导入文件"
        return self._xlsx(failed_rows_workbook(report), f"{stem}_失败数据.xlsx")


class ImportView(ImportScreens, PageView):
    """A unit's whole-file import (批量导入 of people, 继续教育记录批量申报): a page, not a model list, with
    the same access gate as every ScopedModelView; the subject is the acting unit itself (None)."""

    module: str

    def __init__(self, model=None, name=None, category=None, endpoint=None, **kwargs):
        super().__init__(name=name, category=category, endpoint=endpoint, **kwargs)

    @expose("/")
    def index(self):
        return self._index(None)

    @expose("/template/")
    @reads()
    def template(self):
        return self._template(None)

    @expose("/upload/", methods=["POST"])
    @reads()
    def upload(self):
        return self._upload(None)

    @expose("/check/")
    @reads()
    def check(self):
        return self._check(None)

    @expose("/run/", methods=["POST"])
    @reads()
    def run(self):
        return self._run(None)

    @expose("/failed/")
    @reads()
    def failed(self):
        return self._failed(None)


class PersonImportView(ImportView):
    """批量导入专业技术人员 (imports/persons.py)."""

    module = "person_import"
    store = UploadStore("person_import")
    sheet_class = PersonSheet
    template_name = "专业技术人员批量导入模板.xlsx"
    clash_message = "导入期间数据已被他人修改（公民身份号码重复），未导入任何数据，请重新校验后再导入"

    def sheet(self, subject=None) -> PersonSheet:
        return PersonSheet(current_actor().org_id)

    def summary(self, done: int) -> str:
        return f"批量导入专业技术人员：{done} 人"


VIEWS = [(PersonImportView, None, "专业技术人员管理", "person_import")]
