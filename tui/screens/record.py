"""The ``e`` form: record progress on one indicator, fitted to the kind of its target.

Nothing is written until every field is valid; the would-be colour is previewed as the owner
types, and causes and measures become required when it would be amber or red, as the official
monitoring table requires. Esc leaves without a trace.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, RadioSet, Static

from jixiao.core.explanation import explanation_gaps
from jixiao.core.model import ProgressEntry
from jixiao.core.words import CAUSES, GRADES, LIKELIHOODS, choice_word

from ..widgets.ordered_input import OrderedInput
from ..i18n import label, status_word
from ..widgets.literal import literal
from ..widgets.toggles import StateCheckbox, StateRadioButton
from .form import FORM_CSS, FormScreen, show_error

__all__ = ["FORM_CSS", "RecordProgressScreen", "show_error"]

class RecordProgressScreen(FormScreen[ProgressEntry | None]):
    """Fields: actual (number with unit / date or percent / grade), forecast, likelihood, the five
    causes, measures, note. Dismisses with the saved entry, or ``None`` on Esc."""

    DEFAULT_CSS = FORM_CSS.format(name="RecordProgressScreen") + """
RecordProgressScreen.-en #causes { layout: grid; grid-size: 3; grid-columns: 29 21 24;
    grid-rows: 1; }
