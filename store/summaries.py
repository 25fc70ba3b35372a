"""Each unit file's summary: what a screen needs of the unit before its history is read.

A start-up must show the counts, the triage list, next/previous alert and search over every
unit long before 390k progress entries are parsed and 100k indicators evaluated (issue of
province scale: 1.5 s at 100k). The colours need the histories, but only once: after an import
and after a reader has evaluated everything, the store keeps beside each unit file a summary of
it — the unit, its projects, indicators and spending, and every indicator's verdict at the
stored monitoring date — in ``DATA/summaries/YEAR/F.json`` for ``DATA/units/YEAR/F.json``.
Reading all of them at 100k indicators takes about a sixth of reading the unit files.

A summary is a copy, never the record: it is used only while it matches exactly

- the unit file's signature (inode, size, mtime — any write replaces the file),
- the stored settings (year, monitoring date, thresholds), and
- this program: the source of ``jixiao.core`` (the rules) and ``jixiao.store`` (the readers),

and is otherwise ignored (the unit is read and evaluated as before). Anything unreadable,
damaged or foreign is ignored the same way; deleting ``DATA/summaries`` is always safe.

The file store trusts the members of its group, and a summary is no exception: a member who
forges one misleads the colours other members see of that unit until its file next changes —
as editing the unit file itself would. Files are read and written without following links
(``store.confined``).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from array import array
from collections import Counter, deque
from itertools import groupby
from operator import attrgetter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from jixiao.core.errors import JixiaoError
from jixiao.core.evaluator import Stopped
from jixiao.core.model import Budget, Project, Unit
from jixiao.core.colours import COLOURS
from jixiao.core.status import Status

from . import confined
from .columns import Layout
from .partition import INDICATOR, SPENDING, Signature, signature

FORMAT = 2
"""The shape of a summary file; bump it whenever ``encode`` changes."""

MAX_BYTES = 64 << 20
"""A summary larger than this is not read (a unit file of 100k indicators makes ~20 MB)."""

FEW_STALE = 16
"""Stale summaries a start-up's middle stage reads whole at most, whatever the store's size
(each ~10 ms); beyond that and a quarter of the units it waits for the full load instead. Also
what a lead stage accepts (``PgStore.lead``'s ``most``)."""

LEAD_ROWS = 200
"""Rows of the triage list a start-up's lead stage makes final (``PgStore.lead``): seven
screens of the worst indicators, from ~36 units' summaries at 1M indicators (0.1-0.2 s)."""

PROJECT = Layout(Project, tuples=("goals",), shared=("unit_code", "year"))
BUDGET = Layout(Budget)

_VERDICT_FIELDS = ("colour", "final", "expected", "ratio", "timeless", "zh", "en")
_ID, _PROJECT_ID = attrgetter("id"), attrgetter("project_id")
_TIMELESS = Status.timeless.__set__   # ``Status`` takes it by keyword only


@lru_cache(maxsize=1)
def program_tag() -> str:
    """What made a summary's verdicts: a hash of the source of every module of
    ``jixiao.core`` (the rules, the model) and of ``jixiao.store`` (how a unit's entries are
    read, grouped and ordered before the rules see them; this module). A changed rule or
    reader changes the tag, so no summary written by an older program is ever believed."""
    from jixiao import core

    h = hashlib.sha256(f"summary {FORMAT}\n".encode())
    sources = (sorted(Path(core.__file__).parent.glob("*.py"))
               + sorted(Path(__file__).parent.glob("*.py")))
    for path in sources:
        h.update(path.name.encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"?")
    return h.hexdigest()[:32]


def settings_key(settings) -> dict:
    """What of the settings a verdict depends on: year, monitoring date and thresholds."""
    return {"year": settings.year, "as_of": settings.as_of,
            "thresholds": asdict(settings.thresholds)}


@dataclass(slots=True)
class Summary:
    """One unit file's summary, as objects: its unit, projects, indicators (table order),
    spending entries, each indicator's ``Status`` at the summary's monitoring date, and per
    project how many of its indicators have each colour (``counts``: id → colour → number)."""

    unit: Unit
    projects: list
    indicators: list
    spending: list
    statuses: dict
    counts: dict


def path_of(root: Path, partition: Path) -> Path:
    """Where the summary of the unit file ``partition`` (under ``root/units``) lives."""
    return root / "summaries" / partition.relative_to(root / "units")


def encode(sig: Signature, settings, unit: Unit, projects: list, indicators: list,
           spending: list, statuses: dict) -> bytes:
    """The summary file of one unit file whose signature is ``sig``. ``indicators`` in table
    order, ``statuses`` their verdicts at ``settings.as_of``."""
    verdicts = [statuses[i.id] for i in indicators]
    doc = {
        "format": FORMAT, "program": program_tag(), "settings": settings_key(settings),
        "source": list(sig),
        "unit": unit.to_dict(),
        "projects": _project_columns(projects),
        "spending": _columns(SPENDING, spending),
        "indicators": _columns(INDICATOR, indicators),
        "verdicts": {
            "colour": [s.colour for s in verdicts], "final": [s.final for s in verdicts],
            "expected": [s.expected for s in verdicts], "ratio": [s.ratio for s in verdicts],
            "timeless": [s.timeless for s in verdicts],
            "zh": _coded([s.reason_zh for s in verdicts]),
            "en": _coded([s.reason_en for s in verdicts])},
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encode_unit(sig, settings, dataset, evaluation, key) -> bytes | None:
    """The summary (``encode``) of the partition ``key`` of ``dataset``, read with the signature
    ``sig``, from ``evaluation`` at ``settings.as_of``; ``None`` when ``dataset`` lacks the unit
    or ``evaluation`` one of its indicators."""
    unit = dataset.units.get(key.unit_code)
    if unit is None:
        return None
    projects = [p for p in dataset.projects_of(key.unit_code) if p.year == key.year]
    indicators = [i for p in projects for i in dataset.indicators_of(p.id)]
    if any(i.id not in evaluation.indicators for i in indicators):
        return None
    spending = [e for p in projects for e in dataset.spending.get(p.id, ())]
    return encode(sig, settings, unit, projects, indicators, spending, evaluation.indicators)


def encoded(settings, dataset, evaluation, sigs: dict):
    """``(key, sig, summary)`` for each partition in ``sigs`` (key → the signature ``dataset``
    holds it at) that ``encode_unit`` can summarize; none at all when ``evaluation`` is of
    another date or ``dataset`` of other settings than the stored ``settings`` (a summary is
    only ever of the stored monitoring date)."""
    if evaluation.as_of != settings.as_of or dataset.settings != settings:
        return
    for key, sig in sigs.items():
        doc = encode_unit(sig, settings, dataset, evaluation, key)
        if doc is not None:
            yield key, sig, doc


BATCH = 50
"""Units read back and evaluated at a time when renewing summaries."""


def renew(store, keys, written=None, sigs=None) -> int:
    """Make the summaries of the partitions ``keys`` of ``store`` (either backend: ``peek``,
    ``save_summaries``) current; how many were written. ``written`` is a dataset holding exactly
    what was just written, with each partition's signature in ``sigs``: its evaluation serves
    when it covers them all; otherwise the units are read back, ``BATCH`` at a time."""
    from jixiao.core.evaluator import Evaluator

    evaluator = Evaluator()
    keys = list(keys)
    if written is not None and sigs is not None:
        done = store.save_summaries(written, evaluator.evaluate(written), sigs)
        if done == len(keys):
            return done           # every one written: no need to read them back
    done = 0
    for at in range(0, len(keys), BATCH):
        dataset, got = store.peek(keys[at:at + BATCH])
        if got:
            done += store.save_summaries(dataset, evaluator.evaluate(dataset), got)
    return done


def renew_quietly(store, keys, written=None, sigs=None) -> None:
    """``renew`` after a write (an import, a bulk load): summaries are only a start-up aid, so
    failing to write them never fails the write that came before."""
    try:
        renew(store, keys, written, sigs)
    except (JixiaoError, OSError):
        pass


def decode(raw: bytes, sig: Signature, settings, share: dict) -> Summary | None:
    """The summary in ``raw`` if it was made by this program, at these settings, of the unit
    file whose signature is ``sig`` now; ``None`` otherwise (stale, foreign or damaged)."""
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError):   # damaged, or nested to exhaust the parser
        return None
    return accept(doc, sig, settings, share)


def current(doc, sig: Signature | None, settings) -> bool:
    """Whether the parsed summary ``doc`` was made by this program, at these settings, of the
    unit file whose signature is ``sig`` now."""
    return (isinstance(doc, dict) and sig is not None and doc.get("format") == FORMAT
            and doc.get("program") == program_tag()
            and doc.get("settings") == settings_key(settings)
            and doc.get("source") == list(sig))


def accept(doc, sig: Signature | None, settings, share: dict) -> Summary | None:
    """The objects of the parsed summary ``doc`` if it is ``current``; ``None`` otherwise, and
    for anything damaged."""
    if not current(doc, sig, settings):
        return None
    try:
        indicators = _objects(INDICATOR, doc["indicators"], share)
        n = len(indicators)
        v = dict(doc["verdicts"])
        v["zh"], v["en"] = _uncoded(v["zh"], share), _uncoded(v["en"], share)
        if any(len(v[f]) != n for f in _VERDICT_FIELDS):
            return None
        if not all(c in COLOURS for c in v["colour"]):
            return None
        made = list(map(Status, v["colour"], map(bool, v["final"]), v["expected"], v["ratio"],
                        v["zh"], v["en"]))
        deque(map(_TIMELESS, made, map(bool, v["timeless"])), maxlen=0)
        statuses = dict(zip(map(_ID, indicators), made))
        # Counted at C speed, a run of one project's indicators at a time (table order keeps
        # them together): a screen then adds up 5,000 projects, not 100k statuses.
        counts, at = {}, 0
        colours = v["colour"]
        for pid, run in groupby(map(_PROJECT_ID, indicators)):
            n = len(list(run))
            counts[pid] = Counter(colours[at:at + n])
            at += n
        return Summary(Unit.from_dict(doc["unit"]),
                       _projects(doc["projects"], share),
                       indicators,
                       _objects(SPENDING, doc["spending"], share),
                       statuses, counts)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, IndexError):
        return None


