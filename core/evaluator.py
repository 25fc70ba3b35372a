"""The evaluation engine (DESIGN.md §6): every status of a dataset at a date, fast enough to
recompute 100k indicators on a change of the monitoring date (≤ 0.5 s).

An ``Evaluator`` keeps, between calls, a plan per distinct target text (the parsed target, its
rule, its readings) and each indicator's prepared history: the dates at which its entries start
to count and the *case* each one makes — one per target and distinct recorded values, read
once, shared by every indicator that records the same (及时/达成, 100%/100%). A change of date
then costs a ``bisect`` per indicator and one verdict per case in use; ``timeless`` verdicts
are kept. Every verdict comes from ``rules.judge``, the one rule path ``status_of`` takes too.

Whoever evaluates repeatedly (the TUI) keeps one ``Evaluator``; ``evaluate`` is the one-shot
form (a report, a snapshot).
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Callable

from .budget_light import budget_status
from .colours import COLOURS, worst
from .dataset import Dataset
from .model import ProgressEntry, Project, SpendingEntry, Thresholds
from .overrides import reading_key, target_for_key
from .periods import time_progress
from .readings import Reading, read_text
from .rules import forecast_misses, indicator_status, judge, no_report, rule_for
from .status import Evaluation, Rollup, Status
from .targets import Target
from .words import HOPELESS

_MAX_PER_PLAN = 1 << 14
"""Readings and cases kept per plan: bounds what one target with endless distinct values holds."""

_MAX_SHARED = 1 << 18
"""Readings, plans and stamps kept per evaluator before it starts afresh."""


@dataclass(slots=True, eq=False)
class _Stamp:
    """One monitoring date and set of thresholds: a plan's or case's verdicts are valid while
    its stamp is this very object."""

    as_of: str
    day: date
    thresholds: Thresholds


@dataclass(slots=True, eq=False)
class _Plan:
    """One distinct target (and budget year): its readings of recorded texts, its cases (one
    per distinct recorded value), and what the ``stamp`` date makes of it: time progress
    ``t`` and the status of no data."""

    target: Target
    year: int
    rule: object
    deadline_year: int | None
    dated: bool                       # 100% done counts on the entry's own date
    shared: dict                      # the evaluator's readings, shared between plans
    readings: dict
    cases: dict
    stamp: _Stamp | None = None
    t: float = 0.0
    grey: Status | None = None

    def read(self, text: str) -> Reading:
        """The reading of ``text`` against this target, cached."""
        reading = self.readings.get(text)
        if reading is None:
            if len(self.readings) >= _MAX_PER_PLAN:
                self.readings.clear()
            t = self.target
            # A reading depends on these four values only: targets that share a kind and unit
            # (thousands of 项, 个, % targets) share it, so each distinct value is read once.
            k = (text, t.kind, t.unit, self.deadline_year)
            shared = self.shared
            reading = shared.get(k)
            if reading is None:
                if len(shared) >= _MAX_SHARED:
                    shared.clear()
                reading = shared[k] = read_text(text, t.kind, t.unit, self.deadline_year)
            self.readings[text] = reading
        return reading

    def case(self, entry: ProgressEntry) -> _Case:
        """The case ``entry`` makes of this target, shared by every entry whose values give the
        same status: same target, same values, same date → same status."""
        forecast, hopeless = entry.forecast, entry.likelihood == HOPELESS
        # A forecast or likelihood matters only when it can change the colour (the test of
        # rules.with_outlook); otherwise the recorded value alone decides, and the key is it.
        if forecast and not forecast_misses(self.target, self.read(forecast)):
            forecast = None
        if forecast or hopeless or self.dated:
            mk = (entry.actual, forecast or None, hopeless, entry.as_of if self.dated else None)
        else:
            mk = entry.actual
        case = self.cases.get(mk)
        if case is None:
            if len(self.cases) >= _MAX_PER_PLAN:
                self.cases.clear()   # cases already handed out stay valid, just unshared
            case = self.cases[mk] = _Case(self, entry, self.read(entry.actual),
                                          bool(forecast or hopeless))
        return case

    def refresh(self, stamp: _Stamp) -> None:
        """Work out what ``stamp``'s date makes of this target."""
        self.stamp = stamp
        self.t = time_progress(stamp.day, self.year, self.target.deadline, self.target.start)
        self.grey = no_report(self.target, self.year, stamp.day)


