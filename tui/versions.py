"""Published dataset versions: how the screen shares its dataset with the sync workers.

The UI thread draws from a ``Dataset`` while workers take in other users' writes (the store's
``refresh`` changes the dataset it is given) and the user's own. Locking every read on the UI
thread would make a repaint wait for a file to be re-read. Instead a worker changes a *copy*:
it derives the next version from the latest one under ``Versions.writing()``, publishes it, and
hands it to the UI thread, which swaps it in whole. A published dataset is never changed again,
so the UI thread, the evaluations and the warm-ups read it without any lock, and caches keyed
by object identity are invalidated by the new object rather than by mutation.
"""

from __future__ import annotations

import copy
import threading
import weakref
from contextlib import contextmanager
from itertools import groupby
from operator import attrgetter, is_
from typing import Iterator

from jixiao.core.dataset import Dataset
from jixiao.core.status import Evaluation, Rollup


def mark_partial(dataset: Dataset, pending: frozenset[str]) -> Dataset:
    """Mark ``dataset`` as a start-up's first stage: the units whose codes are in ``pending``
    are listed but their partitions are not loaded yet. Versions derived from it by the
    functions below (``copy.copy``) carry the mark; the complete dataset that replaces it is a
    new object without one."""
    dataset._jixiao_pending = frozenset(pending)
    return dataset


def pending_units(dataset: Dataset | None) -> frozenset[str]:
    """The codes of the units listed in ``dataset`` whose data is not loaded yet (see
    ``mark_partial``); empty for a complete dataset."""
    return getattr(dataset, "_jixiao_pending", frozenset())


def with_summaries(dataset: Dataset, summaries, whole: Dataset | None, as_of: str, *,
                   pending: frozenset[str] = frozenset(), lead: int = 0) -> Dataset:
    """A start-up's middle stage: a copy of ``dataset`` (the first stage, or a version derived
    from it) that has every other unit too — from its store summary (``store.summaries``:
    projects, indicators, spending and verdicts at ``as_of``, no progress history), or whole
    from ``whole`` (units whose summary was stale, read in full). Marked as such: its summarized
    units' colours are given (``given_verdicts``), not evaluated, and no version derived from it
    is ever evaluated at another date.

    With ``pending`` (the codes of units still to come) it is the lead stage before it: the
    units holding the store's worst alerts, of which the first ``lead`` rows of the triage list
    are the whole store's (``lead_rows``). Units ``dataset`` has already summarized stay so."""
    new = copy_dataset(dataset)
    codes = set(summarized_units(dataset))
    given = given_verdicts(dataset)
    statuses: dict = dict(given.indicators) if given is not None else {}
    # per project: the counts of its given verdicts
    rollups: dict = dict(given.projects) if given is not None else {}
    # The summaries hold each unit's projects and indicators in table order: the index is
    # extended with them rather than built again by sorting 100k indicators.
    by_unit, by_project = _table_order(dataset)
    for summary in summaries:
        code = summary.unit.code
        codes.add(code)
        new.units[code] = summary.unit
        new.projects.update((p.id, p) for p in summary.projects)
        new.indicators.update((i.id, i) for i in summary.indicators)
        by_unit[code] = by_unit.get(code, []) + summary.projects
        # Table order keeps a project's indicators together: one list per run, at C speed.
        by_project.update((pid, list(run)) for pid, run in
                          groupby(summary.indicators, key=attrgetter("project_id")))
        spending: dict = {}
        for entry in summary.spending:
            spending.setdefault(entry.project_id, []).append(entry)
        new.spending.update(spending)   # new lists: a shared one is never appended to
        statuses.update(summary.statuses)
        rollups.update((pid, Rollup("grey", counts)) for pid, counts in summary.counts.items())
    if whole is not None:
        _take_whole(new, by_unit, by_project, whole)
    new.adopt_order({code: projects for code, projects in by_unit.items() if projects},
                    by_project)
    mark_partial(new, pending)
    new._jixiao_summarized = frozenset(codes)
    new._jixiao_given = Evaluation(as_of=as_of, indicators=statuses, projects=rollups)
    _mark_lead(new, lead)
    return new


def _mark_lead(dataset: Dataset, lead: int) -> None:
    # The object itself is named (weakly): a version derived from it by ``copy.copy`` carries
    # the attribute but is another object, so a write — which changes colours the head rests
    # on — leaves a version without a lead.
    dataset._jixiao_lead = (weakref.ref(dataset), lead) if lead else None


def lead_rows(dataset: Dataset | None) -> int:
    """How many of the first rows of ``dataset``'s triage list are the whole store's while its
    other units are pending (``with_summaries(lead=…)``); 0 for any other version."""
    lead = getattr(dataset, "_jixiao_lead", None)
    return lead[1] if lead is not None and lead[0]() is dataset else 0


def sharing(new: Dataset, old: Dataset) -> Dataset:
    """``new`` (a whole load that reused ``old``'s objects: ``Store.load(reuse=…)``) holding
    ``old``'s very dicts of units, projects and indicators and their order when it has exactly
    the same objects, so that the screen keeps its search and ordering caches (``Browser.
    for_dataset``) instead of building them again next to the old ones."""
    pairs = ((new.units, old.units), (new.projects, old.projects),
             (new.indicators, old.indicators))
    if all(a.keys() == b.keys() and all(map(is_, a.values(), map(b.__getitem__, a)))
           for a, b in pairs):
        new.units, new.projects, new.indicators = old.units, old.projects, old.indicators
        new.adopt_order(*_table_order(old))
    return new


