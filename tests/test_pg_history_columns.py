"""Schema version 4 keeps progress and spending history in real columns (issue 13): an older
database's entries move over whole when upgraded, history stays append-only, and the demo's
history (every optional field) goes in and out of PostgreSQL with byte-identical snapshots."""

from __future__ import annotations

import json
import uuid

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from jixiao.cli.main import main
from jixiao.core.errors import PermissionDenied
from jixiao.core.model import ProgressEntry, SpendingEntry
from jixiao.sample_data import load_sample
from jixiao.store import pg_schema
from jixiao.store.partition import compact
from jixiao.store.postgres import PgStore
from jixiao.store.repository import Store

STAMP = ["--as-of", "2023-07-31", "--generated-at", "2023-08-01T00:00:00+00:00"]


@pytest.fixture
def v3_url(pg_server):
    """A database at schema version 3 (history as JSONB documents), owned by admin1."""
    name = f"jxt_v3_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server, autocommit=True) as su:
        su.execute(sql.SQL("CREATE DATABASE {} OWNER admin1").format(sql.Identifier(name)))
    url = make_conninfo(dbname=name, host=conninfo_to_dict(pg_server)["host"], user="admin1")
    with psycopg.connect(url, autocommit=True) as conn:
        assert pg_schema.upgrade(conn, to=3) == [1, 2, 3]
    yield url
    with psycopg.connect(pg_server, autocommit=True) as su:
        su.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def _v3_write(conn, dataset) -> tuple[list[ProgressEntry], list[SpendingEntry]]:
    """The sample's units, projects and indicators, and its history recorded through schema
    3's own functions (as a jixiao of that version did); the entries as the server kept them."""
    units = {(int(p.year), p.unit_code) for p in dataset.projects.values()}
    with conn.transaction():
        for year, code in sorted(units):
            conn.execute("INSERT INTO jixiao.partitions VALUES (%s, %s, %s, 1)",
                         (year, code, json.dumps(dataset.units[code].to_dict())))
        for p in dataset.projects.values():
            conn.execute("INSERT INTO jixiao.projects (id, year, unit_code, doc) "
                         "VALUES (%s, %s, %s, %s)",
                         (p.id, int(p.year), p.unit_code, json.dumps(p.to_dict())))
            for i in dataset.indicators_of(p.id):
                conn.execute("INSERT INTO jixiao.indicators (id, project_id, year, unit_code, "
                             "doc) VALUES (%s, %s, %s, %s, %s)",
                             (i.id, p.id, int(p.year), p.unit_code,
                              json.dumps(compact(i.to_dict()))))
    progress = [ProgressEntry.from_dict(conn.execute(
        "SELECT jixiao.record_progress(%s)", (json.dumps(compact(e.to_dict())),)).fetchone()[0])
        for history in dataset.progress.values() for e in history]
    spending = [SpendingEntry.from_dict(conn.execute(
        "SELECT jixiao.record_spending(%s)", (json.dumps(compact(e.to_dict())),)).fetchone()[0])
        for history in dataset.spending.values() for e in history]
    return progress, spending


def _by_id(entries) -> dict:
    return {e.id: e for e in entries}


def test_an_upgrade_moves_every_entry_into_columns_and_keeps_the_rules(v3_url):
    dataset = load_sample()
    with psycopg.connect(v3_url, autocommit=True) as conn:
        progress, spending = _v3_write(conn, dataset)
        conn.execute("SELECT jixiao.set_grants(%s, %s, 'grant', 'x', '{}')", (json.dumps(
            [{"user": "admin1", "role": "admin", "units": []}]), json.dumps(
            [{"user": "admin1", "role": "admin"},
             {"user": "own", "role": "owner", "units": ["301205"]}]),))
    assert any(e.causes for e in progress) and any(e.spent % 1 for e in spending)
    assert main(["--db", v3_url, "db", "upgrade"]) == 0
    with psycopg.connect(v3_url) as conn:
        columns = {c for (c,) in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'jixiao' "
            "AND table_name = 'progress'")}
    assert "doc" not in columns and {"actual", "causes", "recorded_at"} <= columns
    store = PgStore(v3_url)
    loaded = store.load()
    assert _by_id(e for h in loaded.progress.values() for e in h) == _by_id(progress)
    assert _by_id(e for h in loaded.spending.values() for e in h) == _by_id(spending)
    iid = progress[0].indicator_id
    assert store.progress_history(iid) == sorted(
        (e for e in progress if e.indicator_id == iid), key=lambda e: (e.as_of, e.recorded_at))
    # The owner still reads (its privileges cover the new tables) and writes after the old
    # entries; nobody changes an entry, the schema owner included.
    owner = PgStore(v3_url.replace("user=admin1", "user=own"))
    ds = owner.load()
    mine = next(i for i in ds.indicators.values()
                if ds.projects[i.project_id].unit_code == "301205")
    before = owner.progress_history(mine.id)
    new = owner.record_progress(mine.id, as_of="2023-07-31", actual=mine.target_text.lstrip("≥≤<>="))
    assert _by_id(owner.progress_history(mine.id)) == _by_id([*before, new])
    with psycopg.connect(v3_url) as conn:
        newest = conn.execute("SELECT id FROM jixiao.progress ORDER BY seq DESC LIMIT 1")
        assert newest.fetchone()[0] == new.id
    with psycopg.connect(v3_url, autocommit=True) as conn:
        for statement in ("UPDATE jixiao.progress SET actual = 'x'", "DELETE FROM jixiao.spending",
                          "TRUNCATE jixiao.progress"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                conn.execute(statement)
    with pytest.raises(PermissionDenied):
        owner.record_progress(next(i.id for i in ds.indicators.values()
                                   if ds.projects[i.project_id].unit_code != "301205"),
                              as_of="2023-07-31", actual="1个")


def test_the_demos_history_copies_in_and_out_with_identical_snapshots(capsys, pg_url, tmp_path):
    url = pg_url + " user=admin1"
    source, back = tmp_path / "source", tmp_path / "back"
    Store(source, user="admin1").bulk_load(load_sample())
    assert main(["--db", url, "db", "copy", "--from", str(source)]) == 0
    assert main(["--db", url, "db", "copy", "--to", str(back)]) == 0
    for where, name in ((["--data", str(source)], "a"), (["--db", url], "b"),
                        (["--data", str(back)], "c")):
        assert main([*where, "snapshot", *STAMP, "-o", str(tmp_path / name)]) == 0
    snapshot = (tmp_path / "a").read_bytes()
    assert b"causes" in snapshot
    assert snapshot == (tmp_path / "b").read_bytes() == (tmp_path / "c").read_bytes()
    capsys.readouterr()
    original, copied = Store(source).load(), PgStore(url).load()
    assert copied.progress == original.progress and copied.spending == original.spending


def test_entries_are_grouped_by_owner_whether_or_not_they_come_together():
    from jixiao.store.pg_history import grouped

    entries = [SpendingEntry(f"S{n}", owner, "2023-03-31", n, "a", "t")
               for n, owner in enumerate(["P1", "P1", "P2", "P1"])]
    apart = grouped(entries, "project_id")
    assert {k: [e.id for e in v] for k, v in apart.items()} == {"P1": ["S0", "S1", "S3"],
                                                                "P2": ["S2"]}
    together = grouped(sorted(entries, key=lambda e: e.project_id), "project_id")
    assert {k: [e.id for e in v] for k, v in together.items()} == {"P1": ["S0", "S1", "S3"],
                                                                   "P2": ["S2"]}
