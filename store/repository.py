"""The store: one data directory shared by many processes (DESIGN.md §7, issues 4 and 7).

How the guarantees are kept:

- every file is read afresh (``AtomicStorage`` keeps no handle and no cache), and every
  read-modify-write happens under that file's ``flock`` lock with a fresh read inside it, so no
  write is lost and no document id is reused;
- every write is tmp file + fsync + rename, with the previous generation kept as ``.bak``;
- damaged, foreign and newer-schema files raise ``JixiaoError`` naming the file and are never
  written;
- data is partitioned per unit and budget year (``store.layout``), so a write costs one small
  file and ``refresh`` re-reads only the files whose signature changed;
- every write checks the acting user's grants (``store.grants``) inside the file's lock, on a
  fresh read of the grants file, and records who did it;
- ``load`` and ``refresh`` may take a partition from the per-user read cache (``store.cache``),
  but only for exactly the bytes of its JSON file as read now; nothing else ever reads it;
- ``load(keys)`` reads a subset of partitions, and ``unit_listing`` / ``partition_keys`` list
  every partition without parsing them, from the unit index (``store.index``) that imports keep
  beside the partitions — a hint only: the partition files have the final say.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from itertools import islice, repeat
from pathlib import Path
from typing import Callable, Iterable

from tinydb import TinyDB

from jixiao.core.changes import progress_what, spending_what
from jixiao.core.dataset import Dataset, counting_from
from jixiao.core.errors import JixiaoError
from jixiao.core.colours import colour_word
from jixiao.core.explanation import explanation_gaps, missing_explanation
from jixiao.core.faults import said
from jixiao.core.model import (Indicator, ProgressEntry, Project, Settings, SpendingEntry, Unit,
                               entry_order, now_iso, year_default_as_of)
from jixiao.core.overrides import ReadingOverride, override_of
from jixiao.core.language import Said
from jixiao.core.periods import as_of_problem, entry_date_problem, iso_date
from jixiao.core.readings import check_actual, check_entry_actual
from jixiao.core.rules import indicator_status, target_of
from jixiao.core.words import CAUSES, LIKELIHOODS

from . import grants as rules
from .audit import AuditEntry, chronological, matches
from .identity import current_user
from .layout import Layout, PartitionKey, file_stem
from .lock import locked, locked_all
from . import cache as read_cache
from . import index as unit_index
from . import summaries
from .partition import (KIND, Partition, Signature, compact, from_tables, next_doc_id,
                        read_bytes, read_partition, reused, signature)
from .storage import (RECORD_CHECKS, AtomicStorage, damaged, parse, read_file,
                      undo_writes)


class Store:
    """Reads and writes one data directory on behalf of one user (the OS account by default).

    Every write checks the user's role and unit grants (``core.errors.PermissionDenied``) and
    records its author; damaged or foreign files raise ``core.errors.JixiaoError`` (exit 2).
    Reading never creates or changes a file; the directory is created by the first write.
    """

    def __init__(self, data_dir: Path, *, user: str | None = None):
        """Open ``data_dir``. ``user`` is the identity seam for tests; otherwise the acting user
        is the account of the effective uid (``store.identity.current_user``)."""
        self.layout = Layout(Path(data_dir))
        self._user = user if user is not None else current_user()
        self._seen: dict[Path, Signature | None] = {}
        self._contents: dict[PartitionKey, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        # Indicators by id without their partition key: it is their project's, and a
        # (key, indicator) pair per indicator cost ~6 MB at 100k.
        self._indicator_at: dict[str, Indicator] = {}
        self._project_at: dict[str, tuple[PartitionKey, Project]] = {}
        self._grants_cache: tuple[Signature | None, list[rules.Grant]] | None = None
        self._last_read: tuple[Path, Signature, read_cache.Grouped] | None = None
        self._read_cache = read_cache.cache_dir(self.layout.root)

    @property
    def data_dir(self) -> Path:
        """The data directory."""
        return self.layout.root

    def require_data(self, *, tables: bool = True) -> None:
        """Refuse (``JixiaoError``) a directory that holds no jixiao data — with ``tables``, no
        imported target table — so a mistyped ``--data`` never reads as "nothing to report"."""
        root = self.layout.root
        advice = ("Import a table with `jixiao import FILE`, or check --data / $JIXIAO_DATA if "
                  "you meant another directory.")
        advice_zh = "请先用 jixiao import 文件 导入目标表；如果指的是别的目录，请检查 --data 或 $JIXIAO_DATA。"
        if not root.exists():
            raise JixiaoError(f"{root} does not exist, so there is no jixiao data there. {advice}",
                              zh=f"{root} 不存在，那里没有 jixiao 数据。{advice_zh}")
        if not root.is_dir():
            raise JixiaoError(f"{root} is not a directory; --data must name a data directory",
                              zh=f"{root} 不是目录；--data 必须指向数据目录")
        if not self.layout.holds_data(tables=tables):
            some = self.layout.holds_data()
            what = "no imported target tables" if some else "no jixiao data"
            what_zh = "没有已导入的目标表" if some else "没有 jixiao 数据"
            raise JixiaoError(f"{root} holds {what}. {advice}", zh=f"{root} 中{what_zh}。{advice_zh}")

    # --- who ---------------------------------------------------------------------------------
    @property
    def user(self) -> str:
        """The acting user's name."""
        return self._user

    def role(self) -> str | None:
        """'admin', 'manager' or 'owner' — 'admin' for anyone when there are no grants at all,
        ``None`` for a user without a grant in a shared store (may read, may not change)."""
        return rules.role_of(self.grants(), self._user)

    def can_edit_unit(self, unit_code: str) -> bool:
        """Whether the acting user may record progress and spending for ``unit_code``."""
        return rules.may_edit_unit(self.grants(), self._user, unit_code)

    def can_report(self) -> bool:
        """Whether the acting user may take snapshots, reports and exports."""
        return rules.may_report(self.grants(), self._user)

    def require_reporter(self, doing: str) -> None:
        """Raise ``PermissionDenied`` (exit 3) unless the acting user may report; ``doing``
        names what was asked, e.g. ``"take a snapshot"``."""
        rules.require_reporter(self.grants(), self._user, doing)

    def grants(self) -> list[rules.Grant]:
        """Every grant, in the order they were given (re-read when the file changed)."""
        sig = signature(self.layout.grants)
        if self._grants_cache is None or self._grants_cache[0] != sig or sig is None:
            tables = _grant_tables(self.layout)
            self._grants_cache = (sig, _grant_list(self.layout.grants, tables))
        return list(self._grants_cache[1])

    def grant(self, user: str, role: str, units: tuple[str, ...] | list[str] = ()) -> rules.Grant:
        """Give ``user`` the ``role`` (owners: add ``units`` to the ones they hold); admin only.

        The first grant of a store must be an admin; returns the user's grant afterwards.
        """
        units = tuple(units)
        rules.require_admin(self.grants(), self._user, "change grants")
        # File names are enough to know which units exist; parsing every partition is not.
        stems = {p.stem for p in self.layout.partition_files()}
        unknown = [u for u in units if stems and file_stem(u) not in stems]
        if unknown:
            raise JixiaoError(f"unit(s) {', '.join(unknown)} are not in this data directory; "
                              "check the code, or import the unit's table first",
                              zh=f"数据目录中没有单位 {'、'.join(unknown)}；请检查代码，或先导入该单位的目标表")
        result = self._change_grants(
            lambda gs: rules.with_grant(gs, user, role, units), "grant",
            f"{user} → {role}" + (f" for {', '.join(units)}" if units else ""), units)
        return next(g for g in result if g.user == user.strip())

    def revoke(self, user: str, units: tuple[str, ...] | list[str] | None = None) -> None:
        """Take away ``user``'s grant, or only some ``units`` of an owner; admin only."""
        units = tuple(units or ())
        self._change_grants(lambda gs: rules.without_grant(gs, user, units), "revoke",
                            f"{user}" + (f" loses {', '.join(units)}" if units else " loses all "
                                         "rights"), units)

    def _change_grants(self, change, action: str, what: str, units: tuple[str, ...]):
        path = self.layout.grants
        with locked(self.layout.lock_of(path)):
            db = TinyDB(path, storage=AtomicStorage, kind="grants")
            tables = _grant_tables(self.layout)
            current = _grant_list(path, tables)
            rules.require_admin(current, self._user, "change grants")
            new = change(current)
            tables["grants"] = {str(i): g.to_dict() for i, g in enumerate(new, 1)}
            audit = dict(tables.get("audit") or {})
            audit[str(next_doc_id(audit))] = AuditEntry(now_iso(), self._user, action, what,
                                                        units).to_dict()
            tables["audit"] = audit
            db.storage.write(tables)
        self._grants_cache = None
        return new

    # --- settings ----------------------------------------------------------------------------
    def settings(self) -> Settings:
        """The current settings (year, monitoring date, thresholds).

        Without a settings file: the latest budget year present (else this year) and, as
        monitoring date, today when that is in the year, else the year's last day.
        """
        tables = read_file(self.layout.settings, "settings")
        if tables is None:
            return self._default_settings()
        return _settings_from(self.layout.settings, tables)

    def has_settings(self) -> bool:
        """Whether settings were ever saved (else ``settings`` gives the defaults)."""
        return self.layout.settings.exists()

    def _default_settings(self) -> Settings:
        years = [int(p.parent.name) for p in self.layout.partition_files()]
        year = max(years) if years else date.today().year
        return Settings(year=year, as_of=year_default_as_of(year))

    def save_settings(self, settings: Settings) -> None:
        """Replace the settings (admin only); the change is logged with old and new values."""
        rules.require_admin(self.grants(), self._user, "change settings")
        _check_settings(settings, saving=True)
        self._check_settings_fit(settings)
        self._write_settings(settings)

    def _check_settings_fit(self, settings: Settings) -> None:
        """Refuse a monitoring date outside the budget year, and a change to a year this
        directory holds no tables for: either would make every report an empty all-clear."""
        problem = as_of_problem(settings.as_of, settings.year)
        if problem is not None:
            raise JixiaoError(problem)
        years = sorted({int(p.parent.name) for p in self.layout.partition_files()})
        if not years or settings.year in years:
            return  # no tables yet (set up before the first import), or tables for the year
        if self.layout.settings.exists() and self.settings().year == settings.year:
            return  # the year is not being changed
        raise JixiaoError(said("year_without_tables", year=settings.year,
                              years=", ".join(map(str, years))))

    def _write_settings(self, settings: Settings) -> None:
        """Write ``settings`` with its audit record (the caller has checked them)."""
        path = self.layout.settings
        with locked(self.layout.lock_of(path)):
            tables = read_file(path, "settings")
            if tables is None:
                tables = {}
                changes = f"created: year {settings.year}, as_of {settings.as_of}"
            else:
                changes = _settings_diff(self.settings(), settings) or "no change"
            tables["settings"] = {"1": settings.to_dict()}
            audit = dict(tables.get("audit") or {})
            audit[str(next_doc_id(audit))] = AuditEntry(now_iso(), self._user, "settings",
                                                        changes).to_dict()
            tables["audit"] = audit
            AtomicStorage(path, "settings").write(tables)

    # --- reading everything ------------------------------------------------------------------
    def unit_codes(self) -> set[str]:
        """The codes of every unit with data, read from the partition files."""
        codes = set()
        for path in self.layout.partition_files():
            part, _ = read_partition(path)
            codes.add(part.unit.code)
        return codes

    def partition_keys(self) -> list[PartitionKey]:
        """The key of every partition file present, by year then unit code (the order the
        units pane lists them), read from the unit index and file names: no partition is
        parsed unless its file name is a hash and the index does not name it."""
        return sorted(unit_index.listing(self.layout))

    def unit_listing(self) -> dict[PartitionKey, Unit]:
        """Every partition's key and unit, as cheaply as ``partition_keys``: the names come
        from the unit index (``store.index``), which may lag behind the files; a unit the
        index does not know is named by its code. ``load`` always has the files' own names."""
        return dict(sorted(unit_index.listing(self.layout).items()))

    def load(self, keys: Iterable[PartitionKey] | None = None, *,
             since: str | None = None,
             progress: Callable[[int, int], None] | None = None,
             reuse: Dataset | None = None) -> Dataset:
        """Everything in the directory, as one ``Dataset`` (remembered for ``refresh``) — or,
        with ``keys``, only those partitions (keys of absent files are skipped): a start-up
        shows the first unit before the rest is read. A later ``refresh`` of a subset takes in
        every other partition too, as files it had not seen.

        With ``since`` (an ISO date), each progress history keeps only the entries that can
        count at that date or later — from the last one dated on or before it — as a screen
        showing that date needs (at 100k indicators: ~40 % of the entries, ~60 MB less); the
        dataset says so in ``history_from``, and ``progress_history`` reads the rest.

        ``progress(done, total)`` is called after each file taken in (a screen says how far
        loading has come). Units, projects, indicators and spending histories equal to those of
        ``reuse`` are taken from it rather than kept twice (a screen showing ``reuse`` while
        this loads holds one copy of them, not two)."""
        dataset = Dataset(settings=self.settings(), history_from=since)
        self._seen = {self.layout.settings: signature(self.layout.settings)}
        self._contents.clear()
        wanted = None
        if keys is not None:
            wanted = {self.layout.partition(PartitionKey(int(k.year), k.unit_code))
                      for k in keys}
        # One object per distinct repeated string (dates, authors, values, owner ids) across
        # every file: at 100k indicators it saves ~40 MB. Dropped once loading is done.
        share: dict = {}
        if wanted is None:
            # A unit file deleted behind the store's back must not read as a smaller all-clear.
            gone = unit_index.missing_units(self.layout)
            if gone:
                raise JixiaoError(gone[0])
        paths = [p for p in self.layout.partition_files() if wanted is None or p in wanted]
        files, total, done = iter(paths), len(paths), 0
        # A helper thread reads (and CRC-checks) the next few files while this one decodes:
        # file reads and zlib release the GIL. A few ahead only, to bound the memory held.
        with ThreadPoolExecutor(max_workers=1) as pool:
            ahead = deque(pool.submit(self._fetch, p) for p in islice(files, 3))
            while ahead:
                fetched = ahead.popleft().result()
                following = next(files, None)
                if following is not None:
                    ahead.append(pool.submit(self._fetch, following))
                part, sig = self._grouped(*fetched, share=share)
                if reuse is not None:
                    _reuse(part, reuse)
                self._merge(dataset, fetched[0], part)
                self._seen[fetched[0]] = sig
                done += 1
                if progress is not None:
                    progress(done, total)
        return dataset

    def refresh(self, dataset: Dataset) -> bool:
        """Bring ``dataset`` (from this store's ``load``) up to date with other processes'
        writes, re-reading only the files whose signature (inode, size, mtime) changed since;
        ``True`` when anything changed. Costs one ``stat`` per file when nothing did."""
        changed = False
        sig = signature(self.layout.settings)
        if self._seen.get(self.layout.settings) != sig:
            dataset.settings = self.settings()
            self._seen[self.layout.settings] = sig
            changed = True
        present = self.layout.partition_files()
        for path in present:
            if self._seen.get(path) != signature(path):
                part, sig = self._read_grouped(path)
                self._forget(dataset, _key_of(path, part))
                self._merge(dataset, path, part)
                self._seen[path] = sig
                changed = True
        for path in set(self._seen) - set(present) - {self.layout.settings}:
            # A partition that disappeared (restored elsewhere, moved away by an admin).
            for key in [k for k in self._contents if self.layout.partition(k) == path]:
                self._forget(dataset, key)
            del self._seen[path]
            changed = True
        return changed

    def _read_grouped(self, path: Path) -> tuple[read_cache.Grouped, Signature]:
        """The partition at ``path`` as ``_merge`` takes it, with the signature of the bytes
        read: from the per-user read cache when an entry matches those very bytes, else parsed
        from the JSON file (and the cache entry renewed)."""
        return self._grouped(*self._fetch(path), share={})

    def _fetch(self, path: Path) -> tuple:
        # The I/O half of _read_grouped, safe to run in a helper thread.
        raw, st = read_bytes(path)
        key = payload = None
        if self._read_cache is not None:
            key = read_cache.file_key(st, raw)
            payload = read_cache.fetch(self._read_cache, path, key)
        return path, raw, st, key, payload

    def _grouped(self, path: Path, raw: bytes, st, key, payload, *, share: dict
                 ) -> tuple[read_cache.Grouped, Signature]:
        sig = (st.st_ino, st.st_size, st.st_mtime_ns)
        cache = self._read_cache
        if payload is not None:
            grouped = read_cache.decode(payload, share)
            if grouped is not None:
                return grouped, sig
        part = from_tables(path, parse(path, KIND, raw), share)
        # Histories grouped and sorted once here rather than per entry in ``Dataset``: this
        # runs for every entry of the directory at start-up.
        progress: dict[str, list[ProgressEntry]] = {}
        for e in part.progress:
            progress.setdefault(e.indicator_id, []).append(e)
        spending: dict[str, list[SpendingEntry]] = {}
        for e in part.spending:
            spending.setdefault(e.project_id, []).append(e)
        for grouped_history in (progress, spending):
            for history in grouped_history.values():
                # entry_order parses every stamp; a history whose dates strictly increase (one
                # entry per date, the usual case) is in that order already.
                if len(history) > 1 and not all(
                        a.as_of < b.as_of for a, b in zip(history, history[1:])):
                    history.sort(key=entry_order)
        grouped = read_cache.Grouped(part.unit, part.projects, part.indicators, progress,
                                     spending)
        if cache is not None:
            read_cache.write(cache, path, key, grouped)
        return grouped, sig

    def _merge(self, dataset: Dataset, path: Path, part: read_cache.Grouped) -> None:
        key = _key_of(path, part)
        since = dataset.history_from
        # C-level bulk updates: this runs for every indicator of the directory at start-up.
        pids = [p.id for p in part.projects]
        dataset.projects.update(zip(pids, part.projects))
        self._project_at.update(zip(pids, zip(repeat(key), part.projects)))
        iids = [i.id for i in part.indicators]
        dataset.indicators.update(zip(iids, part.indicators))
        self._indicator_at.update(zip(iids, part.indicators))
        pids, iids = set(pids), set(iids)
        for target, grouped in ((dataset.progress, part.progress),
                                (dataset.spending, part.spending)):
            if target.keys().isdisjoint(grouped):
                target.update(grouped)  # the usual case: each history lives in one file
                continue
            for owner, history in grouped.items():
                if owner in target:
                    history = sorted(history + target[owner], key=entry_order)
                target[owner] = history
        if since is not None:
            progress = dataset.progress
            for owner in part.progress:
                progress[owner] = counting_from(progress[owner], since)
        iids.update(part.progress)
        pids.update(part.spending)
        dataset.units[part.unit.code] = part.unit
        dataset.invalidate()  # the direct updates above bypass the dataset's own methods
        # Tuples, not the sets: 500 sets of a unit's ids held ~8 MB at 100k indicators.
        self._contents[key] = (tuple(pids), tuple(iids))

    def _forget(self, dataset: Dataset, key: PartitionKey) -> None:
        pids, iids = self._contents.pop(key, ((), ()))
        for pid in pids:
            dataset.projects.pop(pid, None)
            dataset.spending.pop(pid, None)
            self._project_at.pop(pid, None)
        for iid in iids:
            dataset.indicators.pop(iid, None)
            dataset.progress.pop(iid, None)
            self._indicator_at.pop(iid, None)
        if not any(k.unit_code == key.unit_code for k in self._contents):
            dataset.units.pop(key.unit_code, None)
        dataset.invalidate()  # projects and indicators were removed behind its back

    # --- summaries (store.summaries) ---------------------------------------------------------
    def summaries(self, *, stop=None, progress=None) -> tuple[dict, list[PartitionKey]]:
        """The current summary (``store.summaries.Summary``) of every unit file, by key, and
        the keys of the files that have none: a screen shows every unit's colours from these
        and reads only the rest (``peek``). ``core.evaluator.Stopped`` once ``stop()`` is
        true; ``progress(done, total)`` as the units are read."""
        parts = {key: self.layout.partition(key) for key in self.unit_listing()}
        return summaries.collect(self.layout.root, parts, self.settings(), stop, progress)

    def note_summaries(self, found: dict) -> None:
        """Remember where each project and indicator of ``found`` (from ``summaries``) lives,
        so that ``progress_history`` reads just its own file until a load replaces them."""
        for key, summary in found.items():
            self._project_at.update((p.id, (key, p)) for p in summary.projects)
            self._indicator_at.update((i.id, i) for i in summary.indicators)

    def peek(self, keys: Iterable[PartitionKey]) -> tuple[Dataset, dict[PartitionKey, Signature]]:
        """Those units read whole, with the signature of each file read, into a new dataset
        that this store does not remember (``load`` and ``refresh`` are unaffected)."""
        dataset = Dataset(settings=self.settings())
        sigs = {}
        for key in keys:
            path = self.layout.partition(key)
            if not path.exists():
                continue
            grouped, sigs[key] = self._read_grouped(path)
            _take_whole(dataset, grouped)
        dataset.invalidate()
        return dataset, sigs

    def signatures(self) -> dict[PartitionKey, Signature]:
        """The signature of every unit file as the last ``load`` or ``refresh`` read it."""
        by_path = {self.layout.partition(key): key for key in self._contents}
        return {by_path[path]: sig for path, sig in self._seen.items() if path in by_path}

    def save_summaries(self, dataset: Dataset, evaluation, sigs: dict) -> int:
        """Write the summary of each unit file in ``sigs`` (key → the signature of the file
        ``dataset`` holds it from) whose file has not changed since, from ``dataset`` and its
        ``evaluation`` at the stored monitoring date; how many were written (one that cannot
        be written is skipped: summaries are only an aid). Nothing is written for another
        date or other settings than the stored ones."""
        unchanged = {key: sig for key, sig in sigs.items()
                     if signature(self.layout.partition(key)) == sig}
        written = 0
        for key, _, doc in summaries.encoded(self.settings(), dataset, evaluation, unchanged):
            try:
                summaries.write(summaries.path_of(self.layout.root, self.layout.partition(key)),
                                doc)
            except (JixiaoError, OSError):
                continue     # one that cannot be written (a directory in its place) stops no other
            written += 1
        return written

    def refresh_summaries(self, keys: Iterable[PartitionKey] | None = None) -> int:
        """Make the summary of every unit file (or of ``keys``) current, reading and
        evaluating only the files whose summary is not; how many were written."""
        wanted = None if keys is None else set(keys)
        parts = {key: self.layout.partition(key) for key in self.unit_listing()
                 if wanted is None or key in wanted}
        _, stale = summaries.collect(self.layout.root, parts, self.settings())
        return summaries.renew(self, stale)

    # --- finding one thing without loading everything ----------------------------------------
    def _locate(self, wanted: str, table: dict, what: str):
        if wanted in table:
            return table[wanted]
        needle = f'"{wanted}"'.encode("utf-8")
        files = self.layout.partition_files()
        for path in files:
            # A byte search skips the JSON parse of every partition that cannot hold the id.
            try:
                raw = path.read_bytes()
            except OSError:
                continue
            if needle in raw:
                try:
                    part, _ = read_partition(path)
                except JixiaoError as exc:
                    raise JixiaoError(f"cannot look up {what} {wanted!r}: {exc.text('en')}",
                                      zh=f"无法查找{_WHAT_ZH.get(what, what)} {wanted!r}："
                                         f"{exc.text('zh')}") from None
                for p in part.projects:
                    self._project_at[p.id] = (part.key, p)
                for i in part.indicators:
                    self._indicator_at[i.id] = i
                if wanted in table:
                    return table[wanted]
        # Not found: a damaged or unreadable file may be where it is, and saying only "no such
        # id" would send the user hunting for a typo. Costs a full read, on this path only.
        for path in files:
            try:
                read_partition(path)
            except JixiaoError as exc:
                raise JixiaoError(f"no {what} with id {wanted!r} in the readable files of "
                                  f"{self.data_dir}, and one file cannot be read (it may hold "
                                  f"it): {exc.text('en')}",
                                  zh=f"{self.data_dir} 的可读文件中没有编号为 {wanted!r} 的"
                                     f"{_WHAT_ZH.get(what, what)}，且有一个文件无法读取（可能在其中）："
                                     f"{exc.text('zh')}") from None
        raise JixiaoError(f"no {what} with id {wanted!r} in {self.data_dir}",
                          zh=f"{self.data_dir} 中没有编号为 {wanted!r} 的{_WHAT_ZH.get(what, what)}")

    def find_indicator(self, indicator_id: str) -> tuple[Indicator, Project]:
        """The indicator with ``indicator_id`` and its project (``JixiaoError`` if unknown, or
        naming the damaged file that stops the search)."""
        indicator = self._locate(indicator_id, self._indicator_at, "indicator")
        _, project = self._locate(indicator.project_id, self._project_at, "project")
        return indicator, project

    def find_project(self, project_id: str) -> Project:
        """The project with ``project_id`` (``JixiaoError`` if unknown, or naming the damaged
        file that stops the search)."""
        return self._locate(project_id, self._project_at, "project")[1]

    def progress_history(self, indicator_id: str) -> list[ProgressEntry]:
        """Every progress entry of one indicator, by date then time of recording (reads only
        its own file, through the read cache; the last file read is kept, so moving between
        the indicators of one unit reads nothing)."""
        indicator = self._locate(indicator_id, self._indicator_at, "indicator")
        key, _ = self._locate(indicator.project_id, self._project_at, "project")
        path = self.layout.partition(key)
        kept = self._last_read
        if kept is None or kept[0] != path or kept[1] != signature(path):
            grouped, sig = self._read_grouped(path)
            kept = self._last_read = (path, sig, grouped)
        return list(kept[2].progress.get(indicator_id, ()))

    def spending_history(self, project_id: str) -> list[SpendingEntry]:
        """The spending entries of one project, by date then time of recording (reads only the
        project's own file)."""
        key, _ = self._locate(project_id, self._project_at, "project")
        part, _ = read_partition(self.layout.partition(key))
        return sorted((e for e in part.spending if e.project_id == project_id), key=entry_order)

    # --- appending history -------------------------------------------------------------------
    def record_progress(self, indicator_id: str, *, as_of: str, actual: str,
                        forecast: str | None = None, likelihood: str | None = None,
                        causes: tuple[str, ...] = (), measures: str | None = None,
                        note: str | None = None) -> ProgressEntry:
        """Append one progress entry, durable when this returns; refuse values that do not fit
        the target (``JixiaoError``) and users who may not edit the unit (``PermissionDenied``)."""
        indicator, project = self.find_indicator(indicator_id)
        rules.require_unit(self.grants(), self._user, project.unit_code, "record progress")
        entry = progress_entry(indicator, project, self.settings(), self._user, as_of=as_of,
                               actual=actual, forecast=forecast, likelihood=likelihood,
                               causes=causes, measures=measures, note=note)
        self._append(PartitionKey(project.year, project.unit_code), "progress",
                     compact(entry.to_dict()), "record progress")
        return entry

    def record_spending(self, project_id: str, *, as_of: str, spent: float,
                        note: str | None = None) -> SpendingEntry:
        """Append one spending entry (cumulative 万元 as of the date), durable when this
        returns; owners of the project's unit and admins only."""
        project = self.find_project(project_id)
        rules.require_unit(self.grants(), self._user, project.unit_code, "record spending")
        entry = spending_entry(project, self._user, as_of=as_of, spent=spent, note=note)
        self._append(PartitionKey(project.year, project.unit_code), "spending",
                     compact(entry.to_dict()), "record spending")
        return entry

    def _append(self, key: PartitionKey, table: str, doc: dict, doing: str) -> None:
        path = self.layout.partition(key)
        with locked(self.layout.lock_of(path)):
            # The callers' early check saves validating for nothing, but a revoke may land
            # between it and this lock: only a check inside the lock, on the grants file as it
            # is now (no cache), keeps a revoked owner from writing.
            tables = _grant_tables(self.layout)
            rules.require_unit(_grant_list(self.layout.grants, tables), self._user,
                               key.unit_code, doing)
            if not path.exists():
                raise JixiaoError(f"{path} disappeared; nothing was recorded",
                                  zh=f"{path} 不见了；未记录任何内容")
            # A new TinyDB per write: its document-id counter and query cache start from the
            # file as it is now, inside the lock, so no id is reused and nothing stale is seen.
            db = TinyDB(path, storage=AtomicStorage, kind=KIND)
            db.table(table, cache_size=0).insert(doc)

    # --- readings of 指标值 (issue 12) -------------------------------------------------------
    def set_reading(self, indicator_id: str, override: ReadingOverride | None) -> Indicator:
        """Settle the reading of one indicator's 指标值 (admin only), or with ``None`` go back
        to the inferred reading; the change and its audit record land in one write.

        ``override`` must be set against the indicator's current 指标值 text; its ``author``
        and ``at`` are stamped here (the acting user, now). Returns the indicator as stored.
        """
        indicator, project = self.find_indicator(indicator_id)
        rules.require_admin(self.grants(), self._user, "change the reading of a target")
        if override is not None and override.text != indicator.target_text:
            raise JixiaoError(f"the 指标值 of {indicator_id} is {indicator.target_text!r}, not "
                              f"{override.text!r}; nothing was changed",
                              zh=f"指标 {indicator_id} 的指标值是 {indicator.target_text!r}，而不是 "
                                 f"{override.text!r}；未做任何更改")
        key = PartitionKey(project.year, project.unit_code)
        path = self.layout.partition(key)
        with locked(self.layout.lock_of(path)):
            tables = read_file(path, KIND)
            # Admin only, checked again inside the lock on the grants file as it is now.
            rules.require_admin(_grant_list(self.layout.grants, _grant_tables(self.layout)),
                                self._user, "change the reading of a target")
            if not tables:
                raise JixiaoError(f"{path} disappeared; nothing was changed",
                                  zh=f"{path} 不见了；未做任何更改")
            inds = dict(tables.get("indicators") or {})
            found = next((k for k, d in inds.items() if d.get("id") == indicator_id), None)
            if found is None:
                raise JixiaoError(f"indicator {indicator_id} is no longer in {path} (a re-import "
                                  "removed it); nothing was changed",
                                  zh=f"指标 {indicator_id} 已不在 {path} 中（重新导入时被移除）；"
                                     "未做任何更改")
            doc = dict(inds[found])
            before = doc.get("reading")
            if override is None:
                if before is None:
                    return Indicator.from_dict(doc)
                doc.pop("reading", None)
                what = "back to the inferred reading"
            else:
                if override.text != doc.get("target_text"):
                    raise JixiaoError(f"the 指标值 of {indicator_id} changed meanwhile; "
                                      "nothing was changed",
                                      zh=f"指标 {indicator_id} 的指标值刚被改动；未做任何更改")
                stamped = replace(override, author=self._user, at=now_iso())
                doc["reading"] = stamped.to_dict()
                what = stamped.describe()
            inds[found] = doc
            tables["indicators"] = inds
            audit = dict(tables.get("audit") or {})
            audit[str(next_doc_id(audit))] = AuditEntry(
                now_iso(), self._user, "reading",
                f"{doc.get('name', '')} [{indicator_id}] 指标值 {doc.get('target_text', '')!r}: "
                f"{what}", (key.unit_code,)).to_dict()
            tables["audit"] = audit
            from_tables(path, tables)  # never write what could not be read back
            AtomicStorage(path, KIND).write(tables)
        return Indicator.from_dict(doc)

    def readings(self, dataset: Dataset | None = None) -> dict[str, ReadingOverride]:
        """Every settled reading, by indicator id (of ``dataset`` when given, else of the whole
        store as it is now)."""
        dataset = dataset if dataset is not None else self.load()
        out = {}
        for ind in dataset.indicators.values():
            override = override_of(ind)
            if override is not None:
                out[ind.id] = override
        return out

    # --- imports -----------------------------------------------------------------------------
    def apply_import(self, plan) -> dict[PartitionKey, str]:
        """Store an import plan from ``core.importing`` (admin only).

        Units and projects are upserted; each imported project's indicators become exactly
        ``plan.indicators`` of that project (history of removed indicators is kept, unused).
        Partitions that would not change are not written, so re-importing a table changes
        nothing. Each changed partition gets an audit record in the same write. Returns the
        summary written per changed partition.
        """
        rules.require_admin(self.grants(), self._user, "import target tables")
        units = {u.code: u for u in getattr(plan, "units", ())}
        by_key: dict[PartitionKey, list[Project]] = {}
        for p in plan.projects:
            by_key.setdefault(PartitionKey(int(p.year), p.unit_code), []).append(p)
        indicators_of: dict[str, list[Indicator]] = {}
        for i in plan.indicators:
            indicators_of.setdefault(i.project_id, []).append(i)
        for key in by_key:
            if key.unit_code not in units:
                raise JixiaoError(f"the import names no unit {key.unit_code!r}; nothing was stored")
        removed = set(getattr(plan, "removed_indicator_ids", ()) or ())
        paths = {key: self.layout.partition(key) for key in by_key}
        written: dict[PartitionKey, str] = {}
        with locked_all(self.layout.lock_of(p) for p in paths.values()):
            # Every partition is prepared and checked before the first is written, so a bad
            # plan or a damaged file stores nothing at all.
            ready = []
            for key in sorted(by_key):
                path = paths[key]
                stored = read_file(path, KIND)
                tables = stored or {}
                summary = _upsert(tables, units[key.unit_code], by_key[key], indicators_of,
                                  removed, (self._user, now_iso()))
                if summary is None:
                    continue
                audit = dict(tables.get("audit") or {})
                audit[str(next_doc_id(audit))] = AuditEntry(
                    now_iso(), self._user, "import", summary, (key.unit_code,)).to_dict()
                tables["audit"] = audit
                from_tables(path, tables)  # never write what could not be read back
                ready.append((key, path, tables, summary, stored is not None))
            if not ready:
                return written
            # Grants and settings before the first unit file: a store with units always has
            # a grants file (``_grant_tables`` fails closed without one).
            self._ensure_grants_file()
            if not self.layout.settings.exists():
                year = int(getattr(plan, "year", None) or min(r[0].year for r in ready))
                self._write_settings(_default_for(year))
            done: list[tuple[Path, bool]] = []
            try:
                for key, path, tables, summary, existed in ready:
                    AtomicStorage(path, KIND).write(tables)
                    done.append((path, existed))
                    written[key] = summary
            except JixiaoError as exc:
                # A full disk after some units: undo those, so the store is as before.
                raise undo_writes(done, exc) from None
            # After the partitions, so the index never names a unit before its file exists.
            try:
                unit_index.note_units(self.layout, {key: units[key.unit_code]
                                                    for key in written})
            except JixiaoError:
                pass  # only a start-up hint (units without an entry are listed by file name)
        summaries.renew_quietly(self, list(written))
        return written

    def _ensure_grants_file(self) -> None:
        """Create an empty grants file (nobody granted yet) unless there is one."""
        path = self.layout.grants
        if path.exists():
            return
        with locked(self.layout.lock_of(path)):
            if not _grant_tables(self.layout):
                AtomicStorage(path, "grants").write({"grants": {}})

    def bulk_load(self, dataset: Dataset) -> None:
        """Write a whole dataset (units, projects, indicators, history) into an empty store
        (admin only); the settings too when the store has none. Used by the demo and benches."""
        rules.require_admin(self.grants(), self._user, "load data")
        parts: dict[PartitionKey, dict] = {}
        for p in dataset.projects.values():
            key = PartitionKey(int(p.year), p.unit_code)
            tables = parts.setdefault(key, {t: {} for t in
                                            ("projects", "indicators", "progress", "spending")})
            tables["projects"][str(len(tables["projects"]) + 1)] = p.to_dict()
            for i in dataset.indicators_of(p.id):
                tables["indicators"][str(len(tables["indicators"]) + 1)] = compact(i.to_dict())
                for e in dataset.progress.get(i.id, ()):
                    tables["progress"][str(len(tables["progress"]) + 1)] = compact(e.to_dict())
            for e in dataset.spending.get(p.id, ()):
                tables["spending"][str(len(tables["spending"]) + 1)] = compact(e.to_dict())
        for key in parts:
            if key.unit_code not in dataset.units:
                raise JixiaoError(f"the dataset has projects of unknown unit {key.unit_code!r}")
            if self.layout.partition(key).exists():
                raise JixiaoError(f"{self.layout.partition(key)} exists already; bulk_load only "
                                  "fills an empty store")
        self._ensure_grants_file()
        sigs = {}
        for key, tables in sorted(parts.items()):
            tables["unit"] = {"1": dataset.units[key.unit_code].to_dict()}
            tables["audit"] = {"1": AuditEntry(now_iso(), self._user, "import",
                                               f"loaded {len(tables['projects'])} project(s), "
                                               f"{len(tables['indicators'])} indicator(s)",
                                               (key.unit_code,)).to_dict()}
            path = self.layout.partition(key)
            with locked(self.layout.lock_of(path)):
                AtomicStorage(path, KIND).write(tables)
                # Inside the lock: a write by another process after it would otherwise give
                # a summary of this dataset the signature of the file that holds that write.
                sigs[key] = signature(path)
        unit_index.note_units(self.layout, {key: dataset.units[key.unit_code] for key in parts})
        if not self.layout.settings.exists():
            _check_settings(dataset.settings, saving=True)
            self._write_settings(dataset.settings)
        summaries.renew_quietly(self, sorted(parts), dataset, sigs)

    # --- audit -------------------------------------------------------------------------------
    def log(self, unit: str | None = None, user: str | None = None,
            since: str | None = None) -> list[AuditEntry]:
        """Every change — progress, spending, import, grant, settings — oldest first, filtered
        by unit code, author and first day (ISO date)."""
        if since is not None:
            since = iso_date(since, "since")
        entries: list[AuditEntry] = []
        for path, kind in ((self.layout.grants, "grants"), (self.layout.settings, "settings")):
            tables = read_file(path, kind) or {}
            for _, doc in sorted((tables.get("audit") or {}).items(), key=lambda kv: int(kv[0])):
                entries.append(AuditEntry.from_dict(doc))
        for path in self.layout.partition_files():
            if unit is not None and path.stem != file_stem(unit):
                continue  # not that unit's file: no need to parse it
            part, _ = read_partition(path)
            if unit is not None and part.unit.code != unit:
                continue
            entries.extend(_history_entries(part))
        wanted = [e for e in entries if matches(e, unit=unit, user=user, since=since)]
        wanted.sort(key=chronological)
        return wanted

    # --- checking ----------------------------------------------------------------------------
    def check(self) -> list[str]:
        """Verify the whole data directory without changing anything; the problems found, each
        naming its file and what to do (an empty list means all is well)."""
        from .check import check_directory

        return check_directory(self.layout)


