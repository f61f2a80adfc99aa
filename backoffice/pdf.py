"""PDFs with Chinese text (certificates): xhtml2pdf with a CJK TrueType font registered once.

xhtml2pdf only embeds TrueType outlines: Debian's WenQuanYi Zen Hei (fonts-wqy-zenhei) or Micro Hei, or
the WenQuanYi Micro Hei the PyPI package `paperang-p2-fonts-cjk` ships (shared/STACK-NOTES.md; Noto CJK
is CFF and does not work, reportlab's STSong-Light is never embedded). `CJK_FONT_PATH` names the file;
without it the first of `CANDIDATES` that exists is used. `make install` provides one
(`python -m backoffice.pdf --ensure`), and the app refuses to print rather than print boxes.

The font is registered with reportlab once per process and the CSS family `cjk` mapped to it: a page
renders in tens of milliseconds instead of re-reading a 10–20 MB file for every document.
"""
import importlib.util
import io
import os
import sys
from pathlib import Path

from flask import current_app

FAMILY = "cjk"
DEBIAN = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]
PYPI_PACKAGE = "paperang_p2_fonts_cjk"  # pip: paperang-p2-fonts-cjk (WenQuanYi Micro Hei)
MISSING = (
    "没有可嵌入PDF的中文字体，无法生成证书：请安装 Debian 的 fonts-wqy-zenhei（apt-get install fonts-wqy-zenhei），"
    "或 pip install paperang-p2-fonts-cjk，或用 CJK_FONT_PATH 指定一个 TrueType 中文字体文件"
)


class FontMissing(RuntimeError):
    """No CJK TrueType font: a certificate would print as boxes, so none is printed."""


def _pypi_font() -> str | None:
    spec = importlib.util.find_spec(PYPI_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return str(Path(next(iter(spec.submodule_search_locations))) / "fonts" / "wqy-microhei.ttc")


def candidates(configured: str | None = None) -> list[str]:
    found = [configured] if configured else []
    return found + DEBIAN + [path for path in [_pypi_font()] if path]


def find_font(configured: str | None = None) -> str | None:
    """The font file to embed: the configured one (which must exist), else the first candidate found."""
    if configured:
        return configured if os.path.isfile(configured) else None
    return next((path for path in candidates() if os.path.isfile(path)), None)


_registered: dict[str, str] = {}  # family → the file registered for it in this process


def _register(path: str) -> None:
    if _registered.get(FAMILY) == path:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from xhtml2pdf.default import DEFAULT_FONT

    pdfmetrics.registerFont(TTFont(FAMILY, path, subfontIndex=0))
    DEFAULT_FONT[FAMILY] = FAMILY  # the CSS `font-family: cjk` of the templates
    _registered[FAMILY] = path


def render(html: str) -> bytes:
    """The PDF of an HTML document whose text uses `font-family: cjk`; FontMissing without a font."""
    from xhtml2pdf import pisa

    path = find_font(current_app.config.get("CJK_FONT_PATH"))
    if path is None:
        raise FontMissing(MISSING)
    _register(path)
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"PDF生成失败（{result.err}个错误）")
    return out.getvalue()


if __name__ == "__main__":  # `python -m backoffice.pdf --ensure`: used by `make install`
    path = find_font(os.environ.get("CJK_FONT_PATH"))
    if path is None:
        print(MISSING, file=sys.stderr)
        sys.exit(1)
    print(f"中文字体：{path}")
