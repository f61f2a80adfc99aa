"""Every enumerated value the code uses, each with its one Chinese label.

Values are short English codes stored in the database; labels are what people read in lists, forms,
exports and PDFs. Code compares against the constants, templates and views show `label_of(...)`.
"""


class Choices:
    """A closed set of (code, label) pairs: `OrgKind.UNIT == "unit"`, `OrgKind.label("unit") == "法人单位"`."""

    _pairs: tuple[tuple[str, str], ...] = ()

    def __init_subclass__(cls) -> None:
        pairs = []
        for name, value in list(vars(cls).items()):
            if name.isupper() and isinstance(value, tuple):
                pairs.append(value)
                setattr(cls, name, value[0])
        cls._pairs = tuple(pairs)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return list(cls._pairs)

    @classmethod
    def values(cls) -> list[str]:
        return [code for code, _ in cls._pairs]

    @classmethod
    def label(cls, code: str | None) -> str:
        return dict(cls._pairs).get(code, code or "")

    @classmethod
    def sql_in(cls, column: str) -> str:
        """A CHECK constraint body that keeps the column inside this set."""
        quoted = ", ".join(f"'{code}'" for code in cls.values())
        return f"{column} IN ({quoted})"


class OrgKind(Choices):
    HR = ("hr", "人社部门")
    INDUSTRY = ("industry", "行业主管部门")
    UNIT = ("unit", "法人单位")
    INSTITUTION = ("institution", "施教机构")


class RegionLevel(Choices):
    """Also the 隶属关系 of an organisation: fixed, because review routing depends on it."""

    PROVINCE = ("province", "省级")
    CITY = ("city", "市级")
    COUNTY = ("county", "县级")


class CodeType(Choices):
    USCC = ("uscc", "统一社会信用代码")
    ORG_CODE = ("org_code", "组织机构代码")


class ApplicationStatus(Choices):
    """State of an organisation's registration / role application."""

    DRAFT = ("draft", "草稿")
    PENDING = ("pending", "待审核")
    APPROVED = ("approved", "已通过")
    RETURNED = ("returned", "已退回")
    CLOSED = ("closed", "已结案")


class MembershipStatus(Choices):
    PENDING = ("pending", "待确认")
    ACTIVE = ("active", "有效")
    DISABLED = ("disabled", "已禁用")
    REFUSED = ("refused", "已拒绝")
    REMOVED = ("removed", "已解除")


class BindingStatus(Choices):
    """A person's binding to their employer unit."""

    PENDING = ("pending", "待单位确认")
    CONFIRMED = ("confirmed", "已确认")
    RELEASED = ("released", "已解除")
    REFUSED = ("refused", "单位未确认")


class SystemRole(Choices):
    ADMIN = ("admin", "系统管理员")
    HELPDESK = ("helpdesk", "运维 / 客服")


class ActorKind(Choices):
    """What a signed-in user acts as for this session."""

    ADMIN = ("admin", "系统管理员")
    HELPDESK = ("helpdesk", "运维 / 客服")
    PERSON = ("person", "专业技术人员")
    HR = ("hr", "人社部门")
    INDUSTRY = ("industry", "行业主管部门")
    UNIT = ("unit", "法人单位")
    INSTITUTION = ("institution", "施教机构")


class Sex(Choices):
    MALE = ("男", "男")
    FEMALE = ("女", "女")


class TitleLevel(Choices):
    JUNIOR = ("junior", "初级")
    MIDDLE = ("middle", "中级")
    VICE_SENIOR = ("vice_senior", "副高级")
    SENIOR = ("senior", "正高级")


class TransferStatus(Choices):
    """人员调转: the sending unit asks, the receiving unit confirms 调入."""

    PENDING = ("pending", "待调入确认")
    ACCEPTED = ("accepted", "已调入")
    REFUSED = ("refused", "已拒绝调入")
    CANCELLED = ("cancelled", "已撤销")


class SubjectType(Choices):
    """失信人类型."""

    PERSON = ("person", "个人")
    ORG = ("org", "单位")


