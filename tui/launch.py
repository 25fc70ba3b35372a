"""Start the TUI: on the chosen data directory, or on a throw-away copy of the sample (``--demo``)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from core.errors import JixiaoError


def run_app(args) -> int:
    """Run the monitoring app for ``args`` (``--data``, ``--lang``, ``--demo``); exit status."""
    from .app import JixiaoApp

    lang = getattr(args, "lang", "zh") or "zh"
    if getattr(args, "demo", False):
        tmp = Path(tempfile.mkdtemp(prefix="jixiao-demo-"))
        try:
            store = demo_store(tmp)
            JixiaoApp(store, lang=lang).run()
        finally:
            # The demo never leaves anything behind.
            shutil.rmtree(tmp, ignore_errors=True)
        return 0
    from .commands.common import open_store

    JixiaoApp(open_store(args), lang=lang).run()
    return 0


def demo_store(path: Path):
    """A store in the empty directory ``path`` filled with the sample data."""
    from sample_data import load_sample
    from store.repository import Store

    try:
        store = Store(path)
        store.bulk_load(load_sample())
    except NotImplementedError:
        raise JixiaoError("the demo needs the store and the sample data, which are not built yet") from None
    return store
