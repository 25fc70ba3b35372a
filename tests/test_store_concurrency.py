"""Many writer processes at once, and writers killed with SIGKILL: nothing acknowledged is lost."""

from __future__ import annotations

import json
import os
import random
import signal
import time

from jixiao.store.layout import PartitionKey
from jixiao.store.repository import Store

PER_WRITER = 15


def _all_files_valid(store: Store) -> None:
    assert store.check() == []
    for path in store.layout.partition_files():
        json.loads(path.read_bytes())  # and each one is whole JSON


def test_eight_processes_on_the_same_unit_lose_nothing(filled_store, start_writer, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    project = ds.projects_of("301205")[0]
    targets = [i.id for i in ds.indicators_of(project.id)]
    procs = [start_writer(tmp_path / "d", "admin1", targets[n % len(targets)], PER_WRITER)
             for n in range(8)]
    acks = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        acks += [line.split()[1] for line in out.splitlines() if line.startswith("ack ")]
    assert len(acks) == 8 * PER_WRITER
    loaded = Store(tmp_path / "d", user="x").load()
    stored = [e.id for i in targets for e in loaded.progress.get(i, [])]
    assert sorted(stored) == sorted(acks)  # exactly these, none twice
    notes = {e.note for i in targets for e in loaded.progress.get(i, [])}
    assert notes == {f"admin1-{n}" for n in range(PER_WRITER)}
    raw = json.loads(store.layout.partition(PartitionKey(2023, "301205")).read_bytes())
    assert len(raw["progress"]) == 8 * PER_WRITER  # no document id reused
    _all_files_valid(store)


def test_eight_processes_on_different_units_lose_nothing(filled_store, first_indicator, start_writer, store_units, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    procs = [start_writer(tmp_path / "d", "admin1", first_indicator(ds, store_units[n % 3]), PER_WRITER)
             for n in range(8)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    loaded = Store(tmp_path / "d", user="x").load()
    counts = {u: len(loaded.progress.get(first_indicator(ds, u), [])) for u in store_units}
    assert counts == {store_units[0]: 3 * PER_WRITER, store_units[1]: 3 * PER_WRITER, store_units[2]: 2 * PER_WRITER}
    _all_files_valid(store)


def test_sigkill_at_random_moments_never_loses_an_acknowledged_entry(filled_store, first_indicator, start_writer, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    iid = first_indicator(ds, "301101")
    rng = random.Random(20230731)
    acked: set[str] = set()
    kills = 0
    for round_ in range(12):
        proc = start_writer(tmp_path / "d", "admin1", iid, 10_000)
        # Let it start (interpreter + imports), then kill it somewhere inside its writes.
        first = proc.stdout.readline()
        assert first.startswith("ack "), proc.stderr.read()
        acked.add(first.split()[1])
        deadline = time.monotonic() + rng.uniform(0.0, 0.25)
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line.startswith("ack "):
                acked.add(line.split()[1])
        os.kill(proc.pid, signal.SIGKILL)
        kills += 1
        rest, _ = proc.communicate(timeout=60)
        acked.update(line.split()[1] for line in rest.splitlines() if line.startswith("ack "))
        assert proc.returncode == -signal.SIGKILL
        # After every kill: every file opens and holds everything acknowledged so far.
        loaded = Store(tmp_path / "d", user="x").load()
        stored = {e.id for e in loaded.progress.get(iid, [])}
        assert acked <= stored, f"round {round_}: lost {acked - stored}"
        _all_files_valid(store)
    assert kills == 12 and len(acked) > 12
