"""Every screen state is legible: text contrast at least 4.5:1 (WCAG AA), in the default theme,
with NO_COLOR (which Textual honours by turning every colour into a grey of the same lightness)
and on a 256-colour terminal (where Rich replaces each colour by the nearest of the xterm
palette as it writes) — measured on the screen the user sees, segment by segment."""

from __future__ import annotations

import pytest
from rich.color import ColorSystem
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

MODES = ("theme", "NO_COLOR", "256")
"""The default theme in true colour; with NO_COLOR; the default theme on a 256-colour terminal."""

modes = pytest.mark.parametrize("mode", MODES)


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


def drawn(colour, mode: str) -> Color:
    """A Rich colour as the terminal shows it: on a 256-colour terminal, its nearest xterm
    colour (what Rich's console writes there)."""
    if mode == "256":
        colour = colour.downgrade(ColorSystem.EIGHT_BIT)
    return Color.from_rich_color(colour)


def illegible(segs: list[Segment], mode: str = "theme") -> list[tuple[str, float]]:
    """Each piece of visible text whose colour is below ``AA`` against its own background.
    Box-drawing and block characters (borders, scroll bars) are not text."""
    bad = []
    for seg in segs:
        if not any(not ch.isspace() and not "\u2500" <= ch <= "\u259f" for ch in seg.text):
            continue
        style = seg.style
        assert style is not None and style.color is not None and style.bgcolor is not None, seg
        fg, bg = drawn(style.color, mode), drawn(style.bgcolor, mode)
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
    """``admin_app(mode)``: the app on the sample data as an admin (who may record), with
    NO_COLOR set in the environment before the app starts for mode ``NO_COLOR``."""
    data = tmp_path / "data"
    admin = Store(data, user="admin1")
    admin.bulk_load(load_sample())
    admin.grant("admin1", "admin")

    def make(mode: str) -> JixiaoApp:
        if mode == "NO_COLOR":
            monkeypatch.setenv("NO_COLOR", "1")
        else:
            monkeypatch.delenv("NO_COLOR", raising=False)
        return JixiaoApp(Store(data, user="admin1"))
    return make


@modes
async def test_cursor_rows_of_focused_and_unfocused_panes_are_legible_and_visible(admin_app, loaded, mode):
    app = admin_app(mode)
    assert app.no_color is (mode == "NO_COLOR")
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot)
        panes = list(app.query(VirtualList))
        assert sum(p.has_focus for p in panes) == 1 and len(panes) >= 3
        for pane in panes:
            row = cursor_row(app, pane)
            assert illegible(row, mode) == [], (pane.id, pane.has_focus, shown(row))
            # The selected row stands out from its neighbours even in a pane without focus.
            assert background(row) != background(plain_row(app, pane)), pane.id


@modes
async def test_the_worst_red_row_selected_in_triage_reads_its_status(admin_app, loaded, until, mode):
    app = admin_app(mode)
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot)
        await pilot.press("r")
        await until(pilot, lambda: app.monitor.mode == "triage")
        await pilot.pause()
        pane = app.query_one("#indicators", VirtualList)
        assert pane.has_focus and app.monitor.browser.colour(pane.current) == "red"
        row = cursor_row(app, pane)
        assert "✖" in shown(row) and "红" in shown(row)          # glyph and word say the status
        assert illegible(row, mode) == [], shown(row)
        # Not only the selected row: every red row below it is read too.
        region = pane.content_region
        reds = [line for y in range(region.y, region.bottom)
                for line in [segments(app, Region(region.x, y, region.width, 1))]
                if "✖" in shown(line) and "▸" not in shown(line)]
        assert len(reds) >= 2, "the sample's triage list has several red rows"
        for line in reds:
            assert illegible(line, mode) == [], shown(line)
        # Moving the focus away leaves the triage row selected and still legible.
        await pilot.press("shift+tab")
        await pilot.pause()
        row = cursor_row(app, pane)
        assert not pane.has_focus and illegible(row, mode) == [], shown(row)


@modes
async def test_check_boxes_and_radio_buttons_of_the_record_form_are_legible(admin_app, loaded, until, mode):
    app = admin_app(mode)
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
                assert illegible(segs, mode) == [], (toggle.label.plain, toggle.value, shown(segs))
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


# --- headers, detail, status words, forms ------------------------------------------------------
def pane_lines(app, widget, *, border: bool = True) -> list[list[Segment]]:
    """The segments of each screen line a widget covers, its border lines included."""
    region = widget.region if border else widget.content_region
    return [segments(app, Region(region.x, y, region.width, 1))
            for y in range(region.y, region.bottom)]


