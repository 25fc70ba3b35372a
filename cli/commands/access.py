"""``jixiao grant``, ``revoke``, ``grants`` and ``log``: who may do what, and who did what.

Only an admin changes grants; the store enforces it (``store.grants``), these commands only
parse and print. Everything printed passes through the console script's output filter (``jixiao.cli.main``), so a
name or note can never send escape sequences to the terminal.
"""

from __future__ import annotations

import sys

from jixiao.core.errors import JixiaoError
from jixiao.core.text import visible

from .common import open_store


def register(subparsers) -> None:
    """Add the ``grant``, ``revoke``, ``grants`` and ``log`` sub-commands."""
    g = subparsers.add_parser(
        "grant", help="give a user a role (admin only)",
        description="Give USER (an account name on this machine) a role. Owners record progress "
                    "and spending for the units named with --unit; managers read everything; "
                    "admins import, change settings and grants. The first grant must be an admin.")
    g.add_argument("user", metavar="USER")
    g.add_argument("--role", required=True, choices=("owner", "manager", "admin"))
    g.add_argument("--unit", action="append", default=[], metavar="CODE",
                   help="a unit code the owner may edit (repeat for more)")
    g.set_defaults(func=run_grant)

    r = subparsers.add_parser(
        "revoke", help="take a role or some units away (admin only)",
        description="Remove USER's grant, or with --unit only those units of an owner. The last "
                    "admin cannot be revoked.")
    r.add_argument("user", metavar="USER")
    r.add_argument("--unit", action="append", default=[], metavar="CODE")
    r.set_defaults(func=run_revoke)

    ls = subparsers.add_parser("grants", help="list who may do what",
                               description="List every grant, and who you are.")
    ls.set_defaults(func=run_grants)

    lg = subparsers.add_parser(
        "log", help="list every change: who, when, what",
        description="The audit log: progress, spending, imports, grants and settings changes, "
                    "oldest first.")
    lg.add_argument("--unit", metavar="CODE", help="only changes to this unit")
    lg.add_argument("--user", metavar="NAME", help="only changes by this user")
    lg.add_argument("--since", metavar="DATE", help="only changes on or after DATE (YYYY-MM-DD)")
    lg.set_defaults(func=run_log)


def run_grant(args) -> int:
    """Store the grant and print the user's rights afterwards."""
    from jixiao.store.identity import is_known_account

    store = open_store(args, needs="nothing")
    result = store.grant(args.user, args.role, tuple(args.unit))
    print(f"granted: {_describe(result)}")
    if getattr(store, "role_exists", None) is not None:
        if not store.role_exists(result.user):
            print(f"jixiao: note: the database has no role {result.user} yet; once the DBA has "
                  f"created it (createuser {result.user}), run this grant again so it gets its "
                  "database privileges", file=sys.stderr)
    elif not is_known_account(result.user):
        print(f"jixiao: note: {result.user} is not an account on this machine; "
              "check the spelling", file=sys.stderr)
    return 0


def run_revoke(args) -> int:
    """Revoke and print what is left of the user's rights."""
    store = open_store(args, needs="nothing")
    store.revoke(args.user, tuple(args.unit) or None)
    left = next((g for g in store.grants() if g.user == args.user), None)
    print(f"revoked: {args.user}" + (f"; left: {_describe(left)}" if left else
                                              "; no grant left (may read only)"))
    return 0


def run_grants(args) -> int:
    """Print every grant, or say that the store is single-user."""
    store = open_store(args, needs="any")
    grants = store.grants()
    if not grants:
        print("no grants: single-user mode, whoever runs jixiao is admin")
    for g in grants:
        print(_describe(g))
    print(f"you are {store.user}: {store.role() or 'no role (read only)'}")
    return 0


def run_log(args) -> int:
    """Print the audit log, one change per line."""
    store = open_store(args, needs="any")
    entries = store.log(unit=args.unit, user=args.user, since=args.since)
    for e in entries:
        # One change, one line: a newline or carriage return typed into a note (or planted in
        # a file) is shown as ␊ / ␍, so it can never forge a line that looks like another change.
        units = visible(",".join(e.units) or "-")
        when = visible(e.at[:19].replace("T", " "))  # to the second: either precision
        print(f"{when}  {visible(e.user):<10} {visible(e.action):<9} {units:<8} "
              f"{visible(e.what)}")
    if not entries:
        print("no changes match", file=sys.stderr)
    return 0


def _describe(g) -> str:
    if g is None:
        raise JixiaoError("no such grant")
    units = f" of {', '.join(g.units)}" if g.units else ""
    return visible(f"{g.user}  {g.role}{units}")