def _coded(values: list[str]) -> list:
    # [distinct values, each value's index]: a unit's 200 reasons hold ~140 distinct ones, and
    # the same sentences recur from unit to unit.
    distinct = list(dict.fromkeys(values))
    index = dict(zip(distinct, range(len(distinct))))
    return [distinct, [index[v] for v in values]]


def _uncoded(column, share: dict) -> list[str]:
    # The inverse of ``_coded``, each distinct string shared across summaries; ValueError or
    # TypeError or IndexError when damaged.
    distinct, codes = column
    distinct = list(map(str, distinct))               # text, whatever a damaged file holds
    distinct = list(map(share.setdefault, distinct, distinct))
    return list(map(distinct.__getitem__, codes))


def _columns(layout, objs: list) -> dict:
    # ``Layout.to_columns`` as JSON: the codes of a shared column as a list of numbers.
    out = {}
    for name, column in layout.to_columns(objs).items():
        if isinstance(column, tuple):
            distinct, codes = column
            column = [distinct, array("I", codes).tolist()]
        out[name] = column
    return out


def _project_columns(projects: list) -> dict:
    columns = _columns(PROJECT, projects)
    columns["budget"] = _columns(BUDGET, [p.budget for p in projects])
    return {"n": len(projects), "columns": columns}


