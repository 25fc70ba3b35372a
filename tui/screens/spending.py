"""The ``s`` form: record a project's cumulative spending (预算执行数, 万元) as of a date."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from core.errors import JixiaoError
from core.model import SpendingEntry

from ..i18n import label
from ..widgets.literal import literal
from .dates import read_date
from .record import FORM_CSS, show_error


def read_spent(text: str) -> float | None:
    """``text`` as a non-negative amount in 万元, or ``None``."""
    try:
        value = float(text.strip().replace(",", "").removesuffix("万元"))
    except ValueError:
        return None
    return value if value >= 0 and value == value and value != float("inf") else None


class SpendingScreen(ModalScreen[SpendingEntry | None]):
    """Fields: spent (万元), as-of date, note. Dismisses with the saved entry or ``None``.

    The amount starts empty — the last report is shown beside it as a hint — so Enter on an
    untouched form saves nothing the user did not type (a pre-filled amount used to be saved
    again as a duplicate entry).
    """

    DEFAULT_CSS = FORM_CSS.format(name="SpendingScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False),
                Binding("ctrl+s", "save", "Save", show=False)]

    def __init__(self, *, project, lang: str, as_of: str, previous: SpendingEntry | None,
                 save: Callable[..., SpendingEntry]) -> None:
        super().__init__()
        self.project, self.lang, self.as_of, self.previous, self.save = project, lang, as_of, previous, save

    def compose(self) -> ComposeResult:
        """Title with budget, then the fields."""
        L = lambda k: label(k, self.lang)  # noqa: E731
        head = Text(f"{L('form_spend')}\n", style="bold")
        head.append(literal(self.project.name))
        head.append(f"  {L('col_budget')} {self.project.budget.total if self.project.budget.total is not None else '—'}")
        head.append(f"  {L('project_id')} {self.project.id}")
        prev = self.previous
        hint = (L("last_spent").format(spent=f"{prev.spent:g}", as_of=prev.as_of) if prev
                else L("no_last_spent"))
        with VerticalScroll():
            yield Static(head)
            yield Label(L("spent"), classes="field-label")
            yield Static(Text(hint), id="spent-hint", classes="hint")
            yield Input(id="spent", placeholder=L("example").format(value=f"{prev.spent:g}" if prev else "12.5"))
            yield Static("", id="spent-error", classes="error")
            yield Label(L("spent_as_of"), classes="field-label")
            yield Input(id="as_of", value=self.as_of)
            yield Static("", id="as_of-error", classes="error")
            yield Label(L("note"), classes="field-label")
            yield Input(id="note")
            yield Static("", id="form-error")
            with Horizontal(id="buttons"):
                yield Button(L("save"), id="save", variant="primary")
                yield Button(L("cancel"), id="cancel")

    def on_mount(self) -> None:
        """Focus the amount."""
        self.query_one("#spent", Input).focus()

    def validate(self) -> dict | None:
        """Mark invalid fields inline; the ``record_spending`` keywords when all are valid."""
        spent = read_spent(self.query_one("#spent", Input).value)
        as_of = self.query_one("#as_of", Input).value.strip()
        errors = {}
        if spent is None:
            errors["spent"] = label("not_number", self.lang)
        as_of, problem = read_date(as_of, self.lang)
        if problem:
            errors["as_of"] = problem
        for field in ("spent", "as_of"):
            show_error(self.query_one(f"#{field}-error", Static), errors.get(field))
            self.query_one(f"#{field}", Input).set_class(field in errors, "-invalid")
        if errors:
            return None
        note = self.query_one("#note", Input).value.strip() or None
        return {"as_of": as_of, "spent": spent, "note": note}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter saves."""
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Save or Cancel."""
        event.stop()
        self.action_save() if event.button.id == "save" else self.action_cancel()

    def action_cancel(self) -> None:
        """Leave without saving."""
        self.dismiss(None)

    def action_save(self) -> None:
        """Validate, then write in a worker."""
        values = self.validate()
        if values is not None:
            self.query_one("#save", Button).disabled = True
            self._save(values)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, values: dict) -> None:
        try:
            entry = self.save(**values)
        except JixiaoError as exc:
            self.app.call_from_thread(self._refused, exc.message)
            return
        self.app.call_from_thread(self.dismiss, entry)

    def _refused(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(message))
        self.query_one("#save", Button).disabled = False
