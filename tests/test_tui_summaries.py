"""A start-up's middle stage: every unit listed, counted and coloured from the store's summaries
while the histories still load, so triage, search and n/N answer for everything at once; what
needs a history waits for it and is never lost."""

from __future__ import annotations

import threading

import pytest

from jixiao.core.evaluator import evaluate
from jixiao.store.repository import Store
from jixiao.tui.app import JixiaoApp
from jixiao.tui.i18n import label
from jixiao.tui.widgets.vlist import VirtualList

pytestmark = pytest.mark.asyncio


@pytest.fixture
def behind(small_dataset, tmp_path) -> str:
    """A store over ``small_dataset()`` whose 301205 indicator is recorded far behind (red),
    its summaries made; the indicator's id."""
    store = Store(tmp_path / "data", user="alice")
    store.bulk_load(small_dataset())
    ds = store.load()
    iid = next(i.id for i in ds.indicators.values() if i.target_text == "≥100次")
    store.record_progress(iid, as_of="2023-07-31", actual="1次", causes=("其他",),
                          measures="加快")
    store.refresh_summaries()
    return iid


@pytest.fixture
def held(behind, tmp_path, held_store):
    """An admin's store over that directory whose complete load waits for ``release``."""
    return held_store(tmp_path / "data", user="alice")


async def _middle(pilot, until) -> JixiaoApp:
    app = pilot.app
    await until(pilot, lambda: app.monitor.browser is not None
                and app.monitor.browser.complete and app.monitor.browser.evaluation is not None)
    await pilot.pause()
    return app


async def test_every_unit_is_coloured_before_any_history_but_the_first_is_read(held, behind, until, indicators_pane, rows_text, loaded):
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36)) as pilot:
        await _middle(pilot, until)
        browser = app.monitor.browser
        assert held.held.is_set() and not browser.whole and browser.summarized == {"301205"}
        # the summarized unit's colours are those a full evaluation gives
        full = evaluate(Store(held.data_dir, user="alice").load())
        assert browser.evaluation.indicators == full.indicators
        assert browser.evaluation.units == full.units
        # counts in the units pane, not "…"
        line = next(line for line in rows_text(app.query_one("#units", VirtualList))
                    if "301205" in line)
        assert not line.rstrip().endswith("…")
        # triage over every unit: the red indicator of the unit not read yet is in it
        await pilot.press("r")
        await pilot.pause()
        pane = indicators_pane(app)
        assert app.monitor.mode == "triage" and behind in pane.rows
        assert pane.rows == [iid for iid in browser.order()
                             if full.indicators[iid].colour in ("red", "amber")
                             and iid in pane.rows] or sorted(pane.rows) == sorted(
            iid for iid, s in full.indicators.items() if s.colour in ("red", "amber"))
        # Enter shows it in context, its history read from its own file
        pane.move_to(pane.rows.index(behind))
        await pilot.press("enter")
        await pilot.pause()
        assert app.monitor.unit_code == "301205" and app.monitor.current_indicator().id == behind
        data = app.monitor.detail_data(app.monitor.current_indicator())
        assert [e.actual for e in data.history] == ["1次"] and data.counting.actual == "1次"
        held.release.set()
        await loaded(pilot)
        assert app.monitor.browser.whole and app.monitor.current_indicator().id == behind


@pytest.mark.parametrize("key", ["slash", "n"])
async def test_search_and_next_alert_reach_a_summarized_unit(held, behind, until, indicators_pane, key):
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36)) as pilot:
        await _middle(pilot, until)
        await pilot.press(key)
        if key == "slash":
            await pilot.press(*"服务")
            await pilot.pause()
            hits = indicators_pane(app).rows
            assert any(h.indicator_id == behind for h in hits)
        else:
            await pilot.pause()
            assert app.monitor.current_indicator().id == behind
        assert not app.monitor.browser.whole          # all of it before the histories
        held.release.set()


async def test_recording_in_a_summarized_unit_reads_that_unit_at_once_then_opens(held, behind, until, loaded):
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await _middle(pilot, until)
        app.monitor.jump_to(behind)
        await pilot.pause()
        await pilot.press("e")
        # that unit is read whole at once: the form opens on its history, not on a colour
        # without one, while every other unit's history is still held back
        await until(pilot, lambda: type(app.screen).__name__ == "RecordProgressScreen")
        assert held.held.is_set() and not held.release.is_set()
        assert "301205" not in app.monitor.browser.summarized
        assert app.monitor.dataset.counting_progress(behind, "2023-07-31").actual == "1次"
        assert app.monitor.browser.status(behind).colour == "red"
        held.release.set()
        await pilot.press("escape")
        await loaded(pilot)


