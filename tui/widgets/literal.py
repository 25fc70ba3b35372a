"""User text made safe to draw: control characters become visible symbols.

Rich drops only a few control codes; an ESC in a project name would reach the terminal as an
escape sequence. Names, targets and notes are stored as typed and shown literally, so each C0
control becomes its Unicode control picture (ESC → ␛), DEL → ␡ and a C1 control → �.
"""

from __future__ import annotations

_TABLE = {c: 0x2400 + c for c in range(0x20)}
_TABLE[0x7F] = 0x2421
_TABLE.update({c: 0xFFFD for c in range(0x80, 0xA0)})
_KEEP_LINES = {k: v for k, v in _TABLE.items() if k not in (0x0A, 0x09)}


def literal(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character replaced by a visible one-cell symbol (newlines and
    tabs kept when ``keep_newlines``, for multi-line fields shown in the detail pane)."""
    return text.translate(_KEEP_LINES if keep_newlines else _TABLE)
