"""A head start for the monitoring screen on PostgreSQL: the first screen's reads, made by a
forked child process while this one imports the UI.

Importing psycopg (~70 ms) and Textual (~200 ms), connecting and reading the first unit all
want the interpreter, and in one process they add up: the first screen at 100k indicators came
2.1-2.4× as late as a bare Textual app's. ``begin`` forks before the UI is imported; the child
imports psycopg, connects as the same OS account (the server authenticates it the same way),
asks what a start-up asks first (``_ask``) and sends the answers through a pipe, on another
core. The parent wraps them in a ``HeadStart`` store: each answer is given once, to the same
question; anything else, and anything asked again, goes to the parent's own ``PgStore``, opened
when first needed (by the start-up's middle stage, unless the user is ahead of it). Answers
not taken by the end of the lead stage are dropped, so none is older than the start-up it was
for, and the server still decides everything: the child only reads what the parent could read.

The child has no terminal (a session of its own, its standard streams ``/dev/null``) and ends
with its last answer; told to stop, it cancels its query on the server first. If the parent
goes first it stops at its next write. When it fails — the server is down, the schema too new —
or has not answered within a second (a table locked), the parent opens its own store as without
a head start: the same screen, message and exit status.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
from typing import Callable

from jixiao.core.evaluator import Stopped

from . import summaries
from .layout import first_keys

_HEADER = struct.Struct(">Q")


def begin(url: str) -> "HeadStart | None":
    """Fork a child that reads the first screen of the database at ``url``; ``None`` where
    that cannot be done safely (not Linux, or threads already running: a child forked from a
    threaded process may inherit a lock held forever) — the caller then opens its store itself.
    Call it before importing the UI."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return None
    try:
        r, w = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return None
    if pid == 0:                          # the child: never returns
        os.close(r)
        _child(url, w)
    os.close(w)
    return HeadStart(url, pid, r)


def _child(url: str, fd: int) -> None:
    status = 1
    try:
        # A session of its own: no controlling terminal to prompt on (libpq, OpenSSL) and no
        # signal from the user's keys; its standard streams go nowhere.
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for n in (0, 1, 2):
            os.dup2(null, n)
        # Told to stop (``HeadStart._end``), psycopg first cancels the query running on the
        # server (it does so for SystemExit): a query waiting for a lock does not outlive us.
        signal.signal(signal.SIGTERM, _exit_now)
        _ask(url, lambda answer: _send(fd, answer))
        status = 0
    except BaseException:  # noqa: BLE001 — the parent asks its own store and says what is wrong
        pass
    finally:
        os._exit(status)


def _exit_now(signum, frame) -> None:
    raise SystemExit(1)


def _send(fd: int, answer) -> None:
    data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _ask(url: str, send: Callable[[object], None]) -> None:
    """Ask the questions of a start-up's first and lead stages (``tui.sync``) of a store of
    its own at ``url``, and ``send`` the answers in two parts: who, what may be done and the
    first unit (as soon as known), then the lead. The first part goes out from a thread, so the
    lead is being asked while the parent is still busy and not yet reading."""
    from .postgres import PgStore

    store = PgStore(url)
    listing = store.unit_listing()
    keys = first_keys(listing)
    # Each answer with what it was asked (``HeadStart._replay``).
    first: dict = {"role": ((), store.role()), "can_report": ((), store.can_report()),
                   "unit_listing": ((), listing)}
    if keys is not None:
        first["load"] = (keys, store.load(keys=keys))
        first["can_edit_unit"] = (keys[0].unit_code, store.can_edit_unit(keys[0].unit_code))
    sending = threading.Thread(target=send, args=((store.user, first),))
    sending.start()
    lead = {}
    if keys is not None:
        asked = (summaries.LEAD_ROWS, summaries.FEW_STALE, frozenset({keys[0].unit_code}))
        try:
            lead["lead"] = (asked, store.lead(asked[0], most=asked[1], skip=asked[2]))
        except Exception:  # noqa: BLE001 — the parent's own store asks again and says why
            pass
    sending.join()
    send(lead)


