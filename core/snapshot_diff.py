"""What changed between two snapshots (issue 6): colour changes, newly final indicators, changed
target texts, added and removed indicators, and the per-unit counts.

``diff_snapshots`` takes the two documents as JSON text (the fast way, straight from the files) or
as dicts from ``core.snapshot.build_snapshot``, and returns a JSON-ready dict; ``format_diff``
renders that dict as a table that fits 80 columns. Reading the files — by byte layout, without
parsing unchanged indicators — is ``core.snapshot_codec``'s (``read_snapshot``, re-exported here).
"""

from __future__ import annotations

from .errors import JixiaoError
from .language import say
from .colours import ALERTS, COUNT_ORDER, alert_rank, colour_word
# ``read_snapshot`` is re-exported: ``jixiao diff`` reads its two files through this module.
from .snapshot_codec import (SnapshotIndex, compare_lines, dump_lines, fields,
                             read_snapshot, same_target, signature, target_text)  # noqa: F401
from .textwidth import clip, fit, one_line
from .textwidth import width as text_width


def _header(doc: dict) -> dict:
    # ``as_of``, ``generated_at`` and the total ``counts`` of one side.
    return {"as_of": doc.get("as_of"), "generated_at": doc.get("generated_at"),
            "counts": _counts(doc.get("counts"))}


def _counts(counts) -> dict:
    counts = counts or {}
    return {c: int(counts.get(c, 0)) for c in COUNT_ORDER}


def _entry(side: SnapshotIndex, k: int, raw: bytes | None, sig=None) -> dict:
    sig = sig or signature(raw, side.items.get(k))
    unit, project = side.where(k)
    category, name, target, reason, reason_en = fields(raw, sig[3])
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
    a = read_snapshot(old, label=say("the old snapshot", "旧快照"))
    b = read_snapshot(new, label=say("the new snapshot", "新快照"))
    try:
        return _diff(a, b)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError,
            RecursionError) as exc:
        # An indicator line read only now (only changed ones are parsed) that is no
        # indicator: the file was edited or made by something else.
        raise JixiaoError(f"a snapshot holds an indicator that cannot be read ({exc!r})",
                          zh=f"快照中有无法读取的指标（{exc!r}）") from None


def _diff(a: SnapshotIndex, b: SnapshotIndex) -> dict:
    changes, finals, targets, added = [], [], [], []
    old_pos = a.pos
    a_data, a_starts, a_ends, a_lines = a.data, a.starts, a.ends, len(a.starts)
    b_data, b_starts, b_ends, b_lines = b.data, b.starts, b.ends, len(b.starts)
    for k, iid in enumerate(b.ids):
        j = old_pos.get(iid)
        if j is None:
            added.append(_entry(b, k, b.raw(k)))
            continue
        if k < b_lines and j < a_lines:
            found = compare_lines(a_data[a_starts[j]:a_ends[j]], b_data[b_starts[k]:b_ends[k]])
            if found is None:
                continue    # nothing the diff reports changed
            os_, ns, old_raw, new_raw = found
        else:
            new_raw, old_raw = b.raw(k), a.raw(j)
            os_ = signature(old_raw, a.items.get(j))
            ns = signature(new_raw, b.items.get(k))
        same = same_target(os_[2], ns[2])
        if os_[0] == ns[0] and os_[1] == ns[1] and same:
            continue
        e = _entry(b, k, new_raw, ns)
        if ns[1] and not os_[1]:
            finals.append({**e, "outcome": "missed" if ns[0] in ALERTS else "achieved"})
        if not same:
            targets.append({**e, "old_target": target_text(os_[2]), "new_target": e["target"]})
        if os_[0] != ns[0]:     # last: takes ``e`` itself rather than a copy
            e.update(old=os_[0], new=ns[0], direction=_direction(os_[0], ns[0]))
            changes.append(e)
    changes.sort(key=_change_order)
    new_pos = b.pos
    return {
        "old": _header(a.doc),
        "new": _header(b.doc),
        "colour_changes": changes,
        "newly_final": finals,
        "target_changes": targets,
        "added": added,
        "removed": [_entry(a, j, a.raw(j)) for j, iid in enumerate(a.ids) if iid not in new_pos],
        "unit_counts": _unit_counts(a.doc, b.doc),
        "total": _delta(_counts(a.doc.get("counts")), _counts(b.doc.get("counts"))),
    }


def _direction(old: str, new: str) -> str:
    # Alert ranks (lower = worse): a move between green, blue and grey is neither.
    before, after = alert_rank(old), alert_rank(new)
    if after < before:
        return "worsened"
    if after > before:
        return "recovered"
    return "changed"


_DIRECTION_ORDER = {"worsened": 0, "recovered": 1, "changed": 2}


def _change_order(e: dict):
    before, after = alert_rank(e["old"]), alert_rank(e["new"])
    group = _DIRECTION_ORDER[e["direction"]]
    if group == 0:      # from the best colour first, to the worst colour first
        return (group, -before, after)
    if group == 1:      # the biggest recovery first
        return (group, before, -after)
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


_MAX_INDENT = 18
"""Columns before the unit code: the widest label (``green achieved``) and a space."""


def format_diff(diff: dict, *, lang: str = "zh", width: int = 80) -> str:
    """``diff`` (from ``diff_snapshots``) as a plain-text table no wider than ``width``.

    Each indicator takes two lines: a label (``绿→红``, ``red achieved`` …) with the unit,
    project, category (二级指标) and indicator; then, indented, the new reason (or the old → new target text).
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
    indent = min(_MAX_INDENT, 4 + max(map(text_width, labels), default=0))
    room = width - indent
    # Tens of thousands of rows share a few labels, ~100 names, a project each per ~10 rows
    # and a reason each per ~4 (measured on the 100k bench): measure and clip each text once.
    # A label always ends in a space, so it never runs into the unit code after it.
    heads = _memo(lambda label: fit("  " + label, indent - 1) + " ")
    names = _memo(one_line)     # of indicators and projects
    details = _memo(lambda detail: " " * indent + clip(one_line(detail), room))
    widths = _memo(text_width)
    out = [f"{t['title']} {diff['old']['as_of']} → {diff['new']['as_of']}"]
    for name, rows in sections:
        if not rows:
            continue
        out += ["", f"{name} ({len(rows)})"]
        for label, e, detail in rows:
            # = clip(f"{unit} {project name} · {category} · {name}", room), with the widths
            # of the parts; the category (二级指标) tells apart indicators of the same name.
            place = f"{e['unit']} {names(e['project_name'])} · {names(e.get('category'))} · "
            what = names(e["name"])
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
