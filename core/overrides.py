"""An officer's settled reading of one 指标值: confirmed as inferred, or overridden (issue 12 §2).

A ``ReadingOverride`` is kept on its indicator (``Indicator.reading``, stored form
``ReadingOverride.to_dict()``) together with the 指标值 text it was settled against. While the
text is the same, ``apply_override`` turns the inferred ``Target`` into the settled one (no
review, ``source`` ``confirmed`` or ``overridden``); once a re-import changed the text, the
override no longer applies and the inferred reading is flagged again, saying so.

``indicator_target(indicator, year)`` is the one reading of an indicator every part of jixiao
uses; ``reading_key(indicator)`` is everything that reading depends on, so callers can share one
reading between the many indicators with the same key.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from functools import lru_cache

from . import units as _units
from .model import Indicator
from .targets import MEASURES, Target, infer_measure, measure_hint, normalise, parse_target
from .words import KIND_WORDS, word

SOURCES = ("inferred", "confirmed", "overridden")
"""Where a reading comes from: the parser, an officer's confirmation, an officer's override."""

OPS = (">=", "<=", ">", "<", "=", "range", "qualitative", "deadline")
"""What ``--op`` may say: a comparison, or the kind of target when it is not a number."""

_OP_KINDS = ("range", "qualitative", "deadline")
# The kinds are taken by their names in either language (区间, 定性, 时限: the word table's).
_OP_SPELLINGS = {"≥": ">=", "≤": "<=", "＞": ">", "＜": "<", "＝": "=", "=": "=",
                 ">=": ">=", "<=": "<=", ">": ">", "<": "<",
                 **{word(KIND_WORDS, k, lang): k for k in _OP_KINDS for lang in ("en", "zh")}}


def op_choices(lang: str = "zh") -> str:
    """What ``--op`` (and the reading form's operator) takes, named in ``lang``:
    ``≥ ≤ > < = 区间 定性 时限`` / ``≥ ≤ > < = range qualitative deadline``."""
    return " ".join(["≥", "≤", ">", "<", "=", *(word(KIND_WORDS, k, lang) for k in _OP_KINDS)])


def op_word(op: str, lang: str = "zh") -> str:
    """An operator of ``OPS`` as the form shows it: a kind by its name in ``lang``, a
    comparison as it is."""
    return word(KIND_WORDS, op, lang) if op in _OP_KINDS else op


WANTED = ("yes", "no")
"""Which answer meets a qualitative target: the positive one, or the negative one (否, 无)."""

_WANTED_SPELLINGS = {"yes": "yes", "是": "yes", "有": "yes", "达成": "yes",
                     "no": "no", "否": "no", "无": "no", "没有": "no"}

_MEASURE_SPELLINGS = {"cumulative": "cumulative", "累计": "cumulative", "level": "level",
                      "水平": "level"}


class OverrideError(ValueError):
    """An override that cannot be made; the message says what is wrong in English (``zh``: in
    Chinese, the same text when none is given), ``column`` names the table column
    (``core.tables.READING_COLUMNS``) at fault when one is."""

    def __init__(self, message: str, column: str = "nature", *, zh: str | None = None):
        super().__init__(message)
        self.column = column
        self.zh = message if zh is None else zh


@dataclass(frozen=True)
class ReadingOverride:
    """How an officer settled the reading of one 指标值.

    ``text`` is the 指标值 it was settled against; ``source`` is ``confirmed`` (the inferred
    reading is right) or ``overridden`` (the fields given replace the inferred ones: ``op`` one
    of ``OPS``, ``value`` or ``low``/``high``, ``unit``, ``measure``, ``start``/``end`` as ISO
    dates, ``wanted`` for a qualitative target). ``author`` and ``at`` say who and when.
    """

    text: str
    source: str
    op: str | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    measure: str | None = None
    start: str | None = None
    end: str | None = None
    wanted: str | None = None
    author: str = ""
    at: str = ""

    def to_dict(self) -> dict:
        """The stored form, without the fields left empty."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) not in (None, "")}

    @classmethod
    def from_dict(cls, data) -> "ReadingOverride":
        """Read the stored form; ``OverrideError`` when it is not one."""
        if not isinstance(data, dict):
            raise OverrideError("a reading override must be an object")
        known = {f.name for f in fields(cls)}
        try:
            made = cls(**{k: v for k, v in data.items() if k in known})
        except TypeError as exc:
            raise OverrideError(f"a reading override lacks {exc}") from None
        return _checked(made)

    def describe(self) -> str:
        """The settled facts in one line, e.g. ``≤ 300 元/人, level``, for the audit log."""
        if self.source == "confirmed":
            return "confirmed as read"
        parts = []
        if self.op:
            parts.append(self.op)
        if self.value is not None:
            parts.append(_num(self.value))
        if self.low is not None:
            parts.append(f"{_num(self.low)}-{_num(self.high)}")
        for name in ("unit", "measure"):
            if getattr(self, name):
                parts.append(getattr(self, name))
        if self.start or self.end:
            parts.append(f"{self.start or '…'}..{self.end or '…'}")
        if self.wanted:
            parts.append(f"wanted {self.wanted}")
        return " ".join(parts)


def _num(x: float) -> str:
    # Every digit kept (a value goes through CSV and back), no trailing ".0".
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def _checked(o: ReadingOverride) -> ReadingOverride:
    if not isinstance(o.text, str):
        raise OverrideError("a reading override names the 指标值 it was set against")
    if o.source not in ("confirmed", "overridden"):
        raise OverrideError(f"source must be confirmed or overridden, not {o.source!r}")
    if o.op is not None and o.op not in OPS:
        raise OverrideError(f"op must be one of {', '.join(OPS)}, not {o.op!r}",
                            zh=f"运算符必须是 {', '.join(OPS)} 之一，而不是 {o.op!r}")
    for name in ("value", "low", "high"):
        v = getattr(o, name)
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))
                              or v != v or v in (float("inf"), float("-inf"))):
            raise OverrideError(f"{name} must be a finite number, not {v!r}",
                                zh=f"{name} 必须是有限的数字，而不是 {v!r}")
    if o.measure is not None and o.measure not in MEASURES:
        raise OverrideError(f"measure must be cumulative or level, not {o.measure!r}",
                            zh=f"计量方式必须是 cumulative（累计）或 level（水平），而不是 {o.measure!r}")
    if o.wanted is not None and o.wanted not in WANTED:
        raise OverrideError(f"wanted must be yes or no, not {o.wanted!r}",
                            zh=f"期望答复必须是 yes（是）或 no（否），而不是 {o.wanted!r}")
    for name in ("start", "end"):
        v = getattr(o, name)
        if v is not None:
            try:
                date.fromisoformat(v)
            except (TypeError, ValueError):
                raise OverrideError(f"{name} must be a date YYYY-MM-DD, not {v!r}",
                                    zh=f"{name} 必须是 YYYY-MM-DD 形式的日期，而不是 {v!r}") from None
    if o.start and o.end and o.start > o.end:
        raise OverrideError(f"the period runs backwards: start {o.start} is after end {o.end}",
                            zh=f"期间首尾颠倒：起始 {o.start} 晚于截止 {o.end}")
    if o.op == "range" and (o.low is None or o.high is None or o.low > o.high):
        raise OverrideError("a range needs --value LOW-HIGH with LOW ≤ HIGH, e.g. 1-2",
                            zh="区间需要 --value 下限-上限，且下限 ≤ 上限，如 1-2")
    if o.op == "deadline" and not o.end:
        raise OverrideError("a deadline needs --end DATE (the date it is due)",
                            zh="时限需要 --end 日期（到期的日期）")
    if o.op in (">=", "<=", ">", "<", "=") and o.value is None:
        raise OverrideError(f"op {o.op} needs --value", zh=f"运算符 {o.op} 需要 --value")
    if o.unit is not None and (not isinstance(o.unit, str) or len(o.unit) > 20
                               or any(c.isspace() or not c.isprintable() for c in o.unit)):
        raise OverrideError(f"unit must be a short word such as 个, 万元 or 元/人, not {o.unit!r}",
                            zh=f"单位必须是简短的词，如 个、万元 或 元/人，而不是 {o.unit!r}")
    return o