class ReviewResult(Choices):
    SUBMIT = ("submit", "送审")
    APPROVE = ("approve", "同意")
    CLOSE = ("close", "不同意并结案")
    RETURN = ("return", "不同意并退案")


class AuditAction(Choices):
    CREATE = ("create", "新增")
    UPDATE = ("update", "修改")
    DELETE = ("delete", "删除")
    LOGIN = ("login", "登录")
    LOGIN_FAILED = ("login_failed", "登录失败")
    LOGOUT = ("logout", "退出")
    CHANGE_PASSWORD = ("change_password", "修改密码")
    SELECT_ORG = ("select_org", "切换单位")
    REGISTER = ("register", "注册")
    SUBMIT = ("submit", "送审")
    REVIEW = ("review", "审核")
    RESET_PASSWORD = ("reset_password", "重置密码")
    FORGOT_PASSWORD = ("forgot_password", "找回密码")
    UNLOCK = ("unlock", "解锁")
    REVOKE = ("revoke", "撤销权限")
    RESTORE = ("restore", "恢复权限")
    REBIND = ("rebind", "修改绑定")
    MEMBERSHIP = ("membership", "经办人员管理")
    CONFIRM = ("confirm", "人员确认")
    RELEASE = ("release", "解除绑定")
    TRANSFER = ("transfer", "人员调转")
    IMPORT = ("import", "批量导入")
    PUBLISH = ("publish", "发布")
    WITHDRAW = ("withdraw", "撤回")
    CLASS_STATUS = ("class_status", "班级状态")


class DictionaryCategory(Choices):
    """Categories of the editable dictionaries (系统管理员 → 字典管理)."""

    ETHNICITY = ("ethnicity", "民族")
    EDUCATION = ("education", "学历")
    DEGREE = ("degree", "学位")
    ORG_NATURE = ("org_nature", "单位性质")
    STUDY_FORM = ("study_form", "学习形式")
    EXAM_TYPE = ("exam_type", "考试类型")
    ID_TYPE = ("id_type", "证件类型")
    SECURITY_QUESTION = ("security_question", "密保问题")


# ---- training (专业课目录, 计划, 培训班, 报名, 考勤, 继续教育记录) ----------------------------------


class CatalogueStatus(Choices):
    """专业课目录: 保存 keeps it a draft only its department sees; 确认 publishes it to everyone."""

    DRAFT = ("draft", "草稿")
    PUBLISHED = ("published", "已发布")


class CourseType(Choices):
    """科目类型 / 课程类型."""

    PUBLIC = ("public", "公需课")
    PROFESSIONAL = ("professional", "专业课")
    ELECTIVE = ("elective", "选修课")


class ClassStatus(Choices):
    """班级状态 (DESIGN §3 class lifecycle); the allowed moves are workflows.classes.MOVES."""

    NOT_STARTED = ("not_started", "未开班")
    ENROLLING = ("enrolling", "接受报名")
    OPEN = ("open", "开班")
    FINISHED = ("finished", "结业")
    CANCELLED = ("cancelled", "取消")


class EnrolmentSource(Choices):
    UNIT = ("unit", "单位录入")
    SELF = ("self", "个人报名")


class EnrolmentStatus(Choices):
    APPLIED = ("applied", "已报名待确认")
    ENROLLED = ("enrolled", "报名成功")
    REFUSED = ("refused", "已拒绝")
    CANCELLED = ("cancelled", "已取消")


class ExamResult(Choices):
    """考核结果."""

    PASS = ("pass", "合格")
    FAIL = ("fail", "不合格")


class AttendanceMark(Choices):
    PRESENT = ("present", "出勤")
    ABSENT = ("absent", "缺勤")
    LATE = ("late", "迟到")
    LEAVE = ("leave", "请假")


class RecordSource(Choices):
    """Where a 继续教育记录 came from."""

    PERSON = ("person", "个人")
    UNIT = ("unit", "单位")
    INSTITUTION = ("institution", "施教机构")
    CLASS = ("class", "培训班结业")
    IMPORT = ("import", "批量导入")
    LEGACY = ("legacy", "历史数据")