async def test_a_change_of_date_waits_for_every_history(held, until, loaded):
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await _middle(pilot, until)
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is app.monitor            # waits: colours at another date need them
        held.release.set()
        await loaded(pilot)
        await until(pilot, lambda: type(app.screen).__name__ == "DateScreen")


async def test_a_stale_summary_is_read_whole_at_start_up_and_renewed(behind, tmp_path, held_store, until, loaded):
    writer = Store(tmp_path / "data", user="alice")
    ds = writer.load()
    iid = next(i.id for i in ds.indicators.values() if i.target_text == "≥8个")
    writer.record_progress(iid, as_of="2023-07-31", actual="1个", causes=("其他",),
                           measures="加快")
    assert [k.unit_code for k in writer.summaries()[1]] == ["301101"]
    # the first unit is read whole anyway; the second one's stale summary is the test
    writer.record_progress(behind, as_of="2023-07-31", actual="2次", causes=("其他",),
                           measures="加快")
    held = held_store(tmp_path / "data", user="alice")
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36)) as pilot:
        await _middle(pilot, until)
        browser = app.monitor.browser
        # read whole, not summarized: its new entry counts
        assert "301205" not in browser.summarized
        assert browser.status(behind).colour == "red"
        assert app.monitor.dataset.progress[behind][-1].actual == "2次"
        held.release.set()
        await loaded(pilot)
        await until(pilot, lambda: Store(tmp_path / "data", user="alice").summaries()[1] == [])


async def test_a_unit_with_a_stale_and_a_current_year_is_read_whole(small_dataset, second_year, tmp_path, held_store, until, loaded):
    """Unit 301205 has a 2022 partition with a current summary and a 2023 one written since its
    summary: the middle stage reads both years whole (half from a summary, half from records
    would lose a year's projects and ask for verdicts no summary gave)."""
    ds = second_year(small_dataset(), "301205")
    project = next(p for p in ds.projects_of("301205") if p.year == 2023)
    writer = Store(tmp_path / "data", user="alice")
    writer.bulk_load(ds)
    iid = ds.indicators_of(project.id)[0].id
    writer.record_progress(iid, as_of="2023-07-31", actual="2次", causes=("其他",),
                           measures="加快")
    assert [(k.year, k.unit_code) for k in writer.summaries()[1]] == [(2023, "301205")]
    held = held_store(tmp_path / "data", user="alice")
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36)) as pilot:
        await _middle(pilot, until)
        browser = app.monitor.browser
        assert "301205" not in browser.summarized
        assert {p.year for p in app.monitor.dataset.projects_of("301205")} == {2022, 2023}
        assert browser.evaluation.indicators.keys() >= ds.indicators.keys()
        held.release.set()
        await loaded(pilot)


async def test_a_summarized_unit_the_cursor_rests_on_is_read_and_shows_its_values(held, behind, until, rows_text, indicators_pane):
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36)) as pilot:
        await _middle(pilot, until)
        await pilot.press("down")                   # onto 301205, known from its summary only
        await pilot.pause()
        assert app.monitor.unit_code == "301205"
        line = next(line for line in rows_text(indicators_pane(app)) if "服务[次数]" in line)
        assert "…" in line and "1次" not in line   # being read, not shown as never recorded
        await until(pilot, lambda: "301205" not in app.monitor.browser.summarized)
        await pilot.pause()
        line = next(line for line in rows_text(indicators_pane(app)) if "服务[次数]" in line)
        assert "1次" in line
        assert held.held.is_set() and not held.release.is_set()   # that unit only
        held.release.set()


async def test_quitting_while_the_histories_load_does_not_wait_for_them(behind, tmp_path, until, ended_soon):
    import time

    returned = threading.Event()

    class SlowStore(Store):
        """Its complete load reads a file every 50 ms for half a minute."""

        def load(self, keys=None, *, progress=None, **kwargs):
            if keys is None and progress is not None:
                try:
                    for n in range(600):
                        time.sleep(0.05)
                        progress(n, 600)
                finally:
                    returned.set()
            return super().load(keys, progress=progress, **kwargs)

    app = JixiaoApp(SlowStore(tmp_path / "data", user="alice"))
    async with app.run_test(size=(120, 36)) as pilot:
        await _middle(pilot, until)
        await pilot.pause(0.3)                    # the histories are loading now
        await pilot.press("q")
    await ended_soon(returned)                    # not after the 30 s the load would take


