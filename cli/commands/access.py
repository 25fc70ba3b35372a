"""``jixiao grant``, ``revoke``, ``grants`` and ``log``: who may do what, and who did what.

Only an admin changes grants; the store enforces it (``store.grants``), these commands only
parse and print. Everything printed passes through the console script's output filter (``jixiao.cli.main``), so a
name or note can never send escape sequences to the terminal.
"""

from __future__ import annotations

from jixiao.core.changes import action_word
from jixiao.core.language import current, say

import sys

from jixiao.core.errors import JixiaoError
from jixiao.core.periods import iso_date
from jixiao.core.stamps import local_stamp
from jixiao.core.text import visible
from jixiao.core.textwidth import pad
from jixiao.core.words import role_term

from .common import open_store


def register(subparsers) -> None:
    """Add the ``grant``, ``revoke``, ``grants`` and ``log`` sub-commands."""
    g = subparsers.add_parser(
        "grant", help=say("give a user a role (admin only)", "授予用户角色（仅管理员）"),
        description=say("Give USER (an account name on this machine) a role. Owners record "
                        "progress and spending for the units named with --unit; managers read "
                        "everything; admins import, change settings and grants. The first grant "
                        "must be an admin.",
                        "授予 USER（本机账户名）一个角色。owner（填报人）为 --unit 指定的单位记录进度和支出；"
                        "manager（管理者）可查看全部；admin（管理员）可导入、修改设置和授权。"
                        "第一个授权必须是 admin。"))
    g.add_argument("user", metavar="USER")
    g.add_argument("--role", required=True, choices=("owner", "manager", "admin"))
    g.add_argument("--unit", action="append", default=[], metavar="CODE",
                   help=say("a unit code the owner may edit (repeat for more)",
                            "owner 可填报的单位代码（可重复）"))
    g.set_defaults(func=run_grant)

    r = subparsers.add_parser(
        "revoke", help=say("take a role or some units away (admin only)",
                           "收回角色或部分单位（仅管理员）"),
        description=say("Remove USER's grant, or with --unit only those units of an owner. The "
                        "last admin cannot be revoked.",
                        "收回 USER 的授权；带 --unit 时只收回 owner 的这些单位。不能收回最后一个 admin。"))
    r.add_argument("user", metavar="USER")
    r.add_argument("--unit", action="append", default=[], metavar="CODE",
                   help=say("a unit to take away (repeat for more)", "要收回的单位代码（可重复）"))
    r.set_defaults(func=run_revoke)

    ls = subparsers.add_parser("grants", help=say("list who may do what", "列出谁可以做什么"),
                               description=say("List every grant, and who you are.",
                                               "列出所有授权，以及你是谁。"))
    ls.set_defaults(func=run_grants)

    lg = subparsers.add_parser(
        "log", help=say("list every change: who, when, what", "列出每次更改：谁、何时、做了什么"),
        description=say("The audit log: progress, spending, imports, grants and settings changes, "
                        "oldest first.",
                        "审计日志：进度、支出、导入、授权和设置的更改，最早的在前。"))
    lg.add_argument("--unit", metavar="CODE", help=say("only changes to this unit", "只列该单位的更改"))
    lg.add_argument("--user", metavar="NAME", help=say("only changes by this user", "只列该用户的更改"))
    lg.add_argument("--since", metavar="DATE", help=say("only changes on or after DATE (YYYY-MM-DD)",
                                                        "只列 DATE（YYYY-MM-DD）当天及以后的更改"))
    lg.set_defaults(func=run_log)


def run_grant(args) -> int:
    """Store the grant and print the user's rights afterwards."""
    from jixiao.store.identity import is_known_account

    store = open_store(args, needs="nothing")
    result = store.grant(args.user, args.role, tuple(args.unit))
    print(say("granted: ", "已授权：") + _describe(result))
    if getattr(store, "role_exists", None) is not None:
        if not store.role_exists(result.user):
            print(say(f"jixiao: note: the database has no role {result.user} yet; once the DBA has "
                      f"created it (createuser {result.user}), run this grant again so it gets its "
                      "database privileges",
                      f"jixiao：注意：数据库中还没有角色 {result.user}；数据库管理员创建它之后"
                      f"（createuser {result.user}），请再运行一次这条授权，使它获得数据库权限"),
                  file=sys.stderr)
    elif not is_known_account(result.user):
        print(say(f"jixiao: note: {result.user} is not an account on this machine; "
                  "check the spelling",
                  f"jixiao：注意：{result.user} 不是本机账户，请检查拼写"), file=sys.stderr)
    return 0


def run_revoke(args) -> int:
    """Revoke and print what is left of the user's rights."""
    store = open_store(args, needs="nothing")
    store.revoke(args.user, tuple(args.unit) or None)
    left = next((g for g in store.grants() if g.user == args.user), None)
    if left:
        print(say(f"revoked: {args.user}; left: {_describe(left)}",
                  f"已收回：{args.user}；剩余：{_describe(left)}"))
    else:
        print(say(f"revoked: {args.user}; no grant left (may read only)",
                  f"已收回：{args.user}；已无授权（只能查看）"))
    return 0


def run_grants(args) -> int:
    """Print every grant, or say that the store is single-user."""
    store = open_store(args, needs="any")
    grants = store.grants()
    if not grants:
        print(say("no grants: single-user mode, whoever runs jixiao is admin",
                  "没有授权：单用户模式，运行 jixiao 的人即是管理员"))
    for g in grants:
        print(_describe(g))
    role = store.role()
    print(say(f"you are {store.user}: {role or 'no role (read only)'}",
              f"你是 {store.user}：{_role_word(role) if role else '无角色（只能查看）'}"))
    return 0


def run_log(args) -> int:
    """Print the audit log, one change per line."""
    store = open_store(args, needs="any")
    if args.since is not None:
        iso_date(args.since, "--since")    # refused under the flag's own name, before any reading
    entries = store.log(unit=args.unit, user=args.user, since=args.since)
    for e in entries:
        # One change, one line: a newline or carriage return typed into a note (or planted in
        # a file) is shown as ␊ / ␍, so it can never forge a line that looks like another change.
        units = visible(",".join(e.units) or "-")
        when = visible(local_stamp(e.at))  # local time to the minute, whatever was stored
        action = action_word(e.action, current())
        print(f"{when}  {pad(visible(e.user), 10)} {pad(visible(action), 9)} {pad(units, 8)} "
              f"{visible(e.text(current()))}")
    if not entries:
        print(say("no changes match", "没有符合条件的更改"), file=sys.stderr)
    return 0


def _role_word(role: str) -> str:
    return role_term(role, current())


def _describe(g) -> str:
    if g is None:
        raise JixiaoError("no such grant", zh="没有这个授权")
    units = say(f" of {', '.join(g.units)}", f"，单位 {'、'.join(g.units)}") if g.units else ""
    return visible(f"{g.user}  {_role_word(g.role)}{units}")
