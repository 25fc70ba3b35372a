"""What an indicator's history sparkline plots: per entry, the expected and the actual value.

The detail pane draws these; deciding which recorded actuals are numbers (and in which unit) is
the readings' and status rules' business, so it is decided here, never in the widget.
"""

from __future__ import annotations

from . import readings
from .rules import indicator_status


def plotted_value(text: str, target) -> float | None:
    """What the sparkline plots for one recorded actual: the number ``readings`` reads in the
    target's unit (``0.5亿元`` against 万元 is 5000, a percent done is its percent), or ``None``
    for what is not a number (a completion date, a grade, an unreadable value)."""
    if target is None:
        return None
    try:
        reading = readings.read_actual(text, target)
    except Exception:  # a hint only: an unreadable value leaves a gap, never an error
        return None
    return reading.value if reading.kind in ("number", "percent") else None


def history_series(indicator, history, settings, target) -> tuple[list, list]:
    """``(expected, actual)`` per entry of ``history``: what was due at each entry's date and
    what it recorded, as plotted numbers (``None`` where there is none)."""
    expected, actual = [], []
    for entry in history:
        try:
            expected.append(indicator_status(indicator, entry, entry.as_of, settings,
                                             settings.year).expected)
        except Exception:  # the sparkline is a hint; a rule failure must not hide the history
            expected.append(None)
        actual.append(plotted_value(entry.actual, target))
    return expected, actual
