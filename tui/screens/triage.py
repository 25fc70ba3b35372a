"""The triage view (``r``): every red and amber indicator of every unit, worst first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from ..i18n import label
from ..view import Browser
from ..widgets.rows import TriageRows
from ..widgets.vlist import VirtualList


class TriageScreen(ModalScreen[str | None]):
    """A list of red/amber indicator ids; Enter dismisses with the chosen id, Esc with ``None``."""

    DEFAULT_CSS = """
    TriageScreen { align: center middle; }
    TriageScreen > #triage-title { dock: top; height: 1; background: $panel; text-style: bold; padding: 0 1; }
    TriageScreen > VirtualList { height: 1fr; border: round $accent; }
    """
    BINDINGS = [Binding("escape,r", "dismiss_none", "Back", show=False)]

    def __init__(self, browser: Browser, lang: str) -> None:
        super().__init__()
        self.browser, self.lang = browser, lang
        self.ids = browser.triage()

    def compose(self) -> ComposeResult:
        """A title with the count, then the list."""
        yield Static(Text(f"{label('triage_title', self.lang)} · {len(self.ids)}"), id="triage-title")
        rows = TriageRows(self.browser, self.lang)
        yield VirtualList(rows, header=rows.header, empty=label("triage_empty", self.lang), id="triage-list")

    def on_mount(self) -> None:
        """Fill the list and put the focus on it."""
        vlist = self.query_one(VirtualList)
        vlist.set_rows(self.ids, announce=False)
        vlist.focus()

    def on_virtual_list_selected(self, event: VirtualList.Selected) -> None:
        """Jump to the chosen indicator."""
        event.stop()
        self.dismiss(event.row)

    def action_dismiss_none(self) -> None:
        """Back to the panes without moving."""
        self.dismiss(None)
