"""Tests for backoffice.validators (pure functions + WTForms wrappers)."""
from datetime import date, datetime, timedelta

import pytest
from wtforms import Form, StringField

from backoffice import validators as v
from backoffice.clock import beijing_today


# --- helpers independent of the module under test ---------------------------

def iso7064_mod11_2(first17: str) -> str:
    """ISO 7064 MOD 11-2 written with powers of two instead of a weight table."""
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(first17))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def with_id_check(first17: str) -> str:
    return first17 + iso7064_mod11_2(first17)


# --- 公民身份号码 ------------------------------------------------------------

LITERAL_ID = "11010519491231002X"


def test_literal_citizen_id_hand_checked():
    # 1*7+1*9+0+1*5+0+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0+0+2*2 = 167;
    # 167 % 11 = 2 -> "10X98765432"[2] = "X"
    assert iso7064_mod11_2(LITERAL_ID[:17]) == "X"
    assert v.check_citizen_id(LITERAL_ID) is None
    assert v.birth_date_from_id(LITERAL_ID) == date(1949, 12, 31)
    assert v.sex_from_id(LITERAL_ID) == "女"


@pytest.mark.parametrize("region, birth, seq", [
    ("110105", date(1949, 12, 31), "002"),
    ("440106", date(1985, 2, 28), "317"),
    ("440106", date(2000, 2, 29), "120"),
    ("650102", date(1900, 1, 1), "001"),
    ("810000", date(1999, 7, 1), "555"),
    ("830000", date(1975, 10, 10), "004"),
    ("910000", date(2010, 5, 5), "009"),
])
def test_make_citizen_id_matches_standard_and_is_valid(region, birth, seq):
    number = v.make_citizen_id(region, birth, seq)
    assert number == with_id_check(f"{region}{birth:%Y%m%d}{seq}")
    assert v.check_citizen_id(number) is None
    assert v.birth_date_from_id(number) == birth
    assert v.sex_from_id(number) == ("男" if int(seq[-1]) % 2 else "女")


def test_every_check_char_is_reachable():
    chars = {v.make_citizen_id("440106", date(1980, 1, 1), f"{n:03d}")[-1] for n in range(60)}
    assert chars == set("0123456789X")


def test_citizen_id_lowercase_x_and_whitespace_accepted():
    assert v.normalize_citizen_id("  11010519491231002x ") == LITERAL_ID
    assert v.check_citizen_id("11010519491231002x") is None
    assert v.check_citizen_id(f" {LITERAL_ID}\n") is None


@pytest.mark.parametrize("value, message", [
    ("", "公民身份号码应为18位"),
    (None, "公民身份号码应为18位"),
    (LITERAL_ID[:17], "公民身份号码应为18位"),
    (LITERAL_ID + "0", "公民身份号码应为18位"),
    ("110105194912310", "公民身份号码应为18位"),  # old 15-digit form
    ("11010519491231002Y", "公民身份号码格式不正确"),
    ("1101051949123100X2", "公民身份号码格式不正确"),
    ("１１010519491231002X", "公民身份号码格式不正确"),  # full-width digits
    ("110105194912310020", "公民身份号码校验位不正确"),
    ("110105194912310021", "公民身份号码校验位不正确"),
    (with_id_check("00010519491231002"), "公民身份号码中的地区代码无效"),
    (with_id_check("16010519491231002"), "公民身份号码中的地区代码无效"),
    (with_id_check("72010519491231002"), "公民身份号码中的地区代码无效"),
    (with_id_check("99010519491231002"), "公民身份号码中的地区代码无效"),
    (with_id_check("44010619850230123"), "公民身份号码中的出生日期无效"),  # Feb 30
    (with_id_check("44010619010229123"), "公民身份号码中的出生日期无效"),  # 1901 not leap
    (with_id_check("44010619851301123"), "公民身份号码中的出生日期无效"),  # month 13
    (with_id_check("44010619850100123"), "公民身份号码中的出生日期无效"),  # day 0
    (with_id_check("44010618991231123"), "公民身份号码中的出生日期无效"),  # before 1900
    (with_id_check("44010629991231123"), "公民身份号码中的出生日期无效"),  # future
])
def test_invalid_citizen_ids(value, message):
    assert v.check_citizen_id(value) == message


