"""Status rules (DESIGN.md §6): colour, finality, expected value and reason per indicator,
budget light per project, roll-ups per project and unit.

INTERFACE STUB — owned by the status-engine work (issue 3); replace the body, keep the names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .dataset import Dataset

COLOURS = ("red", "amber", "grey", "blue", "green")
"""Every colour, worst first: a roll-up takes the first of these that occurs."""


@dataclass(frozen=True)
class Status:
    """The verdict on one indicator (or one project budget) at a monitoring date."""

    colour: str
    final: bool = False
    expected: float | None = None
    ratio: float | None = None
    reason_zh: str = ""
    reason_en: str = ""

    def reason(self, lang: str = "zh") -> str:
        """The one-line reason in ``lang`` ('zh' or 'en')."""
        return self.reason_en if lang == "en" else self.reason_zh


@dataclass
class Rollup:
    """Worst colour and per-colour counts over a project's or unit's indicators."""

    colour: str = "grey"
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Evaluation:
    """Every status of a dataset at one date."""

    as_of: str
    indicators: dict = field(default_factory=dict)   # indicator id -> Status
    budgets: dict = field(default_factory=dict)      # project id -> Status
    projects: dict = field(default_factory=dict)     # project id -> Rollup
    units: dict = field(default_factory=dict)        # unit code -> Rollup
    total: Rollup = field(default_factory=Rollup)


def evaluate(dataset: Dataset, as_of: str | None = None) -> Evaluation:
    """Evaluate every indicator, budget, project and unit at ``as_of`` (default: settings)."""
    raise NotImplementedError