@dataclass(slots=True, eq=False)
class _Case:
    """One target with one set of recorded values (``entry`` stands for all entries that
    record them): its ``status`` at ``stamp``, and the status that holds at any date
    (``timeless``, valid for the thresholds ``th``) once one was found."""

    plan: _Plan
    entry: ProgressEntry
    reading: Reading                  # of the recorded value, read once
    outlook: bool                     # whether the forecast or likelihood can change a colour
    stamp: _Stamp | None = None
    status: Status | None = None
    th: Thresholds | None = None
    timeless: Status | None = None

    def judge(self, stamp: _Stamp) -> Status:
        """The status of this case at ``stamp``, kept: ``rules.judge`` with what does not
        depend on the date worked out once per case."""
        plan = self.plan
        if plan.stamp is not stamp:
            plan.refresh(stamp)
        th = stamp.thresholds
        if self.th is not th:
            self.th, self.timeless = th, None
        st = self.timeless
        if st is None:
            st = judge(plan.target, plan.rule, self.reading, self.entry, self.outlook, stamp.day,
                       th, plan.year, plan.t, plan.read)
            if st.timeless:
                self.timeless = st
        self.stamp, self.status = stamp, st
        return st


@dataclass(slots=True, eq=False)
class _History:
    """One indicator's prepared history: the entry that counts at a date is the last one of the
    history dated on or before it, so only entries dated before every later one can ever
    count; their dates strictly increase and ``bisect`` finds the one. ``steps`` holds the
    ``k`` dates followed by their ``k`` cases: one tuple rather than two saves ~6 MB at 100k
    indicators, and ``bisect(steps, date, 0, k)`` costs the same. ``entries``, ``n`` and
    ``last`` tell whether the history changed since."""

    iid: str
    plan: _Plan
    entries: object
    n: int
    last: ProgressEntry | None
    k: int
    steps: tuple


@dataclass(slots=True, eq=False)
class _Prepared:
    """What an evaluator keeps per project: valid while ``project`` (immutable) and its
    ``indicators`` list are the very same objects (a ``Dataset`` builds new lists on any
    change); the budget light for the counting ``spending`` entry at ``stamp``."""

    project: Project
    indicators: list
    histories: list
    spending: SpendingEntry | None = None
    stamp: _Stamp | None = None
    budget: Status | None = None


_UNTRUSTED = object()
"""Stands for an empty history list, which could grow in place without a last entry to tell."""


class Stopped(Exception):
    """An evaluation given up because its ``stop`` said so."""


