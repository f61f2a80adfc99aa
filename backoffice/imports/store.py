"""The uploaded import file, kept server-side between the validation page and the import."""
import re
import secrets
import time
from datetime import timedelta
from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer


class UploadStore:
    """Files under UPLOAD_DIR/imports/ with random names, found again only through a signed token that
    names the acting organisation and user. Files older than `max_age` are removed on the next upload."""

    folder_name = "imports"
    max_age = timedelta(days=1)
    _NAME = re.compile(r"[0-9a-f]{32}\.(xlsx|csv)")

    def __init__(self, purpose: str):
        self.purpose = purpose  # e.g. "person_import": a token of one import never opens another's file

    @property
    def folder(self) -> Path:
        return Path(current_app.config["UPLOAD_DIR"]) / self.folder_name

    def _signer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"imports.{self.purpose}")

    def save(self, content: bytes, kind: str, original_name: str, actor) -> str:
        self.remove_stale()
        self.folder.mkdir(parents=True, exist_ok=True)
        stored = f"{secrets.token_hex(16)}.{kind}"
        (self.folder / stored).write_bytes(content)
        name = (original_name or "").replace("\\", "/").rsplit("/", 1)[-1][:100]
        return self._signer().dumps({"f": stored, "o": actor.org_id, "u": actor.user_id, "n": name})

    def load(self, token: str | None, actor) -> tuple[bytes, str, str] | None:
        """(content, kind, original name) if the token is genuine, fresh and the actor's own; else None."""
        if not token:
            return None
        try:
            data = self._signer().loads(token, max_age=int(self.max_age.total_seconds()))
        except BadSignature:
            return None
        if not isinstance(data, dict) or data.get("o") != actor.org_id or data.get("u") != actor.user_id:
            return None
        stored = str(data.get("f", ""))
        if not self._NAME.fullmatch(stored):
            return None
        path = self.folder / stored
        if not path.is_file():
            return None
        return path.read_bytes(), stored.rpartition(".")[2], str(data.get("n", ""))

    def remove_stale(self) -> None:
        if not self.folder.is_dir():
            return
        cutoff = time.time() - self.max_age.total_seconds()
        for path in self.folder.iterdir():
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                pass  # another worker removed it first
