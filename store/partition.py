"""The contents of one partition file (one unit in one budget year), read into domain objects.

A partition file holds the TinyDB tables ``unit`` (one record), ``projects``, ``indicators``,
``progress``, ``spending`` and ``audit``. History tables are append-only: records are added with
the next document id and never changed, so document-id order is the order of recording.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from jixiao.core.errors import JixiaoError
from jixiao.core.model import Indicator, ProgressEntry, Project, SpendingEntry, Unit

from . import confined
from .audit import AuditEntry
from .columns import Layout
from .layout import PartitionKey
from .storage import RECORD_CHECKS, damaged, parse

KIND = "partition"
"""The schema kind of partition files."""

TABLES = ("unit", "projects", "indicators", "progress", "spending", "audit")
"""The TinyDB tables of a partition file."""

Signature = tuple[int, int, int]
"""``(inode, size, mtime_ns)`` of a file: changes whenever another process replaces it."""


def signature(path: Path) -> Signature | None:
    """The current signature of ``path``, ``None`` when it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


@dataclass
class Partition:
    """Everything in one partition file, as domain objects."""

    key: PartitionKey
    unit: Unit
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    progress: list[ProgressEntry] = field(default_factory=list)
    spending: list[SpendingEntry] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)


def read_partition(path: Path) -> tuple[Partition, Signature]:
    """Read the partition at ``path`` with the signature of exactly the bytes read.

    Raises ``JixiaoError`` naming the file when it is damaged, foreign, too new or malformed.
    """
    raw, st = read_bytes(path)
    tables = parse(path, KIND, raw)
    return from_tables(path, tables), (st.st_ino, st.st_size, st.st_mtime_ns)


def read_bytes(path: Path) -> tuple[bytes, os.stat_result]:
    """The bytes of the file at ``path`` and the ``fstat`` of exactly the file they came from
    (``JixiaoError`` when it cannot be read)."""
    # Never through a link planted in the file's place (store.confined).
    got = confined.read_bytes(Path(path))
    if got is None:
        raise JixiaoError(f"cannot read {path}: it disappeared (moved or deleted by someone "
                          "else); run `jixiao check`",
                          zh=f"无法读取 {path}：它不见了（被别人移走或删除）；请运行 jixiao check")
    return got


def _records(path: Path, tables: dict, name: str) -> list[tuple[str, dict]]:
    # Records stay in file order, which is the order they were appended in.
    table = tables.get(name) or {}
    if not isinstance(table, dict):
        raise damaged(path, KIND, f"table {name!r} is not a table", f"表 {name!r} 不是表")
    return list(table.items())


PROGRESS = Layout(ProgressEntry, tuples=("causes",), shared=(
    "indicator_id", "as_of", "actual", "author", "recorded_at", "forecast", "likelihood",
    "measures"), across=("as_of", "actual", "forecast", "author", "recorded_at"))
"""How progress entries are built; the shared fields repeat across entries and units (390k
entries at 100k indicators hold 336 distinct dates, ~26k distinct values and ~190k distinct
recording times, as entries are often recorded in one sitting for many units)."""

SPENDING = Layout(SpendingEntry, shared=("project_id", "as_of", "author"),
                  across=("as_of", "author"))
"""How spending entries are built."""

INDICATOR = Layout(Indicator, shared=(
    "id", "project_id", "level1", "category", "name", "description", "target_text", "measure"),
    across=("level1", "category", "name", "description", "target_text"))
"""How indicators are built; their ids are shared so that a history's owner id is the same
object as its indicator's."""


def compact(doc: dict) -> dict:
    """``doc`` without ``None`` and empty values: a third less to write and parse, and the
    readers restore them from the defaults."""
    return {k: v for k, v in doc.items() if v is not None and v != [] and v != ()}


def from_tables(path: Path, tables: dict, share: dict | None = None) -> Partition:
    """Build a ``Partition`` from the parsed tables of the file at ``path``; repeated strings
    become one object, across files too when the caller keeps ``share`` between them."""
    if share is None:
        share = {}  # always shared, so a value that cannot be (a list for a text) is refused
    def build(name, make):
        # ``make`` reads one record; a ``Layout`` reads the whole table a column at a time.
        records = _records(path, tables, name)
        try:
            if isinstance(make, Layout):
                return make.from_docs([doc for _, doc in records], share)
            return [make(doc) for _, doc in records]
        except (TypeError, KeyError, ValueError, AttributeError):
            pass
        if isinstance(make, Layout):
            # with sharing: an unhashable value in a shared field is what failed
            make = partial(lambda layout, doc: layout.from_docs([doc], {}), make)
        for doc_id, doc in records:  # find the culprit only when there is one
            try:
                if not isinstance(doc, dict):
                    raise TypeError("not an object")
                make(doc)
            except (TypeError, KeyError, ValueError, AttributeError) as exc:
                raise damaged(path, KIND, f"{name} record {doc_id} cannot be read: missing or bad {exc}",
                              f"{name} 记录 {doc_id} 无法读取：缺少或错误的 {exc}") from None
        raise AssertionError("unreachable")

    units = build("unit", lambda d: Unit(code=str(d["code"]), name=str(d["name"])))
    if len(units) != 1:
        raise damaged(path, KIND, f"it should name exactly one unit, not {len(units)}",
                      f"应恰好写明一个单位，而不是 {len(units)} 个")
    try:
        year = int(Path(path).parent.name)
    except ValueError:
        year = 0
    return Partition(
        key=PartitionKey(year, units[0].code),
        unit=units[0],
        projects=build("projects", Project.from_dict),
        indicators=build("indicators", INDICATOR),
        progress=build("progress", PROGRESS),
        spending=build("spending", SPENDING),
        audit=build("audit", AuditEntry.from_dict),
    )


RECORD_CHECKS[KIND] = from_tables


def next_doc_id(table: dict) -> int:
    """The document id for a record appended to ``table`` (never one used before in it)."""
    return max((int(k) for k in table), default=0) + 1



_READERS = {"projects": Project.from_dict, "indicators": INDICATOR, "progress": PROGRESS,
            "spending": SPENDING}


def reused(made: list, have: dict) -> list:
    """``made`` (projects or indicators just read) with each object equal to the one of the
    same id in ``have`` (a version a screen shows) replaced by that one, so the one read is
    freed at once and the screen keeps a single copy."""
    get = have.get
    return [o if (o := get(x.id)) is not None and o == x else x for x in made]


def records(name: str, docs: list[dict], share: dict | None = None) -> list:
    """The domain objects of the stored records ``docs`` of table ``name`` (``projects``,
    ``indicators``, ``progress`` or ``spending``), built as ``from_tables`` builds them
    (repeated strings shared through ``share`` when the caller keeps it between calls). For
    stores that hold the same records elsewhere (``store.postgres``)."""
    make = _READERS[name]
    if isinstance(make, Layout):
        return make.from_docs(docs, {} if share is None else share)
    return [make(doc) for doc in docs]
