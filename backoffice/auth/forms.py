"""Forms of sign-in, 修改密码, 忘记密码 and 个人信息."""
from wtforms import PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from ..forms import BaseForm
from ..labels import DictionaryCategory
from ..models import dictionary_choices
from ..validators import Email, Mobile, Password


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class LoginForm(BaseForm):
    username = StringField("账号", validators=[DataRequired("请输入账号"), Length(max=30)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=64)])
    captcha = StringField("验证码", validators=[Length(max=8)])


class SelectOrgForm(BaseForm):
    context = RadioField("选择登录身份", validators=[DataRequired("请选择要使用的单位账号")])


class ChangePasswordForm(BaseForm):
    old_password = PasswordField("原密码", validators=[DataRequired("请输入原密码")])
    new_password = PasswordField(
        "新密码", validators=[DataRequired("请输入新密码"), Password()]
    )
    confirm = PasswordField(
        "确认新密码",
        validators=[DataRequired("请再次输入新密码"), EqualTo("new_password", "两次输入的密码不一致")],
    )


def _required(label: str):
    return DataRequired(f"请填写{label}")


class ForgotAccountForm(BaseForm):
    """忘记密码 step 1: which account, proven by its 证件号码."""

    login = StringField("登录账号", validators=[_required("登录账号"), Length(max=30, message="登录账号限30个字符")])
    id_number = StringField("证件号码", validators=[_required("证件号码"), Length(max=30, message="证件号码限30个字符")])
    captcha = StringField("验证码", validators=[Length(max=8)])


class ForgotAnswersForm(BaseForm):
    """忘记密码 step 2: the answers to the account's three 密保问题 (labels are set to the questions)."""

    answer1 = StringField("答案1", validators=[_required("答案"), Length(max=50, message="答案限50字")])
    answer2 = StringField("答案2", validators=[_required("答案"), Length(max=50, message="答案限50字")])
    answer3 = StringField("答案3", validators=[_required("答案"), Length(max=50, message="答案限50字")])


class ForgotResetForm(BaseForm):
    """忘记密码 step 3: the new password (the login-name check needs the account: done by the route)."""

    new_password = PasswordField("新密码", validators=[DataRequired("请输入新密码"), Password()])
    confirm = PasswordField(
        "确认新密码",
        validators=[DataRequired("请再次输入新密码"), EqualTo("new_password", "两次输入的密码不一致")],
    )


class ProfileForm(BaseForm):
    """个人信息: what the account owner may change without their password. 姓名 only until verified."""

    real_name = StringField("姓名", validators=[_required("姓名"), Length(max=50, message="姓名限50字")])
    mobile = StringField("手机号码", validators=[_required("手机号码"), Mobile()], filters=[_strip])
    email = StringField("邮箱", validators=[Optional(), Email()], filters=[_strip])

    def __init__(self, *args, name_editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not name_editable:
            del self.real_name


class SecurityQuestionsForm(BaseForm):
    """密保问题: three different questions from the dictionary, their answers, and the current password."""

    question1 = SelectField("问题1", validators=[DataRequired("请选择问题1")])
    answer1 = StringField("答案1", validators=[_required("问题1的答案"), Length(max=50, message="答案限50字")])
    question2 = SelectField("问题2", validators=[DataRequired("请选择问题2")])
    answer2 = StringField("答案2", validators=[_required("问题2的答案"), Length(max=50, message="答案限50字")])
    question3 = SelectField("问题3", validators=[DataRequired("请选择问题3")])
    answer3 = StringField("答案3", validators=[_required("问题3的答案"), Length(max=50, message="答案限50字")])
    current_password = PasswordField("当前密码", validators=[DataRequired("请输入当前密码以确认身份")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = [name for _, name in dictionary_choices(DictionaryCategory.SECURITY_QUESTION)]
        for n, field in enumerate((self.question1, self.question2, self.question3)):
            field.choices = [("", "请选择…")] + [(name, name) for name in names]
            if not self.is_submitted() and not field.data and n < len(names):
                field.data = names[n]  # three different questions to start from

    def validate_question3(self, field):
        if len({self.question1.data, self.question2.data, self.question3.data}) != 3:
            raise ValidationError("请选择三个不同的密保问题")

    def pairs(self) -> list[tuple[str, str]]:
        return [(self[f"question{n}"].data, self[f"answer{n}"].data.strip()) for n in (1, 2, 3)]
