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
from .snapshot import dump_lines
from .status import COUNT_ORDER, colour_word
from .textwidth import clip, fit, one_line
from .textwidth import width as text_width

SEVERITY = {"red": 2, "amber": 1}
"""How bad a colour is for the diff; every other colour (green, blue, grey) is 0."""

_LINES_KEY = "__jixiao_lines__"
# Where ``dump_snapshot`` puts an indicator: alone on a line, 12 spaces deep. Lines are handled
# as UTF-8 bytes: no decoding of a whole 100k-indicator file, half the memory of str.
_LINE_START = b" " * 12 + b'{"id": "'
_S = rb'([^"\\]*(?:\\.[^"\\]*)*)'   # the inside of a JSON string (unrolled: fast in re)
_HEAD = re.compile(rb'\{"id": "%s", "level1": "%s", "category": "%s", "name": "%s", ' % (_S, _S, _S, _S))
_TARGET = re.compile(rb'"target": \{"text": "%s"' % _S)
_STATUS = b'"status": {"colour": "'
# The status is the last key of the line; user text cannot contain this sequence unescaped.
_TAIL = re.compile(rb'"status": \{"colour": "(\w+)", "final": (true|false), "expected": [-+.\deEnul]+, '
                   rb'"ratio": [-+.\deEnul]+, "reason": "%s", "reason_en": "%s"\}\}$' % (_S, _S))
_BOM = b"\xef\xbb\xbf"


def _unescape(inner: bytes) -> str:
    text = inner.decode("utf-8", "replace")
    return json.loads('"' + text + '"') if "\\" in text else text


class SnapshotIndex:
    """A snapshot read for comparison: the skeleton (header, units, projects) parsed, and per
    indicator id a ``(raw line or None, place, parsed dict or None)`` triple, where ``place``
    indexes ``wheres`` (its ``(unit, project)``). Lines are parsed only when they changed."""

    def __init__(self, doc: dict, indicators: dict, wheres: list):
        self.doc = doc
        self.indicators = indicators
        self.wheres = wheres

    @property
    def header(self) -> dict:
        """``as_of``, ``generated_at`` and the total ``counts``."""
        return {"as_of": self.doc.get("as_of"), "generated_at": self.doc.get("generated_at"),
                "counts": _counts(self.doc.get("counts"))}


def read_snapshot(source, *, label: str = "snapshot") -> SnapshotIndex:
    """Index a snapshot given as JSON bytes or text, or an already-parsed dict.

    Text in ``dump_snapshot`` layout (one indicator per line) is read without parsing the
    indicators that turn out not to have changed; any other valid JSON works too, only slower.
    """
    if isinstance(source, SnapshotIndex):
        return source
    if isinstance(source, str):
        source = source.encode("utf-8")
    indicators: dict = {}
    if isinstance(source, bytes):
        try:
            doc = _read_lines(source, indicators)
        except ValueError:
            indicators = {}
            try:
                doc = json.loads(source.removeprefix(_BOM).decode("utf-8"))
            except UnicodeDecodeError:
                raise JixiaoError(f"{label} is not UTF-8 text, so not a jixiao snapshot") from None
            except ValueError as exc:
                raise JixiaoError(f"{label} is not valid JSON ({exc})") from None
    else:
        doc = source
    if not isinstance(doc, dict) or "schema_version" not in doc or not isinstance(doc.get("units"), list):
        raise JixiaoError(f"{label} is not a jixiao snapshot (no schema_version/units)")
    try:
        wheres = _place(doc, indicators)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as exc:
        raise JixiaoError(f"{label} is not a well-formed jixiao snapshot ({exc!r})") from None
    return SnapshotIndex(doc, indicators, wheres)


def _read_lines(data: bytes, indicators: dict) -> dict:
    # Cut the one-line indicators out, leaving a small skeleton with one placeholder per run of
    # them; only the skeleton goes through json.loads. Each line is filed under its id and the
    # number of its run, which ``_place`` later ties to a project.
    skeleton: list[bytes] = []
    group = -1
    in_run = False
    start, cut = _LINE_START, len(_LINE_START) - 8
    lines = data.split(b"\n")
    if lines[0].startswith(_BOM):
        lines[0] = lines[0][3:]
    for line in lines:
        if line.startswith(start):
            if not in_run:
                in_run = True
                group += 1
                skeleton.append(b'{"%s": %d}' % (_LINES_KEY.encode(), group))
            raw = line[cut:-1] if line.endswith(b",") else line[cut:]
            iid = raw[8:raw.index(b'"', 8)]
            if b"\\" in iid:
                raise ValueError("an id this reader does not take apart")   # use the sure way
            iid = iid.decode("utf-8")
            if iid in indicators:
                raise ValueError("the same id twice")
            indicators[iid] = (raw, group, None)
        else:
            in_run = False
            skeleton.append(line)
    return json.loads(b"\n".join(skeleton).decode("utf-8"))


