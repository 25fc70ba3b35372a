"""Reading 项目支出绩效目标表 from a Word ``.docx`` document, as budget units publish them.

Every table whose header row names 一级指标, 二级指标, 三级指标 and 指标值 (绩效指标描述 may be
missing) is one project's indicators. The rows above that header in the same table, and the
paragraphs (or small tables) between the previous project's table and this one, give the unit,
项目名称, the budget (预算数 / 其中：财政资金 / 其他资金), 资金用途 and 绩效目标, read with the
same rules as the Word text layout (``core.tables``), so both give the same projects, ids and
warnings.

python-docx gives a merged cell in every grid position it covers: a 一级指标 merged down
repeats on each of its rows and a 项目名称 merged across is one value. Places are named as a
person finds them in Word: ``table 3, row 5``.
"""

from __future__ import annotations

import io
import re

from ..errors import JixiaoError
from .. import places
from ..faults import say
from ..language import say as say_in
from ..tables import (
    _FISCAL_LABELS, _GOAL_LABELS, _HEADER_ALIASES, _LAST_LEVEL1, _MONEY_UNIT, _NAME_LABELS,
    _OTHER_LABELS, _PURPOSE_LABELS, _SECTION_LABELS, _TOTAL_LABELS, IndicatorRow, ProjectTable,
    TargetTables, _UNIT_CELL, check_rows, _is_unit_cell, _no_satisfaction, _EMPTY_CELL, _FIRST_LEVEL1, _CATEGORY, _NAME, _TARGET, _SOME_ROW, _read_header, _shorten, _squash, _strip_title, _Token,
)
from . import damaged

_LABELS = (_NAME_LABELS | _TOTAL_LABELS | _FISCAL_LABELS | _OTHER_LABELS | _GOAL_LABELS
           | _PURPOSE_LABELS | _SECTION_LABELS)
_COLUMNS = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值")
_REQUIRED = ("一级指标", "二级指标", "三级指标", "指标值")
# Pieces of one paragraph: Word users line up "301101某单位     单位：万元" with tabs or spaces.
_GAP = re.compile(r"\t+| {2,}|\u3000+")
_UNIT_PREFIX = re.compile(r"^(?:预算单位|单位名称|部门名称|部门|单位)\s*[:：]\s*(?=\d{3,})")
_LABEL_VALUE = re.compile(r"^([^:：]{2,12}[:：])\s*(.+)$", re.S)


def read_docx(raw: bytes, source: str) -> TargetTables:
    """Every project table of the Word document ``raw``; ``JixiaoError`` (nothing stored) for a
    document that cannot be opened or whose tables do not fit."""
    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(raw))
        blocks = list(document.iter_inner_content())
    except Exception as exc:  # python-docx raises many kinds on a broken package
        raise JixiaoError(damaged(source, type(exc).__name__)) from None
    reader = _Reader(source)
    table_no = 0
    for block in blocks:
        if isinstance(block, Table):
            table_no += 1
            reader.table(table_no, block)
        else:
            reader.paragraph(block.text, table_no)
    if not reader.tables:
        raise JixiaoError(say("docx_no_table", path=source, count=table_no))
    for t in reader.tables:
        if not any(_LAST_LEVEL1 in r.level1 for r in t.rows):
            reader.warnings.append(_no_satisfaction(t.place, t.name))
    return TargetTables(tuple(reader.tables), "docx", tuple(reader.warnings))


def _cell_text(cell) -> str:
    # As the text layout reads a cell: each paragraph stripped, empty paragraphs dropped.
    return "\n".join(p for p in (para.text.strip() for para in cell.paragraphs) if p)


def _grid(table) -> list[list[tuple[object, str]]]:
    """``(tc, text)`` for every grid position of every row; a merged cell repeats its ``tc``."""
    texts: dict = {}
    grid = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            tc = cell._tc
            if tc not in texts:
                texts[tc] = _cell_text(cell)
            cells.append((tc, texts[tc]))
        grid.append(cells)
    return grid


