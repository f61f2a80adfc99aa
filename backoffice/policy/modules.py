"""Permission modules: the menu entries a role can grant. A view names its module; nothing else decides.

An organisation's super admin gets every module of its kind; other members get the union of their
roles' modules, cut down to the kind's. Until the organisation's application is approved it sees only
the application screens.
"""
from dataclasses import dataclass

from ..labels import ActorKind

ORG_KINDS = (ActorKind.HR, ActorKind.INDUSTRY, ActorKind.UNIT, ActorKind.INSTITUTION)


@dataclass(frozen=True)
class Module:
    code: str
    label: str
    kinds: tuple[str, ...]
    pending_ok: bool = False  # usable while the organisation's application is not yet approved


MODULES: dict[str, Module] = {
    m.code: m
    for m in [
        # 系统管理员
        Module("dictionaries", "字典管理", (ActorKind.ADMIN,)),
        Module("regions", "行政区划", (ActorKind.ADMIN,)),
        Module("series", "专业系列", (ActorKind.ADMIN,)),
        Module("audit_log", "操作日志", (ActorKind.ADMIN, ActorKind.HR)),
        # 运维 / 客服
        Module("accounts", "账号查询", (ActorKind.HELPDESK,)),
        Module("bindings", "经办绑定", (ActorKind.HELPDESK,)),
        # every organisation
        Module("org_profile", "单位信息", ORG_KINDS, pending_ok=True),
        Module("org_members", "单位经办人员", ORG_KINDS),
        Module("org_roles", "角色管理", ORG_KINDS),
        # oversight
        Module("org_oversight", "管理下级单位", (ActorKind.HR, ActorKind.INDUSTRY)),
        # people
        Module("person_maintain", "专业技术人员信息维护", (ActorKind.UNIT,)),
        Module("person_query", "专业技术人员信息查询", (ActorKind.HR, ActorKind.INDUSTRY)),
        Module("my_profile", "人员基本信息维护", (ActorKind.PERSON,)),
    ]
}


def modules_of_kind(kind: str) -> list[Module]:
    return [m for m in MODULES.values() if kind in m.kinds]


def modules_for(
    kind: str,
    *,
    is_super_admin: bool = False,
    granted: set[str] | None = None,
    org_approved: bool = True,
) -> frozenset[str]:
    """The module codes an actor of this kind may use."""
    of_kind = modules_of_kind(kind)
    if kind not in ORG_KINDS:
        return frozenset(m.code for m in of_kind)
    if not org_approved:
        return frozenset(m.code for m in of_kind if m.pending_ok)
    if is_super_admin:
        return frozenset(m.code for m in of_kind)
    return frozenset(m.code for m in of_kind if m.code in (granted or set()))
