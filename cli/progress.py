"""A progress bar on standard error for long work (import, export-*, snapshot, db copy).

Shown with rich (which Textual brings) only when standard error is a terminal, so scripts, pipes
and cron mails see nothing extra; rich is imported only then, which keeps a plain command quick.
Core code never sees rich: it is handed the ``advance`` callable of the bar.

    with progress("导出", total=len(projects)) as advance:
        for project in projects:
            ...
            advance(1)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def _noop(n: int = 1) -> None:
    return None


def _terminal(stream):
    # The command line wraps standard error so user text cannot drive the terminal
    # (cli.main._VisibleWriter); the bar's own escape codes go to the stream underneath.
    stream = stream if stream is not None else sys.stderr
    return getattr(stream, "raw", stream)


def wanted(stream=None) -> bool:
    """Whether a bar would be drawn on ``stream`` (standard error): a terminal, and not ``TERM=dumb``."""
    stream = _terminal(stream)
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


@contextmanager
def progress(label: str, total: int | None = None, *, stream=None) -> Iterator[Callable[[int], None]]:
    """A bar named ``label`` over ``total`` steps (``None``: a spinner that only counts), for the
    duration of the ``with`` block; yields ``advance(n=1)``. Nothing is drawn when ``stream``
    (default standard error) is not a terminal, and the bar is removed when the work is done."""
    if not wanted(stream):
        yield _noop
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn,
                               TextColumn, TimeElapsedColumn)

    from jixiao.core.text import visible

    console = Console(file=_terminal(stream))
    columns = [SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=console, transient=True) as bar:
        # The label may hold a file name: shown literally, control characters made visible.
        task = bar.add_task(visible(label), total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance
