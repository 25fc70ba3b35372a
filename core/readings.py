"""Reading what an owner records (完成值) against a target: a number in a compatible unit,
a completion date or percent done for deadlines, a grade for qualitative targets.

INTERFACE STUB — owned by the status-engine work (issue 3); replace the body, keep the names.
"""

from __future__ import annotations


def check_actual(text: str, target) -> str | None:
    """``None`` when ``text`` fits ``target``; else what is expected, e.g. ``needs a number in 万元``."""
    raise NotImplementedError
