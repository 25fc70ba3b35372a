"""Reading what an owner records (完成值, 全年预计完成情况) against a target: a number in a
compatible unit, a completion date or percent done for deadlines, a grade for qualitative
targets. A value that does not fit is refused with a message saying what is expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from . import units as _units
from .numbers import MAX_DIGITS, too_many_digits
from .language import Said
from .periods import calendar_problem, find_dates
from .targets import Target, normalise


GRADE_SYNONYMS = {
    "达成": "达成", "已达成": "达成", "是": "达成", "合格": "达成", "及时": "达成",
    "完成": "达成", "已完成": "达成", "落实": "达成", "已落实": "达成", "符合": "达成",
    "达标": "达成", "achieved": "达成", "yes": "达成",
    "部分达成": "部分达成", "基本达成": "部分达成", "部分完成": "部分达成",
    "基本完成": "部分达成", "基本合格": "部分达成", "基本及时": "部分达成",
    "partly": "部分达成", "partial": "部分达成",
    "未达成": "未达成", "否": "未达成", "不合格": "未达成", "不及时": "未达成",
    "未完成": "未达成", "未落实": "未达成", "不符合": "未达成", "未达标": "未达成",
    "不达标": "未达成", "missed": "未达成", "no": "未达成",
    "有": "达成", "无": "未达成", "没有": "未达成", "未发生": "未达成", "零发生": "未达成",
    "良好": "达成", "优秀": "达成", "优良": "达成", "较好": "达成", "满意": "达成",
    "正常": "达成", "稳定": "达成", "按时": "达成", "准时": "达成", "有效": "达成",
    "已实现": "达成", "实现": "达成", "已到位": "达成", "到位": "达成", "已提升": "达成",
    "一般": "部分达成", "基本满意": "部分达成", "基本实现": "部分达成", "基本到位": "部分达成",
    "基本落实": "部分达成", "基本符合": "部分达成", "部分实现": "部分达成", "部分落实": "部分达成",
    "较差": "未达成", "差": "未达成", "不满意": "未达成", "未实现": "未达成", "滞后": "未达成",
    "延期": "未达成", "未到位": "未达成", "不到位": "未达成", "未提升": "未达成",
}
"""Words owners write for a grade, mapped to 达成 / 部分达成 / 未达成."""

GRADE_HINT = "达成, 部分达成 or 未达成 (or 是/否, 合格/不合格, 及时/不及时)"
"""How English messages name the grades an owner may write."""

GRADE_HINT_ZH = "达成、部分达成或未达成（也可写是/否、合格/不合格、及时/不及时）"
"""How Chinese messages name the grades an owner may write."""

# What a refused value needed, per language. One table so the two languages never drift apart.
_MESSAGES = {
    "grade": (f"needs a grade: {GRADE_HINT}", f"需要评定：{GRADE_HINT_ZH}"),
    "completion": ("needs a completion date (YYYY-MM-DD) or percent done (e.g. 60%)",
                   "需要完成日期（YYYY-MM-DD）或完成百分比（如 60%）"),
    "percentage": ("needs a percentage, e.g. 95%", "需要百分比，如 95%"),
    "number_in": ("needs a number in {unit}", "需要以{unit}为单位的数字"),
    "number": ("needs a number", "需要数字"),
    "done_after_entry": ("the completion date {done} is after this entry's date {as_of}: a task "
                         "is reported done on or after the day it was done",
                         "完成日期 {done} 晚于本条记录的日期 {as_of}：只能记录已经完成的事"),
    "too_many_digits": (f"a number may have at most {MAX_DIGITS} digits before the point",
                        f"数值在小数点前最多 {MAX_DIGITS} 位"),
    "percent_done_range": ("percent done must be between 0 and 100%",
                           "完成百分比须在 0 到 100% 之间"),
    "amount": ("needs an amount ≥ 0 in 万元 such as 40.1 (or 401000元, 0.5亿元), not {text!r}",
               "需要不小于 0 的金额（万元），如 40.1（或 401000元、0.5亿元），而不是 {text!r}"),
}

_NUMBER = re.compile(r"(?P<num>\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?P<unit>\D*)")
_DONE_WORDS = re.compile(r"(?:已?完成|达成|到位)$")


@dataclass(frozen=True, slots=True)
class Reading:
    """A recorded value as jixiao understands it.

    ``kind`` is ``number`` (``value`` in the target's unit), ``percent`` (percent done toward a
    deadline, in ``value``), ``date`` (completed on ``done_on``), ``grade`` (达成/部分达成/未达成)
    or ``error`` (``error`` says in English what is expected, ``error_zh`` in Chinese;
    ``message(lang)`` picks one).
    """

    text: str
    kind: str
    value: float | None = None
    done_on: date | None = None
    grade: str | None = None
    error: str | None = None
    error_zh: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the value fits its target."""
        return self.error is None

    def message(self, lang: str = "en") -> str | None:
        """What is expected, in ``lang`` ('en' or 'zh'); ``None`` when the value fits."""
        if self.error is None:
            return None
        return self.error_zh if lang == "zh" and self.error_zh else self.error


