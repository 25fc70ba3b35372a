"""A TinyDB ``Storage`` that is safe with many processes and with ``kill -9``.

Unlike TinyDB's ``JSONStorage`` it keeps no file handle: every ``read`` opens the file again, so
a file replaced by another process's rename is seen at once. Every ``write`` goes to a temporary
file that is fsynced and renamed over the old one, so a crash leaves either the old or the new
generation, never half of one; the previous generation stays as ``NAME.bak``.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from tinydb.storages import Storage

from jixiao.core.errors import JixiaoError
from jixiao.core.faults import said

from . import confined
from .oserrors import fault
from .schema import stamp, upgrade


def read_file(path: Path, kind: str) -> dict | None:
    """The migrated tables of the ``kind`` file at ``path``, ``None`` if it does not exist.

    Raises ``JixiaoError`` naming the file for anything damaged, foreign or too new; never
    writes.
    """
    got = confined.read_bytes(Path(path))
    return None if got is None else parse(path, kind, got[0])


def damaged(path: Path, kind: str, en: str, zh: str) -> JixiaoError:
    """The refusal for the damaged ``kind`` file at ``path``: what is wrong (``en``/``zh``),
    that it was left unchanged, and how to restore it."""
    return JixiaoError(f"{path} is damaged ({en}). It was left unchanged; "
                       f"{restore_advice(path, kind)}",
                       zh=f"{path} 已损坏（{zh}）。文件未被改动；{restore_advice(path, kind, 'zh')}")


def parse(path: Path, kind: str, raw: bytes) -> dict:
    """Parse and check the bytes of a ``kind`` file (see ``read_file``)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        where = (f"第 {exc.lineno} 行第 {exc.colno} 列" if isinstance(exc, json.JSONDecodeError)
                 else "不是 UTF-8 文本")
        raise damaged(path, kind, f"not valid JSON: {exc}", f"不是有效的 JSON：{where}") from None
    except RecursionError:     # thousands of nested brackets: planted, never written by jixiao
        raise damaged(path, kind, "nested too deeply to be a jixiao file",
                      "嵌套过深，不是 jixiao 文件") from None
    return upgrade(path, kind, data)


RECORD_CHECKS: dict = {}
"""``RECORD_CHECKS[kind](path, tables)`` raises ``JixiaoError`` when the parsed tables of a
``kind`` file hold records that cannot be read; each reader module registers its own."""


def restore_advice(path: Path, kind: str, lang: str = "en") -> str:
    """What to do about the damaged ``kind`` file at ``path``, true for this directory: restore
    ``NAME.bak`` when it is there and reads back whole (``RECORD_CHECKS``), else use a backup.
    Reads only."""
    path = Path(path)
    bak = path.with_name(path.name + ".bak")
    zh = lang == "zh"
    if not bak.exists():
        return (f"旁边没有 {bak.name}，请从备份恢复。" if zh
                else f"there is no {bak.name} beside it, so restore it from a backup.")
    check = RECORD_CHECKS.get(kind)
    try:
        tables = read_file(bak, kind)
        if check is not None:
            check(bak, tables)  # a .bak is only a remedy if it reads back whole
    except JixiaoError:
        return (f"它的 {bak.name} 也已损坏，请从备份恢复。" if zh
                else f"its {bak.name} is damaged too, so restore it from a backup.")
    if zh:
        return f"{bak.name} 可以读取（最后一次写入之前的版本）；恢复方法：cp -p {bak} {path}，然后运行 jixiao check。"
    return (f"{bak.name} reads fine (the generation before the last write); to restore it: "
            f"cp -p {bak} {path}, then run `jixiao check`.")


def atomic_write(path: Path, payload: bytes) -> None:
    """Replace ``path`` by ``payload`` durably: fresh tmp file, fsync, keep ``.bak``, rename,
    fsync the directory. Nothing is followed: a link where the file, its ``.bak`` or a
    directory on the way should be is refused (``store.confined``), and the temporary file is
    a new one of this process. A full disk or a refused write is a ``JixiaoError`` and leaves
    the old generation in place.
    """
    path = Path(path)
    with confined.directory_of(path, create=True) as (dir_fd, name):
        existing = confined.refuse_link(dir_fd, name, path)
        bak = name + ".bak"
        confined.refuse_link(dir_fd, bak, path.with_name(bak))
        tmp = confined.write_fresh(dir_fd, name, payload, path)
        try:
            if existing is not None:
                _keep_backup(dir_fd, name, path)
            os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            os.fsync(dir_fd)  # makes the rename itself durable
        except OSError as exc:
            confined.remove_quietly(dir_fd, tmp)
            raise fault(exc, path) from None
        except BaseException:
            confined.remove_quietly(dir_fd, tmp)
            raise


def _keep_backup(dir_fd: int, name: str, path: Path) -> None:
    # A hard link costs no copy; the old inode lives on as .bak after the rename.
    bak = name + ".bak"
    link = f"{name}.{secrets.token_hex(6)}.bak.tmp"
    try:
        os.link(name, link, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        # e.g. a filesystem without hard links: fall back to a copy.
        got = confined.read_bytes_at(dir_fd, name, path)
        link = confined.write_fresh(dir_fd, bak, got, path.with_name(bak))
    try:
        os.replace(link, bak, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        confined.remove_quietly(dir_fd, link)
        raise


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
                          f"represent ({exc}); nothing was changed",
                          zh=f"拒绝写入含有 JSON 无法表示的值的 {kind} 文件（{exc}）；未做任何更改") from None
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


def undo_writes(done: list[tuple[Path, bool]], cause: JixiaoError) -> JixiaoError:
    """Undo the ``atomic_write`` of each ``(path, existed before)`` in ``done`` — restore the
    ``.bak`` the write made, or remove a file the write created — and return the error to raise:
    ``cause`` saying the store is as it was, or, when an undo failed, naming what is half done.
    Renames and unlinks need no free space, so this works on a full disk."""
    if not done:
        return cause
    failed = []
    for path, existed in reversed(done):
        try:
            with confined.directory_of(path, create=False) as (dir_fd, name):
                if existed:
                    os.replace(name + ".bak", name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
                else:
                    os.unlink(name, dir_fd=dir_fd)
                os.fsync(dir_fd)
        except (OSError, JixiaoError):
            failed.append(str(path))
    if failed:
        return JixiaoError(said("import_half_done", cause=cause.said,
                               files=", ".join(failed)), cause.exit_code)
    return JixiaoError(said("import_undone", cause=cause.said, count=len(done)),
                       cause.exit_code)
