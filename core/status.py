"""Status rules (DESIGN.md §6): colour, finality, expected value and reason per indicator,
budget light per project, roll-ups per project and unit.

Every number the rules use comes from ``Settings.thresholds``. Reasons are built in Chinese and
English at once from the same figures, so the two never disagree.

Speed matters here: changing the monitoring date recomputes every colour (≤ 0.5 s for 100k
indicators). ``evaluate`` keeps a plan per distinct target text (the parsed target, its rule,
its readings) and, between calls, each indicator's prepared history: the dates at which its
entries start to count and the *case* each one makes — one per target and distinct recorded
values, read once, shared by every indicator that records the same (及时/达成, 100%/100%). A
change of date then costs a ``bisect`` per indicator and one verdict per case in use; verdicts
that cannot depend on the date are kept. Reasons are written only when read.
"""

from __future__ import annotations

import gc
import threading
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from . import units as _units
from .dataset import Dataset
from .model import Indicator, ProgressEntry, Project, Settings, SpendingEntry, Thresholds
from .numbers import format_number
from .periods import short_date, time_progress, year_end
from .readings import Reading, read_actual, read_text
from .overrides import reading_key, target_for_key
from .targets import Target

COLOURS = ("red", "amber", "grey", "blue", "green")
"""Every colour, worst first: a roll-up takes the first of these that occurs."""

SEVERITY = {colour: rank for rank, colour in enumerate(COLOURS)}
"""Each colour's rank in ``COLOURS`` (0 = worst), for sorting worst first."""

COUNT_ORDER = ("red", "amber", "green", "blue", "grey")
"""The colours of a ``counts`` object (snapshot, report, diff), in the order they are written."""

COLOUR_WORDS = {
    "zh": {"red": "红", "amber": "黄", "grey": "灰", "blue": "蓝", "green": "绿"},
    "en": {"red": "red", "amber": "amber", "grey": "grey", "blue": "blue", "green": "green"},
}
"""The word for each colour per language: a status is never shown by colour alone."""

COLOUR_ZH = COLOUR_WORDS["zh"]
"""The Chinese word for each colour, as reasons write it."""

COLOUR_GLYPHS = {"red": "✖", "amber": "▲", "grey": "○", "blue": "◆", "green": "●"}
"""One glyph per colour, distinct in shape so monochrome terminals still tell them apart."""


def colour_word(colour: str, lang: str = "zh") -> str:
    """The word for ``colour`` in ``lang`` ('zh' or 'en'); an unknown colour as it is."""
    return COLOUR_WORDS["en" if lang == "en" else "zh"].get(colour, colour)


class Status:
    """The verdict on one indicator (or one project budget) at a monitoring date.

    ``expected`` is the value due by the date (``value × time progress`` for cumulative
    targets, the target itself for levels); ``ratio`` is the figure the colour was judged on
    (actual ÷ expected, or actual ÷ target once reached); ``final`` means achieved or missed
    for good. Treat a ``Status`` as immutable.

    The reasons are written only when first read: recomputing 100k colours after a change of
    the monitoring date must not pay for 200k sentences nobody looks at.
    """

    __slots__ = ("colour", "final", "expected", "ratio", "_zh", "_en", "_why")

    def __init__(self, colour: str, final: bool = False, expected: float | None = None,
                 ratio: float | None = None, reason_zh: str = "", reason_en: str = "",
                 *, why: tuple | None = None):
        self.colour = colour
        self.final = final
        self.expected = expected
        self.ratio = ratio
        self._zh = reason_zh
        self._en = reason_en
        self._why = why             # (function, *args) that returns (reason_zh, reason_en)

    def _explain(self) -> None:
        why = self._why
        if why is not None:
            self._zh, self._en = why[0](self, *why[1:])
            self._why = None

    @property
    def reason_zh(self) -> str:
        """The one-line reason in Chinese."""
        if self._why is not None:
            self._explain()
        return self._zh

    @property
    def reason_en(self) -> str:
        """The one-line reason in English."""
        if self._why is not None:
            self._explain()
        return self._en

    def reason(self, lang: str = "zh") -> str:
        """The one-line reason in ``lang`` ('zh' or 'en')."""
        return self.reason_en if lang == "en" else self.reason_zh

    def to_dict(self) -> dict:
        """JSON-ready form: colour, final, expected, ratio and both reasons."""
        return {"colour": self.colour, "final": self.final, "expected": self.expected,
                "ratio": self.ratio, "reason_zh": self.reason_zh, "reason_en": self.reason_en}

    def _key(self) -> tuple:
        return (self.colour, self.final, self.expected, self.ratio, self.reason_zh,
                self.reason_en)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"Status(colour={self.colour!r}, final={self.final!r}, "
                f"expected={self.expected!r}, ratio={self.ratio!r}, "
                f"reason_en={self.reason_en!r})")