async def test_what_is_typed_while_a_form_waits_for_its_unit_goes_into_it(held, behind, until):
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36)) as pilot:
        await _middle(pilot, until)
        app.monitor.sync.take_whole = lambda code: None          # the unit is read late …
        app.monitor.jump_to(behind)
        await pilot.pause()
        # e and the value in one read, as a slow SSH link delivers them, before the unit is in
        # — letters bound on the screen (q quits, d dates, x exports, s spends, t settles)
        # included: they are typed for the form too
        await pilot.press("e", "4", "5", "q", "d", "x", "s", "t")
        assert app.screen is app.monitor and app.is_running
        del app.monitor.sync.take_whole                          # … now
        app.monitor.sync.take_whole("301205")
        await until(pilot, lambda: type(app.screen).__name__ == "RecordProgressScreen")
        await until(pilot, lambda: app.screen.query_one("#actual").value == "45qdxst")
        assert app.screen.indicator.id == behind
        held.release.set()


async def test_a_waiting_form_opens_on_the_row_its_key_was_pressed_on_and_esc_gives_it_up(held, behind, until, indicators_pane):
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await _middle(pilot, until)
        app.monitor.sync.take_whole = lambda code: None          # the unit is read late …
        app.monitor.jump_to(behind)
        await pilot.pause()
        await pilot.press("e")
        await pilot.press("escape")                              # given up: no form later
        assert app.monitor._waiting is None
        assert any(n.message == label("wait_cancelled", "zh") for n in app._notifications)
        await pilot.press("e")
        app.monitor.query_one("#units", VirtualList).move_to(0)  # the cursor moves on …
        await pilot.pause()
        del app.monitor.sync.take_whole
        app.monitor.sync.take_whole("301205")
        await until(pilot, lambda: type(app.screen).__name__ == "RecordProgressScreen")
        assert app.screen.indicator.id == behind                 # … the form is still behind's
        held.release.set()


async def test_down_and_e_read_together_record_in_the_unit_moved_to(small_dataset, tmp_path, loaded):
    Store(tmp_path / "d", user="alice").bulk_load(small_dataset())
    app = JixiaoApp(Store(tmp_path / "d", user="alice"))
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        assert app.monitor.unit_code == "301101"
        # one read: the cursor's message is not handled when e acts
        app.monitor.query_one("#units", VirtualList).move_to(1)
        app.monitor.action_record()
        await pilot.pause()
        assert app.monitor.unit_code == "301205"
        assert type(app.screen).__name__ == "RecordProgressScreen"
        assert app.screen.indicator.name == "服务[次数]"


@pytest.mark.parametrize("key", ["r", "n"])
async def test_a_move_and_a_list_key_read_together_keep_the_list(small_dataset, tmp_path, loaded, key):
    Store(tmp_path / "d", user="alice").bulk_load(small_dataset())
    app = JixiaoApp(Store(tmp_path / "d", user="alice"))
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        # one read: ↓ then r (or n); the cursor's message is handled after the key's action
        app.monitor.query_one("#units", VirtualList).move_to(1)
        if key == "r":
            app.monitor.action_triage()
        else:
            app.monitor.action_next_alert(1)
        await pilot.pause()
        if key == "r":
            assert app.monitor.mode == "triage"          # not undone by the move's message
        else:
            assert app.monitor.current_indicator() is not None
            assert app.monitor.unit_code == app.monitor.browser.locate(
                app.monitor.current_indicator().id)[0]


async def test_a_move_in_the_triage_list_handled_after_leaving_it_is_ignored(behind, tmp_path, loaded, indicators_pane):
    app = JixiaoApp(Store(tmp_path / "data", user="alice"))
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("r")
        await pilot.pause()
        pane = indicators_pane(app)
        assert app.monitor.mode == "triage" and len(pane.rows) >= 1
        # one read: a move in the triage list, then r back; the move's message comes last
        pane.post_message(pane.Highlighted(pane, 0, pane.rows[0]))
        app.monitor.action_triage()
        await pilot.pause()
        assert app.monitor.mode == "browse" and app.is_running
        assert app.monitor.current_indicator() is not None


async def test_keys_typed_in_one_burst_across_tab_go_to_their_own_fields(small_dataset, tmp_path, loaded, until):
    from textual import events

    Store(tmp_path / "d", user="alice").bulk_load(small_dataset())
    app = JixiaoApp(Store(tmp_path / "d", user="alice"))
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("e")                   # on 开展等保测评的系统数量 (≥8个)
        await until(pilot, lambda: type(app.screen).__name__ == "RecordProgressScreen")
        await pilot.pause()
        actual = app.screen.query_one("#actual")
        # all in the field's queue before Tab has moved the focus on, as a fast typist's are
        for key, character in (("9", "9"), ("tab", None), ("1", "1"), ("2", "2")):
            actual.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert actual.value == "9"
        assert app.screen.query_one("#forecast").value == "12"


