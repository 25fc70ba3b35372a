"""``jixiao record``, ``jixiao spend`` and ``jixiao explain``: progress and spending from the
command line, and how a 指标值 is read."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from jixiao.core.errors import JixiaoError
from jixiao.core import faults
from jixiao.core.language import current, say
from jixiao.core.numbers import format_number
from jixiao.core.periods import iso_date
from jixiao.core.text import visible
from jixiao.core.textwidth import pad
from jixiao.core.words import (CAUSES, GRADES, LIKELIHOODS, choice_term, choice_words, english,
                               value_word)

from .common import open_store, parse_year

_LABELS = {
    "en": {"recorded": "recorded", "spent": "recorded spending", "as_of": "as of",
           "status": "status", "after": "note: dated after the monitoring date {d}; it counts "
                                        "from {e} on",
           "lower": "warning: {s} 万元 is less than the {p} 万元 reported as of {d}; cumulative "
                    "spending should not fall — recorded anyway, as a correction",
           "higher": "warning: {s} 万元 is more than the {p} 万元 reported as of the later "
                     "date {d}; cumulative spending should not fall — recorded anyway",
           "text": "target", "kind": "kind", "op": "operator", "value": "value", "low": "low",
           "high": "high", "unit": "unit", "deadline": "deadline", "direction": "direction",
           "measure": "measure", "note": "note", "review": "review", "record": "to record",
           "reading": "read as", "actual": "actual", "forecast": "forecast"},
    "zh": {"recorded": "已记录", "spent": "已记录支出", "as_of": "截至",
           "status": "状态", "after": "注意：晚于监控日期{d}，自{e}起才计入",
           "lower": "警告：{s} 万元少于截至{d}已报的 {p} 万元；累计支出不应减少——已按更正记录",
           "higher": "警告：{s} 万元多于截至较晚日期{d}已报的 {p} 万元；累计支出不应减少——已记录",
           "text": "指标值", "kind": "类型", "op": "运算符", "value": "数值", "low": "下限",
           "high": "上限", "unit": "单位", "deadline": "截止日期", "direction": "方向",
           "measure": "计量", "note": "备注", "review": "需复核", "record": "填报",
           "reading": "解读", "actual": "完成值", "forecast": "全年预计"},
}


def _choice(terms: tuple[str, ...], flag: str):
    """An argparse type taking one of ``terms`` as stored or by its English word
    (``--likelihood possible`` is 有可能); a refusal names every choice in the run's language."""
    def read(text: str) -> str:
        term = choice_term(text, terms)
        if term is None:
            raise argparse.ArgumentTypeError(say(
                f"{text!r} is not one of {_listed(terms)}",
                f"{text!r} 不是 {'、'.join(terms)} 之一"))
        return term
    read.__name__ = flag    # argparse names a failing type by its __name__
    return read


def _listed(terms: tuple[str, ...]) -> str:
    # The English word with the term beside it: "certain (确定能), possible (有可能), …".
    return choice_words(terms, "en")


def _metavar(terms: tuple[str, ...]) -> str:
    return "{" + ",".join(english(t) if current() == "en" else t for t in terms) + "}"