def _projects(doc: dict, share: dict) -> list:
    n, columns = doc["n"], dict(doc["columns"])
    columns["budget"] = _objects(BUDGET, columns["budget"], share, n)
    return _objects(PROJECT, columns, share, n)


def _objects(layout, columns: dict, share: dict, n: int | None = None) -> list:
    # The inverse of ``_columns``; ValueError, TypeError or KeyError when damaged.
    got = {}
    for name, column in columns.items():
        if name not in layout.names:
            raise ValueError(name)
        if name in layout.across and isinstance(column, list) and len(column) == 2 \
                and isinstance(column[0], list) and isinstance(column[1], list):
            column = (column[0], array("I", column[1]).tobytes())
        elif name in layout.tuples and column is not None:   # JSON has lists, objects tuples
            column = [tuple(v) if v else () for v in column]
        got[name] = column
    if n is None:
        ids = got["id"]
        n = len(ids) if isinstance(ids, list) else len(ids[1]) // 4
    return layout.build(n, got, share, cached=True)


def by_whole_unit(found: dict, stale: list) -> tuple[dict, list]:
    """``found`` (key → summary) and ``stale`` (keys) as a screen takes them: a unit with a
    stale partition (another budget year's may be current) is read whole, every partition of
    it — a unit is shown from its summaries or from its records, never half from each."""
    whole = {key.unit_code for key in stale}
    return ({key: s for key, s in found.items() if key.unit_code not in whole},
            sorted([*stale, *(key for key in found if key.unit_code in whole)]))


def read(path: Path) -> bytes | None:
    """The bytes of the summary file ``path``; ``None`` when it is missing, not a regular
    file, too large or unreadable (a summary is only ever a hint)."""
    try:
        fd = confined.open_file(path, os.O_RDONLY | os.O_NONBLOCK)
    except (OSError, JixiaoError):   # a link, a missing directory, no permission: none
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def write(path: Path, payload: bytes) -> None:
    """Replace the summary file ``path`` by ``payload`` (a new file renamed into place, no
    link followed). ``JixiaoError`` or ``OSError`` when it cannot be written."""
    with confined.directory_of(path, create=True) as (dir_fd, name):
        # A link or anything else planted under the summary's name is replaced, never
        # followed: the rename swaps the directory entry itself.
        tmp = confined.write_fresh(dir_fd, name, payload, path)
        try:
            os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException:
            confined.remove_quietly(dir_fd, tmp)
            raise


def collect(root: Path, partitions: dict, settings, stop=None,
            progress=None) -> tuple[dict, list]:
    """The current summary of each unit file in ``partitions`` (key → path), and the keys of
    those that have none — missing, stale or unreadable — in ``partitions``' order. Raises
    ``core.evaluator.Stopped`` as soon as ``stop()`` is true (a screen closing);
    ``progress(done, total)`` is told after each unit."""
    share: dict = {}   # one object per repeated string across every summary, as loading does
    found, stale = {}, []
    for done, (key, path) in enumerate(partitions.items()):
        if stop is not None and stop():
            raise Stopped
        if progress is not None:
            progress(done, len(partitions))
        sig = signature(path)
        raw = read(path_of(root, path)) if sig is not None else None
        got = decode(raw, sig, settings, share) if raw is not None else None
        if got is None:
            stale.append(key)
        else:
            found[key] = got
    return found, stale