class HeadStart:
    """A store whose start-up answers were read ahead by a child process (see the module):
    ``role``, ``can_report``, ``unit_listing``, ``load`` of the first unit, ``can_edit_unit``
    of it and ``lead`` are answered from the child once each, to the same question; every
    other operation, and those asked again, from a ``PgStore`` of this process, opened when
    first needed."""

    def __init__(self, url: str, pid: int, fd: int):
        """Read answers from the child ``pid`` through the pipe ``fd``; ``url`` opens the
        process's own store."""
        self.url = url
        self._pid, self._fd = pid, fd
        self._user: str | None = None
        self._answers: dict = {}
        self._reading = threading.Lock()      # one reader of the pipe at a time
        self._child = threading.Lock()        # the child's pid is signalled before it is reaped
        self._reaped = False
        self._opening = threading.Lock()
        self._store = None

    # --- the child -----------------------------------------------------------------------
    def ready(self, timeout: float = 1.0) -> bool:
        """Wait up to ``timeout`` seconds for the child's first answers; ``False`` when it
        failed or is slower (a server busy, a table locked): the child is stopped and the
        caller opens a store the usual way, whose screen says it is loading — and meets the
        child's error itself, if there was one."""
        deadline = time.monotonic() + timeout
        try:
            got = self._receive(lambda: time.monotonic() > deadline)
        except Stopped:
            return False
        except BaseException:
            self._end_child()                 # Ctrl+C meanwhile: nothing is left running
            raise
        if got is None:
            return False
        self._user, self._answers = got
        return True

    def _receive(self, stop: Callable[[], bool] | None = None):
        """The child's next part, ``None`` once it has ended (or failed); raise ``Stopped``
        when ``stop`` says so meanwhile."""
        with self._reading:
            if self._fd is None:
                return None
            header = self._read(_HEADER.size, stop)
            data = self._read(_HEADER.unpack(header)[0], stop) if header else None
            if data is None:
                self._end()
                return None
            return pickle.loads(data)

    def _read(self, n: int, stop) -> bytes | None:
        chunks, left = [], n
        while left:
            if stop is not None:
                # A look at ``stop`` every 50 ms: quitting never waits for the child's query.
                while not select.select([self._fd], [], [], 0.05)[0]:
                    if stop():
                        self._end()
                        raise Stopped
            chunk = os.read(self._fd, min(left, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _end(self) -> None:
        """Stop the child (if still running), reap it and close the pipe (hold ``_reading``)."""
        if self._fd is None:
            return
        os.close(self._fd)
        self._fd = None
        self._kill()
        with self._child:
            if self._reaped:
                return
            # A second for it to cancel its query on the server and go; then it is killed —
            # never once reaped, when its pid may already be another process's.
            deadline = time.monotonic() + 1.0
            try:
                while os.waitpid(self._pid, os.WNOHANG) == (0, 0):
                    if time.monotonic() > deadline:
                        os.kill(self._pid, signal.SIGKILL)
                        os.waitpid(self._pid, 0)
                        break
                    time.sleep(0.005)
            except ChildProcessError:
                pass
            self._reaped = True

    def _kill(self) -> None:
        """Tell the child to stop (it cancels its query first); a thread waiting for its
        answer then reads the end of the pipe."""
        # Only an unreaped child: its pid cannot have been given to another process yet.
        with self._child:
            if not self._reaped:
                try:
                    os.kill(self._pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass

    def _replay(self, question: str, asked, own: Callable):
        """The child's answer to ``question`` asked with ``asked``, given once; else (none
        kept, or asked otherwise) ``own(store)`` of the process's own store."""
        held = self._answers.pop(question, None)      # one step: two threads never share it
        if held is not None and held[0] == asked:
            return held[1]
        return own(self._own())

    # --- this process's own store ----------------------------------------------------------
    def _own(self):
        """The ``PgStore`` of this process, opened the first time it is needed."""
        with self._opening:
            if self._store is None:
                from .postgres import PgStore

                self._store = PgStore(self.url)
            return self._store

    def __getattr__(self, name: str):
        # Every operation the child was not asked, as the own store's method. Opened when
        # called, so that a store that cannot be opened fails the operation, where the screen
        # handles it, not the look-up (``getattr(store, name, None)``).
        from .postgres import PgStore

        if name.startswith("_") or not callable(getattr(PgStore, name, None)):
            raise AttributeError(name)

        def operation(*args, **kwargs):
            self._past_start()
            return getattr(self._own(), name)(*args, **kwargs)

        return operation

    def _past_start(self) -> None:
        """The start-up is past its first stages (or the user is ahead of them): what the
        child read is not given any more, and the child, if still reading, is stopped."""
        self._answers.clear()
        self._kill()
        self._end_child()

    def _end_child(self) -> None:
        with self._reading:
            self._end()

    # --- the answers -----------------------------------------------------------------------
    @property
    def user(self) -> str:
        """The acting role: the server's ``session_user``, as the child was told it."""
        return self._user if self._user is not None else self._own().user

    def role(self) -> str | None:
        """As ``PgStore.role``."""
        return self._replay("role", (), lambda store: store.role())

    def can_report(self) -> bool:
        """As ``PgStore.can_report``."""
        return self._replay("can_report", (), lambda store: store.can_report())

    def unit_listing(self):
        """As ``PgStore.unit_listing``."""
        return self._replay("unit_listing", (), lambda store: store.unit_listing())

    def load(self, keys=None, **options):
        """As ``PgStore.load``."""
        # Only the first unit's load was asked ahead: no other keys, no options.
        asked = list(keys) if keys is not None and not options else None
        return self._replay("load", asked, lambda store: store.load(keys, **options))

    def can_edit_unit(self, unit_code: str) -> bool:
        """As ``PgStore.can_edit_unit``."""
        return self._replay("can_edit_unit", unit_code,
                            lambda store: store.can_edit_unit(unit_code))

    def lead(self, rows: int, *, skip=(), most: int = 16, stop=None):
        """As ``PgStore.lead``: the child's answer when it asked the same, else the own
        store's. The own store is not opened meanwhile: importing psycopg beside this stage's
        work slowed it (0.41 s against 0.21 s at 1M indicators); the next stage opens it."""
        part = self._receive(stop)            # the child's last part: it is reaped at once
        if part is not None:
            self._answers.update(part)
            self._end_child()
        elif stop is not None and stop():
            raise Stopped                     # the child was stopped: the screen is closing
        try:
            return self._replay("lead", (rows, most, frozenset(skip)),
                                lambda store: store.lead(rows, skip=skip, most=most, stop=stop))
        finally:
            self._answers.clear()             # the start-up is past what the child read

    def cancel_reading(self) -> None:
        """As ``PgStore.cancel_reading``; the child, if still reading, is stopped too (which
        ends a wait for its answer at once: the waiting thread then reaps it)."""
        self._kill()
        if self._reading.acquire(blocking=False):
            try:
                self._end()
            finally:
                self._reading.release()
        if self._store is not None:
            self._store.cancel_reading()