@dataclass
class Rollup:
    """Worst colour and per-colour counts over a project's or unit's indicators.

    ``colour`` also takes the budget light into account; ``counts`` has every colour of
    ``COLOURS`` as a key and counts indicators only.
    """

    colour: str = "grey"
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLOURS, 0))


@dataclass
class Evaluation:
    """Every status of a dataset at one date."""

    as_of: str
    indicators: dict = field(default_factory=dict)   # indicator id -> Status
    budgets: dict = field(default_factory=dict)      # project id -> Status
    projects: dict = field(default_factory=dict)     # project id -> Rollup
    units: dict = field(default_factory=dict)        # unit code -> Rollup
    total: Rollup = field(default_factory=Rollup)


# --- small helpers ----------------------------------------------------------------------------


def _n(x: float) -> str:
    """A number as reasons print it: no trailing zeros, fewer decimals for big numbers."""
    return format_number(x, 2, scaled=True)


def format_expected(x: float) -> str:
    """An expected value as reasons print it: one decimal is as precise as a pro-rata figure
    deserves. Columns that show it next to a reason use this too, so the two agree."""
    return format_number(x, 1, scaled=True)


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


@lru_cache(maxsize=512)
def _day(value: str) -> date:
    return date.fromisoformat(value)


def _as_date(value) -> date:
    return value if isinstance(value, date) else _day(str(value))


def target_of(indicator: Indicator, year: int) -> Target:
    """The reading of ``indicator`` in budget ``year``: inferred, or as an officer settled it
    (read once per distinct ``reading_key``)."""
    return _plan_for(year, reading_key(indicator)).target


@lru_cache(maxsize=4096)
def _span_words(d: date, year: int, deadline: date | None) -> tuple[str, str]:
    """``(zh, en)`` for "by 07-31 (59% of year)" — of the time to an earlier deadline if any."""
    t = time_progress(d, year, deadline)
    md = short_date(d, year)
    if deadline is None or deadline == year_end(year):
        return f"截至{md}（序时进度{_pct(t)}）", f"by {md} ({_pct(t)} of year)"
    dl = short_date(deadline, year)
    return (f"截至{md}（至{dl}的时间进度{_pct(t)}）",
            f"by {md} ({_pct(t)} of time to {dl})")


def _band(v: float, th: Thresholds, blue: bool = True) -> str:
    if v < th.red_below:
        return "red"
    if v < th.amber_below:
        return "amber"
    if blue and v >= th.blue_from:
        return "blue"
    return "green"


def _tail(st: Status, zh: str, en: str) -> tuple[str, str]:
    """Finish a reason with the verdict: ``… → amber`` / ``… → 黄``, marking final ones."""
    if st.final:
        return f"{zh} → {COLOUR_ZH[st.colour]}（定论）", f"{en} → {st.colour} (final)"
    return f"{zh} → {COLOUR_ZH[st.colour]}", f"{en} → {st.colour}"


def _target_words(target: Target) -> str:
    # As written: ≥8个, ≤89万元, or 24期 when the table gives no operator.
    sym = target.symbol if target.op and target.op != "=" else ""
    return f"{sym}{_n(target.value)}{target.unit or ''}"


def _at_least(target: Target) -> str:
    return ">" if target.op == ">" else "≥"


# --- no data --------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _grey(deadline: date | None, year: int, as_of: date) -> Status:
    due = deadline or year_end(year)
    dl = short_date(due, year)
    if as_of > due:
        return Status("grey", reason_zh=f"尚未填报；已过截止日{dl} → 灰",
                      reason_en=f"no progress recorded; was due {dl} → grey")
    return Status("grey", reason_zh=f"尚未填报；截止{dl} → 灰",
                  reason_en=f"no progress recorded; due {dl} → grey")


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
        return Status(colour, True, value, ratio, why=(_why_reached, target, a))
    if t >= 1.0:                      # only then can the deadline be behind us
        due = target.deadline or year_end(year)
        if d > due:
            return Status("red", True, value, a / value if value else None,
                          why=(_why_missed, target, a, due, year))
    expected = value * t
    if expected <= 0:
        return Status("green", False, 0.0, None, why=(_why_nothing_due, target, a, d, year))
    v = a / expected
    # _band, inlined: this is the rule most indicators go through.
    colour = ("red" if v < th.red_below else "amber" if v < th.amber_below
              else "blue" if v >= th.blue_from else "green")
    return Status(colour, False, expected, v, why=(_why_pace, target, a, d, year))


