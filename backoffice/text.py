"""Which characters user text may hold: the one rule behind the input filter, the import and the exports.

Refused everywhere: NUL (PostgreSQL cannot store it), the other C0 control characters and DEL, the C1
control characters (\\x80–\\x9f), lone surrogates and the non-characters U+FFFE / U+FFFF. openpyxl
refuses most of them in a cell (IllegalCharacterError), so one stored control character would break
every XLSX export holding its row. Tab, line feed and carriage return are text in a multi-line box
(TextAreaField) and control characters anywhere else: a browser never sends them from a one-line input.
Emoji and every other printable character are ordinary text.
"""
import re

MESSAGE = "不能包含控制字符"

_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_MULTI_LINE = re.compile(f"[{_CONTROL}]")
_ONE_LINE = re.compile(f"[\t\n\r{_CONTROL}]")


def has_control(text: str, *, multiline: bool = False) -> bool:
    """Does `text` hold a character that user input may not (line breaks allowed only if multi-line)?"""
    return (_MULTI_LINE if multiline else _ONE_LINE).search(text) is not None


def strip_control(text: str) -> str:
    """`text` without the characters no cell, export or log line may hold (tabs and line breaks stay).

    For text that is already stored or comes from a file: exports and the AuditLog stay writable
    whatever an older version or an import let in."""
    return _MULTI_LINE.sub("", text)
