"""Keeping the screen's data in step with the store, in thread workers that post messages.

``Sync`` is a widget that draws nothing: it lives on the monitor screen so its workers belong to
that screen, and the typed messages they post (``tui.messages``) bubble up to it. Workers never
change the dataset the screen shows: they derive a new version under ``Versions.writing()``,
publish it (``tui.versions``) and post it.

Start-up comes in stages (``Sync.load``): the unit the cursor starts on is loaded and coloured
first, every other unit listed from the store's unit index with its counts "…"; on PostgreSQL
the units holding the store's worst alerts come next (the lead stage: the head of the triage
list); then every other unit from its store summary (the middle stage: counts, triage, search);
then the whole store is loaded and evaluated in the same worker and posted whole. Another
process's writes are picked up by a worker that polls ``Store.refresh`` about once a second, or
at once when the store announces them (PostgreSQL: LISTEN/NOTIFY).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

from textual import work
from textual.widget import Widget
from textual.worker import get_current_worker

from jixiao.core.dataset import counting_from
from jixiao.core.errors import JixiaoError
from jixiao.core.evaluator import Evaluator, Stopped
from jixiao.store import summaries
from jixiao.store.exports import write_atomically
from jixiao.store.layout import first_keys

from . import messages
from .versions import (Versions, copy_dataset, given_verdicts, mark_partial, pending_units,
                       sharing, summarized_units, with_indicator, with_progress, with_settings,
                       with_spending, with_summaries, with_whole)


_LISTEN_SLICE = 0.1
"""Seconds the listening worker waits for a notification before it looks for an unmount."""


def fingerprint(dataset, unit_code: str) -> int:
    """What ``dataset`` holds of one unit, as a number: its name, projects, indicators and the
    ids of its progress and spending entries (entries are never edited in place).

    Of a history loaded from ``history_from`` on, only the entries the store keeps when it
    re-reads the unit count: one's own entry at that date makes the store drop the older one
    it had kept, and the echo of the save must still match (``_changes``)."""
    ds = dataset
    since = ds.history_from
    h = hash(ds.units.get(unit_code))
    for p in ds.projects_of(unit_code):
        h ^= hash(p)
        for e in ds.spending.get(p.id, ()):
            h ^= hash(e.id)
        for i in ds.indicators_of(p.id):
            h ^= hash(i)
            history = ds.progress.get(i.id, ())
            if since is not None and history:
                history = counting_from(history, since)
            for e in history:
                h ^= hash(e.id)
    return h


def _touched(old, new) -> bool:
    # Whether a refresh that stopped half-way changed ``new``: the store replaces the settings
    # and the unit of every partition it re-reads with new objects, and drops vanished units.
    return (new.settings is not old.settings or old.units.keys() != new.units.keys()
            or any(new.units.get(code) is not unit for code, unit in old.units.items()))


def _os_error(exc: OSError) -> JixiaoError:
    return JixiaoError(f"{exc.filename or ''}: {exc.strerror or exc}")


class Sync(Widget):
    """The store's side of the monitor screen: loads, polls, evaluates, writes and exports.

    Messages for the user are in ``lang``. ``view_date`` tells the workers the monitoring date the user chose for this view only
    (``None``: the stored one), read when a worker colours a new version.
    """

    DEFAULT_CSS = "Sync { display: none; }"

    def __init__(self, store, *, lang: str = "zh", poll_interval: float = 1.0,
                 view_date: Callable[[], str | None] = lambda: None) -> None:
        super().__init__()
        self.store = store
        self.lang = lang
        self.poll_interval = poll_interval
        self.view_date = view_date
        # The versions workers publish; the screen shows one of them.
        self.versions = Versions()
        # One evaluator for the app's life: a change of date reuses what it prepared.
        self.evaluator = Evaluator()
        self._stop = threading.Event()
        # Set once a start-up stage is on screen (``shown``): the next stage waits for it, as
        # a load running meanwhile takes the interpreter from the UI thread every 5 ms and the
        # screen would take twice as long to paint.
        self._shown = threading.Event()
        self._poll_problem: str | None = None
        # Per unit, a fingerprint of what this process knows of it (its own writes included),
        # so a reload can tell another process's change from the echo of one's own.
        self._prints: dict[str, int] = {}

    def on_unmount(self) -> None:
        """Stop the loading and polling workers promptly."""
        self._stop.set()
        self._shown.set()
        # A server busy with a long query (PostgreSQL: seconds at 1M indicators) is told to
        # stop it: quitting waits for the thread that asked.
        cancel = getattr(self.store, "cancel_reading", None)
        if cancel is not None:
            cancel()

    def shown(self) -> None:
        """Say that the stage of a start-up last posted has been painted: the next may load."""
        self._shown.set()

    def _wait_shown(self) -> None:
        """Wait until the stage last posted is painted; raise ``Stopped`` once the screen is
        closing (quitting must not wait for the next stage)."""
        # Bounded, so a screen that never says so costs a start-up 2 s, never the data.
        self._shown.wait(2.0)
        if self._stop.is_set():
            raise Stopped
        self._shown.clear()

    def _as_of(self, dataset) -> str:
        return self.view_date() or dataset.settings.as_of

    # --- loading ----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        """Load the data directory (two stages when the store can list its units cheaply: the
        unit the cursor starts on is loaded, evaluated and shown first, then everything — so
        the first screen never waits for the whole directory)."""
        try:
            user, role = self.store.user, self.store.role()
            may_report = bool(self.store.can_report())
            first = self._first_stage()
        except JixiaoError as exc:
            self.post_message(messages.LoadFailed(exc))
            return
        except OSError as exc:
            self.post_message(messages.LoadFailed(_os_error(exc)))
            return
        stale, sigs = None, {}
        if first is not None:
            with self.versions.writing():
                self._prints.clear()
                serial = self.versions.publish(first)
            as_of = self._as_of(first)
            # One unit evaluates in milliseconds: its colours come with the data.
            evaluation = self.evaluator.evaluate(first, as_of)
            self.post_message(messages.Loaded(serial, first, user, role, may_report, evaluation,
                                               as_of))
            try:
                self._wait_shown()
                stale = self._summary_stage(self._lead_stage(first))
            except Stopped:
                return    # the screen is closing: quitting must not wait for the next stage
        try:
            # Only the entries that can count from the date shown on: the detail pane reads a
            # whole history when it shows one, and an earlier date reloads (``_from``).
            # The version shown holds every unit's objects when it came from the summaries:
            # the load takes those it reads unchanged from it rather than keeping two copies.
            if self._stop.is_set():
                return        # closed between the stages: nothing more to read
            reuse = {}
            if stale is not None:
                with self.versions.writing():
                    reuse["reuse"] = self.versions.latest
            dataset = self.store.load(since=self.view_date() or self.store.settings().as_of,
                                      progress=self._progress(), **reuse)
            if first is not None:
                with self.versions.writing():
                    # Writes made (by anyone, this app included) while the files were read:
                    # ``refresh`` re-reads just the files that changed since, before the
                    # complete version supersedes the versions that hold them.
                    self.store.refresh(dataset)
                    if reuse:
                        dataset = sharing(dataset, reuse["reuse"])
                    serial = self.versions.publish(dataset)
                    sigs = self._signatures()
        except JixiaoError as exc:
            if not self._stop.is_set():   # else the screen is closing (a cancelled query)
                self.post_message(messages.LoadFailed(exc))
            return
        except OSError as exc:
            self.post_message(messages.LoadFailed(_os_error(exc)))
            return
        except Stopped:
            return        # the screen is closing: quitting must not wait for the load
        as_of = self._as_of(dataset)
        if first is not None:
            # The complete state arrives whole with its colours: counts, triage and search are
            # never shown half-known.
            try:
                evaluation = self.evaluator.evaluate(dataset, as_of, stop=self._stop.is_set)
            except Stopped:
                return
            self.post_message(messages.Completed(serial, dataset, evaluation, as_of))
            self._save_summaries(dataset, evaluation, stale, sigs)
        else:
            with self.versions.writing():
                self._prints.clear()
                serial = self.versions.publish(dataset)  # builds the index here, not on the UI thread
            # The panes are usable as soon as the data is in; the colours follow a moment later.
            self.post_message(messages.Loaded(serial, dataset, user, role, may_report))
            self.post_message(messages.Evaluated(dataset, self.evaluator.evaluate(dataset, as_of), as_of))
        # Fingerprints last: they only matter once someone writes.
        for code in list(dataset.units):
            with self.versions.writing():
                latest = self.versions.latest
                if code not in self._prints and code in latest.units:
                    self._prints[code] = fingerprint(latest, code)

    def _lead_stage(self, first):
        """A start-up's lead stage, for a store that ranks alerts itself (PostgreSQL,
        ``PgStore.lead``): the units holding the store's ``summaries.LEAD_ROWS`` worst alerts
        are added from their summaries (any unit whose summary is stale, read whole), the
        others still pending, and shown coloured — the head of the triage list in a fraction of a second at
        1M indicators, while the middle stage reads every other summary. The version the
        middle stage builds on: the one published here, else ``first`` (no such store, a date
        for this view only, too many stale summaries, or a failure: the middle stage then does
        it all)."""
        lead = getattr(self.store, "lead", None)
        if lead is None or self.view_date():
            return first
        loaded = set(first.units) - pending_units(first)
        try:
            got = lead(summaries.LEAD_ROWS, skip=loaded, most=summaries.FEW_STALE,
                       stop=self._stop.is_set)
            if got is None:
                return first
            dataset, _ = self._show_summaries(first.settings.as_of, *got,
                                              lead=summaries.LEAD_ROWS)
        except (JixiaoError, OSError):
            if self._stop.is_set():
                raise Stopped from None
            return first
        return dataset or first

    def _summary_stage(self, first) -> list | None:
        """The middle stage of a start-up (``store.summaries``): every unit not loaded yet is
        added from its summary, or read whole when its summary is stale, and the whole is shown
        coloured — counts, triage, search and n/N over everything in well under a second at
        100k indicators, long before every history is read. Skipped (``None``) for a store
        without summaries, a date chosen for this view only, or when so many summaries are
        stale that reading those units would take most of a full load; otherwise the keys of
        the stale ones, whose summaries are written again once everything is loaded."""
        summaries_of = getattr(self.store, "summaries", None)
        if summaries_of is None or self.view_date():
            return None
        try:
            # Its progress on screen: at 1M indicators this stage takes seconds.
            summarized, renew = summaries.by_whole_unit(
                *summaries_of(stop=self._stop.is_set, progress=self._progress()))
            loaded = set(first.units) - pending_units(first)
            found = {key: s for key, s in summarized.items() if key.unit_code not in loaded}
            stale = [key for key in renew if key.unit_code not in loaded]
            if len(stale) > max(summaries.FEW_STALE, len(found) // 4):
                return renew
            dataset, sigs = self._show_summaries(first.settings.as_of, found, stale)
        except (JixiaoError, OSError):
            if self._stop.is_set():
                raise Stopped from None   # a read the closing screen had cancelled
            return None       # the full load that follows says what is wrong, if anything is
        if dataset is None:
            return None
        return [key for key in renew if key not in sigs]     # the first unit's, if stale

    def _show_summaries(self, as_of: str, found: dict, stale: list, *, lead: int = 0):
        """Add the summaries ``found`` (key → summary at ``as_of``) and the partitions
        ``stale``, read whole here, to the latest version — with ``lead``, every other unit
        still pending (the lead stage) — publish it and show it coloured; then write the
        summaries of ``stale`` from what was read (the next start needs them). The version and
        the signatures ``stale`` were read at; no version when the date changed meanwhile (the
        summaries are of another)."""
        whole, sigs = self.store.peek(stale) if stale else (None, {})
        with self.versions.writing():
            latest = self.versions.latest
            if latest.settings.as_of != as_of or self.view_date():
                return None, sigs
            pending = frozenset()
            if lead:
                pending = (pending_units(latest) - {key.unit_code for key in found}
                           - set(whole.units if whole else ()))
            dataset = with_summaries(latest, found.values(), whole, as_of, pending=pending,
                                     lead=lead)
            serial = self.versions.publish(dataset)
        evaluation = self._evaluate(dataset, as_of)
        if evaluation is not None:
            self.post_message(messages.Summarized(serial, dataset, evaluation, as_of))
        self.store.note_summaries(found)   # after: the screen needs it only on a detail
        if evaluation is not None:
            self._wait_shown()
        if whole is not None:
            self._save_summaries(whole, self.evaluator.evaluate(whole, as_of), stale, sigs)
        return dataset, sigs

    @work(thread=True, exclusive=False, group="whole", exit_on_error=False)
    def take_whole(self, code: str) -> None:
        """Read the summarized unit ``code`` in full now (a user is about to record in it), so
        its form need not wait for every other unit's history."""
        keys = [key for key in getattr(self.store, "unit_listing", dict)() if key.unit_code == code]
        try:
            whole, _ = self.store.peek(keys)
        except (JixiaoError, OSError) as exc:
            self.post_message(messages.Notice(exc.text(self.lang) if isinstance(exc, JixiaoError)
                                              else str(exc), "warning"))
            return
        with self.versions.writing():
            latest = self.versions.latest
            if code not in summarized_units(latest):
                return            # the complete load, or an earlier call, was first
            dataset = with_whole(latest, code, whole)
            serial = self.versions.publish(dataset)
        evaluation = self._evaluate(dataset, latest.settings.as_of)
        self.post_message(messages.Published(serial, dataset))
        if evaluation is not None:
            self.post_message(messages.Evaluated(dataset, evaluation, evaluation.as_of))

    def _signatures(self) -> dict:
        signatures = getattr(self.store, "signatures", None)
        return signatures() if signatures is not None else {}

    def _save_summaries(self, dataset, evaluation, keys, sigs: dict) -> None:
        """Write the store summaries of ``keys`` (stale at start-up) from ``dataset`` as read
        with the file signatures ``sigs``: a reader keeps them current for the next start-up.
        Quietly nothing when the store has none or the user may not write them."""
        save = getattr(self.store, "save_summaries", None)
        if save is None or not keys or self.view_date():
            return
        keys = [key for key in keys if key in sigs]
        # A batch at a time: a store skips those it cannot write (or, on PostgreSQL, may not)
        # and asks for the settings and grants once a call; quitting waits for one batch.
        for at in range(0, len(keys), summaries.BATCH):
            if self._stop.is_set():
                return
            try:
                save(dataset, evaluation, {key: sigs[key] for key in keys[at:at + summaries.BATCH]})
            except (JixiaoError, OSError):
                pass

    def _evaluate(self, dataset, as_of: str):
        """Every colour of ``dataset`` at ``as_of``: evaluated from the histories, except the
        summarized units' (``with_summaries``), whose verdicts are given; ``None`` when those
        are asked for at another date (the complete load brings them)."""
        codes = summarized_units(dataset)
        if not codes:
            return self.evaluator.evaluate(dataset, as_of)
        given = given_verdicts(dataset)
        if given is None or given.as_of != as_of:
            return None
        return self.evaluator.evaluate(dataset, as_of, given=given, given_units=codes)

    def _progress(self) -> Callable[[int, int], None]:
        """A ``Store.load`` progress callback posting ``LoadProgress`` about 4 times a second
        at most (and for the last file), so the screen can say how far loading has come.
        Each message wakes the UI thread, which then holds the interpreter while the load
        waits: at 20 a second they cost ~0.4 s of a 100k start-up."""
        last = [0.0]

        def report(done: int, total: int) -> None:
            if self._stop.is_set():
                raise Stopped
            now = time.monotonic()
            if done == total or now - last[0] >= 0.25:
                last[0] = now
                self.post_message(messages.LoadProgress(done, total))
        return report

    def _first_stage(self):
        """The first stage of a start-up: the partitions of the first unit by code, every other
        unit listed but marked pending (``tui.versions``); ``None`` when the store cannot list
        its units cheaply or there is only one unit to load."""
        listing = getattr(self.store, "unit_listing", None)
        if listing is None:
            return None
        units = listing()
        keys = first_keys(units)
        if keys is None:
            return None
        first = self.store.load(keys=keys)
        for unit in units.values():
            # Names from the index; the unit's own file has the final say once loaded.
            first.units.setdefault(unit.code, unit)
        first.invalidate()
        return mark_partial(first, frozenset({key.unit_code for key in units}
                                             - {keys[0].unit_code}))

    # --- polling ----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def poll(self) -> None:
        """Take in other processes' writes until unmounted: as soon as the store announces one
        (PostgreSQL's LISTEN/NOTIFY, ``wait_for_change``), else about every ``poll_interval``
        seconds (the file store has nothing to listen to)."""
        worker = get_current_worker()
        wait = getattr(self.store, "wait_for_change", None)
        while not self._stop.is_set() and not worker.is_cancelled:
            if wait is None:
                if self._stop.wait(self.poll_interval):
                    return
            else:
                try:
                    # Wakes every 0.1 s to notice the unmount: quitting waits for this
                    # thread (asyncio joins its executor), and a 1 s wait made ``q`` take
                    # 0.5-1 s on PostgreSQL.
                    if not wait(min(self.poll_interval, _LISTEN_SLICE)):
                        continue
                except JixiaoError as exc:
                    self.post_message(messages.Notice(exc.message, "warning", timeout=10))
                    if self._stop.wait(self.poll_interval):
                        return
                    continue
            self.poll_once()

    def poll_once(self) -> None:
        """One poll: the store refreshes a copy of the latest dataset, and a copy that changed
        is published and posted with its evaluation."""
        problem = None
        with self.versions.writing():
            old = self.versions.latest
            new = copy_dataset(old)
            try:
                changed = self.store.refresh(new)
            except (JixiaoError, OSError) as exc:
                # A file damaged meanwhile (say so once, not every second) or caught
                # mid-replace: the next poll retries. What the refresh took in before it is
                # the store's view now, so it is kept.
                problem = exc
                changed = _touched(old, new)
            if changed:
                foreign, echoed = self._changes(old, new)
                new = self._from(new, self._as_of(new))  # another admin moved the date back
                serial = self.versions.publish(new)
                sigs = self._signatures() if echoed else {}
        if changed:
            as_of = self._as_of(new)
            evaluation = self.evaluator.evaluate(new, as_of)
            self.post_message(messages.Refreshed(serial, new, evaluation, as_of, foreign))
            # This process wrote those units: it renews their summaries, so the next screen
            # to start (a manager's, who may not renew them) need not read them whole.
            self._save_summaries(new, evaluation, [k for k in sigs if k.unit_code in echoed],
                                 sigs)
        if problem is None:
            self._poll_problem = None
            return
        message = problem.text(self.lang) if isinstance(problem, JixiaoError) else str(problem)
        if message != self._poll_problem:
            self._poll_problem = message
            severity = "error" if isinstance(problem, JixiaoError) else "warning"
            self.post_message(messages.Notice(message, severity, timeout=10))

    def _changes(self, old, new) -> tuple[bool, set[str]]:
        """Whether going from ``old`` to ``new`` (a refresh) brought anything this process did
        not already have — another process's write rather than the echo of its own (which is
        in ``old`` and its fingerprint before the refresh sees the file) — and the codes of the
        units whose change was such an echo. Call while writing."""
        foreign, echoed = new.settings != old.settings, set()
        for code in old.units.keys() | new.units.keys():
            # The store re-reads a changed partition into new objects: a unit whose object is
            # the same was not touched, and costs nothing to check.
            if old.units.get(code) is new.units.get(code):
                continue
            before = self._prints.pop(code, None)
            after = fingerprint(new, code) if code in new.units else None
            if after is not None:
                self._prints[code] = after
            if before is None or before != after:
                foreign = True
            else:
                echoed.add(code)
        return foreign, echoed

    # --- colours ----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="evaluate", exit_on_error=False)
    def evaluate(self, dataset, as_of: str) -> None:
        """Every colour of ``dataset`` at ``as_of``."""
        evaluation = self._evaluate(dataset, as_of)
        if evaluation is not None:
            self.post_message(messages.Evaluated(dataset, evaluation, as_of))

    @work(thread=True, exclusive=True, group="warm", exit_on_error=False)
    def warm(self, browser) -> None:
        """Build the browser's caches now, so the first key that needs one is fast."""
        browser.warm()

    @work(thread=True, exclusive=True, group="evaluate", exit_on_error=False)
    def change_date(self, new: str, dataset, store_it: bool) -> None:
        """Colour ``dataset`` at the monitoring date ``new``; with ``store_it`` (an admin) the
        date is stored for everyone first."""
        view, serial = new, 0
        if dataset.history_from is not None and new < dataset.history_from:
            with self.versions.writing():
                dataset = self._from(self.versions.latest, new)
                serial = self.versions.publish(dataset)
        if store_it:
            try:
                # Stored and published in one writer's turn: the poll then sees nothing new
                # and does not announce the admin's own change as another user's.
                with self.versions.writing():
                    latest = self.versions.latest
                    settings = replace(latest.settings, as_of=new)
                    self.store.save_settings(settings)
                    dataset = with_settings(latest, settings)
                    serial = self.versions.publish(dataset)
                view = None
            except JixiaoError as exc:
                self.post_message(messages.Notice(exc.text(self.lang), "warning"))
        evaluation = self.evaluator.evaluate(dataset, new)
        self.post_message(messages.DateChanged(view, serial, dataset, evaluation))

    def _from(self, dataset, as_of: str):
        """``dataset``, or when it lacks entries that may count at ``as_of`` (it was loaded for
        a later date) the directory loaded again from ``as_of`` on. Call while writing."""
        if dataset.history_from is None or as_of >= dataset.history_from:
            return dataset
        return self.store.load(since=as_of)

    # --- writing ----------------------------------------------------------------------------
    # Called from the forms' workers, never the UI thread. The entry is stored and a version
    # holding it published in the same turn, so the poll never mistakes the file change for
    # another user's.
    def write_progress(self, indicator_id: str, **values):
        """Record a progress entry through the store; the entry."""
        with self.versions.writing():
            entry = self.store.record_progress(indicator_id, **values)
            dataset = with_progress(self.versions.latest, entry)
            ind = dataset.indicators.get(indicator_id)
            self._own_write(dataset, ind.project_id if ind else None)
            serial = self.versions.publish(dataset)
        self.post_message(messages.Published(serial, dataset))
        return entry

    def write_spending(self, project_id: str, **values):
        """Record a spending report through the store; the entry."""
        with self.versions.writing():
            entry = self.store.record_spending(project_id, **values)
            dataset = with_spending(self.versions.latest, entry)
            self._own_write(dataset, project_id)
            serial = self.versions.publish(dataset)
        self.post_message(messages.Published(serial, dataset))
        return entry

    def write_reading(self, indicator_id: str, override):
        """Settle (or with ``None`` clear) the reading of one 指标值 through the store; the
        indicator as stored."""
        with self.versions.writing():
            indicator = self.store.set_reading(indicator_id, override)
            dataset = with_indicator(self.versions.latest, indicator)
            self._own_write(dataset, indicator.project_id)
            serial = self.versions.publish(dataset)
        self.post_message(messages.Published(serial, dataset))
        return indicator

    def _own_write(self, dataset, project_id: str | None) -> None:
        proj = dataset.projects.get(project_id) if project_id else None
        if proj is not None:
            self._prints[proj.unit_code] = fingerprint(dataset, proj.unit_code)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, path: str, dataset, as_of: str, done: str) -> None:
        """Write the snapshot of ``dataset`` at ``as_of`` to ``path``; ``done`` prefixes the
        path in the toast that says it worked."""
        try:
            from jixiao.core import snapshot

            # The app's evaluator: what it prepared for the screen serves the snapshot too.
            doc = snapshot.build_snapshot(dataset, as_of,
                                          evaluation=self.evaluator.evaluate(dataset, as_of))
            text = snapshot.dump_snapshot(doc)
            target = Path(path).expanduser()
            write_atomically(target, text)
        except (JixiaoError, OSError) as exc:
            message = exc.text(self.lang) if isinstance(exc, JixiaoError) else str(exc)
            self.post_message(messages.Notice(message, "error"))
            return
        self.post_message(messages.Notice(f"{done} {target}"))
