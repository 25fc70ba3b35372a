"""Excel workbooks written by jixiao: the target tables, the report, and the
项目支出绩效目标执行监控表 laid out like the official template (openpyxl, imported when used).

Every cell a user typed is written as text, never as a formula (a 指标值 starting with ``=`` stays
text) and with the characters XML cannot carry removed, so a workbook opens in Excel and WPS and
reads back exactly. A status is always glyph and word, the fill colour only repeats it.
"""

from __future__ import annotations

import csv
import io
import re
import weakref
from collections.abc import Callable

from ..colours import COLOUR_GLYPHS, colour_word
from ..textwidth import width as text_width

_FILLS = {"red": "FFC7CE", "amber": "FFEB9C", "green": "C6EFCE", "blue": "BDD7EE", "grey": "E7E6E6"}
"""Light fills behind a status, Excel's own 'good / neutral / bad' shades: text stays readable."""
_HEAD_FILL = "D9E1F2"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAX_WIDTH = 48   # columns wider than this wrap their text instead
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def _noop(n: int = 1) -> None:
    return None


# --- small helpers shared by every workbook ----------------------------------------------------


def _register_styles(wb) -> None:
    """Add jixiao's cell styles to ``wb`` once. Cells then name a style: openpyxl hashes every
    style object assigned cell by cell, which made a 1000-sheet workbook take minutes."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    styles = [
        NamedStyle("jx_title", font=Font(bold=True, size=16), alignment=centre),
        NamedStyle("jx_plain", alignment=centre),
        NamedStyle("jx_head", font=Font(bold=True), fill=PatternFill("solid", fgColor=_HEAD_FILL),
                   alignment=centre, border=border),
        NamedStyle("jx_cell", alignment=wrap, border=border),
        NamedStyle("jx_centre", alignment=centre, border=border),
    ]
    styles += [NamedStyle(f"jx_{colour}", fill=PatternFill("solid", fgColor=rgb), alignment=wrap, border=border)
               for colour, rgb in _FILLS.items()]
    for style in styles:
        wb.add_named_style(style)


_STYLE_ARRAYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def styled(cell, name: str):
    """Give ``cell`` the named style ``name`` of its workbook; returns the cell.

    openpyxl's public setter looks the name up and rebuilds the style record on every call (about
    70 µs a cell, most of a large export); the record it builds is the same for every cell of a
    workbook, so it is built once and copied."""
    from openpyxl.styles.cell_style import StyleArray

    arrays = _STYLE_ARRAYS.setdefault(cell.parent.parent, {})
    array = arrays.get(name)
    if array is None:
        cell.style = name
        arrays[name] = StyleArray(cell._style)
    else:
        cell._style = StyleArray(array)
    return cell


def _fill_style(colour: str) -> str:
    """The named style of a cell showing a status of ``colour``."""
    return f"jx_{colour}" if colour in _FILLS else "jx_grey"


def put(ws, row: int, col: int, value):
    """Write ``value`` into a cell: text stays text (never a formula), numbers stay numbers."""
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        return cell
    if isinstance(value, str):
        cell.value = _ILLEGAL.sub("", value)
        cell.data_type = "s"   # openpyxl would make "=…" a formula
    else:
        cell.value = value
    return cell


def status_text(colour: str, lang: str = "zh") -> str:
    """A status as a cell shows it: glyph and word (``● 绿``)."""
    return f"{COLOUR_GLYPHS.get(colour, '?')} {colour_word(colour, lang)}"


def _fit_widths(ws, widths: dict[int, int], *, least: int = 6) -> None:
    from openpyxl.utils import get_column_letter

    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(least, min(_MAX_WIDTH, w + 2))


def _measure(widths: dict[int, int], col: int, text) -> None:
    if text is None:
        return
    longest = max((text_width(line) for line in str(text).split("\n")), default=0)
    widths[col] = max(widths.get(col, 0), longest)


def save(workbook, fh) -> None:
    """Write ``workbook`` to the binary stream ``fh``."""
    workbook.save(fh)


def sheet_name(text: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of ``[]:*?/\\``), unique in ``taken``."""
    base = _SHEET_NAME_BAD.sub("_", text).strip("'") or "Sheet"
    name, n = base[:31], 2
    while name.lower() in taken:
        suffix = f"~{n}"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _print_setup(ws, title_rows: str | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows


# --- a plain table: export-targets, report -------------------------------------------------------


def table_workbook(title: str, header: list[str], rows, *, status_column: int | None = None,
                   lang: str = "zh", advance: Callable[[int], None] = _noop):
    """One sheet ``title``: a bold frozen header row, then ``rows``. When ``status_column`` (0-based)
    is given, that column holds colours and is shown as glyph and word on its fill."""
    import openpyxl

    wb = openpyxl.Workbook()
    _register_styles(wb)
    ws = wb.active
    ws.title = sheet_name(title, set())
    widths: dict[int, int] = {}
    for c, text in enumerate(header, start=1):
        styled(put(ws, 1, c, text), "jx_head")
        _measure(widths, c, text)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if status_column is not None and c - 1 == status_column and value:
                cell = put(ws, r, c, status_text(value, lang))
                styled(cell, _fill_style(value))
            else:
                cell = put(ws, r, c, value)
            _measure(widths, c, cell.value)
        advance(1)
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    _fit_widths(ws, widths)
    _print_setup(ws, "1:1")
    return wb


def targets_workbook(dataset, *, lang: str = "zh", year: int | None = None,
                     advance: Callable[[int], None] = _noop):
    """The target tables as one sheet in the CSV column layout (``core.tables.write_csv``), so
    the workbook imports back with nothing changed, whatever columns the CSV carries."""
    from ..tables import write_csv

    buf = io.StringIO(newline="")
    write_csv(dataset, buf, lang=lang, year=year)
    header, *rows = csv.reader(io.StringIO(buf.getvalue()))
    title = "项目支出绩效目标表" if lang == "zh" else "targets"
    return table_workbook(title, header, rows, advance=advance)


def report_workbook(rows: list[dict], *, lang: str = "zh", advance: Callable[[int], None] = _noop):
    """``jixiao report`` as a workbook: the CSV columns, the colour as glyph, word and fill."""
    from ..report import CSV_COLUMNS

    colour_at = CSV_COLUMNS.index("colour")
    values = ([_report_value(row[c]) for c in CSV_COLUMNS] for row in rows)
    return table_workbook("report" if lang == "en" else "绩效监控报告", list(CSV_COLUMNS), values,
                          status_column=colour_at, lang=lang, advance=advance)


def _report_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


# --- the monitoring table ----------------------------------------------------------------------

_STATUS_COLUMNS = ("监控状态", "状态说明")


def monitoring_workbook(dataset, as_of: str, *, advance: Callable[[int], None] = _noop):
    """The 项目支出绩效目标执行监控表 at ``as_of``: a 汇总 sheet, then one sheet per project laid
    out like the official form — title, unit, project, funds with the budget light, the
    two-row indicator header with 偏差原因分析 over its five causes, one row per indicator with
    its status. A4 landscape, header rows frozen and repeated on every printed page."""
    import openpyxl

    from ..monitoring_table import columns, funds_header, project_blocks
    from ..periods import iso_date
    from ..snapshot import build_snapshot

    as_of = iso_date(as_of, "as_of")
    month = int(as_of[5:7])
    doc = build_snapshot(dataset, as_of, generated_at="")
    projects = {p["id"]: p for u in doc["units"] for p in u["projects"]}
    statuses = {i["id"]: i["status"] for p in projects.values() for i in p["indicators"]}
    wb = openpyxl.Workbook()
    _register_styles(wb)
    summary = wb.active
    taken = {"汇总"}
    summary.title = "汇总"
    blocks = []
    for number, (unit, project, funds, rows) in enumerate(project_blocks(dataset, as_of), start=1):
        ws = wb.create_sheet(sheet_name(f"{number}.{project.name}", taken))
        _monitoring_sheet(ws, as_of, month, unit, project, funds, rows, projects[project.id],
                          statuses, columns(month), funds_header(month))
        blocks.append((unit, project, funds, ws.title))
        advance(1)
    _summary_sheet(summary, as_of, month, blocks, projects)
    return wb


def _monitoring_sheet(ws, as_of, month, unit, project, funds, rows, snap, statuses, head, funds_head):
    from ..words import CAUSES

    n_cols = len(head) + len(_STATUS_COLUMNS)
    widths: dict[int, int] = {}

    def merged(r1, c1, r2, c2, value, *, style="jx_cell"):
        # Merged while its first cell has no border yet (openpyxl then skips drawing borders
        # cell by cell, which is slow); every covered cell then gets the style, border included.
        if (r1, c1) != (r2, c2):
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                styled(ws.cell(row=r, column=c), style)
        return put(ws, r1, c1, value)

    merged(1, 1, 1, n_cols, "项目支出绩效目标执行监控表", style="jx_title")
    merged(2, 1, 2, n_cols, f"（{as_of[:4]}年1-{month}月）  监控日期：{as_of}", style="jx_plain")
    merged(3, 1, 3, n_cols - 3, f"预算单位：{unit.code} {unit.name}")
    merged(3, n_cols - 2, 3, n_cols, "单位：万元", style="jx_centre")
    merged(4, 1, 4, 2, "项目名称", style="jx_head")
    merged(4, 3, 4, n_cols, project.name)
    # The funds rows: label merged down, then each figure under its label; the budget light last.
    merged(5, 1, 6, 1, funds_head[0], style="jx_head")
    spans = ((2, 3), (4, 4), (5, 5), (6, 7), (8, 9))
    for (c1, c2), label, value in zip(spans, funds_head[1:], funds):
        merged(5, c1, 5, c2, label, style="jx_head")
        merged(6, c1, 6, c2, value, style="jx_centre")
    budget = snap["budget_status"]
    merged(5, 10, 5, n_cols, "预算执行状态", style="jx_head")
    merged(6, 10, 6, n_cols, f"{status_text(budget['colour'])}  {budget['reason']}",
           style=_fill_style(budget["colour"]))
    # The two-row indicator header of the official form.
    causes_at = head.index(CAUSES[0]) + 1
    for c, label in enumerate(head, start=1):
        if causes_at <= c < causes_at + len(CAUSES):
            merged(8, c, 8, c, label, style="jx_head")
        else:
            merged(7, c, 8, c, label, style="jx_head")
        _measure(widths, c, label)
    merged(7, causes_at, 7, causes_at + len(CAUSES) - 1, "偏差原因分析", style="jx_head")
    for c, label in enumerate(_STATUS_COLUMNS, start=len(head) + 1):
        merged(7, c, 8, c, label, style="jx_head")
        _measure(widths, c, label)
    cell_styles = {c: "jx_centre" if causes_at <= c < causes_at + len(CAUSES) else "jx_cell"
                   for c in range(1, n_cols + 1)}
    covered = _merge_runs(rows, 9, merged)
    r = 9
    for ind, cells in rows:
        status = statuses.get(ind.id, {"colour": "grey", "reason": ""})
        for c, value in enumerate([*cells, status_text(status["colour"]), status["reason"]], start=1):
            _measure(widths, c, value)
            if (r, c) not in covered:
                styled(put(ws, r, c, value), cell_styles[c])
        styled(ws.cell(row=r, column=len(head) + 1), _fill_style(status["colour"]))
        r += 1
    for c in range(causes_at, causes_at + len(CAUSES)):
        widths[c] = min(widths.get(c, 0), 8)
    _fit_widths(ws, widths)
    ws.freeze_panes = "D9"   # header rows and the indicator's 一级/二级/三级 stay in view
    _print_setup(ws, "7:8")


def _merge_runs(rows, first: int, merged) -> set[tuple[int, int]]:
    """一级指标 and 二级指标 merged down over their runs of rows, as the official form prints
    them; returns the ``(row, column)`` of every merged cell, written already."""
    covered = set()
    for col, key in ((1, lambda ind: ind.level1), (2, lambda ind: (ind.level1, ind.category))):
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or key(rows[i][0]) != key(rows[start][0]):
                if i - 1 > start:
                    ind = rows[start][0]
                    merged(first + start, col, first + i - 1, col, ind.level1 if col == 1 else ind.category)
                    covered.update((first + r, col) for r in range(start, i))
                start = i
    return covered


def _summary_sheet(ws, as_of, month, blocks, projects) -> None:
    from ..colours import COUNT_ORDER

    head = ["预算单位", "项目名称", "年初预算数", f"1-{month}月执行数", f"1-{month}月执行率",
            "预算执行状态", *(colour_word(c) for c in COUNT_ORDER), "指标数", "工作表"]
    n_cols = len(head)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n_cols)
    styled(put(ws, 1, 1, f"项目支出绩效目标执行监控表 汇总（监控日期：{as_of}）"), "jx_title")
    widths: dict[int, int] = {}
    for c, label in enumerate(head, start=1):
        styled(put(ws, 2, c, label), "jx_head")
        _measure(widths, c, label)
    for r, (unit, project, funds, sheet) in enumerate(blocks, start=3):
        snap = projects[project.id]
        budget = snap["budget_status"]
        values = [f"{unit.code} {unit.name}", project.name, funds[0], funds[3], funds[4],
                  status_text(budget["colour"]), *(snap["counts"].get(c, 0) for c in COUNT_ORDER),
                  len(snap["indicators"]), sheet]
        for c, value in enumerate(values, start=1):
            styled(put(ws, r, c, value), "jx_cell")
            _measure(widths, c, value)
        styled(ws.cell(row=r, column=6), _fill_style(budget["colour"]))
    _fit_widths(ws, widths)
    ws.freeze_panes = "C3"
    _print_setup(ws, "2:2")
