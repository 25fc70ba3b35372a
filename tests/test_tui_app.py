"""Pilot tests of the monitoring TUI: the owner's and the manager's paths, the form, the
monitoring date, literal user text, 80×24, English labels, live refresh and refused edits."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from jixiao.core.dataset import Dataset
from jixiao.core.model import Indicator
from jixiao.sample_data import load_sample
from jixiao.store.repository import Store
from jixiao.tui.app import JixiaoApp
from jixiao.tui.commands import palette_commands
from jixiao.tui.i18n import label
from jixiao.tui.screens.dates import DateScreen
from textual.widgets.input import Selection
from jixiao.tui.screens.record import RecordProgressScreen
from jixiao.tui.screens.spending import SpendingScreen
from jixiao.tui.widgets.vlist import VirtualList

pytestmark = pytest.mark.asyncio


# --- data --------------------------------------------------------------------------------------
def ids(ds: Dataset) -> dict[str, str]:
    """Indicator ids by name."""
    return {i.name: i.id for i in ds.indicators.values()}


@pytest.fixture
def store(small_dataset, tmp_path: Path) -> Store:
    """A single-user (admin) store holding ``small_dataset()``."""
    s = Store(tmp_path / "data", user="alice")
    s.bulk_load(small_dataset())
    return s


# --- helpers -----------------------------------------------------------------------------------
# --- tests -------------------------------------------------------------------------------------
async def test_first_screen_shows_units_projects_indicators_and_header(screen_text, loaded, store):
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert "2023" in text and "2023-07-31" in text and "alice" in text and "alice（管理员）" in text
        assert "天津市人民政府办公厅" in text
        assert "系统等级保护测评项目" in text
        assert "开展等保测评的系统数量" in text and "≥8个" in text
        assert "预算单位" in text  # Chinese labels by default


def grants(path: Path) -> None:
    """admin1 is admin, alice owns 301101, bob is a manager."""
    admin = Store(path, user="admin1")
    admin.grant("admin1", "admin")
    admin.grant("alice", "owner", ["301101"])
    admin.grant("bob", "manager")


def detail(app) -> str:
    from textual.widgets import Static
    return str(app.query_one("#detail-body", Static).render())


async def test_owner_finds_project_records_progress_and_sees_the_colour_change(screen_text, loaded, row_of, small_dataset, until, tmp_path):
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(small_dataset())
    grants(data)
    store = Store(data, user="alice")
    iid = ids(small_dataset())["开展等保测评的系统数量"]
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        assert "alice（填报人）" in screen_text(app)
        # find the project by searching for the indicator's name
        await pilot.press("slash")
        await pilot.press(*"等保测评的系统")
        await pilot.press("enter")
        await until(pilot, lambda: app.monitor.current_indicator() and app.monitor.current_indicator().id == iid)
        assert "○ 灰" in row_of(app, iid)          # no progress yet: grey
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        await pilot.press(*"2个")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # 2 of ≥8 at the end of July is far behind: causes and measures are now required
        form = app.screen
        assert isinstance(form, RecordProgressScreen)
        assert "偏差原因" in str(form.query_one("#causes-error").render())
        assert store.load().progress == {}          # nothing saved while invalid
        form.query_one("#cause-0").value = True
        form.query_one("#measures").value = "加快测评进度"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, RecordProgressScreen))
        await until(pilot, lambda: "✖ 红" in row_of(app, iid))
        assert "2个" in row_of(app, iid)
        assert "alice" in detail(app) and "加快测评进度" in detail(app) and "经费保障" in detail(app)
        saved = store.load().progress[iid]
        assert [(e.actual, e.author, e.causes) for e in saved] == [("2个", "alice", ("经费保障",))]


async def test_manager_triages_jumps_and_reads_reason_and_history(indicators_pane, loaded, until, tmp_path):
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(load_sample())
    grants(data)
    app = JixiaoApp(Store(data, user="bob"))
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("r")
        await until(pilot, lambda: app.monitor.mode == "triage")
        pane = indicators_pane(app)
        shown = list(pane.rows)
        colours = [app.monitor.browser.colour(i) for i in shown]
        assert shown and set(colours) <= {"red", "amber"}
        assert colours == sorted(colours, key=["red", "amber"].index)      # worst first
        everything = app.monitor.browser.evaluation.indicators
        assert len(shown) == sum(s.colour in ("red", "amber") for s in everything.values())
        first_line = pane.render_line(1).text
        ds = app.monitor.dataset
        target = ds.indicators[shown[1]]
        project = ds.projects[target.project_id]
        # the triage list shows unit and project of every row
        assert ds.projects[ds.indicators[shown[0]].project_id].name[:4] in first_line
        await pilot.press("down")
        await pilot.pause()
        assert app.monitor.browser.status(shown[1]).reason("zh")[:6] in detail(app)   # reason right there
        await pilot.press("enter")
        await until(pilot, lambda: app.monitor.mode == "browse")
        assert app.monitor.current_indicator().id == target.id
        assert app.monitor.current_project().id == project.id
        assert app.query_one("#units", VirtualList).current.code == project.unit_code
        assert app.focused is indicators_pane(app)
        status = app.monitor.browser.status(target.id)
        text = detail(app)
        assert status.reason("zh") in text
        for entry in ds.progress.get(target.id, []):
            assert entry.author in text and entry.actual in text
        assert "✖" in first_line or "▲" in first_line


async def test_invalid_input_is_marked_inline_and_esc_leaves_no_trace(loaded, row_of, small_dataset, until, store):
    iid = ids(small_dataset())["开展等保测评的系统数量"]
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(iid)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        form = app.screen
        await pilot.press(*"abc")
        await pilot.pause()
        error = str(form.query_one("#actual-error").render())
        assert error and "个" in error                 # says what it needs: a number in 个
        assert form.query_one("#actual").has_class("-invalid")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RecordProgressScreen)  # still open: nothing saved
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, RecordProgressScreen))
        assert store.load().progress == {}
        assert "○ 灰" in row_of(app, iid)


async def test_changing_the_monitoring_date_recomputes_every_colour(screen_text, loaded, row_of, small_dataset, until, store):
    iid = ids(small_dataset())["开展等保测评的系统数量"]
    store.record_progress(iid, as_of="2023-03-31", actual="4个")
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(iid)
        await pilot.pause()
        before = app.monitor.browser.colour(iid)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DateScreen))
        await pilot.press("down", "down", "down", "down", "enter")  # 2023-12-31
        await pilot.pause()
        # a change for everyone is confirmed first: nothing has changed yet
        assert "所有用户" in str(app.screen.query_one("#date-error").render())
        assert store.settings().as_of == "2023-07-31"
        await pilot.press("enter")
        await until(pilot, lambda: app.monitor.as_of == "2023-12-31" and app.monitor.browser.evaluation.as_of == "2023-12-31")
        assert "2023-12-31" in screen_text(app)
        # 4 of ≥8 is on track in July but far behind at the end of the year
        assert before in ("green", "blue") and app.monitor.browser.colour(iid) == "red"
        assert "✖ 红" in row_of(app, iid)
        assert store.settings().as_of == "2023-12-31"           # the admin's change is stored


async def test_keys_read_with_the_key_that_opens_the_date_dialog_go_to_it(loaded, until, store):
    """``d ↓ ↓ Enter`` in one read (a fast typist, a slow link): the arrows and Enter reach
    the monitor before the dialog is up, and are the dialog's — not the lists' bindings."""
    from textual import events

    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        units = app.monitor.query_one("#units")
        cursor = units.cursor
        for key, character in (("d", "d"), ("down", None), ("down", None), ("enter", "\r")):
            app.post_message(events.Key(key, character))
        await until(pilot, lambda: isinstance(app.screen, DateScreen))
        await until(pilot, lambda: "所有用户" in str(app.screen.query_one("#date-error").render()))
        assert app.screen.query_one("#date").value == "2023-06-30"   # two quarters down
        assert units.cursor == cursor
        await pilot.press("escape")
        await pilot.pause()
        assert app.monitor.as_of == "2023-07-31"


async def test_date_change_by_a_non_admin_is_for_this_view_only(screen_text, loaded, small_dataset, until, tmp_path):
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(small_dataset())
    grants(data)
    store = Store(data, user="bob")
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DateScreen))
        assert "admin" in screen_text(app)
        app.screen.query_one("#date").value = "2023-09-15"
        app.screen.query_one("#date").focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.monitor.browser.evaluation.as_of == "2023-09-15")
        assert "2023-09-15" in screen_text(app) and "只读视图" in screen_text(app)
        assert store.settings().as_of == "2023-07-31"


@pytest.mark.parametrize("lang, words", [("zh", ("不在预算年度", "2023-12-31")),
                                         ("en", ("outside the budget year", "2023-12-31"))])
async def test_the_monitoring_date_must_be_in_the_budget_year_and_esc_keeps_it(loaded, until, store, lang, words):
    app = JixiaoApp(store, lang=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DateScreen))
        field = app.screen.query_one("#date")
        field.value = "2030-01-01"
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")                       # not even a second Enter takes it
        await pilot.pause()
        assert isinstance(app.screen, DateScreen)
        error = str(app.screen.query_one("#date-error").render())
        assert all(w in error for w in words)
        field.value = "2023-09-30"                       # in the year: asks first
        await pilot.press("enter")
        await pilot.pause()
        assert ("所有用户" if lang == "zh" else "everyone") in str(app.screen.query_one("#date-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DateScreen)
        assert store.settings().as_of == "2023-07-31" and app.monitor.as_of == "2023-07-31"


async def test_a_date_typed_as_the_dialog_opens_is_the_one_confirmed(loaded, until, store):
    # The quarter list had the focus: the digits went nowhere and Enter, Enter changed the
    # date for everyone to the highlighted quarter end (issue 15 QA).
    app = JixiaoApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DateScreen))
        await pilot.press(*"2030-01-01", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DateScreen)
        assert "不在预算年度" in str(app.screen.query_one("#date-error").render())
        assert store.settings().as_of == "2023-07-31"
        field = app.screen.query_one("#date")
        field.selection = Selection(0, len(field.value))        # as Ctrl+A would
        await pilot.press(*"2023-05-15", "enter")
        await pilot.pause()
        assert field.value == "2023-05-15"
        assert "2023-05-15" in str(app.screen.query_one("#date-error").render())
        assert store.settings().as_of == "2023-07-31"
        await pilot.press("enter")
        await until(pilot, lambda: app.monitor.as_of == "2023-05-15")
        assert store.settings().as_of == "2023-05-15"


async def test_arrows_put_a_quarter_end_in_the_date_field_and_typing_replaces_it(loaded, until,
                                                                                 store):
    app = JixiaoApp(store, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DateScreen))
        field = app.screen.query_one("#date")
        assert field.value == "2023-07-31" and app.screen.focused is field
        await pilot.press("down", "down")
        await pilot.pause()
        assert field.value == "2023-06-30"
        await pilot.press("enter")
        await pilot.pause()
        assert "2023-06-30" in str(app.screen.query_one("#date-error").render())
        await pilot.press(*"2023-08-15")                          # replaces the quarter end
        await pilot.pause()
        assert field.value == "2023-08-15"
        assert "2023-06-30" not in str(app.screen.query_one("#date-error").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DateScreen) and store.settings().as_of == "2023-07-31"
        await pilot.press("escape")
        await pilot.pause()
        assert store.settings().as_of == "2023-07-31"


async def test_a_typed_date_that_is_not_a_date_is_refused_inline(loaded, until, store):
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DateScreen))
        field = app.screen.query_one("#date")
        # a day the calendar does not have is called that, not a format mistake
        field.value = "2023-02-30"
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DateScreen)
        error = str(app.screen.query_one("#date-error").render())
        assert "不存在" in error and "28" in error and "YYYY-MM-DD" not in error
        # text that is not a date at all gets the format
        field.value = "七月底"
        await pilot.press("enter")
        await pilot.pause()
        assert "YYYY-MM-DD" in str(app.screen.query_one("#date-error").render())
        assert store.settings().as_of == "2023-07-31"


async def test_markup_like_user_text_is_shown_as_typed(screen_text, loaded, small_dataset, store):
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        app.query_one("#units", VirtualList).focus()
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert "[red]x[/] 综合服务中心" in text
        assert "[/x] 项目" in text
        assert "服务[次数]" in text
        await pilot.press("up")
        await pilot.pause()
        app.monitor.jump_to(ids(small_dataset())["[bold]按时[/bold]完成"])
        await pilot.pause()
        assert "[bold]按时[/bold]完成" in screen_text(app)
        assert "[bold]按时[/bold]完成" in detail(app)


async def test_usable_at_80x24(screen_text, indicators_pane, loaded, rows_text, tmp_path):
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(load_sample())
    app = JixiaoApp(Store(data, user="admin1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        lines = screen_text(app).splitlines()
        assert len(lines) == 24
        from rich.cells import cell_len
        assert all(cell_len(line) <= 80 for line in lines)
        text = "\n".join(lines)
        assert "监控日期 2023-07-31" in lines[0]
        for pane in ("预算单位", "项目", "指标", "详情"):
            assert pane in text
        # the footer uses short labels here and keeps help and quit (and d, x) on screen
        for key in ("e 记录", "r 红黄", "/ 搜索", "d 日期", "x 导出", "? 帮助", "q 退出"):
            assert key in lines[-1]
        # every pane keeps at least a few readable rows
        for id in ("#units", "#projects", "#indicators", "#detail"):
            assert app.query_one(id).size.height >= 4
        rows = rows_text(indicators_pane(app))
        assert any(w in rows[1] for w in ("● 绿", "▲ 黄", "✖ 红", "○ 灰", "◆ 蓝"))


async def test_english_labels(screen_text, loaded, store):
    app = JixiaoApp(store, lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        for word in ("Units", "Projects", "Indicators", "as of 2023-07-31", "Record", "Search", "grey"):
            assert word in text
        assert "预算单位" not in text and "记录进度" not in text


async def test_another_users_write_appears_within_three_seconds(loaded, row_of, small_dataset, until, tmp_path):
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(small_dataset())
    iid = ids(small_dataset())["开展等保测评的系统数量"]
    app = JixiaoApp(Store(data, user="viewer"))
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        assert "9个" not in row_of(app, iid)
        proc = start_writer(data, iid)
        assert proc.wait(timeout=30) == 0, proc.stderr.read()
        await until(pilot, lambda: "9个" in row_of(app, iid), timeout=3.0)
        assert "writer" in detail(app)


def start_writer(data: Path, indicator_id: str):
    """Another process (another user) recording progress on the same data directory."""
    import subprocess
    import sys
    code = ("import sys; from jixiao.store.repository import Store; "
            "Store(sys.argv[1], user='writer').record_progress(sys.argv[2], as_of='2023-07-31', actual='9个')")
    return subprocess.Popen([sys.executable, "-c", code, str(data), indicator_id],
                            stderr=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent)


async def test_edit_keys_are_disabled_and_explained_for_a_user_without_the_grant(indicators_pane, loaded, small_dataset, tmp_path):
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(small_dataset())
    grants(data)
    app = JixiaoApp(Store(data, user="bob"))                 # a manager: reads, may not record
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        indicators_pane(app).focus()
        assert app.monitor.check_action("record", ()) is None           # shown disabled in the footer
        assert app.monitor.check_action("spend", ()) is None
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, RecordProgressScreen)
        messages = [n.message for n in app._notifications]
        assert any("bob" in m and "301101" in m and "owner" in m for m in messages)
        assert len(messages) == 1                                # said once, not twice


async def test_owner_may_edit_only_their_own_unit(loaded, small_dataset, tmp_path):
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(small_dataset())
    grants(data)
    app = JixiaoApp(Store(data, user="alice"))
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        assert app.monitor.check_action("record", ()) is True           # 301101 is alice's
        assert app.monitor.check_action("export", ()) is None           # owners do not export
        await pilot.press("down")                               # 301205 is not
        await pilot.pause()
        assert app.monitor.check_action("record", ()) is None
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, SpendingScreen)
        assert any("301205" in n.message for n in app._notifications)


async def test_next_and_previous_alert_jump_anywhere_and_scroll_into_view(cursor_line, indicators_pane, loaded, tmp_path):
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(load_sample())
    app = JixiaoApp(Store(data, user="admin1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        seen = []
        for _ in range(4):
            await pilot.press("n")
            await pilot.pause()
            ind = app.monitor.current_indicator()
            assert app.monitor.browser.colour(ind.id) in ("red", "amber")
            assert ind.name[:4] in cursor_line(indicators_pane(app))
            seen.append(ind.id)
        assert len(set(seen)) == 4
        positions = [app.monitor.browser.position(i) for i in seen]
        assert positions == sorted(positions)                # reading order
        await pilot.press("N")
        await pilot.pause()
        assert app.monitor.current_indicator().id == seen[-2]


async def test_search_jump_scrolls_the_found_indicator_into_view_at_80x24(cursor_line, indicators_pane, loaded, until, tmp_path):
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(load_sample())
    app = JixiaoApp(Store(data, user="admin1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"机关工作人员满意度")
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: app.monitor.current_indicator() and app.monitor.current_indicator().name == "机关工作人员满意度")
        await pilot.pause()
        assert "机关工作人员满意度" in cursor_line(indicators_pane(app))


async def test_spending_form_refuses_bad_amounts_and_saves_good_ones(loaded, until, store):
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        project = app.monitor.current_project()
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SpendingScreen))
        await pilot.press(*"-5", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SpendingScreen)
        assert "0" in str(app.screen.query_one("#spent-error").render())
        assert store.load().spending == {}
        app.screen.query_one("#spent").value = "44.5"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, SpendingScreen))
        line = app.query_one("#projects", VirtualList).render_line(1).text
        assert project.name in line and "44.5" in line and "50%" in line
        assert [e.spent for e in store.load().spending[project.id]] == [44.5]


async def test_help_lists_every_key_and_the_palette_offers_every_action(screen_text, loaded, store):
    from jixiao.tui.keys import ACTIONS, KEY_DISPLAY
    from jixiao.tui.i18n import label
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for key, _, what, _ in ACTIONS:
            assert f"{KEY_DISPLAY.get(key, key)}" in text and label(what) in text
        await pilot.press("escape")
        await pilot.pause()
        titles = [c.title for c in palette_commands(app.monitor, app.lang)]
        for key, action, what, _ in ACTIONS:
            if action not in ("app.quit", "back"):
                assert any(label(what) in t for t in titles)
        footer_keys = {b.key for b in app.monitor.BINDINGS if b.show}
        assert {"e", "s", "r", "n", "slash", "d", "x", "question_mark", "q"} <= footer_keys


@pytest.mark.parametrize("lang, words", [
    ("zh", ("切换窗格", "在详情窗格中滚动", "进入", "返回上一层", "命令面板", "滚动")),
    ("en", ("Switch pane", "scroll the detail pane", "Open", "Back one level", "Command palette",
            "scroll"))])
async def test_help_s_first_screen_at_80_by_24_tells_how_to_move_around(screen_text, loaded,
                                                                        store, lang, words):
    # The moving keys came last, below the fold of a box nobody knew scrolled (issue 15 QA).
    app = JixiaoApp(store, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for key in ("Tab", "j k", "Enter", "Esc", "Ctrl+P"):
            assert key in text, key
        for word in words:
            assert word in text, word


async def test_sort_by_status_puts_red_first(indicators_pane, loaded, small_dataset, store):
    names = ids(small_dataset())
    store.record_progress(names["开展等保测评的系统数量"], as_of="2023-07-31", actual="1个",
                          causes=("经费保障",), measures="加快进度")
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        first = lambda: indicators_pane(app).rows[0].name  # noqa: E731
        assert first() == "开展等保测评的系统数量"
        app.monitor.jump_to(names["等级保护测评合格率"])
        await pilot.press("o")
        await pilot.pause()
        assert app.monitor.browser.colour(indicators_pane(app).rows[0].id) == "red"
        assert app.monitor.current_indicator().name == "等级保护测评合格率"   # the cursor stays on its row


async def test_export_writes_the_snapshot_at_the_monitoring_date(loaded, until, store, tmp_path):
    import json
    app = JixiaoApp(store)
    out = tmp_path / "snap.json"
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#path").value = str(out)
        await pilot.press("enter")
        await until(pilot, lambda: out.exists())
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "2023-07-31" in json.dumps(doc)
    assert "开展等保测评的系统数量" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, warning", [("zh", "已存在"), ("en", "exists")])
async def test_export_asks_before_overwriting_an_existing_file(loaded, until, store, tmp_path, lang, warning):
    out = tmp_path / "snap.json"
    out.write_text("keep me", encoding="utf-8")
    app = JixiaoApp(store, lang=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#path").value = str(out)
        await pilot.press("enter")
        await pilot.pause()
        assert warning in str(app.screen.query_one("#path-error").render())
        assert out.read_text(encoding="utf-8") == "keep me"
        await pilot.press("escape")                     # changed her mind: nothing written
        await pilot.pause()
        assert out.read_text(encoding="utf-8") == "keep me"
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#path").value = str(out)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")                      # the second Enter confirms
        await until(pilot, lambda: "2023-07-31" in out.read_text(encoding="utf-8"))


async def test_status_colours_follow_the_theme(indicators_pane, loaded, store):
    from textual.color import Color
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        pane = indicators_pane(app)
        seen = []
        for theme in ("textual-dark", "nord"):
            app.theme = theme
            await pilot.pause()
            want = Color.parse(app.get_css_variables()["text-error"]).rich_color.triplet
            got = pane.status_style("red").color.triplet
            assert all(abs(a - b) <= 3 for a, b in zip(got, want))   # the theme's error text colour
            seen.append(got)
        assert seen[0] != seen[1]


async def test_search_then_esc_goes_back_to_where_the_user_was(indicators_pane, loaded, rows_text, store):
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        indicators_pane(app).focus()
        await pilot.press("down")
        before = app.monitor.current_indicator().id
        await pilot.press("slash", *"服务")
        await pilot.pause()
        assert app.monitor.mode == "search"
        assert "服务[次数]" in "\n".join(rows_text(indicators_pane(app)))
        await pilot.press("escape")
        await pilot.pause()
        assert app.monitor.mode == "browse" and app.monitor.current_indicator().id == before


async def test_control_characters_in_names_and_notes_are_shown_not_sent(screen_text, loaded, small_dataset, tmp_path):
    ds = small_dataset()
    iid = ids(ds)["开展等保测评的系统数量"]
    ind = ds.indicators[iid]
    from dataclasses import replace as dc_replace
    ds.add_indicator(dc_replace(ind, name="系统\x1b[31m数量\x07"))
    store = Store(tmp_path / "data", user="alice")
    store.bulk_load(ds)
    store.record_progress(iid, as_of="2023-07-31", actual="5个", note="备注\x1b]0;title\x07")
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(iid)
        await pilot.pause()
        text = screen_text(app) + detail(app)
        assert "系统␛[31m数量" in text and "备注␛]0;title" in text
        assert "\x1b" not in text and "\x07" not in text
        segments = [seg.text for strip in app.screen._compositor.render_full_update().strips
                    for seg in strip]
        assert not any("\x1b" in s for s in segments)


# --- what a newcomer noticed -------------------------------------------------------------------
def squeeze(text: str) -> str:
    """Screen text without borders and white space, to find a message however it wrapped."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "│╭╮╰╯─▏▕")


