"""Progressive start-up: the first unit is on screen, coloured and usable before the rest of the
data directory is read; the complete state replaces it whole (DESIGN.md §8, §11; issue 5)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from jixiao.store.repository import Store
from jixiao.tui.app import JixiaoApp
from jixiao.tui.i18n import label, status_word
from jixiao.tui.widgets.vlist import VirtualList

pytestmark = pytest.mark.asyncio


@pytest.fixture
def held(small_dataset, tmp_path, held_store):
    """An admin's held store over ``small_dataset()`` (units 301101 and 301205)."""
    Store(tmp_path / "data", user="alice").bulk_load(small_dataset())
    # A store without summaries (as PostgreSQL): the start-up goes from the first unit to
    # everything (the middle stage they make possible is tested in test_tui_summaries).
    store = held_store(tmp_path / "data", user="alice")
    store.summaries = None
    return store


async def test_first_unit_shows_with_colours_before_the_rest_is_read(first_shown, indicators_pane, loaded, rows_text, held):
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36)) as pilot:
        await first_shown(pilot)
        assert held.held.is_set() and not app.monitor.browser.complete
        # every unit is listed; the one not read yet has its counts as "…", never as none
        units = rows_text(app.query_one("#units", VirtualList))
        assert any("301101" in line for line in units)
        line = next(line for line in units if "301205" in line)
        assert line.rstrip().endswith("…")
        # the first unit's projects and indicators, each with its status word
        shown = "\n".join(rows_text(indicators_pane(app)))
        for ind in app.monitor.dataset.indicators_of(app.monitor.project_id):
            status = app.monitor.browser.status(ind.id)
            assert status is not None
            assert ind.name[:4] in shown or ind.name.startswith("[")
            assert status_word(status.colour, "zh") in shown
        assert app.monitor.browser.rollup("units", "301101") is not None
        # interactive: moving to the unit still loading says so in the projects pane
        await pilot.press("down")
        await pilot.pause()
        assert app.monitor.unit_code == "301205"
        assert label("loading", "zh") in "\n".join(rows_text(app.query_one("#projects",
                                                                          VirtualList)))
        held.release.set()
        await loaded(pilot)
        # the complete state: counts known, the cursor still on the unit the user chose
        assert app.monitor.unit_code == "301205"
        assert app.monitor.browser.rollup("units", "301205") is not None
        assert "服务[次数]" in "\n".join(rows_text(indicators_pane(app)))


@pytest.mark.parametrize("key", ["r", "slash", "n"])
async def test_a_key_pressed_while_loading_waits_for_every_unit_and_is_never_lost(first_shown, indicators_pane, loaded, until, held, key):
    # an indicator behind in the unit that loads second: triage and n/N must reach it
    writer = Store(held.data_dir, user="alice")
    ds = writer.load()
    behind = next(i.id for i in ds.indicators.values() if i.target_text == "≥100次")
    assert ds.projects[ds.indicators[behind].project_id].unit_code == "301205"
    writer.record_progress(behind, as_of="2023-07-31", actual="1次", causes=("其他",),
                           measures="加快")
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await first_shown(pilot)
        await pilot.press(key)
        await pilot.pause()
        pane = indicators_pane(app)
        if key == "n":                                          # no list to wait in: it says so
            assert app.monitor.mode == "browse"
            assert any(n.message == label("loading", "zh") for n in app._notifications)
        else:
            # the list opens at once, saying what it waits for: no partial list passed off as all
            assert app.monitor.mode == ("triage" if key == "r" else "search")
            assert pane.rows == [] and pane.empty == label("loading", "zh")
        if key == "slash":
            app.monitor.query_one("#search").value = "等保"    # typed while it loads
        held.release.set()
        await loaded(pilot)
        browser = app.monitor.browser
        if key == "r":
            await until(pilot, lambda: behind in pane.rows and pane.rows == browser.triage())
            assert len(pane.rows) == sum(s.colour in ("red", "amber")
                                         for s in browser.evaluation.indicators.values())
            assert pane.empty == label("triage_empty", "zh")
        elif key == "slash":
            await until(pilot, lambda: pane.rows == browser.search("等保") != [])
        else:
            await until(pilot, lambda: app.monitor.current_indicator() is not None and
                        app.monitor.current_indicator().id == behind)


async def test_a_write_during_the_second_stage_is_kept(first_shown, loaded, until, held):
    held.read_first = True                              # the files are read before the write
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36)) as pilot:
        await first_shown(pilot)
        await until(pilot, lambda: held.held.is_set())
        iid = {i.name: i.id for i in app.monitor.dataset.indicators.values()}["开展等保测评的系统数量"]
        entry = await asyncio.to_thread(app.monitor.sync.write_progress, iid, as_of="2023-07-31",
                                        actual="8个")
        await until(pilot, lambda: any(e.id == entry.id
                                       for e in app.monitor.dataset.progress.get(iid, ())))
        held.release.set()
        await loaded(pilot)
        # the complete state came from files read before the write; it must still hold it
        assert any(e.id == entry.id for e in app.monitor.dataset.progress.get(iid, ()))
        assert app.monitor.browser.status(iid) is not None


async def test_each_n_pressed_while_loading_counts(first_shown, loaded, until, held):
    writer = Store(held.data_dir, user="alice")
    ds = writer.load()
    for target, actual in (("≥8个", "1个"), ("≥100次", "1次")):
        iid = next(i.id for i in ds.indicators.values() if i.target_text == target)
        writer.record_progress(iid, as_of="2023-07-31", actual=actual, causes=("其他",),
                               measures="加快")
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36)) as pilot:
        await first_shown(pilot)
        start = app.monitor.current_indicator().id
        await pilot.press("n", "n")
        held.release.set()
        await loaded(pilot)
        browser = app.monitor.browser
        second = browser.next_alert(browser.next_alert(start, 1), 1)
        assert second != browser.next_alert(start, 1)        # two alerts to tell apart
        await until(pilot, lambda: app.monitor.current_indicator().id == second)