# --- new history entries, checked (shared with store.postgres) ------------------------------------
def progress_entry(indicator: Indicator, project: Project, settings: Settings, user: str, *,
                   as_of: str, actual: str, forecast: str | None = None,
                   likelihood: str | None = None, causes: tuple[str, ...] = (),
                   measures: str | None = None, note: str | None = None) -> ProgressEntry:
    """A new progress entry by ``user``, or ``JixiaoError`` when a value does not fit the target,
    the date is outside the budget years, or an amber/red entry does not say why."""
    as_of = _in_budget_years(iso_date(as_of, "as_of"), project, "progress")
    actual = (actual or "").strip()
    if not actual:
        raise JixiaoError("a progress entry needs an actual value (完成值)", zh="进度记录需要完成值")
    _check_value(indicator, project, actual, "actual value")
    _check_done_by(indicator, project, actual, as_of)
    if forecast is not None and forecast.strip():
        _check_value(indicator, project, forecast.strip(), "forecast")
    else:
        forecast = None
    if likelihood is not None and likelihood not in LIKELIHOODS:
        raise JixiaoError(f"likelihood {likelihood!r} is not one of {', '.join(LIKELIHOODS)}",
                          zh=f"完成目标可能性 {likelihood!r} 不是 {'、'.join(LIKELIHOODS)} 之一")
    causes = tuple(causes or ())
    bad = [c for c in causes if c not in CAUSES]
    if bad:
        raise JixiaoError(f"cause(s) {', '.join(map(repr, bad))} not among {', '.join(CAUSES)}",
                          zh=f"偏差原因 {'、'.join(map(repr, bad))} 不在 {'、'.join(CAUSES)} 之中")
    measures = measures if measures and measures.strip() else None
    entry = ProgressEntry(id=_new_id(), indicator_id=indicator.id, as_of=as_of,
                          actual=actual,
                          author=user, recorded_at=now_iso(),
                          forecast=forecast.strip() if forecast else None,
                          likelihood=likelihood, causes=causes, measures=measures, note=note)
    # The monitoring table's rule, here so that every entry point (CLI, TUI, scripts)
    # keeps it: an entry that leaves the indicator amber or red says why and what is done.
    status = indicator_status(indicator, entry, as_of, settings, project.year)
    missing = missing_explanation(status, causes, measures)
    if missing:
        raise JixiaoError(f"{missing}; nothing was recorded (status: {status.reason('en')})",
                          zh=f"{_missing_zh(status, causes, measures)}；未记录任何内容"
                             f"（状态：{status.reason('zh')}）")
    return entry


