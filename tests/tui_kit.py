"""Shared helpers of the TUI tests: a small dataset, and waiting for and reading the screen.

Imported by ``conftest.py`` only, which hands each helper to the tests as a fixture of the same
name; a test module never imports another test module or this one.
"""

from __future__ import annotations

import threading
import time

from jixiao.core.dataset import Dataset
from jixiao.core.model import Budget, Indicator, Project, Settings, Unit
from jixiao.store.repository import Store
from jixiao.tui.app import JixiaoApp
from jixiao.tui.messages import Refreshed
from jixiao.tui.widgets.vlist import VirtualList

YEAR = 2023


def small_dataset() -> Dataset:
    """Two units; unit 301101 has one project with a count, a rate and a qualitative target."""
    ds = Dataset(settings=Settings(year=YEAR, as_of="2023-07-31"))
    ds.add_unit(Unit("301101", "天津市人民政府办公厅"))
    ds.add_unit(Unit("301205", "[red]x[/] 综合服务中心"))
    p1 = Project(Project.make_id("301101", YEAR, "系统等级保护测评项目"), "301101", YEAR,
                 "系统等级保护测评项目", Budget(89.0, 89.0, 0.0))
    p2 = Project(Project.make_id("301205", YEAR, "[/x] 项目"), "301205", YEAR, "[/x] 项目",
                 Budget(10.0, 10.0, 0.0))
    for p in (p1, p2):
        ds.add_project(p)
    rows = [(p1, "数量指标", "开展等保测评的系统数量", "≥8个"),
            (p1, "质量指标", "等级保护测评合格率", "100%"),
            (p1, "时效指标", "[bold]按时[/bold]完成", "及时"),
            (p2, "数量指标", "服务[次数]", "≥100次")]
    for n, (p, cat, name, target) in enumerate(rows):
        ds.add_indicator(Indicator(Indicator.make_id(p.id, "产出指标", cat, name), p.id, n,
                                   "产出指标", cat, name, f"{name}的描述", target))
    return ds


async def until(pilot, predicate, timeout: float = 5.0) -> None:
    """Let the app run until ``predicate()`` holds (workers finish asynchronously)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.05)


async def first_shown(pilot) -> JixiaoApp:
    """The app with the first stage of its start-up on screen: the unit the cursor starts on,
    coloured (the others may still be loading)."""
    app = pilot.app
    await until(pilot, lambda: app.monitor.browser is not None
                and app.monitor.browser.evaluation is not None)
    await pilot.pause()
    return app


async def loaded(pilot) -> JixiaoApp:
    """The app with its complete state on screen (every start-up stage done, every history
    read, colours shown)."""
    app = pilot.app
    await until(pilot, lambda: app.monitor.browser is not None and app.monitor.browser.evaluation is not None
                and app.monitor.browser.whole)
    await pilot.pause()
    return app


def rows_text(vlist: VirtualList) -> list[str]:
    """The plain text of every visible line of a virtual list."""
    return [vlist.render_line(y).text for y in range(vlist.scrollable_content_region.height)]


def indicators_pane(app) -> VirtualList:
    """The indicators pane of the monitor screen."""
    return app.query_one("#indicators", VirtualList)


def row_of(app, indicator_id: str) -> str:
    """The indicators pane's line for one indicator (it must be on screen)."""
    pane = indicators_pane(app)
    index = next(n for n, i in enumerate(pane.rows) if i.id == indicator_id)
    return pane.render_line(index - int(pane.scroll_y) + pane.header_height).text


def cursor_line(vlist: VirtualList) -> str:
    """The visible line that carries the cursor marker ('' when the cursor is off screen)."""
    return next((line for line in rows_text(vlist) if line.startswith("▸")), "")


def screen_text(app) -> str:
    """Everything on the screen as plain text: what a user reads."""
    update = app.screen._compositor.render_full_update()
    return "\n".join(_line_text(line) for line in update.strips)


def _line_text(line) -> str:
    return line.text if hasattr(line, "text") else "".join(s.text for s in line)


class HeldStore(Store):
    """A store whose complete ``load`` waits for ``release`` — before reading the files, or
    (``read_first``) after reading them, so writes made meanwhile are not in what it read.
    A subset ``load(keys=…)`` (the first stage) is never held."""

    def __init__(self, *args, read_first: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.release = threading.Event()
        self.held = threading.Event()
        self.read_first = read_first

    def load(self, keys=None, **kwargs):
        """As ``Store.load``; the complete load is held until ``release`` is set."""
        if keys is not None:
            return super().load(keys, **kwargs)
        dataset = super().load(**kwargs) if self.read_first else None
        self.held.set()
        # A bound on the wait only so a broken test cannot hang the suite; the tests release
        # it themselves, and never depend on the timeout.
        self.release.wait(30)
        return dataset if dataset is not None else super().load(**kwargs)


class Refreshes(list):
    """A ``message_hook`` for ``App.run_test`` that keeps every ``Refreshed`` the app posts,
    each once (a message is seen by every node it bubbles through), in order."""

    def __call__(self, message) -> None:
        if isinstance(message, Refreshed) and not any(m is message for m in self):
            self.append(message)


async def ended_soon(returned: threading.Event, within: float = 2.0) -> None:
    """Call right after an app run with ``run_test`` has ended (that is when its screen
    unmounts): fail unless ``returned`` — set by a test's store when its slow call returns,
    however it ends — is set within ``within`` seconds. Quitting waits for the worker thread
    making that call (asyncio joins it at exit), so this is a hang check, never a timing.
    (Textual marks its workers cancelled at once; their threads run on.)"""
    import asyncio

    deadline = time.monotonic() + within
    while not returned.is_set():
        if time.monotonic() > deadline:
            raise AssertionError(f"the store's call still runs {within} s after the app ended")
        await asyncio.sleep(0.05)


async def record_through_the_form(pilot, name: str, actual: str) -> str:
    """As a user: find the indicator called ``name`` with ``/``, press ``e``, type ``actual``
    and save with Ctrl+S; the indicator's id once the form has closed."""
    from jixiao.tui.screens.record import RecordProgressScreen

    app = pilot.app
    await pilot.press("slash", *name, "enter")
    await until(pilot, lambda: getattr(app.monitor.current_indicator(), "name", None) == name)
    iid = app.monitor.current_indicator().id
    await pilot.press("e")
    await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
    await pilot.press(*actual, "ctrl+s")
    await until(pilot, lambda: not isinstance(app.screen, RecordProgressScreen))
    return iid


def second_year(ds: Dataset, code: str) -> Dataset:
    """``ds`` with a 2022 copy of the first project of unit ``code`` and its indicators: the
    unit then has two partitions, one per budget year."""
    from dataclasses import replace

    project = ds.projects_of(code)[0]
    old = replace(project, id=project.id + "y22", year=2022)
    ds.projects[old.id] = old
    for ind in ds.indicators_of(project.id):
        ds.indicators[ind.id + "y22"] = replace(ind, id=ind.id + "y22", project_id=old.id)
    ds.invalidate()
    return ds