_NO_WORDS = frozenset(("否", "无", "没有", "未发生", "零发生", "零", "no"))
_YES_WORDS = frozenset(("是", "有", "发生", "yes"))


def grade_for(reading: Reading, target: Target) -> str | None:
    """The grade ``reading`` gives ``target``: its own, except that a target written as a
    negative (``wanted == 'no'``: 否, 无, 零发生) is met by the negative answer, so 否/无 is
    达成 there and 是/有 未达成 (issue 12 §2)."""
    if target.wanted != "no" or reading.grade is None:
        return reading.grade
    said = normalise(reading.text).lower()
    if said in _NO_WORDS:
        return "达成"
    if said in _YES_WORDS:
        return "未达成"
    return reading.grade


def read_actual(text: str, target: Target) -> Reading:
    """Read ``text`` (an actual or a forecast, as a person writes it) against ``target``."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    deadline_year = target.deadline.year if target.deadline else None
    return _read(text, target.kind, target.unit, deadline_year)


def check_actual(text: str, target: Target, *, lang: str = "en") -> str | None:
    """``None`` when ``text`` fits ``target``; else what is expected in ``lang`` ('en' or 'zh'),
    e.g. ``needs a number in 万元`` / ``需要以万元为单位的数字``."""
    return read_actual(text, target).message(lang)


def check_entry_actual(text: str, target: Target, as_of: str, *, lang: str = "en") -> str | None:
    """``check_actual`` for the actual of an entry dated ``as_of`` (ISO): also refuses a
    completion date after ``as_of`` — a forecast may name a future day, an actual may not."""
    problem = check_actual(text, target, lang=lang)
    if problem is not None:
        return problem
    reading = read_actual(text, target)
    if reading.kind == "date" and reading.done_on is not None and reading.done_on.isoformat() > as_of:
        en, zh = _MESSAGES["done_after_entry"]
        return (zh if lang == "zh" else en).format(done=reading.done_on.isoformat(), as_of=as_of)
    return None


def read_amount_wan(text: str, *, lang: str = "en") -> float:
    """An amount of money as a person writes it (``40.1``, ``40.1万元``, ``401,000元``,
    ``0.5亿元``) in 万元 — the one reading of 预算执行数 for every front end.

    Raises ``ValueError`` saying in ``lang`` ('en' or 'zh') what is expected when ``text`` is
    not a non-negative amount of money.
    """
    text = text if isinstance(text, str) else ("" if text is None else str(text))
    reading = _read(text.strip(), "quantity", "万元", None)
    if reading.kind != "number" or reading.value is None or not 0 <= reading.value < float("inf"):
        en, zh = _MESSAGES["amount"]
        raise ValueError((zh if lang == "zh" else en).format(text=text))
    return reading.value


def expected_input(target: Target, lang: str = "en") -> str:
    """What a value for ``target`` must look like, in ``lang`` ('en' or 'zh') — the message of a
    refused entry and the hint of an input field."""
    return _message(_expected_key(target.kind, target.unit), target.unit, lang)


def _expected_key(kind: str, unit: str | None) -> str:
    if kind == "qualitative":
        return "grade"
    if kind == "deadline":
        return "completion"
    if kind == "rate":
        return "percentage"
    return "number_in" if unit else "number"


def _message(key: str, unit: str | None, lang: str) -> str:
    en, zh = _MESSAGES[key]
    return (zh if lang == "zh" else en).format(unit=unit or "")


def _refuse(text: str, key: str, unit: str | None = None) -> Reading:
    # Both languages at once: a reading is cached and shared by callers in either language.
    return Reading(text, "error", error=_message(key, unit, "en"),
                   error_zh=_message(key, unit, "zh"))


# How owners report on "improve" and "carry out" targets (有所提升, 按计划推进, 未能落实 …).
_NOT_MET = re.compile(r"^(?:未|没有|尚未|未能|无明显|不够|不到位)")
_PARTLY = re.compile(r"^(?:基本|部分|初步|大部分|正在|推进中|进行中)")
_MET = re.compile(r"^(?:有所|明显|显著|大幅|逐步|持续|稳步|进一步|得到|有效|全面|切实|按计划|按期|"
                  r"按时|如期|顺利|有序|正常)?(?:提升|提高|改善|增强|加强|增加|扩大|优化|完善|推进|"
                  r"完成|落实|实现|达到|到位|发挥|保障)(?:了|中)?$")


def _grade_of_phrase(s: str) -> str | None:
    """The grade of a short phrase an owner writes instead of a grade word, or ``None``."""
    if len(s) > 12:
        return None
    if _NOT_MET.match(s):
        return "未达成"
    if _PARTLY.match(s):
        return "部分达成"
    if _MET.match(s):
        return "达成"
    return None


_PLAIN = re.compile(r"\d{1,15}(?:\.\d{1,15})?")
_NUMERIC_KINDS = frozenset(("quantity", "rate", "range"))


def read_text(text: str, kind: str, unit: str | None, deadline_year: int | None) -> Reading:
    """Read ``text`` against a target of ``kind`` in ``unit`` (a deadline in ``deadline_year``).

    Uncached: a reading depends on nothing else, so callers may cache it on these four values.
    """
    if kind in _NUMERIC_KINDS and _PLAIN.fullmatch(text):
        # Most values are a bare number: skip normalising (NFKC and friends cost microseconds).
        return Reading(text, "number", value=float(text))
    s = normalise(text)
    expected = _expected_key(kind, unit)
    if not s:
        return _refuse(text, expected, unit)
    if kind == "qualitative":
        grade = GRADE_SYNONYMS.get(s) or GRADE_SYNONYMS.get(s.lower()) or _grade_of_phrase(s)
        if grade:
            return Reading(text, "grade", grade=grade)
        return _refuse(text, expected, unit)
    if kind == "deadline":
        return _read_completion(text, s, deadline_year)
    m = _NUMBER.fullmatch(s)
    if not m:
        return _refuse(text, expected, unit)
    if too_many_digits(m.group("num")):
        return _refuse(text, "too_many_digits")
    number = float(m.group("num").replace(",", ""))
    written = m.group("unit")
    if not written or not unit:
        return Reading(text, "number", value=number)
    converted = _units.convert(number, written, unit)
    if converted is None:
        return _refuse(text, expected, unit)
    return Reading(text, "number", value=converted)


# Keyed on what the reading depends on (not the whole Target), so the many indicators that
# share a unit share the cache.
_read = lru_cache(maxsize=1 << 16)(read_text)


def _read_completion(text: str, s: str, year: int | None) -> Reading:
    m = _NUMBER.fullmatch(s)
    if m and m.group("unit") in ("", "%") and not too_many_digits(m.group("num")):
        value = float(m.group("num").replace(",", ""))
        if value > 100:
            return _refuse(text, "percent_done_range")
        return Reading(text, "percent", value=value)
    try:
        return Reading(text, "date", done_on=date.fromisoformat(s))
    except ValueError:
        pass
    if GRADE_SYNONYMS.get(s) == "达成":
        return Reading(text, "percent", value=100.0)
    body = _DONE_WORDS.sub("", s)
    # Without a deadline year there is no year to lend, so the date must carry its own.
    dates = find_dates(body, year or 0)
    if len(dates) == 1 and dates[0].start == 0 and dates[0].end == len(body):
        return Reading(text, "date", done_on=dates[0].date)
    # 2023-02-30 is a date the calendar lacks, not a mistyped one: say so, as everywhere.
    problem = calendar_problem(body, _COMPLETION_DATE)
    if problem is not None:
        return Reading(text, "error", error=problem.text("en"), error_zh=problem.text("zh"))
    return _refuse(text, "completion")


_COMPLETION_DATE = Said("the completion date", "完成日期")
