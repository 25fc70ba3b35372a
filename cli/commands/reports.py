"""``jixiao snapshot``, ``diff``, ``report`` and ``export-monitoring`` (issue 6).

Thin: each handler loads the data, asks ``core`` for the document and writes it out.
"""

from __future__ import annotations

from jixiao.core.language import current, say

import sys
from datetime import datetime
from pathlib import Path

from jixiao.core.errors import JixiaoError
from jixiao.core.faults import os_detail

from ..progress import progress
from .common import open_store, refuse_workbook_on_terminal, write_output


def register(sub) -> None:
    """Add the four report sub-commands to ``sub``."""
    p = sub.add_parser("snapshot", help=say("write the JSON snapshot of every indicator at a date",
                                         "导出某一日期全部指标的 JSON 快照"),
                       description=say("Write one JSON document with every unit, project and "
                                       "indicator, its counting progress entry and its status.",
                                       "写出一个 JSON 文档：每个单位、项目和指标，及其计入的进度记录和状态。"))
    when = p.add_mutually_exclusive_group()
    when.add_argument("--quarter", metavar="YYYYQn", help=say("as of the quarter's last day, e.g. 2023Q2",
                                                                         "截至该季度最后一天，例如 2023Q2"))
    when.add_argument("--as-of", metavar="DATE", help=_as_of_help())
    p.add_argument("-o", "--output", metavar="FILE", help=_output_help())
    p.add_argument("--generated-at", metavar="TS",
                   help=say("pin generated_at (ISO timestamp) so two runs are byte-identical",
                            "固定 generated_at（ISO 时间戳），使两次输出逐字节相同"))
    p.set_defaults(func=cmd_snapshot)

    p = sub.add_parser("diff", help=say("what changed between two snapshots", "比较两个快照的变化"),
                       description=say("Colour changes (worsened first), newly final indicators, "
                                       "changed targets, added/removed indicators, counts per unit.",
                                       "状态变化（变差的在前）、新定论的指标、改动的指标值、"
                                       "新增和删除的指标、各单位的计数。"))
    p.add_argument("old", metavar="OLD.json")
    p.add_argument("new", metavar="NEW.json")
    p.add_argument("--format", choices=("table", "json"), default="table", help=_format_help())
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("report", help=say("list indicators with status and reason (headless)",
                                          "列出指标及其状态和原因（无界面）"),
                       description=say("A listing for a terminal, a cron job or an e-mail.",
                                       "供终端、定时任务或邮件使用的清单。"))
    p.add_argument("--only", metavar="COLOURS", help=say("only these colours, e.g. red,amber",
                                                         "只列这些状态，例如 red,amber"))
    p.add_argument("--unit", metavar="CODE", help=say("only this unit (comma-separate several)",
                                                      "只列该单位（多个用逗号分隔）"))
    p.add_argument("--as-of", metavar="DATE", help=_as_of_help())
    p.add_argument("--quarter", metavar="YYYYQn", help=_quarter_help())
    p.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table",
                   help=say("xlsx: an Excel workbook, colours as glyph, word and fill (needs -o)",
                            "xlsx：Excel 工作簿，状态以符号、文字和底色表示（需要 -o）"))
    p.add_argument("-o", "--output", metavar="FILE", help=_output_help())
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("export-monitoring",
                       help=say("write the 项目支出绩效目标执行监控表 (CSV or Excel)",
                                "导出项目支出绩效目标执行监控表（CSV 或 Excel）"),
                       description=say("The standard monitoring table, grouped by unit and project: "
                                       "CSV (UTF-8 with BOM for Excel), or a formatted Excel workbook "
                                       "like the official form, one sheet per project after a 汇总 sheet.",
                                       "标准监控表，按单位和项目分组：CSV（带 BOM 的 UTF-8，Excel 可直接打开），"
                                       "或与正式表格同样格式的 Excel 工作簿，汇总表之后每个项目一张表。"))
    p.add_argument("--as-of", metavar="DATE", help=_as_of_help())
    p.add_argument("--quarter", metavar="YYYYQn", help=_quarter_help())
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv",
                   help=say("output format (default: csv)", "输出格式（默认：csv）"))
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help=say("the file to write", "要写入的文件"))
    p.set_defaults(func=cmd_export_monitoring)


def _as_of_help() -> str:
    return say("as of YYYY-MM-DD (default: the monitoring date)", "截至 YYYY-MM-DD（默认：监控日期）")


def _quarter_help() -> str:
    return say("as of the quarter's last day", "截至该季度最后一天")


def _output_help() -> str:
    return say("write to FILE instead of stdout", "写入 FILE，而不是标准输出")


def _format_help() -> str:
    return say("output format (default: table)", "输出格式（默认：table 表格）")


def load_dataset(args, doing: str):
    """The store's dataset to report on, after checking that the acting user may ``doing``
    (``PermissionDenied``, exit 3, otherwise)."""
    store = open_store(args, needs="tables")
    store.require_reporter(doing)
    return store.load()


