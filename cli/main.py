"""The ``jixiao`` console script: the TUI by default, sub-commands for everything else."""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from jixiao.core.errors import JixiaoError
from jixiao.core.faults import set_language
from jixiao.core.text import visible
from jixiao.store.oserrors import fault

from .commands import MODULES
from .commands.common import demo_session


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="jixiao",
        description="预算绩效运行监控 — monitor budget performance targets in the terminal. "
                    "Without a COMMAND, opens the monitoring screen.",
        epilog="Try it on the sample data: jixiao --demo",
    )
    parser.add_argument("--version", action="version", version=f"jixiao {_version()}")
    parser.add_argument("--data", metavar="DIR",
                        help="data directory (default: $JIXIAO_DATA, else ~/.local/share/jixiao)")
    parser.add_argument("--db", metavar="URL",
                        help="a PostgreSQL database instead of a data directory, as a libpq URL "
                             "(default: $JIXIAO_DB), e.g. postgresql:///jixiao")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh",
                        help="language of labels and reasons (default: zh)")
    parser.add_argument("--demo", action="store_true",
                        help="open a fresh temporary copy of the sample data (never your own store)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jixiao")
    except PackageNotFoundError:
        return "unknown"


def entry() -> None:
    """The ``jixiao`` command (and ``python -m jixiao``): ``main``, then exit. After the TUI the
    process ends at once, once its output is flushed: every write is durable by then and the
    terminal restored, and the interpreter would otherwise free the loaded data one object at
    a time (~3 s at 100k indicators)."""
    code = main()
    if _TUI_RAN:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    sys.exit(code)


_TUI_RAN = False


def main(argv: list[str] | None = None) -> int:
    """Run ``jixiao``; returns the process exit status."""
    global _TUI_RAN
    parser = build_parser()
    args = parser.parse_args(argv)
    set_language(args.lang)
    try:
        with demo_session(args):
            if args.command is None:
                from .launch import run_app

                _TUI_RAN = True
                return run_app(args)
            with _visible_output():
                return int(args.func(args) or 0)
    except JixiaoError as exc:
        print(f"jixiao: {visible(exc.message, keep_newlines=True)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # Whatever the store did not already name (an account outside the group meets a
        # PermissionError on its very first read): who lacks what, never a traceback.
        err = fault(exc, Path(exc.filename) if exc.filename else Path.cwd(), "read")
        print(f"jixiao: {visible(err.message, keep_newlines=True)}", file=sys.stderr)
        return err.exit_code


class _VisibleWriter(io.TextIOBase):
    """A text stream that shows control characters in what passes through it as symbols."""

    def __init__(self, inner):
        self._inner = inner

    @property
    def raw(self):
        """The wrapped stream, for output jixiao draws itself (a progress bar's escape codes),
        never for user text."""
        return self._inner

    def write(self, text: str) -> int:
        self._inner.write(visible(text, keep_newlines=True))
        return len(text)

    def flush(self) -> None:
        self._inner.flush()

    def __getattr__(self, name):
        # encoding, isatty, fileno, buffer …: the wrapped stream's own.
        return getattr(self._inner, name)


@contextmanager
def _visible_output():
    """Filter everything a sub-command prints, so no user text (a name, a note, a target read
    from a table) can drive the terminal with escape sequences: one place, every command."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _VisibleWriter(sys.stdout), _VisibleWriter(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


if __name__ == "__main__":
    sys.exit(main())
