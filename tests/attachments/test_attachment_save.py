"""save / for_owner / delete: what is accepted, what is refused, and files that follow the database."""
import io
import zipfile

import pytest
from sqlalchemy import select

from attachment_helpers import (
    DOCX, EXE, HTML, JPEG, OLE, PDF, PNG, XLSX, ZIP_NOT_OFFICE, acting, org_named, stored, upload,
)
from backoffice import attachments, ooxml
from backoffice.attachments import AttachmentError
from backoffice.extensions import db
from backoffice.models import AuditLog
from backoffice.workflows import WorkflowError


@pytest.mark.parametrize(
    "content,filename,content_type,label",
    [
        (PDF, "统一社会信用代码证.pdf", "application/pdf", "PDF"),
        (JPEG, "营业执照.JPG", "image/jpeg", "JPG"),
        (JPEG, "照片.jpeg", "image/jpeg", "JPG"),
        (PNG, "扫描件.png", "image/png", "PNG"),
        (DOCX, "申请表.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
        (XLSX, "人员名单.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
        (OLE, "旧申请表.doc", "application/msword", "Word"),
        (OLE, "旧名单.xls", "application/vnd.ms-excel", "Excel"),
    ],
)
def test_allowed_types_are_stored_under_a_random_name(app, content, filename, content_type, label):
    with acting(app, "unit_c") as actor:
        row = attachments.save(upload(content, filename), "organisation", org_named("广州示范医院"), actor)
        assert (row.original_name, row.content_type, row.size) == (filename, content_type, len(content))
        assert attachments.type_label(row.content_type) == label
        assert row.uploaded_by_id == actor.user_id and row.uploaded_by_org_id == actor.org_id
        path = attachments.stored_path(row)
        assert path.read_bytes() == content
        assert filename.rpartition(".")[0] not in row.stored_name
        assert "static" not in path.parts


@pytest.mark.parametrize(
    "content,filename",
    [
        (EXE, "营业执照.pdf"),
        (HTML, "营业执照.pdf"),
        (HTML, "page.png"),
        (ZIP_NOT_OFFICE, "申请表.docx"),
        (DOCX, "申请表.zip"),
        (OLE, "伪装.pdf"),
        (b"just some text", "说明.txt"),
    ],
)
def test_content_decides_not_the_name(app, content, filename):
    with acting(app, "unit_c") as actor, pytest.raises(AttachmentError) as refused:
        attachments.save(upload(content, filename), "organisation", org_named("广州示范医院"), actor)
    assert str(refused.value) == "仅支持上传 PDF、JPG、PNG、Word、Excel 文件"
    assert isinstance(refused.value, WorkflowError)


def test_empty_and_too_large_files_are_refused(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    with acting(app, "unit_c") as actor:
        owner = org_named("广州示范医院")
        with pytest.raises(AttachmentError, match="上传的文件为空"):
            attachments.save(upload(b"", "空.pdf"), "organisation", owner, actor)
        too_big = PDF + b"0" * (1024 * 1024)
        with pytest.raises(AttachmentError, match="不能超过1MB"):
            attachments.save(upload(too_big, "大.pdf"), "organisation", owner, actor)
        just_fits = PDF + b"0" * (1024 * 1024 - len(PDF))
        assert attachments.save(upload(just_fits, "刚好.pdf"), "organisation", owner, actor).size == 1024 * 1024


def test_names_keep_no_folders_and_say_the_real_type(app):
    with acting(app, "unit_c") as actor:
        owner = org_named("广州示范医院")
        save = lambda content, name: attachments.save(upload(content, name), "organisation", owner, actor)
        assert save(PDF, "C:\\Users\\郑伟\\桌面\\证书.pdf").original_name == "证书.pdf"
        assert save(PDF, "../../etc/passwd.pdf").original_name == "passwd.pdf"
        assert save(PDF, "报告.exe").original_name == "报告.exe.pdf"
        long_name = save(PDF, "很" * 300 + ".pdf").original_name
        assert len(long_name) == 200 and long_name.endswith(".pdf")


def test_an_owner_outside_scope_is_refused(app):
    with acting(app, "unit_c") as actor, pytest.raises(AttachmentError, match="无权"):
        attachments.save(upload(PDF, "a.pdf"), "organisation", org_named("深圳示范科技有限公司"), actor)


def test_upload_is_audited_and_listed_oldest_first(app):
    with acting(app, "unit_c") as actor:
        owner = org_named("广州示范医院")
        first = attachments.save(upload(PDF, "一.pdf"), "organisation", owner, actor)
        second = attachments.save(upload(PNG, "二.png"), "organisation", owner, actor)
        listed = attachments.for_owner("organisation", owner.id)
        assert [a.id for a in listed] == [first.id, second.id]
        assert listed[0].uploaded_by.login == "unit_c"
        log = db.session.scalar(
            select(AuditLog).where(AuditLog.summary == "上传附件：一.pdf（广州示范医院）")
        )
        assert (log.action, log.object_type, log.user_id) == ("create", "attachment", actor.user_id)


def test_a_rolled_back_upload_leaves_no_file(app):
    with acting(app, "unit_c") as actor:
        row = attachments.save(upload(PDF, "a.pdf"), "organisation", org_named("广州示范医院"), actor)
        path = attachments.stored_path(row)
        assert path.exists()
        db.session.rollback()
        assert not path.exists()


def test_delete_removes_row_and_file_once_committed(app):
    attachment_id, path = stored(app, PDF, "a.pdf")
    with acting(app, "unit_c") as actor:
        attachments.delete(db.session.get(attachments.Attachment, attachment_id), actor)
        db.session.rollback()  # the deletion did not happen: the file must still be there
        assert path.exists()
        attachments.delete(db.session.get(attachments.Attachment, attachment_id), actor)
        assert attachments.for_owner("organisation", org_named("广州示范医院").id) == []
        db.session.commit()
        assert not path.exists()
        log = db.session.scalar(
            select(AuditLog).where(AuditLog.object_type == "attachment", AuditLog.action == "delete")
        )
        assert log.summary == "删除附件：a.pdf"


@pytest.mark.parametrize("part,filename", [("word/document.xml", "申请表.docx"), ("xl/workbook.xml", "名单.xlsx")])
def test_office_files_that_unpack_far_beyond_their_size_are_refused(app, part, filename):
    """A zip bomb: 5 MB of zeros packed into a few KB (issue #15 item 10)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(part, "<xml/>")
        archive.writestr("media/padding.bin", b"\x00" * (5 * 1024 * 1024))
    with acting(app, "unit_c") as actor, pytest.raises(AttachmentError) as refused:
        attachments.save(upload(buffer.getvalue(), filename), "organisation", org_named("广州示范医院"), actor)
    assert str(refused.value) == ooxml.SUSPICIOUS