def make_override(text: str, *, confirm: bool = False, op: str | None = None,
                  value: str | float | None = None, unit: str | None = None,
                  measure: str | None = None, start: str | None = None,
                  end: str | None = None, wanted: str | None = None, author: str = "",
                  at: str = "", inferred: Target | None = None) -> ReadingOverride:
    """An override of the reading of ``text`` from what a person typed (``≥`` or ``>=``,
    ``1-2`` for a range, ``累计``/``水平``, ``否``/``no``…); ``OverrideError`` saying what is
    wrong. ``confirm`` settles the inferred reading as it is and takes no other field. An
    operator without ``value`` keeps the number of the ``inferred`` reading (``--op ≤`` turns
    ``≥154.3万元`` into ``≤154.3万元``)."""
    given = {k: v for k, v in dict(op=op, value=value, unit=unit, measure=measure, start=start,
                                   end=end, wanted=wanted).items() if v not in (None, "")}
    if confirm:
        if given:
            raise OverrideError("--confirm takes the reading as inferred; give either it or "
                                "the fields to change",
                                zh="--confirm 表示按推断的解读确认：请只给它，或只给要修改的字段")
        return ReadingOverride(text=text, source="confirmed", author=author, at=at)
    if not given:
        raise OverrideError("nothing to change: give --confirm, --clear or at least one of "
                            "--op --value --unit --measure --start --end --wanted",
                            zh="没有要修改的内容：请给出 --confirm、--clear，或 --op --value --unit "
                               "--measure --start --end --wanted 中至少一项")
    fields_ = {}
    if op is not None:
        key = normalise(str(op)).lower() if op not in _OP_SPELLINGS else op
        fields_["op"] = _OP_SPELLINGS.get(key) or _OP_SPELLINGS.get(str(op).strip())
        if fields_["op"] is None:
            raise OverrideError(f"op must be one of {op_choices('en')}, not {op!r}",
                                zh=f"运算符必须是 {op_choices('zh')} 之一，而不是 {op!r}")
    if value not in (None, ""):
        fields_.update(_value_fields(value, fields_.get("op")))
    elif inferred is not None and fields_.get("op") in (">=", "<=", ">", "<", "="):
        if inferred.value is not None:
            fields_["value"] = inferred.value
    elif inferred is not None and fields_.get("op") == "range" and inferred.low is not None:
        fields_["low"], fields_["high"] = inferred.low, inferred.high
    if unit not in (None, ""):
        fields_["unit"] = normalise(str(unit))
    if measure not in (None, ""):
        m = _MEASURE_SPELLINGS.get(str(measure).strip())
        if m is None:
            raise OverrideError(f"measure must be cumulative (累计) or level (水平), not {measure!r}",
                                zh=f"计量方式必须是 cumulative（累计）或 level（水平），而不是 {measure!r}")
        fields_["measure"] = m
    for name, v in (("start", start), ("end", end)):
        if v not in (None, ""):
            fields_[name] = str(v).strip()
    if wanted not in (None, ""):
        w = _WANTED_SPELLINGS.get(str(wanted).strip().lower())
        if w is None:
            raise OverrideError(f"wanted must be yes (是) or no (否), not {wanted!r}",
                                zh=f"期望答复必须是 yes（是）或 no（否），而不是 {wanted!r}")
        fields_["wanted"] = w
        fields_.setdefault("op", "qualitative")
    return _checked(ReadingOverride(text=text, source="overridden", author=author, at=at,
                                    **fields_))


