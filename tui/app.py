"""The monitoring app: units → projects → indicators → detail, with triage, search and forms.

The app coordinates; ``core`` decides every colour and ``store`` does every read and write, always
in thread workers so the screen never freezes. Another process's writes are picked up by a worker
that polls ``Store.refresh`` about once a second.

Start-up comes in two stages (``JixiaoApp._load``): the unit the cursor starts on is loaded and
coloured first, every other unit listed from the store's unit index with its counts "…"; then
the whole directory is loaded and evaluated in the same worker and swapped in whole. Until then
triage, search and n/N say "loading…" rather than answer for part of the data.
"""

from __future__ import annotations

import inspect
import threading
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Iterable

from rich.text import Text
from textual import work
from textual.worker import get_current_worker
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from jixiao.core import readings
from jixiao.core import status as engine
from jixiao.core.errors import JixiaoError
from jixiao.store.grants import REPORTER_ROLES

from jixiao.store.exports import write_atomically
from .i18n import label
from .versions import (Versions, copy_dataset, mark_partial, with_progress, with_settings,
                      with_spending)
from .screens.dates import DateScreen
from .screens.error import ErrorScreen
from .screens.export import ExportScreen
from .screens.help import HelpScreen
from .screens.record import RecordProgressScreen
from .screens.spending import SpendingScreen
from .view import Browser, Hit
from .widgets.detail import DetailData, DetailPane
from .widgets.footer import KeyFooter
from .widgets.literal import literal
from .widgets.rows import HitRows, IndicatorRows, ProjectRows, TriageRows, UnitRows
from .widgets.vlist import VirtualList

ACTIONS = (
    # (key, action, label key, shown in footer); the short footer label is ``s_…`` for ``k_…``
    # and the command palette's description ``h_…``.
    ("e", "record", "k_record", True),
    ("s", "spend", "k_spend", True),
    ("r", "triage", "k_triage", True),
    ("n", "next_alert(1)", "k_next", True),
    ("N", "next_alert(-1)", "k_prev", True),
    ("slash", "search", "k_search", True),
    ("o", "sort", "k_sort", True),
    ("d", "date", "k_date", True),
    ("x", "export", "k_export", True),
    ("question_mark", "help", "k_help", True),
    ("escape", "back", "k_back", True),
    ("q", "quit", "k_quit", True),
)
"""Every app-level key. Footer and command palette are both built from this table."""

FOOTER_KEEP = ("help", "quit")
"""Keys the footer never drops, however narrow the terminal."""

FOOTER_DROP_ORDER = ("command_palette", "back", "next_alert-prev", "sort", "next_alert", "export",
                     "date", "spend", "search", "triage", "record")
"""The order in which the footer drops keys when even short labels do not fit; the first
``FOOTER_MINOR`` go before the labels are shortened."""

FOOTER_MINOR = 2
"""How many keys of ``FOOTER_DROP_ORDER`` the footer drops before it shortens the labels."""

KEY_DISPLAY = {"slash": "/", "question_mark": "?", "escape": "Esc"}
"""How the footer, help screen and palette write keys whose Textual names are words."""

PANE_KEYS = (
    ("↑ ↓ / j k", "k_up"), ("PgUp PgDn", "k_page"), ("Home End", "k_home_end"),
    ("Enter", "k_open"), ("Tab / Shift+Tab", "k_focus_next"), ("Ctrl+P", "k_palette"),
)
"""``(keys, label key)`` of the keys every pane understands, for the help screen."""


def binding_id(action: str) -> str:
    """A stable id per action: ``next_alert(1)`` → ``next_alert``, ``(-1)`` → ``next_alert-prev``."""
    return action.replace("(-1)", "-prev").split("(")[0]


def check_value(text: str, target, lang: str) -> str | None:
    """``core.readings.check_actual`` with its message in the UI language (``None``: fits)."""
    if _takes_lang(readings.check_actual):
        return readings.check_actual(text, target, lang=lang)
    # A core without localised messages yet: its English message beats none at all.
    return readings.check_actual(text, target)


def _takes_lang(function) -> bool:
    try:
        return "lang" in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def plotted_value(text: str, target) -> float | None:
    """What the sparkline plots for one recorded actual: the number ``core.readings`` reads in
    the target's unit (``0.5亿元`` against 万元 is 5000, a percent done is its percent), or
    ``None`` for what is not a number (a completion date, a grade, an unreadable value)."""
    if target is None:
        return None
    try:
        reading = readings.read_actual(text, target)
    except Exception:  # a hint only: an unreadable value leaves a gap, never an error
        return None
    return reading.value if reading.kind in ("number", "percent") else None


def fingerprint(dataset, unit_code: str) -> int:
    """What ``dataset`` holds of one unit, as a number: its name, projects, indicators and the
    ids of its progress and spending entries (entries are never edited in place)."""
    ds = dataset
    h = hash(ds.units.get(unit_code))
    for p in ds.projects_of(unit_code):
        h ^= hash(p)
        for e in ds.spending.get(p.id, ()):
            h ^= hash(e.id)
        for i in ds.indicators_of(p.id):
            h ^= hash(i)
            for e in ds.progress.get(i.id, ()):
                h ^= hash(e.id)
    return h


