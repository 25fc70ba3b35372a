"""The byte layout of a snapshot file (issue 6): the writer and the fast reader, side by side.

Layout — the one place it is described. The skeleton (top level, units, projects) is indented by
two spaces exactly as ``json.dumps(indent=2, ensure_ascii=False)`` would write it, and every item
of a "line list" (a project's ``indicators``; the lists of a diff document) is one compact JSON
object (``", "`` and ``": "`` separators) on its own line. An indicator therefore sits alone on a
line 12 spaces deep and, as ``core.snapshot`` builds it, has its keys in the order
``INDICATOR_KEYS`` — ``id`` first, ``status`` last, the status starting with ``colour`` and
``final``, the target with ``text``. A line diff is then one line per changed indicator, the C
JSON encoder does the bulk of the work (a fully indented 100k-indicator document costs ~9 s to
write, this ~1 s), and the reader finds an indicator's id, target and status by byte offsets
without parsing the lines that did not change.

Any other valid JSON of a snapshot is still read, only slower: every fast path here falls back to
``json.loads`` on a line or a document it does not recognise.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
# Not in json's documentation, but json's own (C) string escaper: writing the ~8 strings of every
# indicator through it instead of ``json.dumps`` measured 0.30 s against 0.49 s per dump at 20k
# indicators — the difference between meeting the 3 s target at 100k and missing it.
from json.encoder import encode_basestring

from .errors import JixiaoError


# --- the writer ------------------------------------------------------------------------------

def _refuse(obj):
    raise TypeError(f"not JSON serializable in a snapshot: {type(obj).__name__}")


# The general compact encoder, for dicts the line encoder below does not write by hand. Public
# ``json`` only: building CPython's private ``c_make_encoder`` once instead won nothing measurable
# (100k indicators, 53,690 calls: dump 0.97 s either way at best).
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), allow_nan=False,
                            default=_refuse).encode


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


# An indicator and its progress entry as ``core.snapshot.build_snapshot`` makes them: these keys
# in this order (the status last, for the reader below). ``_line_encoder`` writes them out by hand.
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


SNAPSHOT_LINE_KEYS = frozenset(("indicators",))
"""The line lists of a snapshot document: one indicator per line."""


def dump_snapshot(doc: dict) -> str:
    """The text of a snapshot document: deterministic, UTF-8-ready, one indicator per line."""
    return dump_lines(doc, SNAPSHOT_LINE_KEYS)


def write_snapshot(doc: dict, fh) -> None:
    """Write ``dump_snapshot(doc)`` to the text stream ``fh`` piece by piece, so a 100k-indicator
    snapshot never exists as one big string in memory."""
    _emit(doc, 0, fh.write, SNAPSHOT_LINE_KEYS, _line_encoder())
    fh.write("\n")


def dump_lines(doc, line_keys=()) -> str:
    """``doc`` as JSON indented like ``json.dumps(indent=2, ensure_ascii=False)``, except that
    the items of lists under a key in ``line_keys`` are written one compact object per line."""
    out: list[str] = []
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


# --- the fast reader ----------------------------------------------------------------------

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
            index = _read_bytes(source, label)
        except RecursionError:
            raise _not_well_formed(label, "nested too deeply", "嵌套过深") from None
    else:
        index = SnapshotIndex(source)
    doc = index.doc
    if not isinstance(doc, dict) or "schema_version" not in doc or not isinstance(doc.get("units"), list):
        raise JixiaoError(f"{label} is not a jixiao snapshot (no schema_version/units)",
                          zh=f"{label} 不是 jixiao 快照（没有 schema_version/units）")
    try:
        _place(index)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError,
            RecursionError) as exc:
        raise _not_well_formed(label, repr(exc), repr(exc)) from None
    return index


def _read_bytes(source: bytes, label: str) -> SnapshotIndex:
    # The one-line layout first; any other JSON the slow way.
    try:
        return _read_lines(source)
    except ValueError:
        try:
            doc = json.loads(source.removeprefix(_BOM).decode("utf-8"))
        except UnicodeDecodeError:
            raise JixiaoError(f"{label} is not UTF-8 text, so not a jixiao snapshot",
                              zh=f"{label} 不是 UTF-8 文本，因此不是 jixiao 快照") from None
        except ValueError as exc:
            where = (f"第 {exc.lineno} 行第 {exc.colno} 列"
                     if isinstance(exc, json.JSONDecodeError) else str(exc))
            raise JixiaoError(f"{label} is not valid JSON ({exc})",
                              zh=f"{label} 不是有效的 JSON（{where}）") from None
        return SnapshotIndex(doc)


def _not_well_formed(label: str, en: str, zh: str) -> JixiaoError:
    return JixiaoError(f"{label} is not a well-formed jixiao snapshot ({en})",
                       zh=f"{label} 不是格式完好的 jixiao 快照（{zh}）")


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


def signature(raw: bytes | None, item: dict | None) -> tuple:
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


def target_text(target) -> str:
    """The target text of a ``signature``, unescaped if it still is bytes from a line."""
    # A target from a line is still escaped bytes; one from a parsed dict is already text.
    return _unescape(target) if isinstance(target, bytes) else target


def same_target(a, b) -> bool:
    """Whether two ``signature`` targets are the same text, whichever form each is in."""
    return a == b if type(a) is type(b) else target_text(a) == target_text(b)


def fields(raw: bytes | None, item: dict | None) -> tuple:
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


# ``fields`` of a line without a backslash: every quote ends a string, so a string is simply
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




def compare_lines(old: bytes, new: bytes) -> tuple | None:
    """Two lines of one indicator (as cut from the files, a trailing comma included): None when
    they agree on what a diff reports — colour, final flag and target — else ``(old signature,
    new signature, old line, new line)`` with the lines bare (no comma)."""
    if old == new:
        return None
    # Most lines differ between quarters only in progress and reason, so compare the parts
    # that matter as bytes: the status from its key to the expected value (the colour and the
    # final flag), and the target object. A quote inside user text is escaped, so user text
    # cannot fake these keys.
    old_sig = None
    ks, ko = new.rfind(_STATUS), old.rfind(_STATUS)
    es, eo = new.find(_EXPECTED, ks), old.find(_EXPECTED, ko)
    ts, to = new.find(_TARGET_KEY), old.find(_TARGET_KEY)
    te, tf = new.find(_TARGET_END, ts), old.find(_TARGET_END, to)
    if ks > 0 and ko > 0 and es > 0 and eo > 0 and ts > 0 and to > 0 and te > 0 and tf > 0:
        old_flags = _flags(old[ko:eo])
        if old_flags is not None:
            if new[ks:es] == old[ko:eo] and new[ts:te] == old[to:tf]:
                return None
            # Only the old side's colour, flag and target are needed: no full read.
            old_target = _TARGET.match(old, to)
            if old_target is not None:
                old_sig = (*old_flags, old_target.group(1), None)
    if new[-1] == 44:       # the comma between items
        new = new[:-1]
    if old[-1] == 44:
        old = old[:-1]
    if old_sig is None:
        old_sig = signature(old, None)
    return old_sig, signature(new, None), old, new