def _why_reached(st, target, a):
    words = _target_words(target)
    if st.colour == "blue":
        return _tail(st, f"已达成{words}：实际{_n(a)}，为目标的{_pct(st.ratio)}（目标可能偏低）",
                     f"target {words} reached: actual {_n(a)} is {_pct(st.ratio)} of it "
                     f"(target may be set too low)")
    return _tail(st, f"已达成{words}：实际{_n(a)}", f"target {words} reached: actual {_n(a)}")


def _why_missed(st, target, a, due, year):
    dl = short_date(due, year)
    words = _target_words(target)
    return _tail(st, f"已过截止日{dl}：实际{_n(a)}，未达{words}",
                 f"deadline {dl} passed: actual {_n(a)}, short of {words}")


def _why_nothing_due(st, target, a, d, year):
    zh_by, en_by = _span_words(d, year, target.deadline)
    return _tail(st, f"{zh_by}尚无应完成量，实际{_n(a)}", f"nothing due yet {en_by}, actual {_n(a)}")


def _why_pace(st, target, a, d, year):
    zh_by, en_by = _span_words(d, year, target.deadline)
    sym = _at_least(target)
    exp, v = format_expected(st.expected), _pct(st.ratio)
    return _tail(st, f"{zh_by}应完成{sym}{exp}，实际{_n(a)} → {v}",
                 f"expected {sym}{exp} {en_by}, actual {_n(a)} → {v}")


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
                  why=(_why_compare, target, a))


def _why_compare(st, target, a):
    words = _target_words(target)
    unit = target.unit or ""
    return _tail(st, f"目标{words}，实际{_n(a)}{unit}", f"target {words}, actual {_n(a)}{unit}")


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
                      why=(_why_over, target, a))
    if cumulative and _units.is_money(target.unit):
        expected = value * t
        if expected > 0:
            v = a / expected
            colour = "amber" if v > th.burn_amber_above else "green"
            return Status(colour, False, expected, v, why=(_why_burn, target, a, d, year))
        # Nothing may be spent yet (1 January): within the limit, but only on this date.
        return Status("green", False, value, ratio, why=(_why_within_today, target, a))
    return Status("green", False, value, ratio, why=(_why_within, target, a))


def _why_over(st, target, a):
    words, unit = _target_words(target), target.unit or ""
    return _tail(st, f"上限{words}，实际{_n(a)}{unit}，已超出",
                 f"limit {words}, actual {_n(a)}{unit} → over the limit")


def _why_within(st, target, a):
    words, unit = _target_words(target), target.unit or ""
    return _tail(st, f"上限{words}，实际{_n(a)}{unit}，未超出",
                 f"limit {words}, actual {_n(a)}{unit} → within the limit")


def _why_within_today(st, target, a):
    # The same words as _why_within, under another name: this verdict holds for one date only.
    return _why_within(st, target, a)


def _why_burn(st, target, a, d, year):
    zh_by, en_by = _span_words(d, year, target.deadline)
    exp, v = format_expected(st.expected), _pct(st.ratio)
    fast = st.colour == "amber"
    return _tail(st, f"{zh_by}应不超过{exp}，实际{_n(a)} → {v}{'，支出过快' if fast else ''}",
                 f"expected ≤{exp} {en_by}, actual {_n(a)} → {v}"
                 f"{' (spending too fast)' if fast else ''}")


def _exact(target: Target, reading: Reading, entry_day: str, d: date, th: Thresholds,
           year: int, t: float) -> Status:
    a = reading.value
    value = target.value
    same = abs(a - value) <= 1e-9 * max(1.0, abs(value))
    return Status("green" if same else "red", False, value, a / value if value else None,
                  why=(_why_compare, target, a))


def _range(target: Target, reading: Reading, entry_day: str, d: date, th: Thresholds,
           year: int, t: float) -> Status:
    a = reading.value
    inside = target.low <= a <= target.high
    return Status("green" if inside else "red", why=(_why_range, target, a, inside))