def test_citizen_id_birth_date_relative_to_today():
    today = beijing_today()
    assert v.check_citizen_id(v.make_citizen_id("440106", today, "123")) is None
    tomorrow = v.make_citizen_id("440106", today + timedelta(days=1), "123")
    assert v.check_citizen_id(tomorrow) == "公民身份号码中的出生日期无效"
    fixed = v.make_citizen_id("440106", date(2020, 6, 2), "123")
    assert v.check_citizen_id(fixed, today=date(2020, 6, 2)) is None
    assert v.check_citizen_id(fixed, today=date(2020, 6, 1)) == "公民身份号码中的出生日期无效"


@pytest.mark.parametrize("bad", ["", "1101051949", "11010519491331002X"])
def test_birth_date_from_id_rejects_unreadable(bad):
    with pytest.raises(ValueError):
        v.birth_date_from_id(bad)


def test_sex_from_id():
    assert v.sex_from_id(v.make_citizen_id("440106", date(1990, 1, 1), "011")) == "男"
    assert v.sex_from_id(v.make_citizen_id("440106", date(1990, 1, 1), "018")) == "女"
    with pytest.raises(ValueError):
        v.sex_from_id("12345")


@pytest.mark.parametrize("region, birth, seq", [
    ("44010", date(1990, 1, 1), "011"),
    ("4401061", date(1990, 1, 1), "011"),
    ("440106", date(1990, 1, 1), "11"),
    ("44010A", date(1990, 1, 1), "011"),
])
def test_make_citizen_id_rejects_bad_parts(region, birth, seq):
    with pytest.raises(ValueError):
        v.make_citizen_id(region, birth, seq)


MALE_ID = v.make_citizen_id("440106", date(1985, 3, 15), "137")


@pytest.mark.parametrize("birth, sex, expected", [
    (date(1985, 3, 15), "男", None),
    (datetime(1985, 3, 15, 0, 0), "男", None),
    (None, None, None),
    (None, "男", None),
    (date(1985, 3, 15), None, None),
    (date(1985, 3, 16), "男", "出生日期与公民身份号码不一致"),
    (date(1985, 3, 16), None, "出生日期与公民身份号码不一致"),
    (date(1985, 3, 15), "女", "性别与公民身份号码不一致"),
    (None, "女", "性别与公民身份号码不一致"),
])
def test_check_id_consistency(birth, sex, expected):
    assert v.check_id_consistency(MALE_ID, birth, sex) == expected


def test_check_id_consistency_id_edge_cases():
    assert v.check_id_consistency(LITERAL_ID.lower(), date(1949, 12, 31), "女") is None
    assert v.check_id_consistency("", date(1985, 3, 15), "男") is None
    assert v.check_id_consistency(None, None, None) is None
    assert v.check_id_consistency("110105194912310020", None, "女") == "公民身份号码校验位不正确"


# --- 统一社会信用代码 ----------------------------------------------------------

LITERAL_USCC = "91350100M000100Y43"


def test_literal_uscc_hand_checked():
    # indices 9,1,3,5,0,1,0,0,M=21,0,0,0,1,0,0,Y=30,4 with weights 3^i mod 31:
    # 9+3+27+135+26+420+8+900+112 = 1640; 1640 % 31 = 28; 31 - 28 = 3
    assert v.make_uscc(LITERAL_USCC[:17]) == LITERAL_USCC
    assert v.check_uscc(LITERAL_USCC) is None


@pytest.mark.parametrize("code", [
    LITERAL_USCC,
    "914403001922038216",  # published codes, checksum re-verified by hand/script
    "9144030071526726XG",
    "91330100716105852F",
    v.make_uscc("91440101" + v.make_org_code("12345678")),
    v.make_uscc("12100000" + v.make_org_code("40000000")),
    v.make_uscc("52440000" + v.make_org_code("MJL00001")),
    v.make_uscc("Y1440106" + v.make_org_code("00000001")),
    " 91350100m000100y43 ",  # normalised: stripped and uppercased
])
def test_valid_uscc(code):
    assert v.check_uscc(code) is None