def register(subparsers) -> None:
    """Add the ``record``, ``spend`` and ``explain`` sub-commands."""
    r = subparsers.add_parser(
        "record", help=say("append a progress entry to an indicator and show its new status",
                           "为指标追加一条进度记录并显示新的状态"),
        description=say(
            "Append one progress entry (完成值 as of a date) to an indicator and print the status "
            "it gives. The value is written as a person writes it: 3, 3个, 0.5亿元, 2023-06-20 "
            "(a deadline met that day), 60% (percent done toward a deadline), a grade: achieved / "
            "partly achieved / not achieved (达成 / 部分达成 / 未达成; or 是/否, 合格/不合格, "
            "及时/不及时). An entry that leaves the indicator amber "
            "or red needs --cause and --measures. The date must lie in the project's budget year "
            "or the next.",
            "为指标追加一条进度记录（截至某日的完成值），并显示它得出的状态。完成值按平常的写法填写：3、3个、"
            "0.5亿元、2023-06-20（当天完成的时限）、60%（时限任务的完成百分比）、达成 / 部分达成 / 未达成"
            "（或 是/否、合格/不合格、及时/不及时）。使指标为黄或红的记录必须填写 --cause 和 --measures。"
            "日期须在项目的预算年度或次年之内。"))
    r.add_argument("indicator", metavar="INDICATOR_ID",
                   help=say("the indicator's id (shown in the UI)", "指标编号（界面中可见）"))
    r.add_argument("--actual", required=True, metavar="VALUE",
                   help=say("完成值 as of --as-of", "截至 --as-of 的完成值"))
    r.add_argument("--as-of", required=True, metavar="YYYY-MM-DD",
                   help=say("the date the value is as of", "完成值的截至日期"))
    r.add_argument("--forecast", metavar="VALUE",
                   help=say("全年预计完成情况, in the same form as --actual",
                            "全年预计完成情况，写法同 --actual"))
    r.add_argument("--likelihood", type=_choice(LIKELIHOODS, "likelihood"),
                   metavar=_metavar(LIKELIHOODS),
                   help=say("完成目标可能性, the likelihood of meeting the target: "
                            + _listed(LIKELIHOODS),
                            "完成目标可能性：" + "、".join(LIKELIHOODS)))
    r.add_argument("--cause", action="append", default=[], type=_choice(CAUSES, "cause"),
                   dest="causes", metavar=_metavar(CAUSES),
                   help=say("偏差原因, a cause of the shortfall (repeatable): " + _listed(CAUSES),
                            "偏差原因（可重复）：" + "、".join(CAUSES)))
    r.add_argument("--measures", metavar="TEXT", help=say("纠偏措施 (corrective measures)", "纠偏措施"))
    r.add_argument("--note", metavar="TEXT",
                   help=say("a remark kept with the entry", "随记录保存的备注"))
    r.set_defaults(func=run_record)

    s = subparsers.add_parser(
        "spend", help=say("record a project's cumulative spending and show its budget light",
                          "记录项目的累计支出并显示预算执行灯"),
        description=say("Append the cumulative spend (预算执行数, 万元) of a project as of a date "
                        "and print the budget-execution light it gives.",
                        "追加项目截至某日的累计预算执行数（万元），并显示它得出的预算执行灯。"))
    s.add_argument("project", metavar="PROJECT_ID",
                   help=say("the project's id (shown in the UI)", "项目编号（界面中可见）"))
    s.add_argument("--spent", required=True, metavar="AMOUNT",
                   help=say("cumulative spend in 万元 (or with a unit: 400000元, 0.5亿元)",
                            "累计支出，单位万元（也可带单位：400000元、0.5亿元）"))
    s.add_argument("--as-of", required=True, metavar="YYYY-MM-DD",
                   help=say("the date the amount is as of", "金额的截至日期"))
    s.add_argument("--note", metavar="TEXT",
                   help=say("a remark kept with the entry", "随记录保存的备注"))
    s.set_defaults(func=run_spend)

    e = subparsers.add_parser(
        "explain", help=say("show how jixiao reads a 指标值 (no data directory needed)",
                            "显示 jixiao 如何解读一个指标值（不需要数据目录）"),
        description=say("Print how a target text is read: kind, operator, number, unit, "
                        "deadline, direction, cumulative or level, and what an owner records "
                        "against it.",
                        "显示指标值的解读：类型、运算符、数值、单位、时限、方向、累计或水平，以及填报时应填写什么。"))
    e.add_argument("text", metavar="TARGET", help=say('the 指标值, e.g. "≥8个" or "2023年6月底前完成"',
                                                      '指标值，例如 "≥8个" 或 "2023年6月底前完成"'))
    e.add_argument("--category", default="", metavar="二级指标",
                   help=say("e.g. 数量指标, 成本指标", "例如 数量指标、成本指标"))
    e.add_argument("--level1", default="", metavar="一级指标",
                   help=say("e.g. 产出指标", "例如 产出指标"))
    e.add_argument("--year", type=parse_year, default=None,
                   help=say("budget year for dates without one (default: the budget year of "
                            "the data directory's store, else the current year)",
                            "没有写年份的日期所用的预算年度（默认：数据目录的预算年度，否则今年）"))
    e.add_argument("--measure", choices=("cumulative", "level"),
                   help=say("override whether the target is cumulative or a level",
                            "指定指标值是累计（cumulative）还是水平（level）"))
    e.add_argument("--json", action="store_true",
                   help=say("print the reading as JSON", "以 JSON 输出解读结果"))
    e.set_defaults(func=run_explain)


