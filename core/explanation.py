"""The explanation rule (DESIGN.md §6): a progress entry that makes an indicator amber or red
must give 偏差原因 (causes) and 纠偏措施 (corrective measures), as the monitoring table asks.

The one rule every entry point shares: the store enforces it, a form marks the fields it names.
"""

from __future__ import annotations

from .colours import ALERTS
from .words import CAUSES, choice_word

EXPLAINED_COLOURS = ALERTS
"""Colours whose progress entry must give 偏差原因 and 纠偏措施 (the monitoring table asks for
them on every indicator that is behind)."""


def explanation_gaps(status, causes, measures) -> tuple[str, ...]:
    """Which explanations a progress entry giving ``status`` lacks: ``"causes"`` and/or
    ``"measures"``, in that order; empty when none is needed or both are given.

    ``status`` is a ``Status`` or a colour word."""
    colour = getattr(status, "colour", status)
    if colour not in EXPLAINED_COLOURS:
        return ()
    gaps = []
    if not any(str(c).strip() for c in (causes or ())):
        gaps.append("causes")
    if not (measures or "").strip():
        gaps.append("measures")
    return tuple(gaps)


_NEEDS = {
    "causes": (f"at least one cause (偏差原因: "
               f"{', '.join(choice_word(c, 'en') for c in CAUSES[:-1])} or "
               f"{choice_word(CAUSES[-1], 'en')})"),
    "measures": "the corrective measures (纠偏措施)",
}


def missing_explanation(status, causes, measures) -> str | None:
    """A sentence saying which explanation an entry giving ``status`` still needs, or ``None``
    when it may be saved as it is (see ``explanation_gaps``)."""
    gaps = explanation_gaps(status, causes, measures)
    if not gaps:
        return None
    colour = getattr(status, "colour", status)
    return (f"this entry makes the indicator {colour}, so it needs "
            + " and ".join(_NEEDS[g] for g in gaps))
