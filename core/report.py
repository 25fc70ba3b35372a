"""The headless listing behind ``jixiao report`` (issue 6): which indicators are red or amber,
why, and where — for a terminal, a cron job or an e-mail.

It reads a snapshot document (``core.snapshot.build_snapshot``), so the report and the quarterly
snapshot can never disagree about a colour.
"""

from __future__ import annotations

import csv
import io
import json

from .errors import JixiaoError
from .budget_light import execution_rate
from .colours import COUNT_ORDER, colour_word
from .words import COLOUR_WORDS, value_word
from .textwidth import clip, fit, one_line, wrap
from .textwidth import width as text_width

CSV_COLUMNS = ("unit", "unit_name", "project", "project_name", "indicator", "level1", "category",
               "name", "target", "actual", "progress_as_of", "forecast", "likelihood", "colour",
               "final", "expected", "ratio", "reason", "reason_en")
"""The columns of ``jixiao report --format csv``, in order; also the keys of a JSON row."""


_ALIASES = {label: colour for labels in COLOUR_WORDS.values() for colour, label in labels.items()}
_ALIASES.update({"yellow": "amber", "gray": "grey", "黄色": "amber", "红色": "red", "绿色": "green"})


def parse_only(text: str | None) -> tuple[str, ...]:
    """The colours named in ``--only`` (``red,amber``; Chinese 红,黄 work too); empty = all."""
    if not text:
        return ()
    out = []
    for word in text.replace("，", ",").split(","):
        word = word.strip().lower()
        if not word:
            continue
        if word not in _ALIASES:
            raise JixiaoError(f"unknown colour {word!r} in --only; use red, amber, green, blue, grey",
                              zh=f"--only 中的状态 {word!r} 未知；可用 红、黄、绿、蓝、灰"
                                 "（或 red、amber、green、blue、grey）")
        out.append(_ALIASES[word])
    return tuple(dict.fromkeys(out))


def report_rows(doc: dict, *, only: tuple[str, ...] = (), units: tuple[str, ...] = ()) -> list[dict]:
    """One flat row per indicator of snapshot ``doc`` (keys ``CSV_COLUMNS``), in table order,
    keeping only the colours in ``only`` and the unit codes in ``units`` (empty = all)."""
    known = {u["code"] for u in doc["units"]}
    missing = [code for code in units if code not in known]
    if missing:
        raise JixiaoError(f"no unit with code {', '.join(missing)} in the {doc['settings']['year']} "
                          f"tables (known: {', '.join(sorted(known)) or 'none'})",
                          zh=f"{doc['settings']['year']} 年度的目标表中没有代码为 {'、'.join(missing)} "
                             f"的单位（已有：{'、'.join(sorted(known)) or '无'}）")
    rows = []
    for unit in doc["units"]:
        if units and unit["code"] not in units:
            continue
        for project in unit["projects"]:
            for ind in project["indicators"]:
                st = ind["status"]
                if only and st["colour"] not in only:
                    continue
                progress = ind["progress"] or {}
                rows.append({
                    "unit": unit["code"], "unit_name": unit["name"],
                    "project": project["id"], "project_name": project["name"],
                    "indicator": ind["id"], "level1": ind["level1"], "category": ind["category"],
                    "name": ind["name"], "target": ind["target"]["text"],
                    "actual": progress.get("actual"), "progress_as_of": progress.get("as_of"),
                    "forecast": progress.get("forecast"), "likelihood": progress.get("likelihood"),
                    "colour": st["colour"], "final": st["final"], "expected": st["expected"],
                    "ratio": st["ratio"], "reason": st["reason"], "reason_en": st["reason_en"],
                })
    return rows


def _counts(rows: list[dict]) -> dict:
    counts = dict.fromkeys(COUNT_ORDER, 0)
    for row in rows:
        counts[row["colour"]] = counts.get(row["colour"], 0) + 1
    return counts


