"""Search (``/``) over unit, project and indicator names and targets, as you type."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..i18n import label, status_word
from ..view import Browser, Hit
from ..widgets.vlist import VirtualList, fit

KIND_GLYPH = {"unit": "▣", "project": "▤", "indicator": " "}


class HitRows:
    """A search result row: what it is, where it is, and its name and target."""

    def __init__(self, browser: Browser, lang: str) -> None:
        self.browser, self.lang = browser, lang

    def __call__(self, hit: Hit, width: int, vlist) -> Text:
        ds = self.browser.dataset
        unit = ds.units.get(hit.unit_code)
        t = Text(KIND_GLYPH[hit.kind] + " ")
        if hit.kind == "unit":
            t.append(f"{hit.unit_code} ")
            t.append(unit.name if unit else "")
        elif hit.kind == "project":
            proj = ds.projects.get(hit.project_id)
            t.append(proj.name if proj else "")
            t.append("  ← ")
            t.append(unit.name if unit else "", style="dim")
        else:
            ind = ds.indicators.get(hit.indicator_id)
            proj = ds.projects.get(hit.project_id)
            colour = self.browser.colour(hit.indicator_id)
            t.append(status_word(colour, self.lang) + " ", style=vlist.status_style(colour))
            t.append(ind.name if ind else "")
            t.append("  ")
            t.append(ind.target_text if ind else "")
            t.append("  ← ")
            t.append(proj.name if proj else "", style="dim")
        return fit(t, width)


class SearchScreen(ModalScreen[Hit | None]):
    """An input and the matching rows; Enter (in either) dismisses with the chosen hit."""

    DEFAULT_CSS = """
    SearchScreen { align: center top; }
    SearchScreen > #search-title { height: 1; background: $panel; text-style: bold; padding: 0 1; }
    SearchScreen > Input { margin: 0 0; }
    SearchScreen > VirtualList { height: 1fr; border: round $accent; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Back", show=False),
                Binding("down", "into_results", "Results", show=False)]

    def __init__(self, browser: Browser, lang: str, query: str = "") -> None:
        super().__init__()
        self.browser, self.lang, self.initial_query = browser, lang, query

    def compose(self) -> ComposeResult:
        """Title, input, results."""
        yield Static(Text(label("search_title", self.lang)), id="search-title")
        yield Input(value=self.initial_query, placeholder=label("search_hint", self.lang), id="search-input")
        yield VirtualList(HitRows(self.browser, self.lang), id="search-results")

    def on_mount(self) -> None:
        """Focus the input; show results for a query carried over."""
        self.query_one(Input).focus()
        self._update(self.initial_query)

    def _update(self, query: str) -> None:
        self.query_one(VirtualList).set_rows(self.browser.search(query), announce=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Search again on every keystroke."""
        self._update(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the input takes the first result."""
        event.stop()
        vlist = self.query_one(VirtualList)
        if vlist.current is not None:
            self.dismiss(vlist.current)

    def on_virtual_list_selected(self, event: VirtualList.Selected) -> None:
        """Enter on a result takes it."""
        event.stop()
        self.dismiss(event.row)

    def action_into_results(self) -> None:
        """Move from the input into the result list."""
        vlist = self.query_one(VirtualList)
        if self.query_one(Input).has_focus and vlist.rows:
            vlist.focus()

    def action_dismiss_none(self) -> None:
        """Back without moving."""
        self.dismiss(None)
