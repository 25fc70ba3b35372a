"""Quarterly snapshots (DESIGN.md §10, issue 6): where every indicator stood at one date.

``build_snapshot`` turns a ``Dataset`` and an as-of date into one JSON-ready document;
``dump_snapshot`` writes it as text. The same data and date always give the same bytes (only
``generated_at`` differs, and it can be pinned), so two snapshots diff cleanly with any tool.

Layout of the text: the skeleton (top level, units, projects) is indented by two spaces exactly as
``json.dumps(indent=2)`` would write it, and every indicator is one compact JSON object on its own
line. That keeps a line diff to one line per changed indicator and lets the C JSON encoder do the
bulk of the work — a fully indented 100k-indicator document costs ~9 s to write, this ~1 s.
"""

from __future__ import annotations

import gc
import json
import re
from contextlib import contextmanager
from importlib import metadata, resources
from json.encoder import c_make_encoder, encode_basestring

from . import status as status_rules
from .dataset import Dataset
from .errors import JixiaoError
from .model import Indicator, now_iso, parse_date
from .periods import quarter_end as _quarter_end
from .status import COUNT_ORDER

SCHEMA_VERSION = 1
"""Version of the snapshot document layout; bumped when a key changes meaning or disappears."""

GENERATOR = "jixiao"
"""The ``generator.name`` written into every snapshot."""

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


def quarter_end(text: str) -> str:
    """The last day of a quarter written ``2023Q2`` (or ``2023-Q2``), as ``2023-06-30``."""
    m = _QUARTER.match(text or "")
    if not m:
        raise JixiaoError(f"not a quarter in the form YYYYQn (e.g. 2023Q2): {text!r}")
    return _quarter_end(int(m.group(1)), int(m.group(2))).isoformat()


def check_as_of(text: str) -> str:
    """``text`` as a canonical ISO date, or a ``JixiaoError`` saying what is wrong."""
    try:
        return parse_date(text).isoformat()
    except ValueError as exc:
        raise JixiaoError(str(exc)) from None


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
    as_of = check_as_of(as_of)
    ev = evaluation if evaluation is not None else status_rules.evaluate(dataset, as_of)
    with _collector_paused():
        return _build(dataset, as_of, ev, generated_at)


@contextmanager
def _collector_paused():
    # A 100k-indicator snapshot allocates ~300k dicts, none in a cycle; left on, the cyclic
    # collector would walk the whole dataset (millions of objects) several times meanwhile —
    # more than half the time of a build. Re-enabled only if it was on: ``status.evaluate``
    # and the store pause it the same way, possibly in another thread.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


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
            "colour": _worst(p["colour"] for p in projects),
            "counts": counts,
            "projects": projects,
        })
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": GENERATOR, "version": generator_version()},
        "generated_at": generated_at if generated_at is not None else now_iso(),
        "as_of": as_of,
        "settings": {"year": year, "thresholds": thresholds.to_dict()},
        "colour": _worst(u["colour"] for u in units),
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
    colour = rollup.colour if rollup is not None else _worst([budget_status.colour] + colours)
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


_GREY = status_rules.Status("grey")


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
        key = (ind.target_text, ind.level1, ind.category, ind.measure)
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
            # Last on purpose: ``core.snapshot_diff`` finds it from the end of the line. Shared
            # between indicators with the same verdict: treat as read-only, like the target.
            "status": status,
        })
    return out


def _target(ind: Indicator, year: int) -> dict:
    # The verbatim text first; then the parsed reading without the empty fields, which would
    # only add bytes to 100k lines.
    out = {"text": ind.target_text}
    for key, value in status_rules.target_of(ind, year).to_dict().items():
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


def _worst(colours) -> str:
    seen = set(colours)
    for colour in status_rules.COLOURS:
        if colour in seen:
            return colour
    return "grey"


# --- writing ------------------------------------------------------------------------------

def _compact_encoder():
    # The C encoder made once; ``JSONEncoder.encode`` would rebuild it for every indicator.
    if c_make_encoder is None:
        return json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), allow_nan=False).encode

    def refuse(obj):
        raise TypeError(f"not JSON serializable in a snapshot: {type(obj).__name__}")

    encode = c_make_encoder(None, refuse, encode_basestring, None, ": ", ", ", False, False, False)
    return lambda value: "".join(encode(value, 0))


_COMPACT = _compact_encoder()


