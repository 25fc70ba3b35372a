"""What the monitoring screen shows, computed from a ``Dataset`` and its ``Evaluation``.

No widgets here: ordered lists for the panes, the triage list, next/previous alert and search,
each built once per data change and then answered by index, so every keystroke stays well under
100 ms at 100k indicators.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from types import SimpleNamespace

from jixiao.core.colours import ALERTS, SEVERITY
from jixiao.core.dataset import Dataset
from jixiao.core.model import Indicator, Project, Unit
from jixiao.core.overrides import indicator_target

from .versions import lead_rows, pending_units, summarized_units

# ALERTS (red, amber): the colours the triage view and ``n``/``N`` visit.

_COLOUR, _RATIO = attrgetter("colour"), attrgetter("ratio")
_UNCOLOURED = SimpleNamespace(colour=None)
"""Stands for the status of an indicator not evaluated yet."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: a unit, a project or an indicator, with where it lives."""

    kind: str                      # 'unit' | 'project' | 'indicator'
    unit_code: str
    project_id: str | None = None
    indicator_id: str | None = None


class Browser:
    """Pane lists, triage, alerts and search over one dataset at one evaluation."""

    def __init__(self, dataset: Dataset, evaluation) -> None:
        self.dataset = dataset
        self.evaluation = evaluation
        # Every cache is built lazily, on the UI thread or by ``warm`` in a worker at the same
        # time: each is assigned in one step from values computed first, so a reader sees it
        # whole or not at all (the dataset and evaluations themselves never change).
        self._units: list[Unit] | None = None
        self._ordering: tuple[list[str], dict[str, int]] | None = None
        self._alerts: tuple[object, array] | None = None
        self._triage: tuple[object, list[str]] | None = None
        self._reviews: tuple[list[str], frozenset] | None = None
        self._hay: tuple[list[str], list, array, array] | None = None
        self._unit_pos: dict[str, int] | None = None
        self._short: dict[str, str] | None = None
        # Units listed but not loaded yet (a start-up's first stage): their counts are unknown,
        # and triage, search and n/N would miss them, so the app refuses those until complete.
        self.pending = pending_units(dataset)
        # Units known from their store summaries only (a start-up's middle stage): listed and
        # coloured, so triage, search and n/N answer for them, but without their histories.
        self.summarized = summarized_units(dataset)
        # While units are pending: how many first rows of ``triage()`` are every unit's anyway
        # (a start-up's lead stage read the units holding the store's worst alerts first).
        self.lead = lead_rows(dataset)

    # --- new data ---------------------------------------------------------------------------
    def for_dataset(self, dataset: Dataset) -> "Browser":
        """A browser over ``dataset`` — a newer version of this one's — at this evaluation.
        It keeps every cache when the units, projects and indicators are the very same dicts
        (a new entry or settings only); otherwise it starts afresh."""
        new = Browser(dataset, self.evaluation)
        old = self.dataset
        if (dataset.units is old.units and dataset.projects is old.projects
                and dataset.indicators is old.indicators):
            new._units, new._ordering, new._hay = self._units, self._ordering, self._hay
            new._unit_pos, new._short = self._unit_pos, self._short
            new._alerts, new._triage = self._alerts, self._triage
            new._reviews = self._reviews
        return new

    def set_evaluation(self, evaluation) -> None:
        """Use new statuses (after a save or a monitoring-date change): a new ``Evaluation``
        object, never a changed one."""
        self.evaluation = evaluation
        # Caches that depend on statuses are keyed by the evaluation they were built from, so
        # a warm-up finishing late in a worker can never install stale ones.

    # --- statuses ---------------------------------------------------------------------------
    def status(self, indicator_id: str):
        """The indicator's ``Status``, or ``None`` before the first evaluation."""
        return self.evaluation.indicators.get(indicator_id) if self.evaluation else None

    def colour(self, indicator_id: str) -> str:
        """The indicator's colour ('grey' when unknown)."""
        s = self.status(indicator_id)
        return s.colour if s else "grey"

    def rollup(self, kind: str, key: str):
        """The ``Rollup`` of a project (``kind='projects'``) or unit (``'units'``), or ``None``
        (not evaluated yet, or a unit whose data is still loading)."""
        if kind == "units" and key in self.pending:
            return None
        return getattr(self.evaluation, kind, {}).get(key) if self.evaluation else None

    @property
    def complete(self) -> bool:
        """Whether every unit is listed with its projects, indicators and colours (not a
        start-up's first stage), so counts, triage, search and n/N answer for all of them."""
        return not self.pending

    @property
    def whole(self) -> bool:
        """Whether every unit's histories are loaded too (not a start-up's first or middle
        stage): what changing the date and exporting need."""
        return not self.pending and not self.summarized

    # --- panes ------------------------------------------------------------------------------
    def units(self) -> list[Unit]:
        """Every unit, by code."""
        if self._units is None:
            self._units = self.dataset.unit_list()
        return self._units

    def projects(self, unit_code: str, *, by_status: bool = False) -> list[Project]:
        """The unit's projects, in table order or worst first."""
        projects = self.dataset.projects_of(unit_code)
        if by_status:
            def key(p: Project):
                r = self.rollup("projects", p.id)
                return SEVERITY.get(r.colour if r else "grey", 9)
            projects = sorted(projects, key=key)
        return projects

    def indicators(self, project_id: str, *, by_status: bool = False) -> list[Indicator]:
        """The project's indicators, in table order or worst first."""
        indicators = self.dataset.indicators_of(project_id)
        if by_status:
            indicators = sorted(indicators, key=self._worst_key)
        return indicators

    def _worst_key(self, indicator: Indicator):
        s = self.status(indicator.id)
        colour = s.colour if s else "grey"
        ratio = s.ratio if s and s.ratio is not None else -1.0
        return (SEVERITY.get(colour, 9), ratio if colour in ALERTS else 0.0)

    def short_name(self, unit_code: str) -> str:
        """The unit's name without the prefix it shares with other units' names, e.g.
        ``…综合服务中心`` for 天津市人民政府办公厅综合服务中心 when 天津市人民政府办公厅 is also a
        unit: cutting the end of such names would make every unit read 天津市人民政府….
        """
        if self._short is None:
            self._short = elide_shared_prefixes({u.code: u.name for u in self.units()})
        return self._short.get(unit_code, "")

    def unit_index(self, unit_code: str) -> int | None:
        """Where a unit stands in ``units()``."""
        if self._unit_pos is None:
            self._unit_pos = {u.code: n for n, u in enumerate(self.units())}
        return self._unit_pos.get(unit_code)

    # --- anywhere ---------------------------------------------------------------------------
    def _order_and_starts(self) -> tuple[list[str], dict[str, int]]:
        # Every indicator id in reading order, and where each project's run of them starts: a
        # position is found from the project's start (5,000 entries at 100k indicators) rather
        # than kept per indicator (a 100k-entry dict and its ints, ~8 MB).
        ordering = self._ordering
        if ordering is None:
            ds = self.dataset
            order: list[str] = []
            starts: dict[str, int] = {}
            for u in self.units():
                for p in ds.projects_of(u.code):
                    starts[p.id] = len(order)
                    order.extend([i.id for i in ds.indicators_of(p.id)])
            ordering = self._ordering = (order, starts)
        return ordering

    def order(self) -> list[str]:
        """Every indicator id in reading order: unit code, project order, table order."""
        return self._order_and_starts()[0]

    def position(self, indicator_id: str | None) -> int | None:
        """Where an indicator stands in ``order()``."""
        ind = self.dataset.indicators.get(indicator_id) if indicator_id else None
        start = self._order_and_starts()[1].get(ind.project_id) if ind else None
        if start is None:
            return None
        for k, i in enumerate(self.dataset.indicators_of(ind.project_id)):
            if i.id == indicator_id:
                return start + k
        return None

    def _colours(self, ev) -> list:
        # The colour of every indicator in reading order (None before it has one), in C-level
        # passes: this runs for 100k indicators while a start-up's triage list waits for it.
        statuses = ev.indicators if ev else {}
        return list(map(_COLOUR, map(statuses.get, self.order(), repeat(_UNCOLOURED))))

    def _alert_positions(self, ev) -> array:
        alerts = self._alerts
        if alerts is None or alerts[0] is not ev:
            red, amber = ALERTS
            # Machine ints: ~30k Python ints at 100k indicators would cost ~1 MB more.
            alerts = self._alerts = (ev, array("i", [n for n, c in enumerate(self._colours(ev))
                                                     if c == red or c == amber]))
        return alerts[1]

    def next_alert(self, indicator_id: str | None, step: int = 1) -> str | None:
        """The next (``step=1``) or previous (``-1``) red/amber indicator after ``indicator_id``,
        wrapping around; ``None`` when there is none."""
        alerts = self._alert_positions(self.evaluation)
        if not alerts:
            return None
        pos = self.position(indicator_id)
        if pos is None:
            n = 0 if step > 0 else len(alerts) - 1
        elif step > 0:
            n = bisect_right(alerts, pos) % len(alerts)
        else:
            n = (bisect_left(alerts, pos) - 1) % len(alerts)
        return self.order()[alerts[n]]

    def needs_review(self, indicator_id: str) -> bool:
        """Whether the indicator's reading of its 指标值 needs review (issue 12 §1). Asked
        for each row drawn: read for that indicator alone until the review list exists (at a
        start-up's middle stage no target is parsed yet, and the list parses 9,000 of them)."""
        cached = self._reviews
        if cached is not None:
            return indicator_id in cached[1]
        ind = self.dataset.indicators.get(indicator_id)
        if ind is None:
            return False
        proj = self.dataset.projects.get(ind.project_id)
        return indicator_target(ind, proj.year if proj else self.dataset.settings.year).needs_review

    def reviews(self) -> list[str]:
        """Every indicator whose reading needs review, in unit, project and table order."""
        return self._review_list()[0]

    def _review_list(self) -> tuple[list[str], frozenset]:
        # Readings depend on the indicators and their projects' years only, not on statuses.
        cached = self._reviews
        if cached is None:
            ds = self.dataset
            ids = []
            for iid in self.order():
                ind = ds.indicators.get(iid)
                proj = ds.projects.get(ind.project_id) if ind else None
                year = proj.year if proj else ds.settings.year
                if ind is not None and indicator_target(ind, year).needs_review:
                    ids.append(iid)
            cached = self._reviews = (ids, frozenset(ids))
        return cached

    def triage(self) -> list[str]:
        """Every red and amber indicator, worst first: red before amber, then the furthest
        behind (lowest ratio of actual to expected), then reading order."""
        ev = self.evaluation
        triage = self._triage
        if triage is None or triage[0] is not ev:
            order = self.order()
            alerts = self._alert_positions(ev)
            sts = list(map((ev.indicators if ev else {}).__getitem__, map(order.__getitem__, alerts)))
            ratios = [-1.0 if r is None else float(r) for r in map(_RATIO, sts)]
            severity = list(map(SEVERITY.__getitem__, map(_COLOUR, sts)))
            # Two stable sorts on keys of one type each (floats, then ints) — reading order
            # breaks ties — compare in C, several times faster than sorting key tuples.
            ranked = sorted(sorted(range(len(sts)), key=ratios.__getitem__),
                            key=severity.__getitem__)
            triage = self._triage = (ev, list(map(order.__getitem__,
                                                  map(alerts.__getitem__, ranked))))
        return triage[1]

    def triage_head(self) -> list[str]:
        """The triage list as far as it is known: all of it once every unit is in, its first
        ``lead`` rows in a start-up's lead stage, else nothing."""
        if self.complete:
            return self.triage()
        return self.triage()[:self.lead] if self.lead and self.evaluation else []

    def warm(self) -> None:
        """Build every cache now (from a worker), so the first keystroke that needs one is fast."""
        self.order()
        self.unit_index("")
        self.triage()
        self._haystack()

    def unit_of(self, indicator: Indicator) -> str | None:
        """The code of the unit an indicator belongs to."""
        proj = self.dataset.projects.get(indicator.project_id)
        return proj.unit_code if proj else None

    def locate(self, indicator_id: str) -> tuple[str, str] | None:
        """``(unit_code, project_id)`` of an indicator, or ``None`` if it is gone."""
        ind = self.dataset.indicators.get(indicator_id)
        proj = self.dataset.projects.get(ind.project_id) if ind else None
        return (proj.unit_code, proj.id) if proj else None

    # --- search -----------------------------------------------------------------------------
    def _haystack(self) -> tuple[list[str], list, array, array]:
        # One lowercase string per row (unit, project or indicator) holding only the row's own
        # fields, built once per data change, with each row's ``parent`` row and the ``end`` of
        # the rows under it (rows are in reading order, so those are one range). A word that
        # names a unit or project matches every row under it too, so "满意度 中转" finds the
        # satisfaction indicator of 中转平台建设项目 — without repeating the unit's and the
        # project's text in each of 100k indicator rows (~25 MB at 100k). \x1f keeps a word
        # from matching across two fields (``split`` never leaves one in a word).
        if self._hay is None:
            ds = self.dataset
            texts: list[str] = []
            rows: list = []
            parent = array("i")  # machine ints: two Python ints per row would cost ~7 MB
            end = array("i")
            for u in self.units():
                at_unit = len(texts)
                texts.append(f"{u.code}\x1f{u.name}".casefold())
                rows.append(u)
                parent.append(-1)
                end.append(0)
                for p in ds.projects_of(u.code):
                    at_project = len(texts)
                    texts.append(f"{p.id}\x1f{p.name}".casefold())
                    rows.append(p)
                    parent.append(at_unit)
                    end.append(0)
                    for i in ds.indicators_of(p.id):
                        texts.append(f"{i.id}\x1f{i.name}\x1f{i.target_text}\x1f{i.category}"
                                     .casefold())
                        rows.append(i)
                        parent.append(at_project)
                        end.append(len(texts))
                    end[at_project] = len(texts)
                end[at_unit] = len(texts)
            self._hay = (texts, rows, parent, end)
        return self._hay

    def search(self, query: str, limit: int = 1000) -> list[Hit]:
        """Units, projects and indicators where every word of ``query`` occurs in the row itself
        or in what it belongs to (an indicator: its name, target, 二级指标 and id, its project's
        name and id, its unit's name and code), in reading order, at most ``limit``."""
        words = query.casefold().split()
        if not words:
            return []
        texts, rows, parent, end = self._haystack()
        first, rest = words[0], words[1:]
        # One C-speed pass for the first word; a unit or project it names brings every row
        # under it; the other words only check those rows and what they belong to.
        found: list[int] = []
        covered = 0
        for n in [n for n, text in enumerate(texts) if first in text]:
            if n >= covered:
                covered = end[n]
                found.extend(range(n, covered))
            if not rest and len(found) >= limit:
                break
        for word in rest:
            found = [n for n in found if _names(word, n, texts, parent)]
        return [self._hit(rows, parent, n) for n in found[:limit]]

    @staticmethod
    def _hit(rows: list, parent: array, n: int) -> Hit:
        row = rows[n]
        if isinstance(row, Unit):
            return Hit("unit", row.code)
        if isinstance(row, Project):
            return Hit("project", row.unit_code, row.id)
        project = rows[parent[n]]
        return Hit("indicator", project.unit_code, project.id, row.id)


