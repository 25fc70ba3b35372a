"""What every sub-command shares: where the data directory is, opening the store, reading a
year argument and writing an output file."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from jixiao.core.errors import JixiaoError
from jixiao.core.language import Said, say
from jixiao.store.exports import _produce, write_atomically


def default_data_dir() -> Path:
    """``$JIXIAO_DATA``, else ``$XDG_DATA_HOME/jixiao``, else ``~/.local/share/jixiao``."""
    env = os.environ.get("JIXIAO_DATA")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg).expanduser() / "jixiao"


def data_dir(args) -> Path:
    """The data directory chosen by ``--data``, else ``default_data_dir()``."""
    return Path(args.data).expanduser() if getattr(args, "data", None) else default_data_dir()


def db_url(args) -> str | None:
    """The PostgreSQL URL chosen by ``--db``, else ``$JIXIAO_DB`` — unless ``--data`` names a
    directory (an explicit flag beats the environment); ``None`` for the file store."""
    flag = getattr(args, "db", None)
    if flag and getattr(args, "data", None):
        raise JixiaoError("give either --data DIR (the file store) or --db URL (PostgreSQL), "
                          "not both",
                          zh="--data DIR（文件存储）和 --db URL（PostgreSQL）只能给一个")
    if flag:
        return flag
    if getattr(args, "data", None):
        return None
    return os.environ.get("JIXIAO_DB") or None


def open_store(args, *, needs: str = "nothing"):
    """The store for the chosen backend (``store.protocol.StoreBackend``): PostgreSQL with
    ``--db URL`` or ``$JIXIAO_DB`` (acting as the role the server authenticates), else the
    file store of the data directory (acting as the OS user).

    ``needs`` says what the command reads: ``"tables"`` (imported target tables), ``"any"``
    (settings, grants or tables) or ``"nothing"`` (it creates the directory — import, grant,
    settings when setting — or, like the TUI, shows its own "import first" screen). A store
    without what is needed is refused with a message naming it, so a mistyped ``--data`` never
    reads as an empty "all clear" report."""
    url = db_url(args)
    if url:
        from jixiao.store.postgres import PgStore

        store = PgStore(url)
    else:
        from jixiao.store.repository import Store

        path = data_dir(args)
        if path.exists() and not path.is_dir():
            raise JixiaoError(f"{path} is not a directory; --data must name a data directory")
        store = Store(path)
    if needs != "nothing":
        store.require_data(tables=needs == "tables")
    return store


@contextmanager
def demo_session(args):
    """With ``--demo``, point ``args.data`` at a fresh temporary store filled with the sample
    data for the length of the ``with`` block, then delete it: the demo never touches the
    user's own store, whatever the command."""
    if not getattr(args, "demo", False):
        yield
        return
    from jixiao.sample_data import load_sample
    from jixiao.store.repository import Store

    _remove_abandoned_demos()
    tmp = Path(tempfile.mkdtemp(prefix=f"jixiao-demo-{os.getpid()}-"))
    try:
        Store(tmp).bulk_load(load_sample())
        args.data = str(tmp)
        yield
    finally:
        _remove_demo(tmp)


def _remove_demo(path: Path) -> None:
    # The store's read cache of the demo is keyed by the demo's path, which never comes back:
    # left behind, every run would add one more folder under ~/.cache/jixiao.
    from jixiao.store.cache import cache_dir

    cache = cache_dir(path)
    if cache is not None:
        shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(path, ignore_errors=True)


def _remove_abandoned_demos() -> None:
    # A demo killed by a signal (an SSH window closed) cannot clean up after itself; the next
    # demo removes copies whose process is gone. The pid is part of the directory name.
    for path in Path(tempfile.gettempdir()).glob("jixiao-demo-*-*"):
        pid = path.name.split("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            _remove_demo(path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def parse_year(text: str) -> int:
    """A budget year argument (``--year 2023``), as an argparse ``type``."""
    if not text.strip().isdigit() or not 1990 <= int(text) <= 2200:
        raise argparse.ArgumentTypeError(say(f"expected a year such as 2023, got {text!r}",
                                             f"应为年份，例如 2023，而不是 {text!r}"))
    return int(text)


def refuse_workbook_on_terminal(args) -> None:
    """Refuse ``--format xlsx`` without ``-o`` when standard output is a terminal — before any
    work, so the user is not made to wait for a workbook that cannot be shown."""
    if getattr(args, "format", None) == "xlsx" and not getattr(args, "output", None) \
            and getattr(sys.stdout, "raw", sys.stdout).isatty():
        raise JixiaoError(_NOT_FOR_A_TERMINAL)


_NOT_FOR_A_TERMINAL = Said(
    "an Excel workbook is not for a terminal: give -o FILE.xlsx (or redirect standard output "
    "to a file)",
    "Excel 工作簿不能输出到终端：请用 -o 文件.xlsx 指定文件（或把标准输出重定向到文件）")


def write_output(content, output: str | None, *, encoding: str = "utf-8", binary: bool = False) -> None:
    """Write ``content`` to the file ``output`` (see ``write_atomically``), or to standard
    output when there is none. ``binary`` content (a workbook) is not written to a terminal."""
    if output:
        write_atomically(Path(output).expanduser(), content, encoding=encoding, binary=binary)
        return
    if binary:
        # Underneath the command line's text filter (cli.main._VisibleWriter): bytes, unfiltered.
        stream = getattr(sys.stdout, "raw", sys.stdout)
        if stream.isatty():
            raise JixiaoError(_NOT_FOR_A_TERMINAL)
        stream.flush()
        _produce(content)(stream.buffer)
        stream.buffer.flush()
        return
    _produce(content)(sys.stdout)
    sys.stdout.flush()
