from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..validators import Password


class LoginForm(FlaskForm):
    username = StringField("账号", validators=[DataRequired("请输入账号"), Length(max=30)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=64)])
    captcha = StringField("验证码", validators=[Length(max=8)])


class SelectOrgForm(FlaskForm):
    context = RadioField("选择登录身份", validators=[DataRequired("请选择要使用的单位账号")])


class ChangePasswordForm(FlaskForm):
    old_password = PasswordField("原密码", validators=[DataRequired("请输入原密码")])
    new_password = PasswordField(
        "新密码", validators=[DataRequired("请输入新密码"), Password()]
    )
    confirm = PasswordField(
        "确认新密码",
        validators=[DataRequired("请再次输入新密码"), EqualTo("new_password", "两次输入的密码不一致")],
    )