def spending_entry(project: Project, user: str, *, as_of: str, spent: float,
                   note: str | None = None) -> SpendingEntry:
    """A new spending entry by ``user``, or ``JixiaoError`` for a bad date or amount."""
    as_of = _in_budget_years(iso_date(as_of, "as_of"), project, "spending")
    try:
        spent = float(spent)
    except (TypeError, ValueError):
        raise JixiaoError(f"spent must be a number of 万元, not {spent!r}",
                          zh=f"支出必须是以万元为单位的数字，而不是 {spent!r}") from None
    if not spent >= 0 or spent == float("inf"):
        raise JixiaoError(f"spent must be a finite number ≥ 0 (万元), not {spent!r}",
                          zh=f"支出必须是 ≥ 0 的有限数字（万元），而不是 {spent!r}")
    return SpendingEntry(id=_new_id(), project_id=project.id, as_of=as_of, spent=spent,
                         author=user, recorded_at=now_iso(), note=note)


# --- helpers -------------------------------------------------------------------------------------
def _grant_tables(layout: Layout) -> dict:
    """The tables of the grants file. Without one: ``{}`` (nobody granted yet: whoever runs
    jixiao is admin) only while the store holds no unit files — imports create the grants file
    before the first unit file, so a missing one in a store with units was deleted, and
    starting over would hand admin to anyone: that fails closed (issue 14)."""
    tables = read_file(layout.grants, "grants")
    if tables is not None:
        return tables
    if layout.holds_data(tables=True):
        path = layout.grants
        bak = path.with_name(path.name + ".bak")
        try:
            usable = read_file(bak, "grants") is not None
        except JixiaoError:
            usable = False
        restore = said("grants_restore_bak" if usable else "grants_restore_backup", bak=bak,
                      path=path)
        raise JixiaoError(said("grants_missing", path=path, bak=bak.name, restore=restore))
    return {}


