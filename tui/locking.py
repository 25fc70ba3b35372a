"""A readers–writer lock for the in-memory dataset the app shares with its workers.

Reading (drawing, searching, evaluating) may happen in several threads at once; only applying
another process's changes or a new entry must be alone. A plain lock would make a cursor move
wait for a half-second evaluation at 100k indicators; this one makes it wait only for writes,
which touch one partition and take milliseconds.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator


class ReadWriteLock:
    """Many readers or one writer. Not reentrant for writers; a writer must not read inside."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the lock shared: waits only while a writer holds it."""
        with self._cond:
            while self._writer:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the lock alone: waits for every reader and writer to leave."""
        with self._cond:
            while self._writer or self._readers:
                self._cond.wait()
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()
