"""Reading a verbatim 指标值 into a typed ``Target`` (DESIGN.md §5).

The reader is deliberately conservative: it recognises the ways published tables write numbers,
operators, units and dates, and anything that carries a number it cannot place with confidence
becomes a qualitative target flagged for ``review`` instead of a guess. It never raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import NamedTuple
from datetime import date
from functools import lru_cache

from . import units as _units
from .numbers import MAX_DIGITS, format_number, too_many_digits
from .periods import find_dates
from .words import DIRECTION_WORDS, KIND_WORDS, MEASURE_WORDS, is_cost

KINDS = ("quantity", "rate", "range", "deadline", "qualitative")
"""Every kind of target, in the order DESIGN.md §5 lists them."""

MEASURES = ("cumulative", "level")
"""Whether a numeric target grows through the year (``cumulative``) or is a state (``level``)."""


@dataclass(frozen=True)
class Target:
    """A parsed 指标值. ``text`` is always the verbatim original.

    ``op`` is the operator as written (``=`` when none is written; ``op_written`` tells the two
    apart); ``direction`` is how the status rules read it: ``higher`` (at least), ``lower`` (at
    most, a cap), ``exact`` or ``None`` for ranges, deadlines and qualitative targets.
    ``review`` says in English why a person should look at the target, ``review_zh`` in Chinese
    (``review_text(lang)`` picks one).
    """

    text: str
    kind: str
    op: str | None = None            # '>=', '<=', '>', '<', '='
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None          # as written: '个', '万元', '%', '元/亩' …
    deadline: date | None = None
    direction: str | None = None     # 'higher' | 'lower' | 'exact' | None
    measure: str | None = None       # 'cumulative' | 'level' | None
    note: str | None = None
    parsed: bool = True
    review: str | None = None        # why a person should look at this target
    review_zh: str | None = None     # the same in Chinese
    op_written: bool = False         # whether the text names its operator (≥, 不低于, 以上 …)
    start: date | None = None        # the start of a period the text names (2023.07-2024.01)
    wanted: str | None = None        # qualitative: 'yes', or 'no' when a negative answer meets it
    source: str = "inferred"         # 'inferred' | 'confirmed' | 'overridden' (by an officer)

    @property
    def needs_review(self) -> bool:
        """Whether the reading is doubtful: ``review`` says why. A reading an officer confirmed
        or overrode never is."""
        return self.review is not None

    @property
    def confidence(self) -> str:
        """``confident`` or ``needs review`` (DESIGN.md §6: readings are confident or need
        review)."""
        return "needs review" if self.review is not None else "confident"

    def to_dict(self) -> dict:
        """JSON-ready form (dates as ISO strings), for snapshots and ``jixiao explain``."""
        return {
            "text": self.text,
            "kind": self.kind,
            "op": self.op,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "direction": self.direction,
            "measure": self.measure,
            "note": self.note,
            "parsed": self.parsed,
            "review": self.review,
            "needs_review": self.review is not None,
            "source": self.source,
            "start": self.start.isoformat() if self.start else None,
            "wanted": self.wanted,
        }

    def unconfirmed(self, lang: str = "en") -> str | None:
        """What a status reason adds when this reading needs review (it still gets a colour,
        but says the reading is unconfirmed, and why); ``None`` for a confident reading."""
        if self.review is None:
            return None
        if lang == "zh":
            return f"（指标值解读待确认：{self.review_text('zh')}）"
        return f" (reading unconfirmed: {self.review})"

    def review_text(self, lang: str = "en") -> str | None:
        """Why a person should look at this target, in ``lang`` ('en' or 'zh'); ``None`` if no
        need."""
        if self.review is None:
            return None
        return self.review_zh if lang == "zh" and self.review_zh else self.review

    @property
    def symbol(self) -> str:
        """The operator as a person reads it: ``≥``, ``≤``, ``>``, ``<`` or ``=``."""
        return _SYMBOL.get(self.op or "=", "=")


_SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}

# --- normalising ----------------------------------------------------------------------------

_TRANSLATE = str.maketrans({
    "≧": "≥", "≦": "≤", "≯": "≤", "≮": "≥", "⩾": "≥", "⩽": "≤",
    "～": "~", "〜": "~", "—": "-", "–": "-", "－": "-", "−": "-", "﹣": "-",
    "，": ",", "；": ";", "、": ",", "﹪": "%",
})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """``text`` in the form the patterns expect: NFKC (full-width digits and symbols become
    ASCII), one spelling per operator (``>=`` → ``≥``), no white space."""
    t = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    t = _SPACE.sub("", t)
    return t.replace(">=", "≥").replace("<=", "≤").replace("=>", "≥").replace("=<", "≤") \
        .replace("≥=", "≥").replace("≤=", "≤")


# --- operators ------------------------------------------------------------------------------

# Longest first, so 大于等于 wins over 大于.
_WORD_OPS = {
    "大于或等于": ">=", "大于等于": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=",
    "至少": ">=", "达到": ">=", "≥": ">=",
    "小于或等于": "<=", "小于等于": "<=", "不超过": "<=", "不高于": "<=", "不大于": "<=",
    "不多于": "<=", "最多": "<=", "控制在": "<=", "≤": "<=",
    "高于": ">", "大于": ">", "多于": ">", "超过": ">", ">": ">",
    "低于": "<", "小于": "<", "少于": "<", "<": "<",
    "等于": "=", "=": "=",
}
_SUFFIX_OPS = {
    "及以上": ">=", "或以上": ">=", "以上": ">=",
    "及以下": "<=", "或以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=", "内": "<=",
}
_OP_ALT = "|".join(re.escape(w) for w in sorted(_WORD_OPS, key=len, reverse=True))
_SUFFIX_ALT = "|".join(re.escape(w) for w in sorted(_SUFFIX_OPS, key=len, reverse=True))
_NUM = r"(?:\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_SEP = r"[,;。:()\[\]]"

_SINGLE = re.compile(
    rf"(?P<label>[^\d≥≤<>=]*?)(?P<op>{_OP_ALT})?(?P<num>{_NUM})"
    rf"(?P<unit>[^\d,;。:()\[\]]*?)(?P<suffix>{_SUFFIX_ALT})?(?P<rest>(?:{_SEP}.*)?)"
)
_RANGE = re.compile(
    rf"(?P<label>[^\d≥≤<>=]*?)(?P<low>{_NUM})(?P<unit1>[^\d\-~至到,;。:()]*?)(?:-|~|至|到)"
    rf"(?P<high>{_NUM})(?P<unit>[^\d,;。:()\[\]]*?)(?P<rest>(?:{_SEP}.*)?)"
)
_LEADING_SEP = re.compile(rf"^{_SEP}+|{_SEP}+$")

# --- why a target needs a person's look ---------------------------------------------------------


class _Review(NamedTuple):
    en: str
    zh: str


# One table for both languages so the two never say different things.
_REVIEWS = {
    "unknown_unit": ("unit {unit!r} is not a unit jixiao knows", "单位“{unit}”不是 jixiao 认识的单位"),
    "approximate": ("an approximate value (约/左右): check what counts as reaching it",
                    "近似值（约/左右）：请确认怎样算达到"),
    "range_backwards": ("range {low}–{high} runs backwards", "区间 {low}–{high} 上下限写反了"),
    "op_conflict": ("the operator before the number and the word after it disagree",
                    "数字前的运算符与数字后的词相互矛盾"),
    "cost_lower_bound": ("a 成本指标 with a lower bound (≥): check whether ≤ was meant",
                         "成本指标写了下限（≥）：请确认是否应为≤"),
    "unknown_measure": ("unknown measure {measure!r}; using the inferred one",
                        "未知的计量方式“{measure}”，已按推断的方式处理"),
    "unreadable": ("could not be read ({error})", "无法解读（{error}）"),
    "empty": ("empty 指标值", "指标值为空"),
    "uncertain_number": ("contains a number jixiao could not read with confidence",
                         "含有 jixiao 无法确定如何解读的数字"),
    "several_dates": ("{n} dates in one target; the latest ({latest}) is the deadline",
                      "一个指标值里有 {n} 个日期，以最晚的（{latest}）为截止日期"),
    "bare_number": ("a number with neither operator nor unit: check what it counts and whether "
                    "it is at least, at most or exactly", "数字既无运算符也无单位：请确认计量对象，"
                    "以及是不低于、不高于还是等于"),
    "fragment": ("the unit is part of a sentence ({words}): check the reading",
                 "单位嵌在句子里（{words}）：请确认解读"),
    "run_together": ("digits run together ({digits}): no reading is safe (a date? a count?)",
                     "数字连写（{digits}），无法可靠解读（日期？数量？）"),
    "too_many_digits": ("a number with more than {limit} digits ({digits}…): no count or amount "
                        "is that large; check the 指标值", "数字超过 {limit} 位（{digits}…），"
                        "不可能是数量或金额：请核对指标值"),
    "scale_grade": ("a grade on a scale ({grade}): say which answer counts as met",
                    "等级式目标（{grade}）：请确认哪种答复算达成"),
    "measure_guess": ("no operator: whether it accumulates through the year or is a level is a "
                      "guess (read as {measure})", "未写运算符，累计还是水平为推测（按{measure}解读）"),
}


def _review(key: str, **values) -> _Review:
    en, zh = _REVIEWS[key]
    return _Review(en.format(**values), zh.format(**values))


def _review_fields(review: _Review | None) -> dict:
    """The ``review`` / ``review_zh`` keyword arguments of a ``Target``."""
    if review is None:
        return {}
    return {"review": review.en, "review_zh": review.zh}


# --- units ----------------------------------------------------------------------------------

_KNOWN_UNITS = frozenset("""
个 项 类 种 份 台 人 期 次 人次 场 篇 件 套 家 户 所 座 辆 条 本 册 部 天 日 月 年 周 小时 分钟 秒
元 千元 万元 百万元 亿元 % 百分比 百分点 平方米 平方公里 公里 千米 米 亩 公顷 吨 千克 公斤 克
株 棵 头 只 批 处 间 张 块 页 字 首 幅 集 版 课时 学时 节 支 名 位 人天 人日 床 盒 箱 辆次
架次 车次 班次 批次 场次 频次 起 宗 单 笔 例 组 队 届 工作日 个工作日 个月 户次 门 栋 层 所次 周期 轮 分
""".split())
_MAX_UNKNOWN_UNIT = 2  # an unlisted classifier is short (期, 篇); longer runs are words
_PER_WORDS = frozenset(("千人", "万人", "百人", "人年", "生", "学生", "户", "床", "车", "年", "月"))


_LONGEST_UNIT = max(map(len, _KNOWN_UNITS)) + 1  # + 1 for a 万 or 亿 in front


def _known_unit(u: str) -> bool:
    return u in _KNOWN_UNITS or (len(u) > 1 and u[0] in "万亿" and u[1:] in _KNOWN_UNITS)


def _split_unit(run: str) -> tuple[str | None, str, _Review | None]:
    """``(unit, trailing words, review)`` from the run of text after a number."""
    if not run:
        return None, "", None
    if "/" in run:
        top, _, bottom = run.partition("/")
        for n in range(len(bottom), 0, -1):
            if _known_unit(bottom[:n]) or bottom[:n] in _PER_WORDS:
                if n == len(bottom):
                    break
                # 元/人发放: a standard inside prose; the unit is 元/人, the rest is words.
                return f"{top}/{bottom[:n]}", bottom[n:], None
        return run, "", None
    if len(run) <= _MAX_UNKNOWN_UNIT or _known_unit(run):
        # 元/亩, and short runs such as 批次 or 篇: the whole run is the unit.
        return run, "", None
    # Only prefixes as long as a known unit (with 万/亿 before it) can be one: trying every
    # prefix of the run made a long 指标值 cost quadratic time.
    for n in range(min(len(run), _LONGEST_UNIT), 0, -1):
        if _known_unit(run[:n]):
            return run[:n], run[n:], None
    return run, "", _review("unknown_unit", unit=run)


# --- what the category says ---------------------------------------------------------------

# Source (DESIGN.md §6, issue 12 §3): the published provincial warning rule judges 质量、时效、
# 成本 indicators in range / out of range, not against time progress, and 满意度 is a level.
_LEVEL_CATEGORIES = ("质量", "满意", "时效", "成本")

# Source (DESIGN.md §6, issue 12 §3): levels, not cumulative — rates and ratios (…率, 比例,
# 占比, 百分比), per-capita and per-unit values (每千人…, 人均, 元/亩, 元/人, 元/平方米),
# specifications (service life in years, sizes, ranges, capacities) and satisfaction.
_LEVEL_NAME = re.compile(
    r"率|比例|占比|比重|百分比|满意|人均|户均|亩均|均价|单价|平均|标准|"
    r"每(?!年)|年限|寿命|使用期|规格|尺寸|面积|容量|长度|宽度|高度|厚度|直径|功率|载重|分值|得分|评分")
_PER_CAPITA = re.compile(r"每[千万百十]?(?:人|户|亩|平方米|公里|床)|人均|户均|亩均|单位面积")
# Names that end in a count of things done through the year: cumulative, even with 每月 in them.
_COUNT_NAME = re.compile(r"(?:数量|次数|人数|个数|户数|场次|人次|件数|期数|总量|总数|数)$")


def measure_hint(name: str) -> str:
    """What the 三级指标 name (or the words around a number) says about cumulative or level:
    ``level`` (a rate, a per-unit value, a specification, satisfaction), ``count`` (a number of
    things done), or ``''``. Passed to the reader instead of the name, so the many indicators
    whose names say nothing share one reading."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKC", name)
    if _PER_CAPITA.search(s):
        return "level"
    if _COUNT_NAME.search(s):
        return "count"
    if _LEVEL_NAME.search(s):
        return "level"
    return ""