def _grant_list(path: Path, tables: dict) -> list[rules.Grant]:
    try:
        records = sorted((tables.get("grants") or {}).items(), key=lambda kv: int(kv[0]))
        return [rules.Grant.from_dict(doc) for _, doc in records]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise damaged(path, "grants", "a grant record cannot be read", "有一条授权记录无法读取") from None


def _settings_from(path: Path, tables: dict) -> Settings:
    table = tables.get("settings")
    records = list(table.values()) if isinstance(table, dict) else None
    try:
        if records is None or len(records) != 1:
            raise ValueError("not exactly one settings record")
        settings = Settings.from_dict(records[0])
        _check_settings(settings)
        return settings
    except (KeyError, TypeError, ValueError, AttributeError, JixiaoError):
        raise damaged(path, "settings", "the settings record cannot be read",
                      "设置记录无法读取") from None


RECORD_CHECKS["grants"] = _grant_list
RECORD_CHECKS["settings"] = _settings_from


def _reuse(part, old: Dataset) -> None:
    """Put in ``part`` (a ``read_cache.Grouped`` just read) ``old``'s objects where they are
    equal to the ones read, so that the ones read are freed at once."""
    unit = old.units.get(part.unit.code)
    if unit == part.unit:
        part.unit = unit
    part.projects = reused(part.projects, old.projects)
    part.indicators = reused(part.indicators, old.indicators)
    get = old.spending.get
    for pid, history in part.spending.items():
        kept = get(pid)
        if kept is not None and kept == history:
            part.spending[pid] = kept


