"""Planning an import: what a file of target tables would add, change and leave alone.

CONTRACT WITH THE STORE (``store.repository.Store.apply_import(plan)``):

* ``plan_import`` is pure: it reads a ``TargetTables`` and the current ``Dataset`` and returns an
  ``ImportPlan``. It never writes. ``--dry-run`` prints the plan and stops there.
* ``apply_import`` stores the plan in one go (all or nothing), as the acting admin:
  upsert every ``plan.units`` (by ``code``), every ``plan.projects`` (by ``id``), every
  ``plan.indicators`` (by ``id``); delete the indicator records listed in
  ``plan.removed_indicator_ids`` but **keep their progress entries** (history is append-only and
  never lost; if a later table brings the same row back, its id is the same and the history
  reappears). Projects and units not in the plan are not touched. Progress and spending are
  never part of a plan.
* Ids are stable: ``Project.make_id(unit_code, year, name)`` and
  ``Indicator.make_id(project_id, level1, category, name, occurrence)``, so a matched indicator
  keeps its id and therefore its progress. A user's ``measure`` override is carried over.
* ``plan.indicators`` is the complete new indicator list of each project in ``plan.projects``;
  an indicator of such a project that is in neither list does not exist.
* When ``plan.is_noop`` the store may skip the write altogether.
* If the store has no settings yet, ``plan.year`` is the natural budget year to start with.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from .dataset import Dataset
from .overrides import ReadingOverride, indicator_target, override_from_columns, override_of
from .errors import JixiaoError
from . import places
from .language import current, say
from .model import Indicator, Project, Unit
from .tables import ProjectTable, TargetTables, year_from_text
from .words import FIELD_WORDS, is_cost, word


@dataclass(frozen=True)
class PlanItem:
    """One unit, project or indicator in the report: what it is and, if changed, which fields."""

    kind: str  # 'unit' | 'project' | 'indicator'
    id: str
    label: str
    fields: tuple[str, ...] = ()
    detail: str = ""


@dataclass
class ImportPlan:
    """Everything an import would store, and the report that goes with it.

    Stored by ``Store.apply_import`` (see the contract at the top of this module):

    * ``units`` — every unit named in the file, to upsert by code.
    * ``projects`` — every project in the file, to upsert by id (``year`` already resolved).
    * ``indicators`` — the full new indicator list of each of those projects, to upsert by id,
      ``order`` 0.. in table order; matched indicators keep their id and ``measure``.
    * ``removed_indicator_ids`` — indicators of those projects that the new table no longer has:
      delete the indicator records, keep their progress entries.

    For the report only: ``year`` and ``year_source`` (which year, and whether it came from
    ``--year``, the tables or the clock), ``added``/``changed``/``unchanged``/``removed``
    (``PlanItem`` s) and ``warnings`` (one line each, for a person to read).
    """

    year: int
    year_source: str
    units: list[Unit] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    removed_indicator_ids: list[str] = field(default_factory=list)
    added: list[PlanItem] = field(default_factory=list)
    changed: list[PlanItem] = field(default_factory=list)
    unchanged: list[PlanItem] = field(default_factory=list)
    removed: list[PlanItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source: str = ""  # 'text' or 'csv': the format the tables were read from
    indicator_ids: set[str] = field(default_factory=set, repr=False)  # ids of ``indicators``

    @property
    def is_noop(self) -> bool:
        """``True`` when storing this plan would change nothing."""
        return not (self.added or self.changed or self.removed)

    def needs_review(self) -> int:
        """How many of ``indicators`` have a reading that needs review."""
        years = {p.id: p.year for p in self.projects}
        return sum(indicator_target(i, years.get(i.project_id, self.year)).needs_review
                   for i in self.indicators)

    def count(self, items: str, kind: str) -> int:
        """How many of ``kind`` ('unit', 'project', 'indicator') are in ``items`` ('added', …)."""
        return sum(1 for item in getattr(self, items) if item.kind == kind)


def plan_import(tables: TargetTables, dataset: Dataset, year: int | None = None,
                today: date | None = None) -> ImportPlan:
    """Plan storing ``tables`` into ``dataset``'s store. ``year`` is ``--year``; without it the
    year comes from the tables (a CSV 年度 column, else years they name), else ``today``'s year.
    """
    years, year_source = _resolve_years(tables, year, today or date.today())
    plan = ImportPlan(year=max(years), year_source=year_source, warnings=list(tables.warnings),
                      source=tables.source)
    _plan_units(plan, tables, dataset)
    existing_orders: dict[str, int] = Counter()
    for p in dataset.projects.values():
        existing_orders[p.unit_code] = max(existing_orders[p.unit_code], p.order + 1)
    seen_projects: set[str] = set()
    for table, table_year in zip(tables.tables, years):
        pid = Project.make_id(table.unit_code, table_year, table.name)
        if pid in seen_projects:
            plan.warnings.append(say(
                f"{_where(table)}{table.unit_code} {table.name} ({table_year}) appears twice in the "
                "file; the later table wins",
                f"{_where(table)}{table.unit_code} {table.name}（{table_year} 年）在文件中出现两次；"
                "以后一张表为准"))
            _drop_project(plan, pid)
        seen_projects.add(pid)
        old = dataset.projects.get(pid)
        if old is not None:
            order = old.order
        else:
            order = existing_orders[table.unit_code]
            existing_orders[table.unit_code] += 1
        project = Project(
            id=pid, unit_code=table.unit_code, year=table_year, name=table.name, budget=table.budget,
            purpose=table.purpose if table.purpose is not None else (old.purpose if old else ""),
            goals=table.goals if table.goals is not None else (old.goals if old else ()),
            order=order,
        )
        plan.projects.append(project)
        _note(plan, "project", pid, f"{table.unit_code} {table.name}", old, project,
              ("name", "budget", "purpose", "goals"))
        _plan_indicators(plan, table, project, dataset)
        readings = {i.order: indicator_target(i, project.year) for i in plan.indicators
                    if i.project_id == pid}
        plan.warnings.extend(_project_warnings(table, project, readings))
    plan.warnings.sort(key=places.order)  # in file order, as a person checks them
    return plan


def _resolve_years(tables: TargetTables, year: int | None, today: date) -> tuple[list[int], str]:
    n = len(tables.tables)
    if year is not None:
        return [year] * n, say(f"{year} from --year", f"{year}，由 --year 指定")
    given = [t.year for t in tables.tables]
    if all(y is not None for y in given):
        distinct = sorted(set(given))
        years = say(", ", "、").join(map(str, distinct))
        return given, say(f"{years} from the 年度 column of the file", f"{years}，取自文件的年度列")
    found, reason = year_from_text(tables)
    if found is not None:
        return ([y if y is not None else found for y in given],
                say(f"{found} from the tables: {reason}", f"{found}，取自目标表：{reason}"))
    now = today.year
    return ([y if y is not None else now for y in given],
            say(f"{now}, the current year: no --year given and {reason}",
                f"{now}，即今年：没有给出 --year，且{reason}"))


def _plan_units(plan: ImportPlan, tables: TargetTables, dataset: Dataset) -> None:
    names: dict[str, str] = {}
    for t in tables.tables:
        first = names.setdefault(t.unit_code, t.unit_name)
        if first != t.unit_name:
            plan.warnings.append(say(
                f"{_where(t)}unit {t.unit_code} is called “{t.unit_name}” here but “{first}” "
                "earlier; keeping the first name",
                f"{_where(t)}单位 {t.unit_code} 在这里叫“{t.unit_name}”，前面叫“{first}”；"
                "保留前一个名称"))
    for code, name in names.items():
        unit = Unit(code, name)
        plan.units.append(unit)
        _note(plan, "unit", code, f"{code} {name}", dataset.units.get(code), unit, ("name",))


def _refuse_id_collision(plan: ImportPlan, dataset: Dataset, iid: str, project_id: str) -> None:
    # Ids are hashes: two different rows sharing one would silently share a history. The odds are
    # tiny (48 bits), so refusing the whole import is better than guessing.
    other = dataset.indicators.get(iid)
    if (other is not None and other.project_id != project_id) or iid in plan.indicator_ids:
        raise JixiaoError(f"indicator id {iid} would be shared by two different rows of project "
                          f"{project_id}; rename one of them slightly and import again. "
                          "Nothing was stored.",
                          zh=f"项目 {project_id} 的两个不同指标行会得到同一个指标编号 {iid}；请把其中"
                             "一个稍作改名后重新导入。未保存任何内容。")


def _plan_indicators(plan: ImportPlan, table: ProjectTable, project: Project, dataset: Dataset) -> None:
    old_list = dataset.indicators_of(project.id)
    old = {i.id: i for i in old_list}
    occurrences: Counter = Counter()
    new_ids: set[str] = set()
    for order, row in enumerate(table.rows):
        key = (row.level1, row.category, row.name)
        iid = Indicator.make_id(project.id, *key, occurrences[key])
        occurrences[key] += 1
        _refuse_id_collision(plan, dataset, iid, project.id)
        plan.indicator_ids.add(iid)
        before = old.get(iid)
        ind = Indicator(id=iid, project_id=project.id, order=order, level1=row.level1,
                        category=row.category, name=row.name, description=row.description,
                        target_text=row.target_text, measure=before.measure if before else None,
                        reading=_reading(row, before))
        new_ids.add(iid)
        plan.indicators.append(ind)
        _note(plan, "indicator", iid, f"{project.name} · {row.category} · {row.name}", before, ind,
              ("order", "description", "target_text", "reading"))
    for ind in sorted(old_list, key=lambda i: i.order):
        if ind.id not in new_ids:
            plan.removed_indicator_ids.append(ind.id)
            plan.removed.append(PlanItem("indicator", ind.id, f"{project.name} · {ind.category} · {ind.name}"))


def _reading(row, before: Indicator | None) -> dict | None:
    """The settled reading an imported row keeps: the one its reading columns give, else the
    stored one. A stored reading set against another 指标值 is kept too: it no longer applies,
    and the new text is flagged for review again, saying so (``core.overrides``)."""
    stored = before.reading if before is not None else None
    if not row.reading:
        return stored
    given = override_from_columns(row.target_text, row.reading)
    kept = override_of(before) if before is not None else None
    if kept is not None and replace(kept, author="", at="") == given:
        return stored   # the same facts: keep who settled them and when
    return given.to_dict()   # the store stamps the importing admin and the time


def _drop_project(plan: ImportPlan, pid: str) -> None:
    """Forget an earlier table of the same project, so the later one replaces it."""
    plan.projects = [p for p in plan.projects if p.id != pid]
    gone = {i.id for i in plan.indicators if i.project_id == pid} | {pid}
    plan.indicators = [i for i in plan.indicators if i.project_id != pid]
    for name in ("added", "changed", "unchanged"):
        setattr(plan, name, [it for it in getattr(plan, name) if it.id not in gone])


def _note(plan: ImportPlan, kind: str, id_: str, label: str, old, new, compared: tuple[str, ...]) -> None:
    if old is None:
        plan.added.append(PlanItem(kind, id_, label))
        return
    diff = tuple(f for f in compared if getattr(old, f) != getattr(new, f))
    detail = say("; ", "；").join(f"{say(f, _CHANGED_ZH.get(f, f))} {_show(getattr(old, f))} → "
                                 f"{_show(getattr(new, f))}" for f in diff)
    (plan.changed if diff else plan.unchanged).append(PlanItem(kind, id_, label, diff, detail))


_CHANGED_ZH = {"name": "名称", "budget": "预算", "purpose": "项目概况", "goals": "年度目标",
               "order": "顺序", "description": "绩效指标描述", "target_text": "指标值",
               "reading": "解读"}
"""The compared fields of units, projects and indicators, as the Chinese report names them."""


def _show(value) -> str:
    if isinstance(value, tuple):
        value = " / ".join(value)
    elif hasattr(value, "total"):
        value = f"{value.total}/{value.fiscal}/{value.other}"
    elif isinstance(value, dict):
        value = ReadingOverride.from_dict(value).describe()
    text = str(value).replace("\n", " ")
    return f"“{text if len(text) <= 40 else text[:39] + '…'}”"


# --- warnings worth a human look ---------------------------------------------------------------

_AT_LEAST = re.compile(r"^\s*(≥|>=|＞|>|不少于|不低于|大于)")
_CAP = re.compile(r"^\s*(≤|<=|＜|<|不超过|不高于)\s*([\d.,]+)\s*(万元|元)\s*$")


def _project_warnings(table: ProjectTable, project: Project, readings: dict) -> list[str]:
    where = f"{_where(table)}{table.unit_code} {table.name}{places.sep()}"
    out: list[str] = []
    caps: list[float] = []
    for order, row in enumerate(table.rows):
        label = (f"{_where_row(row)}{table.unit_code} {table.name} · {row.category} · {row.name}"
                 f"{places.sep()}")
        reviewed = _target_warnings(row, readings[order])
        out.extend(f"{label}{w}" for w in reviewed)
        if is_cost(row.level1, row.category):
            # The target parser may have flagged this already; say it once.
            if _AT_LEAST.match(row.target_text) and not reviewed:
                out.append(label + say(
                    f"cost indicator with a lower bound “{row.target_text}”; a cost is usually "
                    "a cap (≤)",
                    f"成本指标的指标值“{row.target_text}”是下限；成本通常是上限（≤）"))
            m = _CAP.match(row.target_text)
            if m:
                try:
                    value = float(m.group(2).replace(",", ""))
                except ValueError:
                    continue
                caps.append(value / 10000 if m.group(3) == "元" else value)
    b = project.budget
    if caps and b.total is not None and abs(sum(caps) - b.total) > 0.005:
        out.append(where + say(f"the cost caps (≤) add up to {sum(caps):.2f} 万元 but the "
                               f"预算数 is {b.total:.2f} 万元",
                               f"成本上限（≤）合计 {sum(caps):.2f} 万元，而预算数为 "
                               f"{b.total:.2f} 万元"))
    if b.total is not None and (b.fiscal is not None or b.other is not None):
        parts = (b.fiscal or 0.0) + (b.other or 0.0)
        if abs(parts - b.total) > 0.005:
            out.append(f"{where}财政资金 {b.fiscal or 0:.2f} + 其他资金 {b.other or 0:.2f} "
                       f"≠ 预算数 {b.total:.2f} 万元")
    return out


def _target_warnings(row, target) -> list[str]:
    """What the reading of the row's 指标值 says a person should look at."""
    out = []
    if not target.parsed and target.source == "inferred":
        out.append(say(f"指标值 “{row.target_text}” could not be read; it will be judged by a "
                       "grade (达成/部分达成/未达成)",
                       f"指标值“{row.target_text}”无法解读，将按完成情况评定（达成/部分达成/未达成）"))
    review = target.review_text(current())
    if review:
        out.append(say(f"指标值 “{row.target_text}”: {review}", f"指标值“{row.target_text}”：{review}"))
    return out