def _place(doc: dict, indicators: dict) -> list:
    # Runs of lines are numbered 0..n-1 in document order, so wheres[run] is their project;
    # indicators written as ordinary JSON objects get places after those.
    runs = sum(1 for _ in _placeholders(doc))
    wheres: list = [None] * runs
    for unit in doc["units"]:
        for project in unit["projects"]:
            where = (unit, project)
            for item in project["indicators"]:
                if len(item) == 1 and _LINES_KEY in item:
                    wheres[item[_LINES_KEY]] = where
                else:
                    item["status"]["colour"], item["target"]["text"]   # present, or not a snapshot
                    wheres.append(where)
                    indicators[item["id"]] = (None, len(wheres) - 1, item)
    return wheres


def _placeholders(doc: dict):
    for unit in doc["units"]:
        for project in unit["projects"]:
            for item in project["indicators"]:
                if len(item) == 1 and _LINES_KEY in item:
                    yield item


def _sig(entry) -> tuple[str, bool, bytes | str, dict | None]:
    """``(colour, final, target text as stored, parsed dict or None)`` of one indicator; the
    target is escaped bytes when it comes from a line, text when from a parsed object."""
    raw, _, item = entry
    if raw is not None:
        k = raw.rfind(_STATUS)
        t = _TARGET.search(raw)
        if k > 0 and t:
            start = k + len(_STATUS)
            end = raw.find(b'"', start)
            final = raw.startswith(b', "final": true', end + 1)
            if end > 0 and (final or raw.startswith(b', "final": false', end + 1)):
                return raw[start:end].decode("ascii", "replace"), final, t.group(1), None
        item = json.loads(raw)   # an unusual line: read it the slow, sure way
    st = item["status"]
    return st["colour"], bool(st["final"]), item["target"]["text"], item


def _text(target) -> str:
    # A target from a line is still escaped bytes; one from a parsed dict is already text.
    return _unescape(target) if isinstance(target, bytes) else target


def _same(a, b) -> bool:
    return a == b if type(a) is type(b) else _text(a) == _text(b)


def _fields(entry, item: dict | None) -> dict:
    """``category``, ``name``, ``target``, ``reason``, ``reason_en`` of one indicator."""
    raw = entry[0]
    if item is None and raw is not None:
        head = _HEAD.match(raw)
        tail = _TAIL.match(raw, raw.rfind(_STATUS))
        t = _TARGET.search(raw)
        if head and tail and t:
            return {"category": _unescape(head.group(3)), "name": _unescape(head.group(4)),
                    "target": _unescape(t.group(1)), "reason": _unescape(tail.group(3)),
                    "reason_en": _unescape(tail.group(4))}
        item = json.loads(raw)
    item = item if item is not None else entry[2]
    st = item["status"]
    return {"category": item.get("category", ""), "name": item.get("name", ""),
            "target": item["target"]["text"], "reason": st.get("reason", ""),
            "reason_en": st.get("reason_en", "")}


def _counts(counts) -> dict:
    counts = counts or {}
    return {c: int(counts.get(c, 0)) for c in COUNT_ORDER}


