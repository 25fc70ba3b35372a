"""The status rules per kind of target (DESIGN.md §6), each with the sentence that explains it.

Every number the rules use comes from ``Settings.thresholds``. Reasons are built in Chinese and
English at once from the same figures, so the two never disagree; they are written only when
read. A rule marks the verdicts that do not depend on the monitoring date ``timeless``, so an
evaluator may keep them when the date changes.
"""

from __future__ import annotations

from datetime import date

from . import units as _units
from .model import Indicator, ProgressEntry, Settings, Thresholds
from .overrides import indicator_target
from .periods import short_date, time_progress, year_end
from .readings import Reading, grade_for, read_actual
from .reasons import format_expected, number, pct, span_words, tail, target_words
from .status import Status
from .targets import Target
from .words import GRADES, HOPELESS, choice_word, english


def _band(v: float, th: Thresholds, blue: bool = True) -> str:
    if v < th.red_below:
        return "red"
    if v < th.amber_below:
        return "amber"
    if blue and v >= th.blue_from:
        return "blue"
    return "green"


def _at_least(target: Target) -> str:
    return ">" if target.op == ">" else "≥"


# --- no data --------------------------------------------------------------------------------


def no_report(target: Target, year: int, as_of: date) -> Status:
    """The status of ``target`` with nothing recorded at ``as_of``: grey while it is not yet
    due (its deadline, else the end of ``year``), red once the deadline has passed.

    Source (DESIGN.md §6, issue 12 §3): an indicator whose deadline has passed with no report
    at all is red — it must show in triage and in ``report --only red,amber``; grey stays for
    "not reported yet, not yet due"."""
    due = target.deadline or year_end(year)
    colour = "red" if as_of > due else "grey"
    return unconfirmed(Status(colour, why=(_why_no_report, due, year)), target)


def _why_no_report(st, due, year):
    dl = short_date(due, year)
    if st.colour == "red":
        return f"尚未填报；已过截止日{dl} → 红", f"no progress recorded; was due {dl} → red"
    return f"尚未填报；截止{dl} → 灰", f"no progress recorded; due {dl} → grey"


def unconfirmed(status: Status, target: Target) -> Status:
    """``status`` with its reason saying the reading of ``target`` is unconfirmed, when that
    reading needs review (issue 12 §1: it still gets a colour, marked unconfirmed)."""
    if target.review is None:
        return status
    return Status(status.colour, status.final, status.expected, status.ratio,
                  why=(_why_unconfirmed, status, target), timeless=status.timeless)


def _why_unconfirmed(st, inner: Status, target: Target):
    return (inner.reason_zh + target.unconfirmed("zh"),
            inner.reason_en + target.unconfirmed("en"))


def _why_unreadable(st, reading: Reading, target: Target, year: int):
    dl = short_date(target.deadline or year_end(year), year)
    return (f"填报值“{reading.text}”无法判断（{reading.message('zh')}）；截止{dl} → 灰",
            f"recorded value {reading.text!r} cannot be judged ({reading.error}); due {dl} → grey")


# --- the rules per kind, each with the sentence that explains it ---------------------------


def _cumulative_higher(target: Target, reading: Reading, entry_day: str, d: date,
                       th: Thresholds, year: int, t: float) -> Status:
    a = reading.value
    value = target.value
    achieved = a > value if target.op == ">" else a >= value
    if achieved:
        ratio = a / value if value > 0 else None
        colour = "blue" if ratio is not None and ratio >= th.blue_final_from else "green"
        return Status(colour, True, value, ratio, why=(_why_reached, target, a), timeless=True)
    if t >= 1.0:                      # only then can the deadline be reached
        due = target.deadline or year_end(year)
        # Source (DESIGN.md §6, issue 12 §3): at the deadline, 31 December included, a missed
        # target is no longer green; final once the day is over.
        if d >= due:
            return Status("red", d > due, value, a / value if value else None,
                          why=(_why_missed, target, a, due, year, d > due))
    expected = value * t
    if expected <= 0:
        return Status("green", False, 0.0, None, why=(_why_nothing_due, target, a, d, year))
    v = a / expected
    # _band, inlined: this is the rule most indicators go through.
    colour = ("red" if v < th.red_below else "amber" if v < th.amber_below
              else "blue" if v >= th.blue_from else "green")
    return Status(colour, False, expected, v, why=(_why_pace, target, a, d, year))