def _scalar(value) -> str:
    """``_COMPACT(value)`` for a string, number, bool or None, without the encoder's set-up
    (most of its cost on so small a value); anything else goes to ``_COMPACT``."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and value - value == 0.0:      # finite; NaN and infinity are refused
        return float.__repr__(value)
    return _COMPACT(value)


# An indicator and its progress entry as ``build_snapshot`` makes them: these keys in this order
# (the status last, for ``core.snapshot_diff``). ``_line_encoder`` writes them out by hand.
_INDICATOR_KEYS = ("id", "level1", "category", "name", "description", "target", "progress",
                   "status")
_PROGRESS_KEYS = ("id", "as_of", "actual", "forecast", "likelihood", "causes", "measures", "note",
                  "author", "recorded_at")


def _line_encoder():
    """A function writing one item of a line list exactly as ``_COMPACT`` would, faster.

    An indicator is written by f-strings (measured ~20 % faster than ``%`` here): its strings
    escaped one by one, its progress entry likewise, and its target and status dicts — which
    ``build_snapshot`` shares between indicators — encoded once per distinct dict. Any other
    item, or an indicator with a key or a value of an unexpected type, goes through
    ``_COMPACT`` whole. Make one per dump: the cache is keyed by ``id`` and keeps each dict, so
    no id is reused while it lives, but a later dump may meet a dict that was changed since.
    """
    compact, esc = _COMPACT, encode_basestring
    seen: dict[int, tuple] = {}

    def shared(d) -> str:
        hit = seen.get(id(d))
        if hit is None or hit[0] is not d:
            hit = seen[id(d)] = (d, compact(d))
        return hit[1]

    def line(item) -> str:
        if type(item) is not dict or tuple(item) != _INDICATOR_KEYS:
            return compact(item)
        iid, level1, category, name, description, target, p, status = item.values()
        try:
            if p is None:
                progress = "null"
            elif type(p) is dict and tuple(p) == _PROGRESS_KEYS:
                pid, as_of, actual, forecast, likelihood, causes, measures, note, author, at = \
                    p.values()
                if type(causes) is not list:
                    raise TypeError("causes")
                progress = (
                    f'{{"id": {esc(pid)}, "as_of": {esc(as_of)}, "actual": {esc(actual)}, '
                    f'"forecast": {"null" if forecast is None else esc(forecast)}, '
                    f'"likelihood": {"null" if likelihood is None else esc(likelihood)}, '
                    f'"causes": [{", ".join(map(esc, causes))}], '
                    f'"measures": {"null" if measures is None else esc(measures)}, '
                    f'"note": {"null" if note is None else esc(note)}, '
                    f'"author": {esc(author)}, "recorded_at": {esc(at)}}}')
            else:
                progress = compact(p)
            return (f'{{"id": {esc(iid)}, "level1": {esc(level1)}, '
                    f'"category": {esc(category)}, "name": {esc(name)}, '
                    f'"description": {esc(description)}, "target": {shared(target)}, '
                    f'"progress": {progress}, "status": {shared(status)}}}')
        except TypeError:
            # Not a string where one belongs (``esc`` takes nothing else): the general
            # encoder writes the item, or says what cannot be written.
            return compact(item)

    return line


def dump_snapshot(doc: dict) -> str:
    """The text of a snapshot document: deterministic, UTF-8-ready, one indicator per line."""
    return dump_lines(doc, ("indicators",))


def write_snapshot(doc: dict, fh) -> None:
    """Write ``dump_snapshot(doc)`` to the text stream ``fh`` piece by piece, so a 100k-indicator
    snapshot never exists as one big string in memory."""
    with _collector_paused():
        _emit(doc, 0, fh.write, frozenset(("indicators",)), _line_encoder())
    fh.write("\n")


def dump_lines(doc, line_keys=()) -> str:
    """``doc`` as JSON indented like ``json.dumps(indent=2, ensure_ascii=False)``, except that
    the items of lists under a key in ``line_keys`` are written one compact object per line."""
    out: list[str] = []
    with _collector_paused():
        _emit(doc, 0, out.append, frozenset(line_keys), _line_encoder())
    out.append("\n")
    return "".join(out)


def _emit(value, level: int, write, line_keys, line) -> None:
    # Scalars are written in the loops rather than by a call per value: a 100k-indicator
    # skeleton has ~130k of them (5,000 projects × budget, status, counts …).
    pad = "  " * (level + 1)
    if type(value) is dict or isinstance(value, dict):
        if not value:
            write("{}")
            return
        sep = "{\n" + pad
        for k, v in value.items():
            head = sep + (encode_basestring(k) if type(k) is str else _COMPACT(k)) + ": "
            sep = ",\n" + pad
            if isinstance(v, list) and v and k in line_keys:
                write(head + "[\n" + pad + "  " + (",\n  " + pad).join(map(line, v))
                      + "\n" + pad + "]")
            elif isinstance(v, (dict, list)) and v:
                write(head)
                _emit(v, level + 1, write, line_keys, line)
            else:
                write(head + _scalar(v))
        write("\n" + "  " * level + "}")
    elif isinstance(value, list) and value:
        sep = "[\n" + pad
        for item in value:
            if isinstance(item, (dict, list)) and item:
                write(sep)
                _emit(item, level + 1, write, line_keys, line)
            else:
                write(sep + _scalar(item))
            sep = ",\n" + pad
        write("\n" + "  " * level + "]")
    else:
        write(_scalar(value))
