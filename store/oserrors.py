"""An ``OSError`` from the file system turned into a message a person can act on: a full disk,
a read-only file system, a file the acting account may not touch (naming the account, the file's
owner, group and mode, and whether it is immutable), each ``JixiaoError`` with exit status 2
(bad environment) — never a traceback."""

from __future__ import annotations

import errno
import grp
import os
import pwd
import stat
import subprocess
from pathlib import Path

from jixiao.core.errors import JixiaoError
from jixiao.core.faults import os_detail, said
from jixiao.core.language import Said

from .identity import current_user


def fault(exc: OSError, path: Path, doing: str = "write") -> JixiaoError:
    """The ``JixiaoError`` for ``exc``, raised while ``doing`` ``path`` (the file, or the
    directory the file is in): 'write' or 'read' in the store, 'export' writing a file the
    user asked for (whose message ends "nothing was written", not "nothing recorded")."""
    path = Path(path)
    nothing = said("nothing_written" if doing == "export" else "nothing_recorded")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return JixiaoError(said("disk_full", path=path, detail=os_detail(exc), nothing=nothing))
    if exc.errno == errno.EROFS:
        return JixiaoError(said("read_only_fs", path=path, nothing=nothing))
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _denied(path, doing, nothing)
    return JixiaoError(said("os_error", doing=said(f"doing_{doing}"), path=path,
                           detail=os_detail(exc), nothing=nothing))


def _denied(path: Path, doing: str, nothing: Said) -> JixiaoError:
    user = current_user()
    target = path
    try:
        st = os.lstat(target)
    except OSError:
        # The file does not exist yet: its directory is what refused.
        target = path.parent
        try:
            st = os.lstat(target)
        except OSError:
            return JixiaoError(said("os_error", doing=said(f"doing_{doing}"), path=path,
                                   detail=os_detail(errno.EACCES), nothing=nothing))
    owner, group = _name(pwd.getpwuid, st.st_uid), _name(grp.getgrgid, st.st_gid)
    immutable = _immutable(target)
    if immutable:
        advice = said("advice_immutable", path=target)
    elif group not in _groups(user) and os.geteuid() != st.st_uid:
        advice = said("advice_group", user=user, group=group)
    else:
        advice = said("advice_mode", path=target)
    key = "no_read" if doing == "read" else "no_write"
    return JixiaoError(said(key, user=user, path=target, owner=owner, group=group,
                           mode=stat.filemode(st.st_mode),
                           flags=", chattr +i" if immutable else "", advice=advice,
                           nothing=nothing))


def _name(lookup, number: int) -> str:
    try:
        return lookup(number)[0]
    except KeyError:
        return str(number)


def _groups(user: str) -> set[str]:
    try:
        return {_name(grp.getgrgid, g) for g in os.getgroups()} | {
            _name(grp.getgrgid, os.getegid())}
    except OSError:
        return set()


def _immutable(path: Path) -> bool:
    """Whether ``path`` carries the immutable or append-only attribute (``lsattr``)."""
    try:
        out = subprocess.run(["lsattr", "-d", str(path)], capture_output=True, text=True,
                             timeout=5)
    except (OSError, subprocess.SubprocessError):
        return False
    flags = out.stdout.split(" ", 1)[0] if out.returncode == 0 else ""
    return "i" in flags or "a" in flags
