"""The verdict types of the status rules (DESIGN.md §6): ``Status`` per indicator or budget,
``Rollup`` per project and unit, ``Evaluation`` for a whole dataset at one date.

The rules that make them live in ``core.rules`` (per kind) and ``core.budget_light``; the
engine that makes them for a whole dataset in ``core.evaluator``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .colours import COLOURS, worst


class Status:
    """The verdict on one indicator (or one project budget) at a monitoring date.

    ``expected`` is the value due by the date (``value × time progress`` for cumulative
    targets, the target itself for levels); ``ratio`` is the figure the colour was judged on
    (actual ÷ expected, or actual ÷ target once reached); ``final`` means achieved or missed
    for good; ``timeless`` means the verdict does not depend on the monitoring date (only on
    the target, the recorded values and the thresholds), so it holds at any other date too.
    Treat a ``Status`` as immutable.

    The reasons are written only when first read: recomputing 100k colours after a change of
    the monitoring date must not pay for 200k sentences nobody looks at.
    """

    __slots__ = ("colour", "final", "expected", "ratio", "timeless", "_zh", "_en", "_why")

    def __init__(self, colour: str, final: bool = False, expected: float | None = None,
                 ratio: float | None = None, reason_zh: str = "", reason_en: str = "",
                 *, why: tuple | None = None, timeless: bool = False):
        self.colour = colour
        self.final = final
        self.expected = expected
        self.ratio = ratio
        self.timeless = timeless
        self._zh = reason_zh
        self._en = reason_en
        self._why = why             # (function, *args) that returns (reason_zh, reason_en)

    def _explain(self) -> None:
        why = self._why
        if why is not None:
            self._zh, self._en = why[0](self, *why[1:])
            self._why = None

    @property
    def reason_zh(self) -> str:
        """The one-line reason in Chinese."""
        if self._why is not None:
            self._explain()
        return self._zh

    @property
    def reason_en(self) -> str:
        """The one-line reason in English."""
        if self._why is not None:
            self._explain()
        return self._en

    def reason(self, lang: str = "zh") -> str:
        """The one-line reason in ``lang`` ('zh' or 'en')."""
        return self.reason_en if lang == "en" else self.reason_zh

    def to_dict(self) -> dict:
        """JSON-ready form: colour, final, expected, ratio and both reasons."""
        return {"colour": self.colour, "final": self.final, "expected": self.expected,
                "ratio": self.ratio, "reason_zh": self.reason_zh, "reason_en": self.reason_en}

    def _key(self) -> tuple:
        return (self.colour, self.final, self.expected, self.ratio, self.reason_zh,
                self.reason_en)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"Status(colour={self.colour!r}, final={self.final!r}, "
                f"expected={self.expected!r}, ratio={self.ratio!r}, "
                f"reason_en={self.reason_en!r})")


@dataclass
class Rollup:
    """Worst colour and per-colour counts over a project's or unit's indicators.

    ``colour`` also takes the budget light into account; ``counts`` has every colour of
    ``COLOURS`` as a key and counts indicators only.
    """

    colour: str = "grey"
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLOURS, 0))


@dataclass
class Evaluation:
    """Every status of a dataset at one date."""

    as_of: str
    indicators: dict = field(default_factory=dict)   # indicator id -> Status
    budgets: dict = field(default_factory=dict)      # project id -> Status
    projects: dict = field(default_factory=dict)     # project id -> Rollup
    units: dict = field(default_factory=dict)        # unit code -> Rollup
    total: Rollup = field(default_factory=Rollup)


def rollup(statuses, extra: tuple[str, ...] = ()) -> Rollup:
    """The worst colour and per-colour counts of ``statuses``; ``extra`` colours (the budget
    light) count toward the worst colour only."""
    counts = dict.fromkeys(COLOURS, 0)
    for s in statuses:
        counts[s.colour] += 1
    return Rollup(worst(counts, extra), counts)
