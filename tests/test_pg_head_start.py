"""The monitoring screen's head start on PostgreSQL (``store.head_start``): a child process
reads the first screen while the UI is imported; each answer is the store's own, given once.

``begin`` forks only a single-threaded process (as ``jixiao`` is when it starts), so each test
that needs the child runs in a fresh Python process, as the command does."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from jixiao.bench.generate import generate
from jixiao.store.head_start import begin
from jixiao.store.postgres import PgStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dataset():
    """Ten units of about 100 indicators, many red or amber."""
    return generate(1000, seed=3)


@pytest.fixture
def url(pg_url, dataset) -> str:
    """``dataset`` loaded by admin1 with every summary; ``mgr`` a manager, ``own`` owner of
    the first unit."""
    admin = PgStore(pg_url, user="admin1")
    admin.bulk_load(dataset)
    admin.grant("mgr", "manager")
    admin.grant("own", "owner", [min(dataset.units)])
    admin.close()
    return pg_url


_PRELUDE = """
def child_of(head):
    \"\"\"'reaped' once the head start's child is gone and reaped, else 'still ours'.\"\"\"
    import os
    try:
        os.waitpid(head._pid, os.WNOHANG)
    except ChildProcessError:
        return "reaped"
    return "still ours"
"""


def _fresh(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh Python process (``sys.argv[1:]`` = ``args``), after a helper
    ``child_of(head)``; the JSON object it prints last."""
    done = subprocess.run([sys.executable, "-c", _PRELUDE + textwrap.dedent(code), *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _superuser(pg_server: str, url: str) -> psycopg.Connection:
    user = conninfo_to_dict(pg_server)["user"]
    return psycopg.connect(url, user=user, autocommit=True)


def test_every_answer_is_the_one_the_store_gives(url):
    got = _fresh("""
        import json, sys
        from jixiao.store import summaries
        from jixiao.store.head_start import begin
        from jixiao.store.layout import first_keys

        head = begin(sys.argv[1])
        forked, ready = head is not None, head.ready()
        from jixiao.store.postgres import PgStore
        store = PgStore(sys.argv[1])
        listing = head.unit_listing()
        keys = first_keys(listing)
        mine, its = head.load(keys=keys), store.load(keys=keys)
        code = keys[0].unit_code
        lead = head.lead(summaries.LEAD_ROWS, skip={code}, most=summaries.FEW_STALE)
        print(json.dumps({
            "forked": forked, "ready": ready, "user": head.user,
            "same": {
                "user": head.user == store.user,
                "role": head.role() == store.role() == "manager",
                "can_report": head.can_report() == store.can_report(),
                "listing": listing == store.unit_listing(),
                "load": [mine.units, mine.projects, mine.indicators, mine.progress]
                        == [its.units, its.projects, its.indicators, its.progress],
                "can_edit_unit": head.can_edit_unit(code) == store.can_edit_unit(code),
                "lead": lead == store.lead(summaries.LEAD_ROWS, skip={code},
                                           most=summaries.FEW_STALE),
            },
            "first_unit": code, "indicators": len(mine.indicators),
            "lead_units": sorted(k.unit_code for k in lead[0]),
        }))
        """, url + " user=mgr")
    assert got["forked"] and got["ready"] and got["user"] == "mgr"
    assert all(got["same"].values()), got["same"]
    assert got["indicators"] > 0 and got["lead_units"]
    assert got["first_unit"] not in got["lead_units"]      # read whole already


def test_an_answer_is_given_once_then_the_store_is_asked(url, dataset):
    """What the child read is what the store said at start-up; asked again, the store says
    what it says now (a grant changed meanwhile)."""
    got = _fresh("""
        import json, sys
        from jixiao.store.head_start import begin

        head = begin(sys.argv[1])
        head.ready()
        from jixiao.store.postgres import PgStore
        admin = PgStore(sys.argv[2], user="admin1")
        admin.grant("mgr", "owner", [sys.argv[3]])     # after the child read the grants
        print(json.dumps({"first": head.role(), "again": head.role(),
                          "may_report": [head.can_report(), head.can_report()]}))
        """, url + " user=mgr", url, max(dataset.units))
    assert (got["first"], got["again"]) == ("manager", "owner")
    assert got["may_report"] == [True, False]


def test_every_other_operation_goes_to_the_processs_own_store(url, dataset):
    """A write through the head start is the account's own, audited in its name."""
    code = min(dataset.units)
    iid = next(i.id for p in dataset.projects_of(code) for i in dataset.indicators_of(p.id))
    got = _fresh("""
        import json, sys
        from jixiao.store.head_start import begin

        head = begin(sys.argv[1])
        head.ready()
        entry = head.record_progress(sys.argv[2], as_of="2023-07-31", actual="7.25",
                                     causes=("其他",), measures="加快进度")
        print(json.dumps({"author": entry.author}))
        """, url + " user=own", iid)
    assert got["author"] == "own"
    kept = PgStore(url, user="mgr").load().progress[iid]
    assert [(e.actual, e.author) for e in kept if e.actual == "7.25"] == [("7.25", "own")]


def test_a_child_that_cannot_read_leaves_the_error_to_the_store(pg_url, pg_server):
    """No database of that name: the child fails, the command opens the store itself and says
    what is wrong as without a head start — a message and status 2, no traceback."""
    host = conninfo_to_dict(pg_server)["host"]
    missing = f"postgresql:///jixiao_no_such_db?host={host}"
    got = _fresh("""
        import json, sys
        from jixiao.store.head_start import begin

        head = begin(sys.argv[1])
        print(json.dumps({"forked": head is not None, "ready": head.ready()}))
        """, missing)
    assert got == {"forked": True, "ready": False}
    done = subprocess.run([str(Path(sys.executable).with_name("jixiao")), "--db", missing],
                          capture_output=True, text=True, timeout=60, cwd=ROOT,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "jixiao_no_such_db" in done.stderr and "Traceback" not in done.stderr


def test_a_wait_for_the_lead_ends_when_the_screen_closes(url, pg_server):
    """The child's lead query is held up (a lock on the alerts); the screen closing stops the
    wait at once, and the child is gone: nothing is left running or unreaped."""
    with _superuser(pg_server, url) as su, su.transaction():
        su.execute("LOCK TABLE jixiao.alerts IN ACCESS EXCLUSIVE MODE")
        got = _fresh("""
            import json, sys, threading, time
            from jixiao.core.evaluator import Stopped
            from jixiao.store import summaries
            from jixiao.store.head_start import begin
            from jixiao.store.layout import first_keys

            head = begin(sys.argv[1])
            head.ready()
            code = first_keys(head.unit_listing())[0].unit_code
            closing = threading.Event()
            threading.Timer(0.5, closing.set).start()
            t = time.monotonic()
            try:
                head.lead(summaries.LEAD_ROWS, skip={code}, most=summaries.FEW_STALE,
                          stop=closing.is_set)
                outcome = "answered"
            except Stopped:
                outcome = "stopped"
            waited = time.monotonic() - t
            print(json.dumps({"outcome": outcome, "waited": waited, "child": child_of(head)}))
            """, url + " user=mgr")
        # The child cancelled its query before it went: no server process waits for the lock.
        assert _waiting_for_a_lock(su) == 0
    assert got["outcome"] == "stopped"
    assert got["waited"] < 2.0
    assert got["child"] == "reaped"


def _waiting_for_a_lock(su) -> int:
    """Server processes of this database waiting for a lock, after they had 2 s to go."""
    deadline = time.monotonic() + 2.0
    while True:
        n = su.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND wait_event_type = 'Lock'").fetchone()[0]
        if n == 0 or time.monotonic() > deadline:
            return n
        time.sleep(0.05)


def test_a_child_held_up_gives_way_to_the_usual_start(url, pg_server):
    """The unit list is locked: within the second the head start gives up, the child goes (its
    query cancelled) and the command opens its store as without one — its screen says it is
    loading rather than leaving the terminal blank."""
    with _superuser(pg_server, url) as su, su.transaction():
        su.execute("LOCK TABLE jixiao.partitions IN ACCESS EXCLUSIVE MODE")
        got = _fresh("""
            import json, sys, time
            from jixiao.store.head_start import begin

            head = begin(sys.argv[1])
            t = time.monotonic()
            ready = head.ready(timeout=0.5)
            waited = time.monotonic() - t
            print(json.dumps({"ready": ready, "waited": waited, "child": child_of(head)}))
            """, url + " user=mgr")
        assert _waiting_for_a_lock(su) == 0
    assert got["ready"] is False and got["child"] == "reaped"
    assert 0.5 <= got["waited"] < 2.0


def test_a_store_that_cannot_be_opened_later_is_said_on_the_screen(url, pg_server):
    """The child read the first stages; then the process's own connection is refused (here:
    the database's name no longer answers): the screen says so, as without a head start, and
    quitting gives the store's status — no stuck "…" counts."""
    host = conninfo_to_dict(pg_server)["host"]
    got = _fresh("""
        import asyncio, json, sys, time
        from jixiao.store.head_start import begin

        head = begin(sys.argv[1])
        head.ready()
        head.url = sys.argv[2]              # what the own store will try to open
        from jixiao.tui.app import JixiaoApp

        async def main():
            app = JixiaoApp(head)
            async with app.run_test(size=(120, 36)) as pilot:
                deadline = time.monotonic() + 30
                while app.failure is None and time.monotonic() < deadline:
                    await pilot.pause(0.05)
                failure = app.failure
                return {"failure": failure.message if failure else None,
                        "status": failure.exit_code if failure else None}

        print(json.dumps(asyncio.run(main())))
        """, url + " user=mgr", f"postgresql:///jixiao_gone_db?host={host}")
    assert got["failure"] and "jixiao_gone_db" in got["failure"]
    assert got["status"] == 2


def test_the_screen_over_a_head_start_shows_every_stage(url, dataset):
    got = _fresh("""
        import asyncio, json, sys, time
        from jixiao.store.head_start import begin

        head = begin(sys.argv[1])
        head.ready()
        from jixiao.tui.app import JixiaoApp

        async def main():
            app = JixiaoApp(head)
            seen = {}
            async with app.run_test(size=(120, 36)) as pilot:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    browser = app.monitor.browser
                    if browser is not None and browser.evaluation is not None:
                        seen.setdefault("first", app.monitor.query_one("#units").current.code)
                        if browser.lead:
                            seen["lead"] = True
                        if browser.complete:
                            break
                    await pilot.pause(0.02)
                seen["complete"] = bool(browser and browser.complete)
                seen["units"] = len(browser.dataset.units)
                await pilot.press("q")
            seen["child"] = child_of(head)
            return seen

        print(json.dumps(asyncio.run(main())))
        """, url + " user=mgr")
    assert got == {"first": min(dataset.units), "lead": True, "complete": True,
                   "units": len(dataset.units), "child": "reaped"}


def test_no_child_is_forked_beside_running_threads():
    """A child forked from a threaded process may inherit a lock another thread held, forever:
    then the command opens its store itself."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert begin("postgresql:///whatever") is None
    finally:
        stop.set()
        other.join()
