"""What every sub-command shares: where the data directory is, opening the store, reading a
year argument and writing an output file."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from core.errors import JixiaoError


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


def open_store(args, *, needs: str = "nothing"):
    """The ``store.Store`` for the chosen data directory, acting as the OS user.

    ``needs`` says what the command reads: ``"tables"`` (imported target tables), ``"any"``
    (settings, grants or tables) or ``"nothing"`` (it creates the directory — import, grant,
    settings when setting — or, like the TUI, shows its own "import first" screen). A directory without what is needed is refused with a message naming
    it, so a mistyped ``--data`` never reads as an empty "all clear" report."""
    from store.repository import Store

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
    from sample_data import load_sample
    from store.repository import Store

    _remove_abandoned_demos()
    tmp = Path(tempfile.mkdtemp(prefix=f"jixiao-demo-{os.getpid()}-"))
    try:
        Store(tmp).bulk_load(load_sample())
        args.data = str(tmp)
        yield
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _remove_abandoned_demos() -> None:
    # A demo killed by a signal (an SSH window closed) cannot clean up after itself; the next
    # demo removes copies whose process is gone. The pid is part of the directory name.
    for path in Path(tempfile.gettempdir()).glob("jixiao-demo-*-*"):
        pid = path.name.split("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


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
        raise argparse.ArgumentTypeError(f"expected a year such as 2023, got {text!r}")
    return int(text)


def write_output(content, output: str | None, *, encoding: str = "utf-8") -> None:
    """Write ``content`` to the file ``output`` (see ``write_atomically``), or to standard
    output when there is none."""
    if output:
        write_atomically(Path(output).expanduser(), content, encoding=encoding)
        return
    _produce(content)(sys.stdout)
    sys.stdout.flush()


def write_atomically(path: Path, content, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``content`` — a string, or a function that writes to the text
    stream it is given — all at once: a half-written export must never replace a good one,
    nor be left behind. A ``JixiaoError`` names the file when it cannot be written."""
    if path.is_dir():
        raise JixiaoError(f"{path} is a directory; -o needs a file name")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        # 0o666 less the umask, like any file the user writes: a shared server's umask 007
        # keeps exports within the group.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise JixiaoError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            _produce(content)(fh)
            fh.flush()
            # On disk before the rename: after a crash the old file or the new, never neither.
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise JixiaoError(f"cannot write {path}: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _produce(content):
    return content if callable(content) else (lambda fh: fh.write(content))
