"""``DATA/index.json``: which unit each partition file holds, so a start-up can list every unit
(code and name) before it has read a single partition.

The index is a hint, never the truth: the partition files are. It is written by the imports
(``Store.apply_import``, ``Store.bulk_load``) under its own lock, atomically, with a schema
stamp like every other file; a reader trusts an entry only for a partition file that is present
under the entry's file name, and lists a file without an entry by its file name (its code, when
that is a plain code) or, for a hashed file name, by reading that one file. A stale name is
replaced as soon as the unit's partition is loaded. ``jixiao check`` reports an index that
cannot be read or disagrees with the files.
"""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.core import faults
from jixiao.core.errors import JixiaoError
from jixiao.core.language import say
from jixiao.core.model import Unit

from .layout import Layout, PartitionKey, file_stem
from .lock import locked
from .partition import read_partition
from .storage import RECORD_CHECKS, atomic_write, encode, read_file

KIND = "index"
_HASHED = re.compile(r"u-[0-9a-f]{16}")


def _entries(path: Path, tables: dict) -> dict[tuple[int, str], Unit]:
    """``(year, file stem) -> Unit`` from the parsed tables (``JixiaoError`` when damaged)."""
    out = {}
    try:
        for doc in (tables.get("units") or {}).values():
            unit = Unit(code=str(doc["code"]), name=str(doc["name"]))
            out[(int(doc["year"]), file_stem(unit.code))] = unit
    except (KeyError, TypeError, ValueError, AttributeError):
        raise JixiaoError(f"{path} is damaged: a unit record cannot be read. It is only a "
                          "start-up hint: delete it, and the next import writes its units back "
                          "(until then the app lists units by code first)",
                          zh=f"{path} 已损坏：有一条单位记录无法读取。它只用于加快启动：删除它即可，"
                             "下次导入会重新写入（在此之前界面先按代码列出单位）") from None
    return out


RECORD_CHECKS[KIND] = _entries


def read_index(layout: Layout) -> dict[tuple[int, str], Unit]:
    """The entries of the index as stored (``{}`` without one); ``JixiaoError`` if damaged."""
    tables = read_file(layout.index, KIND)
    return _entries(layout.index, tables) if tables is not None else {}


def listing(layout: Layout) -> dict[PartitionKey, Unit]:
    """Every partition file present, as its key and unit, without parsing the files the index
    names (an unreadable index counts as none: it is only a hint). A unit whose name is not
    known yet gets its code as name."""
    try:
        entries = read_index(layout)
    except JixiaoError:
        entries = {}
    out: dict[PartitionKey, Unit] = {}
    for path in layout.partition_files():
        year = int(path.parent.name)
        unit = entries.get((year, path.stem))
        if unit is None:
            if _HASHED.fullmatch(path.stem):
                # The code cannot be read from a hashed name: this one file is parsed.
                unit = read_partition(path)[0].unit
            else:
                unit = Unit(code=path.stem, name=path.stem)
        out[PartitionKey(year, unit.code)] = unit
    return out


def note_units(layout: Layout, written: dict[PartitionKey, Unit]) -> None:
    """Record the units of partitions just written (by an import) in the index, under its lock.
    A damaged index is left alone (never write a damaged file); ``jixiao check`` reports it."""
    if not written:
        return
    path = layout.index
    with locked(layout.lock_of(path)):
        try:
            tables = read_file(path, KIND) or {}
            entries = _entries(path, tables)
        except JixiaoError:
            return
        for key, unit in written.items():
            entries[(key.year, file_stem(unit.code))] = unit
        docs = {}
        for n, ((year, _), unit) in enumerate(sorted(entries.items()), 1):
            docs[str(n)] = {"year": year, "code": unit.code, "name": unit.name}
        atomic_write(path, encode(KIND, {"units": docs}))


def check_index(layout: Layout) -> list[str]:
    """Problems of the index for ``jixiao check``: unreadable, or naming a unit differently
    from its partition file (partitions that cannot be read are reported on their own)."""
    try:
        entries = read_index(layout)
    except JixiaoError as exc:
        return [exc.message]
    if not layout.index.exists():
        return []
    out = []
    for path in layout.partition_files():
        unit = entries.get((int(path.parent.name), path.stem))
        if unit is None:
            continue  # a file without an entry is listed by its name: slower, not wrong
        try:
            actual = read_partition(path)[0].unit
        except JixiaoError:
            continue
        if actual != unit:
            out.append(say(f"{layout.index} lists {path.parent.name}/{path.name} as unit "
                           f"{unit.code} {unit.name!r}, but the file holds {actual.code} "
                           f"{actual.name!r}; the app shows the file's name once it is loaded. "
                           "Re-import the unit's table to correct the index",
                           f"{layout.index} 把 {path.parent.name}/{path.name} 列为单位 {unit.code} "
                           f"{unit.name!r}，但文件中是 {actual.code} {actual.name!r}；界面在载入后显示"
                           "文件中的名称。重新导入该单位的目标表即可更正索引"))
    return out


def missing_units(layout: Layout) -> list:
    """A message (``Said``, both languages) per unit the index lists whose file is gone; none
    when the index itself cannot be read (``check_index`` reports that). A directory in the
    file's place is reported on its own by ``check``."""
    try:
        entries = read_index(layout)
    except JixiaoError:
        return []
    out = []
    for (year, stem), unit in sorted(entries.items()):
        path = layout.units_dir / str(year) / f"{stem}.json"
        if not path.exists() and not path.is_symlink():
            bak = path.with_name(path.name + ".bak")
            out.append(faults.said("index_unit_missing", index=layout.index, code=unit.code,
                                   year=year, path=path, bak=bak.name))
    return out
