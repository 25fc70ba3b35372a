"""The building blocks of the TUI: the virtual list (any length, only visible rows drawn), CJK
fitting, and the browser's triage, alerts and search."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult

from jixiao.core.dataset import Dataset
from jixiao.core.model import Budget, Indicator, Project, Settings, Unit
from jixiao.core.status import Evaluation, Status
from jixiao.tui.view import Browser
from jixiao.tui.widgets.vlist import VirtualList, fit


class CountingFormatter:
    """Formats a row and remembers which rows it was asked for."""

    def __init__(self) -> None:
        self.asked: set[int] = set()

    def __call__(self, row, width, vlist) -> Text:
        self.asked.add(row)
        return Text(f"row {row}")


class ListApp(App):
    def __init__(self, rows) -> None:
        super().__init__()
        self.formatter = CountingFormatter()
        self.rows = rows
        self.events: list[int] = []
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield VirtualList(self.formatter, header=lambda w: Text("header"), id="list")

    def on_mount(self) -> None:
        vlist = self.query_one(VirtualList)
        vlist.set_rows(self.rows)
        vlist.focus()

    def on_virtual_list_highlighted(self, event) -> None:
        if not isinstance(event, VirtualList.Selected):
            self.events.append(event.index)

    def on_virtual_list_selected(self, event) -> None:
        self.selected.append(event.row)


@pytest.mark.asyncio
async def test_a_hundred_thousand_rows_draw_only_what_is_on_screen():
    app = ListApp(list(range(100_000)))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        vlist = app.query_one(VirtualList)
        first = set(app.formatter.asked)
        assert first and max(first) < 12                  # only the first screenful was built
        await pilot.press("end")
        await pilot.pause()
        assert vlist.cursor == 99_999
        lines = [vlist.render_line(y).text for y in range(vlist.size.height)]
        assert lines[0].strip() == "header"               # the header stays put
        assert any(line.startswith("▸ row 99999") for line in lines)
        assert len(app.formatter.asked) < 40              # still only what was on screen
        await pilot.press("home", "down", "down")
        await pilot.pause()
        assert vlist.cursor == 2 and app.events[-1] == 2


@pytest.mark.asyncio
async def test_clicking_a_row_moves_the_cursor_and_clicking_again_selects():
    app = ListApp(list(range(50)))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.click("#list", offset=(5, 4))          # line 0 is the header → row 3
        await pilot.pause()
        assert app.query_one(VirtualList).cursor == 3
        await pilot.click("#list", offset=(5, 4))
        await pilot.pause()
        assert app.selected == [3]


@pytest.mark.asyncio
async def test_an_empty_list_shows_its_hint():
    class EmptyApp(App):
        def compose(self):
            yield VirtualList(lambda r, w, v: Text(str(r)), empty="nothing here")
    app = EmptyApp()
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        vlist = app.query_one(VirtualList)
        assert vlist.current is None
        assert "nothing here" in vlist.render_line(0).text


def test_fit_counts_chinese_as_two_cells_and_never_splits_a_character():
    assert cell_len(fit("天津市人民政府办公厅", 9).plain) == 9
    assert fit("天津市人民政府办公厅", 9).plain == "天津市人…"
    assert fit("ab", 5).plain == "ab   "
    assert fit("12", 5, right=True).plain == "   12"
    assert fit("[red]x[/]", 12).plain == "[red]x[/]   "    # literal, never markup


# --- browser -----------------------------------------------------------------------------------
def browser_with(colours: dict[str, list[str]], ratios: dict[str, float] | None = None) -> Browser:
    """Units → one project each → indicators coloured as given (ids like 'U1-0')."""
    ds = Dataset(settings=Settings(year=2023, as_of="2023-07-31"))
    ev = Evaluation(as_of="2023-07-31")
    for code, cols in colours.items():
        ds.add_unit(Unit(code, f"单位{code}"))
        p = Project(f"P{code}", code, 2023, f"项目{code}", Budget(1.0))
        ds.add_project(p)
        for n, colour in enumerate(cols):
            iid = f"{code}-{n}"
            ds.add_indicator(Indicator(iid, p.id, n, "产出指标", "数量指标", f"指标{iid}", "", f"≥{n}个"))
            ev.indicators[iid] = Status(colour, ratio=(ratios or {}).get(iid))
    return Browser(ds, ev)


def test_triage_lists_every_red_and_amber_worst_first():
    b = browser_with({"U1": ["green", "amber", "red"], "U2": ["red", "grey", "amber"]},
                     ratios={"U1-2": 0.5, "U2-0": 0.2, "U1-1": 0.7, "U2-2": 0.75})
    assert b.triage() == ["U2-0", "U1-2", "U1-1", "U2-2"]


def test_next_and_previous_alert_go_in_reading_order_and_wrap():
    b = browser_with({"U1": ["green", "amber", "red"], "U2": ["red", "green"]})
    assert b.next_alert(None) == "U1-1"
    assert b.next_alert("U1-1") == "U1-2"
    assert b.next_alert("U1-2") == "U2-0"
    assert b.next_alert("U2-0") == "U1-1"                 # wraps
    assert b.next_alert("U1-1", -1) == "U2-0"
    assert b.next_alert("U2-1", -1) == "U2-0"
    assert browser_with({"U1": ["green"]}).next_alert(None) is None


def test_search_matches_names_and_targets_by_every_word():
    b = browser_with({"U1": ["green", "red"], "U2": ["green"]})
    hits = b.search("单位U2")
    # the unit first, then what belongs to it (a word may name the unit of an indicator)
    assert hits[0].kind == "unit" and {h.unit_code for h in hits} == {"U2"}
    assert [h.indicator_id for h in b.search("≥1个")] == ["U1-1"]
    assert [h.indicator_id for h in b.search("指标U1 ≥0")] == ["U1-0"]
    assert b.search("   ") == [] and b.search("不存在") == []
    # at most ``limit`` hits, the first ones in reading order
    assert [(h.kind, h.indicator_id) for h in b.search("单位U1", limit=3)] == [
        ("unit", None), ("project", None), ("indicator", "U1-0")]


def test_sort_by_status_puts_the_worst_first_and_keeps_table_order_otherwise():
    b = browser_with({"U1": ["green", "amber", "red", "grey"]})
    assert [i.id for i in b.indicators("PU1")] == ["U1-0", "U1-1", "U1-2", "U1-3"]
    assert [i.id for i in b.indicators("PU1", by_status=True)] == ["U1-2", "U1-1", "U1-3", "U1-0"]


def test_a_published_dataset_never_changes_and_a_newer_version_keeps_the_caches():
    from jixiao.core.model import ProgressEntry
    from jixiao.tui.versions import Versions, copy_dataset, with_progress
    b = browser_with({"U1": ["green", "red"], "U2": ["amber"]})
    ds = b.dataset
    versions = Versions()
    with versions.writing():
        first = versions.publish(ds)
    before = {k: list(v) for k, v in ds.progress.items()}
    b.triage(), b.search("U1")
    entry = ProgressEntry(id="e1", indicator_id="U1-0", as_of="2023-06-30", actual="1",
                          author="a", recorded_at="2023-07-01T00:00:00")
    newer = with_progress(ds, entry)
    assert newer is not ds and [e.id for e in newer.progress["U1-0"]] == ["e1"]
    assert {k: list(v) for k, v in ds.progress.items()} == before       # the old one is as it was
    with versions.writing():
        assert versions.publish(newer) > first and versions.latest is newer
    # a new entry keeps the structure: every cache carries over to the newer version's browser
    b2 = b.for_dataset(newer)
    assert b2.dataset is newer and b2._ordering is b._ordering and b2._triage is b._triage
    # a refresh's copy may be changed freely; the browser of a changed structure starts afresh
    copy = copy_dataset(newer)
    del copy.indicators["U2-0"]
    copy.invalidate()
    assert "U2-0" in newer.indicators and [i.id for i in newer.indicators_of("PU2")] == ["U2-0"]
    assert b2.for_dataset(copy)._ordering is None


# --- what a newcomer noticed -------------------------------------------------------------------
TIANJIN = {"301101": "天津市人民政府办公厅", "301205": "天津市人民政府办公厅综合服务中心",
           "301206": "天津市人民政府驻北京办事处招待所", "301303": "天津市人民政府办公厅政务信息发布中心"}


def test_unit_names_lose_the_prefix_they_share_so_they_can_be_told_apart():
    from jixiao.tui.view import elide_shared_prefixes
    short = elide_shared_prefixes(TIANJIN)
    assert short == {"301101": "…办公厅", "301205": "…综合服务中心",
                     "301206": "…驻北京办事处招待所", "301303": "…政务信息发布中心"}
    assert elide_shared_prefixes({"1": "天津市人民政府办公厅"}) == {"1": "天津市人民政府办公厅"}
    # Latin-script words are not cut in the middle
    assert elide_shared_prefixes({"a": "Health Bureau", "b": "Health Board"}) == {
        "a": "…Bureau", "b": "…Board"}


def test_search_words_may_name_the_indicator_its_project_or_its_unit():
    b = browser_with({"U1": ["green", "red"], "U2": ["green"]})
    # "项目U2" names the project, "≥0" the indicator's target: together they find that one
    assert [h.indicator_id for h in b.search("≥0 项目U2")] == ["U2-0"]
    # a unit code narrows an indicator search too
    assert [h.indicator_id for h in b.search("u1 ≥1个")] == ["U1-1"]
    assert [h.indicator_id for h in b.search("PU2")] == [None, "U2-0"]   # project id, then its row
    assert b.search("≥1个 项目U2") == []


def test_the_footer_shortens_labels_then_drops_keys_but_keeps_help_and_quit():
    from jixiao.tui.widgets.footer import FooterItem, choose
    items = [FooterItem(id, id, id[0], full, short) for id, full, short in (
        ("record", "记录进度", "记录"), ("date", "监控日期", "日期"), ("back", "返回", "返回"),
        ("help", "帮助", "帮助"), ("quit", "退出", "退出"))]
    plain = lambda chosen: " ".join(f"{i.display} {t}" for i, t in chosen)  # noqa: E731
    kw = dict(keep={"help", "quit"}, drop_order=("back", "date", "record"), minor=1)
    assert plain(choose(items, 42, **kw)) == "r 记录进度 d 监控日期 b 返回 h 帮助 q 退出"
    assert plain(choose(items, 35, **kw)) == "r 记录进度 d 监控日期 h 帮助 q 退出"   # minor goes first
    assert plain(choose(items, 34, **kw)) == "r 记录 d 日期 b 返回 h 帮助 q 退出"
    assert plain(choose(items, 20, **kw)) == "r 记录 h 帮助 q 退出"
    assert plain(choose(items, 5, **kw)) == "h 帮助 q 退出"                   # never dropped


@pytest.mark.asyncio
async def test_an_empty_list_wraps_its_message_instead_of_cutting_it():
    message = "没有数据：请先导入目标表（jixiao import）"
    app = ListApp([])
    async with app.run_test(size=(24, 12)) as pilot:
        vlist = app.query_one(VirtualList)
        vlist.empty = message
        vlist.refresh()
        await pilot.pause()
        lines = [vlist.render_line(y).text.strip() for y in range(vlist.size.height)]
        assert "".join(lines[1:]) == message        # every character, over several lines
