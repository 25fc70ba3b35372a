"""Inter-process locks: one ``fcntl.flock`` lock file beside each data file.

Data files are replaced by rename on every write, so a lock on the data file itself would guard
a file that no longer exists; a separate, never-replaced lock file does not have that problem.
Readers take no lock: a rename is atomic, so they always see one whole generation.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from jixiao.core.errors import JixiaoError

FILE_MODE = 0o660
"""Mode of every file the store creates: the group reads and writes, others nothing."""

DIR_MODE = 0o2770
"""Mode of every directory the store creates: setgid, so new files keep the shared group."""


def make_dirs(path: Path) -> None:
    """Create ``path`` and missing parents with ``DIR_MODE`` (existing ones are left alone)."""
    missing = []
    p = Path(path)
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir()
        except FileExistsError:
            continue  # another process made it first
        except OSError as exc:
            raise JixiaoError(f"cannot create directory {d}: {exc.strerror}") from None
        try:
            os.chmod(d, DIR_MODE)
        except OSError:
            pass  # not ours to change (e.g. made by another user a moment ago)


@contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold the exclusive lock of ``lock_path`` (created if missing) for the ``with`` body."""
    make_dirs(lock_path.parent)
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_CREAT, FILE_MODE)
    except OSError as exc:
        raise JixiaoError(f"cannot open lock file {lock_path}: {exc.strerror}; "
                          "check that you are in the data directory's group") from None
    try:
        try:
            if os.fstat(fd).st_uid == os.geteuid():
                os.fchmod(fd, FILE_MODE)
        except OSError:
            pass
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        # Closing the descriptor releases the lock, also when the process is killed.
        os.close(fd)


@contextmanager
def locked_all(lock_paths: Iterable[Path]) -> Iterator[None]:
    """Hold several locks at once, taken in sorted order so two writers never deadlock."""
    with ExitStack() as stack:
        for p in sorted(set(Path(x) for x in lock_paths)):
            stack.enter_context(locked(p))
        yield
