"""个人用户注册: an account, and for a resident ID card also the 专业技术人员 record it acts as."""
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..labels import AuditAction
from ..models import Person, User
from ..validators import birth_date_from_id, sex_from_id
from .. import audit
from . import WorkflowError

RESIDENT_ID = "resident_id"


class RegistrationError(WorkflowError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def register_person(data: dict, password: str, answers: list[tuple[str, str]]) -> User:
    """Create the account. A person already recorded by their unit (same ID number, no account yet)
    is linked to it instead of being created twice."""
    if db.session.scalar(select(User.id).where(func.lower(User.login) == data["login"].lower())):
        raise RegistrationError("login", "该登录账号已被注册，请换一个")
    if db.session.scalar(
        select(User.id).where(User.id_type == data["id_type"], User.id_number == data["id_number"])
    ):
        raise RegistrationError("id_number", "该证件号码已注册；如忘记账号或密码，请使用“忘记密码”或联系客服")
    user = User(**data)
    user.set_password(password)
    user.set_security_answers(answers)
    try:
        with db.session.begin_nested(), audit.audit_as(AuditAction.REGISTER, f"个人用户注册：{user.login}"):
            db.session.add(user)
            db.session.flush()
            if user.id_type == RESIDENT_ID:
                _link_person(user)
    except IntegrityError as error:  # the same login or ID registered a moment ago
        raise RegistrationError("login", "该登录账号或证件号码刚刚已被注册，请检查后重试") from error
    return user


def _link_person(user: User) -> None:
    person = db.session.scalar(select(Person).where(Person.id_number == user.id_number))
    if person is None:
        db.session.add(
            Person(
                user_id=user.id,
                name=user.real_name,
                id_number=user.id_number,
                sex=sex_from_id(user.id_number),
                birth_date=birth_date_from_id(user.id_number),
                phone=user.mobile,
                email=user.email,
            )
        )
    elif person.user_id is None:
        person.user_id = user.id
    else:
        raise RegistrationError("id_number", "该公民身份号码已被其他账号使用，请联系客服")
    db.session.flush()
