"""The budget-execution light of a project (预算执行, DESIGN.md §6): spend ÷ budget against
time progress, with the sentence that explains it."""

from __future__ import annotations

from .model import Project, Settings, SpendingEntry
from .periods import time_progress
from .reasons import number, pct, span_words, tail
from .rules import as_date
from .status import Status


def budget_status(project: Project, spending_entry: SpendingEntry | None, as_of,
                  settings: Settings) -> Status:
    """The budget-execution light of ``project``: spend ÷ budget against time progress."""
    d = as_date(as_of)
    th = settings.thresholds
    total = project.budget.total
    year = project.year
    if spending_entry is None:
        return _NO_SPENDING
    spent = float(spending_entry.spent)
    if not total or total <= 0:
        return Status("grey", why=(_why_no_budget, spent))
    rate = execution_rate(spent, total)
    if spent > total:
        return Status("red", False, total, rate, why=(_why_budget, spent, total, None, year))
    t = time_progress(d, year)
    if t <= 0:
        return Status("green", False, 0.0, None, why=(_why_budget, spent, total, d, year))
    v = rate / t
    if v < th.budget_red_below:
        colour = "red"
    elif v < th.budget_amber_below:
        colour = "amber"
    else:
        colour = "green"
    return Status(colour, False, total * t, v, why=(_why_budget, spent, total, d, year))


_NO_SPENDING = Status("grey", reason_zh="尚未填报支出 → 灰", reason_en="no spending reported → grey")


def _why_no_budget(st, spent):
    return (f"预算数缺失，已支出{number(spent)}万元 → 灰",
            f"no budget amount, {number(spent)} 万元 spent → grey")


def execution_rate(spent: float | None, total: float | None) -> float | None:
    """预算执行率: ``spent`` ÷ ``total`` (1.0 = the whole budget spent); ``None`` when nothing
    is reported or there is no budget amount to divide by."""
    if spent is None or not total:
        return None
    return spent / total


def _why_budget(st, spent, total, d, year):
    rate = pct(execution_rate(spent, total))
    zh = f"已支出{number(spent)}/{number(total)}万元（执行率{rate}）"
    en = f"spent {number(spent)} of {number(total)} 万元 ({rate})"
    if d is None:
        return tail(st, f"{zh}，超出预算", f"{en} → over budget")
    zh_by, en_by = span_words(d, year, None)
    if st.ratio is None:
        return tail(st, f"{zh_by}{zh}", f"{en} {en_by}")
    return tail(st, f"{zh_by}{zh} → {pct(st.ratio)}", f"{en} {en_by} → {pct(st.ratio)}")