def _why_reached(st, target, a):
    words = target_words(target)
    if st.colour == "blue":
        return tail(st, f"已达成{words}：实际{number(a)}，为目标的{pct(st.ratio)}（目标可能偏低）",
                     f"target {words} reached: actual {number(a)} is {pct(st.ratio)} of it "
                     f"(target may be set too low)")
    return tail(st, f"已达成{words}：实际{number(a)}", f"target {words} reached: actual {number(a)}")


def _why_missed(st, target, a, due, year, passed=True):
    dl = short_date(due, year)
    words = target_words(target)
    if not passed:
        return tail(st, f"今日截止（{dl}）：实际{number(a)}，未达{words}",
                    f"due today ({dl}): actual {number(a)}, short of {words}")
    return tail(st, f"已过截止日{dl}：实际{number(a)}，未达{words}",
                 f"deadline {dl} passed: actual {number(a)}, short of {words}")


def _why_nothing_due(st, target, a, d, year):
    zh_by, en_by = span_words(d, year, target.deadline, target.start)
    return tail(st, f"{zh_by}尚无应完成量，实际{number(a)}", f"nothing due yet {en_by}, actual {number(a)}")


def _why_pace(st, target, a, d, year):
    zh_by, en_by = span_words(d, year, target.deadline, target.start)
    sym = _at_least(target)
    exp, v = format_expected(st.expected), pct(st.ratio)
    return tail(st, f"{zh_by}应完成{sym}{exp}，实际{number(a)} → {v}",
                 f"expected {sym}{exp} {en_by}, actual {number(a)} → {v}")


def _level_higher(target: Target, reading: Reading, entry_day: str, d: date, th: Thresholds,
                  year: int, t: float) -> Status:
    a = reading.value
    value = target.value
    ok = a > value if target.op == ">" else a >= value
    if ok:
        colour = "green"
    elif value > 0 and a >= th.level_amber_from * value:
        colour = "amber"
    else:
        colour = "red"
    return Status(colour, False, value, a / value if value else None,
                  why=(_why_compare, target, a), timeless=True)


def _why_compare(st, target, a):
    words = target_words(target)
    unit = target.unit or ""
    return tail(st, f"目标{words}，实际{number(a)}{unit}", f"target {words}, actual {number(a)}{unit}")


def _lower(target: Target, reading: Reading, entry_day: str, d: date, th: Thresholds,
           year: int, t: float) -> Status:
    a = reading.value
    value = target.value
    over = a >= value if target.op == "<" else a > value
    cumulative = target.measure == "cumulative"
    ratio = a / value if value else None
    if over:
        # A cumulative total only grows, and so does money spent (a 成本 cap is judged in
        # range, as a level), so once over the cap it stays over.
        return Status("red", cumulative or _units.is_money(target.unit), value, ratio,
                      why=(_why_over, target, a), timeless=True)
    if cumulative and _units.is_money(target.unit):
        expected = value * t
        if expected > 0:
            v = a / expected
            colour = "amber" if v > th.burn_amber_above else "green"
            return Status(colour, False, expected, v, why=(_why_burn, target, a, d, year))
        # Nothing may be spent yet (1 January): within the limit, but only on this date.
        return Status("green", False, value, ratio, why=(_why_within, target, a))
    return Status("green", False, value, ratio, why=(_why_within, target, a), timeless=True)


def _why_over(st, target, a):
    words, unit = target_words(target), target.unit or ""
    return tail(st, f"上限{words}，实际{number(a)}{unit}，已超出",
                 f"limit {words}, actual {number(a)}{unit} → over the limit")


def _why_within(st, target, a):
    words, unit = target_words(target), target.unit or ""
    return tail(st, f"上限{words}，实际{number(a)}{unit}，未超出",
                 f"limit {words}, actual {number(a)}{unit} → within the limit")


def _why_burn(st, target, a, d, year):
    zh_by, en_by = span_words(d, year, target.deadline, target.start)
    exp, v = format_expected(st.expected), pct(st.ratio)
    fast = st.colour == "amber"
    return tail(st, f"{zh_by}应不超过{exp}，实际{number(a)} → {v}{'，支出过快' if fast else ''}",
                 f"expected ≤{exp} {en_by}, actual {number(a)} → {v}"
                 f"{' (spending too fast)' if fast else ''}")


def _exact(target: Target, reading: Reading, entry_day: str, d: date, th: Thresholds,
           year: int, t: float) -> Status:
    a = reading.value
    value = target.value
    same = abs(a - value) <= 1e-9 * max(1.0, abs(value))
    return Status("green" if same else "red", False, value, a / value if value else None,
                  why=(_why_compare, target, a), timeless=True)


