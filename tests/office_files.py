"""Word and Excel files for the tests, built with python-docx and openpyxl as a user's office
software would write them (no committed binaries): the sample's tables as a published Word
document, with merged cells where the published tables merge them."""

from __future__ import annotations

from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "tianjin_2023_targets.txt"

# Grid columns of the published layout: the budget row has seven cells, an indicator row five
# (绩效指标描述 and 指标值 span two columns each).
_WIDE = 7


def _money(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _set(cell, text: str) -> None:
    """Put ``text`` in ``cell``, one Word paragraph per line, as a person types it."""
    lines = text.split("\n") if text else [""]
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _merge(table, r1: int, c1: int, r2: int, c2: int, text: str | None):
    cell = table.cell(r1, c1).merge(table.cell(r2, c2)) if (r1, c1) != (r2, c2) else table.cell(r1, c1)
    if text is not None:
        _set(cell, text)
    return cell


def add_project_table(document, number: int, table, *, unit: str = "row") -> None:
    """Append one project's 项目支出绩效目标表 (a ``core.tables.ProjectTable``) to ``document``:
    the title as a paragraph, then the table as published. ``unit`` says where the unit and
    单位：万元 go: the table's first ``"row"``, a ``"paragraph"`` above it, or ``"none"``."""
    document.add_paragraph(f"{number}.{table.title or table.name}")
    if unit == "paragraph":
        document.add_paragraph(f"{table.unit_code}{table.unit_name}\t\t单位：万元")
    n_rows = (unit == "row") + 5 + len(table.rows)
    t = document.add_table(rows=n_rows, cols=_WIDE)
    r = 0
    if unit == "row":
        _merge(t, 0, 0, 0, 3, f"{table.unit_code}{table.unit_name}")
        _merge(t, 0, 4, 0, 6, "单位：万元")
        r = 1
    _set(t.cell(r, 0), "项目名称")
    _merge(t, r, 1, r, 6, table.name)                              # 项目名称 merged across
    b = table.budget
    _merge(t, r + 1, 0, r + 2, 0, "预算规模及资金用途")             # merged down over 资金用途
    for col, text in enumerate(("预算数", _money(b.total), "其中：财政    资金", _money(b.fiscal),
                                "其他资金", _money(b.other)), start=1):
        _set(t.cell(r + 1, col), text)
    _merge(t, r + 2, 1, r + 2, 6, table.purpose or "")
    _set(t.cell(r + 3, 0), "绩效目标")
    _merge(t, r + 3, 1, r + 3, 6, "\n".join(table.goals or ()))
    header = r + 4
    for col, text in enumerate(("一级指标", "二级指标", "三级指标")):
        _set(t.cell(header, col), text)
    _merge(t, header, 3, header, 4, "绩效指标描述")
    _merge(t, header, 5, header, 6, "指标值")
    first = header + 1
    rows = table.rows
    for i, row in enumerate(rows):
        at = first + i
        _set(t.cell(at, 2), row.name)
        _merge(t, at, 3, at, 4, row.description)
        _merge(t, at, 5, at, 6, row.target_text)
    # 一级指标 merged down over its group, 二级指标 over a run of the same category.
    for col, key in ((0, lambda x: x.level1), (1, lambda x: (x.level1, x.category))):
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or key(rows[i]) != key(rows[start]):
                text = rows[start].level1 if col == 0 else rows[start].category
                _merge(t, first + start, col, first + i - 1, col, text)
                start = i


def sample_docx(path: Path, *, unit_above_every: int = 0) -> Path:
    """Write the sample's eight tables as a Word document to ``path``; every
    ``unit_above_every``-th table has its unit line above the table rather than inside it."""
    import docx

    from jixiao.core.tables import read_tables

    document = docx.Document()
    document.add_heading("2023年部门预算项目支出绩效目标表", level=1)
    for n, table in enumerate(read_tables(SEED).tables, start=1):
        above = bool(unit_above_every) and n % unit_above_every == 0
        add_project_table(document, n, table, unit="paragraph" if above else "row")
    document.save(path)
    return path


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write an .xlsx with one sheet per ``{title: rows}``, values as given (numbers stay numbers)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path
