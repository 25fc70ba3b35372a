"""The ``x`` dialog: where to write the quarterly snapshot; an existing file is overwritten only
after the user presses Enter a second time on the same name."""

from __future__ import annotations

import os

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..widgets.ordered_input import OrderedInput
from ..i18n import label
from .form import KeysBeforeFocus
from .record import FORM_CSS, show_error


class ExportScreen(KeysBeforeFocus, ModalScreen[str | None]):
    """Asks for a file name (prefilled); dismisses with it, or ``None`` on Esc. A name that
    already exists is first answered with a warning; Enter again on the same name confirms."""

    DEFAULT_CSS = FORM_CSS.format(name="ExportScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, *, default: str, lang: str) -> None:
        super().__init__()
        self.default, self.lang = default, lang
        self._confirmed: str | None = None     # the existing path the user was warned about

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
        path = event.value.strip()
        error = self.query_one("#path-error", Static)
        if not path:
            show_error(error, label("required", self.lang))
        # lexists: a symlink (even a dangling one) is something the user would overwrite too
        elif os.path.lexists(os.path.expanduser(path)) and path != self._confirmed:
            self._confirmed = path
            show_error(error, label("export_exists", self.lang))
        else:
            self.dismiss(path)

    def on_input_changed(self, event: Input.Changed) -> None:
        """A changed name needs its own confirmation."""
        if event.value.strip() != self._confirmed:
            self._confirmed = None
            show_error(self.query_one("#path-error", Static), None)

    def action_cancel(self) -> None:
        """Export nothing."""
        self.dismiss(None)
