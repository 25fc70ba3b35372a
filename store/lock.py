"""Inter-process locks: one ``fcntl.flock`` lock file beside each data file.

Data files are replaced by rename on every write, so a lock on the data file itself would guard
a file that no longer exists; a separate, never-replaced lock file does not have that problem.
Readers take no lock: a rename is atomic, so they always see one whole generation.
"""

from __future__ import annotations

import fcntl
import os
import stat
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from .confined import DIR_MODE, FILE_MODE, open_file

__all__ = ["DIR_MODE", "FILE_MODE", "locked", "locked_all"]


@contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold the exclusive lock of ``lock_path`` (created if missing) for the ``with`` body.

    The lock file is opened like every store file (``store.confined``): a planted link in its
    place is refused, never followed, so no file outside the store is created or chmodded.
    """
    fd = open_file(Path(lock_path), os.O_RDONLY | os.O_CREAT, create=True)
    try:
        try:
            st = os.fstat(fd)
            if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) != FILE_MODE:
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
