"""Field validators for Chinese identifiers and account data (no Flask).

Each ``check_*`` function returns ``None`` when the value is valid, otherwise a
short Simplified-Chinese message to show next to the form field.  Checks strip
surrounding whitespace (and normalise case / the org-code hyphen) first; store
the ``normalize_*`` output, e.g. WTForms ``filters=[normalize_citizen_id]``.
The WTForms classes at the bottom (``CitizenId()``, ``Password()``, ...) wrap
the checks and skip empty values, leaving those to DataRequired/Optional.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from wtforms.validators import ValidationError

from .clock import beijing_today


def _clean(value: str | None) -> str:
    return (value or "").strip()


# --- 公民身份号码 (GB 11643-1999) ------------------------------------------
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)
_PROVINCE_CODES = frozenset([*range(11, 16), *range(21, 24), *range(31, 38),
                             *range(41, 47), *range(50, 55), *range(61, 66),
                             71, 81, 82, 83, 91])


def _id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return _ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def _id_birth(number: str) -> date | None:
    try:
        return datetime.strptime(number[6:14], "%Y%m%d").date()
    except ValueError:
        return None


def normalize_citizen_id(value: str | None) -> str:
    """Strip whitespace and uppercase (a trailing ``x`` becomes ``X``)."""
    return _clean(value).upper()


def check_citizen_id(value: str | None, *, today: date | None = None) -> str | None:
    """居民身份证号码, GB 11643-1999: 6-digit 行政区划代码 (first two digits
    = province), birth date YYYYMMDD (1900-01-01 .. today), 3-digit 顺序码
    (odd = male) and an ISO 7064 MOD 11-2 check char (0-9 or X).
    ``today`` overrides the reference date for "not in the future"."""
    number = normalize_citizen_id(value)
    if len(number) != 18:
        return "公民身份号码应为18位"
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return "公民身份号码格式不正确"
    if int(number[:2]) not in _PROVINCE_CODES:
        return "公民身份号码中的地区代码无效"
    birth = _id_birth(number)
    if birth is None or not date(1900, 1, 1) <= birth <= (today or beijing_today()):
        return "公民身份号码中的出生日期无效"
    if _id_check_char(number[:17]) != number[17]:
        return "公民身份号码校验位不正确"
    return None


def birth_date_from_id(value: str) -> date:
    """Birth date in positions 7-14; ValueError if it is not a real date."""
    number = normalize_citizen_id(value)
    birth = _id_birth(number) if len(number) == 18 else None
    if birth is None:
        raise ValueError(f"no valid birth date in citizen ID {value!r}")
    return birth


def sex_from_id(value: str) -> str:
    """"男" when the 17th character (end of 顺序码) is odd, else "女"."""
    number = normalize_citizen_id(value)
    if len(number) != 18 or not "0" <= number[16] <= "9":
        raise ValueError(f"not an 18-character citizen ID: {value!r}")
    return "男" if int(number[16]) % 2 else "女"


def check_id_consistency(id_number: str | None, birth_date: date | None,
                         sex: str | None) -> str | None:
    """Compare a declared birth date / sex ("男"/"女") with the ID number.
    ``None`` skips that comparison; an empty ID skips everything and an
    invalid one returns its own check_citizen_id error."""
    if not normalize_citizen_id(id_number):
        return None
    error = check_citizen_id(id_number)
    if error:
        return error
    if isinstance(birth_date, datetime):
        birth_date = birth_date.date()
    if birth_date is not None and birth_date != birth_date_from_id(id_number):
        return "出生日期与公民身份号码不一致"
    if sex is not None and sex != sex_from_id(id_number):
        return "性别与公民身份号码不一致"
    return None


def make_citizen_id(region6: str, birth: date, seq3: str) -> str:
    """Region code + birth date + 顺序码, with the check char appended."""
    if not (re.fullmatch(r"[0-9]{6}", region6) and re.fullmatch(r"[0-9]{3}", seq3)):
        raise ValueError("region6 must be 6 digits and seq3 3 digits")
    first17 = f"{region6}{birth:%Y%m%d}{seq3}"
    return first17 + _id_check_char(first17)


# --- 统一社会信用代码 (GB 32100-2015) --------------------------------------
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 0-9A-Z without I O S V Z
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, ...


def _uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def normalize_uscc(value: str | None) -> str:
    """Strip whitespace and uppercase."""
    return _clean(value).upper()


def check_uscc(value: str | None) -> str | None:
    """统一社会信用代码, GB 32100-2015: 18 chars of 0-9A-Z minus I O S V Z =
    登记管理部门码 (1) + 机构类别码 (1) + 行政区划码 (6) + 组织机构代码
    (9, positions 9-17) + check char: weights 3^i mod 31, check = 31 -
    (sum mod 31), 31 written 0.  The embedded org code is not re-checked."""
    code = normalize_uscc(value)
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return "统一社会信用代码格式不正确"
    if _uscc_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确"
    return None


def make_uscc(first17: str) -> str:
    """Append the GB 32100 check character to 17 charset characters."""
    first17 = first17.upper()
    if len(first17) != 17 or any(c not in _USCC_CHARS for c in first17):
        raise ValueError("first17 must be 17 characters of the USCC charset")
    return first17 + _uscc_check_char(first17)


# --- 组织机构代码 (GB 11714-1997) ------------------------------------------
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_check_char(body8: str) -> str:
    # int(ch, 36) maps 0-9 to 0-9 and A-Z to 10-35.
    c = 11 - sum(int(ch, 36) * w for ch, w in zip(body8, _ORG_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def normalize_org_code(value: str | None) -> str:
    """Strip, uppercase and drop the optional "-" before the check char."""
    code = _clean(value).upper()
    return code[:8] + code[9] if len(code) == 10 and code[8] == "-" else code


def check_org_code(value: str | None) -> str | None:
    """组织机构代码, GB 11714-1997: 8-char body (digits / A-Z) + MOD 11 check
    char; weights 3,7,9,10,5,8,4,2, A=10..Z=35, C = 11 - (sum mod 11), 10
    written X and 11 written 0.  "XXXXXXXX-C" and "XXXXXXXXC" both accepted."""
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
    return None if re.fullmatch(r"1[3-9][0-9]{9}", _clean(value)) else "手机号码格式不正确"


def check_phone(value: str | None) -> str | None:
    """Office phone, 7-20 chars of digits and "-": optional area code and
    extension (020-83331234-801), no leading/trailing/double hyphen.
    Mobile numbers qualify too."""
    ok = re.fullmatch(r"(?=[0-9-]{7,20}$)[0-9]+(?:-[0-9]+)*", _clean(value))
    return None if ok else "联系电话格式不正确"


def check_postcode(value: str | None) -> str | None:
    """邮政编码: 6 digits."""
    return None if re.fullmatch(r"[0-9]{6}", _clean(value)) else "邮政编码应为6位数字"


def check_email(value: str | None) -> str | None:
    """A deliberately simple ASCII address pattern, at most 100 chars."""
    email = _clean(value)
    ok = len(email) <= 100 and re.fullmatch(
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", email)
    return None if ok else "邮箱格式不正确"


# --- accounts --------------------------------------------------------------
def check_login_name(value: str | None) -> str | None:
    """登录账号: 4-30 ASCII letters, digits or underscores."""
    name = _clean(value)
    if not re.fullmatch(r"[A-Za-z0-9_]*", name):
        return "登录账号只能包含字母、数字、下划线"
    if not 4 <= len(name) <= 30:
        return "登录账号长度应为4–30个字符"
    return None


_PASSWORD_PUNCT = "!@#$%^&*()_+-=.,?"


def _has_sequence(text: str, n: int = 4) -> bool:
    """n consecutive ascending or descending digits, or letters compared
    case-insensitively (abcd, DCBA, 1234, 4321); punctuation never counts."""
    keys = [("9", ord(c)) if "0" <= c <= "9" else
            ("a", ord(c.lower())) if c.isascii() and c.isalpha() else None
            for c in text]
    windows = (keys[i:i + n] for i in range(len(keys) - n + 1))
    return any(None not in w and len({k[0] for k in w}) == 1
               and {b[1] - a[1] for a, b in zip(w, w[1:])} in ({1}, {-1}) for w in windows)


def check_password(value: str | None, login_name: str | None = None) -> str | None:
    """Password policy: 8-16 chars of ASCII letters, digits and
    ``!@#$%^&*()_+-=.,?``; at least one letter and one digit; no run of 4
    sequential letters/digits; no 4 identical characters in a row
    (case-sensitive); must not contain the login name (case-insensitive)."""
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
    if _clean(login_name) and _clean(login_name).lower() in pw.lower():
        return "密码不能包含登录账号"
    return None


# --- WTForms wrappers: validators=[CitizenId()] ----------------------------
class _CheckValidator:
    """Raise ValidationError(message or check(field.data)); skip empty data."""

    check = staticmethod(lambda value: None)

    def __init__(self, message: str | None = None):
        self.message = message

    def _error(self, form, value) -> str | None:
        return self.check(value)

    def __call__(self, form, field) -> None:
        if field.data is None or (isinstance(field.data, str) and not field.data.strip()):
            return
        error = self._error(form, field.data)
        if error:
            raise ValidationError(self.message or error)


class CitizenId(_CheckValidator): check = staticmethod(check_citizen_id)  # noqa: E701
class Uscc(_CheckValidator): check = staticmethod(check_uscc)  # noqa: E701
class OrgCode(_CheckValidator): check = staticmethod(check_org_code)  # noqa: E701
class Mobile(_CheckValidator): check = staticmethod(check_mobile)  # noqa: E701
class Phone(_CheckValidator): check = staticmethod(check_phone)  # noqa: E701
class Postcode(_CheckValidator): check = staticmethod(check_postcode)  # noqa: E701
class LoginName(_CheckValidator): check = staticmethod(check_login_name)  # noqa: E701
class Email(_CheckValidator): check = staticmethod(check_email)  # noqa: E701


class Password(_CheckValidator):
    """``Password(login_field="login_name")``: also reject that field's value."""

    def __init__(self, login_field: str | None = None, message: str | None = None):
        super().__init__(message)
        self.login_field = login_field

    def _error(self, form, value) -> str | None:
        other = form._fields.get(self.login_field) if self.login_field else None
        login = other.data if other is not None else None
        return check_password(value, login if isinstance(login, str) else None)
