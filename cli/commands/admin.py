"""``jixiao check`` and ``jixiao settings``: verify the data directory, show or change settings."""

from __future__ import annotations

from jixiao.core.language import current, say

import argparse
from dataclasses import fields, replace

from jixiao.core.periods import iso_date
from jixiao.core.model import Thresholds, year_default_as_of
from jixiao.core.text import visible
from jixiao.core.textwidth import pad, width
from jixiao.core.words import threshold_name

from .common import data_dir, db_url, open_store


def register(subparsers) -> None:
    """Add the ``check`` and ``settings`` sub-commands."""
    c = subparsers.add_parser(
        "check", help=say("verify every file of the data directory (changes nothing)",
                          "检查数据目录中的每个文件（不做任何更改）"),
        description=say("Read every file of the data directory and report damaged, foreign or "
                        "newer-schema files, broken references and loose permissions. Exit status "
                        "0 when all is well, 2 when there are problems. Nothing is changed.",
                        "读取数据目录中的每个文件，报告损坏、外来或更新版本格式的文件、失效的引用和过宽的权限。"
                        "一切正常时退出状态为 0，有问题时为 2。不做任何更改。"))
    c.set_defaults(func=run_check)

    s = subparsers.add_parser(
        "settings", help=say("show or change the year, monitoring date and thresholds",
                             "查看或修改年度、监控日期和阈值"),
        description=say("Without options: show the settings. With options: change them (admin "
                        "only); the change is logged.",
                        "不带选项：显示设置。带选项：修改设置（仅管理员），修改会记入日志。"))
    s.add_argument("--year", type=int, help=say("budget year", "预算年度"))
    s.add_argument("--as-of", metavar="DATE", help=say("monitoring date 监控日期 (YYYY-MM-DD)",
                                                       "监控日期（YYYY-MM-DD）"))
    s.add_argument("--threshold", action="append", default=[], metavar="NAME=VALUE",
                   type=_threshold, help=say("a status threshold, e.g. red_below=0.5 (repeatable)",
                                             "状态阈值，例如 red_below=0.5（可重复）"))
    s.set_defaults(func=run_settings)


def _threshold(text: str) -> tuple[str, float]:
    names = [f.name for f in fields(Thresholds)]
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or name not in names:
        raise argparse.ArgumentTypeError(say(f"expected NAME=VALUE with NAME one of {', '.join(names)}",
                                             f"应为 NAME=VALUE，NAME 取 {', '.join(names)} 之一"))
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(say(f"{name}: {value!r} is not a number",
                                             f"{name}：{value!r} 不是数字")) from None
    if name == "deadline_warning_days":
        if not number.is_integer():
            raise argparse.ArgumentTypeError(say("deadline_warning_days must be a whole number",
                                                 "deadline_warning_days 必须是整数"))
        number = int(number)
    return name, number


def run_check(args) -> int:
    """Print the problems of the data directory; exit 2 if there are any."""
    from jixiao.store.repository import Store

    url = db_url(args)
    if url:
        # The server keeps the database consistent (constraints, privileges, append-only
        # history): opening the store checks the schema version and this role's access.
        open_store(args, needs="any")
        print(say(f"{url}: ok (the jixiao schema is current; the server enforces the rest)",
                  f"{url}：正常（jixiao 模式为最新版本；其余由服务器保证）"))
        return 0
    path = data_dir(args)
    problems = Store(path).check()
    for p in problems:
        print(say("problem: ", "问题：") + visible(str(p)))  # one problem, one line
    if problems:
        print(say(f"{len(problems)} problem(s) in {path}; nothing was changed",
                  f"{path} 中有 {len(problems)} 个问题；未做任何更改"))
        return 2
    files = len(Store(path).layout.partition_files())
    print(say(f"{path}: ok ({files} unit-year file(s), settings and grants readable)",
              f"{path}：正常（{files} 个单位年度文件，设置和授权均可读取）"))
    return 0


def run_settings(args) -> int:
    """Show the settings, after changing them when options were given."""
    changing = args.year is not None or args.as_of is not None or bool(args.threshold)
    store = open_store(args, needs="nothing" if changing else "any")
    settings = store.settings()
    if changing:
        thresholds = replace(settings.thresholds, **dict(args.threshold))
        year = settings.year if args.year is None else args.year
        # Checked here, under the flag's own name, so the refusal is in the user's language.
        as_of = settings.as_of if args.as_of is None else iso_date(args.as_of.strip(), "--as-of")
        if args.as_of is None and not as_of.startswith(f"{year}-"):
            # A new year alone moves the monitoring date into it (its last day, or today).
            as_of = year_default_as_of(year)
        new = replace(settings, year=year, as_of=as_of, thresholds=thresholds)
        store.save_settings(new)
        settings = store.settings()
        print(say("settings changed", "设置已修改"))
    elif not store.has_settings():
        print(say("(defaults: no settings stored yet)", "（默认值：尚未保存设置）"))
    if current() == "en":
        print(f"year      {settings.year}")
        print(f"as_of     {settings.as_of}")
        for name, value in settings.thresholds.to_dict().items():
            print(f"{name:<22}{value}")
        return 0
    # Each threshold by its Chinese name, with the key --threshold takes beside it.
    rows = [("年度", settings.year), ("监控日期", settings.as_of)] + [
        (threshold_name(name), value) for name, value in settings.thresholds.to_dict().items()]
    column = max(width(name) for name, _ in rows) + 2
    for name, value in rows:
        print(f"{pad(name, column)}{value}")
    return 0
