"""The key footer: every shown key in one line that degrades gracefully as the terminal narrows.

Textual's ``Footer`` lays its keys out left to right and cuts whatever does not fit — at 80
columns that was ``?`` and ``q``, and half a word of the palette key. This footer chooses what to
draw for the width it has: full labels when they all fit, else short ones, else it drops keys
least important first; the keys marked ``keep`` (help and quit) are never dropped. It is one line
of text, so redrawing it is cheap, and a click on a key presses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.events import Click
from textual.widget import Widget


@dataclass(frozen=True)
class FooterItem:
    """One key as the footer may draw it."""

    id: str                 # the binding id (stable across languages)
    key: str                # what pressing it sends, e.g. ``question_mark``
    display: str            # what is drawn for the key, e.g. ``?``
    full: str               # the label when there is room
    short: str              # the label when there is not
    enabled: bool = True


def choose(items: Sequence[FooterItem], width: int, *, keep: frozenset[str] | set[str] = frozenset(),
           drop_order: Sequence[str] = (), minor: int = 0) -> list[tuple[FooterItem, str]]:
    """Which items to draw with which label so the line fits in ``width`` cells.

    In order of preference: full labels for everything; full labels without the first
    ``minor`` ids of ``drop_order`` (keys that matter less than readable labels); short labels
    for everything; short labels with items dropped — those not named in ``drop_order`` first,
    then in its order — but never one whose id is in ``keep``. Drawn items keep their order.
    """
    def size(chosen: list[tuple[FooterItem, str]]) -> int:
        return sum(cell_len(f"{item.display} {text}") for item, text in chosen) + max(0, len(chosen) - 1)

    def without(gone: set[str], short: bool) -> list[tuple[FooterItem, str]]:
        return [(item, item.short if short else item.full) for item in items if item.id not in gone]

    rank = {id: n for n, id in enumerate(drop_order)}
    # Dropped first: ids drop_order does not know, then drop_order from its start.
    victims = [item.id for item in sorted((item for item in items if item.id not in keep),
                                          key=lambda item: rank.get(item.id, -1))]
    minors = [id for id in victims if rank.get(id, -1) < minor]
    for short, candidates in ((False, minors), (True, victims)):
        gone: set[str] = set()
        for victim in [None, *candidates]:
            if victim is not None:
                gone.add(victim)
            chosen = without(gone, short)
            if size(chosen) <= width:
                return chosen
    return [(item, item.short) for item in items if item.id in keep]


class KeyFooter(Widget, can_focus=False):
    """The footer of the main screen: the shown bindings of the focused screen plus the command
    palette key, fitted by ``choose``. ``short`` maps binding ids to short labels; bindings it
    does not name use their description for both."""

    COMPONENT_CLASSES = {"keyfooter--key", "keyfooter--label", "keyfooter--disabled"}

    DEFAULT_CSS = """
    KeyFooter { dock: bottom; height: 1; background: $footer-background; color: $footer-foreground; }
    KeyFooter > .keyfooter--key { color: $footer-key-foreground; background: $footer-key-background;
                                  text-style: bold; }
    KeyFooter > .keyfooter--label { color: $footer-description-foreground; }
    KeyFooter > .keyfooter--disabled { text-style: dim; }
    """

    def __init__(self, *, short: Mapping[str, str], keep: Sequence[str] = (),
                 drop_order: Sequence[str] = (), minor: int = 0,
                 palette: tuple[str, str] | None = None, id: str | None = None) -> None:
        """``palette`` is ``(full, short)`` for the command palette key (``None``: not shown);
        ``keep``, ``drop_order`` and ``minor`` are passed on to ``choose``."""
        super().__init__(id=id)
        self.short = dict(short)
        self.keep = frozenset(keep)
        self.drop_order = tuple(drop_order)
        self.minor = minor
        self.palette = palette
        self._spans: list[tuple[int, int, FooterItem]] = []

    def on_mount(self) -> None:
        """Redraw whenever the active bindings (or their enabled state) change."""
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        """Stop listening."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        self.refresh()

    def items(self) -> list[FooterItem]:
        """Every key the footer could show, in binding order, with the palette key last."""
        out: list[FooterItem] = []
        seen: set[str] = set()
        active = self.screen.active_bindings
        for _, binding, enabled, _ in active.values():
            if not binding.show:
                continue
            id = binding.id or binding.action
            if id in seen:          # one entry per action, like Textual's footer
                continue
            seen.add(id)
            out.append(FooterItem(id, binding.key, self.app.get_key_display(binding),
                                  binding.description, self.short.get(id, binding.description),
                                  bool(enabled)))
        key = getattr(self.app, "COMMAND_PALETTE_BINDING", None)
        if self.palette and self.app.ENABLE_COMMAND_PALETTE and key in active:
            _, binding, enabled, _ = active[key]
            out.append(FooterItem("command_palette", binding.key, self.app.get_key_display(binding),
                                  self.palette[0], self.palette[1], bool(enabled)))
        return out

    def render(self) -> Text:
        """The fitted line; disabled keys dimmed (and still drawn with their key and label)."""
        width = self.size.width
        chosen = choose(self.items(), width, keep=self.keep, drop_order=self.drop_order,
                        minor=self.minor)
        key_style = self.get_component_rich_style("keyfooter--key", partial=True)
        label_style = self.get_component_rich_style("keyfooter--label", partial=True)
        dim = self.get_component_rich_style("keyfooter--disabled", partial=True)
        t = Text(no_wrap=True, overflow="crop")
        spans = []
        for item, text in chosen:
            if t.cell_len:
                t.append(" ")
            start = t.cell_len
            t.append(item.display, style=key_style if item.enabled else key_style + dim)
            t.append(" " + text, style=label_style if item.enabled else label_style + dim)
            spans.append((start, t.cell_len, item))
        self._spans = spans
        return t

    def on_click(self, event: Click) -> None:
        """A click on a key presses it (a disabled key then explains why it is disabled)."""
        for start, end, item in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(item.key)
                return
