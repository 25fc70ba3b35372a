"""Who may do what (DESIGN.md §9, issue 7): roles, unit grants, and the rules for changing them.

Pure functions over a list of ``Grant``; ``Store`` reads the grants file, asks these, and raises.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.core.errors import JixiaoError, PermissionDenied
from jixiao.core.faults import said
from jixiao.core.language import Said

ROLES = ("admin", "manager", "owner")
"""``admin``: imports, settings, grants, everything; ``manager``: reads all, exports;
``owner``: records progress and spending for the granted units, reads all."""


@dataclass(frozen=True)
class Grant:
    """One user's role; ``units`` matters for owners only."""

    user: str
    role: str
    units: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The stored form."""
        return {"user": self.user, "role": self.role, "units": list(self.units)}

    @classmethod
    def from_dict(cls, data: dict) -> "Grant":
        """Read the stored form."""
        return cls(user=str(data["user"]), role=str(data["role"]),
                   units=tuple(str(u) for u in data.get("units") or ()))


def role_of(grants: list[Grant], user: str) -> str | None:
    """The role of ``user``: ``admin`` for everyone while there are no grants at all (a personal
    store just works), ``None`` for a user without a grant in a shared store (may only read)."""
    if not grants:
        return "admin"
    for g in grants:
        if g.user == user:
            return g.role
    return None


def may_edit_unit(grants: list[Grant], user: str, unit_code: str) -> bool:
    """Whether ``user`` may record progress and spending for ``unit_code``."""
    role = role_of(grants, user)
    if role == "admin":
        return True
    return role == "owner" and any(g.user == user and unit_code in g.units for g in grants)


REPORTER_ROLES = ("admin", "manager")
"""Who may take snapshots, reports and exports of a shared store (issue 7: managers read all,
snapshot, report and export; owners record for their units)."""


def may_report(grants: list[Grant], user: str) -> bool:
    """Whether ``user`` may take snapshots, reports and exports."""
    return role_of(grants, user) in REPORTER_ROLES


def require_reporter(grants: list[Grant], user: str, doing: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may report; ``doing`` names what was asked."""
    if not may_report(grants, user):
        raise refusal("need_reporter", user, doing, *_standing_of(grants, user))


