"""The TUI speaks one language per run, Textual's own commands and the form's choices included
(issue 15 §4)."""

from __future__ import annotations

import re

import pytest

from jixiao.core.words import CAUSES, GRADES, LIKELIHOODS
from jixiao.sample_data import load_sample
from jixiao.store.repository import Store
from jixiao.tui.app import JixiaoApp
from jixiao.tui.screens.record import RecordProgressScreen

pytestmark = pytest.mark.asyncio

_HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def demo(tmp_path) -> Store:
    """The sample data, as ``jixiao --demo`` opens it (single user: admin)."""
    Store(tmp_path / "data", user="admin1").bulk_load(load_sample())
    return Store(tmp_path / "data", user="admin1")


async def test_textuals_palette_commands_are_chinese_in_chinese_mode(demo, loaded, until,
                                                                   screen_text):
    app = JixiaoApp(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: "搜索命令" in screen_text(app))
        # Each of Textual's commands found by its Chinese title, with its Chinese help
        # (the list's order depends on which provider answers first: search, do not scroll).
        for title, help_ in (("主题", "更换界面配色主题"), ("截图", "保存为 SVG 图片"),
                             ("最大化", "放大到整个屏幕"), ("退出", "退出 jixiao")):
            await pilot.press(*title)
            await until(pilot, lambda: help_ in screen_text(app), timeout=20)
            for _ in title:
                await pilot.press("backspace")
        text = screen_text(app)
        for english in ("Theme", "Quit the application", "Keys", "Screenshot", "Maximize",
                        "Search for commands"):
            assert english not in text, english
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles and all(_HAN.search(t) for t in titles)


async def test_the_english_palette_stays_english(demo, loaded):
    app = JixiaoApp(demo, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        commands = list(app.get_system_commands(app.screen))
        assert [c.title for c in commands][:2] == ["Theme", "Quit"]
        # Textual's keys panel would list its widgets' keys in English: ? is the help there
        assert "Keys" not in [c.title for c in commands]
        assert not any(_HAN.search(c.title + c.help) for c in commands)


async def test_the_palettes_screenshot_saves_here_and_its_toast_has_no_markup(
        demo, loaded, until, screen_text, tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.setenv("HOME", str(tmp_path / "no-home"))   # no ~/Downloads to fall back on
    app = JixiaoApp(demo)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: "搜索命令" in screen_text(app))
        await pilot.press(*"截图")
        await until(pilot, lambda: "保存为 SVG 图片" in screen_text(app), timeout=20)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: "截图已保存" in screen_text(app), timeout=20)
        text = screen_text(app)
        assert "[$" not in text and "[b]" not in text
    saved = list(here.glob("*.svg"))
    assert len(saved) == 1
    saved[0].unlink()


async def test_the_theme_list_asks_in_the_ui_language(demo, loaded, until, screen_text):
    app = JixiaoApp(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.action_change_theme()
        await until(pilot, lambda: "搜索主题" in screen_text(app), timeout=20)


@pytest.fixture
def small_store(small_dataset, tmp_path) -> Store:
    """The small dataset (one qualitative target, 及时), opened as its admin."""
    Store(tmp_path / "small", user="admin1").bulk_load(small_dataset())
    return Store(tmp_path / "small", user="admin1")


async def test_english_form_offers_english_choices_and_stores_the_official_terms(
        small_store, loaded, until, screen_text):
    from jixiao.tui.widgets.toggles import StateRadioButton
    iid = next(i.id for i in small_store.load().indicators.values() if i.target_text == "及时")
    app = JixiaoApp(small_store, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(iid)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        form = app.screen
        text = screen_text(app)
        for shown in ("achieved (达成)", "partly achieved (部分达成)", "not achieved (未达成)",
                      "certain (确定能)", "possible (有可能)", "impossible (完全不可能)",
                      "funding (经费保障)", "equipment (硬件条件保障)", "other (其他)"):
            assert shown in text, shown
        form.query_one("#grade").query(StateRadioButton)[1].value = True      # partly: amber
        form.query_one("#likelihood").query(StateRadioButton)[1].value = True
        form.query_one("#cause-4").value = True
        form.query_one("#measures").value = "catch up"
        await pilot.pause()
        assert "amber" in str(form.query_one("#preview").render())
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, RecordProgressScreen))
        [saved] = small_store.progress_history(iid)
        assert (saved.actual, saved.likelihood, saved.causes) == ("部分达成", "有可能", ("其他",))
        await until(pilot, lambda: "possible (有可能)" in screen_text(app))
        text = screen_text(app)
        assert "other (其他)" in text and "partly achieved (部分达成)" in text
        row = next(line for line in text.splitlines() if "按时" in line and "amber" in line)
        assert "partly" in row and "部分达成" not in row    # the actual column, in English


async def test_chinese_form_offers_the_terms_alone(small_store, loaded, until, screen_text):
    iid = next(i.id for i in small_store.load().indicators.values() if i.target_text == "及时")
    app = JixiaoApp(small_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(iid)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        text = screen_text(app)
        for term in (*GRADES, *LIKELIHOODS, *CAUSES):
            assert term in text
        assert not re.search(r"achieved|possible|funding", text)


async def test_english_choices_are_whole_at_80_by_24(small_store, loaded, until, screen_text):
    iid = next(i.id for i in small_store.load().indicators.values() if i.target_text == "及时")
    app = JixiaoApp(small_store, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(iid)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        await pilot.pause()
        text = screen_text(app)
        for term in (*GRADES, *LIKELIHOODS, *CAUSES):
            assert f"({term})" in text, term      # never cut to "(人员保 …"


@pytest.mark.parametrize("lang, shown", [
    ("zh", ("指标值：≥8个（类型：数量，个）", "备注：6月完成", "进度记录：")),
    ("en", ("Target: ≥8个  (kind: quantity, 个)", "Note: 6月完成", "History:"))])
async def test_the_detail_pane_is_punctuated_in_its_language(demo, loaded, until, lang, shown):
    from textual.widgets import Static
    iid = next(i.id for i in demo.load().indicators.values() if i.name == "开展等保测评的系统数量")
    app = JixiaoApp(demo, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(iid)
        body = app.query_one("#detail-body", Static)
        await until(pilot, lambda: shown[0] in str(body.render()))
        text = str(body.render())
        for words in shown:
            assert words in text, words
