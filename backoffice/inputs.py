"""The request screen: one `before_request` that refuses, with the Chinese 400 page, what no view may see.

- Query parameters (list search, filters, sort, page, ids, tokens, `next`…): a control character or a
  value longer than MAX_ARG_LENGTH. Nobody types these into a URL; a link never carries them. Numbers
  are range-checked where they are read (`views.base`), text reaches no query unscreened.
- Posted fields: NUL (PostgreSQL cannot store it, and no browser sends it from a keyboard). Other
  control characters in posted text are the forms' business: `forms.BaseForm` names them next to the
  field, so a clerk who pasted a stray character keeps what was typed.
"""
from flask import Flask, current_app, render_template, request

from .text import has_control

MAX_ARG_LENGTH = 2000
BAD_ARGS = "请求参数包含控制字符或过长，请检查后重试"
BAD_FORM = "提交的内容包含无效字符（NUL），请检查后重试"


def refusal() -> str | None:
    """Why the current request is refused before any view runs, or None."""
    for key, value in request.args.items(multi=True):
        if has_control(key) or has_control(value) or len(value) > MAX_ARG_LENGTH:
            return BAD_ARGS
    if request.method == "POST":
        for key, value in request.form.items(multi=True):
            if "\x00" in key or "\x00" in value:
                return BAD_FORM
    return None


def init_app(app: Flask) -> None:
    @app.before_request
    def screen_input():
        message = refusal()
        if message is None:
            return None
        current_app.logger.info("input refused: %s %s", request.method, request.path)
        return render_template("error.html", code=400, message=message), 400
