"""Start the TUI: on the chosen data directory, or on a throw-away copy of the sample (``--demo``)."""

from __future__ import annotations


def run_app(args) -> int:
    """Run the monitoring app for ``args`` (``--data``, ``--db``, ``--lang``); exit status.

    On PostgreSQL a child process reads the first screen while the UI is imported
    (``store.head_start``); when it fails the store is opened here as without it, and says why.
    ``--demo`` is handled before this by ``jixiao.cli.main``, which points ``--data`` at a
    throw-away copy of the sample data. When the data could not be opened the app showed the
    store's message and the user quit: the error is raised again so ``jixiao.cli.main`` prints
    it once more where it stays readable (the terminal after the app) and exits with its
    status (2 or 3).
    """
    from .commands.common import db_url, open_store

    url = db_url(args)
    head = None
    if url:
        # Before the UI is imported: a child reads the first screen meanwhile.
        from jixiao.store.head_start import begin

        head = begin(url)
    from jixiao.tui.app import JixiaoApp

    store = head if head is not None and head.ready() else open_store(args)
    app = JixiaoApp(store, lang=getattr(args, "lang", "zh") or "zh")
    app.run()
    if app.failure is not None:
        raise app.failure
    return app.return_code or 0
