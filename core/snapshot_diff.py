"""What changed between two snapshots (issue 6): colour changes, newly final indicators, changed
target texts, added and removed indicators, and the per-unit counts.

``diff_snapshots`` takes the two documents as JSON text (the fast way, straight from the files) or
as dicts from ``core.snapshot.build_snapshot``, and returns a JSON-ready dict; ``format_diff``
renders that dict as a table that fits 80 columns.
"""

from __future__ import annotations

import json
import re

from .errors import JixiaoError
from .report import colour_label
from .snapshot import COUNT_ORDER
from .textwidth import clip, fit, one_line

SEVERITY = {"red": 2, "amber": 1}
"""How bad a colour is for the diff; every other colour (green, blue, grey) is 0."""

_LINES_KEY = "__jixiao_lines__"
# Where ``dump_snapshot`` puts an indicator: alone on a line, 12 spaces deep.
_LINE_START = ' ' * 12 + '{"id": "'
_S = r'((?:[^"\\]|\\.)*)'   # the inside of a JSON string
_HEAD = re.compile(r'\{"id": "%s", "level1": "%s", "category": "%s", "name": "%s", ' % (_S, _S, _S, _S))
_TARGET = re.compile(r'"target": \{"text": "%s"' % _S)
_STATUS = '"status": {"colour": "'
# The status is the last key of the line; user text cannot contain this sequence unescaped.
_TAIL = re.compile(r'"status": \{"colour": "(\w+)", "final": (true|false), "expected": [-+.\deEnul]+, '
                   r'"ratio": [-+.\deEnul]+, "reason": "%s", "reason_en": "%s"\}\}$' % (_S, _S))


def _unescape(inner: str) -> str:
    return json.loads('"' + inner + '"') if "\\" in inner else inner


class _Ind:
    """One indicator of one side, parsed only as far as the comparison needs."""

    __slots__ = ("id", "colour", "final", "target", "raw", "data", "where")

    def __init__(self, iid, colour, final, target, raw, data, where):
        self.id, self.colour, self.final, self.target = iid, colour, final, target
        self.raw, self.data, self.where = raw, data, where

    def fields(self) -> dict:
        """``category``, ``name``, ``target`` text, ``reason`` and ``reason_en``; read from the
        line only when needed (i.e. only for indicators that changed)."""
        if self.data is None:
            head = _HEAD.match(self.raw)
            tail = _TAIL.match(self.raw, self.raw.rfind(_STATUS))
            if head and tail:
                return {"category": _unescape(head.group(3)), "name": _unescape(head.group(4)),
                        "target": _unescape(self.target), "reason": _unescape(tail.group(3)),
                        "reason_en": _unescape(tail.group(4))}
            self.data = json.loads(self.raw)
        d = self.data
        return {"category": d.get("category", ""), "name": d.get("name", ""),
                "target": d["target"]["text"], "reason": d["status"].get("reason", ""),
                "reason_en": d["status"].get("reason_en", "")}

    def target_text(self) -> str:
        """The verbatim 指标值, unescaped."""
        return self.target if self.raw is None else _unescape(self.target)


class SnapshotIndex:
    """A snapshot read for comparison: header, units with counts, indicators by id."""

    def __init__(self, doc: dict, indicators: dict[str, _Ind]):
        self.doc = doc
        self.indicators = indicators

    @property
    def header(self) -> dict:
        """``as_of``, ``generated_at`` and the total ``counts``."""
        return {"as_of": self.doc.get("as_of"), "generated_at": self.doc.get("generated_at"),
                "counts": _counts(self.doc.get("counts"))}


def read_snapshot(source, *, label: str = "snapshot") -> SnapshotIndex:
    """Index a snapshot given as JSON text, bytes or an already-parsed dict.

    Text in ``dump_snapshot`` layout (one indicator per line) is read without parsing the
    indicators that turn out not to have changed; any other valid JSON works too, only slower.
    """
    if isinstance(source, SnapshotIndex):
        return source
    if isinstance(source, bytes):
        source = source.decode("utf-8-sig")
    if isinstance(source, str):
        try:
            doc, groups = _read_text(source)
        except ValueError:
            try:
                doc, groups = json.loads(source), []
            except ValueError as exc:
                raise JixiaoError(f"{label} is not valid JSON ({exc})") from None
    else:
        doc, groups = source, []
    if not isinstance(doc, dict) or "schema_version" not in doc or not isinstance(doc.get("units"), list):
        raise JixiaoError(f"{label} is not a jixiao snapshot (no schema_version/units)")
    try:
        return SnapshotIndex(doc, _index(doc, groups))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise JixiaoError(f"{label} is not a well-formed jixiao snapshot ({exc!r})") from None


