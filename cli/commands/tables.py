"""``jixiao import FILE`` and ``jixiao export-targets``: target tables in and out of the store."""

from __future__ import annotations

from jixiao.core.language import say

import io
import sys
from pathlib import Path

from jixiao.core.text import visible
from jixiao.store.exports import write_atomically

from ..progress import progress
from .common import open_store, parse_year, refuse_workbook_on_terminal, write_output

_KINDS = {"text": ("Word text layout", "Word 文本格式"), "csv": ("CSV", "CSV"),
          "docx": ("Word document", "Word 文档"), "xlsx": ("Excel workbook", "Excel 工作簿")}


def register(subparsers) -> None:
    """Add the ``import`` and ``export-targets`` sub-commands."""
    p = subparsers.add_parser(
        "import", help=say("import target tables (Word .docx, Excel .xlsx, Word text export or CSV)",
                           "导入绩效目标表（Word .docx、Excel .xlsx、Word 导出的文本或 CSV）"),
        description=say("Import 项目支出绩效目标表: the published Word documents (.docx) or their text "
                        "export, an Excel workbook (.xlsx, every sheet with the columns) or a flat CSV "
                        "with one row per indicator. Files are judged by their content, not their name. "
                        "Re-importing is safe: unchanged rows stay as they are and matched indicators "
                        "keep their progress.",
                        "导入项目支出绩效目标表：公开的 Word 文件（.docx）或其导出的文本、Excel 工作簿"
                        "（.xlsx，含这些列的每张表）或每个指标一行的 CSV。按文件内容而不是文件名判断格式。"
                        "可以重复导入：未变的行保持原样，匹配到的指标保留已记录的进度。"))
    p.add_argument("file", metavar="FILE", help=say("a .docx, .xlsx, .csv or .txt (Word text export) file",
                                                   ".docx、.xlsx、.csv 或 .txt（Word 导出的文本）文件"))
    p.add_argument("--year", type=parse_year, help=say(
        "budget year of the tables (default: named in the tables, else the current year)",
        "目标表的预算年度（默认：表中写明的年度，否则今年）"))
    p.add_argument("--dry-run", action="store_true",
                   help=say("show what would be added, changed and left alone; store nothing",
                            "只显示将新增、修改和保留的内容，不保存"))
    p.set_defaults(func=run_import)

    e = subparsers.add_parser(
        "export-targets", help=say("write the target tables as CSV or an Excel workbook",
                                   "把目标表导出为 CSV 或 Excel 工作簿"),
        description=say("Write every project's target table, one row per indicator, as CSV or as an "
                        "Excel workbook with the same columns (headers in Chinese, or English with "
                        "--lang en). Importing the file again changes nothing.",
                        "导出每个项目的目标表，每个指标一行，为 CSV 或列相同的 Excel 工作簿（表头为中文，"
                        "--lang en 时为英文）。再导入该文件不会改变任何内容。"))
    e.add_argument("--format", choices=("csv", "xlsx"), default="csv",
                   help=say("output format (default: csv)", "输出格式（默认：csv）"))
    e.add_argument("-o", "--output", metavar="FILE",
                   help=say("write to FILE (CSV: UTF-8 with BOM, as Excel expects) instead of standard output",
                            "写入 FILE（CSV 为带 BOM 的 UTF-8，Excel 可直接打开），而不是标准输出"))
    e.add_argument("--year", type=parse_year, help=say("only the projects of this budget year",
                                                       "只导出该预算年度的项目"))
    e.set_defaults(func=run_export)


def run_import(args) -> int:
    """Read FILE, plan the import against the store, store it unless ``--dry-run``, report."""
    from jixiao.core.importing import plan_import, report_lines
    from jixiao.core.tables import read_tables

    with progress(f"import {args.file}", total=3) as advance:
        # Read the whole file first: a malformed table fails before the store is even opened.
        tables = read_tables(args.file)
        advance(1)
        store = open_store(args, needs="nothing")
        plan = plan_import(tables, store.load(), year=args.year)
        advance(1)
        if not args.dry_run and not plan.is_noop:
            store.apply_import(plan)
        advance(1)
    kind = _KINDS.get(tables.source)
    kind = say(*kind) if kind else tables.source
    print(say(f"{args.file} ({kind}): {len(tables.tables)} project tables",
              f"{args.file}（{kind}）：{len(tables.tables)} 张项目目标表"))
    # One report line per item: a name holding a line break (a multi-paragraph Word cell)
    # shows it as ␊ rather than starting a line of its own.
    print("\n".join(visible(line) for line in report_lines(plan, dry_run=args.dry_run)))
    return 0


def run_export(args) -> int:
    """Write the stored target tables as CSV or a workbook to ``-o FILE`` or standard output."""
    from jixiao.core.tables import write_csv

    refuse_workbook_on_terminal(args)
    dataset = open_store(args, needs="tables").load()
    lang = getattr(args, "lang", "zh")
    if args.format == "xlsx":
        return _export_xlsx(args, dataset, lang)
    if not args.output:
        write_csv(dataset, sys.stdout, lang=lang, year=args.year)
        return 0
    buf = io.StringIO(newline="")
    rows = write_csv(dataset, buf, lang=lang, year=args.year)
    target = Path(args.output).expanduser()
    write_atomically(target, buf.getvalue(), encoding="utf-8-sig")
    print(say(f"wrote {rows} indicator rows to {target}", f"已把 {rows} 行指标写入 {target}"))
    return 0


def _export_xlsx(args, dataset, lang: str) -> int:
    from jixiao.core.formats.xlsx_export import save, targets_workbook

    projects = [p for p in dataset.projects.values() if args.year is None or p.year == args.year]
    total = sum(len(dataset.indicators_of(p.id)) for p in projects)
    with progress("export-targets", total=total) as advance:
        workbook = targets_workbook(dataset, lang=lang, year=args.year, advance=advance)
        write_output(lambda fh: save(workbook, fh), args.output, binary=True)
    if args.output:
        where = Path(args.output).expanduser()
        print(say(f"wrote {total} indicator rows to {where}", f"已把 {total} 个指标行写入 {where}"))
    return 0
