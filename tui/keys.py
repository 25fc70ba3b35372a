"""Every key of the monitor screen, declared once: bindings with ids and tooltips, the footer's
short labels and drop order, the help screen's list and the command palette's entries."""

from __future__ import annotations

from functools import cache

from textual.binding import Binding

from .i18n import label

ACTIONS = (
    # (key, action, label key, shown in footer); the short footer label is ``s_…`` for ``k_…``
    # and the command palette's description ``h_…``.
    ("e", "record", "k_record", True),
    ("s", "spend", "k_spend", True),
    ("r", "triage", "k_triage", True),
    ("v", "review", "k_review", True),
    ("t", "reading", "k_reading", True),
    ("n", "next_alert(1)", "k_next", True),
    ("N", "next_alert(-1)", "k_prev", True),
    ("slash", "search", "k_search", True),
    ("o", "sort", "k_sort", True),
    ("d", "date", "k_date", True),
    ("x", "export", "k_export", True),
    ("question_mark", "help", "k_help", True),
    ("escape", "back", "k_back", True),
    ("q", "app.quit", "k_quit", True),
)
"""Every key of the monitor screen. Footer, help and command palette are built from this table."""

FOOTER_KEEP = ("help", "quit")
"""Keys the footer never drops, however narrow the terminal."""

FOOTER_DROP_ORDER = ("command_palette", "back", "reading", "review", "next_alert-prev", "sort",
                     "next_alert", "export",
                     "date", "spend", "search", "triage", "record")
"""The order in which the footer drops keys when even short labels do not fit; the first
``FOOTER_MINOR`` go before the labels are shortened."""

FOOTER_MINOR = 4
"""How many keys of ``FOOTER_DROP_ORDER`` the footer drops before it shortens the labels."""

KEY_DISPLAY = {"slash": "/", "question_mark": "?", "escape": "Esc"}
"""How the footer, help screen and palette write keys whose Textual names are words."""

PANE_KEYS = (
    ("Tab / Shift+Tab", "k_focus_next"), ("↑ ↓ / j k", "k_move_scroll"), ("PgUp PgDn", "k_page"),
    ("Home End", "k_home_end"), ("Enter", "k_open"), ("Esc", "k_back_close"),
    ("Ctrl+P", "k_palette"), ("Ctrl+S", "k_save_form"),
)
"""``(keys, label key)`` of the keys that move around, open and close, for the help screen:
listed first, they are what a new user looks for (at 80×24 the list scrolls)."""

PRIORITY_KEYS = ("slash",)
"""Keys the app acts on as they arrive, before it hands the next key to whatever has the focus.
Characters that arrive in one read with ``/`` (a paste, a slow SSH link) were handed to the pane
that had the focus before ``/`` moved it to the search field, and were lost (``e`` even opened
the record form). Typed in the search field, ``/`` is still a character (``search`` inserts it)."""
EDIT_ACTIONS = ("record", "spend", "export", "reading")
"""Actions the user may not be allowed to take: their keys show disabled and explain why."""

NEEDS_DATA = ("record", "spend", "date", "export", "triage", "review", "next_alert", "search",
              "sort", "reading")
"""Actions that need at least one unit: an empty store does not offer them at all (its footer
keeps help and quit), and their keys say there is no data yet."""

BROWSE_ONLY = ("sort",)
"""Actions about the panes' own order: the triage, review and search lists (already in an order
of their own) do not offer them, so a key there never throws the user out of the list."""


def binding_id(action: str) -> str:
    """A stable id per action: ``next_alert(1)`` → ``next_alert``, ``(-1)`` → ``next_alert-prev``,
    ``app.quit`` → ``quit``."""
    return action.removeprefix("app.").replace("(-1)", "-prev").split("(")[0]


def short_label(text: str) -> str:
    """The key of the short footer label of the label key ``text`` (``k_record`` → ``s_record``)."""
    return "s_" + text.removeprefix("k_")


def key_display(key: str) -> str:
    """How a key is written for people (``slash`` → ``/``)."""
    return KEY_DISPLAY.get(key, key)


@cache
def bindings(lang: str) -> tuple[Binding, ...]:
    """The monitor screen's bindings, described in ``lang``, each with an id and a tooltip."""
    out = [Binding(key, action, label(text, lang), show=show, id=binding_id(action),
                   key_display=KEY_DISPLAY.get(key), priority=key in PRIORITY_KEYS,
                   tooltip=label("h_" + text.removeprefix("k_"), lang))
           for key, action, text, show in ACTIONS]
    out.append(Binding("down", "into_results", label("k_into_results", lang), show=False,
                       id="into_results"))
    return tuple(out)


def short_labels(lang: str) -> dict[str, str]:
    """The footer's short label per binding id."""
    return {binding_id(action): label(short_label(text), lang) for _, action, text, _ in ACTIONS}


def action_name(action: str) -> str:
    """The name Textual checks an action by (``next_alert(1)`` → ``next_alert``)."""
    return action.removeprefix("app.").split("(")[0]


def help_keys(lang: str, hidden: frozenset[str] | set[str] = frozenset()) -> list[tuple[str, str]]:
    """``(key, what it does)`` in ``lang``: the keys that move around first, then ``("", "")``
    (a gap), then the screen's keys — without those whose binding id is in ``hidden`` (not
    offered where the user is), Esc told with the moving keys and ``q`` with Ctrl+Q."""
    keys = [(k, label(text, lang)) for k, text in PANE_KEYS]
    keys.append(("", ""))
    for k, action, text, _ in ACTIONS:
        if binding_id(action) in hidden or k == "escape":
            continue
        keys.append(("q / Ctrl+Q" if k == "q" else key_display(k), label(text, lang)))
    return keys
