"""The command palette (Ctrl+P) lists every action of the monitor screen, in the UI language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .i18n import label
from .keys import ACTIONS, action_name, key_display


@dataclass(frozen=True)
class PaletteCommand:
    """One palette entry: its title (with its key), what it does, and what runs it."""

    title: str
    help: str
    callback: Callable[[], object]


def palette_commands(screen, lang: str) -> Iterator[PaletteCommand]:
    """The actions of ``screen`` (a monitor screen) as palette entries; Esc and quit are left to
    Textual's own commands, and actions the screen does not offer where the user is (``o`` in
    the triage list, ``e`` in an empty store) are left out."""
    for key, action, text, _ in ACTIONS:
        if action in ("app.quit", "back"):
            continue
        name = action_name(action)
        if screen.check_action(name, ()) is False:
            continue
        method = getattr(screen, f"action_{name}")
        callback = partial(method, int(action[action.index("(") + 1:-1])) if "(" in action else method
        yield PaletteCommand(f"{label(text, lang)} ({key_display(key)})",
                             label("h_" + text.removeprefix("k_"), lang), callback)


class MonitorCommands(Provider):
    """The monitor screen's actions in the command palette."""

    def _commands(self) -> list[PaletteCommand]:
        screen = self.screen
        lang = getattr(screen, "lang", None)
        return list(palette_commands(screen, lang)) if lang else []

    async def discover(self) -> Hits:
        """Every action, before anything is typed."""
        for command in self._commands():
            yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        """The actions whose title matches ``query``."""
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.callback,
                          help=command.help)
