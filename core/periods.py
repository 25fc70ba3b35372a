"""Dates in the budget year: period ends, time progress (序时进度) and dates written in 指标值.

Calendar arithmetic goes through ``dateutil.relativedelta`` (month ends, quarter ends) rather
than hand-made day tables, so leap years and short months are right by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from .errors import JixiaoError
from .faults import said
from .language import Said
from .model import parse_date

_MONTH_END = relativedelta(day=31)
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def iso_date(value, what: str) -> str:
    """``value`` as a canonical ISO date string, or a ``JixiaoError`` (exit 2) naming ``what``
    (``"--as-of"``, ``"since"`` …) in the user's language: the one way a date typed by a user
    is checked."""
    try:
        return parse_date(value).isoformat()
    except ValueError:
        raise JixiaoError(date_problem(str(value), what)) from None


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # whatever the locale says
_YMD = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*")


def date_problem(text: str, what: str | Said = Said("the date", "日期")) -> Said | None:
    """What is wrong with ``text`` as a date typed for ``what`` (``None``: a real ISO date).

    A well-formed date that is not in the calendar (``2023-02-30``) is told apart from text
    that is not a date at all: "use YYYY-MM-DD" would send the user looking for a typo that is
    not there. The one message for a bad date, wherever it is typed.
    """
    try:
        parse_date(text)
        return None
    except ValueError:
        pass
    return calendar_problem(text, what) or said("date_form", what=what, value=repr(text))


def calendar_problem(text: str, what: str | Said = Said("the date", "日期")) -> Said | None:
    """Why ``text``, written ``YYYY-MM-DD``, is not a day of the calendar (``2023-02-30``:
    February 2023 has 28 days), for ``what``; ``None`` when it is a real day or not written as
    a date at all — for fields where a date is one of several things a user may write."""
    m = _YMD.fullmatch(text)
    if m is None:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return said("no_such_month", what=what, text=text.strip())
    days = (date(year, month, 1) + _MONTH_END).day
    if not 1 <= day <= days:
        return said("no_such_day", what=what, text=text.strip(), year=year, month=month,
                    month_name=_MONTH_NAMES[month - 1], days=days)
    return None


def as_of_problem(as_of: str, year: int) -> Said | None:
    """What is wrong with the ISO date ``as_of`` as the monitoring date of budget ``year``
    (``None``: it is in that year). A date in another year colours every indicator grey, which
    reads as an empty all-clear."""
    if int(as_of[:4]) != year:
        return said("as_of_outside_year", as_of=as_of, year=year)
    return None


def entry_date_problem(as_of: str, year: int, project: str,
                       what: Said = Said("the entry", "记录")) -> Said | None:
    """What is wrong with the ISO date ``as_of`` for ``what`` (a progress or spending entry) of
    the project named ``project`` in budget ``year`` (``None``: it is in that year or the next,
    where final results are reported). A typo like 2030 would otherwise be stored and count
    from then on. The store refuses with it; a form says it as the date is typed."""
    if not year <= int(as_of[:4]) <= year + 1:
        return said("entry_outside_years", what=what, as_of=as_of, year=year, next=year + 1,
                    project=project)
    return None


def year_start(year: int) -> date:
    """1 January of ``year`` — where time progress starts."""
    return date(year, 1, 1)


def year_end(year: int) -> date:
    """31 December of ``year`` — the deadline of a target that names none."""
    return date(year, 12, 31)


def month_end(year: int, month: int) -> date:
    """The last day of ``month`` in ``year``."""
    return date(year, month, 1) + _MONTH_END


def quarter_end(year: int, quarter: int) -> date:
    """The last day of quarter 1–4 of ``year``."""
    return month_end(year, 3 * quarter)


@lru_cache(maxsize=4096)
def time_progress(as_of: date, year: int, deadline: date | None = None,
                  start: date | None = None) -> float:
    """序时进度 at ``as_of``: ``(as_of − start) / (deadline − start)`` clipped to 0..1.

    ``start`` defaults to 1 January of ``year`` — a target naming its own period
    (``2023.07-2024.01``, ``7月起``) passes that period's first day (issue 12 §3) — and
    ``deadline`` to 31 December; a deadline on or before the start (a span that ended last
    year) counts as fully elapsed once reached.
    """
    start = start or year_start(year)
    end = deadline or year_end(year)
    span = (end - start).days
    if span <= 0:
        return 1.0 if as_of >= end else 0.0
    t = (as_of - start).days / span
    return 0.0 if t < 0 else 1.0 if t > 1 else t


def short_date(d: date, year: int) -> str:
    """``07-31`` within the budget year, ``2024-10-31`` outside it — as reasons show dates."""
    return d.strftime("%m-%d") if d.year == year else d.isoformat()


# --- dates written in 指标值 -------------------------------------------------------------------

# One date expression. Text is NFKC-normalised first, so digits and separators are ASCII.
_DATE = re.compile(
    r"(?<!\d)(?:(?P<iso>(?P<iy>(?:19|20)\d\d)[-./](?P<im>\d{1,2})(?:[-./](?P<id>\d{1,2}))?(?!\d))"
    r"|(?:(?P<y>(?:19|20)\d\d)年度?)?"
    r"(?:(?:(?P<m0>\d{1,2})月?[-~至到—](?=\d{1,2}月))?(?P<m>\d{1,2})月份?"
    r"(?:(?P<d>\d{1,2})[日号]|(?P<part>底|末|上旬|中旬|下旬|初|中))?"
    r"|(?P<half>上半年|下半年|年中)"
    r"|第?(?P<q>[一二三四1-4])季度末?"
    r"|[Qq](?P<q2>[1-4])"
    r"|(?P<yend>年底|年末|年内|底|末))"
    r"|(?P<yonly>(?:19|20)\d\d)年度?)"
)

# What may join the two ends of a span: 2022年3月-11月, 2023年3月至2023年11月.
_SPAN = re.compile(r"\s*[-~至到—]+\s*")

_PART_DAY = {"初": 10, "上旬": 10, "中": 20, "中旬": 20}


@dataclass(frozen=True)
class DateMatch:
    """One date found in a text: the date it stands for and where it was written."""

    start: int
    end: int
    date: date
    year_given: bool


def _to_date(m: re.Match, year: int) -> tuple[date, bool] | None:
    # Returns None for a match that is not really a date (13月, a bare 底 without a year).
    g = m.group
    try:
        if g("iso"):
            y, mo = int(g("iy")), int(g("im"))
            return (date(y, mo, int(g("id"))) if g("id") else month_end(y, mo)), True
        if g("yonly"):
            return year_end(int(g("yonly"))), True
        given = g("y") is not None
        y = int(g("y")) if given else year
        if g("m"):
            mo = int(g("m"))
            if g("d"):
                return date(y, mo, int(g("d"))), given
            part = g("part")
            if part in _PART_DAY:
                return date(y, mo, _PART_DAY[part]), given
            return month_end(y, mo), given
        if g("half"):
            return (year_end(y) if g("half") == "下半年" else month_end(y, 6)), given
        q = g("q") or g("q2")
        if q:
            return quarter_end(y, _CN_DIGITS.get(q) or int(q)), given
        if g("yend"):
            if g("yend") in ("底", "末") and not given:
                return None
            return year_end(y), given
    except ValueError:
        return None
    return None


def find_dates(text: str, year: int) -> list[DateMatch]:
    """Every date expression in ``text`` (already NFKC-normalised), spans merged into their end.

    Dates without a year take the budget ``year``; the end of a span without a year takes the
    year of its start (``2022年3月-11月`` → 2022-11-30).
    """
    found: list[DateMatch] = []
    for m in _DATE.finditer(text):
        got = _to_date(m, year)
        if got is None:
            continue
        d, given = got
        if found:
            prev = found[-1]
            gap = text[prev.end:m.start()]
            if gap and _SPAN.fullmatch(gap):
                if not given and prev.year_given and d.year != prev.date.year:
                    d = d.replace(year=prev.date.year) if not (d.month == 2 and d.day == 29) \
                        else month_end(prev.date.year, 2)
                found[-1] = DateMatch(prev.start, m.end(), d, prev.year_given or given)
                continue
        found.append(DateMatch(m.start(), m.end(), d, given))
    return found
