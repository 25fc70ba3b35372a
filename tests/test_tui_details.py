"""Smaller things a user noticed on the monitoring screen (issue 15 §2 and §5): times in local
time, the project's spent amount and execution rate at every size, the spending form checked as
it is typed, and a blue status that is not the amber one."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from textual.color import Color

from jixiao.cli.main import main
from jixiao.core.stamps import local_stamp
from jixiao.sample_data import load_sample
from jixiao.store.repository import Store
from jixiao.tui.app import JixiaoApp
from jixiao.tui.i18n import status_word
from jixiao.tui.screens.spending import SpendingScreen
from jixiao.tui.widgets.detail import DetailPane
from jixiao.tui.widgets.vlist import VirtualList


@pytest.fixture
def tz():
    """``tz(name)``: run in time zone ``name`` (as ``TZ=name`` would), restored afterwards."""
    before = os.environ.get("TZ")

    def use(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()
    yield use
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A data directory holding the sample data (history recorded at +08:00), admin ``admin1``."""
    data = tmp_path / "data"
    admin = Store(data, user="admin1")
    admin.bulk_load(load_sample())
    admin.grant("admin1", "admin")
    return data


# --- 1. times ------------------------------------------------------------------------------------
@pytest.mark.parametrize("zone, shown", [("Asia/Shanghai", "2023-08-03 10:00"),
                                         ("UTC", "2023-08-03 02:00"),
                                         ("America/New_York", "2023-08-02 22:00")])
def test_a_stamp_is_shown_in_the_local_zone_to_the_minute(tz, zone, shown):
    tz(zone)
    assert local_stamp("2023-08-03T10:00:00+08:00") == shown
    assert local_stamp("2023-08-03T02:00:00.123456+00:00") == shown
    assert local_stamp("2023-08-03T02:00:07.123456+00:00", seconds=True) == shown + ":07"
    # Without an offset a stamp was written in local time; not a time at all: as it is.
    assert local_stamp("2023-08-03T10:00:00") == "2023-08-03 10:00"
    assert local_stamp("昨天") == "昨天"


async def test_the_detail_history_shows_local_seconds_never_raw_utc(sample, tz, loaded, until):
    tz("Asia/Shanghai")
    store = Store(sample, user="admin1")
    ds = store.load()
    iid = next(i.id for i in ds.indicators.values() if ds.progress.get(i.id))
    sample_stamp = ds.progress[iid][-1].recorded_at
    assert sample_stamp.endswith("+08:00")
    new = store.record_progress(iid, as_of="2023-07-31", actual=ds.progress[iid][-1].actual,
                                causes=("其他",), measures="加快")
    assert new.recorded_at.endswith("+00:00") and "." in new.recorded_at   # UTC, microseconds
    app = JixiaoApp(Store(sample, user="admin1"))
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(iid)
        await until(pilot, lambda: app.monitor.indicator_id == iid)
        await pilot.pause()
        text = str(app.query_one("#detail-body").render())
        assert local_stamp(new.recorded_at, seconds=True) in text
        assert local_stamp(sample_stamp, seconds=True) in text
        assert new.recorded_at not in text and new.recorded_at[11:19] not in text
        assert "+00:00" not in text and "+08:00" not in text
        assert not re.search(r"\dT\d|:\d\d\.\d", text)         # no ISO 'T', no microseconds


def test_the_log_lists_local_times_to_the_minute(sample, tz, capsys):
    tz("Asia/Shanghai")
    assert main(["--data", str(sample), "log", "--unit", "301205"]) == 0
    shanghai = capsys.readouterr().out.splitlines()
    assert shanghai and all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d  \S", line) for line in shanghai)
    assert "2023-07-06 09:30  wang.fang" in "\n".join(shanghai)
    tz("UTC")
    assert main(["--data", str(sample), "log", "--unit", "301205"]) == 0
    utc = capsys.readouterr().out.splitlines()
    assert "2023-07-06 01:30  wang.fang" in "\n".join(utc)
    assert [line[16:] for line in utc] == [line[16:] for line in shanghai]   # only the time moved


