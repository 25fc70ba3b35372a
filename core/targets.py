"""Reading a verbatim 指标值 into a typed ``Target`` (DESIGN.md §5).

INTERFACE STUB — owned by the status-engine work (issue 3); replace the body, keep the names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

KINDS = ("quantity", "rate", "range", "deadline", "qualitative")


@dataclass(frozen=True)
class Target:
    """A parsed 指标值. ``text`` is always the verbatim original."""

    text: str
    kind: str
    op: str | None = None            # '>=', '<=', '>', '<', '='
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None          # as written: '个', '万元', '%', '元/亩' …
    deadline: date | None = None
    direction: str | None = None     # 'higher' | 'lower' | 'exact' | None
    measure: str | None = None       # 'cumulative' | 'level' | None
    note: str | None = None
    parsed: bool = True
    review: str | None = None        # why a person should look at this target

    def to_dict(self) -> dict:
        """JSON-ready form (dates as ISO strings), for snapshots and ``jixiao explain``."""
        raise NotImplementedError


def parse_target(text: str, *, year: int, level1: str = "", category: str = "",
                 measure: str | None = None) -> Target:
    """Read ``text``; never raises. ``measure`` overrides the inferred cumulative/level."""
    raise NotImplementedError