def _value_fields(value, op: str | None) -> dict:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"value": float(value)}
    s = normalise(str(value))
    if op == "range" or (op is None and any(sep in s[1:] for sep in "-~")):
        for sep in ("-", "~", "至"):
            low, found, high = s.partition(sep) if not s.startswith(sep) else ("", "", "")
            if found:
                try:
                    return {"low": float(low.replace(",", "")), "high": float(high.replace(",", ""))}
                except ValueError:
                    break
        raise OverrideError(f"a range is written LOW-HIGH, e.g. 1-2, not {value!r}",
                            zh=f"区间写作 下限-上限，如 1-2，而不是 {value!r}")
    try:
        return {"value": float(s.replace(",", ""))}
    except ValueError:
        raise OverrideError(f"value must be a number, not {value!r}",
                            zh=f"数值必须是数字，而不是 {value!r}") from None


# --- applying an override ---------------------------------------------------------------------

_STALE = ("the 指标值 changed since {who} settled its reading (it was {old!r}): confirm it again",
          "指标值在{who}确认解读后已改变（原为“{old}”），请重新确认")


def apply_override(target: Target, override: ReadingOverride | None, reread=None) -> Target:
    """``target`` (inferred) as the officer settled it; flagged again when ``override`` was set
    against another 指标值 text. ``reread(text)`` reads a text in the indicator's context
    (category, name): a changed operator or unit without a measure takes the measure the
    rules give the settled target (``≥50万元`` → ``≤`` under 成本 is a cap judged in range)."""
    if override is None:
        return target
    if override.text != target.text:
        who = override.author or "an officer"
        en, zh = (m.format(who=who, old=override.text) for m in _STALE)
        if target.review:
            en, zh = f"{en}; {target.review}", f"{zh}；{target.review_text('zh')}"
        return replace(target, review=en, review_zh=zh)
    if override.source == "confirmed":
        return replace(target, review=None, review_zh=None, source="confirmed")
    return _overridden(target, override, reread)


_SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def _overridden(t: Target, o: ReadingOverride, reread=None) -> Target:
    start = date.fromisoformat(o.start) if o.start else t.start
    end = date.fromisoformat(o.end) if o.end else None
    unit = o.unit if o.unit is not None else t.unit
    common = dict(review=None, review_zh=None, source="overridden", parsed=True, start=start)
    op = o.op
    if op is None:
        # Only some fields given: they replace those of the inferred reading.
        if t.kind in ("quantity", "rate"):
            op = t.op if t.op_written else ("<=" if t.direction == "lower" else
                                            "=" if t.direction == "exact" else ">=")
        elif t.kind == "range":
            op = "range"
        else:
            op = t.kind
    if op == "qualitative":
        return Target(text=t.text, kind="qualitative", wanted=o.wanted if o.wanted else None,
                      deadline=end, note=t.note, **common)
    if op == "deadline":
        return Target(text=t.text, kind="deadline", deadline=end or t.deadline, note=t.note,
                      **common)
    deadline = end or t.deadline
    if op == "range":
        low = o.low if o.low is not None else t.low
        high = o.high if o.high is not None else t.high
        if low is None or high is None:
            return _unusable(t)
        return Target(text=t.text, kind="range", low=low, high=high, unit=unit,
                      measure=o.measure or "level", deadline=deadline, note=t.note, **common)
    value = o.value if o.value is not None else t.value
    if value is None:
        return _unusable(t)
    kind = "rate" if _units.is_percent(unit) else "quantity"
    measure = o.measure
    if measure is None and reread is not None and (op != t.op or unit != t.unit):
        measure = reread(f"{_SYMBOLS[op]}{_num(value)}{unit or ''}").measure
    measure = measure or t.measure or infer_measure(kind, unit)
    direction = {">=": "higher", ">": "higher", "<=": "lower", "<": "lower", "=": "exact"}[op]
    return Target(text=t.text, kind=kind, op=op, value=value, unit=unit, direction=direction,
                  measure=measure, deadline=deadline, note=t.note, op_written=True, **common)


def _unusable(t: Target) -> Target:
    en = "the override gives no value for this kind of target: set --value"
    zh = "覆盖的解读缺少数值：请设置 --value"
    return replace(t, review=en, review_zh=zh)


# --- the reading of an indicator --------------------------------------------------------------


def override_of(indicator: Indicator) -> ReadingOverride | None:
    """The officer's override kept on ``indicator``; ``None`` when there is none or the stored
    form is unreadable (then the inferred reading counts, and ``jixiao check`` names it)."""
    raw = getattr(indicator, "reading", None)
    if raw is None:
        return None
    try:
        return ReadingOverride.from_dict(raw)
    except OverrideError:
        return None


@lru_cache(maxsize=1 << 17)
def name_hint(name: str) -> str:
    """``measure_hint`` of a 三级指标, cached: many indicators share a name."""
    return measure_hint(name)


def reading_key(indicator: Indicator) -> tuple:
    """Everything the reading of ``indicator`` depends on (without the budget year)."""
    return (indicator.target_text, indicator.level1, indicator.category, indicator.measure,
            name_hint(indicator.name or ""), override_of(indicator))


def indicator_target(indicator: Indicator, year: int) -> Target:
    """The reading of ``indicator`` in budget ``year``: inferred, then settled by the officer's
    override if any."""
    return target_for_key(int(year), reading_key(indicator))


@lru_cache(maxsize=1 << 16)
def target_for_key(year: int, key: tuple) -> Target:
    """The reading for a ``reading_key`` in ``year`` (cached: keys repeat)."""
    text, level1, category, measure, hint, override = key
    inferred = parse_target(text, year=year, level1=level1, category=category,
                            measure=measure, hint=hint)
    if override is None:
        return inferred

    def reread(written: str) -> Target:
        return parse_target(written, year=year, level1=level1, category=category,
                            measure=measure, hint=hint)

    return apply_override(inferred, override, reread)