# --- 2. the project's money at every size ---------------------------------------------------------
def _money(store: Store, lang: str) -> dict[str, str]:
    """What the projects pane should say of each project: ``{project id: summary line}``."""
    from jixiao.core.budget_light import execution_rate
    from jixiao.tui.widgets.rows import fmt_num

    ds = store.load()
    words = {"zh": ("预算", "执行", "执行率"), "en": ("budget", "spent", "rate")}[lang]
    out = {}
    for p in ds.projects.values():
        entry = ds.counting_spending(p.id, ds.settings.as_of)
        spent = entry.spent if entry else None
        ratio = execution_rate(spent, p.budget.total)
        out[p.id] = (f"{words[0]} {fmt_num(p.budget.total)} · {words[1]} {fmt_num(spent)} · "
                     f"{words[2]} {'—' if ratio is None else f'{ratio:.0%}'}")
    return out


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
@pytest.mark.parametrize("lang, light", [("zh", "灯"), ("en", "light")])
async def test_spent_and_execution_rate_show_at_every_size_and_the_light_has_a_header(
        sample, loaded, screen_text, size, lang, light):

    money = _money(Store(sample, user="admin1"), lang)
    app = JixiaoApp(Store(sample, user="admin1"), lang=lang)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        projects = app.query_one("#projects", VirtualList)
        header = projects.render_line(0).text
        assert light in header.split(), header
        seen = 0
        for _ in range(3):
            project = projects.current
            text = screen_text(app)
            assert money[project.id] in text, (money[project.id], text)
            # The light beside the rate, as glyph and word (no colour needed).
            budget = app.monitor.browser.evaluation.budgets[project.id]
            assert money[project.id] + " " + status_word(budget.colour, lang) in text
            seen += 1
            projects.focus()
            await pilot.press("j")
            await pilot.pause()
        assert seen == 3


async def test_the_money_line_follows_a_new_spending_report(sample, loaded, until, screen_text):

    app = JixiaoApp(Store(sample, user="admin1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        project = app.query_one("#projects", VirtualList).current
        app.query_one("#projects", VirtualList).focus()
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SpendingScreen))
        await pilot.press(*"80", "enter")
        await until(pilot, lambda: not isinstance(app.screen, SpendingScreen))
        rate = f"{80 / project.budget.total:.0%}"
        await until(pilot, lambda: f"执行 80 · 执行率 {rate}" in screen_text(app))


# --- 3. the spending form checks as it is typed ---------------------------------------------------
async def _spending_form(app, pilot, until):

    app.query_one("#projects", VirtualList).focus()
    await pilot.press("s")
    await until(pilot, lambda: isinstance(app.screen, SpendingScreen))
    await pilot.pause()
    return app.screen


def _message(form, id: str) -> str:
    widget = form.query_one(id)
    return str(widget.render()) if widget.display and (widget.has_class("-shown") or id == "#form-error") else ""


async def test_the_spending_form_marks_a_wrong_amount_or_date_as_it_is_typed(sample, loaded, until):
    app = JixiaoApp(Store(sample, user="admin1"))
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot)
        form = await _spending_form(app, pilot, until)
        spent = form.query_one("#spent")
        assert _message(form, "#spent-error") == ""                 # untouched: no complaint
        await pilot.press(*"12x")                                  # no save pressed
        await pilot.pause()
        assert "万元" in _message(form, "#spent-error") and spent.has_class("-invalid")
        await pilot.press("backspace")                             # now it reads: the line goes
        await pilot.pause()
        assert _message(form, "#spent-error") == "" and not spent.has_class("-invalid")
        await pilot.press("backspace", "backspace")                # emptied before any save
        await pilot.pause()
        assert _message(form, "#spent-error") == ""
        await pilot.press(*"12.5")
        form.query_one("#as_of").focus()
        await pilot.press("end", "backspace", "backspace", *"32")  # 2023-07-32
        await pilot.pause()
        assert _message(form, "#as_of-error") != "" and form.query_one("#as_of").has_class("-invalid")
        await pilot.press("backspace", "backspace", *"31")
        await pilot.pause()
        assert _message(form, "#as_of-error") == ""
        assert _message(form, "#spent-error") == ""


