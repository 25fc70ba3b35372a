"""Terminal column widths of text that mixes Chinese and Latin script.

The headless reports (``jixiao report``, ``jixiao diff``) must line up at 80 columns, and a CJK
character takes two columns. ``core`` may not import rich, so this is the small part of
``rich.cells`` those reports need, built on ``unicodedata.east_asian_width``.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)
def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


class _Widths(dict):
    """Character → columns, filled on first sight of each character."""

    def __missing__(self, ch: str) -> int:
        w = self[ch] = _char_width(ch)
        return w


_WIDTHS = _Widths()


def width(text: str) -> int:
    """The number of terminal columns ``text`` occupies (wide CJK characters count two)."""
    if text.isascii():
        return len(text)
    return sum(map(_WIDTHS.__getitem__, text))


def clip(text: str, columns: int, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``columns`` columns, ending in ``ellipsis`` when it was cut."""
    # No character is wider than two columns, so short text needs no measuring.
    if 2 * len(text) <= columns or width(text) <= columns:
        return text
    room = columns - width(ellipsis)
    out, used = [], 0
    for ch in text:
        w = _char_width(ch)
        if used + w > room:
            break
        out.append(ch)
        used += w
    return "".join(out) + ellipsis if columns > 0 else ""


def fit(text: str, columns: int, *, align: str = "left") -> str:
    """``text`` clipped and padded with spaces to exactly ``columns`` columns."""
    text = clip(text, columns)
    gap = " " * (columns - width(text))
    return gap + text if align == "right" else text + gap


def one_line(text: str | None) -> str:
    """``text`` with line breaks and tabs turned into spaces, so a table row stays one line."""
    if not text:
        return ""
    text = str(text)
    # isprintable() is False for every line break, tab and odd space, so most text is done here.
    if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text
    return " ".join(text.split())


def wrap(text: str, columns: int) -> list[str]:
    """``text`` broken into lines of at most ``columns`` columns.

    Chinese may break between any two characters; Latin words break at a space when there is
    one in the second half of the line, so English reasons stay readable.
    """
    text = one_line(text)
    lines: list[str] = []
    while width(text) > columns:
        cut, used = 0, 0
        for k, ch in enumerate(text):
            w = _char_width(ch)
            if used + w > columns:
                break
            used += w
            cut = k + 1
        cut = max(cut, 1)   # a column too narrow for one wide character still makes progress
        space = text.rfind(" ", 0, cut + 1)
        if space > cut // 2 and text[cut:cut + 1] != " ":
            cut = space
        lines.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text or not lines:
        lines.append(text)
    return lines
