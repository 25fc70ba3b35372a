"""What changed between two snapshots (issue 6): colour changes, newly final indicators, changed
target texts, added and removed indicators, and the per-unit counts.

``diff_snapshots`` takes the two documents as JSON text (the fast way, straight from the files) or
as dicts from ``core.snapshot.build_snapshot``, and returns a JSON-ready dict; ``format_diff``
renders that dict as a table that fits 80 columns.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right

from .errors import JixiaoError
from .snapshot import _collector_paused, dump_lines
from .status import COUNT_ORDER, colour_word
from .textwidth import clip, fit, one_line
from .textwidth import width as text_width

SEVERITY = {"red": 2, "amber": 1}
"""How bad a colour is for the diff; every other colour (green, blue, grey) is 0."""

_LINES_KEY = "__jixiao_lines__"
# Where ``dump_snapshot`` puts an indicator: alone on a line, 12 spaces deep. Lines stay where
# they are in the file's bytes (no copy per line, no decoding of a 100k-indicator file): an
# index keeps each one's offsets, and a line is cut out only to be compared.
_LEAD = b" " * 12 + b'{"id": "'
_MARK = b"\n" + _LEAD
_S = rb'([^"\\]*(?:\\.[^"\\]*)*)'   # the inside of a JSON string (unrolled: fast in re)
_HEAD = re.compile(rb'\{"id": "%s", "level1": "%s", "category": "%s", "name": "%s", ' % (_S, _S, _S, _S))
_TARGET = re.compile(rb'"target": \{"text": "%s"' % _S)
_TARGET_KEY = b'"target": {"text": "'
_TARGET_END = b'}, "progress": '
_STATUS = b'"status": {"colour": "'
_FINALS = (b'"final": true', b'"final": false')
_EXPECTED = b', "expected": '
# The status is the last key of the line; user text cannot contain this sequence unescaped.
_TAIL = re.compile(rb'"status": \{"colour": "(\w+)", "final": (true|false), "expected": [-+.\deEnul]+, '
                   rb'"ratio": [-+.\deEnul]+, "reason": "%s", "reason_en": "%s"\}\}$' % (_S, _S))
_BOM = b"\xef\xbb\xbf"


def _unescape(inner: bytes) -> str:
    text = inner.decode("utf-8", "replace")
    return json.loads('"' + text + '"') if "\\" in text else text


class SnapshotIndex:
    """A snapshot read for comparison: the skeleton (header, units, projects) parsed, and its
    indicators in document order — first those written one per line, kept as offsets into the
    file's bytes and read only if they changed, then any written as ordinary JSON objects.

    ``ids[k]`` is the id of indicator ``k`` and ``pos`` maps it back to ``k``; ``where(k)`` is
    its ``(unit, project)``; ``raw(k)`` its line, or None for a parsed one (``items[k]``).
    """

    def __init__(self, doc: dict, data: bytes | None = None, starts=(), ends=(), ids=(),
                 runs=()):
        self.doc = doc
        self.data = data
        self.starts = list(starts)   # where each line begins, after the indent
        self.ends = list(ends)       # where it ends: at the newline, so after any comma
        self.ids = list(ids)
        self.runs = list(runs)       # the number of the first line of each run of lines
        self.items: dict[int, dict] = {}
        self.pos: dict = {}
        self.wheres: list = []       # per run, then per parsed indicator: (unit, project)
        self.places: dict[int, int] = {}   # parsed indicator -> its index in ``wheres``

    @property
    def header(self) -> dict:
        """``as_of``, ``generated_at`` and the total ``counts``."""
        return {"as_of": self.doc.get("as_of"), "generated_at": self.doc.get("generated_at"),
                "counts": _counts(self.doc.get("counts"))}

    def raw(self, k: int) -> bytes | None:
        """The line of indicator ``k`` without indent and comma, or None if it was parsed."""
        if k < len(self.starts):
            return _bare(self.data[self.starts[k]:self.ends[k]])
        return None

    def where(self, k: int) -> tuple:
        """``(unit, project)`` of indicator ``k``, as parsed from the skeleton."""
        if k < len(self.starts):
            return self.wheres[bisect_right(self.runs, k) - 1]
        return self.wheres[self.places[k]]


def _bare(line: bytes) -> bytes:
    return line[:-1] if line.endswith(b",") else line


def read_snapshot(source, *, label: str = "snapshot") -> SnapshotIndex:
    """Index a snapshot given as JSON bytes or text, or an already-parsed dict.

    Text in ``dump_snapshot`` layout (one indicator per line) is read without parsing the
    indicators that turn out not to have changed; any other valid JSON works too, only slower.
    """
    if isinstance(source, SnapshotIndex):
        return source
    if isinstance(source, str):
        source = source.encode("utf-8")
    if isinstance(source, bytes):
        try:
            index = _read_lines(source)
        except ValueError:
            try:
                doc = json.loads(source.removeprefix(_BOM).decode("utf-8"))
            except UnicodeDecodeError:
                raise JixiaoError(f"{label} is not UTF-8 text, so not a jixiao snapshot") from None
            except ValueError as exc:
                raise JixiaoError(f"{label} is not valid JSON ({exc})") from None
            index = SnapshotIndex(doc)
    else:
        index = SnapshotIndex(source)
    doc = index.doc
    if not isinstance(doc, dict) or "schema_version" not in doc or not isinstance(doc.get("units"), list):
        raise JixiaoError(f"{label} is not a jixiao snapshot (no schema_version/units)")
    try:
        _place(index)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as exc:
        raise JixiaoError(f"{label} is not a well-formed jixiao snapshot ({exc!r})") from None
    return index


def _read_lines(data: bytes) -> SnapshotIndex:
    # Find the one-line indicators and cut them out, leaving a small skeleton with one
    # placeholder per run of them; only the skeleton goes through json.loads. ``_place`` later
    # ties each run to its project. A ValueError sends the caller the sure, slow way (an id
    # with escapes, line ends this reader does not expect, not UTF-8).
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    if b"\r" in data:
        raise ValueError("carriage returns: not as dump_snapshot writes")
    find, startswith, size, lead = data.find, data.startswith, len(data), len(_LEAD)
    starts: list[int] = []
    ends: list[int] = []
    ids: list[bytes] = []
    runs: list[int] = []
    skeleton: list[bytes] = []
    cut = 0                 # the skeleton text before this offset is taken
    i = find(_MARK)         # the newline before the first line of a run
    # The hot loop, once per line, so only bytes.find and list.append: they skip 69 MB at
    # memory speed, where a regex would step through it.
    while i >= 0:
        s = i + 1
        runs.append(len(starts))
        skeleton.append(data[cut:s])
        while True:         # the lines of one run, each right after the last
            q = find(b'"', s + lead)
            if q < 0:
                raise ValueError("an id without its end")
            e = find(b"\n", q)
            if e < 0:
                e = size
            starts.append(s + 12)
            ends.append(e)
            ids.append(data[s + lead:q])
            if not startswith(_LEAD, e + 1):
                break
            s = e + 1
        comma = b"," if data[e - 1] == 44 else b""   # before a parsed item of the same list
        skeleton.append(b'{"%s": %d}%s' % (_LINES_KEY.encode(), len(runs) - 1, comma))
        cut = e
        i = find(_MARK, cut)
    skeleton.append(data[cut:])
    joined = b"".join(ids)
    if b"\\" in joined or b"\n" in joined:
        raise ValueError("an id this reader does not take apart")
    doc = json.loads(b"".join(skeleton).decode("utf-8"))
    return SnapshotIndex(doc, data, starts, ends, [i.decode("utf-8") for i in ids], runs)


def _place(index: SnapshotIndex) -> None:
    # Runs of lines are numbered 0..n-1 in document order, so wheres[run] is their project;
    # indicators written as ordinary JSON objects get places after those.
    doc = index.doc
    runs = sum(1 for _ in _placeholders(doc))
    if runs != len(index.runs):
        raise ValueError("runs of lines and placeholders do not match")
    wheres: list = [None] * runs
    ids, places, items = index.ids, index.places, index.items
    pos = dict(zip(ids, range(len(ids))))
    if len(pos) != len(ids):
        raise ValueError("the same id twice")
    for unit in doc["units"]:
        for project in unit["projects"]:
            where = (unit, project)
            for item in project["indicators"]:
                if len(item) == 1 and _LINES_KEY in item:
                    wheres[item[_LINES_KEY]] = where
                else:
                    item["status"]["colour"], item["target"]["text"]   # present, or not a snapshot
                    wheres.append(where)
                    iid = item["id"]
                    k = pos.get(iid)
                    if k is None:
                        k = pos[iid] = len(ids)
                        ids.append(iid)
                    # else the same id again: the later one counts, as it would in a dict
                    places[k] = len(wheres) - 1
                    items[k] = item
    index.wheres = wheres
    index.pos = pos


def _placeholders(doc: dict):
    for unit in doc["units"]:
        for project in unit["projects"]:
            for item in project["indicators"]:
                if len(item) == 1 and _LINES_KEY in item:
                    yield item


def _sig(raw: bytes | None, item: dict | None) -> tuple:
    """``(colour, final, target text as stored, item)`` of one indicator, from its line or its
    parsed dict: the target is escaped bytes when it comes from a line, text when from a parsed
    object; ``item`` is the parsed dict, or None for a line read without parsing."""
    if raw is not None:
        k = raw.rfind(_STATUS)
        target = _target_inner(raw)
        if k > 0 and target is not None:
            start = k + len(_STATUS)
            end = raw.find(b'"', start)
            final = raw.startswith(b', "final": true', end + 1)
            if end > 0 and (final or raw.startswith(b', "final": false', end + 1)):
                return raw[start:end].decode("ascii", "replace"), final, target, None
        item = json.loads(raw)   # an unusual line: read it the slow, sure way
    st = item["status"]
    return st["colour"], bool(st["final"]), item["target"]["text"], item


def _target_inner(raw: bytes) -> bytes | None:
    # The inside of the first target's text string, still escaped. Without a backslash in the
    # line every quote ends a string, so bytes.find does what the regex does, several times
    # faster.
    if b"\\" in raw:
        t = _TARGET.search(raw)
        return t.group(1) if t else None
    start = raw.find(_TARGET_KEY) + len(_TARGET_KEY)
    end = raw.find(b'"', start)
    return raw[start:end] if start >= len(_TARGET_KEY) and end > 0 else None


def _flags(piece: bytes) -> tuple | None:
    """``(colour, final)`` from ``"status": {"colour": "red", "final": true`` as
    ``dump_snapshot`` writes it, or None for anything else."""
    end = piece.find(b'"', len(_STATUS))
    rest = piece[end:]
    if end > 0 and (rest == b'", "final": true' or rest == b'", "final": false'):
        return piece[len(_STATUS):end].decode("ascii", "replace"), len(rest) == 16
    return None


def _text(target) -> str:
    # A target from a line is still escaped bytes; one from a parsed dict is already text.
    return _unescape(target) if isinstance(target, bytes) else target


def _same(a, b) -> bool:
    return a == b if type(a) is type(b) else _text(a) == _text(b)


def _fields(raw: bytes | None, item: dict | None) -> tuple:
    """``(category, name, target, reason, reason_en)`` of one indicator."""
    if item is None and raw is not None:
        if b"\\" not in raw:
            found = _plain_fields(raw)
            if found is not None:
                return found
        head = _HEAD.match(raw)
        tail = _TAIL.match(raw, raw.rfind(_STATUS))
        t = _TARGET.search(raw)
        if head and tail and t:
            return (_unescape(head.group(3)), _unescape(head.group(4)), _unescape(t.group(1)),
                    _unescape(tail.group(3)), _unescape(tail.group(4)))
        item = json.loads(raw)
    st = item["status"]
    return (item.get("category", ""), item.get("name", ""), item["target"]["text"],
            st.get("reason", ""), st.get("reason_en", ""))


# ``_fields`` of a line without a backslash: every quote ends a string, so a string is simply
# ``[^"]*`` (several times faster in re than the escape-aware ``_S``).
_PLAIN_HEAD = re.compile(rb'\{"id": "[^"]*", "level1": "[^"]*", "category": "([^"]*)", '
                         rb'"name": "([^"]*)", "description": "[^"]*", "target": \{"text": "([^"]*)"')
_PLAIN_TAIL = re.compile(rb'"reason": "([^"]*)", "reason_en": "([^"]*)"\}\}$')


def _plain_fields(raw: bytes) -> tuple | None:
    head = _PLAIN_HEAD.match(raw)
    tail = _PLAIN_TAIL.search(raw, raw.rfind(_STATUS))
    if head is None or tail is None:
        return None
    return (head.group(1).decode("utf-8", "replace"), head.group(2).decode("utf-8", "replace"),
            head.group(3).decode("utf-8", "replace"), tail.group(1).decode("utf-8", "replace"),
            tail.group(2).decode("utf-8", "replace"))


def _counts(counts) -> dict:
    counts = counts or {}
    return {c: int(counts.get(c, 0)) for c in COUNT_ORDER}


def _entry(side: SnapshotIndex, k: int, raw: bytes | None, sig=None) -> dict:
    sig = sig or _sig(raw, side.items.get(k))
    unit, project = side.where(k)
    category, name, target, reason, reason_en = _fields(raw, sig[3])
    return {
        "id": side.ids[k],
        "unit": unit["code"],
        "unit_name": unit.get("name", ""),
        "project": project["id"],
        "project_name": project.get("name", ""),
        "category": category,
        "name": name,
        "target": target,
        "colour": sig[0],
        "final": sig[1],
        "reason": reason,
        "reason_en": reason_en,
    }


def diff_snapshots(old, new) -> dict:
    """Everything that changed from ``old`` to ``new`` (JSON text, bytes, dicts or indexes).

    Colour changes are listed worsened first (green→red, green→amber, amber→red), then
    recovered, then other moves (between green, blue and grey); every list is otherwise in
    table order.
    """
    # The collector would walk everything else the process holds (a loaded dataset: millions
    # of objects) again and again while this allocates its ~100k small objects.
    with _collector_paused():
        a = read_snapshot(old, label="the old snapshot")
        b = read_snapshot(new, label="the new snapshot")
        return _diff(a, b)


def _diff(a: SnapshotIndex, b: SnapshotIndex) -> dict:
    changes, finals, targets, added = [], [], [], []
    old_pos = a.pos
    a_data, a_starts, a_ends, a_lines = a.data, a.starts, a.ends, len(a.starts)
    b_data, b_starts, b_ends, b_lines = b.data, b.starts, b.ends, len(b.starts)
    status, expected, target, target_end = _STATUS, _EXPECTED, _TARGET_KEY, _TARGET_END
    for k, iid in enumerate(b.ids):
        j = old_pos.get(iid)
        if j is None:
            added.append(_entry(b, k, b.raw(k)))
            continue
        os_ = None
        if k < b_lines and j < a_lines:
            new_raw = b_data[b_starts[k]:b_ends[k]]
            old_raw = a_data[a_starts[j]:a_ends[j]]
            if old_raw == new_raw:
                continue    # the same line: nothing about this indicator changed
            # Most lines differ between quarters only in progress and reason, so compare the
            # parts that matter as bytes: the status from its key to the expected value (the
            # colour and the final flag), and the target object. A quote inside user text is
            # escaped, so user text cannot fake these keys.
            ks, ko = new_raw.rfind(status), old_raw.rfind(status)
            es, eo = new_raw.find(expected, ks), old_raw.find(expected, ko)
            ts, to = new_raw.find(target), old_raw.find(target)
            te, tf = new_raw.find(target_end, ts), old_raw.find(target_end, to)
            if ks > 0 and ko > 0 and es > 0 and eo > 0 and ts > 0 and to > 0 and te > 0 and tf > 0:
                old_flags = _flags(old_raw[ko:eo])
                if old_flags is not None:
                    if new_raw[ks:es] == old_raw[ko:eo] and new_raw[ts:te] == old_raw[to:tf]:
                        continue
                    # Only the old side's colour, flag and target are needed: no full read.
                    old_target = _TARGET.match(old_raw, to)
                    if old_target is not None:
                        os_ = (*old_flags, old_target.group(1), None)
            if new_raw[-1] == 44:       # the comma between items
                new_raw = new_raw[:-1]
            if old_raw[-1] == 44:
                old_raw = old_raw[:-1]
        else:
            new_raw, old_raw = b.raw(k), a.raw(j)
        if os_ is None:
            os_ = _sig(old_raw, a.items.get(j))
        ns = _sig(new_raw, b.items.get(k))
        same_target = _same(os_[2], ns[2])
        if os_[0] == ns[0] and os_[1] == ns[1] and same_target:
            continue
        e = _entry(b, k, new_raw, ns)
        if ns[1] and not os_[1]:
            finals.append({**e, "outcome": "missed" if ns[0] in SEVERITY else "achieved"})
        if not same_target:
            targets.append({**e, "old_target": _text(os_[2]), "new_target": e["target"]})
        if os_[0] != ns[0]:     # last: takes ``e`` itself rather than a copy
            e.update(old=os_[0], new=ns[0], direction=_direction(os_[0], ns[0]))
            changes.append(e)
    changes.sort(key=_change_order)
    new_pos = b.pos
    return {
        "old": a.header,
        "new": b.header,
        "colour_changes": changes,
        "newly_final": finals,
        "target_changes": targets,
        "added": added,
        "removed": [_entry(a, j, a.raw(j)) for j, iid in enumerate(a.ids) if iid not in new_pos],
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
    # Tens of thousands of rows share a few labels, ~100 names, a project each per ~10 rows
    # and a reason each per ~4 (measured on the 100k bench): measure and clip each text once.
    heads = _memo(lambda label: fit("  " + label, indent))
    names = _memo(one_line)     # of indicators and projects
    details = _memo(lambda detail: " " * indent + clip(one_line(detail), room))
    widths = _memo(text_width)
    out = [f"{t['title']} {diff['old']['as_of']} → {diff['new']['as_of']}"]
    for name, rows in sections:
        if not rows:
            continue
        out += ["", f"{name} ({len(rows)})"]
        for label, e, detail in rows:
            # = clip(f"{unit} {project name} · {name}", room), with the widths of the parts
            place, what = f"{e['unit']} {names(e['project_name'])} · ", names(e["name"])
            where = place + what
            if 2 * len(where) > room and widths(place) + widths(what) > room:
                where = clip(where, room)
            out.append(heads(label) + where)
            if detail:
                out.append(details(detail))
    if diff["unit_counts"]:
        out += ["", f"{t['unit_counts']} ({len(diff['unit_counts'])})"]
        out.append(_counts_row("", "", {c: colour_word(c, lang) for c in COUNT_ORDER}))
        for u in diff["unit_counts"]:
            out.append(_counts_row(u["code"], one_line(u["name"]), _cells(u)))
        out.append(_counts_row(t["total"], "", _cells(diff["total"])))
    if len(out) == 1:
        out += ["", t["none"]]
    return "\n".join(out) + "\n"


def _memo(fn):
    # ``fn`` remembered per distinct string argument (anything else is just passed through).
    seen: dict = {}

    def call(arg):
        if type(arg) is not str:
            return fn(arg)
        out = seen.get(arg)
        if out is None:
            out = seen[arg] = fn(arg)
        return out

    return call


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
