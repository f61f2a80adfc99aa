"""Sample files and a way to store one as a given demo identity, the way a screen calls `save`."""
import io
import zipfile
from contextlib import contextmanager

from flask import g
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from backoffice import attachments
from backoffice.extensions import db
from backoffice.models import Organisation, User
from backoffice.policy import available_contexts, build_actor


def _zip(*parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for part in parts:
            archive.writestr(part, "<xml/>")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
DOCX = _zip("word/document.xml")
XLSX = _zip("xl/workbook.xml")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
ZIP_NOT_OFFICE = _zip("payload.js")


def upload(content: bytes, filename: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=filename, content_type="application/octet-stream")


def actor_of(login: str, org: str | None = None):
    user = db.session.scalar(select(User).where(User.login == login))
    key = next(c.key for c in available_contexts(user) if org is None or c.label.startswith(org))
    return build_actor(user, key)


def org_named(name: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


@contextmanager
def acting(app, login: str, org: str | None = None):
    """A request context in which `login` acts (as a screen's request would)."""
    with app.test_request_context():
        g.actor = actor_of(login, org)
        yield g.actor


def stored(app, content: bytes, filename: str, owner: str = "广州示范医院", login: str = "unit_c"):
    """Save one file for an organisation and commit it; returns (attachment id, stored path)."""
    with acting(app, login) as actor:
        row = attachments.save(upload(content, filename), "organisation", org_named(owner), actor)
        db.session.commit()
        return row.id, attachments.stored_path(row)