def _read_text(text: str):
    # Cut the one-line indicators out, leaving a small skeleton with a placeholder per run of
    # them; only the skeleton goes through json.loads.
    skeleton: list[str] = []
    groups: list[list[str]] = []
    current = None
    start = _LINE_START
    for line in text.lstrip("\ufeff").split("\n"):
        if line.startswith(start):
            if current is None:
                current = []
                skeleton.append('{"%s": %d}' % (_LINES_KEY, len(groups)))
                groups.append(current)
            current.append(line[12:-1] if line[-1] == "," else line[12:])
        else:
            current = None
            skeleton.append(line)
    return json.loads("\n".join(skeleton)), groups


def _index(doc: dict, groups: list[list[str]]) -> dict[str, _Ind]:
    out: dict[str, _Ind] = {}
    for unit in doc["units"]:
        for project in unit["projects"]:
            where = (unit, project)
            for item in project["indicators"]:
                if len(item) == 1 and _LINES_KEY in item:
                    for raw in groups[item[_LINES_KEY]]:
                        ind = _from_line(raw, where)
                        out[ind.id] = ind
                else:
                    ind = _from_dict(item, where)
                    out[ind.id] = ind
    return out


def _from_dict(item: dict, where) -> _Ind:
    st = item["status"]
    return _Ind(item["id"], st["colour"], bool(st["final"]), item["target"]["text"], None, item,
                where)


def _from_line(raw: str, where) -> _Ind:
    head = _HEAD.match(raw)
    k = raw.rfind(_STATUS)
    if head and k > 0 and "\\" not in head.group(1):
        t = _TARGET.match(raw, raw.find('"target": ', head.end()))
        start = k + len(_STATUS)
        end = raw.find('"', start)
        final = raw.startswith(', "final": true', end + 1)
        if t and end > 0 and (final or raw.startswith(', "final": false', end + 1)):
            return _Ind(head.group(1), raw[start:end], final, t.group(1), raw, None, where)
    return _from_dict(json.loads(raw), where)   # an unusual line: read it the slow, sure way


def _counts(counts) -> dict:
    counts = counts or {}
    return {c: int(counts.get(c, 0)) for c in COUNT_ORDER}


def _entry(ind: _Ind) -> dict:
    unit, project = ind.where
    f = ind.fields()
    return {
        "id": ind.id,
        "unit": unit["code"],
        "unit_name": unit.get("name", ""),
        "project": project["id"],
        "project_name": project.get("name", ""),
        "category": f["category"],
        "name": f["name"],
        "target": f["target"],
        "colour": ind.colour,
        "final": ind.final,
        "reason": f["reason"],
        "reason_en": f["reason_en"],
    }


def diff_snapshots(old, new) -> dict:
    """Everything that changed from ``old`` to ``new`` (JSON text, bytes, dicts or indexes).

    Colour changes are listed worsened first (green→red, green→amber, amber→red), then
    recovered, then other moves (between green, blue and grey); every list is otherwise in
    table order.
    """
    a = read_snapshot(old, label="the old snapshot")
    b = read_snapshot(new, label="the new snapshot")
    colour_changes, newly_final, target_changes, added = [], [], [], []
    old_ind = a.indicators
    for iid, n in b.indicators.items():
        o = old_ind.get(iid)
        if o is None:
            added.append(n)
            continue
        if o.raw is not None and o.raw == n.raw:
            continue
        if o.colour != n.colour:
            colour_changes.append((o, n))
        if n.final and not o.final:
            newly_final.append(n)
        if o.target != n.target and o.target_text() != n.target_text():
            target_changes.append((o, n))
    removed = [o for iid, o in old_ind.items() if iid not in b.indicators]

    def change(pair):
        o, n = pair
        e = _entry(n)
        e["old"], e["new"] = o.colour, n.colour
        e["direction"] = _direction(o.colour, n.colour)
        return e

    changes = sorted(map(change, colour_changes), key=_change_order)
    finals = []
    for n in newly_final:
        e = _entry(n)
        e["outcome"] = "missed" if n.colour in SEVERITY else "achieved"
        finals.append(e)
    targets = []
    for o, n in target_changes:
        e = _entry(n)
        e["old_target"], e["new_target"] = o.target_text(), n.target_text()
        targets.append(e)
    return {
        "old": a.header,
        "new": b.header,
        "colour_changes": changes,
        "newly_final": finals,
        "target_changes": targets,
        "added": [_entry(n) for n in added],
        "removed": [_entry(o) for o in removed],
        "unit_counts": _unit_counts(a.doc, b.doc),
        "total": _delta(a.header["counts"], b.header["counts"]),
    }


def _direction(old: str, new: str) -> str:
    before, after = SEVERITY.get(old, 0), SEVERITY.get(new, 0)
    if after > before:
        return "worsened"
    if after < before:
        return "recovered"
    return "changed"


_DIRECTION_ORDER = {"worsened": 0, "recovered": 1, "changed": 2}