async def test_a_damaged_unit_file_shows_the_stores_message_in_full_and_q_exits_with_2(screen_text, loaded, until, tmp_path):
    from jixiao.core.errors import JixiaoError
    from jixiao.tui.screens.error import ErrorScreen
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(load_sample())
    damaged = next(data.rglob("301205.json"))
    good = damaged.read_bytes()
    damaged.write_text("garbage", encoding="utf-8")
    with pytest.raises(JixiaoError) as raised:
        Store(data, user="admin1").load()
    message = raised.value.text("zh")              # the screen speaks the UI language
    assert "301205.json" in message
    app = JixiaoApp(Store(data, user="admin1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ErrorScreen))
        await pilot.pause()
        text = screen_text(app)
        assert squeeze(message) in squeeze(text)            # every word of it, wrapped
        assert "正在加载" not in text and "退出状态 2" in text
        # r tries again: once the file is restored, the data opens
        damaged.write_bytes(good)
        await pilot.press("r")
        await loaded(pilot)
        assert not isinstance(app.screen, ErrorScreen)
        assert "…综合服务中心" in screen_text(app)
    damaged.write_text("garbage", encoding="utf-8")
    app = JixiaoApp(Store(data, user="admin1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ErrorScreen))
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 2 and app.failure.text("zh") == message


async def test_detail_shows_the_project_and_indicator_ids_the_cli_takes(screen_text, loaded, small_dataset, store):
    iid = ids(small_dataset())["等级保护测评合格率"]
    app = JixiaoApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(iid)
        await pilot.pause()
        pid = app.monitor.dataset.indicators[iid].project_id
        assert f"项目 {pid} · 指标 {iid}" in screen_text(app)     # on screen even at 80×24
    app = JixiaoApp(store, lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(iid)
        await pilot.pause()
        assert f"project {pid} · indicator {iid}" in detail(app)


async def test_the_detail_pane_starts_at_the_top_for_every_new_selection(indicators_pane, loaded, tmp_path):
    from jixiao.tui.widgets.detail import DetailPane
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(load_sample())
    app = JixiaoApp(Store(data, user="admin1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        pane = app.query_one(DetailPane)
        pane.focus()
        await pilot.press("end")
        await pilot.pause()
        assert pane.scroll_y > 0
        indicators_pane(app).focus()
        await pilot.press("down")
        await pilot.pause()
        assert pane.scroll_y == 0


async def test_j_and_k_scroll_the_detail_pane_like_the_arrow_keys(indicators_pane, loaded, tmp_path):
    from jixiao.tui.widgets.detail import DetailPane
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(load_sample())
    app = JixiaoApp(Store(data, user="admin1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        pane = app.query_one(DetailPane)
        pane.focus()
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert pane.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert pane.scroll_y == 2
        assert app.focused is pane              # the keys scrolled, they did not move focus


async def test_causes_and_likelihood_show_their_state_by_glyph_not_only_colour(screen_text, loaded, small_dataset, until, store):
    from jixiao.tui.widgets.toggles import StateRadioButton
    iid = ids(small_dataset())["开展等保测评的系统数量"]
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(iid)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        form = app.screen
        placeholder = form.query_one("#actual").placeholder
        assert placeholder.startswith("例如") and "个" in placeholder   # a hint, not a value
        assert "☐ 经费保障" in screen_text(app) and "☑" not in screen_text(app)
        form.query_one("#cause-0").value = True
        likely = form.query_one("#likelihood").query(StateRadioButton).first()
        assert "○ 确定能" in screen_text(app)
        likely.value = True
        await pilot.pause()
        text = screen_text(app)
        assert "☑ 经费保障" in text and "☐ 制度保障" in text
        assert "◉ 确定能" in text and "○ 有可能" in text


async def test_only_another_process_s_write_is_announced_as_one(loaded, small_dataset, until,
                                                               tmp_path, refreshes):
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(small_dataset())
    iid = ids(small_dataset())["开展等保测评的系统数量"]
    app = JixiaoApp(Store(data, user="admin1"), poll_interval=0.1)
    announced = lambda: [n.message for n in app._notifications if "其他用户" in n.message]  # noqa: E731
    reloads = lambda: [m.foreign for m in refreshes]  # noqa: E731
    async with app.run_test(size=(120, 36), message_hook=refreshes) as pilot:
        await loaded(pilot)
        # the admin's own monitoring-date change
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DateScreen))
        await pilot.press("down", "down", "down", "enter", "enter")   # chosen, then confirmed
        await until(pilot, reloads)
        # the admin's own progress entry (written from a worker thread, as the form does)
        await asyncio.to_thread(app.monitor.sync.write_progress, iid, as_of="2023-07-31", actual="9个")
        await until(pilot, lambda: len(reloads()) >= 2)
        await pilot.pause()
        assert reloads() == [False, False] and announced() == []
        # another process's entry is announced
        proc = start_writer(data, iid)
        assert proc.wait(timeout=30) == 0, proc.stderr.read()
        await until(pilot, lambda: announced())
        assert reloads()[-1] is True


async def test_the_first_save_over_a_trimmed_history_is_not_announced_as_another_user_s(
        loaded, small_dataset, until, tmp_path, refreshes):
    # The app loads each history only from the entry that counts at the monitoring date; an
    # entry saved at that date makes the store's echo of it drop the older one. Seen as a
    # change by someone else, that announced the user's own first save (issue 15 QA).
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(small_dataset())
    iid = ids(small_dataset())["开展等保测评的系统数量"]
    Store(data, user="admin1").record_progress(iid, as_of="2023-06-30", actual="4个")
    app = JixiaoApp(Store(data, user="admin1"), poll_interval=0.1)
    seen = refreshes
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        await loaded(pilot)
        await pilot.press("tab", "tab", "e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        await pilot.press("9", "ctrl+s")
        await until(pilot, lambda: seen)
        await pilot.pause(0.3)
        toasts = [n.message for n in app._notifications]
        assert "已保存" in toasts and not any("其他用户" in t for t in toasts)
        assert [m.foreign for m in seen] == [False]


async def test_form_messages_come_in_the_ui_language(loaded, small_dataset, until, store):
    iid = ids(small_dataset())["开展等保测评的系统数量"]
    said = {"zh": "需要以个为单位的数字", "en": "needs a number in 个"}
    for lang in ("zh", "en"):
        app = JixiaoApp(store, lang=lang)
        async with app.run_test(size=(120, 36)) as pilot:
            await loaded(pilot)
            app.monitor.jump_to(iid)
            await pilot.press("e")
            await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
            await pilot.press(*"abc")
            await pilot.pause()
            assert str(app.screen.query_one("#actual-error").render()) == said[lang]


@pytest.mark.parametrize("lang, said", [
    ("zh", "完成日期 2023-02-30 这一天不存在：2023年2月只有 28 天"),
    ("en", "the completion date 2023-02-30 does not exist: February 2023 has 28 days")])
async def test_the_record_form_calls_an_impossible_completion_date_that(loaded, until, tmp_path,
                                                                        lang, said):
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(load_sample())
    app = JixiaoApp(Store(data, user="admin1"), lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        deadline = next(i for i in app.monitor.dataset.indicators.values()
                        if i.name == "本年度完成等级保护测评")
        app.monitor.jump_to(deadline.id)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        await pilot.press(*"2023-02-30")
        await pilot.pause()
        assert str(app.screen.query_one("#actual-error").render()) == said


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_focused_grade_choices_fit_an_80_column_form(loaded, until, tmp_path, lang):
    # Textual draws a focused RadioSet with a border: the English grades, with their terms,
    # then ran two cells past the form and lost their right edge (issue 15 QA).
    from textual.containers import VerticalScroll
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(load_sample())
    app = JixiaoApp(Store(data, user="admin1"), lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("tab", "tab", "down", "down", "down", "down", "e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        await pilot.pause()
        form = app.screen
        assert form.indicator.name == "等级保护测评成效"
        grade = form.query_one("#grade")
        assert form.focused is grade
        box = form.query_one(VerticalScroll).content_region
        assert grade.region.right <= box.right
        for button in grade.children:
            assert button.region.right <= box.right, button.label


async def test_palette_and_help_speak_the_ui_language_once(screen_text, loaded, store):
    import re
    app = JixiaoApp(store, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        ours = [c for c in palette_commands(app.monitor, app.lang) if c.title.endswith(")")]
        assert len(ours) >= 10
        assert not any(re.search(r"[\u4e00-\u9fff]", c.help) for c in ours)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert text.count("Ctrl+P") == 1 and "Command palette" in text
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen_text(app).count("Ctrl+P") == 1


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_units_can_be_told_apart_and_the_footer_keeps_help_and_quit(screen_text, loaded, rows_text, tmp_path, size, lang):
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(load_sample())
    app = JixiaoApp(Store(data, user="admin1"), lang=lang)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        lines = screen_text(app).splitlines()
        units = rows_text(app.query_one("#units", VirtualList))
        # the four names all start 天津市人民政府…; what tells them apart is shown
        for code, part in (("301101", "…办公厅"), ("301205", "…综合服务中"), ("301206", "…驻北京"),
                           ("301303", "…政务信息")):
            assert any(code in row and part in row for row in units), (code, units)
        footer = lines[-1]
        if lang == "zh":
            assert "? 帮助" in footer and "q 退出" in footer
        else:
            assert "? Help" in footer and "q Quit" in footer and "palettee" not in footer
        assert footer.rstrip().endswith(("退出", "Quit", "命令面板", "命令", "Commands", "Cmds"))


@pytest.mark.parametrize("lang, message, no_projects, footer_words", [
    ("zh", "没有数据：请先导入目标表（jixiaoimport）", ("没有项目", "没有指标"),
     ("记录", "支出", "日期", "导出", "红黄", "复核", "下个", "上个", "搜索", "排序")),
    ("en", "Nodata:importtargettablesfirst(jixiaoimport)", ("has no projects", "has no indicators"),
     ("Rec", "Spend", "Date", "Export", "Alerts", "Red/amber", "Check", "Next", "Prev", "Find",
      "Search", "Sort"))])
@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_an_empty_store_says_in_full_what_to_do(rows_text, screen_text, until, tmp_path, lang, message, no_projects, footer_words, size):
    app = JixiaoApp(Store(tmp_path / "nothing", user="me"), lang=lang)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: app.monitor.browser is not None)
        await pilot.pause()
        units = rows_text(app.query_one("#units", VirtualList))
        assert message == squeeze("".join(units))
        # the command is never cut inside a word, however the message wraps
        words = " ".join(units).translate(str.maketrans("（）()", "    ")).split()
        assert "jixiao" in words and "import" in words
        text = screen_text(app)
        # there is no unit to have no projects, nor a project to have no indicators
        assert not any(words in text for words in no_projects)
        footer = text.splitlines()[-1]
        assert not any(word in footer for word in footer_words), footer
        assert "q" in footer
        for key in ("e", "s", "d", "x", "r", "v", "n", "N", "slash", "o", "t"):
            await pilot.press(key)                  # and the keys only say there is no data
        await pilot.pause()
        assert app.screen is app.monitor and app.monitor.mode == "browse"
        said = {n.message for n in app._notifications}
        assert said == {label("no_units", lang)}, said


async def test_the_expected_column_rounds_like_the_reason(loaded, row_of, small_dataset, store):
    iid = ids(small_dataset())["开展等保测评的系统数量"]
    store.record_progress(iid, as_of="2023-07-31", actual="5个")
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        status = app.monitor.browser.status(iid)
        assert round(status.expected, 2) != round(status.expected, 1)     # e.g. 4.64 → 4.6
        shown = f"{status.expected:.1f}".rstrip("0").rstrip(".")
        assert f"≥{shown}" in status.reason("zh")
        assert f" {shown} " in row_of(app, iid) and f"{status.expected:.2f}" not in row_of(app, iid)


async def test_enter_in_the_spending_form_saves_only_what_was_typed(screen_text, loaded, until, store):
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        project = app.monitor.current_project()
        store.record_spending(project.id, as_of="2023-06-30", spent=44.5)
        await until(pilot, lambda: app.monitor.dataset.counting_spending(project.id, "2023-07-31"))
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SpendingScreen))
        form = app.screen
        assert form.query_one("#spent").value == ""                       # nothing pre-filled
        assert "44.5" in str(form.query_one("#spent-hint").render())     # the last report, as a hint
        assert project.id in screen_text(app)                            # the id `jixiao spend` takes
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SpendingScreen)                    # refused: nothing typed
        assert len(store.load().spending[project.id]) == 1


async def test_search_words_may_name_the_project_of_an_indicator(indicators_pane, loaded, tmp_path):
    from jixiao.tui.view import Hit
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(load_sample())
    app = JixiaoApp(Store(data, user="admin1"))
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"满意度 中转")
        await pilot.pause()
        rows = indicators_pane(app).rows
        assert rows and all(isinstance(h, Hit) and h.kind == "indicator" for h in rows)
        for hit in rows:
            assert app.monitor.dataset.projects[hit.project_id].name == "中转平台建设项目"
            assert "满意度" in app.monitor.dataset.indicators[hit.indicator_id].name


# --- what a review found -------------------------------------------------------------------------
async def test_messages_with_markup_like_user_text_show_literally(screen_text, loaded, until, store, tmp_path):
    from textual.widgets._toast import Toast

    def toasts() -> str:
        return "\n".join(str(t.render()) for t in app.screen.query(Toast))
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await loaded(pilot)
        # an export path the user typed, into a directory that does not exist: the error
        # message quotes it
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#path").value = str(tmp_path / "[red]x[/]" / "[/x]" / "snap.json")
        await pilot.press("enter")
        await until(pilot, lambda: "[red]x[/]/[/x]/" in toasts())
        # any message: a store's message quoting a unit code, say
        app.notify("单位 [red]x[/] 与 [/x] 无权限", severity="warning")
        await until(pilot, lambda: "单位 [red]x[/] 与 [/x] 无权限" in screen_text(app))


class HalfwayStore(Store):
    """A store whose next refresh, once armed, stops half-way — the unit's projects removed,
    the re-read ones not yet in — until released, as a slow re-read of a big file would."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.armed = False
        self.halfway, self.release = threading.Event(), threading.Event()
        self.given: list = []

    def refresh(self, dataset):
        if not self.armed:
            return super().refresh(dataset)
        self.armed = False
        self.given.append(dataset)
        projects = [p for p in dataset.projects.values() if p.unit_code == "301101"]
        for p in projects:
            del dataset.projects[p.id]
        dataset.invalidate()
        self.halfway.set()
        self.release.wait(timeout=30)
        from dataclasses import replace
        for p in projects:
            dataset.projects[p.id] = replace(p, name="改名后的测评项目")
        dataset.invalidate()
        return True


async def test_the_screen_never_shows_a_dataset_while_a_refresh_changes_it(screen_text, loaded, small_dataset, until, tmp_path):
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(small_dataset())
    store = HalfwayStore(data, user="admin1")
    app = JixiaoApp(store, poll_interval=0.05)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        shown = app.monitor.dataset
        store.armed = True
        try:
            assert await asyncio.to_thread(store.halfway.wait, 30)
            assert store.given[0] is not shown      # the refresh changes a copy
            units = app.query_one("#units", VirtualList)
            units.focus()
            await pilot.press("down", "up")         # the screen reads the data again
            await pilot.pause()
            assert app.monitor.dataset is shown
            assert "系统等级保护测评项目" in screen_text(app)
            assert "开展等保测评的系统数量" in screen_text(app)
        finally:
            store.release.set()
        # the finished version replaces the old one whole
        await until(pilot, lambda: "改名后的测评项目" in screen_text(app))
        assert "系统等级保护测评项目" not in screen_text(app)
        assert shown.projects[next(iter(shown.projects))].name in ("系统等级保护测评项目", "[/x] 项目")


async def test_a_saved_colour_shows_at_once_in_triage_and_next_alert(indicators_pane, loaded, row_of, small_dataset, until, store):
    iid = ids(small_dataset())["开展等保测评的系统数量"]
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        # only the colour computed on saving counts here: the full re-evaluation is held back
        app.monitor.reevaluate = lambda: None
        await pilot.press("r")                      # triage and n/N cached: nothing is red yet
        await until(pilot, lambda: app.monitor.mode == "triage")
        assert list(indicators_pane(app).rows) == [] and app.monitor.browser.next_alert(None) is None
        await pilot.press("r")
        app.monitor.jump_to(iid)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        form = app.screen
        form.query_one("#actual").value = "2个"
        form.query_one("#cause-0").value = True
        form.query_one("#measures").value = "加快测评进度"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, RecordProgressScreen))
        assert "✖ 红" in row_of(app, iid)
        assert app.monitor.browser.next_alert(None) == iid
        await pilot.press("r")
        await until(pilot, lambda: app.monitor.mode == "triage")
        assert list(indicators_pane(app).rows) == [iid]


async def test_the_sparkline_plots_values_in_the_targets_unit_and_skips_dates(loaded, small_dataset, tmp_path):
    from jixiao.core.model import Indicator as Ind
    ds = small_dataset()
    pid = next(p.id for p in ds.projects.values() if p.unit_code == "301101")
    money = Ind(Ind.make_id(pid, "成本指标", "经济成本指标", "测评费用"), pid, 9, "成本指标",
                "经济成本指标", "测评费用", "", "≤8000万元")
    due = Ind(Ind.make_id(pid, "产出指标", "时效指标", "完成测评"), pid, 10, "产出指标",
              "时效指标", "完成测评", "", "2023年12月底前完成")
    ds.add_indicator(money)
    ds.add_indicator(due)
    data = tmp_path / "data"
    store = Store(data, user="admin1")
    store.bulk_load(ds)
    # 0.5亿元 is 5000万元: the bar must stand far above the 40万元 one, not at 0.5
    store.record_progress(money.id, as_of="2023-03-31", actual="40")
    store.record_progress(money.id, as_of="2023-06-30", actual="0.5亿元")
    store.record_progress(due.id, as_of="2023-03-31", actual="50%")
    store.record_progress(due.id, as_of="2023-06-30", actual="2023-06-20")
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        data_money = app.monitor.detail_data(app.monitor.dataset.indicators[money.id])
        assert data_money.actual_by_entry == [40.0, 5000.0]
        data_due = app.monitor.detail_data(app.monitor.dataset.indicators[due.id])
        assert data_due.actual_by_entry == [50.0, None]        # a date is not plotted as 2023
        app.monitor.jump_to(money.id)
        await pilot.pause()
        line = next(line for line in detail(app).splitlines() if line.startswith("完成值/序时应完成"))
        bars = line.split("：", 1)[1].split("/")[0].strip()
        from jixiao.tui.widgets.detail import BARS
        assert BARS.index(bars[1]) > BARS.index(bars[0])         # 5000 stands above 40


async def test_the_spending_form_reads_yuan_and_yi_yuan_like_the_cli(loaded, small_dataset, until, store):
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        app.query_one("#projects", VirtualList).focus()
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SpendingScreen))
        form = app.screen
        form.query_one("#spent").value = "12个"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "万元" in str(form.query_one("#spent-error").render())
        form.query_one("#spent").value = "401,000元"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, SpendingScreen))
        pid = next(p.id for p in small_dataset().projects.values() if p.unit_code == "301101")
        assert [e.spent for e in store.load().spending[pid]] == [40.1]


async def test_the_mouse_picks_a_unit_like_the_keyboard(loaded, store):
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        units = app.query_one("#units", VirtualList)
        assert units.current.code == "301101"
        # Row 0 of the body is the first unit; the header sits above it.
        second = next(y for y in range(units.size.height)
                      if "301205" in "".join(s.text for s in units.render_line(y)))
        inset = units.content_region.offset - units.region.offset   # border and padding
        await pilot.click("#units", offset=(inset.x + 4, inset.y + second))
        await pilot.pause()
        assert units.current.code == "301205"
        projects = app.query_one("#projects", VirtualList)
        assert all(p.unit_code == "301205" for p in projects.rows)


async def test_only_what_counts_is_held_yet_the_whole_history_shows_and_earlier_dates_work(loaded, small_dataset, until, store):
    # Memory at province scale: the screen keeps each history from the entry that counts at its
    # date on; the detail pane still shows every entry, and an earlier date colours correctly.
    iid = ids(small_dataset())["开展等保测评的系统数量"]
    store.record_progress(iid, as_of="2023-03-31", actual="1个", causes=("其他",),
                          measures="加快测评")
    store.record_progress(iid, as_of="2023-05-31", actual="8个")
    app = JixiaoApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        ds = app.monitor.dataset
        assert ds.history_from == "2023-07-31"
        assert [e.actual for e in ds.progress[iid]] == ["8个"]
        app.monitor.jump_to(iid)
        await pilot.pause()
        assert "1个" in detail(app) and "8个" in detail(app)
        assert app.monitor.browser.colour(iid) in ("green", "blue")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DateScreen))
        app.screen.query_one("#date").value = "2023-04-30"
        app.screen.query_one("#date").focus()
        await pilot.press("enter", "enter")      # the second Enter confirms the shared change
        await until(pilot, lambda: app.monitor.browser.evaluation.as_of == "2023-04-30")
        # 1 of ≥8 counts in April: behind; the entry is back in what the screen holds
        assert app.monitor.browser.colour(iid) == "red"
        assert [e.actual for e in app.monitor.dataset.progress[iid]] == ["1个", "8个"]


@pytest.mark.parametrize("lang, word", [("zh", "晚于"), ("en", "after this entry's date")])
async def test_the_record_form_refuses_a_completion_date_after_the_entry_s_own_date(loaded, small_dataset, until, tmp_path, lang, word):
    ds = small_dataset()
    project = next(p for p in ds.projects.values() if p.unit_code == "301101")
    iid = Indicator.make_id(project.id, "产出指标", "时效指标", "系统上线")
    ds.add_indicator(Indicator(iid, project.id, 9, "产出指标", "时效指标", "系统上线", "上线时间",
                               "2023年10月底前完成"))
    store = Store(tmp_path / "data", user="alice")
    store.bulk_load(ds)
    app = JixiaoApp(store, lang=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(iid)
        await pilot.pause()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        await pilot.press(*"2023-08-15")            # the entry is dated 2023-07-31
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RecordProgressScreen)
        assert word in str(app.screen.query_one("#actual-error").render())
        assert store.load().progress == {}
        field = app.screen.query_one("#actual")
        field.value = "2023-07-20"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, RecordProgressScreen))
        assert [e.actual for e in store.load().progress[iid]] == ["2023-07-20"]