def _range(target: Target, reading: Reading, entry_day: str, d: date, th: Thresholds,
           year: int, t: float) -> Status:
    a = reading.value
    inside = target.low <= a <= target.high
    return Status("green" if inside else "red", why=(_why_range, target, a, inside),
                  timeless=True)


def _why_range(st, target, a, inside):
    unit = target.unit or ""
    span = f"{number(target.low)}–{number(target.high)}{unit}"
    where_zh, where_en = ("在区间内", "inside") if inside else ("在区间外", "outside")
    return tail(st, f"区间{span}，实际{number(a)}{unit}，{where_zh}",
                 f"range {span}, actual {number(a)}{unit} → {where_en}")


def _completed(done: date, due: date, year: int) -> Status:
    return Status("green" if done <= due else "red", True, why=(_why_completed, done, due, year),
                  timeless=True)


def _why_completed(st, done, due, year):
    dl, on = short_date(due, year), short_date(done, year)
    if done <= due:
        return tail(st, f"截止{dl}，已于{on}完成", f"due {dl}, completed {on}")
    return tail(st, f"截止{dl}，{on}才完成，逾期", f"due {dl}, completed {on}, late")


def _deadline(target: Target, reading: Reading, entry_day: str, d: date, th: Thresholds,
              year: int, t: float) -> Status:
    due = target.deadline
    if reading.kind == "date":
        return _completed(reading.done_on, due, year)
    p = reading.value
    if p >= 100:
        # 100% done without a date: completed on the day the entry was made as of.
        return _completed(date.fromisoformat(entry_day), due, year)
    if d > due:
        return Status("red", True, 100.0, p / 100, why=(_why_not_done, due, p, year))
    expected = 100.0 * t
    if expected <= 0:
        colour, v = "green", None
    else:
        v = p / expected
        colour = _band(v, th, blue=False)
    days_left = (due - d).days
    warned = colour == "green" and days_left <= th.deadline_warning_days
    return Status("amber" if warned else colour, False, expected, v,
                  why=(_why_deadline_pace, due, p, d, year, days_left if warned else None,
                       target.start))


def _why_not_done(st, due, p, year):
    dl = short_date(due, year)
    return tail(st, f"已过截止日{dl}，仅完成{number(p)}%", f"deadline {dl} passed with {number(p)}% done")


def _why_deadline_pace(st, due, p, d, year, warned_days, start=None):
    dl = short_date(due, year)
    if st.ratio is None:
        zh, en = f"截止{dl}，已完成{number(p)}%", f"due {dl}, {number(p)}% done"
    else:
        zh_by, en_by = span_words(d, year, due, start)
        exp, v = f"{st.expected:.0f}%", pct(st.ratio)
        zh = f"截止{dl}，{zh_by}应完成{exp}，实际{number(p)}% → {v}"
        en = f"due {dl}, expected {exp} done {en_by}, actual {number(p)}% → {v}"
    if warned_days is not None:
        zh += f" → 绿，但距截止仅{warned_days}天"
        en += f" → green, but due in {warned_days} days"
    return tail(st, zh, en)


_GRADE_COLOUR = dict(zip(GRADES, ("green", "amber", "red")))


def _qualitative(target: Target, reading: Reading, entry_day: str, d: date, th: Thresholds,
                 year: int, t: float) -> Status:
    # A target written as a negative (否, 无, 零发生) is met by the negative answer.
    return Status(_GRADE_COLOUR[grade_for(reading, target)], why=(_why_grade, reading, target),
                  timeless=True)


def _why_grade(st, reading, target):
    said = reading.text.strip()
    grade = grade_for(reading, target)
    shown = grade if said == grade else f"{said}（{grade}）"
    # English names the grade in English beside the official term the owner chose.
    shown_en = choice_word(grade, "en") if said == grade else f"{said} ({english(grade)}, {grade})"
    if grade != reading.grade:       # 否 meets a target written as a negative
        return tail(st, f"评定为{shown}（目标为否定式：{target.text}）",
                    f"graded {shown_en} (the target is a negative: {target.text})")
    return tail(st, f"评定为{shown}", f"graded {shown_en}")


