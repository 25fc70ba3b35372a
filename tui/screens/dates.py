"""The ``d`` dialog: pick a new monitoring date in the budget year — a quarter end, or any date
typed. An admin's choice is stored for everyone, so it is taken only on a second Enter.

The date field has the focus and is the one thing Enter confirms: typing replaces the date shown,
↑ ↓ (or a click) put a quarter end into it. A focused quarter list used to take Enter while the
typed digits went nowhere, and the confirmation was for a quarter end nobody chose."""

from __future__ import annotations

from jixiao.core.periods import as_of_problem, date_problem, quarter_end
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.input import Selection
from textual.widgets.option_list import Option

from ..widgets.ordered_input import OrderedInput
from ..i18n import label
from .form import KeysBeforeFocus
from .record import FORM_CSS, show_error

def read_date(text: str, lang: str, year: int | None = None) -> tuple[str | None, str | None]:
    """``(iso date, None)`` for a real date (in budget ``year`` when given, as a monitoring
    date must be), else ``(None, what is wrong)`` in ``lang`` — the same messages
    ``core.periods`` gives wherever a date is typed."""
    problem = date_problem(text)
    if problem is None and year is not None:
        problem = as_of_problem(text.strip(), year)
    if problem is not None:
        return None, problem.text(lang)
    return text.strip(), None


def quarter_ends(year: int) -> list[str]:
    """The four quarter-end dates of ``year``, ISO formatted."""
    return [quarter_end(year, q).isoformat() for q in (1, 2, 3, 4)]


class DateScreen(KeysBeforeFocus, ModalScreen[str | None]):
    """Dismisses with the chosen ISO date, or ``None`` on Esc; unless ``view_only``, a new date
    is first answered with a warning that it changes the date for everyone, and taken when the
    same date is chosen again."""

    DEFAULT_CSS = FORM_CSS.format(name="DateScreen") + """
    DateScreen OptionList { height: auto; max-height: 6; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False),
                Binding("up", "quarter(-1)", show=False),
                Binding("down", "quarter(1)", show=False)]

    def __init__(self, *, year: int, current: str, lang: str, view_only: bool) -> None:
        super().__init__()
        self.year, self.current, self.lang, self.view_only = year, current, lang, view_only
        self._pending: str | None = None      # the shared change the user was warned about

    def compose(self) -> ComposeResult:
        """Quarter ends, then a free date field."""
        L = lambda k: label(k, self.lang)  # noqa: E731
        with VerticalScroll():
            yield Static(Text(f"{L('date_title')} ({self.current})", style="bold"))
            if self.view_only:
                yield Static(Text(L("date_view_only")))
            yield Label(L("date_quarters"), classes="field-label")
            ends = quarter_ends(self.year)
            quarters = OptionList(*[Option(d, id=d) for d in ends], id="quarters")
            quarters.can_focus = False      # the field keeps the focus; ↑ ↓ and clicks pick
            # ↓ starts from the current date's quarter end, or from the top (OptionList starts
            # on its first option, and ↓ would skip it).
            quarters.highlighted = ends.index(self.current) if self.current in ends else None
            yield quarters
            yield Label(L("date_any"), classes="field-label")
            yield OrderedInput(id="date", value=self.current)
            yield Static("", id="date-error", classes="error")

    def on_mount(self) -> None:
        """Focus the date field, its date selected: what is typed replaces it."""
        self.query_one("#date", Input).focus()

    def action_quarter(self, step: int) -> None:
        """↓ / ↑: the next / previous quarter end into the date field, selected there so that
        typing replaces it."""
        quarters = self.query_one(OptionList)
        if step > 0:
            quarters.action_cursor_down()
        else:
            quarters.action_cursor_up()
        option = quarters.highlighted_option
        if option is not None:
            self._put(option.id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The list's own highlights (its first option, as it is made) are not choices."""
        event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A quarter end was clicked."""
        event.stop()
        self._put(event.option.id)
        self._choose(event.option.id)

    def _put(self, date: str) -> None:
        field = self.query_one("#date", Input)
        field.value = date
        field.selection = Selection(0, len(date))
        field.focus()

    @on(Input.Changed, "#date")
    def _date_changed(self, event: Input.Changed) -> None:
        """A warning or refusal was about the date the field held before: it goes with it."""
        if event.value == self._pending:
            return
        self._pending = None
        event.input.remove_class("-invalid")
        show_error(self.query_one("#date-error", Static), None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """A typed date: accepted when it is a real date."""
        event.stop()
        chosen, problem = read_date(event.value, self.lang, self.year)
        if problem:
            self._pending = None
            show_error(self.query_one("#date-error", Static), problem)
            event.input.add_class("-invalid")
            return
        event.input.remove_class("-invalid")
        self._choose(chosen)

    def _choose(self, chosen: str) -> None:
        # A view-only change touches no one else; the current date changes nothing.
        if self.view_only or chosen == self.current or chosen == self._pending:
            self.dismiss(chosen)
            return
        self._pending = chosen
        show_error(self.query_one("#date-error", Static),
                   label("date_confirm", self.lang).format(date=chosen))

    def action_cancel(self) -> None:
        """Keep the current date."""
        self.dismiss(None)
