"""An ``Input`` that applies every key in the order it was typed.

Textual inserts a printable key in the field's own ``_on_key``, but a key bound to an editing
action (Left, End, Backspace, …) first bubbles through every container and the screen to the
app, which then runs the field's binding. While the screen is busy — a form re-checks the
value and recomputes its preview on every change — the next printable key reaches the field
before the bubbling Left or End: ``abc Left ⌫⌫⌫ End -5`` came out ``-5c`` or ``-c5``.
Here the field runs its own editing bindings as it receives them, so every key keeps its place,
a key that reaches it after Tab has moved the focus on goes on to the field that has it,
Enter in a form (a screen with ``submit_field``) saves what the fields hold when it is pressed,
and a dialog's own keys (``in_order_action``: ↓ for a quarter end, Ctrl+S, Esc) act in order.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input


def _editing_actions() -> dict[str, str]:
    actions: dict[str, str] = {}
    for binding in Input.BINDINGS:
        key, action = ((binding.key, binding.action) if isinstance(binding, Binding)
                       else (binding[0], binding[1]))
        for one in key.split(","):
            actions.setdefault(one.strip(), action)
    return actions


_ACTIONS = _editing_actions()
"""The key → action bindings ``Input`` declares (cursor moves, deletions, selection)."""


class OrderedInput(Input):
    """An ``Input`` whose editing keys run in the field, in order with the typed characters."""

    async def _on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self:      # ``has_focus`` changes only with the Blur event
            # Typed after a key that moved the focus on (Tab) but queued here before it took
            # effect: it belongs to the field that has the focus now.
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        if event.key in ("tab", "shift+tab"):
            # Moved here and now rather than when the key has bubbled up to the app's binding:
            # the keys typed after it are already queued for this field.
            event.stop()
            event.prevent_default()
            if event.key == "tab":
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            return
        action = None if event.is_printable else _ACTIONS.get(event.key)
        in_order = getattr(self.screen, "in_order_action", None)
        own = (in_order(event.key) if action is None and not event.is_printable
               and in_order is not None else None)
        if own is not None:
            # The dialog's key (↓ puts a quarter end in the date field), run now: as a binding
            # it would run after the keys typed behind it had reached this field.
            event.stop()
            event.prevent_default()
            await self.screen.run_action(own)
            return
        submit_here = getattr(self.screen, "submit_field", None)
        if action == "submit" and submit_here is not None:
            # A form takes Enter now, as the fields are: its Submitted message would reach the
            # form through this field's queue, behind the keys typed after Enter (``5 Enter 6``
            # saved 56).
            event.stop()
            event.prevent_default()
            submit_here(self)
            return
        if action is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        await self.run_action(action)
