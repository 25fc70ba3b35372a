"""The detail pane: everything about one indicator — description, status and reason, the latest
forecast, likelihood, causes and measures, a sparkline of actual against expected, and the full
progress history (who, when, what)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from jixiao.core.stamps import local_stamp
from jixiao.core.words import choice_word, choice_words, value_word

from ..i18n import label, status_word
from .literal import literal
from .vlist import STATUS_CLASSES, STATUS_CSS

BARS = "▁▂▃▄▅▆▇█"
"""The sparkline's bars, lowest first."""


def sparkline(values: list[float | None], top: float) -> str:
    """One bar per value scaled to ``top``; a space where a value is missing."""
    if top <= 0:
        top = 1.0
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        else:
            out.append(BARS[max(0, min(len(BARS) - 1, int(v / top * (len(BARS) - 1) + 0.5)))])
    return "".join(out)


@dataclass
class DetailData:
    """What the detail pane needs, gathered by the app (so the widget only draws)."""

    unit_name: str
    project_name: str
    indicator: object          # core.model.Indicator
    status: object | None      # core.status.Status
    kind: str | None           # Target.kind
    unit: str | None           # Target.unit
    history: list              # every ProgressEntry, oldest first
    counting: object | None    # the entry that counts at the monitoring date
    expected_by_entry: list    # expected value at each history entry's date (or None)
    # Each history entry's actual as a number in the target's unit (``None``: not a number,
    # e.g. a completion date), as ``core.readings`` reads it — 0.5亿元 against 万元 is 5000.
    actual_by_entry: list = field(default_factory=list)
    # The reading of 指标值: where it came from and, when doubtful, why (issue 12).
    source: str = "inferred"
    review: str | None = None


def detail_text(d: DetailData, lang: str, styles) -> Text:
    """The detail pane's content as one literal ``Text``; ``styles(colour)`` gives theme styles."""
    t = _LiteralText()
    L = lambda k: label(k, lang)  # noqa: E731 - local shorthand
    bold = Style(bold=True)
    colon = L("colon")      # "：" after a Chinese label, ": " after an English one
    ind = d.indicator
    t.append(ind.name, style=bold)
    t.append(f"  · {ind.level1} / {ind.category}\n")
    colour = d.status.colour if d.status else "grey"
    if d.status:
        t.append(status_word(colour, lang), style=styles(colour))
        t.append("  " + d.status.reason(lang))
    else:
        t.append("…", style=styles("grey"))        # not evaluated yet
    t.append("\n")
    # The ids `jixiao record ID` and `jixiao spend PROJECT_ID` take, near the top so they are
    # on screen even in the short pane of a 24-line terminal.
    t.append(L("ids").format(project=ind.project_id, indicator=ind.id) + "\n")
    t.append(L("target") + colon, style=bold)
    t.append(ind.target_text)
    if d.kind:
        kind = label("kinds", lang).get(d.kind, d.kind)
        unit = (L("comma") + d.unit) if d.unit else ""
        t.append(f"{L('open')}{L('kind')}{colon}{kind}{unit}{L('close')}")
    t.append("\n")
    if d.review or d.source != "inferred":
        t.append(L("reading_label") + colon, style=bold)
        t.append(L("reading_sources").get(d.source, d.source))
        if d.review:
            t.append(f"  {L('review_mark')} ", style=styles("amber"))
            t.append(d.review)
        t.append("\n")
    e = d.counting
    if e is not None:
        for key, value in (("forecast", e.forecast), ("likelihood", _choice(e.likelihood, lang)),
                           ("causes", choice_words(e.causes, lang)),
                           ("measures", e.measures), ("note", e.note)):
            if value:
                t.append(L(key) + colon, style=bold)
                t.append(f"{value}\n")
    actuals = list(d.actual_by_entry) or [None] * len(d.history)
    if any(v is not None for v in actuals) and d.kind in ("quantity", "rate", "range", "deadline"):
        top = max([v for v in actuals + d.expected_by_entry if v is not None] or [1.0])
        t.append(L("sparkline") + colon, style=bold)
        t.append(sparkline(actuals, top), style=styles(colour))
        t.append(" / ")
        t.append(sparkline(d.expected_by_entry, top))
        t.append("\n")
    if ind.description:
        t.append(L("description") + colon, style=bold)
        t.append(ind.description + "\n")
    t.append(d.unit_name)
    t.append(" · ")
    t.append(d.project_name + "\n")
    t.append(L("history") + colon.rstrip() + "\n", style=bold)
    if not d.history:
        t.append(f"  {L('no_history')}\n")
    for h in reversed(d.history):
        t.append(f"  {h.as_of}  ")
        t.append(h.author, style=bold)
        # Local time to the second: stored stamps are UTC to the microsecond (or carry the
        # importer's offset), and the two side by side would read hours apart.
        t.append(f"  {local_stamp(h.recorded_at, seconds=True)}  {L('actual')} ")
        t.append(value_word(h.actual, lang))
        for key, value in (("forecast", h.forecast), ("likelihood", _choice(h.likelihood, lang)),
                           ("causes", choice_words(h.causes, lang)),
                           ("measures", h.measures), ("note", h.note)):
            if value:
                t.append(f"  {L(key)} ")
                t.append(value)
        t.append("\n")
    t.rstrip()
    return t


def _choice(term: str | None, lang: str) -> str | None:
    # A stored grade or likelihood as the form offered it (English beside the term in English).
    return choice_word(term, lang) if term else None


class _LiteralText(Text):
    """A ``Text`` whose ``append`` draws control characters as symbols (user text throughout)."""

    def append(self, text, style=None):
        """Append ``text``; a ``str`` is made literal first."""
        if isinstance(text, str):
            text = literal(text, keep_newlines=True)
        return super().append(text, style)


class DetailPane(VerticalScroll):
    """A scrollable pane holding one indicator's detail (or a hint when none is selected)."""

    COMPONENT_CLASSES = set(STATUS_CLASSES)

    # j/k as in every other pane (the help screen promises them for all panes); up/down and the
    # page keys come from VerticalScroll.
    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]

    DEFAULT_CSS = STATUS_CSS.format(name="DetailPane") + """
    DetailPane > Static { width: 1fr; }
    """

    def compose(self):
        """One Static that holds the text."""
        yield Static(id="detail-body")

    def status_style(self, colour: str) -> Style:
        """The theme's style for a status colour."""
        return self.get_component_rich_style(f"status--{colour}", partial=True)

    def show(self, data: DetailData | None, lang: str, *, top: bool = False) -> None:
        """Display ``data`` (``None`` shows a hint); ``top`` scrolls back to the first line —
        for a new selection, which must not start where the previous one was scrolled to."""
        body = self.query_one("#detail-body", Static)
        if top:
            self.scroll_home(animate=False, immediate=True)
        if data is None:
            body.update(Text(label("no_selection", lang)))
        else:
            body.update(detail_text(data, lang, self.status_style))