def with_whole(dataset: Dataset, code: str, whole: Dataset) -> Dataset:
    """A copy of ``dataset`` (from ``with_summaries``) in which unit ``code`` is no longer
    summarized: its projects, indicators and histories are ``whole``'s (that unit read in
    full); the other summarized units stay as they are."""
    new = copy_dataset(dataset)
    # The index of every other unit is kept, not rebuilt by sorting 100k indicators.
    by_unit, by_project = _table_order(dataset)
    for pid in [p.id for p in by_unit.pop(code, ())]:
        for ind in by_project.pop(pid, ()):
            new.indicators.pop(ind.id, None)
            new.progress.pop(ind.id, None)
        new.projects.pop(pid, None)
        new.spending.pop(pid, None)
    _take_whole(new, by_unit, by_project, whole)
    new.adopt_order({c: ps for c, ps in by_unit.items() if ps}, by_project)
    new._jixiao_summarized = summarized_units(dataset) - {code}
    # A unit read whole in the lead stage (the cursor rests on it) has the verdicts its
    # summary gave, as of the revision it is read at: the head stays the store's.
    _mark_lead(new, lead_rows(dataset))
    return new


def _table_order(dataset: Dataset) -> tuple[dict, dict]:
    """``dataset``'s projects per unit code and indicators per project id, in table order (what
    ``Dataset.adopt_order`` takes), from its own index."""
    return ({code: dataset.projects_of(code) for code in dataset.units},
            {p.id: dataset.indicators_of(p.id) for p in dataset.projects.values()})


def _take_whole(new: Dataset, by_unit: dict, by_project: dict, whole: Dataset) -> None:
    """Put every unit of ``whole`` (read in full) into ``new``, with its histories, and its
    table order into ``by_unit`` and ``by_project``."""
    for mine, theirs in ((new.units, whole.units), (new.projects, whole.projects),
                         (new.indicators, whole.indicators), (new.progress, whole.progress),
                         (new.spending, whole.spending)):
        mine.update(theirs)
    units, projects = _table_order(whole)
    by_unit.update(units)
    by_project.update(projects)


def summarized_units(dataset: Dataset | None) -> frozenset[str]:
    """The codes of the units of ``dataset`` known from their store summaries only: listed,
    with projects, indicators and colours, but without progress histories (``with_summaries``);
    empty once every unit is read whole."""
    return getattr(dataset, "_jixiao_summarized", frozenset())


def given_verdicts(dataset: Dataset):
    """The ``Evaluation`` holding the summarized units' verdicts (``with_summaries``)."""
    return getattr(dataset, "_jixiao_given", None)


def copy_dataset(dataset: Dataset) -> Dataset:
    """A copy whose dicts may be changed without touching ``dataset``: the units, projects,
    indicators and entries themselves are shared (they are immutable), and so are the history
    lists — replace a list, never append to it (``with_progress`` / ``with_spending`` do).
    The unit → project → indicator index is shared until the copy's own change drops it."""
    new = copy.copy(dataset)
    new.units, new.projects, new.indicators = dict(dataset.units), dict(dataset.projects), dict(
        dataset.indicators)
    new.progress, new.spending = dict(dataset.progress), dict(dataset.spending)
    return new


def with_progress(dataset: Dataset, entry) -> Dataset:
    """A copy of ``dataset`` that has the progress ``entry`` too (as it is if it already has it).
    Units, projects and indicators stay the same dicts: ``Browser.for_dataset`` keeps its
    caches when they are."""
    history = dataset.progress.get(entry.indicator_id, ())
    if any(e.id == entry.id for e in history):
        return dataset
    new = copy.copy(dataset)
    new.progress = dict(dataset.progress)
    new.progress[entry.indicator_id] = list(history)
    new.add_progress(entry)
    return new


def with_spending(dataset: Dataset, entry) -> Dataset:
    """A copy of ``dataset`` that has the spending ``entry`` too (as it is if it already has it);
    units, projects and indicators stay the same dicts."""
    history = dataset.spending.get(entry.project_id, ())
    if any(e.id == entry.id for e in history):
        return dataset
    new = copy.copy(dataset)
    new.spending = dict(dataset.spending)
    new.spending[entry.project_id] = list(history)
    new.add_spending(entry)
    return new


def with_indicator(dataset: Dataset, indicator) -> Dataset:
    """A copy of ``dataset`` in which ``indicator`` (a settled reading, say) replaces the one
    with its id; the indicators dict and the derived indexes are new, the rest is shared."""
    new = copy.copy(dataset)
    new.indicators = dict(dataset.indicators)
    new.invalidate()
    new.add_indicator(indicator)
    return new


def with_settings(dataset: Dataset, settings) -> Dataset:
    """A copy of ``dataset`` with other settings; everything else stays the same objects."""
    new = copy.copy(dataset)
    new.settings = settings
    return new


class Versions:
    """The latest published dataset and its serial number; writers take turns.

    A writer derives the next version from ``latest`` inside ``writing()`` and calls
    ``publish``; the serial tells the UI thread which of two versions handed over from
    different threads is the newer, whatever order they arrive in.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.latest: Dataset | None = None
        self.serial = 0

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Be the only writer: store writes, refreshes and new versions happen one at a time."""
        with self._lock:
            yield

    def current(self) -> tuple[int, Dataset | None]:
        """``(serial, latest)`` as one pair, for a reader outside the writers' turns."""
        with self._lock:
            return self.serial, self.latest

    def publish(self, dataset: Dataset) -> int:
        """Make ``dataset`` the latest version (call inside ``writing()``); its serial number.
        Its index is built here, in the writer's thread, so the UI thread never sorts."""
        dataset.indicators_of("")
        self.latest = dataset
        self.serial += 1
        return self.serial