def rule_for(target: Target):
    """The rule that judges ``target``; every rule takes
    ``(target, reading, entry_day, d, thresholds, year, time_progress)``."""
    kind = target.kind
    if kind == "qualitative":
        return _qualitative
    if kind == "deadline":
        return _deadline
    if kind == "range":
        return _range
    if target.direction == "lower":
        return _lower
    if target.direction == "exact":
        return _exact
    if target.measure == "cumulative":
        return _cumulative_higher
    return _level_higher


# --- forecast and likelihood --------------------------------------------------------------


def forecast_misses(target: Target, f: Reading) -> bool:
    """Whether a full-year forecast falls short of the target."""
    if not f.ok:
        return False
    kind = target.kind
    if kind == "qualitative":
        return grade_for(f, target) != GRADES[0]
    if kind == "deadline":
        return f.done_on > target.deadline if f.kind == "date" else f.value < 100
    v = f.value
    if kind == "range":
        return not target.low <= v <= target.high
    if target.direction == "lower":
        return v >= target.value if target.op == "<" else v > target.value
    if target.direction == "exact":
        return abs(v - target.value) > 1e-9 * max(1.0, abs(target.value))
    return v <= target.value if target.op == ">" else v < target.value


def with_outlook(status: Status, target: Target, entry: ProgressEntry, read) -> Status:
    misses = bool(entry.forecast) and forecast_misses(target, read(entry.forecast))
    hopeless = entry.likelihood == HOPELESS
    if not (misses or hopeless):
        return status
    colour = status.colour
    if misses and colour in ("green", "blue"):
        colour = "amber"
    if hopeless:
        colour = "red"
    return Status(colour, status.final, status.expected, status.ratio,
                  why=(_why_outlook, status, entry.forecast if misses else None, hopeless),
                  timeless=status.timeless)


def _why_outlook(st, inner: Status, forecast: str | None, hopeless: bool):
    zh, en = inner.reason_zh, inner.reason_en
    colour = inner.colour
    if forecast is not None:
        zh += f"；全年预计{forecast.strip()}，达不到目标"
        en += f"; forecast {forecast.strip()} misses the target"
        if colour in ("green", "blue"):
            colour = "amber"
            zh += " → 黄"
            en += " → amber"
    if hopeless:
        zh += f"；完成可能性：{HOPELESS}"
        en += f"; likelihood {choice_word(HOPELESS, 'en')}"
        if colour != "red":
            zh += " → 红"
            en += " → red"
    return zh, en


def judge(target: Target, rule, reading: Reading, entry: ProgressEntry, outlook: bool, d: date,
          thresholds: Thresholds, year: int, t: float, read) -> Status:
    """The status ``entry`` gives ``target`` at ``d`` — the one rule path every status takes.

    ``rule`` is ``rule_for(target)``, ``reading`` the reading of the entry's actual value,
    ``t`` the time progress at ``d``; ``outlook`` says whether the forecast or likelihood may
    change the colour (``read`` reads the forecast then)."""
    if reading.error is not None:
        return unconfirmed(Status("grey", why=(_why_unreadable, reading, target, year),
                                  timeless=True), target)
    status = rule(target, reading, entry.as_of, d, thresholds, year, t)
    if not (status.final or not outlook):
        status = with_outlook(status, target, entry, read)
    return unconfirmed(status, target)


def as_date(value) -> date:
    """``value`` (a ``date`` or an ISO ``YYYY-MM-DD`` string) as a ``date``."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def status_of(target: Target, entry: ProgressEntry | None, as_of, thresholds: Thresholds,
              year: int) -> Status:
    """The status of ``target`` given the ``entry`` that counts at ``as_of`` (or ``None``)."""
    d = as_date(as_of)
    if entry is None:
        return no_report(target, year, d)
    t = time_progress(d, year, target.deadline, target.start)

    def read(text: str) -> Reading:
        return read_actual(text, target)

    return judge(target, rule_for(target), read(entry.actual), entry,
                 bool(entry.forecast or entry.likelihood), d, thresholds, year, t, read)


def target_of(indicator: Indicator, year: int) -> Target:
    """The reading of ``indicator`` in budget ``year``: inferred, or as an officer settled it
    (read once per distinct ``reading_key``)."""
    return indicator_target(indicator, year)


def indicator_status(indicator: Indicator, entry: ProgressEntry | None, as_of,
                     settings: Settings, year: int) -> Status:
    """The status of ``indicator`` at ``as_of`` (ISO string or date) with ``entry`` counting.

    The TUI calls this with an unsaved entry to preview the colour before saving it.
    """
    return status_of(target_of(indicator, year), entry, as_of, settings.thresholds, year)
