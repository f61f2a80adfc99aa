"""Field validators for Chinese identifiers and account data.

Every ``check_*`` function takes the raw value and returns ``None`` when it is
valid, otherwise a short Simplified-Chinese message suitable for display next
to a form field.  The ``check_*`` functions strip surrounding whitespace (and,
where stated, normalise case / separators) before checking; store the output
of the matching ``normalize_*`` function, e.g. via WTForms
``filters=[normalize_citizen_id]``.

The WTForms classes at the bottom (``CitizenId()``, ``Uscc()``, ...) wrap the
checks and skip empty values, which are left to ``DataRequired``/``Optional``.
This module is pure Python; it imports nothing from Flask.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from wtforms.validators import ValidationError

# --- 公民身份号码 (GB 11643-1999) ------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)
_PROVINCE_CODES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47),
     *range(50, 55), *range(61, 66), 71, 81, 82, 83, 91]
)
_MIN_BIRTH = date(1900, 1, 1)


def _id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    return _ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def normalize_citizen_id(value: str | None) -> str:
    """Strip whitespace and uppercase (a trailing ``x`` becomes ``X``)."""
    return (value or "").strip().upper()


def _parse_birth(number: str) -> date | None:
    try:
        return datetime.strptime(number[6:14], "%Y%m%d").date()
    except ValueError:
        return None


def check_citizen_id(value: str | None, *, today: date | None = None) -> str | None:
    """中华人民共和国居民身份证号码, GB 11643-1999.

    18 characters: 6-digit 行政区划代码 (first two digits = province), 8-digit
    birth date YYYYMMDD, 3-digit 顺序码 (odd = male) and an ISO 7064 MOD 11-2
    check character (0-9 or X).  ``today`` overrides the "not in the future"
    reference date (for tests).
    """
    number = normalize_citizen_id(value)
    if len(number) != 18:
        return "公民身份号码应为18位"
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return "公民身份号码格式不正确"
    if int(number[:2]) not in _PROVINCE_CODES:
        return "公民身份号码中的地区代码无效"
    birth = _parse_birth(number)
    if birth is None or not _MIN_BIRTH <= birth <= (today or date.today()):
        return "公民身份号码中的出生日期无效"
    if _id_check_char(number[:17]) != number[17]:
        return "公民身份号码校验位不正确"
    return None


def birth_date_from_id(value: str) -> date:
    """Birth date encoded in positions 7-14; raises ValueError if unreadable."""
    number = normalize_citizen_id(value)
    birth = _parse_birth(number) if len(number) == 18 else None
    if birth is None:
        raise ValueError(f"no valid birth date in citizen ID {value!r}")
    return birth


def sex_from_id(value: str) -> str:
    """"男" if the 17th character (顺序码 last digit) is odd, else "女"."""
    number = normalize_citizen_id(value)
    if len(number) != 18 or not "0" <= number[16] <= "9":
        raise ValueError(f"not an 18-character citizen ID: {value!r}")
    return "男" if int(number[16]) % 2 else "女"


def check_id_consistency(id_number: str | None, birth_date: date | None,
                         sex: str | None) -> str | None:
    """Compare a declared birth date / sex with the ID number.

    ``None`` for ``birth_date`` or ``sex`` skips that comparison; an empty
    ``id_number`` skips everything; an invalid one returns its own error.
    """
    if not normalize_citizen_id(id_number):
        return None
    error = check_citizen_id(id_number)
    if error:
        return error
    if birth_date is not None:
        if isinstance(birth_date, datetime):
            birth_date = birth_date.date()
        if birth_date != birth_date_from_id(id_number):
            return "出生日期与公民身份号码不一致"
    if sex is not None and sex != sex_from_id(id_number):
        return "性别与公民身份号码不一致"
    return None


def make_citizen_id(region6: str, birth: date, seq3: str) -> str:
    """Build a valid ID number from region code, birth date and 顺序码."""
    if not re.fullmatch(r"[0-9]{6}", region6) or not re.fullmatch(r"[0-9]{3}", seq3):
        raise ValueError("region6 must be 6 digits and seq3 3 digits")
    first17 = f"{region6}{birth:%Y%m%d}{seq3}"
    return first17 + _id_check_char(first17)


# --- 统一社会信用代码 (GB 32100-2015) --------------------------------------

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def _uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def normalize_uscc(value: str | None) -> str:
    """Strip whitespace and uppercase."""
    return (value or "").strip().upper()


def check_uscc(value: str | None) -> str | None:
    """统一社会信用代码, GB 32100-2015.

    18 characters from ``0-9A-Z`` minus I, O, S, V, Z: 登记管理部门码 (1),
    机构类别码 (1), 登记管理机关行政区划码 (6), 主体标识码 i.e. 组织机构代码
    (9, positions 9-17) and a check character: weights 3^i mod 31, check
    = 31 - (sum mod 31), with 31 written as 0.  The embedded 组织机构代码's
    own check digit is not enforced.
    """
    code = normalize_uscc(value)
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return "统一社会信用代码格式不正确"
    if _uscc_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确"
    return None


def make_uscc(first17: str) -> str:
    """Append the GB 32100 check character to 17 valid characters."""
    first17 = first17.upper()
    if len(first17) != 17 or any(c not in _USCC_CHARS for c in first17):
        raise ValueError("first17 must be 17 characters of the USCC charset")
    return first17 + _uscc_check_char(first17)


# --- 组织机构代码 (GB 11714-1997) ------------------------------------------

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_check_char(body8: str) -> str:
    # int(c, 36) maps 0-9 to 0-9 and A-Z to 10-35.
    c = 11 - sum(int(ch, 36) * w for ch, w in zip(body8, _ORG_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def normalize_org_code(value: str | None) -> str:
    """Strip, uppercase and drop the optional "-" before the check char."""
    code = (value or "").strip().upper()
    if len(code) == 10 and code[8] == "-":
        code = code[:8] + code[9]
    return code


def check_org_code(value: str | None) -> str | None:
    """组织机构代码, GB 11714-1997.

    8-character body (digits / uppercase letters) plus a MOD 11 check
    character: weights 3,7,9,10,5,8,4,2, letters A=10..Z=35,
    C = 11 - (sum mod 11) with 10 written "X" and 11 written "0".
    Accepts "XXXXXXXX-C" as well as "XXXXXXXXC".
    """
    code = normalize_org_code(value)
    if len(code) != 9:
        return "组织机构代码应为9位（不含“-”）"
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", code):
        return "组织机构代码格式不正确"
    if _org_check_char(code[:8]) != code[8]:
        return "组织机构代码校验位不正确"
    return None


def make_org_code(body8: str) -> str:
    """Append the GB 11714 check character (no hyphen) to an 8-char body."""
    body8 = body8.upper()
    if not re.fullmatch(r"[0-9A-Z]{8}", body8):
        raise ValueError("body8 must be 8 digits or uppercase letters")
    return body8 + _org_check_char(body8)


# --- contact details -------------------------------------------------------

def check_mobile(value: str | None) -> str | None:
    """Mainland mobile number: 11 digits starting 13-19."""
    if not re.fullmatch(r"1[3-9][0-9]{9}", (value or "").strip()):
        return "手机号码格式不正确"
    return None


def check_phone(value: str | None) -> str | None:
    """Office phone: 7-20 chars of digits and "-" (area code / extension
    optional, e.g. 020-83331234-801), starting and ending with a digit, no
    double hyphen.  Mobile numbers qualify too."""
    if not re.fullmatch(r"(?=[0-9-]{7,20}$)[0-9]+(?:-[0-9]+)*", (value or "").strip()):
        return "联系电话格式不正确"
    return None


def check_postcode(value: str | None) -> str | None:
    """邮政编码: 6 digits."""
    if not re.fullmatch(r"[0-9]{6}", (value or "").strip()):
        return "邮政编码应为6位数字"
    return None


def check_email(value: str | None) -> str | None:
    """A deliberately simple ASCII e-mail pattern, at most 100 chars."""
    email = (value or "").strip()
    if len(email) > 100 or not re.fullmatch(
            r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", email):
        return "Email格式不正确"
    return None


# --- accounts --------------------------------------------------------------

def check_login_name(value: str | None) -> str | None:
    """登录账号: 4-30 ASCII letters, digits or underscores."""
    name = (value or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_]*", name):
        return "登录账号只能包含字母、数字、下划线"
    if not 4 <= len(name) <= 30:
        return "登录账号长度应为4–30个字符"
    return None


_PASSWORD_PUNCT = "!@#$%^&*()_+-=.,?"


def _run_key(ch: str) -> tuple[str, int] | None:
    if "0" <= ch <= "9":
        return ("digit", ord(ch))
    if ch.isascii() and ch.isalpha():
        return ("letter", ord(ch.lower()))
    return None


def _has_sequence(text: str, n: int = 4) -> bool:
    """True if ``text`` has n consecutive ascending or descending letters
    (case-insensitive) or digits, e.g. abcd, DCBA, 1234, 4321."""
    keys = [_run_key(c) for c in text]
    for i in range(len(keys) - n + 1):
        window = keys[i:i + n]
        if None in window or len({k[0] for k in window}) != 1:
            continue
        steps = {b[1] - a[1] for a, b in zip(window, window[1:])}
        if steps in ({1}, {-1}):
            return True
    return False


def check_password(value: str | None, login_name: str | None = None) -> str | None:
    """Password policy: 8-16 chars of ASCII letters, digits and
    ``!@#$%^&*()_+-=.,?``; at least one letter and one digit; no run of 4
    sequential letters/digits (abcd, 4321); no 4 identical characters in a
    row; must not contain the login name (case-insensitive)."""
    pw = value or ""
    if not 8 <= len(pw) <= 16:
        return "密码长度应为8–16位"
    if any(not (c.isascii() and (c.isalnum() or c in _PASSWORD_PUNCT)) for c in pw):
        return "密码包含不允许的字符"
    if not (re.search(r"[A-Za-z]", pw) and re.search(r"[0-9]", pw)):
        return "密码必须为字母和数字混合"
    if _has_sequence(pw):
        return "密码不能包含4个或以上连续的字符（如abcd、1234）"
    if re.search(r"(.)\1{3}", pw):
        return "密码不能包含4个或以上相同的字符"
    if login_name and login_name.strip() and login_name.strip().lower() in pw.lower():
        return "密码不能包含登录账号"
    return None


# --- WTForms wrappers ------------------------------------------------------

class _CheckValidator:
    """Run ``check`` on ``field.data``; skip empty values.  ``message``
    overrides the check's own message."""

    check = staticmethod(lambda value: None)

    def __init__(self, message: str | None = None):
        self.message = message

    def _error(self, form, value) -> str | None:
        return self.check(value)

    def __call__(self, form, field):
        data = field.data
        if data is None or (isinstance(data, str) and not data.strip()):
            return
        error = self._error(form, data)
        if error:
            raise ValidationError(self.message or error)


class CitizenId(_CheckValidator):
    check = staticmethod(check_citizen_id)


class Uscc(_CheckValidator):
    check = staticmethod(check_uscc)


class OrgCode(_CheckValidator):
    check = staticmethod(check_org_code)


class Mobile(_CheckValidator):
    check = staticmethod(check_mobile)


class Phone(_CheckValidator):
    check = staticmethod(check_phone)


class Postcode(_CheckValidator):
    check = staticmethod(check_postcode)


class LoginName(_CheckValidator):
    check = staticmethod(check_login_name)


class Email(_CheckValidator):
    check = staticmethod(check_email)


class Password(_CheckValidator):
    """``Password(login_field="login_name")`` also rejects passwords that
    contain the value of that other form field."""

    def __init__(self, login_field: str | None = None, message: str | None = None):
        super().__init__(message)
        self.login_field = login_field

    def _error(self, form, value) -> str | None:
        login_name = None
        if self.login_field:
            try:
                login_name = form[self.login_field].data
            except KeyError:
                login_name = None
        return check_password(value, login_name if isinstance(login_name, str) else None)