async def test_the_screen_that_records_renews_that_units_summary(small_dataset, tmp_path, loaded, until, record_through_the_form):
    store = Store(tmp_path / "data", user="alice")
    store.bulk_load(small_dataset())
    app = JixiaoApp(Store(tmp_path / "data", user="alice"), poll_interval=0.2)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        iid = await record_through_the_form(pilot, "服务[次数]", "100次")
        await until(pilot, lambda: store.summaries()[1] == [], timeout=10)
    found = store.summaries()[0]
    assert next(s for k, s in found.items() if k.unit_code == "301205").statuses[iid].colour == "green"


async def test_quitting_while_the_summaries_are_read_does_not_wait_for_them(behind, tmp_path, until, ended_soon, first_shown):
    import time

    returned = threading.Event()

    class SlowSummaries(Store):
        """Reading each unit's summary takes 5 s — unless the screen says stop."""

        def summaries(self, *, stop=None, **kwargs):
            def slow() -> bool:
                for _ in range(100):
                    if stop is not None and stop():
                        return True
                    time.sleep(0.05)
                return False
            try:
                return super().summaries(stop=slow, **kwargs)
            finally:
                returned.set()

    app = JixiaoApp(SlowSummaries(tmp_path / "data", user="alice"))
    async with app.run_test(size=(120, 36)) as pilot:
        await first_shown(pilot)
        await pilot.pause(0.3)                    # the summaries are being read now
        assert not app.monitor.browser.complete
        await pilot.press("q")
    await ended_soon(returned)                    # not after the 10 s the summaries would take


async def test_triage_pressed_while_the_summaries_are_read_says_how_far_they_are(behind, tmp_path, until, indicators_pane, first_shown):
    import time

    class SlowSummaries(Store):
        """Reading each unit's summary takes a second."""

        def summaries(self, *, stop=None, **kwargs):
            def slow() -> bool:
                time.sleep(1.0)
                return stop is not None and stop()
            return super().summaries(stop=slow, **kwargs)

    app = JixiaoApp(SlowSummaries(tmp_path / "data", user="alice"))
    async with app.run_test(size=(120, 36)) as pilot:
        await first_shown(pilot)
        await pilot.press("r")
        await until(pilot, lambda: "/2 个单位文件" in indicators_pane(app).empty)
        assert app.monitor.mode == "triage" and not app.monitor.browser.complete
        await until(pilot, lambda: app.monitor.browser.complete, timeout=10)
        await pilot.pause()
        assert behind in indicators_pane(app).rows          # the list filled in


async def test_what_is_typed_after_enter_is_not_saved_with_the_field(small_dataset, tmp_path, loaded, until):
    """``5 Enter 6`` typed in one burst saves 5: Enter takes the form as it is when pressed,
    though the 6 reaches the field before the form has handled the Enter."""
    from textual import events

    Store(tmp_path / "d", user="alice").bulk_load(small_dataset())
    app = JixiaoApp(Store(tmp_path / "d", user="alice"))
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        iid = app.monitor.current_indicator().id
        await pilot.press("e")                   # on 开展等保测评的系统数量 (≥8个)
        await until(pilot, lambda: type(app.screen).__name__ == "RecordProgressScreen")
        await pilot.pause()
        actual = app.screen.query_one("#actual")
        for key, character in (("5", "5"), ("enter", "\r"), ("6", "6")):
            actual.post_message(events.Key(key, character))
        await until(pilot, lambda: app.screen is app.monitor)
    history = Store(tmp_path / "d", user="alice").load().progress[iid]
    assert [e.actual for e in history] == ["5"]


async def test_enter_in_a_search_that_waits_for_every_unit_takes_the_first_match(behind, tmp_path, until, first_shown):
    """``/ 服务 Enter`` typed while only the first unit is in: the Enter is kept, and jumps to
    the first match once every unit is (it used to need a second Enter)."""
    import time

    class SlowSummaries(Store):
        def summaries(self, *, stop=None, **kwargs):
            time.sleep(1.0)
            return super().summaries(stop=stop, **kwargs)

    app = JixiaoApp(SlowSummaries(tmp_path / "data", user="alice"))
    async with app.run_test(size=(120, 36)) as pilot:
        await first_shown(pilot)
        await pilot.press("slash", *"服务", "enter")
        assert not app.monitor.browser.complete and app.monitor.mode == "search"
        await until(pilot, lambda: app.monitor.mode == "browse", timeout=10)
        hit = app.monitor.browser.search("服务")[0]
        assert app.monitor.unit_code == hit.unit_code
