"""Keys act on what is selected, and typed keys are never lost (issue 15 §1, §3)."""

from __future__ import annotations

import pytest
from textual import events

from jixiao.sample_data import load_sample
from jixiao.store.repository import Store
from jixiao.tui.app import JixiaoApp
from jixiao.tui.screens.record import RecordProgressScreen
from jixiao.tui.screens.spending import SpendingScreen

pytestmark = pytest.mark.asyncio


@pytest.fixture
def demo(tmp_path) -> Store:
    """The sample data, as ``jixiao --demo`` opens it (single user: admin)."""
    Store(tmp_path / "data", user="admin1").bulk_load(load_sample())
    return Store(tmp_path / "data", user="admin1")


async def to_row_of_unit(pilot, unit: str, until) -> str:
    """Move the triage cursor to the first row of ``unit``; its indicator id."""
    app = pilot.app
    monitor = app.monitor
    for _ in range(len(monitor.query_one("#indicators").rows)):
        ind = monitor.current_indicator()
        if monitor.dataset.projects[ind.project_id].unit_code == unit:
            return ind.id
        await pilot.press("down")
        await pilot.pause()
    raise AssertionError(f"no triage row of unit {unit}")


async def test_s_in_triage_opens_the_spending_form_of_the_row_s_project(demo, loaded, until):
    app = JixiaoApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        assert app.monitor.query_one("#projects").current.unit_code == "301101"
        await pilot.press("r")
        await until(pilot, lambda: app.monitor.mode == "triage")
        iid = await to_row_of_unit(pilot, "301206", until)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SpendingScreen))
        assert app.screen.project.id == app.monitor.dataset.indicators[iid].project_id
        assert app.screen.project.unit_code == "301206"


async def test_e_in_triage_opens_the_record_form_of_the_row(demo, loaded, until):
    app = JixiaoApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("r")
        await until(pilot, lambda: app.monitor.mode == "triage")
        iid = await to_row_of_unit(pilot, "301206", until)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        assert app.screen.indicator.id == iid


async def test_s_on_a_search_hit_opens_that_project_s_spending_form(demo, loaded, until):
    app = JixiaoApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        wanted = next(p for p in app.monitor.dataset.projects.values() if p.unit_code == "301206")
        await pilot.press("slash")
        await pilot.press(*wanted.name[:6])
        await until(pilot, lambda: app.monitor.mode == "search"
                    and app.monitor.query_one("#indicators").rows)
        await pilot.press("down")               # into the matches: the first is the project
        await pilot.pause()
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SpendingScreen))
        assert app.screen.project.id == wanted.id