RecordProgressScreen.-en RadioButton { width: auto; }
"""
    # English choices carry their term beside them (``partly achieved (部分达成)``): the five
    # causes take three a row, and a radio button is as wide as its words, so every choice
    # is whole within 80 columns.

    def __init__(self, *, indicator, target, lang: str, as_of: str,
                 check: Callable[[str], str | None], preview: Callable[[ProgressEntry], object],
                 save: Callable[..., ProgressEntry], previous: ProgressEntry | None = None,
                 check_actual: Callable[[str], str | None] | None = None) -> None:
        super().__init__(lang=lang, save=save)
        self.indicator, self.target, self.as_of = indicator, target, as_of
        # ``check`` judges a value against the target (the forecast); ``check_actual`` also
        # knows the entry's date, so the actual cannot be a completion date still to come.
        self.check, self.preview = check, preview
        self.check_actual = check_actual or check
        self.previous = previous
        self.kind = getattr(target, "kind", "qualitative")
        self.set_class(lang == "en", "-en")
        self._attempted = False

    # --- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """The fields in a scrollable box, fitted to the target's kind."""
        L = lambda k: label(k, self.lang)  # noqa: E731
        head = Text(f"{L('form_record')} · {self.as_of}\n", style="bold")
        head.append(literal(self.indicator.name))
        head.append("  " + L("target") + ": ")
        head.append(literal(self.indicator.target_text))
        with VerticalScroll():
            yield Static(head, id="form-head")
            if self.kind == "qualitative":
                yield Label(L("grade"), classes="field-label")
                with RadioSet(id="grade"):
                    for g in GRADES:
                        yield StateRadioButton(choice_word(g, self.lang))
            else:
                if self.kind == "deadline":
                    text = L("actual_deadline")
                else:
                    unit = getattr(self.target, "unit", None)
                    text = f"{L('actual')}" + (f" ({L('unit_is')}: {unit})" if unit else "")
                yield Label(Text(text), classes="field-label")
                yield OrderedInput(id="actual", placeholder=self._placeholder())
            yield Static("", id="actual-error", classes="error")
            yield Label(L("forecast"), classes="field-label")
            yield OrderedInput(id="forecast", value=(self.previous.forecast or "") if self.previous else "")
            yield Static("", id="forecast-error", classes="error")
            yield Label(L("likelihood"), classes="field-label")
            with RadioSet(id="likelihood"):
                for name in LIKELIHOODS:
                    yield StateRadioButton(choice_word(name, self.lang))
            yield Label(f"{L('causes')} ({L('measures_hint')})", classes="field-label")
            with Horizontal(id="causes"):
                for n, cause in enumerate(CAUSES):
                    yield StateCheckbox(choice_word(cause, self.lang), id=f"cause-{n}")
            yield Static("", id="causes-error", classes="error")
            yield Label(f"{L('measures')} ({L('measures_hint')})", classes="field-label")
            yield OrderedInput(id="measures")
            yield Static("", id="measures-error", classes="error")
            yield Label(L("note"), classes="field-label")
            yield OrderedInput(id="note")
            yield Static("", id="preview")
            yield Static("", id="form-error")
            with Horizontal(id="buttons"):
                yield Button(L("save"), id="save", variant="primary")
                yield Button(L("cancel"), id="cancel")

    def _placeholder(self) -> str:
        # Worded as an example ("例如 3个"), so an empty field never looks filled in.
        if self.kind == "deadline":
            return label("example_deadline", self.lang).format(date=self.as_of)
        unit = getattr(self.target, "unit", None) or ""
        return label("example", self.lang).format(value=f"3{unit}")

    def on_mount(self) -> None:
        """Focus the first field."""
        first = self.query_one("#grade" if self.kind == "qualitative" else "#actual")
        first.focus()
        self._refresh_preview()

    # --- reading the fields -----------------------------------------------------------------
    def _radio(self, id: str, terms: tuple[str, ...]) -> str | None:
        # By position: a button shows ``choice_word`` (English beside the term with --lang en),
        # the store keeps the official term.
        index = self.query_one(f"#{id}", RadioSet).pressed_index
        return terms[index] if index >= 0 else None

    def values(self) -> dict:
        """The fields as ``Store.record_progress`` keywords (empty strings become ``None``)."""
        def text(id: str) -> str | None:
            v = self.query_one(f"#{id}", Input).value.strip()
            return v or None
        actual = self._radio("grade", GRADES) if self.kind == "qualitative" else text("actual")
        return {
            "as_of": self.as_of,
            "actual": actual or "",
            "forecast": text("forecast"),
            "likelihood": self._radio("likelihood", LIKELIHOODS),
            "causes": tuple(c for n, c in enumerate(CAUSES)
                            if self.query_one(f"#cause-{n}", Checkbox).value),
            "measures": text("measures"),
            "note": text("note"),
        }

    def _would_be(self, v: dict):
        if not v["actual"] or self.check_actual(v["actual"]):
            return None
        entry = ProgressEntry(id="preview", indicator_id=self.indicator.id, as_of=self.as_of,
                              actual=v["actual"], author="", recorded_at="", forecast=v["forecast"],
                              likelihood=v["likelihood"], causes=v["causes"], measures=v["measures"])
        try:
            return self.preview(entry)
        except Exception:  # a preview must never break the form; the store still validates
            return None

    def validate(self) -> dict | None:
        """Mark every invalid field inline; the values when all are valid, else ``None``."""
        L = lambda k: label(k, self.lang)  # noqa: E731
        v = self.values()
        errors: dict[str, str] = {}
        if not v["actual"]:
            errors["actual"] = L("required")
        else:
            problem = self.check_actual(v["actual"])
            if problem:
                errors["actual"] = problem
        if v["forecast"]:
            problem = self.check(v["forecast"])
            if problem:
                errors["forecast"] = problem
        status = self._would_be(v)
        # The store's own rule, so the form marks exactly what saving would refuse.
        gaps = explanation_gaps(status, v["causes"], v["measures"]) if status is not None else ()
        if "causes" in gaps:
            errors["causes"] = L("need_causes")
        if "measures" in gaps:
            errors["measures"] = L("need_measures")
        self._show_errors(errors)
        return None if errors else v

    def _show_errors(self, errors: dict[str, str]) -> None:
        for field in ("actual", "forecast", "causes", "measures"):
            show_error(self.query_one(f"#{field}-error", Static), errors.get(field))
            try:
                widget = self.query_one(f"#{field}", Input)
            except Exception:
                continue
            widget.set_class(field in errors, "-invalid")

    def _refresh_preview(self) -> None:
        status = self._would_be(self.values())
        target = self.query_one("#preview", Static)
        if status is None:
            target.update("")
            return
        t = Text(f"{label('would_be', self.lang)}: ")
        t.append(status_word(status.colour, self.lang), style="bold")
        t.append("  " + status.reason(self.lang))
        target.update(t)

    # --- events -----------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        """Re-check as the owner types (only the field being typed before the first save)."""
        if event.input.id == "actual":
            # An emptied field drops the message about what it held (after a save was tried,
            # ``validate`` below says it is required).
            text = event.value.strip()
            problem = self.check_actual(text) if text else None
            show_error(self.query_one("#actual-error", Static), problem)
            event.input.set_class(bool(problem), "-invalid")
        if self._attempted:
            self.validate()
        self._refresh_preview()

    def on_checkbox_changed(self) -> None:
        """Causes changed: re-check if a save was already tried."""
        if self._attempted:
            self.validate()

    def on_radio_set_changed(self) -> None:
        """A grade or likelihood changed: new preview."""
        if self._attempted:
            self.validate()
        self._refresh_preview()

    def action_save(self) -> None:
        """Validate, then write in a worker; stay open with the store's message if it refuses.
        After a first try every change re-checks the whole form."""
        self._attempted = True
        super().action_save()
