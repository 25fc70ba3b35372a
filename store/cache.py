"""A per-user read cache of parsed partitions, so that start-up need not parse ~100 MB of JSON.

The partition's JSON file stays the only source of truth. The cache is a private copy of what
``Store.load`` builds from it (units, projects, indicators, and histories already grouped and
sorted), in ``marshal`` form with every repeated string stored once: at 100k indicators and 400k
progress entries that loads in well under half the time of parsing the JSON (README, section
store). Files live in ``$XDG_CACHE_HOME/jixiao/partitions-vN/`` (``~/.cache`` by default), one
per partition, under a directory named after a hash of the data directory's real path.

An entry is used only when it was made by this exact program (schema, Python and marshal
version, the source files and field names of the stored classes) from exactly the bytes of the
JSON file read now: it is keyed by the file's device, inode, size, mtime and ctime **and** by the
CRC-32 of its bytes, and carries a CRC-32 of itself. Anything else — stale, torn, foreign, unreadable — is ignored
and rebuilt from the JSON file. Writing the cache never fails a read. Deleting the directory is
always safe; ``JIXIAO_CACHE=off`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import struct
import sys
import zlib
from dataclasses import fields
from pathlib import Path

from jixiao.core.model import Budget, Indicator, ProgressEntry, Project, SpendingEntry, Unit

from .columns import Layout
from .partition import INDICATOR, PROGRESS, SPENDING
from .schema import CURRENT

CACHE_VERSION = 5
"""The layout of a cache entry; bump it whenever ``_payload`` changes shape."""

_MAGIC = b"jixiao-cache\n"
_HEADER = struct.Struct("<II")  # length of the marshalled header, CRC-32 of the payload


def _program_tag() -> str:
    # The code that gives an entry its shape, by size and mtime of its source files rather than
    # by package version, so an edited checkout never reads entries written by its former self.
    from jixiao.core import model
    from jixiao.store import columns, partition

    sources = []
    for module in (model, partition, columns, sys.modules[__name__]):
        try:
            st = os.stat(module.__file__)
            sources.append(f"{Path(module.__file__).name}:{st.st_size}:{st.st_mtime_ns}")
        except (OSError, TypeError):
            sources.append("?")
    shapes = ";".join(f"{cls.__name__}:{','.join(f.name for f in fields(cls))}"
                      for cls in (Unit, Budget, Project, Indicator, ProgressEntry, SpendingEntry))
    return (f"jixiao schema {CURRENT} cache {CACHE_VERSION} python {sys.version_info[:3]} "
            f"marshal {marshal.version} {' '.join(sources)} {shapes}")


_TAG: str | None = None


def _tag() -> str:
    global _TAG
    if _TAG is None:
        _TAG = _program_tag()
    return _TAG


def cache_dir(data_dir: Path) -> Path | None:
    """Where the cache of ``data_dir`` lives for this user; ``None`` when it is turned off
    (``JIXIAO_CACHE=off``)."""
    if os.environ.get("JIXIAO_CACHE", "").strip().lower() in ("off", "0", "no", "false"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    base_path = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    real = os.path.realpath(data_dir)
    digest = hashlib.sha1(real.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return base_path / "jixiao" / f"partitions-v{CACHE_VERSION}" / digest


def entry_path(cache: Path, partition: Path) -> Path:
    """The cache file of the partition file ``partition`` (``units/YEAR/STEM.json``)."""
    return cache / f"{partition.parent.name}-{partition.stem}.bin"


def file_key(st: os.stat_result, raw: bytes) -> tuple:
    """What a cache entry must match: the file's identity and times, and its content's CRC."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns,
            zlib.crc32(raw))


class Grouped:
    """One partition as ``Store.load`` merges it: histories grouped by owner and sorted."""

    __slots__ = ("unit", "projects", "indicators", "progress", "spending")

    def __init__(self, unit: Unit, projects: list[Project], indicators: list[Indicator],
                 progress: dict[str, list[ProgressEntry]],
                 spending: dict[str, list[SpendingEntry]]):
        """Hold the parts; ``progress`` and ``spending`` map owner ids to sorted histories."""
        self.unit = unit
        self.projects = projects
        self.indicators = indicators
        self.progress = progress
        self.spending = spending