def _take_whole(dataset: Dataset, part) -> None:
    """Add one read partition (``read_cache.Grouped``) to ``dataset`` with every entry."""
    dataset.units[part.unit.code] = part.unit
    dataset.projects.update((p.id, p) for p in part.projects)
    dataset.indicators.update((i.id, i) for i in part.indicators)
    for target, grouped in ((dataset.progress, part.progress),
                            (dataset.spending, part.spending)):
        for owner, history in grouped.items():
            if owner in target:   # a history split across two files (never written so)
                history = sorted(history + target[owner], key=entry_order)
            target[owner] = history


def _key_of(path: Path, part) -> PartitionKey:
    # The year is the directory's name, as ``store.partition.from_tables`` reads it.
    try:
        year = int(path.parent.name)
    except ValueError:
        year = 0
    return PartitionKey(year, part.unit.code)


_WHAT_ZH = {
    "indicator": "指标", "project": "项目", "as_of": "日期", "progress": "进度记录",
    "spending": "支出记录", "the monitoring date": "监控日期", "actual value": "完成值",
    "forecast": "全年预计",
}
"""The English names the messages above use for things, in Chinese."""

_GAP_ZH = {"causes": "至少一项偏差原因（经费保障、制度保障、人员保障、硬件条件保障或其他）",
           "measures": "纠偏措施"}