def _names(word: str, n: int, texts: list[str], parent: array) -> bool:
    """Whether ``word`` occurs in row ``n`` or in a row it belongs to."""
    while n >= 0:
        if word in texts[n]:
            return True
        n = parent[n]
    return False


def elide_shared_prefixes(names: dict[str, str], keep: int = 3) -> dict[str, str]:
    """``names`` (key → name) with the longest prefix each name shares with another replaced by
    ``…``, always keeping at least ``keep`` characters of the name; a name that shares nothing
    (or a single character) is kept whole. Words in Latin script are not cut in the middle.
    """
    ordered = sorted(set(names.values()))
    # In sorted order the longest prefix a name shares with any other is shared with a neighbour.
    shared: dict[str, int] = {}
    for n, name in enumerate(ordered):
        around = [ordered[m] for m in (n - 1, n + 1) if 0 <= m < len(ordered)]
        shared[name] = max((_common_prefix(name, other) for other in around), default=0)
    out = {}
    for key, name in names.items():
        # Two units of the same name are told apart by their codes, not by a shorter name.
        cut = min(shared[name], len(name) - keep)
        while 0 < cut < len(name) and _in_word(name, cut):
            cut -= 1
        out[key] = "…" + name[cut:] if cut >= 2 else name
    return out


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _in_word(text: str, at: int) -> bool:
    """Whether position ``at`` splits a Latin-script word (CJK text may be cut anywhere)."""
    a, b = text[at - 1], text[at]
    return a.isascii() and b.isascii() and a.isalnum() and b.isalnum()
