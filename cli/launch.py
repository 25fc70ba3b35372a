"""Start the TUI: on the chosen data directory, or on a throw-away copy of the sample (``--demo``)."""

from __future__ import annotations


def run_app(args) -> int:
    """Run the monitoring app for ``args`` (``--data``, ``--lang``); exit status.

    ``--demo`` is handled before this by ``jixiao.cli.main``, which points ``--data`` at a throw-away
    copy of the sample data. When the data could not be opened the app showed the store's
    message and the user quit: the error is raised again so ``jixiao.cli.main`` prints it once more
    where it stays readable (the terminal after the app) and exits with its status (2 or 3).
    """
    from jixiao.tui.app import JixiaoApp
    from .commands.common import open_store

    app = JixiaoApp(open_store(args), lang=getattr(args, "lang", "zh") or "zh")
    app.run()
    if app.failure is not None:
        raise app.failure
    return app.return_code or 0
