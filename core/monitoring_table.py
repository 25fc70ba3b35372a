"""The standard 项目支出绩效目标执行监控表 that finance bureaus ask for (issue 6).

One block per project, grouped by unit: the unit, the project, its funds (年初预算数, 1-M月执行数,
1-M月执行率), then one row per indicator in the column order of the standard table. The text is
CSV; ``jixiao export-monitoring`` writes it as UTF-8 with a BOM so Excel opens it correctly.
"""

from __future__ import annotations

import csv
import io

from .budget_light import execution_rate
from .dataset import Dataset
from .periods import iso_date
from .report import safe_cell
from .snapshot import snapshot_year
from .words import CAUSES

TICK = "√"
"""The mark put in a 偏差原因 column that applies, as on the paper form."""


def columns(month: int) -> list[str]:
    """The 13 indicator columns of the standard table for a monitoring date in ``month``."""
    return ["一级指标", "二级指标", "三级指标", "年度指标值", f"当前完成值（1-{month}月执行情况）",
            "全年预计完成情况", *CAUSES, "完成目标可能性", "备注"]


def project_blocks(dataset: Dataset, as_of: str):
    """The monitoring table's content at ``as_of``, project by project, in table order: yields
    ``(unit, project, funds, rows)`` with ``funds`` the cells under ``funds_header`` and
    ``rows`` the ``(indicator, cells)`` under ``columns``. Both layouts (CSV, workbook) use it."""
    as_of = iso_date(as_of, "as_of")
    year = snapshot_year(dataset, as_of)
    for unit in dataset.unit_list():
        for project in dataset.projects_of(unit.code):
            if project.year != year:
                continue
            rows = [(ind, _indicator_row(ind, dataset.counting_progress(ind.id, as_of)))
                    for ind in dataset.indicators_of(project.id)]
            yield unit, project, _funds(dataset, project, as_of)[1:], rows


def monitoring_rows(dataset: Dataset, as_of: str) -> list[list[str]]:
    """Every row of the monitoring table at ``as_of``, as lists of cell texts.

    Only progress and spending dated on or before ``as_of`` count, as in a snapshot.
    """
    as_of = iso_date(as_of, "as_of")
    month = int(as_of[5:7])
    header = columns(month)
    rows: list[list[str]] = [["项目支出绩效目标执行监控表", f"监控日期 {as_of}"]]
    last_unit = None
    for unit, project, funds, indicators in project_blocks(dataset, as_of):
        if unit.code != last_unit:
            last_unit = unit.code
            rows.append([])
            rows.append(["预算单位", f"{unit.code} {unit.name}"])
        rows.append([])
        rows.append(["项目名称", project.name])
        rows.append(funds_header(month))
        rows.append(["", *funds])
        rows.append(header)
        rows.extend(cells for _, cells in indicators)
    return rows


def funds_header(month: int) -> list[str]:
    """The labels of the project's funds row: 项目资金（万元）, then one per figure."""
    return ["项目资金（万元）", "年初预算数", "其中：财政资金", "其他资金",
            f"1-{month}月执行数", f"1-{month}月执行率"]


def _funds(dataset: Dataset, project, as_of: str) -> list[str]:
    budget = project.budget
    entry = dataset.counting_spending(project.id, as_of)
    spent = entry.spent if entry else None
    rate = execution_rate(spent, budget.total)
    return ["", _money(budget.total), _money(budget.fiscal), _money(budget.other),
            _money(spent), "" if rate is None else f"{rate * 100:.2f}%"]


def _money(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _indicator_row(ind, entry) -> list[str]:
    causes = set(entry.causes) if entry else set()
    remarks = []
    if entry and entry.measures:
        remarks.append(f"纠偏措施：{entry.measures}")
    if entry and entry.note:
        remarks.append(entry.note)
    return [
        ind.level1, ind.category, ind.name, ind.target_text,
        entry.actual if entry else "",
        (entry.forecast or "") if entry else "",
        *(TICK if cause in causes else "" for cause in CAUSES),
        (entry.likelihood or "") if entry else "",
        "；".join(remarks),
    ]


def monitoring_csv(dataset: Dataset, as_of: str) -> str:
    """The monitoring table as CSV text (no BOM: the writer adds it with ``utf-8-sig``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")   # what Excel itself writes
    for row in monitoring_rows(dataset, as_of):
        writer.writerow([safe_cell(cell) for cell in row])
    return buf.getvalue()