def resolve_as_of(args, dataset) -> str:
    """The as-of date chosen by ``--quarter`` or ``--as-of``, else the monitoring date."""
    from jixiao.core.periods import as_of_problem, iso_date
    from jixiao.core.snapshot import quarter_end

    if getattr(args, "quarter", None) and getattr(args, "as_of", None):
        raise JixiaoError("give either --quarter or --as-of, not both",
                          zh="--quarter 和 --as-of 只能给一个")
    if getattr(args, "quarter", None):
        as_of = quarter_end(args.quarter)
    elif getattr(args, "as_of", None):
        as_of = iso_date(args.as_of, "--as-of")
    else:
        return dataset.settings.as_of
    # The monitoring date settings accepts, and no other: a date in another year colours every
    # indicator grey, which reads as an empty all-clear in a cron mail.
    problem = as_of_problem(as_of, dataset.settings.year)
    if problem is not None:
        raise JixiaoError(problem)
    return as_of


def cmd_snapshot(args) -> int:
    """``jixiao snapshot``."""
    from jixiao.core.snapshot import build_snapshot, write_snapshot

    if args.generated_at is not None:
        try:
            datetime.fromisoformat(args.generated_at)
        except ValueError:
            raise JixiaoError(f"--generated-at needs an ISO timestamp, e.g. 2023-07-01T09:00:00+08:00, "
                              f"not {args.generated_at!r}",
                              zh=f"--generated-at 需要 ISO 时间戳，例如 2023-07-01T09:00:00+08:00，"
                                 f"而不是 {args.generated_at!r}") from None
    dataset = load_dataset(args, "take a snapshot")
    with progress("snapshot") as advance:
        doc = build_snapshot(dataset, resolve_as_of(args, dataset), generated_at=args.generated_at)
        advance(len(dataset.indicators))
        write_output(lambda fh: write_snapshot(doc, fh), args.output)
    if args.output:
        c = doc["counts"]
        from jixiao.core.colours import colour_word
        counts = say(", ", "，").join(f"{n} {colour_word(colour, current())}"
                                     for colour, n in c.items())
        print(say(f"wrote {args.output}: as of {doc['as_of']}, {counts}",
                  f"已写入 {args.output}：截至 {doc['as_of']}，{counts}"), file=sys.stderr)
    return 0


def _read(path: str) -> bytes:
    try:
        return Path(path).expanduser().read_bytes()
    except OSError as exc:
        detail = os_detail(exc)
        raise JixiaoError(f"cannot read {path}: {detail.en}",
                          zh=f"无法读取 {path}：{detail.zh}") from None


def cmd_diff(args) -> int:
    """``jixiao diff OLD.json NEW.json``."""
    from jixiao.core.snapshot_diff import diff_snapshots, dump_diff, format_diff, read_snapshot

    old = read_snapshot(_read(args.old), label=args.old)
    new = read_snapshot(_read(args.new), label=args.new)
    diff = diff_snapshots(old, new)
    if args.format == "json":
        write_output(dump_diff(diff), None)
    else:
        write_output(format_diff(diff, lang=args.lang), None)
    return 0


def cmd_report(args) -> int:
    """``jixiao report``."""
    from jixiao.core import report
    from jixiao.core.snapshot import build_snapshot

    only = report.parse_only(args.only)
    units = tuple(u.strip() for u in (args.unit or "").split(",") if u.strip())
    refuse_workbook_on_terminal(args)
    dataset = load_dataset(args, "run a report")
    doc = build_snapshot(dataset, resolve_as_of(args, dataset), generated_at="")
    rows = report.report_rows(doc, only=only, units=units)
    if args.format == "xlsx":
        from jixiao.core.formats.xlsx_export import report_workbook, save

        with progress("report", total=len(rows)) as advance:
            book = report_workbook(rows, lang=args.lang, advance=advance)
            write_output(lambda fh: save(book, fh), args.output, binary=True)
        return 0
    if args.format == "json":
        text = report.format_json(doc, rows, only=only, units=units)
    elif args.format == "csv":
        text = report.format_csv(rows)
    else:
        text = report.format_table(doc, rows, lang=args.lang, only=only)
    write_output(text, args.output)
    return 0


def cmd_export_monitoring(args) -> int:
    """``jixiao export-monitoring``."""
    from jixiao.core.monitoring_table import monitoring_csv

    dataset = load_dataset(args, "export the monitoring table")
    as_of = resolve_as_of(args, dataset)
    if args.format == "xlsx":
        from jixiao.core.formats.xlsx_export import monitoring_workbook, save

        from jixiao.core.snapshot import snapshot_year

        year = snapshot_year(dataset, as_of)
        total = sum(1 for p in dataset.projects.values() if p.year == year)
        with progress("export-monitoring", total=total) as advance:
            book = monitoring_workbook(dataset, as_of, advance=advance)
            write_output(lambda fh: save(book, fh), args.output, binary=True)
    else:
        write_output(monitoring_csv(dataset, as_of), args.output, encoding="utf-8-sig")
    print(say(f"wrote {args.output}: 项目支出绩效目标执行监控表 as of {as_of}",
              f"已写入 {args.output}：项目支出绩效目标执行监控表，截至 {as_of}"), file=sys.stderr)
    return 0
