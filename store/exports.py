"""Files a user asked for (exports, reports, snapshots): written all at once or not at all."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from jixiao.core.errors import JixiaoError

from .oserrors import fault


def write_atomically(path: Path, content, *, encoding: str = "utf-8", binary: bool = False) -> None:
    """Replace ``path`` with ``content`` — a string, or a function that writes to the text
    stream it is given — all at once: a half-written export must never replace a good one,
    nor be left behind. With ``binary`` the content is bytes, or a function that writes to a
    binary stream (a workbook). A ``JixiaoError`` names the file when it cannot be written."""
    if path.is_dir():
        raise JixiaoError(f"{path} is a directory; -o needs a file name",
                          zh=f"{path} 是目录；需要文件名")
    if _is_stream(path):
        _write_through(path, content, encoding=encoding, binary=binary)
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        # 0o666 less the umask, like any file the user writes: a shared server's umask 007
        # keeps exports within the group.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise fault(exc, path, "export") from None
    try:
        try:
            # Replacing a file keeps its mode: a 0600 export stays private when written again.
            os.fchmod(fd, stat.S_IMODE(os.stat(path).st_mode))
        except FileNotFoundError:
            pass
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline="")) as fh:
            _produce(content)(fh)
            fh.flush()
            # On disk before the rename: after a crash the old file or the new, never neither.
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise fault(exc, path, "export") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _is_stream(path: Path) -> bool:
    # -o /dev/null, /dev/stdout or a named pipe: a device or pipe is written into, never
    # replaced — a rename over /dev/null (as root) would turn it into a plain file for everyone.
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_through(path: Path, content, *, encoding: str, binary: bool) -> None:
    try:
        fd = os.open(path, os.O_WRONLY)
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline="")) as fh:
            _produce(content)(fh)
    except OSError as exc:
        raise fault(exc, path, "export") from None


def _produce(content):
    return content if callable(content) else (lambda fh: fh.write(content))