def _header_columns(row: list[tuple[object, str]]) -> dict[str, int] | None:
    """The grid column of each indicator column when ``row`` is the indicator header row."""
    found: dict[str, int] = {}
    for col, (_, text) in enumerate(row):
        label = _squash(text)
        for name in _COLUMNS:
            if name not in found and label in _HEADER_ALIASES[name]:
                found[name] = col
    return found if all(name in found for name in _REQUIRED) else None


def _starts_head(row: list[tuple[object, str]]) -> bool:
    """Whether ``row`` opens a project's head: a 项目名称 or 单位：万元 cell, or the unit alone on
    its row (an indicator row has four or five cells of its own)."""
    labels = {_squash(text) for _, text in row}
    if labels & _NAME_LABELS or any(_MONEY_UNIT.match(label) for label in labels):
        return True
    distinct = len({id(tc) for tc, _ in row})
    return bool(row) and distinct <= 2 and _is_unit_cell(row[0][1])


class _Place:
    """Where a piece was found, for messages: ``table 3, row 2`` or ``above table 3``."""

    def __init__(self):
        self.names: list[str] = []

    def token(self, kind: str, text: str, place: str) -> _Token:
        # A token's ``line`` indexes ``names``: the header rules of ``core.tables`` are reused as
        # they are, and ``_Cursor.where`` (here ``_TableCursor.where``) turns it into words.
        self.names.append(place)
        return _Token(kind, text, len(self.names) - 1)


class _TableCursor:
    """What ``core.tables._read_header`` needs of a cursor, for one Word table."""

    def __init__(self, source: str, places: _Place, header: _Token):
        self.source, self.places, self.header = source, places, header

    def peek(self, k: int = 0) -> _Token:
        return self.header

    def where(self, tok: _Token) -> str:
        return self.places.names[tok.line]

    def fail(self, expected: str, tok: _Token | None = None, found: str | None = None) -> JixiaoError:
        tok = tok or self.header
        what = found or (f"“{_shorten(tok.text)}”" if tok.text else _EMPTY_CELL())
        return JixiaoError(say_in(
            f"{self.source}: {self.where(tok)}: expected {expected}, found {what}; is this a "
            "项目支出绩效目标表 document? Nothing was stored.",
            f"{self.source}：{self.where(tok)}：此处应为{expected}，实际是{what}。这是项目支出绩效"
            "目标表文档吗？未保存任何内容。"))


