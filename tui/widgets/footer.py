"""The key footer, redrawn only when the keys it shows actually change.

Textual's ``Footer`` rebuilds itself on every focus change (about 100 ms on a busy 2-core
machine); moving between panes changes no visible key here, so that work is skipped.
"""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """A ``Footer`` that recomposes only when the shown keys or their enabled state change."""

    _shown: tuple | None = None

    def bindings_changed(self, screen) -> None:
        """Recompose when (and only when) the visible keys differ from the last drawn ones."""
        try:
            shown = tuple((key, b.description, enabled)
                          for key, (_, b, enabled, _) in screen.active_bindings.items() if b.show)
        except Exception:  # a screen being torn down: fall back to the stock behaviour
            shown = None
        if shown is not None and shown == self._shown:
            self._bindings_ready = True
            return
        self._shown = shown
        super().bindings_changed(screen)
