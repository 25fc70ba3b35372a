"""Every screen state is legible: text contrast at least 4.5:1 (WCAG AA), in the default theme
and with NO_COLOR (which Textual honours by turning every colour into a grey of the same
lightness) — measured on the screen the user sees, segment by segment."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.geometry import Region

from jixiao.sample_data import load_sample
from jixiao.store.repository import Store
from jixiao.tui.app import JixiaoApp
from jixiao.tui.screens.record import RecordProgressScreen
from jixiao.tui.widgets.toggles import StateCheckbox, StateRadioButton
from jixiao.tui.widgets.vlist import VirtualList

AA = 4.5
"""WCAG 2 AA: the least contrast for ordinary text."""

modes = pytest.mark.parametrize("no_color", [False, True], ids=["theme", "NO_COLOR"])


def luminance(colour: Color) -> float:
    """WCAG relative luminance of an sRGB colour."""
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def segments(app, region: Region) -> list[Segment]:
    """What the screen shows inside ``region``, as drawn (filters such as NO_COLOR applied)."""
    update = app.screen._compositor.render_full_update(simplify=True)
    out = []
    for y in range(region.y, region.bottom):
        out += list(update.strips[y][0].crop(region.x, region.right))
    return out


def shown(segs: list[Segment]) -> str:
    """The plain text of some segments."""
    return "".join(s.text for s in segs)


def illegible(segs: list[Segment]) -> list[tuple[str, float]]:
    """Each piece of visible text whose colour is below ``AA`` against its own background."""
    bad = []
    for seg in segs:
        if not seg.text.strip():
            continue
        style = seg.style
        assert style is not None and style.color is not None and style.bgcolor is not None, seg
        fg, bg = Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
        if style.reverse:
            fg, bg = bg, fg
        ratio = contrast(fg, bg)
        if ratio < AA:
            bad.append((seg.text, round(ratio, 2), fg.hex, bg.hex))
    return bad


def background(segs: list[Segment]) -> Color:
    """The background behind the first piece of text."""
    seg = next(s for s in segs if s.text.strip())
    return Color.from_rich_color(seg.style.bgcolor)


def cursor_row(app, pane: VirtualList) -> list[Segment]:
    """The segments of the pane's line that carries the cursor marker."""
    region = pane.content_region
    for y in range(region.y, region.bottom):
        line = segments(app, Region(region.x, y, region.width, 1))
        if shown(line).startswith("▸"):
            return line
    raise AssertionError(f"no cursor row in #{pane.id}")


def plain_row(app, pane: VirtualList) -> list[Segment]:
    """The segments of a row without the cursor (the line after the cursor's)."""
    region = pane.content_region
    y = region.y + pane.header_height + pane.cursor - int(pane.scroll_y) + 1
    return segments(app, Region(region.x, y, region.width, 1))


@pytest.fixture
def admin_app(tmp_path, monkeypatch):
    """``admin_app(no_color)``: the app on the sample data as an admin (who may record), with
    NO_COLOR set in the environment before the app starts when asked."""
    data = tmp_path / "data"
    admin = Store(data, user="admin1")
    admin.bulk_load(load_sample())
    admin.grant("admin1", "admin")

    def make(no_color: bool) -> JixiaoApp:
        if no_color:
            monkeypatch.setenv("NO_COLOR", "1")
        else:
            monkeypatch.delenv("NO_COLOR", raising=False)
        return JixiaoApp(Store(data, user="admin1"))
    return make


@modes
async def test_cursor_rows_of_focused_and_unfocused_panes_are_legible_and_visible(admin_app, loaded, no_color):
    app = admin_app(no_color)
    assert app.no_color is no_color
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot)
        panes = list(app.query(VirtualList))
        assert sum(p.has_focus for p in panes) == 1 and len(panes) >= 3
        for pane in panes:
            row = cursor_row(app, pane)
            assert illegible(row) == [], (pane.id, pane.has_focus, shown(row))
            # The selected row stands out from its neighbours even in a pane without focus.
            assert background(row) != background(plain_row(app, pane)), pane.id


@modes
async def test_the_worst_red_row_selected_in_triage_reads_its_status(admin_app, loaded, until, no_color):
    app = admin_app(no_color)
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot)
        await pilot.press("r")
        await until(pilot, lambda: app.monitor.mode == "triage")
        await pilot.pause()
        pane = app.query_one("#indicators", VirtualList)
        assert pane.has_focus and app.monitor.browser.colour(pane.current) == "red"
        row = cursor_row(app, pane)
        assert "✖" in shown(row) and "红" in shown(row)          # glyph and word say the status
        assert illegible(row) == [], shown(row)
        # Not only the selected row: every red row below it is read too.
        region = pane.content_region
        reds = [line for y in range(region.y, region.bottom)
                for line in [segments(app, Region(region.x, y, region.width, 1))]
                if "✖" in shown(line) and "▸" not in shown(line)]
        assert len(reds) >= 2, "the sample's triage list has several red rows"
        for line in reds:
            assert illegible(line) == [], shown(line)
        # Moving the focus away leaves the triage row selected and still legible.
        await pilot.press("shift+tab")
        await pilot.pause()
        row = cursor_row(app, pane)
        assert not pane.has_focus and illegible(row) == [], shown(row)


@modes
async def test_check_boxes_and_radio_buttons_of_the_record_form_are_legible(admin_app, loaded, until, no_color):
    app = admin_app(no_color)
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot)
        app.query_one("#indicators", VirtualList).focus()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RecordProgressScreen))
        await pilot.pause()
        form = app.screen
        boxes = list(form.query(StateCheckbox))
        radios = list(form.query(StateRadioButton))
        assert boxes and radios

        def check(expect: set[str]) -> None:
            seen = set()
            for toggle in boxes + radios:
                segs = segments(app, toggle.region)
                seen |= set(shown(segs)) & {"☐", "☑", "○", "◉"}
                assert illegible(segs) == [], (toggle.label.plain, toggle.value, shown(segs))
            assert expect <= seen

        check({"☐", "○"})
        boxes[0].value = True
        radios[0].value = True
        boxes[-1].focus()                        # a focused box draws its label as a cursor
        await pilot.pause()
        check({"☑", "☐", "◉", "○"})
        radios[0].parent.focus()                 # a focused radio set marks its chosen button
        await pilot.pause()
        check({"☑", "☐", "◉", "○"})