def require_admin(grants: list[Grant], user: str, doing: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` is an admin; ``doing`` names the change."""
    if role_of(grants, user) != "admin":
        raise refusal("need_admin", user, doing, *_standing_of(grants, user))


def require_unit(grants: list[Grant], user: str, unit_code: str, doing: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may edit ``unit_code``."""
    if not may_edit_unit(grants, user, unit_code):
        raise refusal("need_unit", user, doing, *_standing_of(grants, user), code=unit_code)


def refusal(key: str, user: str, doing: str, role: str | None, units=(),
            **fields: object) -> PermissionDenied:
    """The refusal ``key`` (``need_admin``, ``need_reporter``, ``need_unit`` of
    ``core.faults``) of ``user`` asking to do ``doing`` (named in English) while holding
    ``role`` over ``units``: what the file store raises and the PostgreSQL server's refusals
    become."""
    return PermissionDenied(said(key, user=user, doing=Said(doing, _DOING_ZH.get(doing, doing)),
                                 standing=standing(role, units), **fields))


def standing(role: str | None, units=()) -> Said:
    """What a user with ``role`` over ``units`` is, in both languages."""
    if role is None:
        return said("standing_none")
    if role == "owner":
        return Said(said("standing_owner", units=", ".join(units)).en,
                    said("standing_owner", units="、".join(units)).zh)
    return said(f"standing_{role}") if role in ROLES else Said(role, role)


def _standing_of(grants: list[Grant], user: str) -> tuple[str | None, tuple[str, ...]]:
    role = role_of(grants, user)
    units = next((g.units for g in grants if g.user == user), ()) if role == "owner" else ()
    return role, units


_DOING_ZH = {
    "record progress": "记录进度", "record spending": "记录支出", "change grants": "修改授权",
    "change settings": "修改设置", "import target tables": "导入目标表", "load data": "载入数据",
    "take a snapshot": "生成快照", "run a report": "生成报告",
    "export the monitoring table": "导出监控表", "export": "导出",
    "change the reading of a target": "修改指标值的读法",
}
"""What a refused user asked to do, in Chinese (the callers name it in English)."""


def with_grant(grants: list[Grant], user: str, role: str, units: tuple[str, ...]) -> list[Grant]:
    """The grants after giving ``user`` the ``role`` (owners: adding ``units`` to theirs).

    Raises ``JixiaoError`` for an unknown role, an owner without units, a first grant that
    names no admin, or a change that would leave no admin.
    """
    user = user.strip()
    if not user:
        raise JixiaoError("a grant needs a user name", zh="授权需要用户名")
    if role not in ROLES:
        raise JixiaoError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}",
                          zh=f"未知角色 {role!r}；可用：{', '.join(ROLES)}")
    units = tuple(dict.fromkeys(u.strip() for u in units if u.strip()))
    if role == "owner" and not units:
        raise JixiaoError("an owner grant needs at least one --unit CODE",
                          zh="owner 授权至少需要一个 --unit 单位代码")
    if role != "owner" and units:
        raise JixiaoError(f"--unit applies to owners only; a {role} reads every unit",
                          zh=f"--unit 只适用于 owner；{role} 可查看所有单位")
    if not grants and role != "admin":
        raise JixiaoError(
            "the first grant must name an admin, or nobody could change grants afterwards: "
            "start with  jixiao grant YOUR_NAME --role admin",
            zh="第一个授权必须是 admin（管理员），否则以后没人能修改授权：请先运行  "
               "jixiao grant 你的用户名 --role admin")
    out, done = [], False
    for g in grants:
        if g.user != user:
            out.append(g)
            continue
        done = True
        keep = g.units if (g.role == "owner" and role == "owner") else ()
        out.append(Grant(user, role, tuple(dict.fromkeys(keep + units))))
    if not done:
        out.append(Grant(user, role, units))
    _require_an_admin(out)
    return out


def without_grant(grants: list[Grant], user: str, units: tuple[str, ...] = ()) -> list[Grant]:
    """The grants after revoking ``user`` entirely, or only ``units`` of an owner.

    Raises ``JixiaoError`` when ``user`` has no grant, does not hold those units, or is the last
    admin (revoking them would leave nobody able to change grants).
    """
    current = next((g for g in grants if g.user == user), None)
    if current is None:
        raise JixiaoError(f"{user} has no grant to revoke", zh=f"{user} 没有可收回的授权")
    out = [g for g in grants if g.user != user]
    if not units and current.role == "admin" and not any(g.role == "admin" for g in out):
        # Revoking the very last grant would make the store single-user again, where anyone
        # who can run jixiao is admin: never by accident.
        raise JixiaoError(f"{user} is the last admin; grant another admin first",
                          zh=f"{user} 是最后一个 admin（管理员）；请先授权另一个 admin")
    if units:
        if current.role != "owner":
            raise JixiaoError(f"{user} is {current.role}, which is not limited to units; "
                              f"revoke without --unit to remove the role",
                              zh=f"{user} 是 {current.role}，不按单位授权；不带 --unit 收回即可取消该角色")
        missing = [u for u in units if u not in current.units]
        if missing:
            raise JixiaoError(f"{user} holds no grant for unit(s) {', '.join(missing)}",
                              zh=f"{user} 没有单位 {'、'.join(missing)} 的授权")
        left = tuple(u for u in current.units if u not in units)
        if left:
            out.append(Grant(user, "owner", left))
    _require_an_admin(out)
    return out


def _require_an_admin(grants: list[Grant]) -> None:
    if grants and not any(g.role == "admin" for g in grants):
        raise JixiaoError(said("no_admin_left"))
