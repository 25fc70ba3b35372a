"""Unit summaries in PostgreSQL (table ``jixiao.summaries``): the file store's start-up aid with
the server deciding who may send one — the admin, or an owner for its own units — believed only
at the partition's current revision, and shown by the TUI before any history is read."""

from __future__ import annotations

import threading

import psycopg
import pytest

from jixiao.core.evaluator import evaluate
from jixiao.store import summaries
from jixiao.store.postgres import PgStore
from jixiao.tui.app import JixiaoApp

OWN, OTHER = "301205", "301101"


@pytest.fixture
def url(pg_url, small_dataset) -> str:
    """A database holding ``small_dataset()`` (units 301101 and 301205) loaded by admin1, with
    a manager ``mgr`` and ``own``, owner of 301205."""
    admin = PgStore(pg_url, user="admin1")
    admin.bulk_load(small_dataset())
    admin.grant("admin1", "admin")
    admin.grant("mgr", "manager")
    admin.grant("own", "owner", [OWN])
    admin.close()
    return pg_url


def _record_in_both(url: str) -> dict:
    """A progress entry in each unit, by the admin (both summaries go stale); code → id."""
    admin = PgStore(url, user="admin1")
    ds = admin.load()
    ids = {}
    for code in (OWN, OTHER):
        iid = next(i.id for p in ds.projects_of(code) for i in ds.indicators_of(p.id))
        admin.record_progress(iid, as_of="2023-07-31", actual="1", causes=("其他",),
                              measures="加快")
        ids[code] = iid
    return ids


def _stale(url: str) -> list[str]:
    return [k.unit_code for k in PgStore(url, user="admin1").summaries()[1]]


def test_a_load_stores_a_summary_per_partition_with_the_full_evaluations_colours(url):
    store = PgStore(url, user="mgr")
    found, stale = store.summaries()
    assert stale == [] and sorted(k.unit_code for k in found) == [OTHER, OWN]
    full = store.load()
    ev = evaluate(full)
    for summary in found.values():
        assert summary.projects == full.projects_of(summary.unit.code)
        for ind in summary.indicators:
            assert ind == full.indicators[ind.id]
            assert summary.statuses[ind.id] == ev.indicators[ind.id]


def test_a_write_makes_its_unit_stale_and_an_owner_renews_its_own_unit_only(url):
    _record_in_both(url)
    assert _stale(url) == [OTHER, OWN]
    assert PgStore(url, user="mgr").refresh_summaries() == 0        # a manager sends none
    assert PgStore(url, user="own").refresh_summaries() == 1
    assert _stale(url) == [OTHER]
    with psycopg.connect(url, user="admin1") as conn:
        assert conn.execute("SELECT author FROM jixiao.summaries WHERE unit_code = %s",
                            (OWN,)).fetchone() == ("own",)          # stamped by the server
    assert PgStore(url, user="admin1").refresh_summaries() == 1
    assert _stale(url) == []


def test_a_summary_made_before_a_write_is_not_stored(url):
    store = PgStore(url, user="admin1")
    ds = store.load()
    sigs = store.signatures()
    _record_in_both(url)                       # both partitions move on meanwhile
    assert store.save_summaries(ds, evaluate(ds), sigs) == 0
    assert _stale(url) == [OTHER, OWN]


def test_a_change_of_monitoring_date_makes_every_summary_stale(url):
    from dataclasses import replace

    admin = PgStore(url, user="admin1")
    admin.save_settings(replace(admin.settings(), as_of="2023-09-30"))
    assert admin.summaries()[0] == {}
    assert admin.refresh_summaries() == 2 and admin.summaries()[1] == []


def test_summaries_of_another_program_are_not_believed(url, monkeypatch):
    monkeypatch.setattr(summaries, "program_tag", lambda: "another program")
    assert PgStore(url, user="mgr").summaries()[0] == {}


