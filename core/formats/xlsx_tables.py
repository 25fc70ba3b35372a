"""Reading target tables from an Excel ``.xlsx`` workbook (openpyxl).

A sheet holds the CSV column layout: a header row naming the columns in Chinese or English (a
title row or two above it is fine), one row per indicator. The header is read with the very
mapping the CSV reader uses (``core.tables.parse_rows``), so every column CSV knows — the
optional ones and the 四川 split 指标性质 | 指标值 | 度量单位 included — works here too.

Each sheet with such a header is imported; the others are named in a warning. A merged cell
counts in every cell it covers. Cells are read as a person sees them: a number formatted as a
percentage reads ``95%``, a whole number without ``.0``, a date as ``2023-06-30``.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

from ..errors import JixiaoError
from .. import places
from ..faults import say
from ..tables import _REQUIRED, CSV_COLUMNS, TargetTables, header_keys, parse_rows
from . import damaged

_HEADER_SEARCH = 20  # rows at the top of a sheet where the header row may be


def read_xlsx(raw: bytes, source: str) -> TargetTables:
    """Every project table of the workbook ``raw``: each sheet in the CSV column layout, in
    sheet order; ``JixiaoError`` (nothing stored) when no sheet has the columns."""
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken package
        raise JixiaoError(damaged(source, type(exc).__name__)) from None
    tables, warnings, skipped = [], [], []
    for sheet in workbook.worksheets:
        rows = _sheet_rows(sheet)
        at = next((i for i, (_, cells) in enumerate(rows[:_HEADER_SEARCH])
                   if len(header_keys(cells)) >= 3), None)
        if at is None:
            skipped.append(sheet.title)
            continue
        found = parse_rows(rows[at:], f"{source} [{sheet.title}]", kind="xlsx")
        tables.extend(_placed(t, sheet.title) for t in found.tables)
        warnings.extend(found.warnings)
    if not tables:
        names = ", ".join(f"{zh}/{en}" for key, zh, en in CSV_COLUMNS if key in _REQUIRED)
        raise JixiaoError(say("xlsx_no_sheet", path=source, columns=names,
                              sheets=", ".join(f"“{name}”" for name in skipped) or "-"))
    if skipped:
        warnings.insert(0, say("xlsx_skipped", path=source,
                               sheets=", ".join(f"“{name}”" for name in skipped)))
    return TargetTables(tuple(tables), "xlsx", tuple(warnings))


def _placed(table, sheet: str):
    # Warnings name the sheet and the row a person sees in Excel, not a line of a file.
    rows = tuple(replace(r, place=places.sheet_row(sheet, r.line)) for r in table.rows)
    return replace(table, rows=rows, place=places.sheet_row(sheet, table.line))


def _sheet_rows(sheet) -> list[tuple[int, list[str]]]:
    """``(row number, cell texts)`` of every row, merged cells filled in."""
    grid = [[_text(cell) for cell in row] for row in sheet.iter_rows()]
    for merged in sheet.merged_cells.ranges:
        top = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else ""
        for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            row = grid[r]
            row.extend([""] * (merged.max_col - len(row)))
            for c in range(merged.min_col - 1, merged.max_col):
                row[c] = top
    return [(number, row) for number, row in enumerate(grid, start=1)]


def _text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            return f"{_number(value * 100)}%"
        return _number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _number(value) -> str:
    if isinstance(value, float):
        value = round(value, 10)   # 0.95 * 100 is 94.99999999999999
        if value.is_integer():
            return str(int(value))
        return f"{value:.15g}"
    return str(value)
