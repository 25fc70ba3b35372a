"""Where in an imported file something was found, in the run's language (``core.language``).

A line of a Word text export or CSV, a table or a table's row in a Word document, a row of an
Excel sheet: the import report and its warnings point there, and a person reading Chinese
should not meet "line 155" in the middle of a Chinese sentence. ``order`` reads a place back
so warnings can be listed in file order whatever the language.
"""

from __future__ import annotations

import re

from .language import say


def line(n: int) -> str:
    """Line ``n`` of a text file."""
    return say(f"line {n}", f"第 {n} 行")


def end_of_file(n: int) -> str:
    """Line ``n``, just past the last line of a text file."""
    return say(f"line {n} (end of file)", f"第 {n} 行（文件末尾）")


def table(n: int) -> str:
    """The ``n``-th table of a Word document."""
    return say(f"table {n}", f"第 {n} 个表格")


def table_row(n: int, row: int) -> str:
    """Row ``row`` of the ``n``-th table of a Word document."""
    return say(f"table {n}, row {row}", f"第 {n} 个表格第 {row} 行")


def above_table(n: int) -> str:
    """The paragraphs just above the ``n``-th table of a Word document."""
    return say(f"the text above table {n}", f"第 {n} 个表格上方的文字")


def sheet_row(sheet: str, row: int) -> str:
    """Row ``row`` of the Excel sheet named ``sheet``."""
    return say(f"sheet “{sheet}”, row {row}", f"工作表“{sheet}”第 {row} 行")


def sep() -> str:
    """What follows a place or a name before what is said about it (``: `` or ``：``)."""
    return say(": ", "：")


_ORDER = re.compile(r"(?:line|table) (\d+)(?:, row (\d+))?: "
                    r"|第 (\d+) (?:行|个表格)(?:第 (\d+) 行)?：")


def order(text: str) -> tuple[int, int]:
    """Where a message starting with a line or a Word table place points, as (line or table,
    row); (0, 0) when it starts with neither (file-wide messages, listed first)."""
    m = _ORDER.match(text)
    if not m:
        return (0, 0)
    first, second = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return int(first), int(second or 0)
