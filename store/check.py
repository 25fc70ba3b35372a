"""``jixiao check``: verify a whole data directory without changing anything."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

from jixiao.core.errors import JixiaoError
from jixiao.core import language
from jixiao.core.overrides import OverrideError, ReadingOverride

from .grants import ROLES
from jixiao.core.faults import say

from .confined import dir_message, link_message
from .index import check_index, missing_units
from .layout import Layout, file_stem
from .partition import read_partition


def check_directory(layout: Layout) -> list[str]:
    """The problems of the data directory described by ``layout``; reads only. A damaged file
    is one problem, whose message says whether its ``.bak`` can replace it."""
    root = layout.root
    if not root.exists():
        return [language.say(f"{root} does not exist: import a table with `jixiao import FILE` (which "
                    "creates it), or check --data / $JIXIAO_DATA",
                    f"{root} 不存在：请用 jixiao import 文件 导入目标表（会创建该目录），"
                    "或检查 --data 或 $JIXIAO_DATA")]
    if not root.is_dir():
        return [language.say(f"{root} is not a directory", f"{root} 不是目录")]
    if not layout.holds_data():
        return [language.say(f"{root} holds no jixiao data: import a table with `jixiao import FILE`, or "
                    "check --data / $JIXIAO_DATA",
                    f"{root} 中没有 jixiao 数据：请用 jixiao import 文件 导入目标表，"
                    "或检查 --data 或 $JIXIAO_DATA")]
    problems: list[str] = []
    # Links first: every later check reads files, and advice must never name a path that
    # goes through a link (a chmod through it would change a file outside the store).
    links = _links(layout)
    problems += links
    problems += _check_entries(layout)
    problems += _check_settings(layout.settings)
    problems += _check_grants(layout.grants)
    seen_ids: dict[str, Path] = {}
    for path in layout.partition_files():
        if any(p.is_symlink() for p in (path, path.parent, path.parent.parent)):
            continue  # reported as a link; its advice (cp -p …) would go through the link
        problems += _check_partition(path, seen_ids)
    problems += check_index(layout)
    problems += [str(gone) for gone in missing_units(layout)]
    if not links:
        problems += _check_modes(layout)
    # A link is met again by every reader of the file behind it: say it once.
    return list(dict.fromkeys(problems))


def _links(layout: Layout) -> list[str]:
    """Every symbolic link inside the data directory, where only jixiao's own files and
    directories belong (the directory itself may be a link: the admin chose it)."""
    out = []
    for path in _tree(layout.root):
        if path.is_symlink():
            out.append(link_message(path, _readlink(path)))
    return out


def _tree(root: Path) -> list[Path]:
    """The entries of the data directory, ``units`` and its year directories, without going
    through a link."""
    out = []
    stack = [(root, 0)]
    while stack:
        here, depth = stack.pop()
        try:
            names = sorted(os.listdir(here))
        except OSError:
            continue
        for name in names:
            p = here / name
            out.append(p)
            if depth < 2 and not p.is_symlink() and p.is_dir() and (
                    depth == 1 or name == "units"):
                stack.append((p, depth + 1))
    return out


def _readlink(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _check_entries(layout: Layout) -> list[str]:
    """Directories where jixiao's files belong. (A ``.tmp`` file a killed writer left behind is
    not a problem: it has a random name, is never read, and holds nothing acknowledged.)"""
    out = []
    for path in _tree(layout.root):
        if path.is_symlink():
            continue
        name = path.name
        if path.is_dir() and name.endswith((".json", ".bak", ".lock")):
            out.append(dir_message(path))
    return out


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
    out = [language.say(f"{path}: {g.user} has unknown role {g.role!r}",
               f"{path}：{g.user} 的角色 {g.role!r} 未知") for g in grants if g.role not in ROLES]
    if grants and not any(g.role == "admin" for g in grants):
        out.append(language.say(f"{path}: no admin is granted; nobody can change grants",
                       f"{path}：没有授权任何 admin（管理员），没人能修改授权"))
    return out


def _check_partition(path: Path, seen_ids: dict[str, Path]) -> list[str]:
    try:
        part, _ = read_partition(path)
    except JixiaoError as exc:
        return [exc.message]
    out = []
    if path.stem != file_stem(part.unit.code):
        out.append(language.say(f"{path} holds unit {part.unit.code}, which belongs in "
                       f"{file_stem(part.unit.code)}.json; move it back",
                       f"{path} 存的是单位 {part.unit.code}，应在 {file_stem(part.unit.code)}.json 中；"
                       "请移回"))
    pids = set()
    for p in part.projects:
        pids.add(p.id)
        if p.unit_code != part.unit.code or p.year != part.key.year:
            out.append(language.say(f"{path}: project {p.id} ({p.name}) is of unit {p.unit_code} year "
                           f"{p.year}, not of this file's unit {part.unit.code} year {part.key.year}",
                           f"{path}：项目 {p.id}（{p.name}）属于单位 {p.unit_code} {p.year} 年度，"
                           f"不属于本文件的单位 {part.unit.code} {part.key.year} 年度"))
    for i in part.indicators:
        if i.project_id not in pids:
            out.append(language.say(f"{path}: indicator {i.id} ({i.name}) names a project that is not here",
                           f"{path}：指标 {i.id}（{i.name}）所属的项目不在本文件中"))
        if i.id in seen_ids:
            out.append(language.say(f"{path}: indicator id {i.id} also appears in {seen_ids[i.id]}",
                           f"{path}：指标编号 {i.id} 也出现在 {seen_ids[i.id]} 中"))
        seen_ids[i.id] = path
        if i.reading is not None:
            try:
                ReadingOverride.from_dict(i.reading)
            except OverrideError as exc:
                out.append(language.say(
                    f"{path}: indicator {i.id} ({i.name}) has a settled reading that cannot be "
                    f"read ({exc}); the inferred reading counts until an admin settles it again "
                    f"with `jixiao reading {i.id}`",
                    f"{path}：指标 {i.id}（{i.name}）已确认的指标值解读无法读取（{exc}）；在管理员用 "
                    f"`jixiao reading {i.id}` 重新确认之前按自动推断的解读处理"))
    ids = set()
    for e in part.progress + part.spending:
        if e.id in ids:
            out.append(language.say(f"{path}: entry id {e.id} appears twice",
                           f"{path}：记录编号 {e.id} 出现了两次"))
        ids.add(e.id)
        try:
            date.fromisoformat(e.as_of)
        except ValueError:
            out.append(language.say(f"{path}: entry {e.id} has a bad date {e.as_of!r}",
                           f"{path}：记录 {e.id} 的日期 {e.as_of!r} 有误"))
    for e in part.spending:
        if e.project_id not in pids:
            out.append(language.say(f"{path}: spending entry {e.id} names a project that is not here",
                           f"{path}：支出记录 {e.id} 所属的项目不在本文件中"))
    return out


def _check_modes(layout: Layout) -> list[str]:
    # Called only when no link was found inside; the advice names the real path of the data
    # directory, so even a link above it (chosen by the admin) is not in the command.
    real = Path(os.path.realpath(layout.root))
    out = []
    files = [layout.settings, layout.grants, layout.index] + layout.partition_files()
    for path in files:
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISREG(mode) and mode & stat.S_IRWXO:
            shown = real / path.relative_to(layout.root)
            out.append(say("open_to_others", path=shown, mode=stat.filemode(mode)))
    return out
