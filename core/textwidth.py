"""Terminal column widths of text that mixes Chinese and Latin script: measured one way everywhere.

The headless reports (``jixiao report``, ``jixiao diff``) must line up at 80 columns, and a CJK
character takes two columns. The TUI draws with rich, which measures with ``rich.cells``; so does
this module, so a report and a screen always agree on how wide a name is (a width table of our own
disagreed with rich on 896 code points). ``rich.cells`` is a small pure module over rich's Unicode
tables (it loads no console, no markup, no Textual), so ``core`` stays free of UI code.

Text is cut only between graphemes (a character with its combining marks, an emoji sequence
joined by U+200D), never inside one, and zero-width characters (U+200B, U+FEFF, U+200D) count 0.
"""

from __future__ import annotations

from rich.cells import cell_len, split_graphemes


def width(text: str) -> int:
    """The number of terminal columns ``text`` occupies (wide CJK characters count two)."""
    return cell_len(text)


def fitting_length(text: str, columns: int) -> int:
    """How many characters from the start of ``text`` fit in ``columns`` columns, cutting only
    between graphemes (so a wide character or an emoji sequence is never split)."""
    if width(text) <= columns:
        return len(text)
    spans, _ = split_graphemes(text)
    used = 0
    for start, _end, cells in spans:
        if used + cells > columns:
            return start
        used += cells
    return len(text)


ELLIPSIS = "…"
"""What ends a text that was cut to fit (one column wide)."""


def fit_plan(text: str, columns: int) -> tuple[int, str, int]:
    """How ``text`` is made exactly ``columns`` columns wide: keep its first ``keep`` characters,
    then ``tail`` (the ellipsis when it was cut, else ""), then ``pad`` spaces.

    The one rule behind ``clip`` and ``fit`` here and the TUI's styled ``fit``, so a report and
    the screen cut a name at the same place.
    """
    if columns <= 0:
        return 0, "", 0
    # No character is wider than two columns, so short text needs no measuring.
    if 2 * len(text) <= columns or width(text) <= columns:
        keep, tail = len(text), ""
    else:
        keep, tail = fitting_length(text, max(0, columns - width(ELLIPSIS))), ELLIPSIS
    # rich joins a U+200D with whatever follows it, the ellipsis or the padding included, and
    # then counts that as no column. At the end it joins nothing and draws nothing: left out.
    while keep and text[keep - 1] == "\u200d":
        keep -= 1
    return keep, tail, columns - width(text[:keep]) - width(tail)


def clip(text: str, columns: int) -> str:
    """``text`` cut to at most ``columns`` columns, ending in ``ELLIPSIS`` when it was cut."""
    keep, tail, _ = fit_plan(text, columns)
    return text if keep == len(text) else text[:keep] + tail


def fit(text: str, columns: int, *, align: str = "left") -> str:
    """``text`` clipped and padded with spaces to exactly ``columns`` columns."""
    keep, tail, pad = fit_plan(text, columns)
    gap = " " * pad
    text = text[:keep] + tail
    return gap + text if align == "right" else text + gap


def pad(text: str, columns: int) -> str:
    """``text`` followed by spaces up to ``columns`` terminal columns; never cut (a longer text
    pushes what follows right, as ``f"{text:<n}"`` does, but counting wide characters as two)."""
    return text + " " * max(0, columns - width(text))


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
    one in the second half of the line, so English reasons stay readable, and a Latin word in
    Chinese text (a command such as ``jixiao import``) moves to the next line whole rather than
    being split, unless it is wider than a line by itself.
    """
    text = one_line(text)
    lines: list[str] = []
    while width(text) > columns:
        # A column too narrow for one wide character still makes progress, by one grapheme
        # (no grapheme is wider than two columns).
        cut = fitting_length(text, columns) or fitting_length(text, 2)
        space = text.rfind(" ", 0, cut + 1)
        if space > cut // 2 and text[cut:cut + 1] != " ":
            cut = space
        elif _in_word(text, cut):
            start = cut
            while start > 0 and _is_word_char(text[start - 1]):
                start -= 1
            cut = start or cut
        lines.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text or not lines:
        lines.append(text)
    return lines


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "_-./:")


def _in_word(text: str, cut: int) -> bool:
    # Whether cutting before ``text[cut]`` would split a Latin word.
    return 0 < cut < len(text) and _is_word_char(text[cut - 1]) and _is_word_char(text[cut])