def _touched(old, new) -> bool:
    # Whether a refresh that stopped half-way changed ``new``: the store replaces the settings
    # and the unit of every partition it re-reads with new objects, and drops vanished units.
    return (new.settings is not old.settings or old.units.keys() != new.units.keys()
            or any(new.units.get(code) is not unit for code, unit in old.units.items()))


def short_label(text: str) -> str:
    """The key of the short footer label of the label key ``text`` (``k_record`` → ``s_record``)."""
    return "s_" + text.removeprefix("k_")


def make_binding(key: str, action: str, text: str, show: bool, lang: str) -> Binding:
    """One app key with its description and tooltip in ``lang``."""
    return Binding(key, action, label(text, lang), show=show, id=binding_id(action),
                   key_display=KEY_DISPLAY.get(key), tooltip=label(text, lang))


class JixiaoApp(App):
    """The terminal UI of jixiao over one ``store.repository.Store`` (or any object with its
    interface), labelled in ``lang`` ('zh' or 'en')."""

    CSS_PATH = "jixiao.tcss"
    TITLE = "jixiao"
    BINDINGS = [make_binding(key, action, text, show, "en") for key, action, text, show in ACTIONS] + [
        Binding("down", "into_results", "Results", show=False)]

    def __init__(self, store, *, lang: str = "zh", poll_interval: float = 1.0) -> None:
        super().__init__()
        self.store = store
        self.lang = lang
        self.poll_interval = poll_interval
        # The versions workers publish; ``dataset`` is the one on screen (UI thread only).
        self.versions = Versions()
        self._shown_serial = 0
        self.dataset = None
        self.browser: Browser | None = None
        self.user = "?"
        self.user_role = "?"
        self.may_report = False
        self.view_as_of: str | None = None
        self.by_status = False
        self.unit_code: str | None = None
        self.project_id: str | None = None
        self.indicator_id: str | None = None
        self.mode = "browse"           # what the indicators pane lists: browse | triage | search
        self._editable: dict[str, bool] = {}
        self._stop = threading.Event()
        self.failure: JixiaoError | None = None
        self._detail_shown: str | None = None
        self._poll_problem: str | None = None
        # Per unit, a fingerprint of what this process knows of it (its own writes included),
        # so a reload can tell another process's change from the echo of one's own.
        self._prints: dict[str, int] = {}
        self._localise_bindings()

    def _localise_bindings(self) -> None:
        # BINDINGS is a class attribute; the same bindings in the user's language replace them.
        local = {binding_id(action): make_binding(key, action, text, show, self.lang)
                 for key, action, text, show in ACTIONS}
        for key, bindings in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [local.get(b.id, b) for b in bindings]

    # --- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """Header, the unit and project panes side by side, indicators, detail, footer."""
        yield Static(Text(label("loading", self.lang)), id="header")
        with Horizontal(id="top"):
            yield VirtualList(self._unit_rows, header=None, empty=label("loading", self.lang), id="units")
            yield VirtualList(self._project_rows, header=self._project_header,
                              empty=label("no_projects", self.lang), id="projects")
        yield Input(id="search", placeholder=label("search_hint", self.lang))
        yield VirtualList(self._indicator_rows, header=self._indicator_header,
                          empty=label("no_indicators", self.lang), id="indicators")
        yield DetailPane(id="detail")
        yield KeyFooter(short={binding_id(action): label(short_label(text), self.lang)
                               for _, action, text, _ in ACTIONS},
                        keep=FOOTER_KEEP, drop_order=FOOTER_DROP_ORDER, minor=FOOTER_MINOR,
                        palette=(label("f_palette", self.lang), label("s_palette", self.lang)))

    # Formatters are resolved late: the Browser exists only once the data is loaded, and a
    # new version of the data comes with a new one.
    def _unit_rows(self, row, width, vlist):
        return UnitRows(self.browser, self.lang)(row, width, vlist)

    def _project_rows(self, row, width, vlist):
        return ProjectRows(self.browser, self.lang, lambda: self.as_of)(row, width, vlist)

    def _project_header(self, width):
        return ProjectRows(self.browser, self.lang, lambda: self.as_of).header(width)

    def _indicator_rows(self, row, width, vlist):
        return IndicatorRows(self.browser, self.lang, lambda: self.as_of)(row, width, vlist)

    def _indicator_header(self, width):
        return IndicatorRows(self.browser, self.lang, lambda: self.as_of).header(width)

    def _triage_rows(self, row, width, vlist):
        return TriageRows(self.browser, self.lang)(row, width, vlist)

    def _triage_header(self, width):
        return TriageRows(self.browser, self.lang).header(width)

    def _hit_rows(self, row, width, vlist):
        return HitRows(self.browser, self.lang)(row, width, vlist)

    def on_mount(self) -> None:
        """Titles, focus, and the first load (in a worker)."""
        for id, key in (("units", "units"), ("projects", "projects"), ("indicators", "indicators"),
                        ("detail", "detail")):
            self.query_one(f"#{id}").border_title = label(key, self.lang)
        self.query_one("#units", VirtualList).focus()
        self.query_one(DetailPane).show(None, self.lang)
        self._adapt(self.size.width, self.size.height)
        self._load()

    def on_resize(self, event) -> None:
        """Panes adapt to small terminals (80×24 and up)."""
        self._adapt(event.size.width, event.size.height)

    def _adapt(self, width: int, height: int) -> None:
        self.screen.set_class(width < 100, "-narrow")
        self.screen.set_class(height < 30, "-short")

    def on_unmount(self) -> None:
        """Stop the polling worker promptly."""
        self._stop.set()

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast, shown literally by default: messages carry user text (unit codes, paths
        the user typed, the store's messages quoting them), and Textual would read ``[red]``
        in them as markup — or fail on ``[/x]``."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # --- state ------------------------------------------------------------------------------
    @property
    def as_of(self) -> str:
        """The monitoring date the screen shows: the stored one unless changed for this view."""
        if self.view_as_of:
            return self.view_as_of
        return self.dataset.settings.as_of if self.dataset else ""

    @property
    def settings(self):
        """The dataset's settings."""
        return self.dataset.settings

    # Read from the panes themselves, not from state updated by messages: a key pressed right
    # after a cursor move must act on the row the user sees.
    def current_indicator(self):
        """The indicator under the cursor of the indicators pane (in any mode), or ``None``."""
        row = self.query_one("#indicators", VirtualList).current if self.dataset else None
        if isinstance(row, str):                     # triage lists indicator ids
            return self.dataset.indicators.get(row)
        if isinstance(row, Hit):
            return self.dataset.indicators.get(row.indicator_id) if row.indicator_id else None
        return row

    def current_project(self):
        """The project under the cursor of the projects pane, or ``None``."""
        return self.query_one("#projects", VirtualList).current if self.dataset else None

    def can_edit(self, unit_code: str | None) -> bool:
        """Whether the user may record for ``unit_code`` (asked once per unit per load)."""
        if unit_code is None:
            return False
        if unit_code not in self._editable:
            try:
                self._editable[unit_code] = bool(self.store.can_edit_unit(unit_code))
            except JixiaoError:
                self._editable[unit_code] = False
        return self._editable[unit_code]

    def _update_header(self) -> None:
        if not self.dataset:
            return
        L = lambda k: label(k, self.lang)  # noqa: E731
        t = Text(f"jixiao · {L('app_title')} · {L('year')} {self.settings.year} · {L('as_of')} {self.as_of}")
        if self.view_as_of and self.view_as_of != self.settings.as_of:
            t.append(f" ({L('view_only')})")
        t.append(" · ")
        t.append(literal(self.user))
        t.append(f" ({self.user_role})")
        if self.by_status:
            t.append(f" · {L('sorted_status')}")
        self.query_one("#header", Static).update(t)

    # --- loading and refreshing -------------------------------------------------------------
    # Workers never change the dataset the screen shows: they publish a new version (see
    # tui/locking.py) and hand it over with ``call_from_thread``; ``_take`` swaps it in here,
    # on the UI thread, which is the only thread that reads ``self.dataset`` and ``self.browser``.
    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        # Two stages when the store can list its units cheaply: the unit the cursor starts on
        # is loaded, evaluated and shown first (every unit listed, its counts "…"), then
        # everything — so the first screen never waits for the whole directory.
        try:
            user, role = self.store.user, self.store.role()
            first = self._first_stage()
        except JixiaoError as exc:
            self.call_from_thread(self._failed, exc)
            return
        except OSError as exc:
            self.call_from_thread(self._failed, JixiaoError(f"{exc.filename or ''}: {exc.strerror or exc}"))
            return
        if first is not None:
            with self.versions.writing():
                self._prints.clear()
                serial = self.versions.publish(first)
            as_of = self.view_as_of or first.settings.as_of
            # One unit evaluates in milliseconds: its colours come with the data.
            evaluation = engine.evaluate(first, as_of)
            self.call_from_thread(self._loaded, serial, first, user, role, evaluation, as_of)
        try:
            dataset = self.store.load()
            if first is not None:
                with self.versions.writing():
                    # Writes made (by anyone, this app included) while the files were read:
                    # ``refresh`` re-reads just the files that changed since, before the
                    # complete version supersedes the versions that hold them.
                    self.store.refresh(dataset)
                    serial = self.versions.publish(dataset)
        except JixiaoError as exc:
            self.call_from_thread(self._failed, exc)
            return
        except OSError as exc:
            self.call_from_thread(self._failed, JixiaoError(f"{exc.filename or ''}: {exc.strerror or exc}"))
            return
        as_of = self.view_as_of or dataset.settings.as_of
        if first is not None:
            # The complete state arrives whole with its colours: counts, triage and search are
            # never shown half-known.
            evaluation = engine.evaluate(dataset, as_of)
            self.call_from_thread(self._completed, serial, dataset, evaluation, as_of)
        else:
            with self.versions.writing():
                self._prints.clear()
                serial = self.versions.publish(dataset)  # builds the index here, not on the UI thread
            # The panes are usable as soon as the data is in; the colours follow a moment later.
            self.call_from_thread(self._loaded, serial, dataset, user, role)
            self.call_from_thread(self._evaluated, dataset, engine.evaluate(dataset, as_of), as_of)
        # Fingerprints last: they only matter once someone writes.
        for code in list(dataset.units):
            with self.versions.writing():
                latest = self.versions.latest
                if code not in self._prints and code in latest.units:
                    self._prints[code] = fingerprint(latest, code)

    def _first_stage(self):
        """The first stage of a start-up (from the load worker): the partitions of the first
        unit by code, every other unit listed but marked pending (``tui.locking``); ``None``
        when the store cannot list its units cheaply or there is only one unit to load."""
        listing = getattr(self.store, "unit_listing", None)
        if listing is None:
            return None
        units = listing()
        codes = sorted({key.unit_code for key in units})
        if len(codes) < 2:
            return None
        first = self.store.load(keys=[key for key in units if key.unit_code == codes[0]])
        for unit in units.values():
            # Names from the index; the unit's own file has the final say once loaded.
            first.units.setdefault(unit.code, unit)
        first.invalidate()
        return mark_partial(first, frozenset(codes[1:]))

    def _failed(self, error: JixiaoError) -> None:
        # The panes have nothing to show: the message, in full, takes the whole screen until
        # the user retries (after restoring the file) or quits with the error's exit status.
        self.failure = error
        self.push_screen(ErrorScreen(error.message, lang=self.lang, exit_code=error.exit_code),
                         self._failure_handled)

    def _failure_handled(self, choice: str | None) -> None:
        if choice == "retry":
            self.failure = None
            self._load()
        else:
            self.exit(return_code=self.failure.exit_code if self.failure else 2)

    async def action_quit(self) -> None:
        """Quit (``q``, Ctrl+Q); after a failed load with that failure's exit status."""
        self.exit(return_code=self.failure.exit_code if self.failure else 0)

    def _take(self, serial: int, dataset) -> bool:
        """Show the published ``dataset`` if it is newer than the one shown (versions handed
        over from different threads may arrive out of order); whether it was taken."""
        if serial <= self._shown_serial:
            return False
        self._shown_serial = serial
        self.dataset = dataset
        self.browser = (self.browser.for_dataset(dataset) if self.browser is not None
                        else Browser(dataset, None))
        return True

    def _loaded(self, serial: int, dataset, user: str, role: str, evaluation=None,
                as_of: str | None = None) -> None:
        self._shown_serial = 0            # a retried load starts the count again
        self.browser = None
        self._take(serial, dataset)
        self.user, self.user_role = user, role or "reader"
        self.may_report = role in REPORTER_ROLES
        self._editable.clear()
        units = self.query_one("#units", VirtualList)
        units.empty = label("no_units", self.lang)
        units.set_rows(self.browser.units(), announce=False)
        self._show_unit(units.current.code if units.current else None)
        self._update_header()
        if evaluation is not None:
            self._evaluated(dataset, evaluation, as_of)
        if self.browser.complete:
            self._poll()
        # else: the poll starts with the complete state (``_completed``); a refresh of the
        # first stage would read every other file in the poll worker meanwhile.

    def _completed(self, serial: int, dataset, evaluation, as_of: str) -> None:
        """The second stage of a start-up: the complete dataset and its colours replace the
        first unit's; cursors stay where the user put them. Then the poll starts."""
        if self._take(serial, dataset):
            self._editable.clear()
            if as_of == self.as_of:
                self._apply_evaluation(evaluation, reshow=True)
            else:                         # the user changed the date meanwhile
                self._apply_evaluation(self.browser.evaluation, reshow=True)
                self._reevaluate()
        else:
            # A newer version (the user's write, derived from this one) is shown already,
            # with the first stage's colours: colour it whole.
            self._reevaluate()
        self._poll()

    @work(thread=True, exclusive=True, group="warm")
    def _warm(self, browser: Browser) -> None:
        browser.warm()

    @work(thread=True, exclusive=True, group="poll")
    def _poll(self) -> None:
        worker = get_current_worker()
        while not self._stop.wait(self.poll_interval) and not worker.is_cancelled:
            self.poll_once()

    def poll_once(self) -> None:
        """Take in other processes' writes (from the poll worker): the store refreshes a copy
        of the latest dataset, and a copy that changed is published and handed to the UI thread
        with its evaluation."""
        problem = None
        with self.versions.writing():
            old = self.versions.latest
            new = copy_dataset(old)
            try:
                changed = self.store.refresh(new)
            except (JixiaoError, OSError) as exc:
                # A file damaged meanwhile (say so once, not every second) or caught
                # mid-replace: the next poll retries. What the refresh took in before it is
                # the store's view now, so it is kept.
                problem = exc
                changed = _touched(old, new)
            if changed:
                foreign = self._foreign(old, new)
                serial = self.versions.publish(new)
        if changed:
            as_of = self.view_as_of or new.settings.as_of
            evaluation = engine.evaluate(new, as_of)
            self.call_from_thread(self._refreshed, serial, new, evaluation, as_of, foreign)
        if problem is None:
            self._poll_problem = None
            return
        message = problem.message if isinstance(problem, JixiaoError) else str(problem)
        if message != self._poll_problem:
            self._poll_problem = message
            severity = "error" if isinstance(problem, JixiaoError) else "warning"
            self.call_from_thread(self.notify, message, severity=severity, timeout=10)

    def _foreign(self, old, new) -> bool:
        """Whether going from ``old`` to ``new`` (a refresh) brought anything this process did
        not already have — another process's write rather than the echo of its own (which is
        in ``old`` and its fingerprint before the refresh sees the file). Call while writing.
        """
        foreign = new.settings != old.settings
        for code in old.units.keys() | new.units.keys():
            # The store re-reads a changed partition into new objects: a unit whose object is
            # the same was not touched, and costs nothing to check.
            if old.units.get(code) is new.units.get(code):
                continue
            before = self._prints.pop(code, None)
            after = fingerprint(new, code) if code in new.units else None
            if after is not None:
                self._prints[code] = after
            foreign = foreign or before is None or before != after
        return foreign

    def _refreshed(self, serial: int, dataset, evaluation, as_of: str, foreign: bool = True) -> None:
        if foreign:
            self.notify(label("refreshed", self.lang), timeout=2)
        if not self._take(serial, dataset):
            return
        self._editable.clear()            # grants may have changed too
        if as_of == self.as_of:
            self._apply_evaluation(evaluation, reshow=True)
        else:                             # the user changed the date meanwhile
            self._apply_evaluation(self.browser.evaluation, reshow=True)
            self._reevaluate()

    def _apply_evaluation(self, evaluation, *, reshow: bool = False) -> None:
        self.browser.set_evaluation(evaluation)
        if reshow:
            self._reshow()
        for id in ("units", "projects", "indicators"):
            self.query_one(f"#{id}", VirtualList).redraw()
        self._show_detail()
        self._update_header()
        self._sync_bindings()
        self._warm(self.browser)

    def _reshow(self) -> None:
        # Rebuild the lists from changed data or statuses, keeping every cursor on its row.
        units = self.query_one("#units", VirtualList)
        rows = self.browser.units()
        index = self.browser.unit_index(self.unit_code) if self.unit_code else 0
        units.set_rows(rows, index or 0, announce=False)
        code = units.current.code if units.current else None
        if self.mode == "browse":
            self._show_unit(code, project_id=self.project_id, indicator_id=self.indicator_id)
            return
        self.unit_code = code
        pane = self.query_one("#indicators", VirtualList)
        if self.mode == "triage":
            current = pane.current
            ids = self.browser.triage()
            pane.border_title = f"{label('triage_title', self.lang)} · {len(ids)}"
            pane.set_rows(ids, ids.index(current) if current in ids else pane.cursor, announce=False)

    def _reevaluate(self) -> None:
        """Every colour again, in a worker, for the dataset and date shown now."""
        self._evaluate(self.dataset, self.as_of)

    @work(thread=True, exclusive=True, group="evaluate")
    def _evaluate(self, dataset, as_of: str) -> None:
        self.call_from_thread(self._evaluated, dataset, engine.evaluate(dataset, as_of), as_of)

    def _evaluated(self, dataset, evaluation, as_of: str) -> None:
        # An evaluation of a version or a date no longer shown is dropped: the newer one
        # brings (or asks for) its own.
        if dataset is self.dataset and as_of == self.as_of:
            self._apply_evaluation(evaluation, reshow=self.by_status)

    # --- moving between panes ---------------------------------------------------------------
    def on_virtual_list_highlighted(self, event: VirtualList.Highlighted) -> None:
        """The cursor moved in a pane: show what belongs to the new row."""
        if self.browser is None or isinstance(event, VirtualList.Selected):
            return
        pane = event.vlist.id
        if pane == "units":
            self._show_unit(event.row.code if event.row else None)
        elif pane == "projects":
            self._show_project(event.row.id if event.row else None)
        elif pane == "indicators":
            if self.mode == "browse":
                self.indicator_id = event.row.id if event.row else None
            self._show_detail()
            self._sync_bindings()

    def on_virtual_list_selected(self, event: VirtualList.Selected) -> None:
        """Enter drills down: unit → projects → indicators → detail; in the triage or search
        list it jumps to the chosen row in context."""
        if event.vlist.id == "indicators" and self.mode == "triage":
            self.jump_to(event.row)
            return
        if event.vlist.id == "indicators" and self.mode == "search":
            self._jump_hit(event.row)
            return
        nxt = {"units": "#projects", "projects": "#indicators", "indicators": "#detail"}.get(event.vlist.id)
        if nxt:
            self.query_one(nxt).focus()

    def _show_unit(self, code: str | None, *, project_id: str | None = None,
                   indicator_id: str | None = None) -> None:
        self.unit_code = code
        projects = self.query_one("#projects", VirtualList)
        # A unit whose file is not read yet has no projects *yet*: say so, not "no projects".
        projects.empty = label("loading" if code in self.browser.pending else "no_projects",
                               self.lang)
        rows = self.browser.projects(code, by_status=self.by_status) if code else []
        index = next((n for n, p in enumerate(rows) if p.id == project_id), 0)
        projects.set_rows(rows, index, announce=False)
        self._show_project(projects.current.id if projects.current else None, indicator_id=indicator_id)

    def _show_project(self, project_id: str | None, *, indicator_id: str | None = None) -> None:
        self.project_id = project_id
        self._set_mode("browse")
        indicators = self.query_one("#indicators", VirtualList)
        rows = self.browser.indicators(project_id, by_status=self.by_status) if project_id else []
        index = next((n for n, i in enumerate(rows) if i.id == indicator_id), 0)
        indicators.set_rows(rows, index, announce=False)
        self.indicator_id = indicators.current.id if indicators.current else None
        self._show_detail()
        self._sync_bindings()

    def _show_detail(self) -> None:
        pane = self.query_one(DetailPane)
        ind = self.current_indicator()
        # A new selection starts at the top; a redraw of the same one keeps the user's place.
        key = ind.id if ind is not None else None
        top, self._detail_shown = key != self._detail_shown, key
        if ind is None:
            pane.show(None, self.lang, top=top)
            return
        pane.show(self.detail_data(ind), self.lang, top=top)

    def detail_data(self, ind) -> DetailData:
        """Everything the detail pane shows about one indicator."""
        ds, year = self.dataset, self.settings.year
        proj = ds.projects.get(ind.project_id)
        unit = ds.units.get(proj.unit_code) if proj else None
        history = list(ds.progress.get(ind.id, ()))
        target = self._target(ind)
        expected, actual = [], []
        for entry in history:
            try:
                expected.append(engine.indicator_status(ind, entry, entry.as_of, self.settings, year).expected)
            except Exception:  # the sparkline is a hint; a rule failure must not hide the history
                expected.append(None)
            actual.append(plotted_value(entry.actual, target))
        return DetailData(
            unit_name=unit.name if unit else "", project_name=proj.name if proj else "",
            indicator=ind, status=self.browser.status(ind.id),
            kind=getattr(target, "kind", None), unit=getattr(target, "unit", None),
            history=history, counting=ds.counting_progress(ind.id, self.as_of),
            expected_by_entry=expected, actual_by_entry=actual)

    def _target(self, ind):
        try:
            return engine.target_of(ind, self.settings.year)
        except Exception:
            return None

    def jump_to(self, indicator_id: str) -> None:
        """Show an indicator in context: its unit, its project, the cursor on it."""
        loc = self.browser.locate(indicator_id)
        if loc is None:
            return
        code, pid = loc
        units = self.query_one("#units", VirtualList)
        units.move_to(self.browser.unit_index(code) or 0, announce=False)
        self._show_unit(code, project_id=pid, indicator_id=indicator_id)
        self.query_one("#indicators", VirtualList).focus()

    def _jump_hit(self, hit: Hit | None) -> None:
        if hit is None:
            return
        if hit.indicator_id:
            self.jump_to(hit.indicator_id)
            return
        units = self.query_one("#units", VirtualList)
        units.move_to(self.browser.unit_index(hit.unit_code) or 0, announce=False)
        self._show_unit(hit.unit_code, project_id=hit.project_id)
        self.query_one("#projects" if hit.project_id else "#units", VirtualList).focus()

    # --- who may do what --------------------------------------------------------------------
    def refusal(self, action: str) -> str | None:
        """Why ``action`` is not allowed right now (``None`` when it is)."""
        if self.dataset is None:
            return label("loading", self.lang)
        if action in ("record", "spend"):
            project = self.current_project()
            if action == "record":
                indicator = self.current_indicator()
                project = self.dataset.projects.get(indicator.project_id) if indicator else None
                if project is None:
                    return label("pick_indicator", self.lang)
            if project is None:
                return label("pick_project", self.lang)
            if not self.can_edit(project.unit_code):
                return label("refuse_edit", self.lang).format(user=self.user, role=self.user_role,
                                                              unit=project.unit_code)
        if action == "export" and not self.may_report:
            return label("refuse_export", self.lang).format(user=self.user, role=self.user_role)
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit keys show as disabled (``None``) in the footer where the user may not edit;
        with nothing selected they stay enabled, and pressing them says what to select. While
        the data cannot be opened only help and quit do anything."""
        if self.failure is not None and action not in ("quit", "help", "command_palette"):
            return False
        if action in ("record", "spend", "export") and self.dataset is not None:
            reason = self.refusal(action)
            if reason and reason not in (label("pick_indicator", self.lang),
                                         label("pick_project", self.lang)):
                return None
        return True

    def _sync_bindings(self) -> None:
        # Redrawing the footer costs ~100 ms; do it only when an edit key changes state.
        state = tuple(self.check_action(a, ()) for a in ("record", "spend", "export"))
        if state != getattr(self, "_binding_state", None):
            self._binding_state = state
            self.refresh_bindings()

    def on_key(self, event) -> None:
        """A disabled edit key still explains itself instead of doing nothing."""
        for key, action, _, _ in ACTIONS:
            if event.key == key and action in ("record", "spend", "export"):
                # Only a disabled binding needs this: an enabled one explains in its action.
                if self.check_action(action, ()) is None:
                    event.stop()
                    self.notify(self.refusal(action) or "", severity="warning")
                return

    def _explain(self, action: str) -> bool:
        reason = self.refusal(action)
        if reason:
            self.notify(reason, severity="warning")
            return True
        return False

    # --- actions ----------------------------------------------------------------------------
    def action_record(self) -> None:
        """Open the record-progress form on the selected indicator."""
        if self._explain("record"):
            return
        ind = self.current_indicator()
        target = self._target(ind)
        settings, year, as_of = self.settings, self.settings.year, self.as_of

        def check(text: str) -> str | None:
            # Without a parsed target the form cannot judge; the store still checks on save.
            return check_value(text, target, self.lang) if target is not None else None

        screen = RecordProgressScreen(
            indicator=ind, target=target, lang=self.lang, as_of=as_of, check=check,
            preview=lambda entry: engine.indicator_status(ind, entry, as_of, settings, year),
            save=partial(self._write_progress, ind.id),
            previous=self.dataset.counting_progress(ind.id, as_of))
        self.push_screen(screen, self._recorded)

    def _write_progress(self, indicator_id: str, **values):
        """Record through the store (called from the form's worker, never the UI thread) and
        publish a version of the dataset with the entry in the same turn, so the poll never
        mistakes the file change for another user's; the screen has it before the form closes."""
        with self.versions.writing():
            entry = self.store.record_progress(indicator_id, **values)
            dataset = with_progress(self.versions.latest, entry)
            ind = dataset.indicators.get(indicator_id)
            self._own_write(dataset, ind.project_id if ind else None)
            serial = self.versions.publish(dataset)
        self.call_from_thread(self._take, serial, dataset)
        return entry

    def _write_spending(self, project_id: str, **values):
        """Like ``_write_progress``, for a spending report."""
        with self.versions.writing():
            entry = self.store.record_spending(project_id, **values)
            dataset = with_spending(self.versions.latest, entry)
            self._own_write(dataset, project_id)
            serial = self.versions.publish(dataset)
        self.call_from_thread(self._take, serial, dataset)
        return entry

    def _own_write(self, dataset, project_id: str | None) -> None:
        proj = dataset.projects.get(project_id) if project_id else None
        if proj is not None:
            self._prints[proj.unit_code] = fingerprint(dataset, proj.unit_code)

    def _saved(self) -> None:
        self.notify(label("saved", self.lang), timeout=2)

    def _recorded(self, entry) -> None:
        if entry is None:
            return
        # ``_write_progress`` has already put the entry on screen. The new colour shows at
        # once; roll-ups follow from the full re-evaluation.
        ind = self.dataset.indicators.get(entry.indicator_id)
        evaluation = self.browser.evaluation
        status = None
        if ind is not None and evaluation is not None:
            counting = self.dataset.counting_progress(ind.id, self.as_of)
            try:
                status = engine.indicator_status(ind, counting, self.as_of, self.settings,
                                                 self.settings.year)
            except Exception:  # the full re-evaluation below still colours it
                status = None
        if status is not None:
            # A new Evaluation, never a changed one: the triage list and n/N are cached per
            # evaluation object, and must see the new colour.
            evaluation = replace(evaluation, indicators={**evaluation.indicators, ind.id: status})
        if evaluation is not None:
            self._apply_evaluation(evaluation)
        else:
            self._show_detail()
        self._saved()
        self._reevaluate()

    def action_spend(self) -> None:
        """Open the spending form on the selected project."""
        if self._explain("spend"):
            return
        proj = self.current_project()
        screen = SpendingScreen(project=proj, lang=self.lang, as_of=self.as_of,
                                previous=self.dataset.counting_spending(proj.id, self.as_of),
                                save=partial(self._write_spending, proj.id))
        self.push_screen(screen, self._spent)

    def _spent(self, entry) -> None:
        if entry is None:
            return
        # ``_write_spending`` has already put the entry on screen.
        self.query_one("#projects", VirtualList).redraw()
        self._saved()
        self._reevaluate()

    def _set_mode(self, mode: str, rows: list | None = None) -> None:
        """Switch what the indicators pane lists; ``rows`` for triage and search."""
        pane = self.query_one("#indicators", VirtualList)
        search = self.query_one("#search", Input)
        if mode == "browse":
            if self.mode != "browse":
                pane.formatter, pane.header = self._indicator_rows, self._indicator_header
                pane.empty = label("no_indicators", self.lang)
                pane.border_title = label("indicators", self.lang)
                search.display = False
            self.mode = mode
            return
        self.mode = mode
        if mode == "triage":
            pane.formatter, pane.header = self._triage_rows, self._triage_header
        else:
            pane.formatter, pane.header = self._hit_rows, None
        pane.empty = label("triage_empty" if mode == "triage" else "search_none", self.lang)
        title = label("triage_title" if mode == "triage" else "search_title", self.lang)
        pane.border_title = f"{title} · {len(rows or [])}"
        search.display = mode == "search"
        pane.set_rows(rows or [], announce=False)
        self._show_detail()
        self._sync_bindings()

    def _leave_mode(self) -> None:
        """Back from triage or search to where the user was browsing."""
        self._show_project(self.project_id, indicator_id=self.indicator_id)
        self.query_one("#indicators", VirtualList).focus()

    def _still_loading(self) -> bool:
        """Say "loading…" and refuse when only the first unit is loaded: triage, search and
        n/N over part of the data would pass for answers about all of it."""
        if self.browser is not None and not self.browser.complete:
            self.notify(label("loading", self.lang), timeout=2)
            return True
        return False

    def action_triage(self) -> None:
        """Every red and amber indicator of every unit, worst first, in the indicators pane;
        Enter jumps to one in context, ``r`` or Esc goes back."""
        if self.browser is None or self._still_loading():
            return
        if self.mode == "triage":
            self._leave_mode()
            return
        self._set_mode("triage", self.browser.triage())
        self.query_one("#indicators", VirtualList).focus()

    def action_next_alert(self, step: int) -> None:
        """Jump to the next (1) or previous (-1) red or amber indicator anywhere."""
        if self.browser is None or self._still_loading():
            return
        current = self.current_indicator()
        iid = self.browser.next_alert(current.id if current else None, step)
        if iid is None:
            self.notify(label("no_alert", self.lang), timeout=2)
        else:
            self.jump_to(iid)

    def action_search(self) -> None:
        """Search units, projects and indicators (names and targets) as you type; the matches
        fill the indicators pane, ↓ moves into them, Enter jumps, Esc goes back."""
        if self.browser is None or self._still_loading():
            return
        search = self.query_one("#search", Input)
        if self.mode != "search":
            self._set_mode("search", self._search(search.value))
        search.focus()

    def action_into_results(self) -> None:
        """↓ in the search field moves into the matches."""
        pane = self.query_one("#indicators", VirtualList)
        if self.focused is not None and self.focused.id == "search" and pane.rows:
            pane.focus()

    def _search(self, query: str) -> list:
        return self.browser.search(query)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Search again on every keystroke."""
        if event.input.id == "search" and self.mode == "search":
            hits = self._search(event.value)
            pane = self.query_one("#indicators", VirtualList)
            pane.border_title = f"{label('search_title', self.lang)} · {len(hits)}"
            pane.set_rows(hits, announce=False)
            self._show_detail()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search field takes the first match."""
        if event.input.id == "search":
            current = self.query_one("#indicators", VirtualList).current
            if current is not None:
                self._jump_hit(current)

    def action_sort(self) -> None:
        """Toggle table order / worst first for the project and indicator panes."""
        if self.browser is None:
            return
        self.by_status = not self.by_status
        self._show_unit(self.unit_code, project_id=self.project_id, indicator_id=self.indicator_id)
        self._update_header()
        self.notify(label("sorted_status" if self.by_status else "sorted_table", self.lang), timeout=2)

    def action_date(self) -> None:
        """Change the monitoring date; every colour recomputes."""
        if self.dataset is None:
            return
        screen = DateScreen(year=self.settings.year, current=self.as_of, lang=self.lang,
                            view_only=self.user_role != "admin")
        self.push_screen(screen, self._date_chosen)

    def _date_chosen(self, new: str | None) -> None:
        if not new or new == self.as_of:
            return
        self._change_date(new, self.dataset, self.user_role == "admin")

    @work(thread=True, exclusive=True, group="evaluate")
    def _change_date(self, new: str, dataset, store_it: bool) -> None:
        view, serial = new, 0
        if store_it:
            try:
                # Stored and published in one writer's turn: the poll then sees nothing new
                # and does not announce the admin's own change as another user's.
                with self.versions.writing():
                    latest = self.versions.latest
                    settings = replace(latest.settings, as_of=new)
                    self.store.save_settings(settings)
                    dataset = with_settings(latest, settings)
                    serial = self.versions.publish(dataset)
                view = None
            except JixiaoError as exc:
                self.call_from_thread(self.notify, exc.message, severity="warning")
        evaluation = engine.evaluate(dataset, new)
        self.call_from_thread(self._date_changed, view, serial, dataset, evaluation)

    def _date_changed(self, view: str | None, serial: int, dataset, evaluation) -> None:
        if serial:
            self._take(serial, dataset)
        self.view_as_of = view
        if dataset is self.dataset:
            self._apply_evaluation(evaluation, reshow=True)
        else:                             # a newer version arrived meanwhile: colour that one
            self._apply_evaluation(self.browser.evaluation, reshow=True)
            self._reevaluate()

    def action_export(self) -> None:
        """Write the quarterly snapshot at the monitoring date to a file."""
        if self._explain("export"):
            return
        default = str(Path.cwd() / f"jixiao-snapshot-{self.as_of}.json")
        self.push_screen(ExportScreen(default=default, lang=self.lang), self._export_to)

    def _export_to(self, path: str | None) -> None:
        if path:
            self.notify(label("exporting", self.lang), timeout=2)
            self._export(path, self.dataset, self.as_of)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, path: str, dataset, as_of: str) -> None:
        try:
            from jixiao.core import snapshot

            doc = snapshot.build_snapshot(dataset, as_of)
            text = snapshot.dump_snapshot(doc)
            target = Path(path).expanduser()
            write_atomically(target, text)
        except (JixiaoError, OSError) as exc:
            message = exc.message if isinstance(exc, JixiaoError) else str(exc)
            self.call_from_thread(self.notify, message, severity="error")
            return
        self.call_from_thread(self.notify, f"{label('exported', self.lang)} {target}")

    def action_help(self) -> None:
        """List every key."""
        self.push_screen(HelpScreen(self.help_keys(), self.lang))

    def help_keys(self) -> list[tuple[str, str]]:
        """``(key, what it does)`` for every app key and pane key, in the user's language."""
        keys = [(KEY_DISPLAY.get(k, k), label(text, self.lang)) for k, _, text, _ in ACTIONS]
        keys.append(("Ctrl+Q", label("k_quit", self.lang)))
        keys += [(k, label(text, self.lang)) for k, text in PANE_KEYS]
        keys += [("Ctrl+S", label("k_save", self.lang)), ("Esc", label("k_cancel", self.lang))]
        return keys

    def action_back(self) -> None:
        """Esc climbs back up: detail → indicators → projects → units."""
        focused = self.focused.id if self.focused else None
        if self.mode != "browse":
            self._leave_mode()
            return
        prev = {"detail": "#indicators", "indicators": "#projects", "projects": "#units"}.get(focused or "")
        if prev:
            self.query_one(prev).focus()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action is also in the command palette (Ctrl+P)."""
        yield from super().get_system_commands(screen)
        for key, action, text, _ in ACTIONS:
            if action in ("quit", "back"):
                continue
            name = action.split("(")[0]
            method = getattr(self, f"action_{name}")
            callback = partial(method, int(action[action.index("(") + 1:-1])) if "(" in action else method
            yield SystemCommand(f"{label(text, self.lang)} ({KEY_DISPLAY.get(key, key)})",
                                label("h_" + text.removeprefix("k_"), self.lang), callback)
