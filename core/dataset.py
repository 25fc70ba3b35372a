"""An in-memory view of everything in a data directory, indexed for the UI and the reports.

``store`` fills a ``Dataset``; ``core.status`` and the TUI read it. It holds no I/O.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from operator import attrgetter

from .model import Indicator, ProgressEntry, Project, Settings, SpendingEntry, Unit, entry_order


@dataclass
class Dataset:
    """Units, projects, indicators and their append-only history, plus the settings.

    Lists keep table order: units by code, projects and indicators in the order of their tables.
    Progress and spending lists are kept sorted by ``core.model.entry_order`` (date, then the
    instant recorded). ``history_from`` is ``None`` when every progress entry is here; a date
    when each history holds only the entries that can count at that date or later (from the
    last one dated on or before it; see ``counting_from``): such a dataset answers for that
    date and later ones only.
    """

    settings: Settings
    units: dict[str, Unit] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    progress: dict[str, list[ProgressEntry]] = field(default_factory=dict)
    spending: dict[str, list[SpendingEntry]] = field(default_factory=dict)
    history_from: str | None = None
    _children: dict | None = field(default=None, init=False, repr=False, compare=False)

    # --- building -------------------------------------------------------------------------
    def add_unit(self, unit: Unit) -> None:
        """Add or replace a unit."""
        self.units[unit.code] = unit
        self._children = None

    def add_project(self, project: Project) -> None:
        """Add or replace a project."""
        self.projects[project.id] = project
        self._children = None

    def add_indicator(self, indicator: Indicator) -> None:
        """Add or replace an indicator."""
        self.indicators[indicator.id] = indicator
        self._children = None

    def add_progress(self, entry: ProgressEntry) -> None:
        """Append a progress entry, keeping its indicator's history in date order."""
        _insort(self.progress.setdefault(entry.indicator_id, []), entry)

    def add_spending(self, entry: SpendingEntry) -> None:
        """Append a spending entry, keeping its project's history in date order."""
        _insort(self.spending.setdefault(entry.project_id, []), entry)

    def invalidate(self) -> None:
        """Forget the indexes derived from the dicts, for a caller (``store``) that changed
        ``units``, ``projects`` or ``indicators`` directly; they are rebuilt when next needed."""
        self._children = None

    def adopt_order(self, by_unit: dict[str, list[Project]],
                    by_project: dict[str, list[Indicator]]) -> None:
        """Take the table order of every unit and project from the caller, who vouches that
        ``by_unit`` (code → projects) and ``by_project`` (project id → indicators) hold exactly
        this dataset's projects and indicators, each list in table order: at 100k indicators
        this saves sorting them all again after adding units whose order is known."""
        self._children = {"units": by_unit, "projects": by_project}

    # --- reading --------------------------------------------------------------------------
    def unit_list(self) -> list[Unit]:
        """Units ordered by code."""
        return [self.units[c] for c in sorted(self.units)]

    def projects_of(self, unit_code: str) -> list[Project]:
        """The projects of one unit in table order."""
        return self._index()[0].get(unit_code, [])

    def indicators_of(self, project_id: str) -> list[Indicator]:
        """The indicators of one project in table order."""
        return self._index()[1].get(project_id, [])

    def _index(self) -> tuple[dict[str, list[Project]], dict[str, list[Indicator]]]:
        # Built once per change, so moving between units and projects is a dict lookup.
        if self._children is None:
            by_unit: dict[str, list[Project]] = {}
            for p in sorted(self.projects.values(), key=lambda p: (p.year, p.order, p.name)):
                by_unit.setdefault(p.unit_code, []).append(p)
            by_project: dict[str, list[Indicator]] = {}
            for i in sorted(self.indicators.values(), key=lambda i: i.order):
                by_project.setdefault(i.project_id, []).append(i)
            self._children = {"units": by_unit, "projects": by_project}
        return self._children["units"], self._children["projects"]

    def counting_progress(self, indicator_id: str, as_of: str) -> ProgressEntry | None:
        """The entry that counts at ``as_of``: the latest one dated on or before it."""
        self.require_history(as_of)
        return _latest(self.progress.get(indicator_id), as_of)

    def require_history(self, as_of: str) -> None:
        """Raise ``ValueError`` when entries that may count at ``as_of`` were left out (a
        dataset loaded for a later date): answering anyway would pick the wrong entry."""
        if self.history_from is not None and as_of < self.history_from:
            raise ValueError(f"this dataset holds the history from {self.history_from} on, "
                             f"not what counts at {as_of}")

    def counting_spending(self, project_id: str, as_of: str) -> SpendingEntry | None:
        """The spending report that counts at ``as_of``: the latest one dated on or before it."""
        return _latest(self.spending.get(project_id), as_of)


def counting_from(entries: list, as_of: str) -> list:
    """The end of a sorted history that can count at ``as_of`` or later: from the last entry
    dated on or before ``as_of`` (all of it when there is none)."""
    n = bisect_right(entries, as_of, key=_AS_OF) - 1
    return entries[n:] if n > 0 else entries


_AS_OF = attrgetter("as_of")


def _insort(entries: list, entry) -> None:
    entries.append(entry)
    # Entries almost always arrive in date order; sort only when one does not. Different dates
    # decide without reading the recorded instants (a load appends every entry of a store).
    if len(entries) > 1:
        before = entries[-2].as_of
        if before > entry.as_of or (before == entry.as_of
                                     and entry_order(entries[-2]) > entry_order(entry)):
            entries.sort(key=entry_order)


def _latest(entries: list | None, as_of: str):
    # ISO dates compare correctly as strings.
    for entry in reversed(entries or ()):
        if entry.as_of <= as_of:
            return entry
    return None