def _missing_zh(status, causes, measures) -> str:
    """``missing_explanation`` in Chinese."""
    gaps = explanation_gaps(status, causes, measures)
    colour = getattr(status, "colour", status)
    return (f"这条记录使指标为{colour_word(colour, 'zh')}，因此需要填写"
            + "和".join(_GAP_ZH[g] for g in gaps))


def _only(tables: dict, name: str) -> dict | None:
    table = tables.get(name) or {}
    return next(iter(table.values()), None) if isinstance(table, dict) else None


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


def _in_budget_years(as_of: str, project: Project, what: str) -> str:
    """``as_of`` when it lies in the project's budget year or the following one; a
    ``JixiaoError`` otherwise (``core.periods.entry_date_problem``)."""
    problem = entry_date_problem(as_of, int(project.year), project.name,
                                 Said(what, _WHAT_ZH.get(what, what)))
    if problem is not None:
        raise JixiaoError(problem)
    return as_of


def _default_for(year: int) -> Settings:
    return Settings(year=year, as_of=year_default_as_of(year))


def _check_settings(settings: Settings, *, saving: bool = False) -> None:
    if not isinstance(settings.year, int) or not 1990 <= settings.year <= 2200:
        raise JixiaoError(f"year must be a budget year like 2023, not {settings.year!r}",
                          zh=f"年度必须是 2023 这样的预算年度，而不是 {settings.year!r}")
    iso_date(settings.as_of, "the monitoring date")
    if saving:
        # Every rule, so inverted bands never reach the file; reading stays lenient so a file
        # written before a rule existed can still be opened and corrected.
        problem = settings.thresholds.problem()
        if problem:
            raise JixiaoError(f"{problem}; nothing was changed", zh=f"{problem}；未做任何更改")
        return
    for name, value in settings.thresholds.to_dict().items():
        if not isinstance(value, (int, float)) or value != value or value < 0:
            raise JixiaoError(f"threshold {name} must be a number ≥ 0, not {value!r}",
                              zh=f"阈值 {name} 必须是 ≥ 0 的数字，而不是 {value!r}")


