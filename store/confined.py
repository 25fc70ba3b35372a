"""Files inside the data directory, opened without ever following a symbolic link (issue 14).

Every member of the data directory's group may create entries in it, so any name in it may be
a link planted to make the next writer — perhaps root — overwrite or chmod a file elsewhere.
Below the data directory itself (which the admin chose, link or not), every directory is opened
with ``O_NOFOLLOW`` one component at a time and every file relative to its directory's
descriptor; new files are created with ``O_EXCL`` under a fresh random name, so neither a
planted link nor a planted file is ever reused. A link where a store file or directory should
be is refused with a message naming it.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from jixiao.core.errors import JixiaoError
from jixiao.core.faults import said
from jixiao.core.language import Said

from .oserrors import fault

FILE_MODE = 0o660
"""Mode of every file the store creates: the group reads and writes, others nothing."""

DIR_MODE = 0o2770
"""Mode of every directory the store creates: setgid, so new files keep the shared group."""

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def store_parts(path: Path) -> tuple[Path, tuple[str, ...]]:
    """The data directory holding the store file ``path`` and the names leading from it to the
    file: ``DATA/units/2023/F.json`` → ``(DATA, ("units", "2023", "F.json"))`` (and the same
    for ``DATA/summaries/…``), ``DATA/F`` → ``(DATA, ("F",))``."""
    p = Path(path)
    if p.parent.name.isdigit() and p.parent.parent.name in ("units", "summaries"):
        return p.parent.parent.parent, (p.parent.parent.name, p.parent.name, p.name)
    return p.parent, (p.name,)


def refuse_link(dir_fd: int, name: str, path: Path) -> os.stat_result | None:
    """The ``lstat`` of ``name`` in ``dir_fd`` (``None`` if absent); ``JixiaoError`` when it is
    a symbolic link, or a directory where a file belongs."""
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise fault(exc, path, "read") from None
    if stat.S_ISLNK(st.st_mode):
        raise JixiaoError(link_message(path, _target(dir_fd, name)))
    if stat.S_ISDIR(st.st_mode):
        raise JixiaoError(dir_message(path))
    return st


def link_message(path: Path, target: str) -> Said:
    """The refusal of the link at ``path`` (to ``target``): remove it, and restore the file
    when a data file (not a lock, backup or temporary file) belongs there."""
    return said("symlink", path=path, target=target, restore=_restore(path))


def dir_message(path: Path) -> Said:
    """The refusal of a directory at ``path``, where a store file belongs."""
    return said("not_a_file", path=path, restore=_restore(path))


def _restore(path: Path) -> Said | str:
    return "" if Path(path).name.endswith((".lock", ".tmp", ".bak")) else said("symlink_restore")


def _target(dir_fd: int, name: str) -> str:
    try:
        return os.readlink(name, dir_fd=dir_fd)
    except OSError:
        return "?"


@contextmanager
def directory_of(path: Path, *, create: bool) -> Iterator[tuple[int, str]]:
    """``(descriptor of the directory holding path, file name)``, every directory below the
    data directory opened without following links (and, with ``create``, made when missing
    with ``DIR_MODE``). ``JixiaoError`` for a link or a non-directory on the way."""
    root, names = store_parts(path)
    if create and not root.exists():
        _make_root(root)
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise fault(exc, root, "read") from None
    try:
        here = root
        for name in names[:-1]:
            here = here / name
            parent, fd = fd, -1
            try:
                fd = _descend(parent, name, here, create)
            finally:
                os.close(parent)
        yield fd, names[-1]
    finally:
        if fd >= 0:
            os.close(fd)


def _descend(fd: int, name: str, here: Path, create: bool) -> int:
    """Open the sub-directory ``name`` of ``fd``, making it if allowed."""
    try:
        for attempt in (0, 1):
            try:
                return os.open(name, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if not create or attempt:
                    raise
                try:
                    os.mkdir(name, DIR_MODE, dir_fd=fd)
                except FileExistsError:
                    continue  # another process made it first
                sub = os.open(name, _DIR_FLAGS, dir_fd=fd)
                try:
                    os.fchmod(sub, DIR_MODE)  # the umask may have taken bits
                except OSError:
                    pass
                return sub
            except OSError as exc:
                if exc.errno in (errno.ENOTDIR, errno.ELOOP):
                    st = os.stat(name, dir_fd=fd, follow_symlinks=False)
                    if stat.S_ISLNK(st.st_mode):
                        raise JixiaoError(link_message(here, _target(fd, name))) from None
                    raise JixiaoError(said("not_a_dir", path=here)) from None
                raise
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(here))
    except OSError as exc:
        raise fault(exc, here, "write" if create else "read") from None


def _make_root(root: Path) -> None:
    missing = []
    p = root
    while not p.exists() and not p.is_symlink():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            raise fault(exc, d) from None
        try:
            os.chmod(d, DIR_MODE)
        except OSError:
            pass


def open_file(path: Path, flags: int, *, create: bool = False) -> int:
    """A descriptor of the store file ``path`` opened with ``flags`` (plus ``O_NOFOLLOW``),
    through directories opened without following links; ``JixiaoError`` for a link, a
    directory in its place, or an ``OSError`` (as ``store.oserrors.fault``).
    ``FileNotFoundError`` passes through when the file is missing and not ``create``d."""
    with directory_of(path, create=create) as (dir_fd, name):
        try:
            return os.open(name, flags | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE, dir_fd=dir_fd)
        except FileNotFoundError:
            raise
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EISDIR):
                refuse_link(dir_fd, name, Path(path))
            raise fault(exc, Path(path), "write" if create else "read") from None


def read_bytes(path: Path) -> tuple[bytes, os.stat_result] | None:
    """The bytes of the store file ``path`` and the ``fstat`` of exactly that file, ``None`` when
    it does not exist. The file itself is opened without following a link (a link is refused);
    the directories on the way may be links, which ``jixiao check`` reports — reading through
    one cannot change anything."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise JixiaoError(link_message(path, _link_target(path))) from None
        raise fault(exc, path, "read") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise JixiaoError(dir_message(path))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(), st
    except OSError as exc:
        raise fault(exc, path, "read") from None
    finally:
        os.close(fd)


def read_bytes_at(dir_fd: int, name: str, path: Path) -> bytes:
    """The bytes of the file ``name`` in ``dir_fd`` (at ``path``), not following a link."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError as exc:
        raise fault(exc, path, "read") from None
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def write_fresh(dir_fd: int, base: str, payload: bytes, path: Path, *,
                mode: int = FILE_MODE) -> str:
    """Write ``payload`` durably to a new file beside ``base`` in ``dir_fd`` and return its
    name (``BASE.RANDOM.tmp``): created with ``O_EXCL|O_NOFOLLOW``, so it is always a new
    file of this process, never a planted one. Removed again when the write fails."""
    name = f"{base}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                     mode, dir_fd=dir_fd)
    except OSError as exc:
        raise fault(exc, path.parent) from None
    try:
        try:
            os.fchmod(fd, mode)  # the umask may have taken the group's write bit
            view = memoryview(payload)
            # os.write may write only part of what it is given (signals, full disks).
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        remove_quietly(dir_fd, name)
        raise fault(exc, path) from None
    except BaseException:
        remove_quietly(dir_fd, name)
        raise
    return name


def remove_quietly(dir_fd: int, name: str) -> None:
    """Unlink ``name`` in ``dir_fd`` (never follows a link), ignoring any failure."""
    try:
        os.unlink(name, dir_fd=dir_fd)
    except OSError:
        pass
