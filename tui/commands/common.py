"""What every sub-command shares: where the data directory is, and opening the store."""

from __future__ import annotations

import os
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


def open_store(args):
    """The ``store.Store`` for the chosen data directory, acting as the OS user."""
    from store.repository import Store

    path = data_dir(args)
    if path.exists() and not path.is_dir():
        raise JixiaoError(f"{path} is not a directory; --data must name a data directory")
    return Store(path)
