"""How a reason writes its figures: numbers, percentages, "by 07-31 (59% of year)" and the
closing verdict, in Chinese and English at once so the two never disagree."""

from __future__ import annotations

from datetime import date

from .colours import COLOUR_ZH
from .numbers import format_number
from .periods import short_date, time_progress, year_end
from .targets import Target


def number(x: float) -> str:
    """A number as reasons print it: no trailing zeros, fewer decimals for big numbers."""
    return format_number(x, 2, scaled=True)


def format_expected(x: float) -> str:
    """An expected value as reasons print it: one decimal is as precise as a pro-rata figure
    deserves. Columns that show it next to a reason use this too, so the two agree."""
    return format_number(x, 1, scaled=True)


def pct(x: float) -> str:
    """A ratio as a whole percentage (0.591 → ``59%``)."""
    return f"{x * 100:.0f}%"


def span_words(d: date, year: int, deadline: date | None,
               start: date | None = None) -> tuple[str, str]:
    """``(zh, en)`` for "by 07-31 (59% of year)" — of the time to an earlier deadline if any,
    or of the target's own period (``start`` to ``deadline``) when it names one."""
    t = time_progress(d, year, deadline, start)
    md = short_date(d, year)
    if start is not None:
        st, dl = short_date(start, year), short_date(deadline or year_end(year), year)
        return (f"截至{md}（{st}至{dl}期间的时间进度{pct(t)}）",
                f"by {md} ({pct(t)} of the period {st} to {dl})")
    if deadline is None or deadline == year_end(year):
        return f"截至{md}（序时进度{pct(t)}）", f"by {md} ({pct(t)} of year)"
    dl = short_date(deadline, year)
    return (f"截至{md}（至{dl}的时间进度{pct(t)}）",
            f"by {md} ({pct(t)} of time to {dl})")


def tail(st, zh: str, en: str) -> tuple[str, str]:
    """Finish a reason with the verdict of ``st``: ``… → amber`` / ``… → 黄``, marking final
    ones."""
    if st.final:
        return f"{zh} → {COLOUR_ZH[st.colour]}（定论）", f"{en} → {st.colour} (final)"
    return f"{zh} → {COLOUR_ZH[st.colour]}", f"{en} → {st.colour}"


def target_words(target: Target) -> str:
    """A target as written: ≥8个, ≤89万元, or 24期 when the table gives no operator."""
    sym = target.symbol if target.op and target.op != "=" else ""
    return f"{sym}{number(target.value)}{target.unit or ''}"
