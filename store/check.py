"""``jixiao check``: verify a whole data directory without changing anything."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

from core.errors import JixiaoError
from core.model import Settings

from .grants import ROLES, Grant
from .layout import Layout, file_stem
from .partition import read_partition
from .storage import read_file


def check_directory(layout: Layout) -> list[str]:
    """The problems of the data directory described by ``layout``; reads only."""
    root = layout.root
    if not root.exists():
        return [f"{root} does not exist (it is created by the first import)"]
    if not root.is_dir():
        return [f"{root} is not a directory"]
    problems: list[str] = []
    problems += _check_settings(layout.settings)
    problems += _check_grants(layout.grants)
    seen_ids: dict[str, Path] = {}
    for path in layout.partition_files():
        problems += _check_partition(path, seen_ids)
    problems += _check_modes(layout)
    return problems


def _check_settings(path: Path) -> list[str]:
    try:
        tables = read_file(path, "settings")
    except JixiaoError as exc:
        return [exc.message]
    if tables is None:
        return []
    records = list((tables.get("settings") or {}).values())
    if len(records) != 1:
        return [f"{path} should hold one settings record, not {len(records)}"]
    try:
        s = Settings.from_dict(records[0])
        s.as_of_date
    except (KeyError, TypeError, ValueError) as exc:
        return [f"{path}: the settings record cannot be read ({exc}); restore settings.json.bak"]
    return []


def _check_grants(path: Path) -> list[str]:
    try:
        tables = read_file(path, "grants")
    except JixiaoError as exc:
        return [exc.message]
    if tables is None:
        return []
    out, grants = [], []
    for doc_id, doc in (tables.get("grants") or {}).items():
        try:
            g = Grant.from_dict(doc)
        except (KeyError, TypeError, ValueError, AttributeError):
            out.append(f"{path}: grant record {doc_id} cannot be read")
            continue
        if g.role not in ROLES:
            out.append(f"{path}: {g.user} has unknown role {g.role!r}")
        grants.append(g)
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
    files = [layout.settings, layout.grants] + layout.partition_files()
    for path in files:
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            continue
        if mode & stat.S_IRWXO:
            out.append(f"{path} is open to others (mode {stat.filemode(mode)}); "
                       f"run: chmod o-rwx {path}")
    return out
