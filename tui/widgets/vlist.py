"""A list that renders only the rows on screen (Textual's Line API), for lists of any length.

DataTable builds every row up front (20 s for 100k rows, BASELINE.md); this widget keeps a plain
Python list of row objects and asks a formatter for the few lines that are visible, so filling it
is O(1) and moving the cursor costs one repaint whatever the length.
"""

from __future__ import annotations

from typing import Any, Callable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from jixiao.core.textwidth import fit_plan, wrap

from .literal import literal

Formatter = Callable[[Any, int, "VirtualList"], Text]
"""``(row, width, list) -> Text``: one row as it should appear in ``width`` cells."""

STATUS_CLASSES = frozenset(("status--red", "status--amber", "status--grey", "status--blue",
                            "status--green"))
"""The component classes through which a widget takes its status colours from the theme."""

STATUS_CSS = """
{name} > .status--red {{ color: $text-error; text-style: bold; }}
{name} > .status--amber {{ color: $warning; text-style: bold; }}
{name} > .status--grey {{ color: $text-muted; }}
{name} > .status--blue {{ color: $text-primary; }}
{name} > .status--green {{ color: $success; }}
"""
"""The theme's colour for each status (``{name}``: the widget's class name) — one table for
every widget that draws statuses, so they cannot drift apart."""


def fit(text: str | Text, width: int, *, right: bool = False, style: Style | str = "") -> Text:
    """``text`` cut or padded to exactly ``width`` terminal cells: ``core.textwidth.fit`` for a
    styled ``Text`` (the same measure, the same cut, the same ellipsis).

    User text arrives as ``str`` and becomes a literal ``Text``: never parsed as markup, and
    control characters are drawn as symbols, never sent to the terminal.
    """
    t = text.copy() if isinstance(text, Text) else Text(str(text), style=style)
    # Same length in and out, so the spans (status colours) stay where they were.
    t.plain = literal(t.plain)
    t.no_wrap = True
    keep, tail, pad = fit_plan(t.plain, width)
    if keep < len(t):
        t = t[:keep]
        t.append(tail)
    if pad > 0:
        if right:
            t = Text(" " * pad) + t
        else:
            t.append(" " * pad)
    return t


