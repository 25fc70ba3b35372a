"""``jixiao check``: verify a whole data directory without changing anything."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

from jixiao.core.errors import JixiaoError

from .grants import ROLES
from .index import check_index
from .layout import Layout, file_stem
from .partition import read_partition


def check_directory(layout: Layout) -> list[str]:
    """The problems of the data directory described by ``layout``; reads only. A damaged file
    is one problem, whose message says whether its ``.bak`` can replace it."""
    root = layout.root
    if not root.exists():
        return [f"{root} does not exist: import a table with `jixiao import FILE` (which "
                "creates it), or check --data / $JIXIAO_DATA"]
    if not root.is_dir():
        return [f"{root} is not a directory"]
    if not layout.holds_data():
        return [f"{root} holds no jixiao data: import a table with `jixiao import FILE`, or "
                "check --data / $JIXIAO_DATA"]
    problems: list[str] = []
    problems += _check_settings(layout.settings)
    problems += _check_grants(layout.grants)
    seen_ids: dict[str, Path] = {}
    for path in layout.partition_files():
        problems += _check_partition(path, seen_ids)
    problems += check_index(layout)
    problems += _check_modes(layout)
    return problems


def _check_settings(path: Path) -> list[str]:
    from .repository import Store

    try:
        Store(path.parent, user="check").settings()
    except JixiaoError as exc:
        return [exc.message]
    return []


def _check_grants(path: Path) -> list[str]:
    from .repository import Store

    try:
        grants = Store(path.parent, user="check").grants()
    except JixiaoError as exc:
        return [exc.message]
    out = [f"{path}: {g.user} has unknown role {g.role!r}" for g in grants if g.role not in ROLES]
    if grants and not any(g.role == "admin" for g in grants):
        out.append(f"{path}: no admin is granted; nobody can change grants")
    return out


def _check_partition(path: Path, seen_ids: dict[str, Path]) -> list[str]:
    try:
        part, _ = read_partition(path)
    except JixiaoError as exc:
        return [exc.message]
    out = []
    if path.stem != file_stem(part.unit.code):
        out.append(f"{path} holds unit {part.unit.code}, which belongs in "
                   f"{file_stem(part.unit.code)}.json; move it back")
    pids = set()
    for p in part.projects:
        pids.add(p.id)
        if p.unit_code != part.unit.code or p.year != part.key.year:
            out.append(f"{path}: project {p.id} ({p.name}) is of unit {p.unit_code} year "
                       f"{p.year}, not of this file's unit {part.unit.code} year {part.key.year}")
    for i in part.indicators:
        if i.project_id not in pids:
            out.append(f"{path}: indicator {i.id} ({i.name}) names a project that is not here")
        if i.id in seen_ids:
            out.append(f"{path}: indicator id {i.id} also appears in {seen_ids[i.id]}")
        seen_ids[i.id] = path
    ids = set()
    for e in part.progress + part.spending:
        if e.id in ids:
            out.append(f"{path}: entry id {e.id} appears twice")
        ids.add(e.id)
        try:
            date.fromisoformat(e.as_of)
        except ValueError:
            out.append(f"{path}: entry {e.id} has a bad date {e.as_of!r}")
    for e in part.spending:
        if e.project_id not in pids:
            out.append(f"{path}: spending entry {e.id} names a project that is not here")
    return out


def _check_modes(layout: Layout) -> list[str]:
    out = []
    files = [layout.settings, layout.grants, layout.index] + layout.partition_files()
    for path in files:
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            continue
        if mode & stat.S_IRWXO:
            out.append(f"{path} is open to others (mode {stat.filemode(mode)}); "
                       f"run: chmod o-rwx {path}")
    return out
