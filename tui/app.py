"""The jixiao terminal app: a thin shell around the monitor screen.

The app holds what outlives a screen — the store, the UI language, a failure to open the data
(which sets the exit status) — and shows every toast literally. The monitoring itself lives in
``tui.screens.monitor`` (what is shown and what keys do), ``tui.sync`` (the store's side, in
workers) and ``tui.messages`` (what the workers tell the screen).
"""

from __future__ import annotations

import os
from typing import Iterator

from textual import events
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import ThemeProvider

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

    async def on_event(self, event: events.Event) -> None:
        """A key the monitor screen passed on (``MonitorScreen.on_key``) that comes up here after
        the key before it opened a dialog (``d ↓ ↓ Enter``, ``e 4 5``): typed for the dialog,
        so it goes there, in order, once the dialog has its focus — handed on before any
        binding is looked up, neither the monitor's nor, twice, the dialog's."""
        if (isinstance(event, events.Key) and self.screen is not self.monitor
                and getattr(event, "monitor_screen", None) is self.monitor):
            event.stop()
            self.call_after_refresh(self.post_message, events.Key(event.key, event.character))
            return
        await super().on_event(event)

    def get_default_screen(self) -> Screen:
        """The monitor screen is the app's base screen."""
        return self.monitor

    def get_system_commands(self, screen: Screen) -> Iterator[SystemCommand]:
        """Textual's own palette commands (theme, quit, maximize, screenshot), titled and
        explained in the UI language; the screenshot goes where ``action_screenshot`` saves.

        Textual's keys panel is left out: it lists the widgets' key bindings in Textual's
        English ("Scroll Left", "Focus Next"); the help screen (``?``, also in the palette)
        lists every key in the UI language."""
        L = lambda key: label(key, self.lang)  # noqa: E731
        yield SystemCommand(L("sys_theme"), L("h_sys_theme"), self.action_change_theme)
        yield SystemCommand(L("k_quit"), L("h_quit"), self.action_quit)
        if screen.maximized is not None:
            yield SystemCommand(L("sys_minimize"), L("h_sys_minimize"), screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(L("sys_maximize"), L("h_sys_maximize"), screen.action_maximize)
        # After the palette has closed, so the picture shows the screen and not the palette.
        yield SystemCommand(L("sys_screenshot"), L("h_sys_screenshot"),
                            lambda: self.set_timer(0.1, self.action_screenshot))

    def action_command_palette(self) -> None:
        """Ctrl+P: the command palette, its prompt in the UI language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=label("palette_search", self.lang)))

    def action_change_theme(self) -> None:
        """The theme list, its prompt in the UI language."""
        self.push_screen(CommandPalette(providers=[ThemeProvider],
                                        placeholder=label("theme_search", self.lang)))

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