# --- the reading columns of a target table (core.tables.READING_COLUMNS) ----------------------

_NATURES = {"≥": ">=", "≤": "<=", "=": "=", ">": ">", "<": "<", "定性": "qualitative",
            "区间": "range", "时限": "deadline", "正向": ">=", "反向": "<="}
_NATURE_OF = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<", "qualitative": "定性",
              "range": "区间", "deadline": "时限"}
_SOURCE_WORDS = {"确认": "confirmed", "confirmed": "confirmed", "覆盖": "overridden",
                 "overridden": "overridden"}


def override_from_columns(text: str, cells: dict[str, str]) -> ReadingOverride:
    """The override the reading columns of one table row give its 指标值 ``text``: 指标性质
    (``nature``), 度量单位 (``unit``), 计量方式, 起始日期, 截止日期, 期望答复, 解读来源.
    The number is the one in 指标值 (the 四川 layout writes ``300`` there and ``≥`` beside
    it). ``OverrideError`` (with ``column``) when a cell cannot be read."""
    source = cells.get("reading_source", "").strip()
    if source and source not in _SOURCE_WORDS:
        raise OverrideError(f"解读来源 must be 确认 or 覆盖, not {source!r}", "reading_source")
    facts = {k: v for k, v in cells.items() if k != "reading_source" and v.strip()}
    if _SOURCE_WORDS.get(source) == "confirmed" and not facts:
        return ReadingOverride(text=text, source="confirmed")
    op = None
    if facts.get("nature"):
        nature = normalise(facts["nature"])
        op = _NATURES.get(nature) or _OP_SPELLINGS.get(nature)
        if op is None:
            raise OverrideError(f"指标性质 must be one of =, ≥, ≤, >, <, 定性, not "
                                f"{facts['nature']!r}", "nature")
    value = facts.get("value")
    if value is not None:
        pass
    elif op in (">=", "<=", ">", "<", "="):
        value = _number_in(text)
        if value is None:
            raise OverrideError(f"指标性质 {facts['nature']} needs a number in 指标值, not "
                                f"{text!r}", "nature")
    elif op == "range":
        inferred = parse_target(text, year=2000)
        if inferred.kind != "range":
            raise OverrideError(f"指标性质 区间 needs 指标值 written LOW-HIGH, not {text!r}",
                                "nature")
        value = f"{_num(inferred.low)}-{_num(inferred.high)}"
    for column in ("start", "end"):
        if facts.get(column):
            facts[column] = _iso(facts[column], column)
    try:
        return make_override(text, op=op, value=value, unit=facts.get("unit"),
                             measure=facts.get("measure"), start=facts.get("start"),
                             end=facts.get("end"), wanted=facts.get("wanted"))
    except OverrideError as exc:
        column = next((c for c in ("value", "unit", "measure", "start", "end", "wanted")
                       if c in str(exc).split()[0]), "nature")
        raise OverrideError(str(exc), column, zh=exc.zh) from None


def _number_in(text: str) -> float | None:
    inferred = parse_target(text, year=2000)
    if inferred.value is not None:
        return inferred.value
    s = normalise(text).replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


def _iso(text: str, column: str) -> str:
    s = normalise(text).replace("/", "-").replace(".", "-")
    parts = s.split("-")
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except (ValueError, IndexError):
        raise OverrideError(f"{column} must be a date YYYY-MM-DD, not {text!r}", column) from None


def override_columns(override: ReadingOverride | None, lang: str = "zh") -> list[str]:
    """The reading columns (``core.tables.READING_COLUMNS``, in order) for ``override``: empty
    for none; for a confirmed reading only 解读来源; so that importing them gives it back."""
    if override is None:
        return [""] * 8
    zh = lang != "en"
    source = ("确认" if zh else "confirmed") if override.source == "confirmed" else \
        ("覆盖" if zh else "overridden")
    if override.source == "confirmed":
        return ["", "", "", "", "", "", "", source]
    measure = {"cumulative": "累计", "level": "水平"}.get(override.measure or "", "") if zh \
        else (override.measure or "")
    wanted = {"yes": "是", "no": "否"}.get(override.wanted or "", "") if zh \
        else (override.wanted or "")
    if override.low is not None:
        value = f"{_num(override.low)}-{_num(override.high)}"
    else:
        value = "" if override.value is None else _num(override.value)
    return [_NATURE_OF.get(override.op or "", ""), value, override.unit or "", measure,
            override.start or "", override.end or "", wanted, source]