class VirtualList(ScrollView, can_focus=True):
    """A scrolling, cursor-driven list of arbitrary rows with an optional fixed header line.

    ``formatter`` turns a row into a ``Text`` of the given width; ``header`` (a callable of the
    width) gives the first line, which never scrolls away. Posts ``Highlighted`` when the cursor
    moves and ``Selected`` on Enter or a click on the current row.
    """

    COMPONENT_CLASSES = {"vlist--header", "vlist--cursor", "vlist--empty"} | STATUS_CLASSES

    DEFAULT_CSS = """
    VirtualList { height: 1fr; background: $surface; overflow-x: hidden; }
    VirtualList > .vlist--header { color: $text-muted; text-style: bold; }
    VirtualList > .vlist--cursor { background: $panel-lighten-1; color: $foreground; text-style: bold; }
    /* Not $block-cursor-background (#0178D4): its text reads 4.5:1 in true colour but 3.9:1
       once a 256-colour terminal rounds it to #0087D7; two shades darker keeps both above. */
    VirtualList:focus > .vlist--cursor { background: $primary-darken-2; color: $block-cursor-foreground; }
    VirtualList > .vlist--empty { color: $text-muted; text-style: italic; }
    """ + STATUS_CSS.format(name="VirtualList")

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        """The cursor moved to ``row`` (``None`` when the list is empty)."""

        def __init__(self, vlist: "VirtualList", index: int, row: Any) -> None:
            super().__init__()
            self.vlist = vlist
            self.index = index
            self.row = row

        @property
        def control(self) -> "VirtualList":
            """The list that posted this message."""
            return self.vlist

    class Selected(Highlighted):
        """Enter (or a click on the current row) chose ``row``."""

    def __init__(self, formatter: Formatter, *, header: Callable[[int], Text] | None = None,
                 empty: str = "", name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.formatter = formatter
        self.header = header
        self.empty = empty
        self.rows: list = []
        self._style_cache: dict[str, Style] = {}

    # --- data -------------------------------------------------------------------------------
    @property
    def header_height(self) -> int:
        """1 when the list has a fixed header line, else 0."""
        return 1 if self.header else 0

    @property
    def current(self) -> Any:
        """The row under the cursor, or ``None`` for an empty list."""
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    def set_rows(self, rows: list, cursor: int = 0, *, announce: bool = True) -> None:
        """Show ``rows`` (kept by reference, never copied) with the cursor on ``cursor``."""
        self.rows = rows
        self.virtual_size = Size(0, len(rows) + self.header_height)
        self._move(max(0, min(cursor, len(rows) - 1)), announce=announce, force=True)
        # The new virtual size takes effect at the next layout; scroll again once it has.
        self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()

    def redraw(self) -> None:
        """Repaint the visible rows (after statuses changed) without moving anything."""
        self._style_cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        """The theme changed: forget cached styles."""
        self._style_cache.clear()
        super().notify_style_update()

    def status_style(self, colour: str) -> Style:
        """The theme's style for a status colour (from the ``status--*`` component classes)."""
        return self.component_style(f"status--{colour}")

    def component_style(self, name: str) -> Style:
        """A cached rich style of one of this widget's component classes."""
        style = self._style_cache.get(name)
        if style is None:
            style = self._style_cache[name] = self.get_component_rich_style(name, partial=True)
        return style

    # --- movement ---------------------------------------------------------------------------
    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - self.header_height)

    def _move(self, index: int, *, announce: bool = True, force: bool = False) -> None:
        if not self.rows:
            index = 0
        old = self.cursor
        self.cursor = index
        self._scroll_to_cursor()
        if old != index or force:
            self.refresh()
            if announce:
                self.post_message(self.Highlighted(self, index, self.current))

    def _scroll_to_cursor(self) -> None:
        top = int(self.scroll_y)
        page = self._page
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False, immediate=True)

    def move_to(self, index: int, *, announce: bool = True) -> None:
        """Put the cursor on row ``index`` (clipped) and scroll it into view."""
        if self.rows:
            self._move(max(0, min(index, len(self.rows) - 1)), announce=announce)

    def action_cursor(self, step: int) -> None:
        """Move the cursor ``step`` rows."""
        self.move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        """Move the cursor one screenful."""
        self.move_to(self.cursor + direction * self._page)

    def action_edge(self, end: int) -> None:
        """Go to the first (0) or last (1) row."""
        self.move_to(len(self.rows) - 1 if end else 0)

    def action_select(self) -> None:
        """Choose the current row."""
        if self.rows:
            self.post_message(self.Selected(self, self.cursor, self.current))

    def on_click(self, event: Click) -> None:
        """A click moves the cursor to that row; a click on the current row selects it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < self.header_height:
            return
        index = int(self.scroll_y) + offset.y - self.header_height
        if 0 <= index < len(self.rows):
            if index == self.cursor or event.chain > 1:
                self.action_select()
            else:
                self.move_to(index)

    def on_resize(self) -> None:
        """Keep the virtual size in step with the width, and the cursor visible."""
        self.virtual_size = Size(0, len(self.rows) + self.header_height)
        self._scroll_to_cursor()

    # --- drawing ----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        """Draw screen line ``y``: the header, a row, or blank."""
        width = self.scrollable_content_region.width
        base = self.rich_style
        # Two cells on the left carry the cursor marker, so the cursor shows without colour too.
        inner = max(0, width - 2)
        if self.header and y == 0:
            text = Text("  ") + fit(self.header(inner), inner)
            text.stylize(self.component_style("vlist--header"))
            return self._strip(text, width, base)
        index = int(self.scroll_y) + y - self.header_height
        if not self.rows:
            # The empty message wraps: it often says what to do ("…import tables first"), and a
            # cut-off instruction is no instruction.
            lines = self._empty_lines(width) if self.empty else []
            line = y - self.header_height
            if 0 <= line < len(lines):
                return self._strip(lines[line], width, base)
            return Strip.blank(width, base)
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base)
        row = fit(self.formatter(self.rows[index], inner, self), inner)
        if index == self.cursor:
            text = Text("▸ ") + row
            # The cursor's colours go over the status colours, not under them: red on the
            # cursor's blue is 1.2:1, and the glyph and word still say the status.
            text.stylize(self.component_style("vlist--cursor"))
        else:
            text = Text("  ") + row
        return self._strip(text, width, base)

    def _empty_lines(self, width: int) -> list[Text]:
        # core's wrap, not Rich's: Rich splits a Latin word that follows Chinese text mid-word
        # (``ji`` / ``xiao import``), and a command cut in two cannot be copied.
        style = self.component_style("vlist--empty")
        return [Text(literal(line), style=style) for line in wrap(self.empty, max(1, width))]

    def _strip(self, text: Text, width: int, base: Style) -> Strip:
        segments = [Segment(s.text, base + s.style if s.style else base)
                    for s in text.render(self.app.console) if s.text != "\n"]
        return Strip(segments).adjust_cell_length(width, base)