def test_an_owner_can_neither_send_nor_write_a_summary_of_another_unit(url):
    with psycopg.connect(url, user="own", autocommit=True) as conn:
        before = conn.execute("SELECT unit_code, rev, doc FROM jixiao.summaries "
                              "ORDER BY 1").fetchall()
        year, rev = conn.execute("SELECT year, rev FROM jixiao.partitions WHERE unit_code = %s",
                                 (OTHER,)).fetchone()
        # through the function: skipped, not stored
        assert conn.execute("SELECT jixiao.save_summaries(%s, %s, %s, %s)",
                            ([year], [OTHER], [rev], ['{"forged": 1}'])).fetchone() == (0,)
        # around it: refused by the server
        for statement in ("UPDATE jixiao.summaries SET doc = '{}'",
                          "DELETE FROM jixiao.summaries",
                          "INSERT INTO jixiao.summaries SELECT year, unit_code, rev, doc, "
                          "'own', made_at FROM jixiao.summaries"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        assert conn.execute("SELECT unit_code, rev, doc FROM jixiao.summaries "
                            "ORDER BY 1").fetchall() == before


def test_a_forged_summary_of_an_owners_own_unit_names_its_author(url):
    """What an owner can do: mislead about its own unit until the partition next changes —
    as its own entries could — with its name on the row."""
    with psycopg.connect(url, user="own", autocommit=True) as conn:
        year, rev = conn.execute("SELECT year, rev FROM jixiao.partitions WHERE unit_code = %s",
                                 (OWN,)).fetchone()
        assert conn.execute("SELECT jixiao.save_summaries(%s, %s, %s, %s)",
                            ([year], [OWN], [rev], ["not a summary"])).fetchone() == (1,)
        assert _stale(url) == [OWN]
        # nested to exhaust a reader's parser: not believed either, and no reader fails
        assert conn.execute("SELECT jixiao.save_summaries(%s, %s, %s, %s)",
                            ([year], [OWN], [rev], ["[" * 100_000 + "]" * 100_000])
                            ).fetchone() == (1,)
        assert conn.execute("SELECT author FROM jixiao.summaries WHERE unit_code = %s",
                            (OWN,)).fetchone() == ("own",)
    assert _stale(url) == [OWN]                # and a damaged one is simply not believed


class _HeldPgStore(PgStore):
    """A PostgreSQL store whose complete ``load`` waits for ``release``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.release, self.held = threading.Event(), threading.Event()

    def load(self, keys=None, **kwargs):
        if keys is None:
            self.held.set()
            self.release.wait(30)
        return super().load(keys, **kwargs)


@pytest.mark.asyncio
async def test_a_manager_sees_every_units_colours_from_the_summaries_before_the_histories(
        url, until, loaded, indicators_pane):
    ids = _record_in_both(url)
    assert PgStore(url, user="admin1").refresh_summaries() == 2
    held = _HeldPgStore(url, user="mgr")
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: app.monitor.browser is not None
                    and app.monitor.browser.complete
                    and app.monitor.browser.evaluation is not None)
        await until(pilot, held.held.is_set)       # the histories are being read, not yet in
        browser = app.monitor.browser
        assert not browser.whole and browser.summarized == {OWN}
        full = evaluate(PgStore(url, user="mgr").load())
        assert browser.evaluation.indicators == full.indicators
        assert full.indicators[ids[OWN]].colour == "red"
        await pilot.press("r")
        await pilot.pause()
        assert app.monitor.mode == "triage" and ids[OWN] in indicators_pane(app).rows
        held.release.set()
        await loaded(pilot)
        assert app.monitor.browser.whole


@pytest.mark.asyncio
async def test_an_owners_screen_renews_the_summary_of_the_unit_it_records_in(
        url, until, loaded, record_through_the_form):
    app = JixiaoApp(PgStore(url, user="own"), poll_interval=0.5)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        iid = await record_through_the_form(pilot, "服务[次数]", "100次")
        # the write made the summary stale; the screen's echo of it renews it
        await until(pilot, lambda: OWN not in _stale(url), timeout=10)
    found = PgStore(url, user="mgr").summaries()[0]
    summary = next(s for k, s in found.items() if k.unit_code == OWN)
    assert summary.statuses[iid].colour == "green"


def test_jixiao_record_and_spend_renew_the_summary_of_their_unit(url, capsys):
    from psycopg.conninfo import make_conninfo

    from jixiao.cli.main import main

    ds = PgStore(url, user="own").load()
    project = ds.projects_of(OWN)[0]
    iid = ds.indicators_of(project.id)[0].id
    as_owner = make_conninfo(url, user="own")
    assert main(["--db", as_owner, "record", iid, "--actual", "100次",
                 "--as-of", "2023-07-31"]) == 0
    assert _stale(url) == []
    assert main(["--db", as_owner, "spend", project.id, "--spent", "1",
                 "--as-of", "2023-07-31"]) == 0
    assert _stale(url) == []
    # the rev moved twice; the summary followed it
    with psycopg.connect(url, user="admin1") as conn:
        assert conn.execute("SELECT s.rev = p.rev FROM jixiao.summaries s JOIN jixiao.partitions "
                            "p USING (year, unit_code) WHERE unit_code = %s",
                            (OWN,)).fetchone() == (True,)


def test_a_summary_larger_than_a_reader_takes_is_not_even_fetched(url, monkeypatch):
    """An owner may send a summary of any size for its own unit; a screen fetches none larger
    than the file store would read (``summaries.MAX_BYTES``, here made tiny)."""
    assert _stale(url) == []
    monkeypatch.setattr(summaries, "MAX_BYTES", 100)
    assert _stale(url) == [OTHER, OWN]
