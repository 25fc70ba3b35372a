"""The ``x`` dialog: where to write the quarterly snapshot."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..widgets.ordered_input import OrderedInput
from ..i18n import label
from .record import FORM_CSS, show_error


class ExportScreen(ModalScreen[str | None]):
    """Asks for a file name (prefilled); dismisses with it, or ``None`` on Esc."""

    DEFAULT_CSS = FORM_CSS.format(name="ExportScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, *, default: str, lang: str) -> None:
        super().__init__()
        self.default, self.lang = default, lang

    def compose(self) -> ComposeResult:
        """Title and the path field."""
        with VerticalScroll():
            yield Static(Text(label("export_title", self.lang), style="bold"))
            yield Label(label("export_path", self.lang), classes="field-label")
            yield OrderedInput(id="path", value=self.default)
            yield Static("", id="path-error", classes="error")

    def on_mount(self) -> None:
        """Focus the path."""
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Take the path (a blank one is refused)."""
        event.stop()
        if event.value.strip():
            self.dismiss(event.value.strip())
        else:
            show_error(self.query_one("#path-error", Static), label("required", self.lang))

    def action_cancel(self) -> None:
        """Export nothing."""
        self.dismiss(None)