# --- argument checks --------------------------------------------------------------------------
# Checked in the handlers, not as argparse types, so a bad value gives the same one-line
# ``jixiao: …`` message (exit 2) as every other refusal.


def _amount(text: str) -> float:
    from jixiao.core.readings import read_amount_wan

    try:
        return read_amount_wan(text)
    except ValueError as exc:
        try:
            read_amount_wan(text, lang="zh")
        except ValueError as zh:
            raise JixiaoError(f"--spent: {exc}", zh=f"--spent：{zh}") from None
        raise JixiaoError(f"--spent: {exc}") from None


# --- handlers ---------------------------------------------------------------------------------


def _status_line(status, lang: str) -> str:
    from jixiao.core.colours import colour_word

    # The colour as a word first: a status is never shown by colour alone.
    return f"{colour_word(status.colour, lang)}  {status.reason(lang)}"


def run_record(args) -> int:
    """Append a progress entry and print the status it gives as of its date."""
    from jixiao.core.rules import indicator_status

    lang = _lang(args)
    labels = _LABELS[lang]
    as_of = iso_date(args.as_of, "--as-of")
    store = open_store(args, needs="tables")
    # A grade may be given by its English word; the official term is what is stored.
    actual, forecast = (choice_term(v, GRADES) or v if v else v
                        for v in (args.actual, args.forecast))
    entry = store.record_progress(
        args.indicator, as_of=as_of, actual=actual, forecast=forecast,
        likelihood=args.likelihood, causes=tuple(args.causes), measures=args.measures,
        note=args.note)
    indicator, project = store.find_indicator(entry.indicator_id)
    settings = store.settings()
    status = indicator_status(indicator, entry, entry.as_of, settings, project.year)
    # One line, whatever the fields hold (a name from a multi-paragraph cell, a typed value).
    print(visible(f"{labels['recorded']} {entry.id}: {indicator.name} "
                  f"({indicator.target_text}) {labels['as_of']} {entry.as_of}, "
                  f"{labels['actual']} {value_word(entry.actual, lang)}"
                  + (f", {labels['forecast']} {value_word(entry.forecast, lang)}"
                     if entry.forecast else "")))
    print(_status_line(status, lang))
    if entry.as_of > settings.as_of:
        print(labels["after"].format(d=settings.as_of, e=entry.as_of))
    _renew_summary(store, project)
    return 0


def _renew_summary(store, project) -> None:
    """Renew the summary of the unit just written in, as a screen that records does: the
    next screen to start (a manager's, who may not) then need not read that unit whole. Only
    an aid: a failure here never fails the write before it. (The write made it stale: no need
    to read the old one to find out.)"""
    from jixiao.store import summaries
    from jixiao.store.layout import PartitionKey

    summaries.renew_quietly(store, [PartitionKey(int(project.year), project.unit_code)])


def run_spend(args) -> int:
    """Append a spending entry and print the project's budget light as of its date."""
    from jixiao.core.budget_light import budget_status

    lang = _lang(args)
    labels = _LABELS[lang]
    as_of, spent = iso_date(args.as_of, "--as-of"), _amount(args.spent)
    store = open_store(args, needs="tables")
    history = store.spending_history(args.project)
    over = _far_over_budget(args.spent, spent, store.find_project(args.project))
    entry = store.record_spending(args.project, as_of=as_of, spent=spent, note=args.note)
    project = store.find_project(entry.project_id)
    settings = store.settings()
    status = budget_status(project, entry, entry.as_of, settings)
    print(visible(f"{labels['spent']} {entry.id}: {project.name} {labels['as_of']} "
                  f"{entry.as_of}, {format_number(entry.spent)} 万元"))
    print(_status_line(status, lang))
    warning = _falling_spend(history, entry, labels)
    if warning:
        print(warning, file=sys.stderr)
    if over:
        print(over, file=sys.stderr)
    if entry.as_of > settings.as_of:
        print(labels["after"].format(d=settings.as_of, e=entry.as_of))
    _renew_summary(store, project)
    return 0


FAR_OVER_BUDGET = 2.0
"""A cumulative spend above this many times the 预算数 is almost surely a wrong unit (0.5亿元
for an 89万元 project, or 元 read as 万元)."""