def _where(table: ProjectTable) -> str:
    if table.place:
        return table.place + places.sep()
    return places.line(table.line) + places.sep() if table.line else ""


def _where_row(row) -> str:
    if row.place:
        return row.place + places.sep()
    return places.line(row.line) + places.sep() if row.line else ""



# --- the report ---------------------------------------------------------------------------------

_KINDS = (("unit", "units", "个单位"), ("project", "projects", "个项目"),
          ("indicator", "indicators", "项指标"))


def _counts(plan: ImportPlan, items: str) -> str:
    counts = [(plan.count(items, k), k, plural, zh) for k, plural, zh in _KINDS]
    parts = [say(f"{n} {k if n == 1 else plural}", f"{n} {zh}") for n, k, plural, zh in counts if n]
    return say(", ", "，").join(parts) if parts else say("nothing", "无")


def _kind(kind: str) -> str:
    # unit / project / indicator, as the run's language names them.
    return word(FIELD_WORDS, kind, current())


def report_lines(plan: ImportPlan, *, dry_run: bool = False) -> list[str]:
    """The import report for a person, in the run's language: year and why, counts, what
    changed, every warning, and how many readings need review."""
    lines = [say(f"Year: {plan.year_source}", f"年度：{plan.year_source}")]
    total = say(f"{len(plan.units)} units, {len(plan.projects)} projects, "
                f"{len(plan.indicators)} indicators",
                f"{len(plan.units)} 个单位，{len(plan.projects)} 个项目，{len(plan.indicators)} 项指标")
    if dry_run:
        lines.append(say(f"Dry run — nothing stored. The file holds {total}.",
                         f"试运行——未保存任何内容。文件中有 {total}。"))
        lines.append(say(f"  would add:     {_counts(plan, 'added')}",
                         f"  将新增：{_counts(plan, 'added')}"))
        lines.append(say(f"  would change:  {_counts(plan, 'changed')}",
                         f"  将修改：{_counts(plan, 'changed')}"))
        lines.append(say(f"  would remove:  {_counts(plan, 'removed')} (their progress history is kept)",
                         f"  将移除：{_counts(plan, 'removed')}（其进度记录保留）"))
        lines.append(say(f"  left alone:    {_counts(plan, 'unchanged')}",
                         f"  不变：{_counts(plan, 'unchanged')}"))
        lines.extend(f"  + {_kind(it.kind)} {it.label}" for it in plan.added)
    else:
        # Counts of what the file holds, not of what was stored: the next line says that.
        lines.append(say(f"Read: {total}.", f"读取：{total}。"))
        if plan.is_noop:
            lines.append(say("  nothing changed: the store already holds these tables",
                             "  没有变化：数据中已有这些目标表"))
        else:
            added, changed = _counts(plan, "added"), _counts(plan, "changed")
            removed, unchanged = _counts(plan, "removed"), _counts(plan, "unchanged")
            lines.append(say(f"  added: {added}; changed: {changed}; removed: {removed}; "
                             f"unchanged: {unchanged}",
                             f"  新增：{added}；修改：{changed}；移除：{removed}；不变：{unchanged}"))
    lines.extend(f"  ~ {_kind(it.kind)} {it.label}{say(': ', '：')}{it.detail}" for it in plan.changed)
    lines.extend(say(f"  - {it.kind} {it.label} (progress history kept)",
                     f"  - {_kind(it.kind)} {it.label}（进度记录保留）") for it in plan.removed)
    if plan.warnings:
        lines.append(say(f"Warnings ({len(plan.warnings)}):", f"警告（{len(plan.warnings)} 条）："))
        lines.extend(f"  ! {w}" for w in plan.warnings)
    else:
        lines.append(say("No warnings.", "没有警告。"))
    # Last, so it is what a person reads when the command ends.
    doubtful = plan.needs_review()
    n = len(plan.indicators)
    if doubtful:
        lines.append(say(f"Readings: {doubtful} of {n} need review — list them with `jixiao "
                         "readings --review`, settle them with `jixiao reading ID`.",
                         f"指标值解读：{n} 项中有 {doubtful} 项待复核——用 `jixiao readings "
                         "--review` 列出，用 `jixiao reading ID` 确认或改正。"))
    else:
        lines.append(say(f"Readings: {doubtful} of {n} need review.",
                         f"指标值解读：{n} 项中有 0 项待复核。"))
    return lines
