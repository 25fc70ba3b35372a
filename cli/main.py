"""The ``jixiao`` console script: the TUI by default, sub-commands for everything else."""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from jixiao.core.errors import JixiaoError
from jixiao.core.language import LANGUAGES, say, speaking
from jixiao.core.text import visible
from jixiao.store.oserrors import fault

from .commands import MODULES
from .commands.common import demo_session
from .parser import Parser


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every sub-command registered, in the run's language."""
    parser = Parser(
        prog="jixiao",
        description=say("Monitor budget performance targets in the terminal. Without a COMMAND, "
                        "opens the monitoring screen.",
                        "预算绩效运行监控。不带命令时打开监控界面。"),
        epilog=say("Try it on the sample data: jixiao --demo", "用示例数据试一试：jixiao --demo"),
    )
    parser.add_argument("--version", action="version", version=f"jixiao {_version()}",
                        help=say("show the version and exit", "显示版本并退出"))
    parser.add_argument("--data", metavar="DIR",
                        help=say("data directory (default: $JIXIAO_DATA, else ~/.local/share/jixiao)",
                                 "数据目录（默认：$JIXIAO_DATA，否则 ~/.local/share/jixiao）"))
    parser.add_argument("--db", metavar="URL",
                        help=say("a PostgreSQL database instead of a data directory, as a libpq URL "
                                 "(default: $JIXIAO_DB), e.g. postgresql:///jixiao",
                                 "用 PostgreSQL 数据库代替数据目录，写作 libpq URL（默认：$JIXIAO_DB），"
                                 "例如 postgresql:///jixiao"))
    parser.add_argument("--lang", choices=LANGUAGES, default=LANGUAGES[0],
                        help=say("language of everything jixiao says (default: zh)",
                                 "界面和输出的语言（默认：zh 中文）"))
    parser.add_argument("--demo", action="store_true",
                        help=say("open a fresh temporary copy of the sample data (never your own store)",
                                 "打开示例数据的临时副本（不会动你自己的数据）"))
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


def requested_language(argv: list[str]) -> str:
    """The language ``--lang`` asks for in ``argv`` (before parsing: help and argument errors
    are written while parsing), else Chinese."""
    for n, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and n + 1 < len(argv) and argv[n + 1] in LANGUAGES:
            return argv[n + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGUAGES:
            return arg[7:]
    return LANGUAGES[0]


GC_THRESHOLDS = (50_000, 20, 10)
"""The cyclic collector's thresholds for a ``jixiao`` process. Loading a province builds half a
million long-lived objects none of which forms a cycle; at Python's default (700, 10, 10) the
collector walks the growing heap again and again while they are built, which doubled the time
to load and colour 100k indicators (bench/run.py, ``load_s`` and ``evaluate_first_s``). Young
objects are still collected, just in larger batches; the collector is never switched off."""


def main(argv: list[str] | None = None) -> int:
    """Run ``jixiao``; returns the process exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    gc.set_threshold(*GC_THRESHOLDS)
    with speaking(requested_language(argv)):
        return _main(argv)


def _main(argv: list[str]) -> int:
    global _TUI_RAN
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with demo_session(args):
            if args.command is None:
                from .launch import run_app

                _TUI_RAN = True
                return run_app(args)
            with _visible_output():
                return int(args.func(args) or 0)
    except JixiaoError as exc:
        print(f"jixiao{say(': ', '：')}{visible(exc.message, keep_newlines=True)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # Whatever the store did not already name (an account outside the group meets a
        # PermissionError on its very first read): who lacks what, never a traceback.
        err = fault(exc, Path(exc.filename) if exc.filename else Path.cwd(), "read")
        print(f"jixiao{say(': ', '：')}{visible(err.message, keep_newlines=True)}", file=sys.stderr)
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
