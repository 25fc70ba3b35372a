"""The monitoring screen marks doubtful readings (glyph and word), lets an officer walk them
(``v``) and settle one with the reading form (``t``); admins only (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.core.dataset import Dataset
from jixiao.core.model import Budget, Indicator, Project, Settings, Unit
from jixiao.core.overrides import indicator_target
from jixiao.store.repository import Store
from jixiao.tui.app import JixiaoApp
from jixiao.tui.screens.reading import ReadingScreen

pytestmark = pytest.mark.asyncio


def dataset() -> Dataset:
    """One project: a cost with a lower bound (doubtful), a plain count, a bare number."""
    ds = Dataset(settings=Settings(year=2024, as_of="2024-07-31"))
    ds.add_unit(Unit("420102", "某区文化和旅游局"))
    p = Project(Project.make_id("420102", 2024, "公共文化服务项目"), "420102", 2024,
                "公共文化服务项目", Budget(60.0, 60.0, 0.0))
    ds.add_project(p)
    for n, (level1, cat, name, target) in enumerate([
            ("成本指标", "经济成本指标", "演出场地租赁费", "≥12万元"),
            ("产出指标", "数量指标", "送戏下乡场次", "≥40场"),
            ("产出指标", "数量指标", "书屋配书", "600")]):
        ds.add_indicator(Indicator(Indicator.make_id(p.id, level1, cat, name), p.id, n, level1,
                                   cat, name, "", target))
    return ds


def _ids(ds) -> dict[str, str]:
    return {i.name: i.id for i in ds.indicators.values()}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    store = Store(path, user="chief")
    store.bulk_load(dataset())
    store.grant("chief", "admin")
    store.grant("owner1", "owner", ["420102"])
    ids = _ids(dataset())
    store.record_progress(ids["演出场地租赁费"], as_of="2024-07-31", actual="14万元")
    return path


async def test_doubtful_readings_are_marked_with_a_word_and_walked_with_v(indicators_pane, loaded, row_of, screen_text, until, data):
    ids = _ids(dataset())
    app = JixiaoApp(Store(data, user="chief"))
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(ids["演出场地租赁费"])
        await pilot.pause()
        assert "?待核" in row_of(app, ids["演出场地租赁费"])
        assert "?待核" in row_of(app, ids["书屋配书"])
        assert "?待核" not in row_of(app, ids["送戏下乡场次"])
        await pilot.press("v")
        await until(pilot, lambda: app.monitor.mode == "review")
        assert list(indicators_pane(app).rows) == [ids["演出场地租赁费"], ids["书屋配书"]]
        text = screen_text(app)
        assert "成本指标写了下限" in text                   # the detail says why
        await pilot.press("v")
        await until(pilot, lambda: app.monitor.mode == "browse")


async def test_an_admin_overrides_a_reading_in_the_form_and_the_colour_changes(loaded, row_of, until, data):
    ids = _ids(dataset())
    cost = ids["演出场地租赁费"]
    app = JixiaoApp(Store(data, user="chief"))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(cost)
        await pilot.pause()
        before = app.monitor.browser.colour(cost)
        assert before in ("green", "blue")                 # ≥12 read as written: reached
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ReadingScreen))
        form = app.screen
        assert form.query_one("#op").value == "≥" and form.query_one("#value").value == "12"
        form.query_one("#op").value = "≤"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ReadingScreen))
        await until(pilot, lambda: app.monitor.browser.colour(cost) == "red")
        assert "✖ 红" in row_of(app, cost) and "?待核" not in row_of(app, cost)
    stored = Store(data, user="chief").load().indicators[cost]
    target = indicator_target(stored, 2024)
    assert (target.source, target.op) == ("overridden", "<=")
    assert any(e.action == "reading" for e in Store(data, user="chief").log())


async def test_confirming_in_the_form_clears_the_mark(loaded, row_of, until, data):
    ids = _ids(dataset())
    app = JixiaoApp(Store(data, user="chief"))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(ids["书屋配书"])
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ReadingScreen))
        app.screen.query_one("#do").query("StateRadioButton").first().value = True
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ReadingScreen))
        await until(pilot, lambda: "?待核" not in row_of(app, ids["书屋配书"]))
    stored = Store(data, user="chief").load().indicators[ids["书屋配书"]]
    assert indicator_target(stored, 2024).source == "confirmed"


async def test_an_owner_may_not_change_a_reading_and_is_told_why(loaded, data):
    ids = _ids(dataset())
    app = JixiaoApp(Store(data, user="owner1"))
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(ids["演出场地租赁费"])
        await pilot.press("t")
        await pilot.pause()
        assert not isinstance(app.screen, ReadingScreen)
        assert any("admin" in n.message for n in app._notifications)
    assert Store(data, user="chief").readings() == {}