def words_of(lines: list[list[Segment]]) -> str:
    """All the text of some lines, for messages and for checking what was measured."""
    return "\n".join(shown(line) for line in lines)


@modes
async def test_pane_titles_column_headers_and_the_detail_pane_are_legible(admin_app, loaded, mode):
    app = admin_app(mode)
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot)
        for focus in ("#units", "#projects", "#indicators", "#detail"):
            app.query_one(focus).focus()           # each pane's title focused and not
            await pilot.pause()
            for pane in ("#units", "#projects", "#indicators", "#detail"):
                widget = app.query_one(pane)
                lines = pane_lines(app, widget)
                title = lines[0]
                assert shown(title).strip("╭─╮ ") and illegible(title, mode) == [], (pane, shown(title))
                if isinstance(widget, VirtualList):
                    header = lines[1]
                    assert illegible(header, mode) == [], (pane, shown(header))
                    bottom = lines[-1]          # the bottom border may carry a subtitle
                    assert illegible(bottom, mode) == [], (pane, shown(bottom))
        detail = pane_lines(app, app.query_one("#detail"), border=False)
        text = words_of(detail)
        assert "指标值" in text and "绿" in text         # labels, values and the status word
        for line in detail:
            assert illegible(line, mode) == [], shown(line)


@modes
async def test_every_status_word_reads_on_the_list_and_in_the_detail(admin_app, loaded, until, mode):
    # Rows off the cursor show each status in its own colour: red, amber, grey, blue, green.
    from jixiao.core.colours import COLOURS
    from jixiao.tui.i18n import status_word

    app = admin_app(mode)
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot)
        monitor = app.monitor
        pane = app.query_one("#indicators", VirtualList)
        seen = set()
        for colour in COLOURS:
            iid = next(i for i in monitor.browser.order() if monitor.browser.colour(i) == colour)
            monitor.jump_to(iid)
            await until(pilot, lambda: monitor.indicator_id == iid)
            await pilot.pause()
            # Move the cursor off the row, so the row is drawn in its status colour.
            pane.move_to(pane.cursor + (1 if pane.cursor + 1 < len(pane.rows) else -1))
            await pilot.pause()
            word = status_word(colour, "zh")
            region = pane.content_region
            lines = [segments(app, Region(region.x, y, region.width, 1))
                     for y in range(region.y, region.bottom)]
            rows = [line for line in lines if word in shown(line) and "▸" not in shown(line)]
            assert rows, (colour, words_of(lines))
            for line in rows:
                assert illegible(line, mode) == [], (colour, shown(line))
            seen.add(colour)
            # The same word leads the detail of an indicator of that colour.
            monitor.jump_to(iid)
            await until(pilot, lambda: monitor.indicator_id == iid)
            await pilot.pause()
            detail = pane_lines(app, app.query_one("#detail"), border=False)
            assert word in words_of(detail)
            for line in detail:
                assert illegible(line, mode) == [], (colour, shown(line))
        assert seen == set(COLOURS)


@modes
@pytest.mark.parametrize("key", ["e", "s"])
async def test_form_labels_hints_inputs_and_errors_are_legible(admin_app, loaded, until, mode, key):
    from jixiao.tui.screens.spending import SpendingScreen

    form_type = RecordProgressScreen if key == "e" else SpendingScreen
    app = admin_app(mode)
    async with app.run_test(size=(120, 35)) as pilot:
        await loaded(pilot)
        app.query_one("#indicators", VirtualList).focus()
        await pilot.press(key)
        await until(pilot, lambda: isinstance(app.screen, form_type))
        await pilot.pause()
        form = app.screen
        box = form.query_one("VerticalScroll")

        def check(*expect: str) -> None:
            lines = pane_lines(app, box, border=False)
            text = words_of(lines)
            for word in expect:
                assert word in text, (word, text)
            for line in lines:
                assert illegible(line, mode) == [], shown(line)

        # Labels, the placeholder of the empty focused field, hints, buttons.
        check("保存", "备注", "例如")
        await pilot.press(*"abc")                  # a typed value, marked wrong
        await pilot.pause()
        check("abc")
        error = form.query_one("#spent-error" if key == "s" else "#actual-error")
        assert error.has_class("-shown")
        form.query_one("#note").focus()            # the invalid field unfocused, another focused
        await pilot.press(*"ok")
        await pilot.pause()
        check("abc", "ok")
