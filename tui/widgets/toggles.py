"""Checkboxes and radio buttons whose state is drawn as a glyph, not only as a colour.

Textual draws every checkbox as ``▐X▌`` and every radio button as ``▐●▌`` and tells on from off
by colour alone; with ``NO_COLOR=1`` or over a 16-colour link a ticked and an unticked cause
differ only in grey level. These draw ``☑``/``☐`` and ``◉``/``○`` instead (DESIGN.md: never
colour alone).
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class _GlyphState:
    """Mixin: the button glyph follows ``value`` (``ON`` or ``OFF``); no half-block sides."""

    ON = "X"
    OFF = " "
    BUTTON_LEFT = ""
    BUTTON_RIGHT = ""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - the name Textual's ToggleButton reads
        """The glyph for the current state."""
        return self.ON if self.value else self.OFF

    def watch_value(self) -> None:
        """Redraw the glyph (the stock widget only restyles) and announce the change."""
        super().watch_value()
        self.refresh()


GLYPH_CSS = """
{name} > .toggle--button {{ color: $foreground !important; background: $panel; }}
{name}.-on > .toggle--button {{ color: $text-success !important; background: $panel; }}
{name}:focus > .toggle--label, RadioSet:focus > {name}.-selected > .toggle--label {{
    background: $primary-darken-2 !important;
}}
"""
"""The glyph in the text colour: Textual draws an unticked box $panel-darken-2 on $panel (1.4:1),
legible to nobody; the glyph's shape, not its colour, now tells on from off. ``!important``
because RadioSet's own rule for its buttons is as specific and would win. A darker cursor
behind a focused label: Textual's text on $block-cursor-background there is 3.8:1."""


class StateCheckbox(_GlyphState, Checkbox):
    """A checkbox drawn ``☑ label`` when ticked and ``☐ label`` when not."""

    DEFAULT_CSS = GLYPH_CSS.format(name="StateCheckbox")

    ON = "☑"
    OFF = "☐"


class StateRadioButton(_GlyphState, RadioButton):
    """A radio button drawn ``◉ label`` when chosen and ``○ label`` when not."""

    DEFAULT_CSS = GLYPH_CSS.format(name="StateRadioButton")
    SCOPED_CSS = False   # the focused-set rule starts at the RadioSet, outside this widget

    ON = "◉"
    OFF = "○"
