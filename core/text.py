"""User text made safe to show: control characters become visible symbols.

Names, targets and notes are stored exactly as typed. Shown in a terminal, an ESC in a project
name would start an escape sequence, so every C0 control becomes its Unicode control picture
(ESC → ␛), DEL → ␡ and a C1 control → �; the bidirectional overrides and isolates that could
make text read backwards become �. Line ends and tabs may be kept for multi-line text.
"""

from __future__ import annotations

_TABLE = {c: 0x2400 + c for c in range(0x20)}
_TABLE[0x7F] = 0x2421
_TABLE.update({c: 0xFFFD for c in range(0x80, 0xA0)})
_TABLE.update({c: 0xFFFD for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
# \r stays with \n: CSV lines end in \r\n and must reach a file intact.
_KEEP_LINES = {k: v for k, v in _TABLE.items() if k not in (0x0A, 0x0D, 0x09)}


def visible(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character replaced by a visible one-cell symbol (newlines and
    tabs kept when ``keep_newlines``, for multi-line fields and whole lines of output)."""
    return str(text).translate(_KEEP_LINES if keep_newlines else _TABLE)
