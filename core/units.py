"""Units of measure in 指标值 and 完成值: which ones can be compared, and how to convert.

A unit is kept as written (``万元``, ``元/亩``, ``万人次``); this module maps it to a *family*
(a base unit plus a factor) so that ``0.5亿元`` can be judged against ``≤89万元`` and ``17万份``
against ``170000份``. Units that share no family are never compared.
"""

from __future__ import annotations

from functools import lru_cache

PERCENT = "%"
"""The base unit of every rate (``%``, ``％``, ``百分比``)."""

# Spellings that mean the same unit. Keys are NFKC-normalised already (``％`` → ``%``).
_SYNONYMS = {
    "百分比": PERCENT,
    "百分率": PERCENT,
    "公斤": "千克",
    "千米": "公里",
    "日": "天",
    "个工作日": "工作日",
    "人/次": "人次",
    "m2": "平方米",
    "㎡": "平方米",
    "km": "公里",
}

# Units that are a fixed multiple of another one.
_MULTIPLES = {
    "千元": ("元", 1e3),
    "万元": ("元", 1e4),
    "百万元": ("元", 1e6),
    "千万元": ("元", 1e7),
    "亿元": ("元", 1e8),
    "千克": ("克", 1e3),
    "吨": ("克", 1e6),
    "万吨": ("克", 1e10),
    "分钟": ("秒", 60.0),
    "小时": ("秒", 3600.0),
    "公里": ("米", 1e3),
    "平方公里": ("平方米", 1e6),
    "公顷": ("平方米", 1e4),
    "万平方米": ("平方米", 1e4),
}

# "Per year": in a table of one budget year a count per year is a count in that year.
_PER_YEAR = frozenset(("年", "年度", "每年", "a"))

# Magnitude prefixes that turn any count into a bigger one: 万人次, 万份, 亿人.
_PREFIXES = (("亿", 1e8), ("万", 1e4))


@lru_cache(maxsize=4096)
def family(unit: str | None) -> tuple[str, float]:
    """The ``(base, factor)`` of ``unit``: ``万元`` → ``('元', 10000.0)``; ``''`` for no unit.

    Compound units convert their numerator only: ``万元/亩`` → ``('元/亩', 10000.0)``.
    """
    if not unit:
        return ("", 1.0)
    unit = unit.strip()
    if "/" in unit:
        top, _, bottom = unit.partition("/")
        base, factor = family(top)
        if bottom in _PER_YEAR:
            # 4次/年 in a budget year's table is 4 次 in that year: recorded as 2次 or 2.
            return (base, factor)
        return (f"{base}/{_SYNONYMS.get(bottom, bottom)}", factor)
    unit = _SYNONYMS.get(unit, unit)
    if unit in _MULTIPLES:
        return _MULTIPLES[unit]
    for prefix, factor in _PREFIXES:
        if len(unit) > 1 and unit.startswith(prefix):
            base, inner = family(unit[len(prefix):])
            return (base, factor * inner)
    return (unit, 1.0)


def convert(value: float, from_unit: str | None, to_unit: str | None) -> float | None:
    """``value`` in ``from_unit`` expressed in ``to_unit``; ``None`` when they cannot be compared."""
    src, dst = family(from_unit), family(to_unit)
    if src[0] != dst[0]:
        # 120元 against ≤150元/人: owners leave out the "per …" of a per-unit target.
        top = dst[0].partition("/")[0]
        if "/" in src[0] or "/" not in dst[0] or src[0] != top:
            return None
    if src[1] == dst[1]:
        return value
    return value * src[1] / dst[1]


def is_percent(unit: str | None) -> bool:
    """Whether ``unit`` is a rate (``%``, ``百分比``)."""
    return family(unit)[0] == PERCENT


def is_money(unit: str | None) -> bool:
    """Whether ``unit`` is an amount of money (``元``, ``万元``, ``亿元``, not ``元/亩``)."""
    return family(unit)[0] == "元"