def _why_range(st, target, a, inside):
    unit = target.unit or ""
    span = f"{_n(target.low)}–{_n(target.high)}{unit}"
    where_zh, where_en = ("在区间内", "inside") if inside else ("在区间外", "outside")
    return _tail(st, f"区间{span}，实际{_n(a)}{unit}，{where_zh}",
                 f"range {span}, actual {_n(a)}{unit} → {where_en}")


def _completed(done: date, due: date, year: int) -> Status:
    return Status("green" if done <= due else "red", True, why=(_why_completed, done, due, year))


def _why_completed(st, done, due, year):
    dl, on = short_date(due, year), short_date(done, year)
    if done <= due:
        return _tail(st, f"截止{dl}，已于{on}完成", f"due {dl}, completed {on}")
    return _tail(st, f"截止{dl}，{on}才完成，逾期", f"due {dl}, completed {on}, late")


def _deadline(target: Target, reading: Reading, entry_day: str, d: date, th: Thresholds,
              year: int, t: float) -> Status:
    due = target.deadline
    if reading.kind == "date":
        return _completed(reading.done_on, due, year)
    p = reading.value
    if p >= 100:
        # 100% done without a date: completed on the day the entry was made as of.
        return _completed(_day(entry_day), due, year)
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
                  why=(_why_deadline_pace, due, p, d, year, days_left if warned else None))


def _why_not_done(st, due, p, year):
    dl = short_date(due, year)
    return _tail(st, f"已过截止日{dl}，仅完成{_n(p)}%", f"deadline {dl} passed with {_n(p)}% done")


def _why_deadline_pace(st, due, p, d, year, warned_days):
    dl = short_date(due, year)
    if st.ratio is None:
        zh, en = f"截止{dl}，已完成{_n(p)}%", f"due {dl}, {_n(p)}% done"
    else:
        zh_by, en_by = _span_words(d, year, due)
        exp, v = f"{st.expected:.0f}%", _pct(st.ratio)
        zh = f"截止{dl}，{zh_by}应完成{exp}，实际{_n(p)}% → {v}"
        en = f"due {dl}, expected {exp} done {en_by}, actual {_n(p)}% → {v}"
    if warned_days is not None:
        zh += f" → 绿，但距截止仅{warned_days}天"
        en += f" → green, but due in {warned_days} days"
    return _tail(st, zh, en)


_GRADE_COLOUR = {"达成": "green", "部分达成": "amber", "未达成": "red"}


def _qualitative(target: Target, reading: Reading, entry_day: str, d: date, th: Thresholds,
                 year: int, t: float) -> Status:
    return Status(_GRADE_COLOUR[reading.grade], why=(_why_grade, reading))


def _why_grade(st, reading):
    said = reading.text.strip()
    shown = reading.grade if said == reading.grade else f"{said}（{reading.grade}）"
    return _tail(st, f"评定为{shown}", f"graded {shown}")


def _rule_for(target: Target):
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


def _forecast_misses(target: Target, f: Reading) -> bool:
    """Whether a full-year forecast falls short of the target."""
    if not f.ok:
        return False
    kind = target.kind
    if kind == "qualitative":
        return f.grade != "达成"
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


def _with_outlook(status: Status, target: Target, entry: ProgressEntry, read) -> Status:
    misses = bool(entry.forecast) and _forecast_misses(target, read(entry.forecast))
    hopeless = entry.likelihood == "完全不可能"
    if not (misses or hopeless):
        return status
    colour = status.colour
    if misses and colour in ("green", "blue"):
        colour = "amber"
    if hopeless:
        colour = "red"
    return Status(colour, status.final, status.expected, status.ratio,
                  why=(_why_outlook, status, entry.forecast if misses else None, hopeless))


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
        zh += "；完成可能性：完全不可能"
        en += "; likelihood 完全不可能"
        if colour != "red":
            zh += " → 红"
            en += " → red"
    return zh, en


# --- the public entry points --------------------------------------------------------------


def status_of(target: Target, entry: ProgressEntry | None, as_of, thresholds: Thresholds,
              year: int) -> Status:
    """The status of ``target`` given the ``entry`` that counts at ``as_of`` (or ``None``)."""
    d = _as_date(as_of)
    if entry is None:
        return _grey(target.deadline, year, d)
    t = time_progress(d, year, target.deadline)
    return _verdict(target, _rule_for(target), entry, d, thresholds, year, t,
                    lambda text: read_actual(text, target))


