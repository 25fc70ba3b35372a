"""Quarterly snapshots (DESIGN.md §10, issue 6): where every indicator stood at one date.

``build_snapshot`` turns a ``Dataset`` and an as-of date into one JSON-ready document: what a
snapshot says. How it is laid out as bytes is ``core.snapshot_codec``'s (``dump_snapshot`` and
``write_snapshot``, re-exported here). The same data and date always give the same bytes (only
``generated_at`` differs, and it can be pinned), so two snapshots diff cleanly with any tool.
"""

from __future__ import annotations

import json
import re
from importlib import metadata, resources

from .colours import COUNT_ORDER, worst_of
from .dataset import Dataset
from .errors import JixiaoError
from .evaluator import evaluate
from .model import Indicator, now_iso
from .periods import iso_date
from .periods import quarter_end as _quarter_end
from .overrides import reading_key
from .rules import target_of
# The writers are re-exported: callers take a snapshot's text from where they take the document.
from .snapshot_codec import dump_lines, dump_snapshot, write_snapshot  # noqa: F401
from .status import Status


SCHEMA_VERSION = 1
"""Version of the snapshot document layout; bumped when a key changes meaning or disappears."""

GENERATOR = "jixiao"
"""The ``generator.name`` written into every snapshot."""

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


def quarter_end(text: str) -> str:
    """The last day of a quarter written ``2023Q2`` (or ``2023-Q2``), as ``2023-06-30``."""
    m = _QUARTER.match(text or "")
    if not m:
        raise JixiaoError(f"not a quarter in the form YYYYQn (e.g. 2023Q2): {text!r}",
                          zh=f"{text!r} 不是季度：季度写作 YYYYQn（例如 2023Q2）")
    return _quarter_end(int(m.group(1)), int(m.group(2))).isoformat()


def generator_version() -> str:
    """The installed jixiao version, from the package metadata."""
    try:
        return metadata.version(GENERATOR)
    except metadata.PackageNotFoundError:
        return "0+unknown"


def load_schema() -> dict:
    """The JSON Schema of a snapshot document, shipped as ``core/snapshot.schema.json``."""
    text = resources.files(__package__).joinpath("snapshot.schema.json").read_text("utf-8")
    return json.loads(text)


def snapshot_year(dataset: Dataset, as_of: str) -> int:
    """The budget year a snapshot at ``as_of`` covers: the as-of year when it has projects, else
    the configured year (a January review of last year's targets)."""
    year = int(as_of[:4])
    if any(p.year == year for p in dataset.projects.values()):
        return year
    return dataset.settings.year


def build_snapshot(dataset: Dataset, as_of: str, *, generated_at: str | None = None,
                   evaluation=None) -> dict:
    """The snapshot document of ``dataset`` at ``as_of`` (ISO date), JSON-ready.

    Only progress and spending dated on or before ``as_of`` count, so an old quarter can be
    reproduced after newer data arrived. ``evaluation`` may pass a ``core.status.Evaluation``
    already computed at ``as_of``; ``generated_at`` pins the one field that otherwise varies.
    """
    as_of = iso_date(as_of, "as_of")
    ev = evaluation if evaluation is not None else evaluate(dataset, as_of)
    return _build(dataset, as_of, ev, generated_at)


def _build(dataset: Dataset, as_of: str, ev, generated_at: str | None) -> dict:
    year = snapshot_year(dataset, as_of)
    thresholds = dataset.settings.thresholds
    units = []
    total = dict.fromkeys(COUNT_ORDER, 0)
    # Target dicts by (text, level1, category, measure), status dicts by the id of their
    # ``Status`` (``evaluate`` shares one verdict between indicators with the same target and
    # value): each is built once and shared, so ``dump_snapshot`` also encodes it once.
    shared = ({}, {})
    for unit in dataset.unit_list():
        projects = [_project(dataset, p, as_of, ev, shared) for p in dataset.projects_of(unit.code)
                    if p.year == year]
        if not projects:
            continue
        counts = _sum_counts(p["counts"] for p in projects)
        for colour in COUNT_ORDER:
            total[colour] += counts[colour]
        units.append({
            "code": unit.code,
            "name": unit.name,
            "colour": worst_of(p["colour"] for p in projects),
            "counts": counts,
            "projects": projects,
        })
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": GENERATOR, "version": generator_version()},
        "generated_at": generated_at if generated_at is not None else now_iso(),
        "as_of": as_of,
        "settings": {"year": year, "thresholds": thresholds.to_dict()},
        "colour": worst_of(u["colour"] for u in units),
        "counts": total,
        "units": units,
    }


