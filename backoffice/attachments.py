"""附件: uploaded documents of organisations and their requests (DESIGN §4, Uploads).

What this module guarantees:

- A file is accepted only if its *content* is an allowed type (PDF, JPEG, PNG, Word, Excel), it is
  not empty and not larger than `MAX_UPLOAD_MB`; the name a browser sends decides nothing except
  telling a .docx from an .xlsx (both are zip files), and a zip must really be that Office file and
  pass `ooxml.check_archive` (unpacked size and compression ratio), so nobody stores a zip bomb that
  the next reader would open.
- Files are stored under `UPLOAD_DIR` (never under static) with a random name; the original name is
  kept only for display and the download's Content-Disposition.
- The files on disk follow the database: a file written by `save` is removed again if the request
  rolls back, and a file whose row `delete` removed is unlinked only once the deletion is committed.
- Files are served only by `/attachments/<id>`, only to an identity who may see the owning row
  (`policy.visible(Attachment, actor)`), always as a download, never sniffed into HTML.

Callers flush, never commit: the request commits once.
"""
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, request, send_file, url_for
from flask_login import login_required
from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from . import audit, ooxml
from .extensions import db
from .labels import AuditAction
from .models import Attachment
from .policy import Actor, current_actor, visible
from .policy.scope import ATTACHMENT_OWNERS
from .route_params import reads
from .workflows import WorkflowError

bp = Blueprint("attachments", __name__, url_prefix="/attachments")

ALLOWED_MESSAGE = "仅支持上传 PDF、JPG、PNG、Word、Excel 文件"
NAME_MAX = 200
_WRITTEN = "attachments_written"  # session.info keys: files to undo on rollback / remove on commit
_REMOVED = "attachments_removed"


class AttachmentError(WorkflowError):
    """An upload refused: empty, too large or not an allowed type. The message is shown as is."""


@dataclass(frozen=True)
class FileType:
    label: str  # 附件类型 as users read it
    content_type: str
    extension: str
    other_extensions: tuple[str, ...] = ()

    def names(self, name: str) -> bool:
        """Does this file name already say it is of this type?"""
        return _extension(name) in (self.extension, *self.other_extensions)