class _Plan:
    """What ``evaluate`` keeps per distinct target (and budget year): its readings of recorded
    texts, its cases (one per distinct recorded value), and what one date and set of
    thresholds (``stamp``) make of it: time progress and the status of no data."""

    __slots__ = ("target", "rule", "year", "readings", "deadline_year", "dated", "stamp",
                 "grey", "t", "cases")

    def __init__(self, target: Target, year: int):
        self.target = target
        self.rule = _rule_for(target)
        self.year = year
        self.t = 0.0
        self.readings: dict[str, Reading] = {}
        self.deadline_year = target.deadline.year if target.deadline else None
        self.dated = target.kind == "deadline"   # 100% done counts on the entry's own date
        self.stamp = None
        self.grey: Status | None = None
        self.cases: dict = {}

    def read(self, text: str) -> Reading:
        """The reading of ``text`` against this target, cached."""
        reading = self.readings.get(text)
        if reading is None:
            if len(self.readings) >= _MAX_READINGS:
                self.readings.clear()
            t = self.target
            # A reading depends on these four values only: targets that share a kind and unit
            # (thousands of 项, 个, % targets) share it, so each distinct value is read once.
            k = (text, t.kind, t.unit, self.deadline_year)
            reading = _READINGS.get(k)
            if reading is None:
                if len(_READINGS) >= _MAX_SHARED_READINGS:
                    _READINGS.clear()
                reading = _READINGS[k] = read_text(text, t.kind, t.unit, self.deadline_year)
            self.readings[text] = reading
        return reading

    def case(self, entry: ProgressEntry) -> _Case:
        """The case ``entry`` makes of this target, shared by every entry whose values give the
        same status: same target, same values, same date → same status."""
        forecast, hopeless = entry.forecast, entry.likelihood == "完全不可能"
        # A forecast or likelihood matters only when it can change the colour (the test of
        # _with_outlook); otherwise the recorded value alone decides, and the key is the text.
        if forecast and not _forecast_misses(self.target, self.read(forecast)):
            forecast = None
        if forecast or hopeless or self.dated:
            mk = (entry.actual, forecast or None, hopeless, entry.as_of if self.dated else None)
        else:
            mk = entry.actual
        case = self.cases.get(mk)
        if case is None:
            if len(self.cases) >= _MAX_READINGS:
                self.cases.clear()   # cases already handed out stay valid, just unshared
            case = self.cases[mk] = _Case(self, entry, bool(forecast or hopeless))
        return case


class _Case:
    """One target with one set of recorded values (``entry`` stands for all entries that
    record them): its status at the plan's current stamp, and the status that holds at any
    date (``timeless``, valid for the thresholds ``th``) once one was found."""

    __slots__ = ("plan", "entry", "stamp", "status", "th", "timeless", "reading", "outlook")

    def __init__(self, plan: _Plan, entry: ProgressEntry, outlook: bool):
        self.plan = plan
        self.entry = entry
        # What does not depend on the date, worked out once: the reading of the recorded
        # value, and whether the forecast or likelihood can change a colour.
        self.reading = plan.read(entry.actual)
        self.outlook = outlook
        self.stamp = None
        self.status: Status | None = None
        self.th: Thresholds | None = None
        self.timeless: Status | None = None


_MAX_READINGS = 1 << 14

_READINGS: dict[tuple, Reading] = {}
_MAX_SHARED_READINGS = 1 << 18


@lru_cache(maxsize=1 << 17)
def _plan_for(year: int, key: tuple) -> _Plan:
    # One cache for both the target and its plan: evaluate looks each up once.
    return _Plan(target_for_key(year, key), year)


def _verdict(target: Target, rule, entry: ProgressEntry, d: date, thresholds: Thresholds,
             year: int, t: float, read) -> Status:
    """The status ``entry`` gives ``target`` at ``d``; ``read`` reads a recorded text."""
    reading = read(entry.actual)
    if reading.error is not None:
        return Status("grey", why=(_why_unreadable, reading, target, year))
    status = rule(target, reading, entry.as_of, d, thresholds, year, t)
    if status.final or not (entry.forecast or entry.likelihood):
        return status
    return _with_outlook(status, target, entry, read)


def indicator_status(indicator: Indicator, entry: ProgressEntry | None, as_of,
                     settings: Settings, year: int) -> Status:
    """The status of ``indicator`` at ``as_of`` (ISO string or date) with ``entry`` counting.

    The TUI calls this with an unsaved entry to preview the colour before saving it.
    """
    return status_of(target_of(indicator, year), entry, as_of, settings.thresholds, year)


