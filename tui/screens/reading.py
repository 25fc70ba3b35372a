"""The ``t`` form: confirm or change how one indicator's 指标值 is read, or go back to the
inferred reading (issue 12 §2) — the same facts as ``jixiao reading ID``."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, RadioSet, Static

from jixiao.core.numbers import format_number
from jixiao.core.overrides import OverrideError, make_override, op_word
from jixiao.core.targets import MEASURE_NAMES, Target, describe

from ..widgets.ordered_input import OrderedInput
from ..i18n import label
from ..widgets.literal import literal
from ..widgets.toggles import StateRadioButton
from .form import FORM_CSS, FormScreen, show_error

ACTIONS = ("confirm", "override", "clear")
"""What the form can do, in the order its radio buttons show them."""

FIELDS = ("op", "value", "unit", "measure", "start", "end", "wanted")
"""The facts an override may give, as ``jixiao reading`` names its options."""


class ReadingScreen(FormScreen[object]):
    """Shows the 指标值, the reading as it stands (and why it needs review); the officer picks
    confirm, change (the fields, pre-filled with the current reading) or back to inferred.
    ``save(override)`` gets a ``ReadingOverride`` or ``None``; the form dismisses with what it
    returns (the stored indicator)."""

    DEFAULT_CSS = FORM_CSS.format(name="ReadingScreen")

    def __init__(self, *, indicator, target: Target, inferred: Target, lang: str,
                 save: Callable[..., object]) -> None:
        super().__init__(lang=lang, save=save)
        self.indicator, self.target, self.inferred = indicator, target, inferred

    def compose(self) -> ComposeResult:
        """The 指标值 and its reading, the action, the fields."""
        L = lambda k: label(k, self.lang)  # noqa: E731
        t = self.target
        head = Text(f"{L('form_reading')}\n", style="bold")
        head.append(literal(self.indicator.name))
        # Punctuated in the form's language: 指标值：… 解读（推断）：…
        colon, source = (": ", f" ({L('reading_sources')[t.source]})") if self.lang == "en" else (
            "：", f"（{L('reading_sources')[t.source]}）")
        head.append(f"  {L('target')}{colon}")
        head.append(literal(self.indicator.target_text))
        head.append(f"\n{L('reading_label')}{source}{colon}")
        head.append(literal(describe(t, self.lang)))
        with VerticalScroll():
            yield Static(head)
            yield Label(L("reading_do"), classes="field-label")
            with RadioSet(id="do"):
                for action in ACTIONS:
                    yield StateRadioButton(L(f"reading_{action}"), value=action == "override"
                                           if t.needs_review else action == "confirm")
            for field in FIELDS:
                yield Label(L(f"reading_{field}"), classes="field-label")
                yield OrderedInput(id=field, value=self._current(field))
            yield Static("", id="fields-error", classes="error")
            yield Static("", id="form-error")
            with Horizontal(id="buttons"):
                yield Button(L("save"), id="save", variant="primary")
                yield Button(L("cancel"), id="cancel")

    def _current(self, field: str) -> str:
        """The field as the current reading has it, so a change starts from what stands."""
        t = self.target
        if field == "op":
            if t.op:
                return t.symbol
            return op_word(t.kind, self.lang) if t.kind in ("range", "deadline", "qualitative") else ""
        if field == "value":
            if t.kind == "range":
                return f"{format_number(t.low)}-{format_number(t.high)}"
            return format_number(t.value) if t.value is not None else ""
        if field == "unit":
            return t.unit or ""
        if field == "measure":
            return MEASURE_NAMES["en" if self.lang == "en" else "zh"].get(t.measure or "", "")
        if field == "start":
            return t.start.isoformat() if t.start else ""
        if field == "end":
            return t.deadline.isoformat() if t.deadline else ""
        return {"no": "否" if self.lang == "zh" else "no"}.get(t.wanted or "", "")

    def on_mount(self) -> None:
        """Focus the action."""
        self.query_one("#do", RadioSet).focus()

    def validate(self) -> dict | None:
        """The override (or ``None`` for back to inferred), or ``None`` after showing why not."""
        pressed = self.query_one("#do", RadioSet).pressed_index
        action = ACTIONS[pressed] if 0 <= pressed < len(ACTIONS) else "confirm"
        error = self.query_one("#fields-error", Static)
        if action == "clear":
            show_error(error, None)
            return {"override": None}
        facts = {} if action == "confirm" else {
            f: self.query_one(f"#{f}", Input).value.strip() or None for f in FIELDS}
        try:
            override = make_override(self.indicator.target_text, confirm=action == "confirm",
                                     inferred=self.inferred, **facts)
        except OverrideError as exc:
            show_error(error, str(exc) if self.lang == "en" else exc.zh)
            return None
        show_error(error, None)
        return {"override": override}