def format_json(doc: dict, rows: list[dict], *, only=(), units=()) -> str:
    """The report as one JSON document: as-of date, filters, counts of the rows, the rows."""
    out = {"as_of": doc["as_of"], "year": doc["settings"]["year"],
           "filters": {"only": list(only), "units": list(units)},
           "counts": _counts(rows), "rows": rows}
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def format_csv(rows: list[dict]) -> str:
    """The report as CSV with a header row (``CSV_COLUMNS``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(row[c]) for c in CSV_COLUMNS])
    return buf.getvalue()


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_cell(str(value))


def safe_cell(text: str) -> str:
    """``text`` made safe for a spreadsheet: a leading ``=``, ``+``, ``@`` or ``-`` (not a
    number) would start a formula in Excel, so such cells get Excel's literal-text apostrophe."""
    if text and (text[0] in "=+@\t\r" or (text[0] == "-" and not _is_number(text))):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


_TEXT = {
    "zh": {"title": "绩效监控报告", "as_of": "监控日期", "only": "仅", "none": "没有符合条件的指标",
           "budget": "预算", "spent": "执行", "actual": "完成值", "no_data": "未填报"},
    "en": {"title": "Performance monitoring report", "as_of": "as of", "only": "only",
           "none": "no indicators match", "budget": "budget", "spent": "spent",
           "actual": "actual", "no_data": "no data"},
}


def format_table(doc: dict, rows: list[dict], *, lang: str = "zh", width: int = 80,
                 only=()) -> str:
    """The report as plain text no wider than ``width`` columns: one block per unit and project,
    two or more lines per indicator (colour word, name, target → actual; then the reason)."""
    lang = "en" if lang == "en" else "zh"
    t = _TEXT[lang]
    counts = _counts(rows)
    summary = "  ".join(f"{colour_word(c, lang)} {n}" for c, n in counts.items() if n)
    head = f"{t['title']} · {t['as_of']} {doc['as_of']}"
    if only:
        head += f" · {t['only']} " + ",".join(colour_word(c, lang) for c in only)
    out = [clip(head, width), clip(summary or t["none"], width)]
    projects = {p["id"]: (u, p) for u in doc["units"] for p in u["projects"]}
    last_unit = last_project = None
    reason_key = "reason_en" if lang == "en" else "reason"
    for row in rows:
        unit, project = projects[row["project"]]
        if unit["code"] != last_unit:
            out += ["", clip(f"{unit['code']} {one_line(unit['name'])}", width)]
            last_unit = unit["code"]
        if project["id"] != last_project:
            out.append(clip("  " + _project_line(project, lang), width))
            last_project = project["id"]
        label = colour_word(row["colour"], lang)
        actual = one_line(row["actual"]) if row["actual"] is not None else t["no_data"]
        actual = value_word(actual, lang, beside=False)   # the term is in the reason below
        right = f"{clip(one_line(row['target']), 14)} → {clip(actual, 14)}"
        name_cols = width - 4 - 6 - 1 - text_width(right)
        out.append("    " + fit(label, 6) + fit(one_line(row["name"]), name_cols) + " " + right)
        for line in wrap(row[reason_key] or "", width - 10):
            if line:
                out.append(" " * 10 + line)
    return "\n".join(out) + "\n"


def _project_line(project: dict, lang: str) -> str:
    t = _TEXT[lang]
    total = project["budget"].get("total")
    parts = [one_line(project["name"])]
    if total is not None:
        parts.append(f"{t['budget']} {total:.2f}")
    light = colour_word(project["budget_status"]["colour"], lang)
    if project["spent"] is not None:
        rate = execution_rate(project["spent"], total)
        rate = f" ({rate:.0%})" if rate is not None else ""
        parts.append(f"{t['spent']} {project['spent']:.2f}{rate} {light}")
    else:
        parts.append(f"{t['spent']} {t['no_data']} {light}")
    return " · ".join(parts)