EXPLAINED_COLOURS = ("amber", "red")
"""Colours whose progress entry must give 偏差原因 and 纠偏措施 (the monitoring table asks for
them on every indicator that is behind)."""


def explanation_gaps(status, causes, measures) -> tuple[str, ...]:
    """Which explanations a progress entry giving ``status`` lacks: ``"causes"`` and/or
    ``"measures"``, in that order; empty when none is needed or both are given.

    ``status`` is a ``Status`` or a colour word. The one rule every entry point shares (the
    store enforces it; a form marks the fields it names)."""
    colour = getattr(status, "colour", status)
    if colour not in EXPLAINED_COLOURS:
        return ()
    gaps = []
    if not any(str(c).strip() for c in (causes or ())):
        gaps.append("causes")
    if not (measures or "").strip():
        gaps.append("measures")
    return tuple(gaps)


def missing_explanation(status, causes, measures) -> str | None:
    """A sentence saying which explanation an entry giving ``status`` still needs, or ``None``
    when it may be saved as it is (see ``explanation_gaps``)."""
    gaps = explanation_gaps(status, causes, measures)
    if not gaps:
        return None
    names = {"causes": "at least one cause (偏差原因: 经费保障, 制度保障, 人员保障, 硬件条件保障 "
                       "or 其他)", "measures": "the corrective measures (纠偏措施)"}
    colour = getattr(status, "colour", status)
    return (f"this entry makes the indicator {colour}, so it needs "
            + " and ".join(names[g] for g in gaps))


def budget_status(project: Project, spending_entry: SpendingEntry | None, as_of,
                  settings: Settings) -> Status:
    """The budget-execution light of ``project``: spend ÷ budget against time progress."""
    d = _as_date(as_of)
    th = settings.thresholds
    total = project.budget.total
    year = project.year
    if spending_entry is None:
        return _NO_SPENDING
    spent = float(spending_entry.spent)
    if not total or total <= 0:
        return Status("grey", why=(_why_no_budget, spent))
    rate = execution_rate(spent, total)
    if spent > total:
        return Status("red", False, total, rate, why=(_why_budget, spent, total, None, year))
    t = time_progress(d, year)
    if t <= 0:
        return Status("green", False, 0.0, None, why=(_why_budget, spent, total, d, year))
    v = rate / t
    if v < th.budget_red_below:
        colour = "red"
    elif v < th.budget_amber_below:
        colour = "amber"
    else:
        colour = "green"
    return Status(colour, False, total * t, v, why=(_why_budget, spent, total, d, year))


_NO_SPENDING = Status("grey", reason_zh="尚未填报支出 → 灰", reason_en="no spending reported → grey")


def _why_no_budget(st, spent):
    return (f"预算数缺失，已支出{_n(spent)}万元 → 灰",
            f"no budget amount, {_n(spent)} 万元 spent → grey")


def execution_rate(spent: float | None, total: float | None) -> float | None:
    """预算执行率: ``spent`` ÷ ``total`` (1.0 = the whole budget spent); ``None`` when nothing
    is reported or there is no budget amount to divide by."""
    if spent is None or not total:
        return None
    return spent / total


def _why_budget(st, spent, total, d, year):
    rate = _pct(execution_rate(spent, total))
    zh = f"已支出{_n(spent)}/{_n(total)}万元（执行率{rate}）"
    en = f"spent {_n(spent)} of {_n(total)} 万元 ({rate})"
    if d is None:
        return _tail(st, f"{zh}，超出预算", f"{en} → over budget")
    zh_by, en_by = _span_words(d, year, None)
    if st.ratio is None:
        return _tail(st, f"{zh_by}{zh}", f"{en} {en_by}")
    return _tail(st, f"{zh_by}{zh} → {_pct(st.ratio)}", f"{en} {en_by} → {_pct(st.ratio)}")


# --- roll-ups -------------------------------------------------------------------------------


def rollup(statuses, extra: tuple[str, ...] = ()) -> Rollup:
    """The worst colour and per-colour counts of ``statuses``; ``extra`` colours (the budget
    light) count toward the worst colour only."""
    counts = dict.fromkeys(COLOURS, 0)
    for s in statuses:
        counts[s.colour] += 1
    return Rollup(_worst(counts, extra), counts)


def _worst(counts: dict[str, int], extra=()) -> str:
    for colour in COLOURS:
        if counts[colour] or colour in extra:
            return colour
    return "grey"


