"""The schema version stamped into every data file, and the path from old versions to new.

Every file is a TinyDB document whose ``_meta`` table holds one record
``{"format": "jixiao", "kind": KIND, "schema": N}``. A file without it is foreign; a file with a
larger ``N`` than ``CURRENT`` was written by a newer jixiao and is refused (reading it could
silently drop what this version does not understand); a smaller ``N`` is upgraded in memory by
the steps in ``MIGRATIONS`` and written back in the new form at its next write.
"""

from __future__ import annotations

from typing import Callable

from jixiao.core.errors import JixiaoError

FORMAT = "jixiao"
"""The marker that tells a jixiao data file from any other JSON file."""

CURRENT = 2
"""The schema version this program writes.

2: an indicator may carry ``reading``, an officer's settled reading of its 指标值 (issue 12).
A version-1 jixiao would drop it when rewriting the indicator, so it must refuse these files.
"""

KINDS = ("settings", "grants", "partition", "index")
"""The kinds of data file: settings, grants, one partition per unit and budget year, and the
unit index (``store.index``)."""

META = "_meta"
"""The TinyDB table holding the stamp."""

def _to_2(kind: str, tables: dict) -> dict:
    # Schema 2 only adds the optional ``reading`` of an indicator: a version-1 file is already
    # a valid version-2 file.
    return tables


MIGRATIONS: dict[int, Callable[[str, dict], dict]] = {1: _to_2}
"""``MIGRATIONS[n](kind, tables)`` turns a schema-``n`` file into schema ``n + 1``.

Add a step here together with every increment of ``CURRENT``; old files then keep working.
"""


def stamp(kind: str) -> dict:
    """The ``_meta`` table written into every file of ``kind``."""
    return {"1": {"format": FORMAT, "kind": kind, "schema": CURRENT}}


def schema_of(data: object) -> tuple[str | None, int | None]:
    """``(kind, schema)`` read from a parsed file, ``(None, None)`` when it carries no stamp."""
    if not isinstance(data, dict):
        return None, None
    meta = data.get(META)
    if not isinstance(meta, dict) or len(meta) != 1:
        return None, None
    record = next(iter(meta.values()))
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return None, None
    schema = record.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool):
        return record.get("kind"), None
    return record.get("kind"), schema


def _restore_advice(path, kind: str, lang: str = "en") -> str:
    from .storage import restore_advice  # storage reads files through this module

    return restore_advice(path, kind, lang)


def upgrade(path, kind: str, data: object) -> dict:
    """Check that ``data`` (parsed from ``path``) is a jixiao ``kind`` file this version can
    read, and return it migrated to ``CURRENT``; raise ``JixiaoError`` (exit 2) otherwise."""
    found_kind, schema = schema_of(data)
    if found_kind is None:
        raise JixiaoError(
            f"{path} is not a jixiao data file (no jixiao schema stamp). It was left unchanged; "
            "move it out of the data directory, or point --data at the right directory.",
            zh=f"{path} 不是 jixiao 数据文件（没有 jixiao 格式标记）。文件未被改动；"
               "请把它移出数据目录，或让 --data 指向正确的目录。")
    if found_kind != kind:
        raise JixiaoError(
            f"{path} is a jixiao {found_kind!r} file where a {kind!r} file belongs. It was left "
            "unchanged; move it back where it came from, or "
            + _restore_advice(path, kind),
            zh=f"{path} 是 jixiao 的 {found_kind!r} 文件，但这里应是 {kind!r} 文件。文件未被改动；"
               "请把它移回原处，或" + _restore_advice(path, kind, "zh"))
    if schema is None or schema < 1:
        raise JixiaoError(f"{path} has an unreadable schema version. It was left unchanged; "
                          + _restore_advice(path, kind),
                          zh=f"{path} 的格式版本无法读取。文件未被改动；" + _restore_advice(path, kind, "zh"))
    if schema > CURRENT:
        raise JixiaoError(
            f"{path} was written by a newer jixiao (schema {schema}; this version reads up to "
            f"{CURRENT}). It was left unchanged; upgrade jixiao to use this data directory.",
            zh=f"{path} 由更新版本的 jixiao 写入（格式 {schema}；本版本最多读取 {CURRENT}）。"
               "文件未被改动；请升级 jixiao 后再使用此数据目录。")
    tables = dict(data)
    for version in range(schema, CURRENT):
        step = MIGRATIONS.get(version)
        if step is None:
            raise JixiaoError(f"{path}: no migration from schema {version}; upgrade jixiao.",
                              zh=f"{path}：没有从格式 {version} 升级的方法；请升级 jixiao。")
        tables = step(kind, tables)
    tables[META] = stamp(kind)
    return tables