def _settings_diff(old: Settings, new: Settings) -> str:
    parts = []
    if old.year != new.year:
        parts.append(f"year {old.year} → {new.year}")
    if old.as_of != new.as_of:
        parts.append(f"as_of {old.as_of} → {new.as_of}")
    a, b = old.thresholds.to_dict(), new.thresholds.to_dict()
    parts += [f"{k} {a[k]} → {b[k]}" for k in a if a[k] != b.get(k)]
    return ", ".join(parts)


def _check_value(indicator: Indicator, project: Project, text: str, what: str) -> None:
    target = target_of(indicator, project.year)
    problem = check_actual(text, target)
    if problem:
        raise JixiaoError(f"{what} {text!r} does not fit the target {indicator.target_text!r} of "
                          f"{indicator.name!r}: {problem}",
                          zh=f"{_WHAT_ZH.get(what, what)} {text!r} 与 {indicator.name!r} 的指标值 "
                             f"{indicator.target_text!r} 不符：{check_actual(text, target, lang='zh')}")


def _check_done_by(indicator: Indicator, project: Project, actual: str, as_of: str) -> None:
    # A completion date after the entry's own date reports as done what is not done yet: the
    # record form refuses it as the owner types; here every other way in (CLI, scripts, both
    # stores) is refused with the very same sentence.
    target = target_of(indicator, project.year)
    problem = check_entry_actual(actual, target, as_of)
    if problem:
        raise JixiaoError(problem, zh=check_entry_actual(actual, target, as_of, lang="zh"))