def test_uscc_check_char_zero_for_sum_multiple_of_31():
    assert v.make_uscc("0" * 17) == "0" * 18
    assert v.check_uscc("0" * 18) is None


@pytest.mark.parametrize("code, message", [
    ("", "统一社会信用代码格式不正确"),
    (LITERAL_USCC[:17], "统一社会信用代码格式不正确"),
    (LITERAL_USCC + "1", "统一社会信用代码格式不正确"),
    ("91350100I000100Y43", "统一社会信用代码格式不正确"),
    ("91350100O000100Y43", "统一社会信用代码格式不正确"),
    ("91350100S000100Y43", "统一社会信用代码格式不正确"),
    ("91350100V000100Y43", "统一社会信用代码格式不正确"),
    ("91350100Z000100Y43", "统一社会信用代码格式不正确"),
    ("91350100M000100Y4-", "统一社会信用代码格式不正确"),
    ("91350100M000100Y44", "统一社会信用代码校验位不正确"),
    ("91350100M000100Y4A", "统一社会信用代码校验位不正确"),
    ("914403001922038217", "统一社会信用代码校验位不正确"),
])
def test_invalid_uscc(code, message):
    assert v.check_uscc(code) == message


@pytest.mark.parametrize("bad", ["9135010", "91350100M000100Y4I", "91350100M000100Y43"])
def test_make_uscc_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        v.make_uscc(bad)


# --- 组织机构代码 --------------------------------------------------------------

def test_literal_org_code_hand_checked():
    # D=13: 13*3+2*7+1*9+4*10+3*5+5*8+6*4+9*2 = 199; 199 % 11 = 1; 11 - 1 = 10 -> X
    assert v.make_org_code("D2143569") == "D2143569X"
    assert v.check_org_code("D2143569-X") is None


@pytest.mark.parametrize("body, check", [
    ("D2143569", "X"),   # C = 10
    ("00000000", "0"),   # C = 11
    ("12345678", "8"),
    ("00000001", "9"),
    ("19220382", "1"),   # body of 914403001922038216
    ("71526726", "X"),   # body of 9144030071526726XG
    ("M000100Y", "4"),   # body of 91350100M000100Y43
])
def test_make_org_code(body, check):
    assert v.make_org_code(body) == body + check
    assert v.check_org_code(body + check) is None
    assert v.check_org_code(f"{body}-{check}") is None


@pytest.mark.parametrize("raw, normalised", [
    ("D2143569-X", "D2143569X"),
    ("d2143569-x", "D2143569X"),
    (" D2143569X ", "D2143569X"),
    ("D214-3569X", "D214-3569X"),  # only the hyphen before the check char goes
    (None, ""),
])
def test_normalize_org_code(raw, normalised):
    assert v.normalize_org_code(raw) == normalised


@pytest.mark.parametrize("code, message", [
    ("", "组织机构代码应为9位（不含“-”）"),
    ("D2143569", "组织机构代码应为9位（不含“-”）"),
    ("D2143569-", "组织机构代码格式不正确"),  # 9 chars, "-" as check char
    ("D2143569XX", "组织机构代码应为9位（不含“-”）"),
    ("D214-3569X", "组织机构代码应为9位（不含“-”）"),
    ("D2143569--X", "组织机构代码应为9位（不含“-”）"),
    ("D21435_9X", "组织机构代码格式不正确"),
    ("D2143569A", "组织机构代码格式不正确"),
    ("D2143569-1", "组织机构代码校验位不正确"),
    ("D21435690", "组织机构代码校验位不正确"),
])
def test_invalid_org_code(code, message):
    assert v.check_org_code(code) == message


@pytest.mark.parametrize("bad", ["D214356", "D214356-", "D2143569X"])
def test_make_org_code_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        v.make_org_code(bad)


# --- contact details ---------------------------------------------------------