async def test_the_spending_form_never_keeps_a_message_about_values_it_no_longer_holds(sample, loaded, until):
    Store(sample, user="admin1").grant("admin1", "admin")
    Store(sample, user="admin1").grant("admin2", "admin")
    app = JixiaoApp(Store(sample, user="admin1"))
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot)
        form = await _spending_form(app, pilot, until)
        await pilot.press("enter")                                 # save with nothing typed
        await pilot.pause()
        assert _message(form, "#spent-error") != ""
        await pilot.press(*"10")
        await pilot.pause()
        assert _message(form, "#spent-error") == ""                # fixed: the line is gone
        await pilot.press("backspace", "backspace")                # emptied after a save try
        await pilot.pause()
        assert _message(form, "#spent-error") != ""
        await pilot.press(*"10")
        # A date outside the budget years is marked as it is typed, in the store's words, and
        # Enter saves nothing.
        form.query_one("#as_of").focus()
        await pilot.press("home", *"2030", "delete", "delete", "delete", "delete")
        await pilot.pause()
        assert "2030" in _message(form, "#as_of-error") and "预算年度" in _message(form, "#as_of-error")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SpendingScreen) and _message(form, "#form-error") == ""
        await pilot.press("home", "delete", "delete", "delete", "delete", *"2023")
        await pilot.pause()
        assert _message(form, "#as_of-error") == ""
        # The store's refusal (the grant was taken away meanwhile), then a change: it goes.
        Store(sample, user="admin2").revoke("admin1")
        await pilot.press("enter")
        await until(pilot, lambda: "admin1" in _message(form, "#form-error"))
        assert isinstance(app.screen, SpendingScreen)
        await pilot.press("backspace", "3")                        # 2023 again
        await pilot.pause()
        assert _message(form, "#form-error") == ""
        Store(sample, user="admin2").grant("admin1", "admin")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, SpendingScreen))


# --- 5. blue is not amber ----------------------------------------------------------------------------
def _distance(a, b) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b)) ** 0.5


async def test_blue_has_a_colour_of_its_own(sample, loaded):

    app = JixiaoApp(Store(sample, user="admin1"))
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot)
        pane = app.query_one("#indicators", VirtualList)
        styles = {c: pane.status_style(c).color.triplet for c in ("red", "amber", "blue", "green")}
        # Far from every other status colour (the theme's accent was amber's very orange).
        for other in ("red", "amber", "green"):
            assert _distance(styles["blue"], styles[other]) > 100, (other, styles)
        want = Color.parse(app.get_css_variables()["text-primary"]).rich_color.triplet
        assert styles["blue"] == want                   # the theme's own text blue
        detail = app.query_one(DetailPane)
        assert detail.status_style("blue").color.triplet == want


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Shanghai"])
def test_log_since_takes_the_day_the_log_shows(sample, tz, capsys, zone):
    # 2023-07-06 09:30 in Shanghai is still 2023-07-05 in New York: --since counts local days.
    tz(zone)
    assert main(["--data", str(sample), "log", "--unit", "301205"]) == 0
    every = capsys.readouterr().out.splitlines()
    assert main(["--data", str(sample), "log", "--unit", "301205", "--since", "2023-07-06"]) == 0
    since = capsys.readouterr().out.splitlines()
    assert since == [line for line in every if line[:10] >= "2023-07-06"]
    assert bool(since) and len(since) < len(every)


async def test_the_record_form_drops_its_message_when_the_value_is_deleted(sample, loaded, until):
    from jixiao.tui.screens.record import RecordProgressScreen

    app = JixiaoApp(Store(sample, user="admin1"))
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot)
        app.query_one("#indicators", VirtualList).focus()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        await pilot.pause()
        form = app.screen
        await pilot.press(*"abc")
        await pilot.pause()
        assert _message(form, "#actual-error") != ""
        await pilot.press("backspace", "backspace", "backspace")
        await pilot.pause()
        assert _message(form, "#actual-error") == "" and not form.query_one("#actual").has_class("-invalid")
        await pilot.press("enter")                         # a save tried: now it is required
        await pilot.pause()
        assert _message(form, "#actual-error") != ""
