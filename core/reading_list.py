"""The listing behind ``jixiao readings`` (issue 12 §1): every indicator's reading of its 指标值 —
kind, operator, value, unit, measure, period — where it came from, and for a doubtful one why a
person should look at it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from .dataset import Dataset
from .errors import JixiaoError
from .numbers import format_number
from .overrides import indicator_target, override_of
from .report import safe_cell
from .targets import KIND_NAMES, MEASURE_NAMES, Target
from .textwidth import clip, fit, one_line, wrap
from .textwidth import width as text_width

COLUMNS = ("unit", "project", "indicator", "category", "name", "target", "confidence", "source",
           "kind", "op", "value", "unit_of_measure", "measure", "start", "end", "wanted",
           "review", "settled_by", "settled_at")
"""The columns of ``jixiao readings --format csv``, in order; also the keys of a JSON row."""

SOURCE_NAMES = {
    "zh": {"inferred": "推断", "confirmed": "已确认", "overridden": "已覆盖"},
    "en": {"inferred": "inferred", "confirmed": "confirmed", "overridden": "overridden"},
}
"""The name of each reading source, per language."""

CONFIDENCE_NAMES = {
    "zh": {"confident": "可信", "needs review": "待复核"},
    "en": {"confident": "confident", "needs review": "needs review"},
}
"""The name of each confidence, per language."""


@dataclass(frozen=True)
class ReadingRow:
    """One indicator and its reading, as listed."""

    unit: str
    project_id: str
    project_name: str
    indicator_id: str
    category: str
    name: str
    target: Target
    settled_by: str = ""
    settled_at: str = ""


def reading_rows(dataset: Dataset, *, review_only: bool = False,
                 units: tuple[str, ...] = ()) -> list[ReadingRow]:
    """Every indicator of ``dataset`` with its reading, in unit, project and table order;
    only doubtful ones with ``review_only``, only the unit codes in ``units`` (empty = all)."""
    known = set(dataset.units) | {p.unit_code for p in dataset.projects.values()}
    missing = [code for code in units if code not in known]
    if missing:
        raise JixiaoError(f"no unit with code {', '.join(missing)} (known: "
                          f"{', '.join(sorted(known)) or 'none'})",
                          zh=f"没有代码为 {'、'.join(missing)} 的单位（已有："
                             f"{'、'.join(sorted(known)) or '无'}）")
    rows = []
    codes = list(dataset.units)
    codes += sorted(known - set(codes))
    for code in codes:
        if units and code not in units:
            continue
        for project in dataset.projects_of(code):
            for ind in dataset.indicators_of(project.id):
                target = indicator_target(ind, project.year)
                if review_only and not target.needs_review:
                    continue
                settled = override_of(ind)
                rows.append(ReadingRow(code, project.id, project.name, ind.id, ind.category,
                                       ind.name, target,
                                       settled.author if settled else "",
                                       settled.at if settled else ""))
    return rows


def row_dict(row: ReadingRow, lang: str = "zh") -> dict:
    """``row`` as a flat dict with the keys of ``COLUMNS`` (names of kinds and measures in
    ``lang``; numbers as numbers, dates as ISO strings, empty ones ``None``)."""
    t = row.target
    zh = "en" if lang == "en" else "zh"
    if t.kind == "range":
        value = f"{format_number(t.low)}-{format_number(t.high)}"
    else:
        value = t.value
    return {
        "unit": row.unit, "project": row.project_id, "indicator": row.indicator_id,
        "category": row.category, "name": row.name, "target": t.text,
        "confidence": CONFIDENCE_NAMES[zh][t.confidence],
        "source": SOURCE_NAMES[zh][t.source],
        "kind": KIND_NAMES[zh].get(t.kind, t.kind),
        "op": t.symbol if t.op else None,
        "value": value,
        "unit_of_measure": t.unit,
        "measure": MEASURE_NAMES[zh].get(t.measure) if t.measure else None,
        "start": t.start.isoformat() if t.start else None,
        "end": t.deadline.isoformat() if t.deadline else None,
        "wanted": t.wanted,
        "review": t.review_text(lang),
        "settled_by": row.settled_by or None,
        "settled_at": row.settled_at or None,
    }


def format_csv(rows: list[ReadingRow], lang: str = "zh") -> str:
    """The listing as CSV with a header row (``COLUMNS``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        d = row_dict(row, lang)
        writer.writerow(["" if d[c] is None else safe_cell(_plain(d[c])) for c in COLUMNS])
    return buf.getvalue()


def _plain(value) -> str:
    return format_number(value) if isinstance(value, float) else str(value)


def format_json(rows: list[ReadingRow], lang: str = "zh") -> str:
    """The listing as one JSON document: counts and rows."""
    doubtful = sum(r.target.needs_review for r in rows)
    out = {"counts": {"readings": len(rows), "needs_review": doubtful},
           "rows": [row_dict(r, lang) for r in rows]}
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


_TEXT = {
    "zh": {"title": "指标值解读", "review": "需复核", "of": "", "none": "没有符合条件的指标",
           "why": "原因"},
    "en": {"title": "Readings of 指标值", "review": "need review", "of": "of",
           "none": "no indicators match", "why": "why"},
}


def format_table(rows: list[ReadingRow], *, lang: str = "zh", width: int = 80) -> str:
    """The listing as plain text no wider than ``width``: per indicator its id, confidence
    word, name, 指标值 → reading; then why, for a doubtful one."""
    lang = "en" if lang == "en" else "zh"
    t = _TEXT[lang]
    doubtful = sum(r.target.needs_review for r in rows)
    head = (f"{t['title']} · 共{len(rows)}条，{doubtful}条{t['review']}" if lang == "zh"
            else f"{t['title']} · {doubtful} {t['of']} {len(rows)} {t['review']}")
    out = [clip(head, width)]
    if not rows:
        out.append(t["none"])
    for row in rows:
        d = row_dict(row, lang)
        mark = ("? " if row.target.needs_review else "  ") + d["confidence"]
        reading = _reading_words(d)
        right = f"{clip(one_line(d['target']), 20)} → {clip(reading, 26)}"
        name_cols = max(8, width - 13 - 9 - 1 - text_width(right))
        out.append(f"{row.indicator_id} " + fit(mark, 9) + fit(one_line(row.name), name_cols)
                   + " " + right)
        if d["review"]:
            for line in wrap(f"{t['why']}{'：' if lang == 'zh' else ': '}{d['review']}", width - 15):
                if line:
                    out.append(" " * 15 + line)
    return "\n".join(out) + "\n"


def _reading_words(d: dict) -> str:
    parts = [d["kind"]]
    if d["op"]:
        parts.append(f"{d['op']}{_plain(d['value']) if d['value'] is not None else ''}"
                     f"{d['unit_of_measure'] or ''}")
    elif d["value"] is not None:
        parts.append(f"{_plain(d['value'])}{d['unit_of_measure'] or ''}")
    if d["measure"]:
        parts.append(d["measure"])
    if d["start"] or (d["end"] and d["kind"] not in ("时限", "deadline")):
        parts.append(f"{d['start'] or ''}..{d['end'] or ''}")
    elif d["end"]:
        parts.append(d["end"])
    if d["wanted"] == "no":
        parts.append("否" if d["kind"] == "定性" else "no")
    return " ".join(parts)