async def test_n_in_triage_moves_from_the_selected_row(demo, loaded, until):
    app = JixiaoApp(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("r")
        await until(pilot, lambda: app.monitor.mode == "triage")
        iid = await to_row_of_unit(pilot, "301206", until)
        expected = app.monitor.browser.next_alert(iid, 1)
        await pilot.press("n")
        await until(pilot, lambda: app.monitor.mode == "browse")
        assert app.monitor.current_indicator().id == expected


async def test_quick_keystrokes_in_the_record_form_all_arrive_in_order(demo, loaded, until):
    app = JixiaoApp(demo, poll_interval=0.05)        # the poll runs all the time meanwhile
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("tab", "tab", "e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        # All at once, as a fast typist's keys reach the app: each key event is queued before
        # the previous one is handled, so nothing waits for the screen to catch up.
        for key, char in (("a", "a"), ("b", "b"), ("c", "c"), ("left", None),
                          ("backspace", None), ("backspace", None), ("backspace", None),
                          ("end", None), ("minus", "-"), ("5", "5")):
            app.post_message(events.Key(key, char))
        await until(pilot, lambda: app.screen.query_one("#actual").value.endswith("5"))
        await pilot.pause()
        assert app.screen.query_one("#actual").value == "c-5"


async def test_ctrl_c_and_the_screenshot_speak_the_ui_language_without_markup(demo, loaded,
                                                                             tmp_path,
                                                                             monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = JixiaoApp(demo)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await loaded(pilot)
        app.action_help_quit()
        app.action_screenshot()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("按 q 或 Ctrl+Q 退出" in m for m in messages)
        saved = [m for m in messages if m.startswith("截图已保存：")]
        assert saved and not any("[" in m for m in messages)
        assert list(tmp_path.glob("*.svg"))           # in the current directory
    for svg in tmp_path.glob("*.svg"):
        svg.unlink()


async def test_the_header_at_80_columns_keeps_role_and_sort_and_marks_a_cut(demo, loaded):
    app = JixiaoApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        line = app.monitor.query_one("#header").render_line(0).text.rstrip()
        assert "（管理员）" in line and "按状态" in line
        assert line.endswith("…") or "绩效运行监控" in line


def footer_keys(app) -> str:
    """The footer line as the user reads it."""
    return app.monitor.query_one("KeyFooter").render().plain


async def test_o_in_triage_keeps_the_list_and_its_row(demo, loaded, until, screen_text):
    app = JixiaoApp(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert "o 排序" in footer_keys(app)
        await pilot.press("r")
        await until(pilot, lambda: app.monitor.mode == "triage")
        iid = await to_row_of_unit(pilot, "301206", until)
        assert "o 排序" not in footer_keys(app)        # the list does not offer it
        await pilot.press("o")
        await pilot.pause()
        assert app.monitor.mode == "triage" and app.monitor.current_indicator().id == iid
        assert not app.monitor.by_status and "按状态排序" not in screen_text(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert "排序" not in str(app.screen.query_one("#help-body").render())
        await pilot.press("escape", "escape")          # help closed, then out of the list
        await until(pilot, lambda: app.monitor.mode == "browse")
        assert "o 排序" in footer_keys(app)


async def test_o_on_a_search_hit_keeps_the_matches_and_the_hit(demo, loaded, until):
    app = JixiaoApp(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"满意度")
        await until(pilot, lambda: app.monitor.mode == "search"
                    and len(app.monitor.query_one("#indicators").rows) > 1)
        await pilot.press("down", "down")           # into the matches, the second one
        await pilot.pause()
        pane = app.monitor.query_one("#indicators")
        hit, rows = pane.current, list(pane.rows)
        await pilot.press("o")
        await pilot.pause()
        assert app.monitor.mode == "search" and pane.current == hit and list(pane.rows) == rows
        assert app.monitor.query_one("#search").value == "满意度"
        assert not app.monitor.by_status


async def test_quick_downs_from_the_search_field_all_move_in_the_matches(demo, loaded, until):
    # The first ↓ moved the focus on the next turn: the ↓ typed right after went back to
    # the search field and was lost (seen in tmux as "Down Down" landing on the first match).
    app = JixiaoApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"满意度")
        await until(pilot, lambda: len(app.monitor.query_one("#indicators").rows) > 3)
        for _ in range(3):                    # queued at once, as a fast typist's keys arrive
            app.post_message(events.Key("down", None))
        pane = app.monitor.query_one("#indicators")
        await until(pilot, lambda: app.screen.focused is pane)
        await pilot.pause()
        assert pane.rows.index(pane.current) == 2


async def test_characters_arriving_with_the_slash_go_into_the_search_field(demo, loaded, until):
    # A paste or a slow SSH link delivers "/es满意" in one read: the app hands every key to the
    # pane that had the focus before "/" moved it, so the characters were lost — and "e"
    # opened the record form.
    app = JixiaoApp(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.monitor.query_one("#indicators").focus()
        await pilot.pause()
        app.post_message(events.Key("slash", "/"))
        for ch in "es满意":                   # queued at once, as one read of the terminal
            app.post_message(events.Key(ch, ch))
        search = app.monitor.query_one("#search")
        await until(pilot, lambda: search.value == "es满意")
        await pilot.pause()
        assert app.screen is app.monitor and app.monitor.mode == "search"
        assert not isinstance(app.screen, RecordProgressScreen)


async def test_a_slash_typed_in_the_search_field_is_a_character(demo, loaded, until):
    app = JixiaoApp(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        for key, ch in (("元", "元"), ("slash", "/"), ("人", "人")):   # one read, as pasted
            app.post_message(events.Key(key, ch))
        search = app.monitor.query_one("#search")
        await until(pilot, lambda: search.value == "元/人")
        assert app.monitor.mode == "search"


@pytest.mark.parametrize("key, form, typed", [
    ("e", RecordProgressScreen, "95"),
    ("s", SpendingScreen, "12.5"),
])
async def test_keys_arriving_with_the_form_key_go_into_the_form(demo, loaded, until, key, form,
                                                                typed):
    # Over a slow SSH link "e95" arrives in one read: the app hands every key to the pane that
    # had the focus before the form existed, and the 95 was lost.
    app = JixiaoApp(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.monitor.query_one("#indicators").focus()
        await pilot.pause()
        for ch in key + typed:
            app.post_message(events.Key(ch, ch))
        await until(pilot, lambda: isinstance(app.screen, form))
        # the form's first field, which has the focus, holds what was typed
        await until(pilot, lambda: getattr(app.screen.focused, "value", None) == typed)
