"""``jixiao readings`` and ``jixiao reading ID``: how every 指标值 is read, and an officer settling
a reading once (issue 12)."""

from __future__ import annotations

from jixiao.core.errors import JixiaoError

from .common import open_store, write_output


def register(subparsers) -> None:
    """Add the ``readings`` and ``reading`` sub-commands."""
    p = subparsers.add_parser(
        "readings", help="list how every 指标值 is read; --review: the doubtful ones",
        description="Every indicator with the reading of its 指标值 (kind, operator, value, "
                    "unit, measure, period), where it came from (inferred, confirmed, "
                    "overridden) and, for a reading that needs review, why.")
    p.add_argument("--review", action="store_true", help="only readings that need review")
    p.add_argument("--unit", metavar="CODE", help="only this unit (comma-separate several)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=run_readings)

    r = subparsers.add_parser(
        "reading", help="confirm or override the reading of one 指标值 (admin)",
        description="Settle how one indicator's 指标值 is read: --confirm the inferred reading, "
                    "or give the facts that replace it; --clear goes back to the inferred "
                    "reading. Kept across re-imports while the 指标值 text is unchanged; "
                    "written by export-targets; every change is in `jixiao log`.")
    r.add_argument("indicator", metavar="ID", help="the indicator id (jixiao readings lists them)")
    what = r.add_mutually_exclusive_group()
    what.add_argument("--confirm", action="store_true", help="the inferred reading is right")
    what.add_argument("--clear", action="store_true", help="back to the inferred reading")
    r.add_argument("--op", metavar="OP",
                   help="≥ ≤ > < = (or >= <=), range, qualitative or deadline")
    r.add_argument("--value", metavar="V", help="the number; LOW-HIGH for a range")
    r.add_argument("--unit", metavar="U", help="the unit, e.g. 个, 万元, 元/人, %%")
    r.add_argument("--measure", metavar="M", help="cumulative (累计) or level (水平)")
    r.add_argument("--start", metavar="DATE", help="the period starts on DATE (YYYY-MM-DD)")
    r.add_argument("--end", metavar="DATE", help="the period ends / the target is due on DATE")
    r.add_argument("--wanted", metavar="ANSWER",
                   help="qualitative: which answer meets it, yes (是) or no (否, for a target "
                        "written as a negative such as 无 or 零发生)")
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
    print(f"{SOURCE_NAMES['en' if lang == 'en' else 'zh'][target.source]}: "
          f"{describe(target, lang)}")
    dataset = store.load()
    settings = dataset.settings
    entry = dataset.counting_progress(indicator.id, settings.as_of)
    status = indicator_status(indicator, entry, settings.as_of, settings, project.year)
    print(f"{colour_word(status.colour, lang)}  {status.reason(lang)}")
    return 0