PDF = FileType("PDF", "application/pdf", ".pdf")
JPEG = FileType("JPG", "image/jpeg", ".jpg", (".jpeg", ".jpe"))
PNG = FileType("PNG", "image/png", ".png")
DOCX = FileType("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = FileType("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
DOC = FileType("Word", "application/msword", ".doc")
XLS = FileType("Excel", "application/vnd.ms-excel", ".xls")
TYPES_BY_CONTENT_TYPE = {t.content_type: t for t in (PDF, JPEG, PNG, DOCX, XLSX, DOC, XLS)}

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The part every real Office Open XML file of that kind contains.
OOXML_MAIN_PART = {".docx": ("word/document.xml", DOCX), ".xlsx": ("xl/workbook.xml", XLSX)}
OLE_BY_EXTENSION = {".doc": DOC, ".xls": XLS}


# ---- checks ------------------------------------------------------------------------------------


def limit_mb() -> int:
    """The per-file limit in MB: MAX_UPLOAD_MB, or the request limit (MAX_CONTENT_LENGTH) it sets."""
    configured = current_app.config.get("MAX_UPLOAD_MB")
    if configured:
        return int(configured)
    return max(1, int(current_app.config["MAX_CONTENT_LENGTH"]) // (1024 * 1024))


def clean_name(filename: str | None) -> str:
    """The name to show: no folders, no control characters, at most 200 characters (extension kept)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    if not name:
        name = "附件"
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) < 10:
            name = stem[: NAME_MAX - len(extension) - 1] + "." + extension
        else:
            name = name[:NAME_MAX]
    return name


def _extension(name: str) -> str:
    return "." + name.rpartition(".")[2].lower() if "." in name else ""


def detect_type(content: bytes, name: str) -> FileType | None:
    """The allowed type this content really is, or None. Zip and OLE containers need the extension to
    say which Office kind they are, and a zip must contain that kind's main part; a zip that would
    unpack too large or too many times its size is refused (AttachmentError with the reason)."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    extension = _extension(name)
    if content.startswith(ZIP_MAGIC) and extension in OOXML_MAIN_PART:
        part, file_type = OOXML_MAIN_PART[extension]
        try:
            with ooxml.check_archive(content) as archive:
                return file_type if part in archive.namelist() else None
        except ooxml.UnsafeArchive as unsafe:
            raise AttachmentError(str(unsafe)) from None
        except (zipfile.BadZipFile, ValueError, OSError):  # damaged: not the Office file it claims to be
            return None
    if content.startswith(OLE_MAGIC):
        return OLE_BY_EXTENSION.get(extension)
    return None


def _read_limited(file_storage, limit: int) -> bytes:
    stream = file_storage.stream
    if hasattr(stream, "seek"):
        stream.seek(0)
    return stream.read(limit + 1)


# ---- operations ---------------------------------------------------------------------------------


def stored_path(attachment: Attachment) -> Path:
    """Where the file of this row lives on disk."""
    return Path(current_app.config["UPLOAD_DIR"]) / attachment.stored_name


def _owner_model(owner_type: str) -> type:
    if owner_type not in ATTACHMENT_OWNERS:
        raise ValueError(f"unknown attachment owner type {owner_type!r}")
    return ATTACHMENT_OWNERS[owner_type]


def save(file_storage, owner_type: str, owner, actor: Actor) -> Attachment:
    """Store one uploaded file for `owner` (a row of ATTACHMENT_OWNERS[owner_type]) and add its row.

    Refuses with AttachmentError an empty file, a file over MAX_UPLOAD_MB, a type not allowed by its
    content, and an owner outside the actor's scope. Flushes; the audit flush hook records the row.
    """
    model = _owner_model(owner_type)
    if not isinstance(owner, model):
        raise ValueError(f"owner of type {owner_type!r} must be a {model.__name__}")
    in_scope = db.session.scalar(select(model.id).where(model.id == owner.id, visible(model, actor)))
    if in_scope is None:
        raise AttachmentError("无权为该记录上传附件")

    megabytes = limit_mb()
    content = _read_limited(file_storage, megabytes * 1024 * 1024)
    if not content:
        raise AttachmentError("上传的文件为空，请重新选择文件")
    if len(content) > megabytes * 1024 * 1024:
        raise AttachmentError(f"上传的文件不能超过{megabytes}MB")
    original_name = clean_name(file_storage.filename)
    file_type = detect_type(content, original_name)
    if file_type is None:
        raise AttachmentError(ALLOWED_MESSAGE)
    if not file_type.names(original_name):
        # "报告.exe" holding a PDF is downloaded as "报告.exe.pdf": the name never lies about the type.
        original_name = clean_name(original_name[: NAME_MAX - len(file_type.extension)] + file_type.extension)

    folder = Path(current_app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + file_type.extension
    path = folder / stored_name
    path.write_bytes(content)
    db.session.info.setdefault(_WRITTEN, []).append(path)

    attachment = Attachment(
        owner_type=owner_type,
        owner_id=owner.id,
        original_name=original_name,
        stored_name=stored_name,
        content_type=file_type.content_type,
        size=len(content),
        uploaded_by_id=actor.user_id,
        uploaded_by_org_id=actor.org_id,
    )
    with audit.audit_as(AuditAction.CREATE, f"上传附件：{original_name}（{owner}）"):
        db.session.add(attachment)
        db.session.flush()
    return attachment


def for_owner(owner_type: str, owner_id: int) -> list[Attachment]:
    """The attachments of one row, oldest first, with their uploader. The caller has checked the owner."""
    _owner_model(owner_type)
    return list(
        db.session.scalars(
            select(Attachment)
            .options(selectinload(Attachment.uploaded_by))
            .where(Attachment.owner_type == owner_type, Attachment.owner_id == owner_id)
            .order_by(Attachment.uploaded_at, Attachment.id)
        )
    )


def delete(attachment: Attachment, actor: Actor) -> None:
    """Remove the row (flushed, audited); the file goes once the deletion is committed."""
    path = stored_path(attachment)
    with audit.audit_as(AuditAction.DELETE, f"删除附件：{attachment.original_name}"):
        db.session.delete(attachment)
        db.session.flush()
    db.session.info.setdefault(_REMOVED, []).append(path)


def _unlink(paths) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass  # a file we cannot remove is an orphan without a row: never served, harmless


@event.listens_for(Session, "after_commit")
def _files_follow_commit(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    _unlink(session.info.pop(_REMOVED, []))


@event.listens_for(Session, "after_soft_rollback")
def _files_follow_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole unit of work is gone, not just a savepoint
        _unlink(session.info.pop(_WRITTEN, []))
        session.info.pop(_REMOVED, None)


# ---- download and templates -----------------------------------------------------------------------


@bp.get("/<int:attachment_id>")
@login_required
@reads(attachment_id=Attachment)
def download(attachment_id: int):
    actor = current_actor()
    if actor is None:
        return redirect(url_for("auth.select_org", next=request.full_path))
    if attachment_id >= 2**31:
        abort(404)
    row = db.session.scalar(
        select(Attachment).where(Attachment.id == attachment_id, visible(Attachment, actor))
    )
    if row is None:
        abort(404)
    folder = Path(current_app.config["UPLOAD_DIR"]).resolve()
    path = (folder / row.stored_name).resolve()
    if path.parent != folder or not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=row.content_type,
        as_attachment=True,
        download_name=row.original_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.app_template_filter("attachment_type")
def type_label(content_type: str) -> str:
    file_type = TYPES_BY_CONTENT_TYPE.get(content_type)
    return file_type.label if file_type else "其他"
