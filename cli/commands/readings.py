"""``jixiao readings`` and ``jixiao reading ID``: how every 指标值 is read, and an officer settling
a reading once (issue 12)."""

from __future__ import annotations

from jixiao.core.errors import JixiaoError
from jixiao.core.language import say

from .common import open_store, write_output


def register(subparsers) -> None:
    """Add the ``readings`` and ``reading`` sub-commands."""
    p = subparsers.add_parser(
        "readings", help=say("list how every 指标值 is read; --review: the doubtful ones",
                             "列出每个指标值的解读；--review：只列待复核的"),
        description=say("Every indicator with the reading of its 指标值 (kind, operator, value, "
                        "unit, measure, period), where it came from (inferred, confirmed, "
                        "overridden) and, for a reading that needs review, why.",
                        "每个指标及其指标值的解读（类型、运算符、数值、单位、计量方式、期间）、解读来源"
                        "（推断、已确认、已覆盖），以及待复核的原因。"))
    p.add_argument("--review", action="store_true",
                   help=say("only readings that need review", "只列待复核的解读"))
    p.add_argument("--unit", metavar="CODE",
                   help=say("only this unit (comma-separate several)", "只列该单位（多个用逗号分隔）"))
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help=say("output format (default: table)", "输出格式（默认：table 表格）"))
    p.add_argument("-o", "--output", metavar="FILE",
                   help=say("write to FILE instead of stdout", "写入 FILE，而不是标准输出"))
    p.set_defaults(func=run_readings)

    r = subparsers.add_parser(
        "reading", help=say("confirm or override the reading of one 指标值 (admin)",
                            "确认或修改一个指标值的解读（管理员）"),
        description=say("Settle how one indicator's 指标值 is read: --confirm the inferred "
                        "reading, or give the facts that replace it; --clear goes back to the "
                        "inferred reading. Kept across re-imports while the 指标值 text is "
                        "unchanged; written by export-targets; every change is in `jixiao log`.",
                        "确定一个指标的指标值如何解读：--confirm 确认推断的解读，或给出替代它的各项；"
                        "--clear 恢复自动推断。指标值文字不变时，重新导入也会保留；export-targets 会"
                        "写出它；每次更改都记入 jixiao log。"))
    r.add_argument("indicator", metavar="ID",
                   help=say("the indicator id (jixiao readings lists them)",
                            "指标编号（jixiao readings 会列出）"))
    what = r.add_mutually_exclusive_group()
    what.add_argument("--confirm", action="store_true",
                      help=say("the inferred reading is right", "推断的解读是对的"))
    what.add_argument("--clear", action="store_true",
                      help=say("back to the inferred reading", "恢复自动推断的解读"))
    r.add_argument("--op", metavar="OP",
                   help=say("≥ ≤ > < = (or >= <=), range, qualitative or deadline",
                            "≥ ≤ > < =（或 >= <=）、range（区间）、qualitative（定性）或 deadline（时限）"))
    r.add_argument("--value", metavar="V",
                   help=say("the number; LOW-HIGH for a range", "数值；区间写 下限-上限"))
    r.add_argument("--unit", metavar="U",
                   help=say("the unit, e.g. 个, 万元, 元/人, %%", "单位，例如 个、万元、元/人、%%"))
    r.add_argument("--measure", metavar="M",
                   help=say("cumulative (累计) or level (水平)", "cumulative（累计）或 level（水平）"))
    r.add_argument("--start", metavar="DATE",
                   help=say("the period starts on DATE (YYYY-MM-DD)", "期间的起始日期（YYYY-MM-DD）"))
    r.add_argument("--end", metavar="DATE",
                   help=say("the period ends / the target is due on DATE",
                            "期间的结束日期，或目标的截止日期"))
    r.add_argument("--wanted", metavar="ANSWER",
                   help=say("qualitative: which answer meets it, yes (是) or no (否, for a target "
                            "written as a negative such as 无 or 零发生)",
                            "定性：哪个答复算达成，yes（是）或 no（否，用于写成否定式的目标，如 无、零发生）"))
    r.set_defaults(func=run_reading)


def run_readings(args) -> int:
    """List the readings (all, or those that need review)."""
    from jixiao.core import reading_list

    units = tuple(u.strip() for u in (args.unit or "").split(",") if u.strip())
    dataset = open_store(args, needs="tables").load()
    rows = reading_list.reading_rows(dataset, review_only=args.review, units=units)
    lang = getattr(args, "lang", "zh")
    if args.format == "json":
        text = reading_list.format_json(rows, lang)
    elif args.format == "csv":
        text = reading_list.format_csv(rows, lang)
    else:
        text = reading_list.format_table(rows, lang=lang)
    write_output(text, args.output)
    return 0


def run_reading(args) -> int:
    """Confirm, override or clear one reading; print it and the colour it now gives."""
    from jixiao.core.colours import colour_word
    from jixiao.core.overrides import OverrideError, indicator_target, make_override
    from jixiao.core.reading_list import SOURCE_NAMES
    from jixiao.core.rules import indicator_status
    from jixiao.core.targets import describe, parse_target

    store = open_store(args, needs="tables")
    indicator, project = store.find_indicator(args.indicator)
    facts = dict(op=args.op, value=args.value, unit=args.unit, measure=args.measure,
                 start=args.start, end=args.end, wanted=args.wanted)
    if args.clear:
        if any(v not in (None, "") for v in facts.values()):
            raise JixiaoError("--clear goes back to the inferred reading; it takes no other "
                              "option", zh="--clear 回到推断的解读，不能与其他选项同用")
        override = None
    else:
        try:
            override = make_override(indicator.target_text, confirm=args.confirm,
                                     inferred=parse_target(
                                         indicator.target_text, year=project.year,
                                         level1=indicator.level1, category=indicator.category,
                                         name=indicator.name), **facts)
        except OverrideError as exc:
            raise JixiaoError(f"{exc}; nothing was changed", zh=f"{exc.zh}；未做任何更改") from None
    indicator = store.set_reading(indicator.id, override)
    lang = getattr(args, "lang", "zh")
    target = indicator_target(indicator, project.year)
    print(f"{indicator.id} {indicator.name} · {indicator.target_text}")
    print(f"{SOURCE_NAMES['en' if lang == 'en' else 'zh'][target.source]}"
          f"{': ' if lang == 'en' else '：'}{describe(target, lang)}")
    dataset = store.load()
    settings = dataset.settings
    entry = dataset.counting_progress(indicator.id, settings.as_of)
    status = indicator_status(indicator, entry, settings.as_of, settings, project.year)
    print(f"{colour_word(status.colour, lang)}  {status.reason(lang)}")
    return 0
