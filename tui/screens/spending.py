"""The ``s`` form: record a project's cumulative spending (预算执行数, 万元) as of a date."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from jixiao.core.language import Said
from jixiao.core.model import SpendingEntry
from jixiao.core.periods import entry_date_problem
from jixiao.core.readings import read_amount_wan

from ..widgets.ordered_input import OrderedInput
from ..i18n import label
from ..widgets.literal import literal
from .dates import read_date
from .form import FORM_CSS, FormScreen, show_error


_SPENDING = Said("spending", "支出记录")
"""What the store calls a spending entry in its refusals."""


class SpendingScreen(FormScreen[SpendingEntry | None]):
    """Fields: spent (万元), as-of date, note. Dismisses with the saved entry or ``None``.

    The amount starts empty — the last report is shown beside it as a hint — so Enter on an
    untouched form saves nothing the user did not type (a pre-filled amount used to be saved
    again as a duplicate entry).
    """

    DEFAULT_CSS = FORM_CSS.format(name="SpendingScreen")

    def __init__(self, *, project, lang: str, as_of: str, previous: SpendingEntry | None,
                 save: Callable[..., SpendingEntry]) -> None:
        super().__init__(lang=lang, save=save)
        self.project, self.as_of, self.previous = project, as_of, previous
        self._attempted = False

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
            yield OrderedInput(id="spent", placeholder=L("example").format(value=f"{prev.spent:g}" if prev else "12.5"))
            yield Static("", id="spent-error", classes="error")
            yield Label(L("spent_as_of"), classes="field-label")
            yield OrderedInput(id="as_of", value=self.as_of)
            yield Static("", id="as_of-error", classes="error")
            yield Label(L("note"), classes="field-label")
            yield OrderedInput(id="note")
            yield Static("", id="form-error")
            with Horizontal(id="buttons"):
                yield Button(L("save"), id="save", variant="primary")
                yield Button(L("cancel"), id="cancel")

    def on_mount(self) -> None:
        """Focus the amount."""
        self.query_one("#spent", Input).focus()

    def _read(self, field: str):
        """``(value, problem)`` of the amount or the date as typed now."""
        text = self.query_one(f"#{field}", Input).value
        if field == "as_of":
            as_of, problem = read_date(text.strip(), self.lang)
            if as_of is not None:
                # The store's own rule and words, said while typing rather than on save.
                outside = entry_date_problem(as_of, int(self.project.year), self.project.name,
                                             _SPENDING)
                if outside is not None:
                    return None, outside.text(self.lang)
            return as_of, problem
        try:
            # 元 and 亿元 are read too, exactly as `jixiao spend` reads them.
            return read_amount_wan(text, lang=self.lang), None
        except ValueError as exc:
            return None, str(exc)

    def _mark(self, field: str, problem: str | None) -> None:
        show_error(self.query_one(f"#{field}-error", Static), problem)
        self.query_one(f"#{field}", Input).set_class(bool(problem), "-invalid")

    def validate(self) -> dict | None:
        """Mark invalid fields inline; the ``record_spending`` keywords when all are valid."""
        self._attempted = True
        values, errors = {}, {}
        for field in ("spent", "as_of"):
            values[field], problem = self._read(field)
            self._mark(field, problem)
            if problem:
                errors[field] = problem
        if errors:
            return None
        note = self.query_one("#note", Input).value.strip() or None
        return {"as_of": values["as_of"], "spent": values["spent"], "note": note}

    def on_input_changed(self, event: Input.Changed) -> None:
        """Check the amount and the date as they are typed, as the record form does: the line
        under a field always speaks of what it holds now. An empty amount is only marked
        once a save was tried (an untouched form is not an error)."""
        field = event.input.id
        if field not in ("spent", "as_of"):
            return
        _, problem = self._read(field)
        if field == "spent" and not event.value.strip() and not self._attempted:
            problem = None
        self._mark(field, problem)