def infer_measure(kind: str, unit: str | None, level1: str = "", category: str = "",
                  hint: str = "") -> str | None:
    """``cumulative`` or ``level`` for a numeric target, from its kind, unit, category and the
    ``hint`` of its name (``measure_hint``).

    Rates, per-item units (``元/亩``), ranges, 质量/时效/成本/满意度 targets and names that say
    rate, per-unit, specification or satisfaction are levels; counts and absolute amounts
    (数量, 效益) grow through the year.
    """
    if kind in ("deadline", "qualitative"):
        return None
    if kind in ("rate", "range") or _units.is_percent(unit) or _per_unit(unit):
        return "level"
    where = category + level1
    if any(word in where for word in _LEVEL_CATEGORIES) or hint == "level":
        return "level"
    return "cumulative"


def _per_unit(unit: str | None) -> bool:
    """Whether ``unit`` is a value per person, area, item… (元/人, 元/亩): a level. A count
    per year (次/年) is not: in a year's table it is that year's count."""
    return bool(unit) and "/" in unit and "/" in _units.family(unit)[0]


def _measure_is_guess(category: str, level1: str, unit: str | None, hint: str) -> bool:
    """Whether ``infer_measure`` had nothing but its default to go on: no category, unit or
    name that says count or level (数量 counts, 质量/时效/成本/满意 levels)."""
    where = category + level1
    if "数量" in where or hint or (unit and ("/" in unit or _units.is_percent(unit))):
        return False
    return not any(word in where for word in _LEVEL_CATEGORIES)


