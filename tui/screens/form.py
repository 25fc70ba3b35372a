"""What the record and spending forms share: their look, inline error lines, and saving in a
worker that either closes the form with the saved entry or keeps it open with the refusal."""

from __future__ import annotations

from typing import Callable, TypeVar

from rich.text import Text
from textual import events, on, work
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from jixiao.core.errors import JixiaoError

from ..i18n import label

# Measured in tests/test_tui_contrast.py (theme, NO_COLOR, 256 colours): on $panel the error
# lines read 4.4:1 without colour, so the box is $surface; Textual's placeholder grey and its
# primary button (#0178D4) read below 4.5:1, so the placeholder is the text colour in italics
# (it always starts 例如 / e.g.) and the button two shades darker. A focused RadioSet shows its
# focus by its background, without Textual's border: the border made the English grades
# (achieved … not achieved (未达成)) two cells wider than an 80-column form.
FORM_CSS = """
{name} {{ align: center middle; }}
{name} > VerticalScroll {{ width: 100%; max-width: 100; height: auto; max-height: 100%;
    border: round $accent; background: $surface; padding: 0 1; }}
{name} .field-label {{ text-style: bold; color: $text-muted; }}
{name} .hint {{ color: $text-muted; }}
{name} .error {{ color: $text-error; height: auto; display: none; }}
{name} .error.-shown {{ display: block; }}
{name} Input {{ width: 1fr; height: 1; border: none; padding: 0 1; background: $panel-lighten-2; }}
{name} Input:focus {{ background: $primary 30%; border: none; }}
{name} Input.-invalid, {name} Input.-invalid:focus {{ background: $error 30%; border: none; }}
{name} Input > .input--placeholder {{ color: $foreground; text-style: italic; }}
{name} RadioSet {{ width: auto; height: auto; layout: horizontal; border: none; padding: 0; }}
{name} RadioSet:focus {{ background: $primary 30%; border: none; }}
{name} RadioButton {{ margin-right: 2; }}
{name} RadioButton:last-child {{ margin-right: 0; }}
{name} #causes {{ height: auto; }}
{name} #causes Checkbox {{ width: auto; border: none; padding: 0; margin-right: 2; }}
{name} #causes Checkbox:focus {{ background: $primary 30%; }}
{name} #buttons {{ height: auto; }}
{name} #buttons Button {{ margin-right: 2; height: 1; min-width: 10; border: none; }}
{name} #buttons Button.-primary {{ background: $primary-darken-2; }}
{name} #form-error {{ color: $text-error; text-style: bold; }}
"""
"""The look shared by the record and spending forms; ``{name}`` is the screen's class name."""

Saved = TypeVar("Saved")
"""What a form dismisses with: the entry its ``save`` returned (or ``None`` on Esc)."""


def show_error(widget: Static, message: str | None) -> None:
    """Show ``message`` in an inline error line, or hide the line when there is none."""
    widget.update(Text(message or ""))
    widget.set_class(bool(message), "-shown")


_REFOCUS_TRIES = 10
"""Times a key read before a dialog's field had the focus is handed on again, at most."""


class KeysBeforeFocus:
    """For a dialog that focuses a field when mounted: keys read in one go with the key that
    opened it (``d ↓ ↓ Enter`` from a fast typist or a slow SSH link) come to the screen before
    any field has the focus — Enter, a character, lost there. Each is handed on again once
    painted, to the field that has the focus by then. And the dialog's own keys (↑ ↓ for a
    quarter end, Ctrl+S, Esc) act in order with what is typed in its fields
    (``in_order_action``)."""

    def in_order_action(self, key: str) -> str | None:
        """The action this dialog binds to ``key``, for its ``OrderedInput`` fields to run as
        they read the key: a binding runs only once the key has come up to the app, after
        keys typed later have reached the field (``↓ ↓ Enter`` took the date shown before
        the arrows)."""
        for cls in type(self).__mro__:      # a subclass's BINDINGS add to its base's
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and key in (k.strip() for k in binding.key.split(",")):
                    return binding.action
        return None

    def on_key(self, event: events.Key) -> None:
        """A key with no field to go to yet: again after the next refresh."""
        tries = getattr(event, "jixiao_tries", 0)
        if self.focused is not None or tries >= _REFOCUS_TRIES:
            return
        event.stop()
        event.prevent_default()
        again = events.Key(event.key, event.character)
        again.jixiao_tries = tries + 1
        self.app.call_after_refresh(self.app.post_message, again)


class FormScreen(KeysBeforeFocus, ModalScreen[Saved]):
    """A modal form with Save and Cancel buttons, a ``#form-error`` line, Ctrl+S and Esc.

    A subclass composes the fields and implements ``validate`` (the ``save`` keywords, or
    ``None`` after marking what is wrong); ``save`` runs in a worker and the form dismisses with
    what it returns, or stays open with the store's message when it refuses.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False),
                Binding("ctrl+s", "save", "Save", show=False)]

    def __init__(self, *, lang: str, save: Callable[..., Saved]) -> None:
        super().__init__()
        self.lang, self.save = lang, save

    def validate(self) -> dict | None:
        """The ``save`` keywords when every field is valid; else ``None`` (errors shown)."""
        raise NotImplementedError

    @on(Input.Changed)
    def _refusal_outdated(self) -> None:
        """The store's refusal spoke of the values saved then: once a field changes it is no
        longer about what the form holds, so it goes (not while a save is under way)."""
        if not self.query_one("#save", Button).disabled:
            self.query_one("#form-error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field saves (when valid)."""
        event.stop()
        self.action_save()

    def submit_field(self, field) -> None:
        """Enter in ``field`` (an ``OrderedInput``), called as the key is read: saves the form
        as it is then, whatever is typed after it (when valid)."""
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Save or Cancel."""
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        """Leave without saving anything."""
        self.dismiss(None)

    def action_save(self) -> None:
        """Validate, then write in a worker."""
        values = self.validate()
        if values is None:
            return
        self.query_one("#form-error", Static).update(Text(label("saving", self.lang)))
        self.query_one("#save", Button).disabled = True
        self._save(values)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, values: dict) -> None:
        try:
            entry = self.save(**values)
        except JixiaoError as exc:
            self.app.call_from_thread(self._refused, exc.text(self.lang))
            return
        except OSError as exc:   # a disk full or a vanished directory: say so, keep the input
            self.app.call_from_thread(self._refused, f"{exc.filename or ''}: {exc.strerror or exc}")
            return
        self.app.call_from_thread(self.dismiss, entry)

    def _refused(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(message))
        self.query_one("#save", Button).disabled = False