def _upsert(tables: dict, unit: Unit, projects: list[Project],
            indicators_of: dict[str, list[Indicator]], removed_ids: set[str],
            stamp: tuple[str, str]) -> str | None:
    """Apply one partition's share of an import to its raw ``tables``; a summary, or ``None``
    when nothing changed. A reading the table's columns settle is stamped with ``stamp``
    (the importing admin, the time)."""
    changed = False
    unit_doc = unit.to_dict()
    if _only(tables, "unit") != unit_doc:
        tables["unit"] = {"1": unit_doc}
        changed = True
    proj = dict(tables.get("projects") or {})
    by_pid = {d.get("id"): k for k, d in proj.items()}
    inds = dict(tables.get("indicators") or {})
    added = updated = removed = 0
    for p in projects:
        doc = p.to_dict()
        k = by_pid.get(p.id)
        if k is None:
            proj[str(next_doc_id(proj))] = doc
            changed = True
        elif proj[k] != doc:
            proj[k] = doc
            changed = True
        new = {i.id: _stamped(compact(i.to_dict()), stamp) for i in indicators_of.get(p.id, ())}
        for k2 in [k2 for k2, d in inds.items() if d.get("project_id") == p.id]:
            old = inds[k2]
            if old.get("id") not in new or old.get("id") in removed_ids:
                del inds[k2]
                removed += 1
            else:
                doc2 = new.pop(old["id"])
                if doc2 != old:
                    inds[k2] = doc2
                    updated += 1
        for doc2 in new.values():
            inds[str(next_doc_id(inds))] = doc2
            added += 1
    if not (changed or added or updated or removed):
        return None
    tables["projects"] = proj
    tables["indicators"] = inds
    names = ", ".join(p.name for p in projects)
    return (f"import {len(projects)} project(s) ({names}): {added} indicator(s) added, "
            f"{updated} changed, {removed} removed")


def _stamped(doc: dict, stamp: tuple[str, str]) -> dict:
    reading = doc.get("reading")
    if reading is not None and not reading.get("author"):
        doc["reading"] = {**reading, "author": stamp[0], "at": stamp[1]}
    return doc


def _history_entries(part: Partition) -> list[AuditEntry]:
    names = {i.id: i.name for i in part.indicators}
    pnames = {p.id: p.name for p in part.projects}
    units = (part.unit.code,)
    out = list(part.audit)
    for e in part.progress:
        what = progress_what(names.get(e.indicator_id, e.indicator_id), e.indicator_id, e.as_of,
                             e.actual, e.forecast, e.likelihood, e.note)
        out.append(AuditEntry(e.recorded_at, e.author, "progress", what.en, units, zh=what.zh))
    for e in part.spending:
        what = spending_what(pnames.get(e.project_id, e.project_id), e.project_id, e.as_of,
                             e.spent)
        out.append(AuditEntry(e.recorded_at, e.author, "spending", what.en, units, zh=what.zh))
    return out
