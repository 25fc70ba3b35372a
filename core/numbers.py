"""How a number is shown to a person: reasons, ``jixiao explain``, command output, UI columns.

One formatter, so the same figure never reads ``12.5`` in one place and ``12.50`` in another.
"""

from __future__ import annotations


def format_number(x: float, digits: int = 4, *, scaled: bool = False,
                  grouped: bool = False) -> str:
    """``x`` with at most ``digits`` decimals and no trailing zeros (``12.5``, ``8``).

    ``scaled`` sets the decimals by size instead: none from 1000 on, one from 100 on,
    ``digits`` below. ``grouped`` separates thousands with commas (``98,544``), for narrow columns.
    """
    if scaled:
        a = abs(x)
        digits = 0 if a >= 1000 else 1 if a >= 100 else digits
    text = f"{x:,.{digits}f}" if grouped else f"{x:.{digits}f}"
    # Only decimals may lose their zeros: 1000 must stay 1000.
    return text.rstrip("0").rstrip(".") if "." in text else text


MAX_DIGITS = 15
"""Most digits a recorded number may have before its decimal point: as many as a float keeps
exactly, and more than any count or amount of a budget unit (10^15 元 is a thousand times the
national budget). A 400-digit value would otherwise be stored and later show as ``inf``."""


def too_many_digits(number_text: str) -> bool:
    """Whether the number written as ``number_text`` (digits, optional ``,`` groups and
    decimals) has more than ``MAX_DIGITS`` digits before its point."""
    whole = number_text.split(".", 1)[0].replace(",", "")
    return len(whole.lstrip("0")) > MAX_DIGITS