@pytest.mark.parametrize("value, ok", [
    ("13800138000", True), ("19912345678", True), (" 15012345678 ", True),
    ("12800138000", False), ("23800138000", False), ("1380013800", False),
    ("138001380000", False), ("138-0013-8000", False), ("+8613800138000", False),
    ("１3800138000", False), ("", False),
])
def test_check_mobile(value, ok):
    assert v.check_mobile(value) == (None if ok else "手机号码格式不正确")


@pytest.mark.parametrize("value, ok", [
    ("020-83331234", True), ("83331234", True), ("020-83331234-801", True),
    ("0755-12345678", True), ("02083331234", True), ("13800138000", True),
    ("400-820-0820", True), ("8333123", True), ("0" * 20, True),
    ("833312", False), ("0" * 21, False), ("-83331234", False), ("83331234-", False),
    ("020--83331234", False), ("020 83331234", False), ("(020)83331234", False),
    ("020-8333123a", False), ("", False),
])
def test_check_phone(value, ok):
    assert v.check_phone(value) == (None if ok else "联系电话格式不正确")


@pytest.mark.parametrize("value, ok", [
    ("510000", True), ("100000", True), (" 510000", True),
    ("51000", False), ("5100000", False), ("51000a", False), ("５10000", False), ("", False),
])
def test_check_postcode(value, ok):
    assert v.check_postcode(value) == (None if ok else "邮政编码应为6位数字")


@pytest.mark.parametrize("value, ok", [
    ("zhang.san@example.com", True), ("li_si+cme@gd.gov.cn", True), ("A1%x@a-b.org", True),
    ("a@" + "b" * 95 + ".cn", True),   # exactly 100 chars
    ("a@" + "b" * 96 + ".cn", False),  # 101 chars
    ("zhangsan", False), ("zhangsan@", False), ("@example.com", False),
    ("zhang san@example.com", False), ("zhangsan@example", False),
    ("zhangsan@example.c", False), ("张三@example.com", False), ("a@b@example.com", False),
    ("", False),
])
def test_check_email(value, ok):
    assert v.check_email(value) == (None if ok else "邮箱格式不正确")


# --- accounts ----------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("admin", None), ("zhang_san01", None), ("abcd", None), ("a" * 30, None), ("____", None),
    ("abc", "登录账号长度应为4–30个字符"),
    ("a" * 31, "登录账号长度应为4–30个字符"),
    ("", "登录账号长度应为4–30个字符"),
    ("zhang-san", "登录账号只能包含字母、数字、下划线"),
    ("zhang san", "登录账号只能包含字母、数字、下划线"),
    ("zhang.san", "登录账号只能包含字母、数字、下划线"),
    ("张三丰收", "登录账号只能包含字母、数字、下划线"),
    ("ａdmin", "登录账号只能包含字母、数字、下划线"),  # full-width letter
])
def test_check_login_name(value, expected):
    assert v.check_login_name(value) == expected


LENGTH = "密码长度应为8–16位"
MIX = "密码必须为字母和数字混合"
CHARS = "密码包含不允许的字符"
RUN = "密码不能包含4个或以上连续的字符（如abcd、1234）"
SAME = "密码不能包含4个或以上相同的字符"
LOGIN = "密码不能包含登录账号"


@pytest.mark.parametrize("password, expected", [
    ("Demo2026x", None),           # the demo seed password
    ("Pa55word", None),            # exactly 8
    ("Xk7#mQ2!pL9@wR4z", None),    # exactly 16, punctuation allowed
    ("a1!@#$%^&*()_+-=", None),    # every allowed punctuation char is fine
    ("Pw.2,x?9", None),
    ("Pa55wo", LENGTH), ("Pa55wor", LENGTH), ("Xk7mQ2pL9wR4zT6y1", LENGTH), ("", LENGTH),
    ("abcdefgh", MIX), ("ABCdefGH", MIX), ("12345678", MIX), ("20261987", MIX),
    ("!@#$%^&*", MIX), ("password!", MIX),
    ("Pass word1", CHARS), ("Passw0rd~", CHARS), ("Passw0rd/", CHARS),
    ("密码Passw0rd", CHARS), ("Pässw0rd", CHARS), ("Passw０rd", CHARS),
    ("xabcd9Qz", RUN), ("x9dcbaQz", RUN), ("Qx1234mz", RUN), ("Qx4321mz", RUN),
    ("pWXYZ7mk", RUN), ("paBcD7mk", RUN), ("Qx9012345", RUN), ("Hello56789", RUN),
    ("abc1234xyz", RUN),
    ("xabc9Qz1", None), ("Qx123m9z", None),  # runs of 3 are fine
    ("ab12cd34", None), ("Qx1357mz", None),  # gaps / class change break a run
    ("Qz7890ab", None),                       # 9 -> 0 does not wrap around
    ("x9aaaaQz", SAME), ("Qx1111mz", SAME), ("Qx7!!!!z", SAME),
    ("x9aaaQz1", None),                       # 3 identical is fine
    ("x9aAaAQz", None),                       # identical is case-sensitive
])
def test_check_password_rules(password, expected):
    assert v.check_password(password) == expected