def _entry(side: SnapshotIndex, iid: str, sig=None) -> dict:
    entry = side.indicators[iid]
    sig = sig or _sig(entry)
    unit, project = side.wheres[entry[1]]
    f = _fields(entry, sig[3])
    return {
        "id": iid,
        "unit": unit["code"],
        "unit_name": unit.get("name", ""),
        "project": project["id"],
        "project_name": project.get("name", ""),
        "category": f["category"],
        "name": f["name"],
        "target": f["target"],
        "colour": sig[0],
        "final": sig[1],
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
    changes, finals, targets, added = [], [], [], []
    old_ind = a.indicators
    for iid, n in b.indicators.items():
        o = old_ind.get(iid)
        if o is None:
            added.append(_entry(b, iid))
            continue
        if o[0] is not None and o[0] == n[0]:
            continue    # the same line: nothing about this indicator changed
        os_, ns = _sig(o), _sig(n)
        same_target = _same(os_[2], ns[2])
        if os_[0] == ns[0] and os_[1] == ns[1] and same_target:
            continue
        e = _entry(b, iid, ns)
        if os_[0] != ns[0]:
            changes.append({**e, "old": os_[0], "new": ns[0],
                            "direction": _direction(os_[0], ns[0])})
        if ns[1] and not os_[1]:
            finals.append({**e, "outcome": "missed" if ns[0] in SEVERITY else "achieved"})
        if not same_target:
            targets.append({**e, "old_target": _text(os_[2]), "new_target": e["target"]})
    changes.sort(key=_change_order)
    return {
        "old": a.header,
        "new": b.header,
        "colour_changes": changes,
        "newly_final": finals,
        "target_changes": targets,
        "added": added,
        "removed": [_entry(a, iid) for iid in old_ind if iid not in b.indicators],
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


def dump_diff(diff: dict) -> str:
    """``diff`` as JSON text for machines (``--format json``): one change per line."""
    return dump_lines(diff, ("colour_changes", "newly_final", "target_changes", "added",
                             "removed", "unit_counts"))


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
    """``diff`` (from ``diff_snapshots``) as a plain-text table no wider than ``width``.

    Each indicator takes two lines: a label (``绿→红``, ``red achieved`` …) with the unit,
    project and indicator; then, indented, the new reason (or the old → new target text).
    """
    t = _TEXT["en" if lang == "en" else "zh"]
    reason_key = "reason_en" if lang == "en" else "reason"
    sections: list[tuple[str, list[tuple[str, dict, str]]]] = []
    for direction in ("worsened", "recovered", "changed"):
        sections.append((t[direction], [
            (f"{colour_word(e['old'], lang)}→{colour_word(e['new'], lang)}", e, e[reason_key])
            for e in diff["colour_changes"] if e["direction"] == direction]))
    sections.append((t["newly_final"], [
        (f"{colour_word(e['colour'], lang)} {t[e['outcome']]}", e, e[reason_key])
        for e in diff["newly_final"]]))
    sections.append((t["target_changes"], [
        ("", e, f"{one_line(e['old_target'])} → {one_line(e['new_target'])}")
        for e in diff["target_changes"]]))
    for key in ("added", "removed"):
        sections.append((t[key], [(colour_word(e["colour"], lang), e, e["target"])
                                  for e in diff[key]]))
    labels = {label for _, rows in sections for label, _, _ in rows}
    indent = min(16, 4 + max(map(text_width, labels), default=0))
    room = width - indent
    out = [f"{t['title']} {diff['old']['as_of']} → {diff['new']['as_of']}"]
    for name, rows in sections:
        if not rows:
            continue
        out += ["", f"{name} ({len(rows)})"]
        for label, e, detail in rows:
            where = f"{e['unit']} {one_line(e['project_name'])} · {one_line(e['name'])}"
            out.append(fit("  " + label, indent) + clip(where, room))
            if detail:
                out.append(" " * indent + clip(one_line(detail), room))
    if diff["unit_counts"]:
        out += ["", f"{t['unit_counts']} ({len(diff['unit_counts'])})"]
        out.append(_counts_row("", "", {c: colour_word(c, lang) for c in COUNT_ORDER}))
        for u in diff["unit_counts"]:
            out.append(_counts_row(u["code"], one_line(u["name"]), _cells(u)))
        out.append(_counts_row(t["total"], "", _cells(diff["total"])))
    if len(out) == 1:
        out += ["", t["none"]]
    return "\n".join(out) + "\n"


def _cells(d: dict) -> dict:
    cells = {}
    for c in COUNT_ORDER:
        delta = d["delta"][c]
        cells[c] = f"{d['new'][c]} {delta:+d}" if delta else str(d["new"][c])
    return cells


def _counts_row(code: str, name: str, cells: dict) -> str:
    # 2 + 7 + 25 + 5×9 = 79 columns; a cell holds "1234 +123" with a space to spare
    return ("  " + fit(code, 7) + fit(name, 25)
            + "".join(fit(cells[c], 9, align="right") for c in COUNT_ORDER)).rstrip()