def read(cache: Path, partition: Path, key: tuple) -> Grouped | None:
    """The cached ``Grouped`` of ``partition`` when its entry matches ``key`` exactly, else
    ``None`` (never raises: a bad entry is simply not used)."""
    payload = fetch(cache, partition, key)
    return None if payload is None else decode(payload)


def fetch(cache: Path, partition: Path, key: tuple) -> memoryview | None:
    """The checked payload of the entry of ``partition`` when it matches ``key`` and its CRC,
    else ``None``. Only reading and CRC work, which release the GIL, so a helper thread can
    fetch the next entries while the caller decodes this one."""
    try:
        blob = entry_path(cache, partition).read_bytes()
        if not blob.startswith(_MAGIC):
            return None
        start = len(_MAGIC) + _HEADER.size
        head_len, crc = _HEADER.unpack_from(blob, len(_MAGIC))
        tag, stored_key = marshal.loads(blob[start:start + head_len])
        if tag != _tag() or tuple(stored_key) != key:
            return None
        payload = memoryview(blob)[start + head_len:]
        return payload if zlib.crc32(payload) == crc else None  # else torn or altered
    except Exception:  # missing, unreadable, damaged: the JSON file is read instead
        return None


def decode(payload: memoryview, share: dict | None = None) -> Grouped | None:
    """The ``Grouped`` held by a payload from ``fetch``; ``None`` if it does not decode. With
    ``share`` (kept by the caller across entries), repeated strings become one object."""
    try:
        return _from_payload(marshal.loads(payload), share)
    except Exception:
        return None


def write(cache: Path, partition: Path, key: tuple, grouped: Grouped) -> None:
    """Store ``grouped`` as the entry of ``partition`` for ``key``; any failure (read-only home,
    full disk) is ignored, since the cache only saves time."""
    try:
        payload = marshal.dumps(_payload(grouped))
        head = marshal.dumps((_tag(), key))
        os.makedirs(cache, mode=0o700, exist_ok=True)
        target = entry_path(cache, partition)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        # No fsync: a torn entry fails its CRC and is rebuilt. The rename keeps readers from
        # ever seeing a half-written one while this process is alive.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MAGIC + _HEADER.pack(len(head), zlib.crc32(payload)) + head)
            fh.write(payload)
        os.replace(tmp, target)
    except Exception:
        try:
            tmp.unlink()  # type: ignore[possibly-undefined]
        except Exception:
            pass


def _payload(g: Grouped) -> dict:
    # Columns (one list per field) rather than a dict per record: no key is stored per record,
    # a field nobody filled in is one ``None``, and loading sets each field in one C-level pass
    # (``store.columns``). Strings were shared while the partition was read, so marshal stores
    # each repeated one once and loading builds it once.
    def grouped(histories: dict, layout) -> tuple:
        # Flat, with the length of each history: one pass builds every object on loading.
        return list(histories), [len(v) for v in histories.values()], \
            layout.to_columns([e for v in histories.values() for e in v])

    projects = PROJECT.to_columns(g.projects)
    projects["budget"] = BUDGET.to_columns(projects["budget"] or [Budget()] * len(g.projects))
    return {
        "unit": g.unit.to_dict(),
        "projects": (len(g.projects), projects),
        "indicators": (len(g.indicators), INDICATOR.to_columns(g.indicators)),
        "progress": grouped(g.progress, PROGRESS),
        "spending": grouped(g.spending, SPENDING),
    }


PROJECT = Layout(Project)
BUDGET = Layout(Budget)


def _histories(layout, stored, share: dict | None) -> dict:
    owners, sizes, columns = stored
    objs = layout.build(sum(sizes), columns, share, cached=True)
    out, at = {}, 0
    for owner, n in zip(owners, sizes):
        out[owner] = objs[at:at + n]
        at += n
    return out


def _from_payload(c: dict, share: dict | None) -> Grouped:
    n, projects = c["projects"]
    projects["budget"] = BUDGET.build(n, projects["budget"])
    n_ind, indicators = c["indicators"]
    return Grouped(
        unit=Unit.from_dict(c["unit"]),
        projects=PROJECT.build(n, projects),
        indicators=INDICATOR.build(n_ind, indicators, share, cached=True),
        progress=_histories(PROGRESS, c["progress"], share),
        spending=_histories(SPENDING, c["spending"], share),
    )
