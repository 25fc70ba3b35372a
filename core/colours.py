"""The colour vocabulary of statuses (DESIGN.md §6): the colours, one rank order, glyphs.

``COLOURS`` is the one order every user sorts and rolls up by: worst first. Anything that asks
"is this worse?" compares ``SEVERITY`` ranks (lower = worse), never an order of its own.
"""

from __future__ import annotations

from .words import COLOUR_WORDS

COLOURS = ("red", "amber", "grey", "blue", "green")
"""Every colour, worst first: a roll-up takes the first of these that occurs."""

SEVERITY = {colour: rank for rank, colour in enumerate(COLOURS)}
"""Each colour's rank in ``COLOURS`` (0 = worst), for sorting worst first."""

ALERTS = COLOURS[:2]
"""The colours that need attention (and an explanation): red and amber."""

COUNT_ORDER = ("red", "amber", "green", "blue", "grey")
"""The colours of a ``counts`` object (snapshot, report, diff), in the order they are written."""

COLOUR_ZH = COLOUR_WORDS["zh"]
"""The Chinese word for each colour, as reasons write it."""

COLOUR_GLYPHS = {"red": "✖", "amber": "▲", "grey": "○", "blue": "◆", "green": "●"}
"""One glyph per colour, distinct in shape so monochrome terminals still tell them apart."""


def colour_word(colour: str, lang: str = "zh") -> str:
    """The word for ``colour`` in ``lang`` ('zh' or 'en'); an unknown colour as it is."""
    return COLOUR_WORDS["en" if lang == "en" else "zh"].get(colour, colour)


def alert_rank(colour: str) -> int:
    """``SEVERITY`` with every colour that is not an alert ranked alike, after the alerts:
    red 0, amber 1, anything else 2 (a change between grey, blue and green is no alarm)."""
    rank = SEVERITY.get(colour, len(COLOURS))
    return rank if rank < len(ALERTS) else len(ALERTS)


def worst_of(colours) -> str:
    """The worst of ``colours`` (any iterable of colour names); grey if there are none."""
    seen = set(colours)
    for colour in COLOURS:
        if colour in seen:
            return colour
    return "grey"


def worst(counts: dict[str, int], extra=()) -> str:
    """The worst colour with a non-zero count in ``counts`` or among ``extra``; grey if none."""
    for colour in COLOURS:
        if counts[colour] or colour in extra:
            return colour
    return "grey"