def _far_over_budget(text: str, spent: float, project) -> str | None:
    """A warning when ``spent`` (万元) is far above the project's budget; a ``JixiaoError``
    when it is, and ``text`` names no unit at all: then whether 元 or 万元 was meant decides
    a factor of 10,000, so the unit must be written."""
    total = project.budget.total
    if not total or total <= 0 or spent <= FAR_OVER_BUDGET * total:
        return None
    fields = dict(budget=format_number(total), times=format_number(spent / total, 0))
    if not any(ch in text for ch in "元万亿"):
        raise JixiaoError(faults.said("amount_needs_unit", text=text.strip(), **fields))
    return faults.say("spend_far_over", project=project.name, spent=format_number(spent), **fields)


def _falling_spend(history, entry, labels) -> str | None:
    """A warning when ``entry`` makes the cumulative spend fall: less than the report it follows,
    or more than a later-dated one. Allowed (corrections happen), but never silently."""
    before = [e for e in history if e.as_of <= entry.as_of]
    if before and before[-1].spent > entry.spent:
        p = before[-1]
        return labels["lower"].format(s=format_number(entry.spent), p=format_number(p.spent), d=p.as_of)
    after = [e for e in history if e.as_of > entry.as_of and e.spent < entry.spent]
    if after:
        p = after[0]
        return labels["higher"].format(s=format_number(entry.spent), p=format_number(p.spent), d=p.as_of)
    return None


def run_explain(args) -> int:
    """Print how ``args.text`` is read as a target, in the language of ``--lang``."""
    from jixiao.core.readings import expected_input
    from jixiao.core.targets import describe, parse_target, reading_fields

    lang = _lang(args)
    labels = _LABELS[lang]
    year, year_from = _explain_year(args, lang)
    target = parse_target(args.text, year=year, level1=args.level1, category=args.category,
                          measure=args.measure)
    if args.json:
        data = target.to_dict()
        data["op_written"] = target.op_written if target.op is not None else None
        data["year"], data["year_from"] = year, year_from
        data["to_record"] = expected_input(target, lang)
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{_pad(labels['text'])} {target.text}")
    print(f"{_pad(_EXPLAIN_YEAR_LABEL[lang])} {year}" + (f"（{year_from}）" if lang == "zh"
                                                         else f" ({year_from})"))
    print(f"{_pad(labels['reading'])} {describe(target, lang)}")
    for key, shown in reading_fields(target, lang):
        print(f"{_pad(labels[key])} {shown}")
    print(f"{_pad(labels['record'])} {expected_input(target, lang)}")
    return 0


_EXPLAIN_YEAR_LABEL = {"en": "year", "zh": "年度"}
_EXPLAIN_YEAR_FROM = {
    "en": {"flag": "from --year",
           "settings": "the budget year in the settings of the data directory {path}",
           "stored": "the latest budget year stored in the data directory {path}, which has "
                     "no settings yet",
           "none": "the current year: there is no store in the data directory {path}",
           "unreadable": "the current year: the settings of the data directory {path} could "
                         "not be read; run `jixiao check`"},
    "zh": {"flag": "由 --year 指定",
           "settings": "数据目录 {path} 设置中的预算年度",
           "stored": "数据目录 {path} 中已存数据的最新预算年度（尚无设置）",
           "none": "当前年份：数据目录 {path} 中没有数据",
           "unreadable": "当前年份：数据目录 {path} 的设置无法读取，可运行 jixiao check 检查"},
}


def _explain_year(args, lang: str) -> tuple[int, str]:
    """The budget year that dates without a year take, and why: ``--year``, else the data
    directory's budget year when a store is there (read only), else the current year."""
    from jixiao.store.repository import Store

    from .common import data_dir

    words = _EXPLAIN_YEAR_FROM[lang]
    if args.year:
        return args.year, words["flag"]
    path = data_dir(args)
    # explain needs no store: a missing or unreadable one falls back to the current year.
    try:
        if path.is_dir():
            store = Store(path)
            has_settings = store.layout.settings.exists()
            if has_settings or store.layout.partition_files():
                year = store.settings().year
                return year, words["settings" if has_settings else "stored"].format(path=path)
    except (JixiaoError, OSError):
        return date.today().year, words["unreadable"].format(path=path)
    return date.today().year, words["none"].format(path=path)


def _lang(args) -> str:
    lang = getattr(args, "lang", "zh")
    return lang if lang in _LABELS else "zh"


def _pad(label: str) -> str:
    # CJK characters take two columns; pad by what the terminal shows, not by len().
    return pad(label, 10)
