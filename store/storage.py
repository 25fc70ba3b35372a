"""A TinyDB ``Storage`` that is safe with many processes and with ``kill -9``.

Unlike TinyDB's ``JSONStorage`` it keeps no file handle: every ``read`` opens the file again, so
a file replaced by another process's rename is seen at once. Every ``write`` goes to a temporary
file that is fsynced and renamed over the old one, so a crash leaves either the old or the new
generation, never half of one; the previous generation stays as ``NAME.bak``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tinydb.storages import Storage

from jixiao.core.errors import JixiaoError

from .lock import FILE_MODE, make_dirs
from .schema import stamp, upgrade


def read_file(path: Path, kind: str) -> dict | None:
    """The migrated tables of the ``kind`` file at ``path``, ``None`` if it does not exist.

    Raises ``JixiaoError`` naming the file for anything damaged, foreign or too new; never
    writes.
    """
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise JixiaoError(f"cannot read {path}: {exc.strerror}; check that you are in the data "
                          "directory's group") from None
    return parse(path, kind, raw)


def parse(path: Path, kind: str, raw: bytes) -> dict:
    """Parse and check the bytes of a ``kind`` file (see ``read_file``)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise JixiaoError(f"{path} is damaged (not valid JSON: {exc}). It was left unchanged; "
                          f"{restore_advice(path, kind)}") from None
    return upgrade(path, kind, data)


RECORD_CHECKS: dict = {}
"""``RECORD_CHECKS[kind](path, tables)`` raises ``JixiaoError`` when the parsed tables of a
``kind`` file hold records that cannot be read; each reader module registers its own."""


def restore_advice(path: Path, kind: str) -> str:
    """What to do about the damaged ``kind`` file at ``path``, true for this directory: restore
    ``NAME.bak`` when it is there and reads back whole (``RECORD_CHECKS``), else use a backup.
    Reads only."""
    path = Path(path)
    bak = path.with_name(path.name + ".bak")
    if not bak.exists():
        return f"there is no {bak.name} beside it, so restore it from a backup."
    check = RECORD_CHECKS.get(kind)
    try:
        tables = read_file(bak, kind)
        if check is not None:
            check(bak, tables)  # a .bak is only a remedy if it reads back whole
    except JixiaoError:
        return f"its {bak.name} is damaged too, so restore it from a backup."
    return (f"{bak.name} reads fine (the generation before the last write); to restore it: "
            f"cp -p {bak} {path}, then run `jixiao check`.")


def atomic_write(path: Path, payload: bytes) -> None:
    """Replace ``path`` by ``payload`` durably: tmp file, fsync, keep ``.bak``, rename, fsync dir.

    The caller holds the file's lock, so one fixed temporary name is enough and a temporary file
    left by a killed writer is simply overwritten by the next one.
    """
    path = Path(path)
    make_dirs(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    _write_all(tmp, payload)
    if path.exists():
        _keep_backup(path)
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # makes the rename itself durable
    finally:
        os.close(dir_fd)


def _keep_backup(path: Path) -> None:
    # A hard link costs no copy; the old inode lives on as .bak after the rename.
    bak = path.with_name(path.name + ".bak")
    link = path.with_name(path.name + ".bak.tmp")
    try:
        if link.exists() or link.is_symlink():
            link.unlink()
        os.link(path, link)
        os.replace(link, bak)
    except OSError:
        # e.g. a filesystem without hard links: fall back to a copy.
        _write_all(link, path.read_bytes())
        os.replace(link, bak)


def _write_all(path: Path, payload: bytes) -> None:
    """Write ``payload`` to a fresh ``path`` and fsync it. ``os.write`` may write only part of
    what it is given (signals, full disks, some filesystems), so it is called until all is out."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # the umask may have taken the group's write bit
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def encode(kind: str, tables: dict) -> bytes:
    """The bytes of a ``kind`` file holding ``tables`` (stamped with the current schema)."""
    data = dict(tables)
    data["_meta"] = stamp(kind)
    # UTF-8 rather than \\uXXXX keeps Chinese text readable and files a third smaller.
    # allow_nan=False: NaN and Infinity are not JSON, and other tools would refuse the file.
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError as exc:
        raise JixiaoError(f"refusing to write a {kind} file holding a value JSON cannot "
                          f"represent ({exc}); nothing was changed") from None
    return text.encode("utf-8")


class AtomicStorage(Storage):
    """TinyDB storage for one jixiao file of ``kind``: fresh read every time, atomic writes.

    ``TinyDB(path, storage=AtomicStorage, kind="partition")``. Writing is only safe while the
    caller holds the file's lock (``store.lock.locked``).
    """

    def __init__(self, path, kind: str):
        """Serve the file at ``path``; reading a missing file gives an empty database."""
        self.path = Path(path)
        self.kind = kind

    def read(self) -> dict | None:
        """The whole file, re-read now (``None`` when it does not exist yet)."""
        return read_file(self.path, self.kind)

    def write(self, data: dict) -> None:
        """Replace the file by ``data``, durably and atomically."""
        atomic_write(self.path, encode(self.kind, data))

    def close(self) -> None:
        """Nothing to close: no handle is kept between calls."""