def _change_order(e: dict):
    before, after = SEVERITY.get(e["old"], 0), SEVERITY.get(e["new"], 0)
    group = _DIRECTION_ORDER[e["direction"]]
    if group == 0:      # from the best colour first, to the worst colour first
        return (group, before, -after)
    if group == 1:      # the biggest recovery first
        return (group, -before, after)
    return (group, 0, 0)


def _delta(old: dict, new: dict) -> dict:
    return {"old": old, "new": new, "delta": {c: new[c] - old[c] for c in COUNT_ORDER}}


def _unit_counts(a: dict, b: dict) -> list[dict]:
    old = {u["code"]: u for u in a["units"]}
    new = {u["code"]: u for u in b["units"]}
    rows = []
    for code in sorted(old.keys() | new.keys()):
        o, n = old.get(code), new.get(code)
        d = _delta(_counts(o and o.get("counts")), _counts(n and n.get("counts")))
        if any(d["delta"].values()) or o is None or n is None:
            rows.append({"code": code, "name": (n or o).get("name", ""), **d})
    return rows


# --- the table ------------------------------------------------------------------------------

_TEXT = {
    "zh": {
        "title": "快照对比", "none": "无变化",
        "worsened": "恶化", "recovered": "好转", "changed": "其他颜色变化",
        "newly_final": "新近完结", "achieved": "已达成", "missed": "未达成",
        "target_changes": "指标值变更", "added": "新增指标", "removed": "删除指标",
        "unit_counts": "各单位计数变化", "total": "合计",
    },
    "en": {
        "title": "Snapshot diff", "none": "no changes",
        "worsened": "Worsened", "recovered": "Recovered", "changed": "Other colour changes",
        "newly_final": "Newly final", "achieved": "achieved", "missed": "missed",
        "target_changes": "Target text changed", "added": "Added indicators",
        "removed": "Removed indicators", "unit_counts": "Counts per unit", "total": "total",
    },
}


def format_diff(diff: dict, *, lang: str = "zh", width: int = 80) -> str:
    """``diff`` (from ``diff_snapshots``) as a plain-text table no wider than ``width``."""
    t = _TEXT["en" if lang == "en" else "zh"]
    out = [f"{t['title']} {diff['old']['as_of']} → {diff['new']['as_of']}"]
    reason_key = "reason_en" if lang == "en" else "reason"

    def heading(name: str, n: int) -> None:
        out.append("")
        out.append(f"{name} ({n})")

    def row(label: str, e: dict, detail: str | None) -> None:
        where = f"{e['unit']} {one_line(e['project_name'])} · {one_line(e['name'])}"
        out.append(fit("  " + label, 16) + clip(where, width - 16))
        if detail:
            out.append(" " * 16 + clip(one_line(detail), width - 16))

    def arrow(e: dict) -> str:
        return f"{colour_label(e['old'], lang)}→{colour_label(e['new'], lang)}"

    for direction in ("worsened", "recovered", "changed"):
        rows = [e for e in diff["colour_changes"] if e["direction"] == direction]
        if rows:
            heading(t[direction], len(rows))
            for e in rows:
                row(arrow(e), e, e[reason_key])
    if diff["newly_final"]:
        heading(t["newly_final"], len(diff["newly_final"]))
        for e in diff["newly_final"]:
            row(f"{colour_label(e['colour'], lang)} {t[e['outcome']]}", e, e[reason_key])
    if diff["target_changes"]:
        heading(t["target_changes"], len(diff["target_changes"]))
        for e in diff["target_changes"]:
            row("", e, f"{one_line(e['old_target'])} → {one_line(e['new_target'])}")
    for key in ("added", "removed"):
        if diff[key]:
            heading(t[key], len(diff[key]))
            for e in diff[key]:
                row(colour_label(e["colour"], lang), e, e["target"])
    if diff["unit_counts"]:
        heading(t["unit_counts"], len(diff["unit_counts"]))
        out.append(_counts_row("", "", {c: colour_label(c, lang) for c in COUNT_ORDER}))
        for u in diff["unit_counts"]:
            out.append(_counts_row(u["code"], one_line(u["name"]), _cells(u)))
        out.append(_counts_row(t["total"], "", _cells(diff["total"])))
    if not (diff["colour_changes"] or diff["newly_final"] or diff["target_changes"]
            or diff["added"] or diff["removed"] or diff["unit_counts"]):
        out.append("")
        out.append(t["none"])
    return "\n".join(out) + "\n"


def _cells(d: dict) -> dict:
    cells = {}
    for c in COUNT_ORDER:
        delta = d["delta"][c]
        cells[c] = f"{d['new'][c]} ({delta:+d})" if delta else str(d["new"][c])
    return cells


def _counts_row(code: str, name: str, cells: dict) -> str:
    # 2 + 7 + 21 + 5×10 = 80 columns
    return ("  " + fit(code, 7) + fit(name, 21)
            + "".join(fit(cells[c], 10, align="right") for c in COUNT_ORDER)).rstrip()
