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
    WITHDRAW = ("withdraw", "撤销")  # the submitter takes back a pending row (records: 申报进度查询)


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
    ENROLMENT = ("enrolment", "培训班报名")
    ATTENDANCE = ("attendance", "考勤")
    CHECK_IN = ("check_in", "扫码签到")
    RESULTS = ("results", "成绩录入")
    ISSUE = ("issue", "打印证书")
    REVOKE_CERTIFICATE = ("revoke_certificate", "撤销证书")
    LEGACY_BIND = ("legacy_bind", "历史信息绑定")
    LEGACY_BIND_FAILED = ("legacy_bind_failed", "绑定验证失败")
    LEGACY_IMPORT = ("legacy_import", "导入历史数据")


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


class ObjectType(Choices):
    """What an AuditLog row is about: the table's name in code, and what people call it."""

    ORGANISATION = ("organisation", "单位")
    USER = ("user_account", "账号")
    MEMBERSHIP = ("membership", "经办绑定")
    MEMBERSHIP_ROLE = ("membership_role", "经办人员角色")
    ORG_ROLE = ("org_role", "角色")
    ORG_CHANGE = ("org_change", "单位信息修改申请")
    DEPARTMENT = ("department", "内设部门")
    PERSON = ("person", "专业技术人员")
    PERSON_CHANGE = ("person_change", "人员信息修改申请")
    TRANSFER = ("transfer", "人员调转")
    TEACHER = ("teacher", "师资")
    DISHONESTY = ("dishonesty", "失信信息")
    ATTACHMENT = ("attachment", "附件")
    DICTIONARY_ITEM = ("dictionary_item", "字典项")
    REGION = ("region", "行政区划")
    SERIES = ("professional_series", "专业系列")
    REVIEW_LOG = ("review_log", "审批流程")
    AUDIT_LOG = ("audit_log", "操作日志")
    USER_SESSION = ("user_session", "登录会话")
    USED_CAPTCHA = ("used_captcha", "已用验证码")
    CATALOGUE = ("catalogue", "专业课目录")
    COURSE = ("course", "专业课")
    QUALIFICATION = ("qualification", "专业培训资格")
    PLAN = ("plan", "专业课计划")
    TRAINING_CLASS = ("training_class", "培训班")
    CLASS_SUBJECT = ("class_subject", "培训科目")
    CLASS_TEACHER = ("class_teacher", "授课教师")
    ENROLMENT = ("enrolment", "报名")
    ATTENDANCE_SESSION = ("attendance_session", "考勤场次")
    ATTENDANCE = ("attendance", "考勤")
    RECORD = ("record", "继续教育记录")
    CERTIFICATE = ("certificate", "继续教育证书")
    HOUR_REQUIREMENT = ("hour_requirement", "学时要求")
    ANNUAL_REPORT = ("annual_report", "年度报告")
    LEGACY_UNIT = ("legacy_unit", "旧系统单位")
    LEGACY_PERSON = ("legacy_person", "旧系统学员")
    LEGACY_RECORD = ("legacy_record", "历史继续教育记录")
    LEGACY_CERTIFICATE = ("legacy_certificate", "历史证书")
    PROVINCE_RULE = ("province_rule", "省份规则")
    PERSON_YEAR_HOURS = ("person_year_hours", "人员年度学时")