class Evaluator:
    """Evaluates datasets at dates, keeping what a later call can reuse (see the module).

    Safe to share between threads: one evaluation runs at a time, as its cached verdicts
    belong to one date (a TUI may start a new evaluation while the last one still runs).
    """

    def __init__(self) -> None:
        self._plans: dict[tuple, _Plan] = {}
        self._readings: dict[tuple, Reading] = {}
        self._prepared: dict[str, _Prepared] = {}
        self._stamps: dict[tuple, _Stamp] = {}
        self._lock = threading.Lock()

    def evaluate(self, dataset: Dataset, as_of: str | None = None, *,
                 given: Evaluation | None = None,
                 given_units: frozenset[str] = frozenset(),
                 stop: Callable[[], bool] | None = None) -> Evaluation:
        """Evaluate every indicator, budget, project and unit at ``as_of`` (default: settings).

        Only the progress entry with the latest ``as_of`` on or before the date counts, so an
        earlier quarter can be replayed exactly. A project's colour is the worst of its
        indicators and its budget light; a unit's the worst of its projects; counts are of
        indicators. A dataset that holds its histories from a later date only
        (``Dataset.history_from``) is refused (``ValueError``) rather than judged on the wrong
        entries.

        The indicators of ``given_units`` take their status from ``given`` (an evaluation at
        the same date, made from their full histories elsewhere: the store's summaries), as
        the dataset holds no history of them; their budgets, projects and units are rolled up
        as usual. ``ValueError`` when ``given`` is of another date or lacks one of them.

        ``stop`` is asked before each unit; when it says so, ``Stopped`` is raised (a screen
        that is closing does not wait seconds for colours nobody will see).
        """
        with self._lock:
            return self._evaluate(dataset, as_of, given, given_units, stop)

    def _stamp(self, key: str, th: Thresholds) -> _Stamp:
        # Re-evaluating at the same date and thresholds (after another user's write) reuses
        # every unchanged verdict.
        stamp = self._stamps.get((key, th))
        if stamp is None:
            if len(self._stamps) >= 64:
                self._stamps.clear()
            stamp = self._stamps[(key, th)] = _Stamp(key, date.fromisoformat(key), th)
        return stamp

    def _plan(self, year: int, key: tuple) -> _Plan:
        # ``key`` is the indicator's ``reading_key``: everything its reading depends on.
        k = (year, key)
        plan = self._plans.get(k)
        if plan is None:
            if len(self._plans) >= _MAX_SHARED:
                self._plans.clear()
            target = target_for_key(year, key)
            plan = self._plans[k] = _Plan(
                target, year, rule_for(target),
                target.deadline.year if target.deadline else None,
                target.kind == "deadline", self._readings, {}, {})
        return plan

    def _evaluate(self, dataset: Dataset, as_of, given, given_units, stop) -> Evaluation:
        settings = dataset.settings
        key = (as_of if isinstance(as_of, str) else as_of.isoformat()) if as_of else settings.as_of
        dataset.require_history(key)
        if given_units and (given is None or given.as_of != key):
            raise ValueError(f"no verdicts given at {key} for units without their histories")
        stamp = self._stamp(key, settings.thresholds)
        d = stamp.day
        ev = Evaluation(as_of=key)
        statuses = ev.indicators
        if given_units:
            # In bulk: ``given`` holds the verdicts of exactly those units (their counts per
            # project are checked against the dataset below).
            statuses.update(given.indicators)
        budgets, project_rollups = ev.budgets, ev.projects
        progress_get, spending_get = dataset.progress.get, dataset.spending.get
        prepared = self._prepared
        colours = COLOURS

        codes = list(dataset.units)
        codes += sorted({p.unit_code for p in dataset.projects.values()} - set(dataset.units))
        total = dict.fromkeys(colours, 0)
        unit_colours: set[str] = set()
        for code in codes:
            if stop is not None and stop():
                raise Stopped
            unit_counts = dict.fromkeys(colours, 0)
            project_colours: set[str] = set()
            known = given.indicators if code in given_units else None
            for project in dataset.projects_of(code):
                pid = project.id
                inds = dataset.indicators_of(pid)
                counts = dict.fromkeys(colours, 0)
                if known is not None:
                    # The given counts when they come with the verdicts (the store's summaries
                    # count them per project), else counted here.
                    rollup = given.projects.get(pid)
                    if rollup is None or sum(rollup.counts.values()) != len(inds):
                        try:
                            rollup = Rollup(counts=Counter([known[i.id].colour for i in inds]))
                        except KeyError as exc:
                            raise ValueError(f"no verdict given for indicator {exc}") from None
                    for colour, n in rollup.counts.items():
                        counts[colour] += n
                    pp = prepared.get(pid)
                    if pp is None or pp.project is not project:
                        # Keeps the budget light only: no indicator list, so evaluating this
                        # project from histories later prepares them afresh.
                        pp = prepared[pid] = _Prepared(project, None, [])
                    histories = ()
                else:
                    pp = prepared.get(pid)
                    if pp is None or pp.project is not project or pp.indicators is not inds:
                        pp = prepared[pid] = self._prepare_project(project, inds, pp,
                                                                   progress_get)
                    histories = pp.histories
                for k, h in enumerate(histories):
                    iid = h.iid
                    entries = progress_get(iid)
                    n = h.n
                    # The history changed since it was prepared (histories only grow or are
                    # replaced by a new list): prepare it again.
                    if entries is not h.entries or (n and (len(entries) != n
                                                          or entries[-1] is not h.last)):
                        h = histories[k] = _prepare_history(iid, h.plan, entries)
                    i = bisect_right(h.steps, key, 0, h.k)
                    if i:
                        case = h.steps[h.k + i - 1]
                        st = case.status if case.stamp is stamp else case.judge(stamp)
                    else:
                        plan = h.plan
                        if plan.stamp is not stamp:
                            plan.refresh(stamp)
                        st = plan.grey
                    statuses[iid] = st
                    counts[st.colour] += 1
                # The budget light: the same while the counting spending report and the stamp
                # are. (Dataset.counting_spending, inlined: the latest report on or before.)
                spent = None
                for e in reversed(spending_get(pid) or ()):
                    if e.as_of <= key:
                        spent = e
                        break
                if pp.spending is spent and pp.stamp is stamp:
                    budget = pp.budget
                else:
                    budget = budget_status(project, spent, d, settings)
                    pp.spending, pp.stamp, pp.budget = spent, stamp, budget
                budgets[pid] = budget
                colour = worst(counts, (budget.colour,))
                project_rollups[pid] = Rollup(colour, counts)
                project_colours.add(colour)
                for c, n in counts.items():
                    unit_counts[c] += n
            unit = ev.units[code] = Rollup(worst(unit_counts, tuple(project_colours)),
                                           unit_counts)
            unit_colours.add(unit.colour)
            for c, n in unit_counts.items():
                total[c] += n
        ev.total = Rollup(worst(total, tuple(unit_colours)), total)

        # Indicators whose project is missing still get a colour, judged in the settings' year.
        if len(statuses) < len(dataset.indicators):
            for ind in dataset.indicators.values():
                if ind.id not in statuses:
                    statuses[ind.id] = indicator_status(
                        ind, dataset.counting_progress(ind.id, key), d, settings, settings.year)
        # Projects of other (older) datasets: keep what is prepared from growing without bound.
        if len(prepared) > 2 * len(dataset.projects) + 256:
            for pid in [pid for pid in prepared if pid not in dataset.projects]:
                del prepared[pid]
        return ev

    def _prepare_project(self, project: Project, inds: list, old: _Prepared | None,
                         progress_get) -> _Prepared:
        # A dataset rebuilds its lists on any change (a store refresh, another user's write):
        # keep each indicator's prepared history while its target plan is still the same.
        kept = {h.iid: h for h in old.histories} if old is not None else {}
        year = project.year
        histories = []
        for ind in inds:
            plan = self._plan(year, reading_key(ind))
            h = kept.get(ind.id)
            if h is None or h.plan is not plan:
                h = _prepare_history(ind.id, plan, progress_get(ind.id))
            histories.append(h)
        return _Prepared(project, inds, histories)


def _prepare_history(iid: str, plan: _Plan, entries: list | None) -> _History:
    # Every case is made (and its values read) here, once, rather than at the first date it
    # counts: a change of date then judges cases and reads nothing.
    if not entries:
        return _History(iid, plan, None if entries is None else _UNTRUSTED, 0, None, 0, ())
    case = plan.case
    dates = [e.as_of for e in entries]
    if sorted(set(dates)) == dates:           # one entry per date, in order: the usual case
        cases = [case(e) for e in entries]
    else:
        dates, cases, floor = [], [], None
        for e in reversed(entries):
            if floor is None or e.as_of < floor:
                floor = e.as_of
                dates.append(floor)
                cases.append(case(e))
        dates.reverse()
        cases.reverse()
    return _History(iid, plan, entries, len(entries), entries[-1], len(dates),
                    (*dates, *cases))


def evaluate(dataset: Dataset, as_of: str | None = None) -> Evaluation:
    """Every status of ``dataset`` at ``as_of`` (default: settings), evaluated once; keep an
    ``Evaluator`` to evaluate the same data at several dates."""
    return Evaluator().evaluate(dataset, as_of)