# --- the reader -----------------------------------------------------------------------------


def parse_target(text: str, *, year: int, level1: str = "", category: str = "",
                 measure: str | None = None, name: str = "", hint: str | None = None) -> Target:
    """Read ``text``; never raises. ``measure`` overrides the inferred cumulative/level;
    ``name`` is the 三级指标 (or pass its ``measure_hint`` as ``hint``)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if hint is None:
        hint = measure_hint(name if isinstance(name, str) else "")
    return _parse_cached(text, int(year), level1 or "", category or "", measure, hint)


@lru_cache(maxsize=65536)
def _parse_cached(text: str, year: int, level1: str, category: str,
                  measure: str | None, hint: str = "") -> Target:
    try:
        return _parse(text, year, level1, category, measure, hint)
    except Exception as exc:  # the promise is "never raises": a bug here must not stop a table
        return Target(text=text, kind="qualitative", parsed=False,
                      **_review_fields(_review("unreadable", error=type(exc).__name__)))


def _parse(text: str, year: int, level1: str, category: str, measure: str | None,
           hint: str = "") -> Target:
    s = normalise(text)
    if not s:
        return Target(text=text, kind="qualitative", parsed=False,
                      **_review_fields(_review("empty")))
    if measure is not None and measure not in MEASURES:
        override_review = _review("unknown_measure", measure=measure)
        measure = None
    else:
        override_review = None

    run = _RUN_TOGETHER.search(s)
    if run and _looks_like_run_date(run.group(0), year):
        return Target(text=text, kind="qualitative", parsed=False,
                      **_review_fields(_review("run_together", digits=run.group(0))))

    # A number too long for a float would read as inf and compare as met or missed against
    # any actual: no reading of it is safe, as for an actual (numbers.MAX_DIGITS).
    huge = next((m.group(0) for m in _NUMBER_RUN.finditer(s) if too_many_digits(m.group(0))), None)
    if huge is not None:
        return Target(text=text, kind="qualitative", parsed=False,
                      **_review_fields(_review("too_many_digits", limit=MAX_DIGITS,
                                               digits=huge[:MAX_DIGITS])))

    # Source (issue 12 §3): a target that names its own period (2023.07-2024.01, 2021年1月-12月,
    # 7月起) measures time progress over that period, not from 1 January.
    period = own_period(s, year)
    if period is not None:
        start, end, rest = period
        if any(c.isdigit() for c in rest):
            inner = _parse(rest, year, level1, category, measure, hint)
            if inner.kind in ("quantity", "rate", "range"):
                return replace(inner, text=text, start=start,
                               deadline=end if end is not None else inner.deadline)
        elif end is not None:
            note = _LEADING_SEP.sub("", _FILLER.sub("", rest)) or None
            return Target(text=text, kind="deadline", deadline=end, start=start, note=note)

    # 本年度内完成, 当年完成: within the budget year, like 年内完成.
    dated = _THIS_YEAR.sub("年内", s)
    dates = find_dates(dated, year)
    if dates and _reads_as_deadline(dated, dates, category):
        return _deadline(text, dated, dates)

    m = _RANGE.fullmatch(s)
    if m and not m.group("label").endswith(tuple(_WORD_OPS)) \
            and not any(c.isdigit() for c in m.group("rest")):
        target = _range(text, m, measure)
        if target is not None:
            return _with_review(target, override_review)
    m = _SINGLE.fullmatch(s)
    if m and not any(c.isdigit() for c in m.group("rest")):
        target = _single(text, m, level1, category, measure, hint)
        if target is not None:
            return _with_review(target, override_review)

    if any(c.isdigit() for c in s):
        # Several numbers (培训12期，满意度95%) or a number inside a sentence: a person decides.
        return Target(text=text, kind="qualitative", parsed=False,
                      **_review_fields(_review("uncertain_number")))
    return _qualitative(text, s)


_THIS_YEAR = re.compile(r"(?:本|当)年度?内?|^年度内")

# --- digits run together ------------------------------------------------------------------------

_NUMBER_RUN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")  # 1,000,000.5

# 2023612 (2023年6月12日 with the separators lost), 202306: a year glued to a month and day.
_RUN_TOGETHER = re.compile(r"(?<![\d.,])(?:19|20)\d{4,6}(?![\d.,])")


def _looks_like_run_date(digits: str, year: int) -> bool:
    """Whether ``digits`` reads as a year near the budget year glued to a month (and day)."""
    if abs(int(digits[:4]) - year) > 5:
        return False
    tail = digits[4:]
    # Every way of splitting the tail into a month (1–12) and maybe a day (1–31).
    for cut in range(1, len(tail) + 1):
        month, day = tail[:cut], tail[cut:]
        if len(month) > 2 or len(day) > 2 or (month.startswith("0") and len(month) == 1):
            continue
        if 1 <= int(month) <= 12 and (not day or 1 <= int(day) <= 31):
            return True
    return False


# --- a period named in the text -----------------------------------------------------------------

_FROM_MONTH = re.compile(r"(?:自|从)?(?:(?P<y>(?:19|20)\d\d)年)?(?P<m>\d{1,2})月份?"
                         r"(?:(?P<d>\d{1,2})[日号])?(?:起|开始|以来)")


def own_period(s: str, year: int) -> tuple[date, date | None, str] | None:
    """``(start, end, the rest of the text)`` of a period ``s`` (normalised) names —
    ``2023.07-2024.01``, ``2021年1月-12月``, ``2023年3月至11月``, ``7月起`` — or ``None``.
    ``end`` is ``None`` for an open period (``7月起``: to the end of the year)."""
    m = _FROM_MONTH.search(s)
    if m:
        try:
            y = int(m.group("y") or year)
            start = date(y, int(m.group("m")), int(m.group("d") or 1))
        except ValueError:
            return None
        return start, None, s[:m.start()] + s[m.end():]
    for d in find_dates(s, year):
        span = s[d.start:d.end]
        for sep in _SPAN_SEP.finditer(span):
            left = span[:sep.start()]
            found = find_dates(left, year)
            if len(found) == 1 and found[0].start == 0 and found[0].end == len(left):
                start = _period_start(left, found[0].date)
                if start < d.date:
                    return start, d.date, s[:d.start] + s[d.end:]
    return None


_SPAN_SEP = re.compile(r"[-~至到—]+")


def _period_start(written: str, end_of_part: date) -> date:
    # 2023.07 and 2023年7月 stand for a whole month, 2023年 for a whole year: the period starts
    # on its first day; 2023年7月5日 and 2023-07-05 name the day itself.
    if re.search(r"[日号]", written) or re.fullmatch(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}", written):
        return end_of_part
    if "月" in written or re.fullmatch(r"\d{4}[-./]\d{1,2}", written):
        return end_of_part.replace(day=1)
    if "季" in written or re.search(r"[Qq][1-4]", written):
        return date(end_of_part.year, end_of_part.month - 2, 1)
    if "下半年" in written:
        return date(end_of_part.year, 7, 1)
    return date(end_of_part.year, 1, 1)


# --- qualitative targets ---------------------------------------------------------------------

# A target written as a negative is met by the negative answer (issue 12 §2): 否, 无, 零发生.
_NEGATIVE = re.compile(r"^(?:否|无|没有|不存在|零|0)$|零发生|未发生|无(?:重大)?(?:安全|责任|质量)?"
                       r"(?:事故|事件|投诉|违规|违纪|问题)|^不发生|杜绝")
# Grades on a scale the three grades (达成/部分达成/未达成) cannot map without being told.
_SCALE = re.compile(r"(?:优|优秀|优良|良|良好|较好|好|中|中等|一般|合格以上|[A-Da-d]级?|"
                    r"[一二三四五甲乙丙]级|[1-5]星级?|高|较高|很高)")


def _qualitative(text: str, s: str) -> Target:
    if _NEGATIVE.search(s):
        return Target(text=text, kind="qualitative", wanted="no")
    if _SCALE.fullmatch(s):
        return Target(text=text, kind="qualitative",
                      **_review_fields(_review("scale_grade", grade=s)))
    return Target(text=text, kind="qualitative")


def _with_review(target: Target, review: _Review | None) -> Target:
    if review is None:
        return target
    if target.review:
        review = _Review(f"{target.review}; {review.en}",
                         f"{target.review_text('zh')}；{review.zh}")
    return replace(target, **_review_fields(review))


_DATE_WORDS = re.compile(r"[年月季旬日号]|半年|年中|[Qq][1-4]")
_FILLER = re.compile(r"^(?:之前|以前|前|止)+")


def _reads_as_deadline(s: str, dates, category: str) -> bool:
    """A date is the target when no other number is left beside it and it is written like a
    date (with 年/月/季度…, or as a full ISO date, or in a 时效 row)."""
    rest = _remove_dates(s, dates)
    if any(c.isdigit() for c in rest):
        return False
    written = "".join(s[d.start:d.end] for d in dates)
    if _DATE_WORDS.search(written):
        if any(c.isdigit() for c in written):
            return True
        # Only words (年底, 上半年): a deadline in a 时效 row or when little else is said;
        # a sentence such as 年内未发生安全事故 stays qualitative.
        return "时效" in category or len(_FILLER.sub("", rest)) <= 4
    # 2023-06-30 (three parts) is a date anywhere; 2023.6 only where a date is expected.
    full = all(written.count(sep) >= 2 for sep in "-./" if sep in written) and any(
        sep in written for sep in "-./")
    return full or "时效" in category


def _remove_dates(s: str, dates) -> str:
    out, pos = [], 0
    for d in dates:
        out.append(s[pos:d.start])
        pos = d.end
    out.append(s[pos:])
    return "".join(out)


def _deadline(text: str, s: str, dates) -> Target:
    latest = max(d.date for d in dates)
    before = s[:dates[0].start]
    after = s[dates[-1].end:]
    between = _remove_dates(s[dates[0].start:dates[-1].end], dates)
    words = _FILLER.sub("", after)
    note = "".join(p for p in (before, between, words) if p)
    note = _LEADING_SEP.sub("", note) or None
    review = None
    if len(dates) > 1:
        review = _review("several_dates", n=len(dates), latest=latest.isoformat())
    return Target(text=text, kind="deadline", deadline=latest, note=note,
                  **_review_fields(review))


def _number(raw: str) -> float:
    return float(raw.replace(",", ""))


def _notes(*parts: str) -> str | None:
    note = ",".join(p for p in (_LEADING_SEP.sub("", x) for x in parts) if p)
    return note or None


def _approximate(label: str, rest: str, unit_words: str) -> _Review | None:
    if "约" in label or "左右" in unit_words or "左右" in rest or "大约" in label:
        return _review("approximate")
    return None


def _range(text: str, m: re.Match, measure: str | None) -> Target | None:
    unit, words, review = _split_unit(m.group("unit"))
    unit1 = m.group("unit1")
    if unit1 and _units.convert(1.0, unit1, unit) is None:
        return None
    low, high = _number(m.group("low")), _number(m.group("high"))
    if unit1 and unit1 != unit:
        low = _units.convert(low, unit1, unit)
    if low > high:
        review = review or _review("range_backwards", low=m.group("low"), high=m.group("high"))
        low, high = high, low
    review = review or _approximate(m.group("label"), m.group("rest"), words)
    return Target(
        text=text, kind="range", low=low, high=high, unit=unit,
        measure=measure or "level", note=_notes(m.group("label"), words, m.group("rest")),
        **_review_fields(review),
    )


def _single(text: str, m: re.Match, level1: str, category: str,
            measure: str | None, hint: str = "") -> Target | None:
    unit, words, review = _split_unit(m.group("unit"))
    label = m.group("label")
    cost = is_cost(level1, category)
    if cost and unit == "万":
        # Source (issue 12 §3): an amount under 成本 written with 万 alone means 万元.
        unit = "万元"
    guessed_measure = measure is None
    op = _WORD_OPS.get(m.group("op") or "")
    suffix = _SUFFIX_OPS.get(m.group("suffix") or "")
    if suffix:
        if op and op != suffix and op != "=":
            review = review or _review("op_conflict")
        op = op if op and op != "=" else suffix
    if not op and label:
        # 完成率达到95% or 满意度95%: the label is kept; a trailing op word inside it counts.
        for word, word_op in _WORD_OPS.items():
            if label.endswith(word):
                op, label = word_op, label[: -len(word)]
                break
    written_op = op is not None
    op = op or "="
    kind = "rate" if _units.is_percent(unit) else "quantity"
    if measure_hint(label) == "level":   # 人均≥500元, 每月发放≥100人: the words say per-unit
        hint = "level"
    money = _units.is_money(unit) or _units.is_money((unit or "").partition("/")[0])
    if measure is None and cost and money and op in (">=", ">") and "/" not in (unit or ""):
        # A spending floor (read as written, flagged below) grows through the year like spend.
        measure = "cumulative"
    measure = measure or infer_measure(kind, unit, level1, category, hint)
    if op in (">=", ">"):
        direction = "higher"
        if cost and money:
            review = review or _review("cost_lower_bound")
    elif op in ("<=", "<"):
        direction = "lower"
    elif _number(m.group("num")) == 0:
        # 0次, 0起: nothing may happen (accidents, complaints) — a cap at zero, whatever the
        # category, not "at least 0", which anything would meet.
        direction = "lower"
    elif kind == "rate":
        direction = "higher"          # a bare rate means "at least"
    elif cost and money:
        # A bare amount under 成本 is a spending cap; a per-unit standard (元/人) too (§3).
        direction = "lower"
    elif measure == "level" and hint != "level" and not ("/" in (unit or "")):
        direction = "exact"
    else:
        # A bare count is read as "at least", as finance systems do; so is a bare level whose
        # name says rate, per-unit value or specification (使用年限 8年: at least 8 years).
        direction = "higher"
    review = review or _approximate(label, m.group("rest"), words)
    if label and words and not written_op and not review:
        if not (unit and "/" in unit) and not label.endswith("标准"):
            # Words on both sides of a bare number (第2批次完成后再定): part of a sentence.
            return None
        # A standard inside prose (严格执行标准300元/人发放): read, but a person confirms.
        review = _review("fragment", words=f"{label}…{words}")
    if not review and not written_op and unit is None and kind == "quantity":
        review = _review("bare_number")
    if not review and not written_op and guessed_measure and kind == "quantity" \
            and _measure_is_guess(category, level1, unit, hint):
        review = _Review(_REVIEWS["measure_guess"][0].format(measure=measure),
                         _REVIEWS["measure_guess"][1].format(
                             measure=MEASURE_NAMES["zh"].get(measure, measure)))
    return Target(
        text=text, kind=kind, op=op, value=_number(m.group("num")), unit=unit,
        direction=direction, measure=measure, note=_notes(label, words, m.group("rest")),
        op_written=written_op, **_review_fields(review),
    )


# --- saying how a target was read ---------------------------------------------------------

# The names of kinds, directions and measures per language live in the word table.
KIND_NAMES, DIRECTION_NAMES, MEASURE_NAMES = KIND_WORDS, DIRECTION_WORDS, MEASURE_WORDS

_DIRECTION = {
    "higher": ("at least", "不低于"), "lower": ("at most", "不高于"),
    "exact": ("exactly", "等于"),
}
# The operators that already say what a direction means; any other (none written, or = on a
# rate) is read by a rule, and the rule is named.
_SAYS = {"higher": (">=", ">"), "lower": ("<=", "<"), "exact": ("=",)}
_WHY = {
    "rate": ("a rate without ≥ or ≤ means at least", "比率未写≥或≤时即指不低于"),
    "higher": ("as the finance systems read a number without ≥ or ≤",
               "与财政系统对未写≥或≤的数字的读法一致"),
    "lower": ("an amount under 成本指标 without ≥ or ≤ is a spending cap",
              "成本指标中未写≥或≤的金额是支出上限"),
    "exact": ("a level without ≥ or ≤ is to be met exactly", "未写≥或≤的水平值须恰好达到"),
}


def _lang_index(lang: str) -> int:
    return 1 if lang == "zh" else 0


def _names(table: dict, lang: str) -> dict:
    return table["zh" if lang == "zh" else "en"]


def operator_text(target: Target, lang: str = "en") -> str | None:
    """The operator of a numeric target as written, and — when the symbol alone does not say it
    (none written, or ``=`` on a rate) — how it is read and why, e.g. ``none written — read as
    at least (as the finance systems read a number without ≥ or ≤)``. ``None`` for kinds
    without an operator."""
    if target.op is None:
        return None
    zh = lang == "zh"
    direction = target.direction or ""
    if target.op_written and target.op in _SAYS.get(direction, ()):
        return target.symbol
    shown = target.symbol if target.op_written else ("未写明" if zh else "none written")
    words = _DIRECTION.get(direction)
    if words is None:
        return shown
    why = _WHY["rate" if direction == "higher" and target.kind == "rate" else direction]
    i = _lang_index(lang)
    return f"{shown}，按“{words[i]}”解读（{why[i]}）" if zh else \
        f"{shown} — read as {words[i]} ({why[i]})"


def reading_fields(target: Target, lang: str = "en") -> list[tuple[str, str]]:
    """``(field, shown value)`` for every part of the reading that is set, in ``lang`` — what
    ``jixiao explain`` lists. Fields: kind, op, value, low, high, unit, deadline, direction,
    measure, note, review. Numbers without trailing zeros; the note as written."""
    shown = {
        "kind": _names(KIND_NAMES, lang).get(target.kind, target.kind),
        "op": operator_text(target, lang),
        "value": None if target.value is None else format_number(target.value),
        "low": None if target.low is None else format_number(target.low),
        "high": None if target.high is None else format_number(target.high),
        "unit": target.unit,
        "deadline": target.deadline.isoformat() if target.deadline else None,
        "direction": _names(DIRECTION_NAMES, lang).get(target.direction, target.direction),
        "measure": _names(MEASURE_NAMES, lang).get(target.measure, target.measure),
        "note": target.note,
        "review": target.review_text(lang),
    }
    return [(key, value) for key, value in shown.items() if value is not None]


def describe(target: Target, lang: str = "en") -> str:
    """One line saying how ``target`` was read, e.g. ``quantity: at least 8 个, cumulative``."""
    zh = lang == "zh"
    unit = target.unit or ""
    if target.kind in ("quantity", "rate"):
        words = _DIRECTION.get(target.direction or "", ("", ""))[_lang_index(lang)]
        body = f"{words} {format_number(target.value)}{(' ' if not zh else '') + unit if unit else ''}"
        measure = _names(MEASURE_NAMES, lang).get(target.measure, "")
        line = f"{body}，{measure}" if zh else f"{body}, {measure}"
    elif target.kind == "range":
        sp = "" if zh else " "
        line = f"{format_number(target.low)}–{format_number(target.high)}{sp}{unit}".rstrip()
    elif target.kind == "deadline":
        iso = target.deadline.isoformat()
        line = f"{iso}前完成" if zh else f"done by {iso}"
    else:
        line = "按等级评定（达成/部分达成/未达成）" if zh else \
            "judged by a grade (达成 / 部分达成 / 未达成)"
    kind = _names(KIND_NAMES, lang)[target.kind]
    out = f"{kind}：{line}" if zh else f"{kind}: {line}"
    if target.note:
        out += f"（备注：{target.note}）" if zh else f" (note: {target.note})"
    if target.review:
        out += f"【需复核：{target.review_text('zh')}】" if zh else f" [review: {target.review}]"
    return out
