"""The ``?`` screen: every key of the app, in the user's language."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..i18n import label


def help_text(keys: list[tuple[str, str]], lang: str) -> Text:
    """A two-column list of ``(key, what it does)`` plus how the panes work."""
    t = Text()
    t.append(label("help_title", lang), style="bold")
    t.append(f"  {label('help_scroll', lang)}\n\n")
    width = max((len(k) for k, _ in keys), default=4) + 2
    for key, what in keys:
        if not key:                     # a gap between groups
            t.append("\n")
            continue
        t.append(key.ljust(width), style="bold")
        t.append(what + "\n")
    t.append("\n" + label("help_panes", lang) + "\n")
    return t


class HelpScreen(ModalScreen[None]):
    """Lists every key binding; any of Esc, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 80%; max-width: 90; height: auto; max-height: 100%;
                                  border: round $accent;
                                  background: $panel; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", show=False)]

    def __init__(self, keys: list[tuple[str, str]], lang: str) -> None:
        super().__init__()
        self.keys, self.lang = keys, lang

    def compose(self) -> ComposeResult:
        """The key list in a scrollable box."""
        with VerticalScroll():
            yield Static(help_text(self.keys, self.lang), id="help-body")
