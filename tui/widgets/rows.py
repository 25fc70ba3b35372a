"""How one unit, project, indicator or triage row looks at a given width.

Each formatter is a callable ``(row, width, vlist) -> Text`` for ``VirtualList``. Columns are
measured in terminal cells (``rich.cells.cell_len``) so Chinese text lines up; optional columns
drop out, least important first, as the pane narrows. User text is always a literal ``Text``.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

# The expected value is printed exactly as the reason prints it ("应完成≥1.2" and 1.2 in the
# column, not 1.16): one formatter, the status engine's.
from jixiao.core.numbers import format_number
from jixiao.core.budget_light import execution_rate
from jixiao.core.colours import COLOURS
from jixiao.core.reasons import format_expected
from jixiao.core.words import value_word

from ..i18n import GLYPHS, label, status_word
from ..view import Browser, Hit
from .vlist import fit



def fmt_num(value: float | None, digits: int = 2) -> str:
    """A number for a narrow column (``98,544``, ``53.4``), ``—`` for none."""
    if value is None:
        return "—"
    # Big numbers need no decimals to be read at a glance (98,544 rather than 98,543.96).
    return format_number(value, digits, scaled=True, grouped=True)


def counts_text(counts: dict[str, int] | None, vlist, colours=COLOURS) -> Text:
    """Per-colour counts as ``✖3 ▲1 ●4`` — glyph plus number, coloured from the theme; only
    ``colours`` (all by default)."""
    t = Text()
    for colour in colours:
        n = (counts or {}).get(colour, 0)
        if n:
            if t:
                t.append(" ")
            t.append(f"{GLYPHS[colour]}{n}", style=vlist.status_style(colour))
    return t


def status_text(colour: str | None, lang: str, vlist) -> Text:
    """``glyph word`` for a colour, styled from the theme; ``…`` while not yet evaluated."""
    if colour is None:
        return Text("…", style=vlist.status_style("grey"))
    return Text(status_word(colour, lang), style=vlist.status_style(colour))


def name_text(browser: Browser, indicator, lang: str, vlist) -> Text:
    """An indicator's name, led by ``?待核`` / ``?check`` when its reading needs review — a
    glyph and a word, so the mark survives a monochrome terminal and a narrow pane."""
    if indicator is None:
        return Text("")
    if not browser.needs_review(indicator.id):
        return Text(indicator.name)
    t = Text(label("review_mark", lang) + " ", style=vlist.status_style("amber"))
    t.append(indicator.name)
    return t


def join(parts: list[Text]) -> Text:
    """Columns separated by one space."""
    return Text(" ").join(parts)


class UnitRows:
    """Rows of the units pane: code, name, per-colour counts."""

    def __init__(self, browser: Browser, lang: str) -> None:
        self.browser, self.lang = browser, lang

    def header(self, width: int) -> Text:
        """The column header."""
        return Text(label("units", self.lang))

    # Counts in the one worst-first order; in a narrow pane the counts that need no attention
    # (green, then blue) give way to the name.
    COUNT_SETS = (COLOURS, COLOURS[:4], COLOURS[:3])
    NAME_ROOM = 12
    """Cells of the name worth keeping before counts are dropped."""

    def __call__(self, unit, width: int, vlist) -> Text:
        r = self.browser.rollup("units", unit.code)
        counts = r.counts if r else None
        # Many unit names share a long prefix (天津市人民政府…): the code leads, and the prefix
        # shared with other units is elided so what tells them apart stays visible.
        name = Text(f"{unit.code} ") + Text(self.browser.short_name(unit.code))
        want = min(name.cell_len, len(unit.code) + 1 + self.NAME_ROOM)
        text, room = None, 0
        for colours in self.COUNT_SETS:
            # Counts not known yet (not evaluated, or the unit still loading) read "…", never
            # as a unit with nothing in it.
            shown = (counts_text(counts, vlist, colours) if r is not None
                     else Text("…", style=vlist.status_style("grey")))
            if text is not None and not shown:
                break            # never drop every count: an all-green unit still shows ●n
            text, room = shown, max(0, width - shown.cell_len - 1)
            if room >= want:
                break
        return fit(name, room) + Text(" ") + text


class ProjectRows:
    """Rows of the projects pane: name, budget, spent, execution rate, budget light, counts."""

    def __init__(self, browser: Browser, lang: str, as_of) -> None:
        self.browser, self.lang, self.as_of = browser, lang, as_of

    def _widths(self, width: int) -> dict[str, int]:
        # The budget light's column is as wide as its header (灯 / light), never unlabelled.
        w = {"budget": 9, "light": max(2, cell_len(label("col_light", self.lang))),
             "counts": 16 if width >= 60 else 12}
        if width >= 56:
            w["spent"] = 9
        if width >= 64:
            w["rate"] = 6
        return w

    def header(self, width: int) -> Text:
        """The column header."""
        w = self._widths(width)
        fixed = sum(w.values()) + len(w)
        parts = [fit(label("projects", self.lang), max(4, width - fixed)),
                 fit(label("col_budget", self.lang), w["budget"], right=True)]
        if "spent" in w:
            parts.append(fit(label("col_spent", self.lang), w["spent"], right=True))
        if "rate" in w:
            parts.append(fit(label("col_rate", self.lang), w["rate"], right=True))
        parts += [fit(label("col_light", self.lang), w["light"]),
                  fit(label("col_counts", self.lang), w["counts"])]
        return join(parts)

    def __call__(self, project, width: int, vlist) -> Text:
        w = self._widths(width)
        fixed = sum(w.values()) + len(w)
        total = project.budget.total
        entry = self.browser.dataset.counting_spending(project.id, self.as_of())
        spent = entry.spent if entry else None
        budget = self.browser.evaluation.budgets.get(project.id) if self.browser.evaluation else None
        light = budget.colour if budget else "grey"
        glyph = GLYPHS[light] if self.browser.evaluation else "…"
        r = self.browser.rollup("projects", project.id)
        parts = [fit(project.name, max(4, width - fixed)), fit(fmt_num(total), w["budget"], right=True)]
        if "spent" in w:
            parts.append(fit(fmt_num(spent), w["spent"], right=True))
        if "rate" in w:
            ratio = execution_rate(spent, total)
            rate = "—" if ratio is None else f"{ratio:.0%}"
            parts.append(fit(rate, w["rate"], right=True))
        parts.append(fit(Text(glyph, style=vlist.status_style(light)), w["light"]))
        parts.append(fit(counts_text(r.counts if r else None, vlist), w["counts"]))
        return join(parts)


    def summary(self, project) -> Text:
        """The project's money in one labelled line — budget, spent, execution rate and the
        budget light as glyph and word — for the projects pane's bottom border: a pane too
        narrow for the spent and rate columns still shows them for the selected project."""
        if project is None:
            return Text("")
        L = lambda k: label(k, self.lang)  # noqa: E731
        entry = self.browser.dataset.counting_spending(project.id, self.as_of())
        spent = entry.spent if entry else None
        ratio = execution_rate(spent, project.budget.total)
        budget = self.browser.evaluation.budgets.get(project.id) if self.browser.evaluation else None
        t = Text(f"{L('col_budget')} {fmt_num(project.budget.total)} · {L('col_spent')} "
                 f"{fmt_num(spent)} · {L('col_rate')} {'—' if ratio is None else f'{ratio:.0%}'}")
        if budget is not None:
            t.append(f" {status_word(budget.colour, self.lang)}")
        return t


class IndicatorRows:
    """Rows of the indicators pane: status, 二级指标, name, target, actual, expected, forecast,
    reason — the last ones only when there is room."""

    def __init__(self, browser: Browser, lang: str, as_of) -> None:
        self.browser, self.lang, self.as_of = browser, lang, as_of

    def _widths(self, width: int) -> dict[str, int]:
        w = {"status": 8 if self.lang == "en" else 4, "target": 14, "actual": 10}
        if width >= 70:
            w["expected"] = 10
        if width >= 90:
            w["category"] = 12
        if width >= 105:
            w["forecast"] = 10
        if width >= 110:
            # What is left is shared between the name and the reason.
            w["reason"] = max(16, (width - sum(w.values()) - len(w) - 1) // 2)
        return w

    def _name_width(self, width: int, w: dict) -> int:
        return max(6, width - sum(w.values()) - len(w))

    def header(self, width: int) -> Text:
        """The column header."""
        w = self._widths(width)
        L = lambda k: label(k, self.lang)  # noqa: E731 - a local shorthand
        parts = [fit(L("col_status"), w["status"])]
        if "category" in w:
            parts.append(fit(L("col_category"), w["category"]))
        parts += [fit(L("col_name"), self._name_width(width, w)), fit(L("col_target"), w["target"]),
                  fit(L("col_actual"), w["actual"])]
        if "expected" in w:
            parts.append(fit(L("col_expected"), w["expected"]))
        if "forecast" in w:
            parts.append(fit(L("col_forecast"), w["forecast"]))
        if "reason" in w:
            parts.append(fit(L("col_reason"), w["reason"]))
        return join(parts)

    def __call__(self, indicator, width: int, vlist) -> Text:
        w = self._widths(width)
        status = self.browser.status(indicator.id)
        colour = status.colour if status else None
        entry = self.browser.dataset.counting_progress(indicator.id, self.as_of())
        # A unit known from its summary only: its recorded values are being read, not absent.
        none = "…" if self.browser.summarized and self.browser.unit_of(indicator) in \
            self.browser.summarized else "—"
        parts = [fit(status_text(colour, self.lang, vlist), w["status"])]
        if "category" in w:
            parts.append(fit(indicator.category, w["category"]))
        parts += [fit(name_text(self.browser, indicator, self.lang, vlist),
                      self._name_width(width, w)),
                  fit(indicator.target_text, w["target"]),
                  fit(value_word(entry.actual, self.lang, beside=False) if entry else none,
                      w["actual"])]
        if "expected" in w:
            expected = status.expected if status else None
            parts.append(fit("—" if expected is None else format_expected(expected), w["expected"]))
        if "forecast" in w:
            forecast = entry.forecast if entry else None
            parts.append(fit(value_word(forecast, self.lang, beside=False) if forecast else none,
                             w["forecast"]))
        if "reason" in w:
            parts.append(fit(status.reason(self.lang) if status else "", w["reason"]))
        return join(parts)


class TriageRows:
    """Rows of the triage view: status, unit, project, indicator, reason."""

    def __init__(self, browser: Browser, lang: str) -> None:
        self.browser, self.lang = browser, lang

    def _widths(self, width: int) -> tuple[int, int, int, int, int]:
        status = 8 if self.lang == "en" else 4
        rest = max(20, width - status - 4)
        unit, project = rest * 2 // 10, rest * 2 // 10
        name = rest * 25 // 100
        return status, unit, project, name, rest - unit - project - name

    def header(self, width: int) -> Text:
        """The column header."""
        s, u, p, n, r = self._widths(width)
        L = lambda k: label(k, self.lang)  # noqa: E731
        return join([fit(L("col_status"), s), fit(L("col_unit"), u), fit(L("col_project"), p),
                     fit(L("col_name"), n), fit(L("col_reason"), r)])

    def __call__(self, indicator_id: str, width: int, vlist) -> Text:
        ds = self.browser.dataset
        ind = ds.indicators.get(indicator_id)
        proj = ds.projects.get(ind.project_id) if ind else None
        unit = ds.units.get(proj.unit_code) if proj else None
        status = self.browser.status(indicator_id)
        colour = status.colour if status else "grey"
        s, u, p, n, r = self._widths(width)
        return join([fit(status_text(colour, self.lang, vlist), s),
                     fit(Text(f"{unit.code} ") + Text(self.browser.short_name(unit.code)) if unit else "", u),
                     fit(proj.name if proj else "", p),
                     fit(name_text(self.browser, ind, self.lang, vlist), n),
                     fit(status.reason(self.lang) if status else "", r)])


KIND_GLYPH = {"unit": "▣", "project": "▤", "indicator": " "}
"""The mark before a search result telling a unit, a project and an indicator apart."""


class HitRows:
    """A search result row: what it is (unit ▣, project ▤, indicator with its status), its
    name, and where it belongs."""

    def __init__(self, browser: Browser, lang: str) -> None:
        self.browser, self.lang = browser, lang

    def __call__(self, hit: Hit, width: int, vlist) -> Text:
        ds = self.browser.dataset
        unit = ds.units.get(hit.unit_code)
        t = Text(KIND_GLYPH[hit.kind] + " ")
        if hit.kind == "unit":
            t.append(f"{hit.unit_code} ")
            t.append(unit.name if unit else "")
        elif hit.kind == "project":
            proj = ds.projects.get(hit.project_id)
            t.append(proj.name if proj else "")
            t.append("  ← ")
            t.append(self.browser.short_name(hit.unit_code) if unit else "", style="dim")
        else:
            ind = ds.indicators.get(hit.indicator_id)
            proj = ds.projects.get(hit.project_id)
            colour = self.browser.colour(hit.indicator_id)
            t.append(status_word(colour, self.lang) + " ", style=vlist.status_style(colour))
            t.append(ind.name if ind else "")
            t.append("  ")
            t.append(ind.target_text if ind else "")
            t.append("  ← ")
            t.append(proj.name if proj else "", style="dim")
        return fit(t, width)
