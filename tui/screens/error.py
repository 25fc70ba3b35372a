"""The screen shown when the data cannot be opened: the store's message in full, and what to do.

A damaged or foreign file makes ``Store.load`` raise ``JixiaoError`` with a message that names the
file and how to restore it. Shown in a one-line header or a toast it was cut off and the panes
said "loading" for ever; here it wraps, stays until the user acts, and ``q`` quits with the
error's exit status (2), like the command line.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ..i18n import label
from ..widgets.literal import literal


class ErrorScreen(Screen[str]):
    """Dismisses with ``"retry"`` (``r``) or ``"quit"`` (``q``, Esc)."""

    DEFAULT_CSS = """
    ErrorScreen { align: center middle; }
    ErrorScreen > VerticalScroll { width: 100%; max-width: 100; height: auto; max-height: 100%;
                                   border: round $error; padding: 0 1; }
    ErrorScreen #error-title { text-style: bold; color: $text-error; }
    ErrorScreen #error-message { margin: 1 0; }
    ErrorScreen #error-keys { color: $text-muted; }
    """
    BINDINGS = [Binding("q,escape", "choose('quit')", "Quit", show=False),
                Binding("r", "choose('retry')", "Retry", show=False)]

    def __init__(self, message: str, *, lang: str, exit_code: int = 2) -> None:
        super().__init__()
        self.message, self.lang, self.exit_code = message, lang, exit_code

    def compose(self) -> ComposeResult:
        """Title, the message in full (wrapped), the keys."""
        with VerticalScroll():
            yield Static(Text("✖ " + label("error_title", self.lang)), id="error-title")
            yield Static(Text(literal(self.message, keep_newlines=True)), id="error-message")
            yield Static(Text(label("error_keys", self.lang).format(code=self.exit_code)), id="error-keys")

    def action_choose(self, what: str) -> None:
        """Leave the screen with ``what`` the user chose."""
        self.dismiss(what)