def evaluate(dataset: Dataset, as_of: str | None = None) -> Evaluation:
    """Evaluate every indicator, budget, project and unit at ``as_of`` (default: settings).

    Only the progress entry with the latest ``as_of`` on or before the date counts, so an
    earlier quarter can be replayed exactly. A project's colour is the worst of its indicators
    and its budget light; a unit's the worst of its projects; counts are of indicators.
    """
    # The loop allocates ~2 objects per indicator and none of them forms a cycle; left on, the
    # collector would walk the whole dataset (millions of objects) several times per call.
    # One evaluation at a time: the plans' cached verdicts belong to one date (a TUI may start a
    # new evaluation in a worker while the last one still runs).
    with _EVALUATING:
        collecting = gc.isenabled()
        gc.disable()
        try:
            return _evaluate(dataset, as_of)
        finally:
            if collecting:
                gc.enable()


def _evaluate(dataset: Dataset, as_of) -> Evaluation:
    settings = dataset.settings
    key = (as_of if isinstance(as_of, str) else as_of.isoformat()) if as_of else settings.as_of
    d = _day(key)
    th = settings.thresholds
    ev = Evaluation(as_of=key)
    statuses = ev.indicators
    budgets, project_rollups = ev.budgets, ev.projects
    progress_get, spending_get = dataset.progress.get, dataset.spending.get
    stamp = _stamp(key, th)   # statuses cached under another date or thresholds are stale
    prepared = _PREPARED
    colours = COLOURS

    codes = list(dataset.units)
    codes += sorted({p.unit_code for p in dataset.projects.values()} - set(dataset.units))
    total = dict.fromkeys(colours, 0)
    unit_colours: set[str] = set()
    for code in codes:
        unit_counts = dict.fromkeys(colours, 0)
        project_colours: set[str] = set()
        for project in dataset.projects_of(code):
            pid = project.id
            inds = dataset.indicators_of(pid)
            pp = prepared.get(pid)
            if pp is None or pp[0] is not project or pp[1] is not inds:
                pp = prepared[pid] = _prepare_project(project, inds, pp, progress_get)
            counts = dict.fromkeys(colours, 0)
            for prep in pp[2]:
                iid, plan, known, n, last, dates, cases = prep
                entries = progress_get(iid)
                # The history changed since it was prepared (histories only grow or are
                # replaced by a new list): prepare it again.
                if entries is not known or (n and (len(entries) != n or entries[-1] is not last)):
                    prep[:] = _prepare_history(iid, plan, entries)
                    dates, cases = prep[5], prep[6]
                i = bisect_right(dates, key)
                if i:
                    case = cases[i - 1]
                    st = case.status if case.stamp is stamp else _judge(case, stamp, d, th)
                else:
                    if plan.stamp is not stamp:
                        _refresh(plan, stamp, d)
                    st = plan.grey
                statuses[iid] = st
                counts[st.colour] += 1
            # The budget light: the same while the counting spending report and the stamp are.
            # (Dataset.counting_spending, inlined: the latest report on or before the date.)
            spent = None
            for e in reversed(spending_get(pid) or ()):
                if e.as_of <= key:
                    spent = e
                    break
            if pp[3] is spent and pp[4] is stamp:
                budget = pp[5]
            else:
                budget = budget_status(project, spent, d, settings)
                pp[3], pp[4], pp[5] = spent, stamp, budget
            budgets[pid] = budget
            colour = _worst(counts, (budget.colour,))
            project_rollups[pid] = Rollup(colour, counts)
            project_colours.add(colour)
            for c, n in counts.items():
                unit_counts[c] += n
        unit = ev.units[code] = Rollup(_worst(unit_counts, tuple(project_colours)), unit_counts)
        unit_colours.add(unit.colour)
        for c, n in unit_counts.items():
            total[c] += n
    ev.total = Rollup(_worst(total, tuple(unit_colours)), total)

    # Indicators whose project is missing still get a colour, judged in the settings' year.
    if len(statuses) < len(dataset.indicators):
        for ind in dataset.indicators.values():
            if ind.id not in statuses:
                statuses[ind.id] = indicator_status(
                    ind, dataset.counting_progress(ind.id, key), d, settings, settings.year)
    # Projects of other (older) datasets: keep what is prepared from growing without bound.
    if len(prepared) > 2 * len(dataset.projects) + 256:
        for pid in [pid for pid in prepared if pid not in dataset.projects]:
            del prepared[pid]
    return ev