@pytest.mark.parametrize("password, login, expected", [
    ("Demo2026x", "demo", LOGIN),          # "Demo" contains "demo" case-insensitively
    ("Demo2026x", "zhangsan", None),
    ("xZhangSan9", "zhangsan", LOGIN),
    ("Zhang9san", "zhangsan", None),
    ("Pa55word", None, None),
    ("Pa55word", "", None),
    ("Pa55word", "   ", None),
])
def test_check_password_login_name(password, login, expected):
    assert v.check_password(password, login) == expected


# --- WTForms wrappers ----------------------------------------------------------

class DummyPostData(dict):
    def getlist(self, key):
        return [self[key]] if key in self else []


class SignupForm(Form):
    login_name = StringField(validators=[v.LoginName()])
    password = StringField(validators=[v.Password(login_field="login_name")])
    id_number = StringField(validators=[v.CitizenId()])
    uscc = StringField(validators=[v.Uscc()])
    org_code = StringField(validators=[v.OrgCode()])
    mobile = StringField(validators=[v.Mobile()])
    phone = StringField(validators=[v.Phone()])
    postcode = StringField(validators=[v.Postcode()])
    email = StringField(validators=[v.Email()])


GOOD = {
    "login_name": "zhangsan", "password": "Demo2026x", "id_number": LITERAL_ID,
    "uscc": LITERAL_USCC, "org_code": "D2143569-X", "mobile": "13800138000",
    "phone": "020-83331234-801", "postcode": "510000", "email": "zs@example.com",
}


def test_wrappers_accept_good_data():
    form = SignupForm(DummyPostData(GOOD))
    assert form.validate(), form.errors


def test_wrappers_skip_empty_values():
    form = SignupForm(DummyPostData({k: "" for k in GOOD} | {"phone": "   "}))
    assert form.validate(), form.errors
    assert SignupForm().validate()  # no formdata at all -> data is None


@pytest.mark.parametrize("field, value, message", [
    ("login_name", "zs", "登录账号长度应为4–30个字符"),
    ("password", "abcd1234", RUN),
    ("password", "xZhangsan9", LOGIN),
    ("id_number", "110105194912310020", "公民身份号码校验位不正确"),
    ("uscc", "91350100M000100Y44", "统一社会信用代码校验位不正确"),
    ("org_code", "D2143569-1", "组织机构代码校验位不正确"),
    ("mobile", "12800138000", "手机号码格式不正确"),
    ("phone", "020 8333", "联系电话格式不正确"),
    ("postcode", "51000", "邮政编码应为6位数字"),
    ("email", "zs@", "邮箱格式不正确"),
])
def test_wrappers_report_the_check_message(field, value, message):
    form = SignupForm(DummyPostData(GOOD | {field: value}))
    assert not form.validate()
    assert form.errors == {field: [message]}


def test_password_wrapper_without_login_field_and_custom_message():
    class F(Form):
        password = StringField(validators=[v.Password()])
        other = StringField(validators=[v.Password(login_field="missing", message="自定义")])

    assert F(DummyPostData({"password": "xZhangsan9", "other": "xZhangsan9"})).validate()
    form = F(DummyPostData({"password": "short1", "other": "short1"}))
    assert not form.validate()
    assert form.errors == {"password": [LENGTH], "other": ["自定义"]}
