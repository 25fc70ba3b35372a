"""Start the TUI: on the chosen data directory, or on a throw-away copy of the sample (``--demo``)."""

from __future__ import annotations


def run_app(args) -> int:
    """Run the monitoring app for ``args`` (``--data``, ``--lang``); exit status.

    ``--demo`` is handled before this by ``tui.cli``, which points ``--data`` at a throw-away
    copy of the sample data.
    """
    from .app import JixiaoApp
    from .commands.common import open_store

    JixiaoApp(open_store(args), lang=getattr(args, "lang", "zh") or "zh").run()
    return 0
