"""The PostgreSQL store (issue 13): the same operations as ``store.repository.Store``, with the
rules enforced by the database server.

Who is acting is the server's ``session_user`` (over the local socket with ``peer``
authentication: the OS account); jixiao never sends a user name. Nobody but the schema owner may
change a table: every write is a call of a SECURITY DEFINER function (``store/sql/v1.sql``) that
checks the caller's grant, stamps the author and time itself and keeps history append-only. The
checks this class makes first only give the file store's messages early; the server has the
final say and gives the same ones.
"""

from __future__ import annotations

import json
import threading
from typing import Iterable, NamedTuple

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from jixiao.core.dataset import Dataset, counting_from
from jixiao.core.errors import JixiaoError
from jixiao.core.evaluator import Stopped
from jixiao.core.faults import said
from jixiao.core.language import Said
from jixiao.core.overrides import ReadingOverride
from jixiao.core.periods import iso_date
from jixiao.core.model import (Indicator, ProgressEntry, Project, Settings, SpendingEntry, Unit,
                               entry_order)

from . import grants as rules
from . import summaries
from .audit import AuditEntry, chronological, matches
from .layout import PartitionKey
from .partition import Partition, compact, records, reused
from .repository import (Store, _check_settings, _default_for, _history_entries,
                         _settings_diff, progress_entry, spending_entry)
from . import pg_history
from .pg_errors import server_errors, translate_denied
from .pg_schema import require_current

CHANNEL = "jixiao"
"""The LISTEN/NOTIFY channel every write function notifies."""

def connect(url: str, *, user: str | None = None) -> psycopg.Connection:
    """An autocommit connection to the libpq ``url`` (``user`` overrides the URL's role: the
    server's authentication still decides), or ``JixiaoError`` saying why there is none."""
    try:
        extra = {"user": user} if user else {}
        return psycopg.connect(url, autocommit=True, application_name="jixiao", **extra)
    except psycopg.Error as exc:
        reason = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        reason = reason or type(exc).__name__
        raise JixiaoError(said("db_connect", db=url, reason=reason)) from None


