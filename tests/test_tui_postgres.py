"""The TUI over the PostgreSQL store (issue 13 §5): another user's write reaches the screen
through LISTEN/NOTIFY, with no polling of the database."""

from __future__ import annotations

import asyncio
import threading

from jixiao.store.pg_errors import server_errors
from jixiao.store.postgres import PgStore
from jixiao.tui.app import JixiaoApp



async def test_another_users_write_arrives_by_notification(pg_url, small_dataset, loaded,
                                                             until, refreshes):
    admin = PgStore(pg_url, user="admin1")
    admin.bulk_load(small_dataset())
    admin.grant("own", "owner", ["301101"])
    admin.grant("mgr", "manager")
    iid = next(i.id for i in small_dataset().indicators.values()
               if i.name == "开展等保测评的系统数量")
    # Nothing is polled on PostgreSQL: the interval only bounds how long the listening worker
    # waits before it looks whether the screen is still there.
    app = JixiaoApp(PgStore(pg_url, user="mgr"), poll_interval=0.5)
    refreshed = refreshes
    async with app.run_test(size=(120, 36), message_hook=refreshed) as pilot:
        await loaded(pilot)
        await asyncio.sleep(1.0)
        assert refreshed == []  # no write, no refresh
        owner = PgStore(pg_url, user="own")
        entry = await asyncio.to_thread(owner.record_progress, iid, as_of="2023-07-31",
                                        actual="9个")
        await until(pilot, lambda: refreshed, timeout=10)
        assert refreshed[-1].foreign
        assert [e.id for e in refreshed[-1].dataset.progress[iid]] == [entry.id]
        assert any("其他用户" in n.message for n in app._notifications)


def test_wait_for_change_hears_a_write_and_times_out_without_one(pg_url, make_dataset,
                                                                 first_indicator):
    admin = PgStore(pg_url, user="admin1")
    admin.bulk_load(make_dataset())
    listener = PgStore(pg_url, user="admin1")
    assert listener.wait_for_change(0.2) is False
    admin.record_progress(first_indicator(admin.load(), "301205"), as_of="2023-07-31",
                          actual="12个")
    assert listener.wait_for_change(5) is True


async def test_quitting_cancels_the_servers_long_query(pg_url, small_dataset, until,
                                                      ended_soon):
    admin = PgStore(pg_url, user="admin1")
    admin.bulk_load(small_dataset())

    returned = threading.Event()

    class SlowServer(PgStore):
        """The complete load's query takes the server 30 s (1M indicators take seconds)."""

        def _read_with(self, conn, where, params, share, reuse, progress=None):
            if not where:
                try:
                    with server_errors(self.user):     # as the store's own queries run
                        conn.execute("SELECT pg_sleep(30)")
                finally:
                    returned.set()
            return super()._read_with(conn, where, params, share, reuse, progress)

    app = JixiaoApp(SlowServer(pg_url, user="admin1"))
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: app.monitor.browser is not None
                    and app.monitor.browser.complete)     # every unit, from the summaries
        await pilot.pause(0.5)                             # the server is in pg_sleep now
        await pilot.press("q")
    await ended_soon(returned)                    # not after the 30 s of the query


async def test_quitting_while_the_summaries_are_read_reads_nothing_more(pg_url, small_dataset,
                                                                        until, ended_soon, first_shown):
    admin = PgStore(pg_url, user="admin1")
    admin.bulk_load(small_dataset())
    returned, loads = threading.Event(), []

    class SlowSummaries(PgStore):
        """Reading the summaries takes the server 30 s; the complete loads are counted."""

        def _summaries(self, keys, stop=None, progress=None):
            if keys is None:
                try:
                    with server_errors(self.user):
                        self._reading().execute("SELECT pg_sleep(30)")
                finally:
                    returned.set()
            return super()._summaries(keys, stop, progress)

        def load(self, keys=None, **kwargs):
            if keys is None:
                loads.append(kwargs)
            return super().load(keys, **kwargs)

    app = JixiaoApp(SlowSummaries(pg_url, user="admin1"))
    async with app.run_test(size=(120, 36)) as pilot:
        await first_shown(pilot)
        await pilot.pause(0.5)                             # the server is in pg_sleep now
        assert not app.monitor.browser.complete
        await pilot.press("q")
    await ended_soon(returned)                             # not after the 30 s of the query
    await asyncio.sleep(0.5)
    assert loads == []                                     # and no complete load after it