class _Reader:
    """Walks the document body in order, keeping what stands above the next project table."""

    def __init__(self, source: str):
        self.source = source
        self.places = _Place()
        self.pending: list[_Token] = []
        self.tables: list[ProjectTable] = []
        self.warnings: list[str] = []

    def paragraph(self, text: str, tables_before: int) -> None:
        place = places.above_table(tables_before + 1)
        for piece in _GAP.split(text):
            piece = _UNIT_PREFIX.sub("", piece.strip())
            if not piece:
                continue
            m = _LABEL_VALUE.match(piece)
            if m and _squash(m.group(1)[:-1]) in _LABELS:
                # "项目名称：某项目" written as a paragraph: a label cell and its value cell.
                self.pending.append(self.places.token("cell", m.group(1)[:-1], place))
                self.pending.append(self.places.token("cell", m.group(2).strip(), place))
            else:
                self.pending.append(self.places.token("text", piece, place))

    def table(self, number: int, table) -> None:
        grid = _grid(table)
        r = 0
        # Usually one project per table; a unit that put all its projects in one table starts
        # each with its head rows (unit, 项目名称 …) after the previous project's indicators.
        for header_at in (i for i, row in enumerate(grid) if _header_columns(row)):
            if header_at < r:
                continue  # the header repeated among the indicator rows (a page break)
            for i in range(r, header_at):
                self.pending.extend(self._row_pieces(grid, i, grid[i], places.table_row(number, i + 1)))
            end = next((i for i in range(header_at + 1, len(grid)) if _starts_head(grid[i])), len(grid))
            header = self.places.token("cell", "一级指标", places.table_row(number, header_at + 1))
            self.tables.append(self._project(number, grid, header_at, end, header))
            self.pending = []
            r = end
        # What is left (a whole table without the header, say the unit and 单位：万元 on their
        # own) belongs to the next project.
        for i in range(r, len(grid)):
            self.pending.extend(self._row_pieces(grid, i, grid[i], places.table_row(number, i + 1)))

    def _row_pieces(self, grid, r: int, row, place: str) -> list[_Token]:
        # As Word writes a table as text: a cell spanning columns once, a cell merged down from
        # the row above as an empty cell (it is the value's label, already seen).
        out = []
        for col, (tc, text) in enumerate(row):
            if col and row[col - 1][0] is tc:
                continue
            above = grid[r - 1] if r else []
            merged_down = col < len(above) and above[col][0] is tc
            out.append(self.places.token("cell", "" if merged_down else text, place))
        return out

    def _project(self, number: int, grid, header_at: int, end: int, header: _Token) -> ProjectTable:
        cursor = _TableCursor(self.source, self.places, header)
        pieces = self.pending
        # The unit is the last one named before 项目名称 (a document heading may name it too);
        # what follows it is read as the text layout reads a table's head. Plain paragraphs
        # there (a title) are left out, label paragraphs ("项目名称：…") count as cells.
        name_at = next((i for i, t in enumerate(pieces) if _squash(t.text) in _NAME_LABELS), len(pieces))
        units = [i for i, t in enumerate(pieces) if _is_unit_cell(t.text)]
        if not units:
            raise cursor.fail(say_in("the unit code and name (e.g. “301101天津市人民政府办公厅”) in "
                                     "the table or just above it",
                                     "表格中或表格正上方的单位代码和名称（如“301101天津市人民政府办公厅”）"),
                              found=say_in("none", "没有"))
        at = max((i for i in units if i < name_at), default=units[0])
        unit_tok = pieces[at]
        code, name = _UNIT_CELL.match(unit_tok.text).groups()
        title = next((t.text for t in reversed(pieces[:at]) if t.kind == "text" and t.text.endswith("表")), "")
        cells = [t for i, t in enumerate(pieces)
                 if i > at and (t.kind == "cell" or _MONEY_UNIT.match(_squash(t.text)))]
        project, budget, purpose, goals = _read_header(cursor, unit_tok, cells, self.warnings)
        rows = self._rows(number, grid, header_at, end, cursor)
        table = ProjectTable(code, name.strip(), project, budget, purpose, goals, rows,
                             title=_strip_title(title), place=places.table(number))
        # The text layout's checks (a 指标值 far too long, a row repeated), each table on its own:
        # a row's ``line`` is its row in that table, so the message reads "table 3 line 12".
        check_rows(TargetTables((table,), "docx"), f"{self.source} table {number}")
        return table

    def _rows(self, number: int, grid, header_at: int, end: int,
              cursor: _TableCursor) -> tuple[IndicatorRow, ...]:
        columns = _header_columns(grid[header_at])
        rows: list[IndicatorRow] = []
        level1 = category = ""
        last_l1_tc = None
        for r in range(header_at + 1, end):
            row = grid[r]

            def at(name: str):
                col = columns.get(name)
                return row[col] if col is not None and col < len(row) else (None, "")

            (l1_tc, l1), (_, cat), (_, name), (_, desc), (_, target) = map(at, _COLUMNS)
            if not any((l1, cat, name, desc, target)) or _header_columns(row):
                continue  # an empty row, or the header repeated on the next page
            place = places.table_row(number, r + 1)
            tok = self.places.token("cell", "", place)
            if l1:
                if l1_tc is not last_l1_tc:
                    # A new 一级指标 cell starts a group, as in the text layout; a cell merged
                    # down from the row above is the same group.
                    category = ""
                level1 = l1
            elif not level1:
                raise cursor.fail(_FIRST_LEVEL1(), tok=tok)
            last_l1_tc = l1_tc
            category = cat or category
            for value, what in ((category, _CATEGORY()), (name, _NAME()), (target, _TARGET())):
                if not value:
                    raise cursor.fail(what, tok=tok)
            rows.append(IndicatorRow(level1, category, name, desc, target, line=r + 1, place=place))
        if not rows:
            raise cursor.fail(_SOME_ROW())
        return tuple(rows)