class PgStore:
    """One connection to a jixiao database, acting as the role the server authenticated.

    The same public operations as ``store.repository.Store`` (``store.protocol.StoreBackend``).
    """

    def __init__(self, url: str, *, user: str | None = None):
        """Connect to ``url``. ``user`` asks for another role (tests); the server's
        authentication decides whether this process may be it."""
        self.url = url
        self._conn = connect(url, user=user)
        # The TUI calls from several threads: one at a time per connection (a transaction
        # must not take in another thread's statements), and whole loads on a connection of
        # their own so that short questions are not stuck behind them.
        self._lock = threading.RLock()
        self._reader: psycopg.Connection | None = None
        self._read_lock = threading.Lock()
        self._listener: psycopg.Connection | None = None
        with server_errors():
            self._user = self._conn.execute("SELECT session_user").fetchone()[0]
            require_current(self._conn)
            if not self._conn.execute(
                    "SELECT has_schema_privilege('jixiao', 'USAGE')").fetchone()[0]:
                raise translate_denied(self._user)
        self._revs: dict[PartitionKey, int] = {}
        self._settings_rev: int | None = None
        self._contents: dict[PartitionKey, tuple[set[str], set[str]]] = {}

    def close(self) -> None:
        """Close the connections."""
        for conn in (self._conn, self._reader, self._listener):
            if conn is not None:
                conn.close()

    def _query(self, query, params=()) -> list[tuple]:
        with self._lock, server_errors(self._user):
            return self._conn.execute(query, params).fetchall()

    # --- who ---------------------------------------------------------------------------------
    @property
    def user(self) -> str:
        """The acting role: the server's ``session_user``."""
        return self._user

    def role(self) -> str | None:
        """'admin', 'manager', 'owner' or ``None`` (see ``store.grants.role_of``)."""
        return rules.role_of(self.grants(), self._user)

    def can_edit_unit(self, unit_code: str) -> bool:
        """Whether the acting role may record progress and spending for ``unit_code``."""
        return rules.may_edit_unit(self.grants(), self._user, unit_code)

    def can_report(self) -> bool:
        """Whether the acting role may take snapshots, reports and exports."""
        return rules.may_report(self.grants(), self._user)

    def require_reporter(self, doing: str) -> None:
        """Raise ``PermissionDenied`` unless the acting role may report."""
        rules.require_reporter(self.grants(), self._user, doing)

    def grants(self) -> list[rules.Grant]:
        """Every grant, in the order given."""
        return [rules.Grant(u, r, tuple(units)) for u, r, units in self._query(
            "SELECT user_name, role, units FROM jixiao.grants ORDER BY seq")]

    def grant(self, user: str, role: str, units: tuple[str, ...] | list[str] = ()) -> rules.Grant:
        """Give ``user`` (a database role) the ``role``, and the database privileges that go
        with it; admin only. Returns the user's grant afterwards."""
        units = tuple(units)
        current = self.grants()
        rules.require_admin(current, self._user, "change grants")
        codes = {c for (c,) in self._query("SELECT DISTINCT unit_code FROM jixiao.partitions")}
        unknown = [u for u in units if codes and u not in codes]
        if unknown:
            raise JixiaoError(Said(said("db_units_unknown", codes=", ".join(unknown)).en,
                                   said("db_units_unknown", codes="、".join(unknown)).zh))
        new = rules.with_grant(current, user, role, units)
        self._set_grants(current, new, "grant",
                         f"{user} → {role}" + (f" for {', '.join(units)}" if units else ""), units)
        return next(g for g in new if g.user == user.strip())

    def revoke(self, user: str, units: tuple[str, ...] | list[str] | None = None) -> None:
        """Take away ``user``'s grant (and database privileges), or only some ``units``."""
        units = tuple(units or ())
        current = self.grants()
        rules.require_admin(current, self._user, "change grants")
        new = rules.without_grant(current, user, units)
        self._set_grants(current, new, "revoke", f"{user}" + (
            f" loses {', '.join(units)}" if units else " loses all rights"), units)

    def _set_grants(self, current, new, action: str, what: str, units) -> None:
        self._query("SELECT jixiao.set_grants(%s, %s, %s, %s, %s)",
                    (Jsonb([g.to_dict() for g in current]), Jsonb([g.to_dict() for g in new]),
                     action, what, list(units)))

    def role_exists(self, name: str) -> bool:
        """Whether the database has a login role ``name`` (a grant needs one to take effect)."""
        return bool(self._query("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)))

    # --- settings ----------------------------------------------------------------------------
    def settings(self) -> Settings:
        """The current settings; the file store's defaults when none were saved."""
        rows = self._query("SELECT doc FROM jixiao.settings")
        if rows:
            return Settings.from_dict(rows[0][0])
        year = self._query("SELECT max(year) FROM jixiao.partitions")[0][0]
        from datetime import date

        return _default_for(year or date.today().year)

    def has_settings(self) -> bool:
        """Whether settings were ever saved."""
        return bool(self._query("SELECT 1 FROM jixiao.settings"))

    def save_settings(self, settings: Settings) -> None:
        """Replace the settings (admin only); logged with old and new values."""
        rules.require_admin(self.grants(), self._user, "change settings")
        _check_settings(settings, saving=True)
        if self.has_settings():
            what = _settings_diff(self.settings(), settings) or "no change"
        else:
            what = f"created: year {settings.year}, as_of {settings.as_of}"
        self._query("SELECT jixiao.save_settings(%s, %s)", (Jsonb(settings.to_dict()), what))

    # --- reading -----------------------------------------------------------------------------
    def require_data(self, *, tables: bool = True) -> None:
        """Refuse (``JixiaoError``) a database without imported target tables (``tables``) or
        without anything at all, so a wrong URL never reads as "nothing to report"."""
        has_tables = bool(self._query("SELECT 1 FROM jixiao.partitions LIMIT 1"))
        if has_tables or (not tables and self.has_settings()):
            return
        raise JixiaoError(said("db_no_tables", db=self.url))

    def unit_listing(self) -> dict[PartitionKey, Unit]:
        """Every partition's key and unit, ordered by year then unit code."""
        return {PartitionKey(y, c): Unit.from_dict(u) for y, c, u in self._query(
            "SELECT year, unit_code, unit FROM jixiao.partitions ORDER BY year, unit_code")}

    def partition_keys(self) -> list[PartitionKey]:
        """The key of every partition, by year then unit code."""
        return list(self.unit_listing())

    def unit_codes(self) -> set[str]:
        """The codes of every unit with data."""
        return {k.unit_code for k in self.unit_listing()}

    def load(self, keys: Iterable[PartitionKey] | None = None, *, since: str | None = None,
             progress=None, reuse: Dataset | None = None) -> Dataset:
        """Everything, or only the partitions ``keys``, as one ``Dataset`` (remembered for
        ``refresh``): one consistent snapshot of the database. ``since``, ``progress(done,
        total)`` and ``reuse`` as in ``Store.load``."""
        dataset = Dataset(settings=self.settings(), history_from=since)
        self._contents.clear()
        self._revs = {}
        self._settings_rev = self._current_settings_rev()
        parts = self._read(keys, reuse, progress)
        for key, unit, rev, tables in parts:
            self._contents[key] = _merge(dataset, unit, tables)
            self._revs[key] = rev
        if progress is not None:
            progress(len(parts), len(parts))
        return dataset

    def refresh(self, dataset: Dataset) -> bool:
        """Bring ``dataset`` up to date with other sessions' writes, reading again only the
        partitions whose revision changed; ``True`` when anything changed."""
        changed = False
        rev = self._current_settings_rev()
        if rev != self._settings_rev:
            dataset.settings = self.settings()
            self._settings_rev = rev
            changed = True
        now = {PartitionKey(y, c): r for y, c, r in self._query(
            "SELECT year, unit_code, rev FROM jixiao.partitions")}
        stale = [k for k, r in now.items() if self._revs.get(k) != r]
        for key in set(self._revs) - set(now):
            self._forget(dataset, key)
            del self._revs[key]
            changed = True
        if stale:
            for key, unit, rev, tables in self._read(stale):
                self._forget(dataset, key)
                self._contents[key] = _merge(dataset, unit, tables)
                self._revs[key] = rev
            changed = True
        return changed

    def changed(self) -> bool:
        """Whether anything was written since the last ``load`` or ``refresh`` (one query)."""
        now = {PartitionKey(y, c): r for y, c, r in self._query(
            "SELECT year, unit_code, rev FROM jixiao.partitions")}
        return now != self._revs or self._current_settings_rev() != self._settings_rev

    def wait_for_change(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds for another session's write (LISTEN/NOTIFY on a
        connection of its own); ``True`` when one was announced."""
        if self._listener is None:
            self._listener = connect(self.url, user=self._user)
            self._listener.execute(f"LISTEN {CHANNEL}")
        with server_errors(self._user):
            for _ in self._listener.notifies(timeout=timeout, stop_after=1):
                return True
        return False

    def _current_settings_rev(self) -> int | None:
        rows = self._query("SELECT rev FROM jixiao.settings")
        return rows[0][0] if rows else None

    def _read(self, keys: Iterable[PartitionKey] | None, reuse: Dataset | None = None,
              progress=None):
        """``(key, unit, rev, {table: [objects]})`` per partition, from one snapshot; projects,
        indicators and units equal to ``reuse``'s are ``reuse``'s own objects. ``progress(done,
        total)`` is told how far reading has come (in partitions) as the rows arrive, so a
        screen can say so — and stop it by raising."""
        where, params = "", ()
        if keys is not None:
            keys = list(keys)
            where = " WHERE (year, unit_code) IN (SELECT * FROM unnest(%s::int[], %s::text[]))"
            params = ([int(k.year) for k in keys], [k.unit_code for k in keys])
        share: dict = {}  # repeated strings become one object across partitions, as in Store
        with self._read_lock:
            return self._read_with(self._reading(), where, params, share, reuse, progress)

    def cancel_reading(self) -> None:
        """Ask the server to stop the whole read under way, if any (from another thread: a
        screen closing); the read then fails with a ``JixiaoError``."""
        reader = self._reader
        if reader is not None:
            try:
                reader.cancel_safe(timeout=1.0)
            except psycopg.Error:
                pass       # nothing to cancel, or the server is gone: the read ends anyway

    def _reading(self) -> psycopg.Connection:
        """The connection whole reads go through (hold ``_read_lock``)."""
        if self._reader is None:
            self._reader = connect(self.url, user=self._user)
        return self._reader

    def _read_with(self, conn, where: str, params, share: dict, reuse: Dataset | None,
                   progress=None):
        out = {}
        rows = 0

        def row(more: int = 1) -> None:
            # Four queries of a row per partition each: a quarter partition per row. Also
            # called (``more=0``) before each query, so a caller that stops the read by
            # raising does so before the server starts on the next one.
            nonlocal rows
            rows += more
            if progress is not None:
                progress(min(rows // 4, max(len(out) - 1, 0)), len(out))

        with server_errors(self._user), conn.transaction(), conn.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cur.execute("SELECT year, unit_code, unit, rev FROM jixiao.partitions" + where
                        + " ORDER BY year, unit_code", params)
            for y, c, unit, rev in cur.fetchall():
                unit = Unit.from_dict(unit)
                if reuse is not None and reuse.units.get(c) == unit:
                    unit = reuse.units[c]
                out[PartitionKey(y, c)] = (unit, rev, {})
            for table in ("projects", "indicators"):
                # One JSON text per partition: parsing it in one go is far quicker than a
                # Python object per row from the driver. Taken a row at a time, and each
                # object equal to one the screen shows swapped for it at once, so the peak
                # holds one partition's copies, not every partition's.
                have = None if reuse is None else getattr(reuse, table)
                row(0)
                for y, c, docs in _streamed(conn, sql.SQL(
                        f"SELECT year, unit_code, json_agg(doc ORDER BY seq)::text "
                        f"FROM jixiao.{table}{where} GROUP BY year, unit_code"), params):
                    row()
                    key = PartitionKey(y, c)
                    if key in out:
                        made = records(table, json.loads(docs), share)
                        out[key][2][table] = made if have is None else reused(made, have)
            for table in pg_history.TABLES:
                # History (390k entries at 100k indicators): an array per field and unit,
                # which the driver decodes in C (binary: no text to parse); entries built a
                # field at a time.
                row(0)
                for y, c, n, *arrays in _streamed(conn, pg_history.query(table, where), params,
                                                  binary=True):
                    row()
                    key = PartitionKey(y, c)
                    if key in out:
                        out[key][2][table] = pg_history.entries(table, n, arrays, share)
        return [(key, unit, rev, tables) for key, (unit, rev, tables) in out.items()]

    def _forget(self, dataset: Dataset, key: PartitionKey) -> None:
        pids, iids = self._contents.pop(key, (set(), set()))
        for pid in pids:
            dataset.projects.pop(pid, None)
            dataset.spending.pop(pid, None)
        for iid in iids:
            dataset.indicators.pop(iid, None)
            dataset.progress.pop(iid, None)
        if not any(k.unit_code == key.unit_code for k in self._contents):
            dataset.units.pop(key.unit_code, None)
        dataset.invalidate()

    # --- summaries (store.summaries, table jixiao.summaries) ----------------------------------
    def summaries(self, *, stop=None, progress=None) -> tuple[dict, list[PartitionKey]]:
        """The current summary (``store.summaries.Summary``) of every partition, by key, and
        the keys of those that have none: made from another revision of the partition, at
        other settings, by another program, or never made. ``core.evaluator.Stopped`` once
        ``stop()`` is true; ``progress(done, total)`` as they arrive."""
        return self._summaries(None, stop, progress)

    def _summaries(self, keys: list[PartitionKey] | None, stop=None,
                   progress=None) -> tuple[dict, list[PartitionKey]]:
        """``summaries`` of every partition, or only of ``keys``."""
        with self._read_lock, server_errors(self._user):
            conn = self._reading()
            with conn.transaction():
                return self._summaries_in(conn, keys, self.settings(), stop, progress)

    def _summaries_in(self, conn, keys: list[PartitionKey] | None, settings: Settings, stop=None,
                      progress=None) -> tuple[dict, list[PartitionKey]]:
        """``_summaries`` in the transaction open on ``conn``, the reading connection, at the
        stored ``settings``."""
        share: dict = {}
        found, stale = {}, []
        where, params = "", ()
        if keys is not None:
            where = " WHERE (p.year, p.unit_code) IN (SELECT * FROM unnest(%s::int[], %s::text[]))"
            params = ([int(k.year) for k in keys], [k.unit_code for k in keys])
        total = conn.execute("SELECT count(*) FROM jixiao.partitions p" + where,
                             params).fetchone()[0]
        # Decoded as they arrive (at 1M indicators: 200 MB of JSON the server unpacks
        # meanwhile). A summary larger than the file store would read is not fetched
        # either (an owner could send one of a gigabyte for its own unit).
        for done, (year, code, rev, doc) in enumerate(_streamed(conn, sql.SQL(
                "SELECT p.year, p.unit_code, p.rev, CASE WHEN octet_length(s.doc) <= %s "
                "THEN s.doc END FROM jixiao.partitions p "
                "LEFT JOIN jixiao.summaries s ON s.year = p.year "
                "AND s.unit_code = p.unit_code AND s.rev = p.rev" + where
                + " ORDER BY p.year, p.unit_code"), (summaries.MAX_BYTES, *params))):
            if stop is not None and stop():
                raise Stopped
            if progress is not None:
                progress(done, total)
            key = PartitionKey(year, code)
            got = None if doc is None else summaries.decode(doc, (rev,), settings, share)
            if got is None:
                stale.append(key)
            else:
                found[key] = got
        return found, stale

    def lead(self, rows: int, *, skip: Iterable[str] = (), most: int = 16,
             stop=None) -> tuple[dict, list[PartitionKey]] | None:
        """What a screen needs to show the ``rows`` worst red and amber indicators of the whole
        store before it has read every summary (``jixiao.alerts``, schema 7), as ``summaries``
        gives it: the current summaries of the units holding those ``rows`` worst verdicts
        among the summaries the server and this client believe, and the keys of every partition
        of each unit that has a stale one (its verdicts are unknown: it is read whole). The head
        of the triage list of those units is then the head of the store's, as of one snapshot.
        Units whose codes are in ``skip`` (read whole already) are left out. ``None`` when more
        than ``most`` other units have a stale summary (reading them would take longer than
        waiting for every summary), or when the server does not order text by code point."""
        skip = sorted(set(skip))
        settings = self.settings()
        program, current = summaries.program_tag(), Jsonb(summaries.settings_key(settings))
        # As a screen believes a summary (``_summaries_in``, ``summaries.accept``), as far as
        # the server can tell.
        believed = ("s.year = p.year AND s.unit_code = p.unit_code AND s.rev = p.rev "
                    "AND s.alerts_kept AND s.program = %s AND s.settings = %s "
                    "AND octet_length(s.doc) <= %s")
        known = (program, current, summaries.MAX_BYTES)
        with self._read_lock, server_errors(self._user):
            conn = self._reading()
            with conn.transaction():
                # One snapshot: a unit written between the ranking and the list of stale units
                # would otherwise be in neither.
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                if conn.execute("SHOW server_encoding").fetchone()[0] != "UTF8":
                    return None           # COLLATE "C" is code-point order only in UTF-8
                stale = {code for (code,) in conn.execute(
                    "SELECT p.unit_code FROM jixiao.partitions p LEFT JOIN jixiao.summaries s "
                    "ON " + believed + " WHERE s.unit_code IS NULL", known)} - set(skip)
                if len(stale) > most:
                    return None
                # Ordered as tui.view.Browser.triage orders (the index alerts_worst). OFFSET 0
                # keeps the ordered scan the outer side of the join, so LIMIT ends it after
                # ``rows`` believed alerts (20 ms at 1M indicators; joined and sorted whole:
                # 200-300 ms).
                worst = {code for (code,) in conn.execute(
                    'SELECT a.unit_code FROM (SELECT * FROM jixiao.alerts ORDER BY severity, '
                    'ratio, unit_code COLLATE "C", year, pos OFFSET 0) a WHERE EXISTS (SELECT 1 '
                    "FROM jixiao.summaries s JOIN jixiao.partitions p ON " + believed
                    + " WHERE s.year = a.year AND s.unit_code = a.unit_code) "
                    "AND a.unit_code <> ALL (%s) LIMIT %s", (*known, skip, rows))}
                keys = [PartitionKey(y, c) for y, c in conn.execute(
                    "SELECT year, unit_code FROM jixiao.partitions WHERE unit_code = ANY (%s) "
                    "ORDER BY year, unit_code", (sorted(worst | stale),))]
                found, unread = (self._summaries_in(conn, keys, settings, stop) if keys
                                 else ({}, []))
        if any(key.unit_code not in stale for key in unread):
            # A summary the server ranked and this client does not believe (forged so that
            # only the server reads it): its ranks held places in the head.
            return None
        return summaries.by_whole_unit(found, unread)

    def note_summaries(self, found: dict) -> None:
        """Nothing to note: one indicator's history is a question to the server anyway."""

    def peek(self, keys: Iterable[PartitionKey]) -> tuple[Dataset, dict[PartitionKey, tuple]]:
        """Those partitions read whole, with the revision each was read at (its signature
        for ``save_summaries``), into a new dataset this store does not remember."""
        dataset = Dataset(settings=self.settings())
        sigs = {}
        for key, unit, rev, tables in self._read(keys):
            _merge(dataset, unit, tables)
            sigs[key] = (rev,)
        return dataset, sigs

    def signatures(self) -> dict[PartitionKey, tuple]:
        """The revision of every partition as the last ``load`` or ``refresh`` read it."""
        return {key: (rev,) for key, rev in self._revs.items()}

    def save_summaries(self, dataset: Dataset, evaluation, sigs: dict) -> int:
        """Store the summary of each partition in ``sigs`` (key → the revision ``dataset``
        holds it at) that has not changed since, from ``dataset`` and its ``evaluation`` at the
        stored monitoring date; how many were stored. Only the admin's, and an owner's of its
        own units, are taken (by the server too); nothing for other dates or settings."""
        settings, grants = self.settings(), self.grants()
        mine = [(key, sig) for key, sig in sigs.items()
                if rules.may_edit_unit(grants, self._user, key.unit_code)]
        stored = 0
        for at in range(0, len(mine), summaries.BATCH):   # ~3 MB a call at 200 indicators a unit
            rows = [(key.year, key.unit_code, sig[0], doc.decode("utf-8"))
                    for key, sig, doc in summaries.encoded(settings, dataset, evaluation,
                                                           dict(mine[at:at + summaries.BATCH]))]
            if rows:
                years, codes, revs, docs = map(list, zip(*rows))
                stored += self._query(
                    "SELECT jixiao.save_summaries(%s::int[], %s::text[], %s::bigint[], "
                    "%s::text[])", (years, codes, revs, docs))[0][0]
        return stored

    def refresh_summaries(self, keys: Iterable[PartitionKey] | None = None) -> int:
        """Make the summary of every partition (or of ``keys``) that this role may renew
        current, reading and evaluating only those whose summary is not; how many were
        stored."""
        grants = self.grants()
        stale = [key for key in self._summaries(None if keys is None else list(keys))[1]
                 if rules.may_edit_unit(grants, self._user, key.unit_code)]
        return summaries.renew(self, stale)

    # --- finding one thing -------------------------------------------------------------------
    def find_indicator(self, indicator_id: str) -> tuple[Indicator, Project]:
        """The indicator with ``indicator_id`` and its project (``JixiaoError`` if unknown)."""
        rows = self._query("SELECT i.doc, p.doc FROM jixiao.indicators i JOIN jixiao.projects p "
                           "ON p.id = i.project_id WHERE i.id = %s", (indicator_id,))
        if not rows:
            raise JixiaoError(said("db_no_indicator", id=indicator_id, db=self._where()))
        return Indicator.from_dict(rows[0][0]), Project.from_dict(rows[0][1])

    def find_project(self, project_id: str) -> Project:
        """The project with ``project_id`` (``JixiaoError`` if unknown)."""
        rows = self._query("SELECT doc FROM jixiao.projects WHERE id = %s", (project_id,))
        if not rows:
            raise JixiaoError(said("db_no_project", id=project_id, db=self._where()))
        return Project.from_dict(rows[0][0])

    def _where(self) -> Said:
        return Said(f" {self.url}", f"数据库 {self.url} ")

    def progress_history(self, indicator_id: str) -> list[ProgressEntry]:
        """Every progress entry of one indicator, by date then time of recording."""
        self.find_indicator(indicator_id)
        return sorted(pg_history.from_rows("progress", self._query(
            pg_history.one_query("progress"), (indicator_id,))), key=entry_order)

    def spending_history(self, project_id: str) -> list[SpendingEntry]:
        """The spending entries of one project, by date then time of recording."""
        self.find_project(project_id)
        return sorted(pg_history.from_rows("spending", self._query(
            pg_history.one_query("spending"), (project_id,))), key=entry_order)

    # --- appending history -------------------------------------------------------------------
    def record_progress(self, indicator_id: str, *, as_of: str, actual: str,
                        forecast: str | None = None, likelihood: str | None = None,
                        causes: tuple[str, ...] = (), measures: str | None = None,
                        note: str | None = None) -> ProgressEntry:
        """Append one progress entry (committed when this returns); the server stamps the
        author and time and refuses roles that may not edit the unit."""
        indicator, project = self.find_indicator(indicator_id)
        rules.require_unit(self.grants(), self._user, project.unit_code, "record progress")
        entry = progress_entry(indicator, project, self.settings(), self._user, as_of=as_of,
                               actual=actual, forecast=forecast, likelihood=likelihood,
                               causes=causes, measures=measures, note=note)
        stored = self._query("SELECT jixiao.record_progress(%s)",
                             (Jsonb(compact(entry.to_dict())),))[0][0]
        return ProgressEntry.from_dict(stored)

    def record_spending(self, project_id: str, *, as_of: str, spent: float,
                        note: str | None = None) -> SpendingEntry:
        """Append one spending entry (cumulative 万元 as of the date), committed on return."""
        project = self.find_project(project_id)
        rules.require_unit(self.grants(), self._user, project.unit_code, "record spending")
        entry = spending_entry(project, self._user, as_of=as_of, spent=spent, note=note)
        stored = self._query("SELECT jixiao.record_spending(%s)",
                             (Jsonb(compact(entry.to_dict())),))[0][0]
        return SpendingEntry.from_dict(stored)

    # --- readings of 指标值 (issue 12) -------------------------------------------------------
    def set_reading(self, indicator_id: str, override: ReadingOverride | None) -> Indicator:
        """Settle the reading of one indicator's 指标值 (admin only), or with ``None`` go back
        to the inferred reading; the server stamps who and when and writes the audit row."""
        indicator, _ = self.find_indicator(indicator_id)
        rules.require_admin(self.grants(), self._user, "change the reading of a target")
        if override is not None and override.text != indicator.target_text:
            raise JixiaoError(f"the 指标值 of {indicator_id} is {indicator.target_text!r}, not "
                              f"{override.text!r}; nothing was changed")
        what = "back to the inferred reading" if override is None else override.describe()
        what = (f"{indicator.name} [{indicator_id}] 指标值 {indicator.target_text!r}: {what}")
        reading = None if override is None else Jsonb(
            {k: v for k, v in override.to_dict().items() if k not in ("author", "at")})
        stored = self._query("SELECT jixiao.set_reading(%s, %s, %s, %s)",
                             (indicator_id, indicator.target_text, reading, what))[0][0]
        return Indicator.from_dict(stored)

    # The file store's: it only reads ``load``.
    readings = Store.readings

    # --- imports -----------------------------------------------------------------------------
    def apply_import(self, plan) -> dict[PartitionKey, str]:
        """Store an import plan from ``core.importing`` (admin only), as the file store does:
        partitions that would not change are not written; one audit row per changed one."""
        rules.require_admin(self.grants(), self._user, "import target tables")
        rows = [("unit", u.code, None, None, None, u.to_dict())
                for u in getattr(plan, "units", ())]
        rows += [("project", p.id, None, int(p.year), p.unit_code, p.to_dict())
                 for p in plan.projects]
        rows += [("indicator", i.id, i.project_id, None, None, compact(i.to_dict()))
                 for i in plan.indicators]
        rows += [("removed", i, None, None, None, None)
                 for i in getattr(plan, "removed_indicator_ids", ()) or ()]
        with self._lock, server_errors(self._user), self._conn.transaction(), \
                self._conn.cursor() as cur:
            self._stage(cur, rows)
            cur.execute("SELECT year, unit_code, summary FROM jixiao.import_staged()")
            written = {PartitionKey(y, c): s for y, c, s in cur.fetchall()}
        if written and not self.has_settings():
            year = int(getattr(plan, "year", None) or min(k.year for k in written))
            self.save_settings(_default_for(year))
        summaries.renew_quietly(self, list(written))
        return written

    def bulk_load(self, dataset: Dataset, *, what: str = "loaded") -> None:
        """Write a whole dataset into partitions the database does not have yet (admin only);
        the settings too when there are none. History keeps its authors and times."""
        rules.require_admin(self.grants(), self._user, "load data")
        keys = sorted({PartitionKey(int(p.year), p.unit_code) for p in dataset.projects.values()})
        for key in keys:
            if key.unit_code not in dataset.units:
                raise JixiaoError(said("db_unknown_unit", code=key.unit_code))

        def rows():
            for key in keys:
                y, c = key.year, key.unit_code
                yield "unit", c, None, y, c, dataset.units[c].to_dict()
            for p in dataset.projects.values():
                y, c = int(p.year), p.unit_code
                yield "project", p.id, None, y, c, p.to_dict()
                for i in dataset.indicators_of(p.id):
                    yield "indicator", i.id, p.id, y, c, compact(i.to_dict())

        def entries(table: str, owners):
            for owner in owners:
                y, c = int(owner.year), owner.unit_code
                for e in getattr(dataset, table).get(owner.id, ()):
                    yield y, c, e

        projects = list(dataset.projects.values())
        with self._lock, server_errors(self._user), self._conn.transaction(), \
                self._conn.cursor() as cur:
            self._stage(cur, rows())
            pg_history.stage(cur, "progress", entries("progress", (
                _Owner(i.id, p.year, p.unit_code)
                for p in projects for i in dataset.indicators_of(p.id))))
            pg_history.stage(cur, "spending", entries("spending", projects))
            self._let_owner_read(cur, "jx_progress", "jx_spending")
            cur.execute("SELECT jixiao.load_staged(%s)", (what,))
            # The revisions of what this transaction wrote, read inside it: after the commit
            # another session may write first, and a summary of this dataset sent with its
            # revision would then be believed.
            cur.execute("SELECT year, unit_code, rev FROM jixiao.partitions WHERE (year, "
                        "unit_code) IN (SELECT * FROM unnest(%s::int[], %s::text[]))",
                        ([k.year for k in keys], [k.unit_code for k in keys]))
            sigs = {PartitionKey(y, c): (r,) for y, c, r in cur.fetchall()}
        if not self.has_settings():
            self.save_settings(dataset.settings)
        summaries.renew_quietly(self, keys, dataset, sigs)

    def _stage(self, cur, rows) -> None:
        """COPY ``rows`` into this session's temporary table ``jx_stage``, which the import
        functions read (as the schema owner: given the right to, when that is someone else)."""
        cur.execute("CREATE TEMP TABLE jx_stage (seq bigserial, kind text, id text, ref text, "
                    "year int, unit_code text, doc jsonb) ON COMMIT DROP")
        with cur.copy("COPY jx_stage (kind, id, ref, year, unit_code, doc) FROM STDIN") as copy:
            for kind, id_, ref, year, code, doc in rows:
                copy.write_row((kind, id_, ref, year, code,
                                None if doc is None else json.dumps(doc, ensure_ascii=False)))
        cur.execute("CREATE INDEX ON jx_stage (kind, ref)")
        cur.execute("CREATE INDEX ON jx_stage (kind, id)")
        cur.execute("ANALYZE jx_stage")
        self._let_owner_read(cur, "jx_stage")

    def _let_owner_read(self, cur, *tables: str) -> None:
        owner = cur.execute("SELECT nspowner::regrole::text FROM pg_namespace "
                            "WHERE nspname = 'jixiao'").fetchone()[0]
        if owner != self._user:
            for table in tables:
                cur.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(sql.Identifier(table),
                                                                     sql.Identifier(owner)))

    # --- audit -------------------------------------------------------------------------------
    def log(self, unit: str | None = None, user: str | None = None,
            since: str | None = None) -> list[AuditEntry]:
        """Every change, oldest first, filtered by unit code, author and first day: the
        server's audit rows (imports, grants, settings) and the history entries."""
        if since is not None:
            since = iso_date(since, "since")
        entries = [AuditEntry(at, who, action, what, tuple(units))
                   for at, who, action, what, units in self._query(
                       "SELECT at, user_name, action, what, units FROM jixiao.audit ORDER BY seq")]
        keys = [k for k in self.partition_keys() if unit is None or k.unit_code == unit]
        for key, unit_obj, _, tables in self._read(keys) if keys else ():
            entries.extend(_history_entries(Partition(
                key, unit_obj, tables.get("projects", []), tables.get("indicators", []),
                tables.get("progress", []), tables.get("spending", []))))
        wanted = [e for e in entries if matches(e, unit=unit, user=user, since=since)]
        wanted.sort(key=chronological)
        return wanted


class _Owner(NamedTuple):
    """What a history entry belongs to, and the partition it goes in."""

    id: str
    year: int | str
    unit_code: str


def _merge(dataset: Dataset, unit: Unit, tables: dict) -> tuple[set[str], set[str]]:
    """Add one partition as read (``PgStore._read``) to ``dataset``; the ids of its projects
    and indicators (what ``PgStore._forget`` takes out again)."""
    projects, indicators = tables.get("projects", []), tables.get("indicators", [])
    dataset.projects.update((p.id, p) for p in projects)
    dataset.indicators.update((i.id, i) for i in indicators)
    pids, iids = {p.id for p in projects}, {i.id for i in indicators}
    for target, entries, owner in ((dataset.progress, tables.get("progress", []),
                                    "indicator_id"),
                                   (dataset.spending, tables.get("spending", []),
                                    "project_id")):
        grouped = pg_history.grouped(entries, owner)
        for history in grouped.values():
            if len(history) > 1 and not all(
                    a.as_of < b.as_of for a, b in zip(history, history[1:])):
                history.sort(key=entry_order)
        if owner == "indicator_id" and dataset.history_from is not None:
            grouped = {o: counting_from(h, dataset.history_from) for o, h in grouped.items()}
        target.update(grouped)
        (iids if owner == "indicator_id" else pids).update(grouped)
    dataset.units[unit.code] = unit
    dataset.invalidate()
    return pids, iids


_BATCH_ROWS = 32
"""Partitions a whole read fetches at a time (``_streamed``)."""


def _streamed(conn: psycopg.Connection, query, params, *, binary: bool = False):
    """The rows of ``query`` (one per partition) from a server-side cursor, ``_BATCH_ROWS``
    at a time: the client holds one batch of the result, not all of it (at 100k indicators
    the history arrays alone are tens of MB in the driver before any object is built)."""
    with conn.cursor(name="jixiao_read", binary=binary) as cur:
        cur.itersize = _BATCH_ROWS
        cur.execute(query, params)
        yield from cur