def _project(dataset: Dataset, project, as_of: str, ev, shared: tuple) -> dict:
    spending = dataset.counting_spending(project.id, as_of)
    colours: list[str] = []
    indicators = _indicators(dataset, project, as_of, ev, shared, colours)
    rollup = ev.projects.get(project.id)
    counts = {colour: colours.count(colour) for colour in COUNT_ORDER}
    if sum(counts.values()) != len(colours):    # a colour of its own: counted after the rest
        for colour in colours:
            counts.setdefault(colour, colours.count(colour))
    budget_status = ev.budgets.get(project.id) or _GREY
    colour = rollup.colour if rollup is not None else worst_of([budget_status.colour] + colours)
    return {
        "id": project.id,
        "name": project.name,
        "year": project.year,
        "budget": {k: _num(v) for k, v in project.budget.to_dict().items()},
        "spent": _num(spending.spent) if spending else None,
        "spent_as_of": spending.as_of if spending else None,
        "budget_status": _status(budget_status),
        "colour": colour,
        "counts": counts,
        "indicators": indicators,
    }


_GREY = Status("grey")


def _indicators(dataset: Dataset, project, as_of: str, ev, shared: tuple,
                colours: list) -> list[dict]:
    # The hot loop of a 100k-indicator snapshot: one pass, locals only. The status goes through
    # ``_status`` like the budget light's, so the two can never be written differently. Each
    # indicator's colour is appended to ``colours``, for the project's counts.
    out = []
    colour = colours.append
    histories, statuses, grey = dataset.progress, ev.indicators, _GREY
    # ``status_dicts`` is keyed by ``id``: safe, as ``ev`` (or the module, for ``_GREY``)
    # keeps every Status alive while the snapshot is built.
    targets, status_dicts = shared
    for ind in dataset.indicators_of(project.id):
        # ``dataset.counting_progress`` written out (two calls per indicator saved): histories
        # are kept in date order, and the latest entry on or before ``as_of`` counts.
        entry = None
        for e in reversed(histories.get(ind.id) or ()):
            if e.as_of <= as_of:
                entry = e
                break
        key = reading_key(ind)
        target = targets.get(key)
        if target is None:
            target = targets[key] = _target(ind, project.year)
        st = statuses.get(ind.id) or grey
        status = status_dicts.get(id(st))
        if status is None:
            status = status_dicts[id(st)] = _status(st)
        colour(status["colour"])
        out.append({
            "id": ind.id,
            "level1": ind.level1,
            "category": ind.category,
            "name": ind.name,
            "description": ind.description,
            "target": target,   # shared between identical targets: treat as read-only
            "progress": None if entry is None else {
                "id": entry.id,
                "as_of": entry.as_of,
                "actual": entry.actual,
                "forecast": entry.forecast,
                "likelihood": entry.likelihood,
                "causes": list(entry.causes),
                "measures": entry.measures,
                "note": entry.note,
                "author": entry.author,
                "recorded_at": entry.recorded_at,
            },
            # Keys in ``snapshot_codec``'s order (its fast path; any other still writes and
            # reads, slower), the status last. Shared
            # between indicators with the same verdict: treat as read-only, like the target.
            "status": status,
        })
    return out


def _target(ind: Indicator, year: int) -> dict:
    # The verbatim text first; then the parsed reading without the empty fields, which would
    # only add bytes to 100k lines.
    out = {"text": ind.target_text}
    for key, value in target_of(ind, year).to_dict().items():
        if key == "text" or value is None:
            continue
        out[key] = _num(value) if isinstance(value, float) else value
    return out


def _status(st) -> dict:
    expected, ratio = st.expected, st.ratio
    return {
        "colour": st.colour,
        "final": bool(st.final),
        "expected": None if expected is None else _num(expected),
        "ratio": None if ratio is None else _num(ratio),
        "reason": st.reason_zh,
        "reason_en": st.reason_en,
    }


def _num(value):
    """A number as written into a snapshot: 4 decimals, no NaN or infinity, no ``-0.0``."""
    if type(value) is float:
        # Written out, as this runs twice per indicator: finite, rounded, and -0.0 → 0.0.
        return round(value, 4) + 0.0 if -_HUGE < value < _HUGE else None
    if value is None or isinstance(value, (bool, int)):
        return value
    return _num(float(value))


_HUGE = 1e300


def _sum_counts(many) -> dict:
    total = dict.fromkeys(COUNT_ORDER, 0)
    for counts in many:
        for colour in COUNT_ORDER:
            total[colour] += counts.get(colour, 0)
    return total