_PREPARED: dict[str, list] = {}
"""Per project id: ``[project, its indicator list, one prepared history per indicator,
spending entry, stamp, budget status]`` — what ``evaluate`` keeps between calls so a change of
date only looks up each indicator's counting case. Valid while the project (immutable) and
the list are the very same objects: a ``Dataset`` builds new lists on any change."""


def _prepare_project(project: Project, inds: list, old: list | None, progress_get) -> list:
    # A dataset rebuilds its lists on any change (a store refresh, another user's write): keep
    # each indicator's prepared history while its target plan is still the same.
    kept = {prep[0]: prep for prep in old[2]} if old is not None else {}
    year = project.year
    preps = []
    for ind in inds:
        plan = _plan_for(year, reading_key(ind))
        prep = kept.get(ind.id)
        if prep is None or prep[1] is not plan:
            prep = _prepare_history(ind.id, plan, progress_get(ind.id))
        preps.append(prep)
    return [project, inds, preps, None, None, None]


_UNTRUSTED = object()


def _prepare_history(iid: str, plan: _Plan, entries: list | None) -> list:
    """``[iid, plan, entries, len, last entry, dates, cases]``: the entry that counts at a date
    is the last one of the history dated on or before it, so only entries dated before every
    later one can ever count; their dates strictly increase and ``bisect`` finds the one.

    Every case is made (and its values read) here, once, rather than at the first date it
    counts: a change of date then judges cases and reads nothing."""
    if not entries:
        # An empty list could grow in place without a last entry to tell: never trust it.
        return [iid, plan, None if entries is None else _UNTRUSTED, 0, None, (), ()]
    case = plan.case
    dates = [e.as_of for e in entries]
    if sorted(set(dates)) == dates:           # one entry per date, in order: the usual case
        cases = [case(e) for e in entries]
    else:
        dates, cases, floor = [], [], None
        for e in reversed(entries):
            if floor is None or e.as_of < floor:
                floor = e.as_of
                dates.append(floor)
                cases.append(case(e))
        dates.reverse()
        cases.reverse()
    return [iid, plan, entries, len(entries), entries[-1], tuple(dates), tuple(cases)]


def _refresh(plan: _Plan, stamp: object, d: date) -> None:
    # What the plan's date makes of it: time progress and the status of no data.
    plan.stamp = stamp
    plan.t = time_progress(d, plan.year, plan.target.deadline)
    plan.grey = _grey(plan.target.deadline, plan.year, d)


def _judge(case: _Case, stamp: object, d: date, th: Thresholds) -> Status:
    """The status of ``case`` at the date and thresholds of ``stamp``, kept on the case:
    ``_verdict`` with what does not depend on the date worked out once per case."""
    plan = case.plan
    if plan.stamp is not stamp:
        _refresh(plan, stamp, d)
    if case.th is not th:
        case.th, case.timeless = th, None
    # Levels, grades, reached targets…: the same at any date (see _TIMELESS).
    st = case.timeless
    if st is None:
        reading = case.reading
        target = plan.target
        if reading.error is not None:
            st = Status("grey", why=(_why_unreadable, reading, target, plan.year))
        else:
            st = plan.rule(target, reading, case.entry.as_of, d, th, plan.year, plan.t)
            if case.outlook and not st.final:
                st = _with_outlook(st, target, case.entry, plan.read)
        if _is_timeless(st):
            case.timeless = st
    case.stamp, case.status = stamp, st
    return st


_EVALUATING = threading.Lock()

# Verdicts explained by these do not depend on the monitoring date (only on the target, the
# recorded values and the thresholds), so evaluate keeps them when the date changes. The others
# — pace, burn rate, a deadline passed, nothing due yet — are recomputed at every date.
_TIMELESS = frozenset((_why_reached, _why_over, _why_within, _why_compare, _why_range,
                       _why_completed, _why_grade, _why_unreadable))


def _is_timeless(st: Status) -> bool:
    # Told by how a fresh verdict will explain itself; an outlook keeps its inner verdict's kind.
    why = st._why
    if why is not None and why[0] is _why_outlook:
        why = why[1]._why
    return why is not None and why[0] in _TIMELESS


@lru_cache(maxsize=64)
def _stamp(as_of: str, thresholds: Thresholds) -> object:
    """One token per (date, thresholds): a plan's verdicts stay valid while its stamp is it, so
    re-evaluating at the same date (after another user's write) reuses every unchanged one."""
    return object()

