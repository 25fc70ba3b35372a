"""The jixiao terminal app: a thin shell around the monitor screen.

The app holds what outlives a screen — the store, the UI language, a failure to open the data
(which sets the exit status) — and shows every toast literally. The monitoring itself lives in
``tui.screens.monitor`` (what is shown and what keys do), ``tui.sync`` (the store's side, in
workers) and ``tui.messages`` (what the workers tell the screen).
"""

from __future__ import annotations

import os

from textual.app import App
from textual.screen import Screen

from jixiao.core.errors import JixiaoError

from .i18n import label
from .screens.monitor import MonitorScreen, monitor_screen


class JixiaoApp(App):
    """The terminal UI of jixiao over one ``store.repository.Store`` (or any object with its
    interface), labelled in ``lang`` ('zh' or 'en')."""

    CSS_PATH = "jixiao.tcss"
    TITLE = "jixiao"

    def __init__(self, store, *, lang: str = "zh", poll_interval: float = 1.0) -> None:
        super().__init__()
        self.store = store
        self.lang = lang
        self.poll_interval = poll_interval
        self.failure: JixiaoError | None = None
        """Why the data could not be opened (set by the monitor screen); the exit status."""
        self.monitor: MonitorScreen = monitor_screen(store, lang=lang, poll_interval=poll_interval)
        """The monitoring screen, the app's first and main screen."""

    def get_default_screen(self) -> Screen:
        """The monitor screen is the app's base screen."""
        return self.monitor

    def action_help_quit(self) -> None:
        """Ctrl+C: say how to quit, in the UI language (Textual's own toast is English, with
        markup our literal toasts would show raw)."""
        self.notify(label("help_quit", self.lang), title=label("help_quit_title", self.lang))

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG of the screen in the current directory (there may be no ~/Downloads)."""
        try:
            saved = self.save_screenshot(filename, path or os.getcwd())
        except OSError as exc:
            self.notify(f"{label('screenshot_failed', self.lang)}: {exc.strerror or exc}",
                        severity="error")
            return
        self.notify(f"{label('screenshot_saved', self.lang)} {saved}", timeout=5)

    async def action_quit(self) -> None:
        """Quit (``q``, Ctrl+Q); after a failed load with that failure's exit status."""
        self.exit(return_code=self.failure.exit_code if self.failure else 0)

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast, shown literally by default: messages carry user text (unit codes, paths
        the user typed, the store's messages quoting them), and Textual would read ``[red]``
        in them as markup — or fail on ``[/x]``."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