#: Column names as the 操作日志 shows them where no screen labels the column itself (the screens'
#: column_labels name the rest; tests/test_audit_view.py checks every column has a name).
FIELD_LABELS = {
    "id": "编号",
    # 旧系统数据 (the legacy screens label their own list columns)
    "bound_unit_id": "绑定单位",
    "bound_at": "绑定时间",
    "bound_by_user_id": "绑定人",
    "legacy_unit_id": "旧系统单位",
    "legacy_person_id": "旧系统学员",
    "created_at": "创建时间",
    "updated_at": "修改时间",
    "name": "名称",
    "code": "编码",
    "sort": "排序",
    "depth": "层级",
    "active": "启用",
    "status": "状态",
    "org_id": "单位",
    "user_id": "账号",
    "person_id": "专业技术人员",
    "unit_id": "工作单位",
    "department_id": "所属部门",
    "series_id": "专业系列",
    "region_code": "所在地区",
    "parent_id": "上级",
    "parent_code": "上级区划",
    "hr_org_id": "上级人社主管部门",
    "reviewer_org_id": "审核部门",
    "superior_id": "上级部门",
    "superior": "上级部门",
    "code_type": "单位代码类型",
    "requested_by_id": "申请人",
    "decided_by_id": "办理人",
    "recorded_by_org_id": "操作单位",
    "recorded_by_user_id": "操作人",
    "subject_org_id": "失信单位",
    "from_unit_id": "调出单位",
    "to_unit_id": "调入单位",
    "membership_id": "经办绑定",
    "role_id": "角色",
    "modules": "功能模块",
    "before": "修改前",
    "after": "修改后",
    "password_hash": "密码",
    "question1": "密保问题1",
    "question2": "密保问题2",
    "question3": "密保问题3",
    "answer1_hash": "密保答案1",
    "answer2_hash": "密保答案2",
    "answer3_hash": "密保答案3",
    "session_version": "登录会话版本",
    "password_reset_by": "密码重置人",
    "password_reset_at": "密码重置时间",
    "status_before_revoke": "撤销前状态",
    "nonce": "验证码标识",
    "expires_at": "失效时间",
    "last_seen_at": "最近访问",
    "user_agent": "浏览器",
    "token_hash": "会话标识",
    "password_version": "密码版本",
    "country": "国家/地区",
    "id_type": "证件类型",
    "owner_type": "所属对象类型",
    "owner_id": "所属对象编号",
    "original_name": "附件名称",
    "stored_name": "存储文件名",
    "content_type": "附件类型",
    "size": "附件大小",
    "uploaded_by_id": "上传人",
    "uploaded_by_org_id": "上传单位",
    "uploaded_at": "上传时间",
    "object_type": "对象类型",
    "object_id": "对象编号",
    "step": "审核环节",
    "reviewer_user_id": "审核人",
    "result": "审核结果",
    "opinion": "意见",
    "inactive_reason": "移除权限原因",
    "submitted_at": "送审时间",
    "confirmed_at": "确认时间",
    "decided_at": "办理时间",
    # certificates
    "number": "继续教育证书号",
    "holder_name": "姓名",
    "id_number": "公民身份号码",
    "series_name": "专业系列",
    "public_courses": "公需科目门数",
    "public_hours": "公需科目学时",
    "professional_courses": "专业科目门数",
    "professional_hours": "专业科目学时",
    "elective_courses": "个人选修科目门数",
    "elective_hours": "个人选修科目学时",
    "last_end_on": "最后学习结束时间",
    "passed": "年度验证",
    "issued_at": "发证时间",
    "issuer_name": "发证机关",
    "issued_by_org_id": "打印单位",
    "issued_by_user_id": "打印人",
    "voided_at": "作废时间",
    "revoked_at": "撤销时间",
    "revoked_reason": "撤销原因",
    "revoked_by_org_id": "撤销单位",
    # training
    "operator_id": "操作人",
    "catalogue_id": "专业课目录",
    "course_id": "专业课",
    "content": "学习内容",
    "note": "备注",
    "withdrawn": "已撤回",
    "withdrawn_at": "撤回时间",
    "institution_id": "施教机构",
    "owner_org_id": "申报单位",
    "created_by_id": "创建人",
    "plan_id": "所属计划",
    "class_id": "培训班",
    "head_teacher_id": "班主任",
    "source": "来源",
    "score": "成绩",
    "applied_at": "报名时间",
    "entered_by_org_id": "录入单位",
    "session_id": "考勤场次",
    "enrolment_id": "报名",
    "mark": "考勤结果",
    "checked_in_at": "签到时间",
    "by_scan": "扫码签到",
    "marked_by_id": "登记人",
    "on_date": "日期",
    "starts_at": "开始时间",
    "ends_at": "结束时间",
    "course_type": "科目类型",
    "course_name": "课程名称",
    "study_form_code": "学习形式",
    "start_on": "开始日期",
    "end_on": "结束日期",
    "days": "培训天数",
    "exam_result": "考核结果",
    "declared_hours": "申报学时",
    "checked_hours": "审验学时",
    "approved_hours": "认定学时",
    "institution_org_id": "施教机构",
    "institution_name": "施教机构名称",
    "year": "年度",
    "location": "学习地点",
    "declared_by_org_id": "申报单位",
    "review_step": "审核环节",
    # 学时要求
    "total_hours": "年度总学时",
    "min_public_hours": "公需科目最低学时",
    "min_professional_hours": "专业科目最低学时",
    "min_elective_hours": "选修科目最低学时",
    "entry_deadline": "学时录入截止日期",
}


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


class CertificateStatus(Choices):
    """继续教育证书: 有效; 已作废 when 重新生成证书 replaced it; 已撤销 by HR with a reason."""

    VALID = ("valid", "有效")
    VOID = ("void", "已作废")
    REVOKED = ("revoked", "已撤销")


class RecordSource(Choices):
    """Where a 继续教育记录 came from."""

    PERSON = ("person", "个人")
    UNIT = ("unit", "单位")
    INSTITUTION = ("institution", "施教机构")
    CLASS = ("class", "培训班结业")
    IMPORT = ("import", "批量导入")
    LEGACY = ("legacy", "历史数据")


# ---- province rules (issue 13, docs/provinces.md): each province's way, chosen per row ----------


class PersonJoin(Choices):
    """How a person comes to belong to a unit."""

    UNIT_CONFIRMS = ("unit_confirms", "注册后选择工作单位，由单位确认")  # Guangdong (000 §1.5, 003)
    REGISTRATION_REVIEW = ("registration_review", "注册时选择工作单位，单位审核注册后方可登录")  # Henan (002)


class PlanReviewer(Choices):
    """Who reviews a 专业课计划."""

    INDUSTRY_OF_SERIES = ("industry_of_series", "该专业系列的行业主管部门")  # Guangdong (004)
    HR_OF_REGION = ("hr_of_region", "申报单位所在地区的人社部门")  # Henan (002 审核培训计划申报)


class RecordChain(Choices):
    """Who recognises a 继续教育记录, step after step."""

    UNIT = ("unit", "工作单位认定")  # Guangdong (000 §1.6.3)
    UNIT_THEN_HR = ("unit_then_hr", "工作单位学时学分审批，再由人社部门学时学分审批")  # Henan (002)


class Vocabulary(Choices):
    """The screen names a province's clerks know (docs/glossary.md)."""

    GUANGDONG = ("guangdong", "广东（施教机构、继续教育记录申报、法人单位…）")
    HENAN = ("henan", "河南（继续教育基地、学时学分申报、用人单位…）")
