"""The monitoring screen: units → projects → indicators → detail, with triage, search and forms.

The screen coordinates: ``core`` decides every colour, ``store`` does every read and write (in
the workers of ``tui.sync``, which post ``tui.messages``), and the widgets display. What the
screen shows is its reactive state — the dataset version, the mode of the indicators pane, the
sort order and the monitoring date of this view.
"""

from __future__ import annotations

import time
from dataclasses import replace
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from jixiao.core import readings
from jixiao.core.errors import JixiaoError
from jixiao.core.rules import indicator_status, target_of
from jixiao.core.sparkline import history_series
from jixiao.core.targets import parse_target
from jixiao.core.words import ROLE_WORDS, word

from .. import messages
from ..commands import MonitorCommands
from ..widgets.ordered_input import OrderedInput
from ..i18n import label
from ..keys import (BROWSE_ONLY, EDIT_ACTIONS, NEEDS_DATA, FOOTER_DROP_ORDER, FOOTER_KEEP, FOOTER_MINOR, ACTIONS,
                    action_name, binding_id, bindings, help_keys, short_labels)
from ..sync import Sync
from ..view import Browser, Hit
from ..widgets.detail import DetailData, DetailPane
from ..widgets.footer import KeyFooter
from ..widgets.literal import literal
from ..widgets.rows import HitRows, IndicatorRows, ProjectRows, TriageRows, UnitRows
from ..widgets.vlist import VirtualList, fit
from .dates import DateScreen
from .error import ErrorScreen
from .export import ExportScreen
from .help import HelpScreen
from .reading import ReadingScreen
from .record import RecordProgressScreen
from .spending import SpendingScreen

FORM_WAITS = ("action_record", "action_spend", "action_reading")
"""Keys that open a form on one row and may wait for that row's unit to be read whole: the
wait is bound to the row, and what is typed meanwhile goes into the form."""

LIST_WAITS = {"action_triage": "triage", "action_review": "review", "action_search": "search"}
"""Keys that open a list over every unit, and the mode of that list: while units load the list
opens at once, saying how far loading has come, and fills in."""


def monitor_screen(store, *, lang: str, poll_interval: float = 1.0) -> "MonitorScreen":
    """A monitor screen over ``store`` whose keys are described in ``lang``."""
    return _in_language(lang)(store, lang=lang, poll_interval=poll_interval)


_CLASSES: dict[str, type] = {}


def _in_language(lang: str) -> type["MonitorScreen"]:
    # Bindings are declared on the class (Textual merges them when the class is made); a
    # subclass per language carries the same keys described in that language.
    if lang not in _CLASSES:
        _CLASSES[lang] = type("MonitorScreen", (MonitorScreen,), {
            "BINDINGS": list(bindings(lang)),
            "__doc__": MonitorScreen.__doc__, "__module__": __name__})
    return _CLASSES[lang]


class MonitorScreen(Screen):
    """The monitoring screen over one ``store.repository.Store`` (or any object with its
    interface), labelled in ``lang`` ('zh' or 'en'). Make one with ``monitor_screen``."""

    BINDINGS = list(bindings("en"))
    COMMANDS = {MonitorCommands}

    mode: var[str] = var("browse")
    """What the indicators pane lists: browse | triage | search."""
    by_status: var[bool] = var(False)
    """Whether the project and indicator panes list worst first."""
    view_as_of: var[str | None] = var(None)
    """The monitoring date chosen for this view only (``None``: the stored one)."""

    def __init__(self, store, *, lang: str = "zh", poll_interval: float = 1.0) -> None:
        super().__init__()
        self.store = store
        self.lang = lang
        self.sync = Sync(store, lang=lang, poll_interval=poll_interval,
                         view_date=lambda: self.view_as_of)
        self._shown_serial = 0
        self.dataset = None                 # the published version on screen (UI thread only)
        self.browser: Browser | None = None
        self.user = "?"
        self.user_role = "?"
        self.may_report = False
        self.unit_code: str | None = None
        self.project_id: str | None = None
        self.indicator_id: str | None = None
        self._editable: dict[str, bool] = {}
        self._detail_shown: str | None = None
        self._binding_state: tuple | None = None
        # A key that needs every unit, pressed while they load: done as soon as they are in.
        self._waiting: tuple | None = None
        self._waiting_whole: bool | str = False   # what the waiting key needs (_still_loading)
        self._whole_timer = None   # reads the summarized unit the cursor rests on (_show_unit)
        # The triage list shows only the head a start-up's lead stage knows (_show_waiting):
        # it becomes the whole list with the first version that has every unit.
        self._head_only = False
        # Keys typed after a form key that waits for its unit's history: the form's, in order.
        self._typed_ahead: list[tuple[str, str | None]] = []
        self._search_entered = False   # Enter in a search still waiting for every unit
        self._waiting_said = 0.0   # when the wait was last said in a toast (_show_waiting)
        self._loading_text = label("loading", lang)

    # --- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """Header, the unit and project panes side by side, indicators, detail, footer."""
        yield self.sync
        yield Static(Text(label("loading", self.lang)), id="header")
        with Horizontal(id="top"):
            yield VirtualList(self._unit_rows, header=None, empty=label("loading", self.lang), id="units")
            yield VirtualList(self._project_rows, header=self._project_header,
                              empty=label("no_projects", self.lang), id="projects")
        yield OrderedInput(id="search", placeholder=label("search_hint", self.lang))
        yield VirtualList(self._indicator_rows, header=self._indicator_header,
                          empty=label("no_indicators", self.lang), id="indicators")
        yield DetailPane(id="detail")
        yield KeyFooter(short=short_labels(self.lang),
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
        self._adapt(self.app.size.width, self.app.size.height)
        self.sync.load()

    def on_resize(self, event) -> None:
        """Panes adapt to small terminals (80×24 and up)."""
        self._adapt(event.size.width, event.size.height)

    def _adapt(self, width: int, height: int) -> None:
        self.set_class(width < 100, "-narrow")
        self.set_class(height < 30, "-short")
        self._update_header()

    def watch_by_status(self) -> None:
        """The header says how the panes are sorted."""
        self._update_header()

    def watch_view_as_of(self) -> None:
        """The header says which monitoring date is shown."""
        self._update_header()

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
        """The project the user has selected: in triage and search, the project of the row
        under the cursor of the indicators pane (a project hit, or an indicator's project);
        while browsing, the row of the projects pane. ``None`` when there is none."""
        if self.dataset is None:
            return None
        if self.mode != "browse":
            row = self.query_one("#indicators", VirtualList).current
            if isinstance(row, Hit):
                return self.dataset.projects.get(row.project_id) if row.project_id else None
            indicator = self.current_indicator()
            return self.dataset.projects.get(indicator.project_id) if indicator else None
        return self.query_one("#projects", VirtualList).current

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

    @property
    def role_name(self) -> str:
        """The user's role named in the UI language (管理员, 查看者 …)."""
        return word(ROLE_WORDS, self.user_role, self.lang)

    def _update_header(self) -> None:
        if not self.dataset or not self.is_mounted:
            return
        L = lambda k: label(k, self.lang)  # noqa: E731
        # What changes and what the user acts on first (date, who, sort order); the app's name
        # last, where a narrow terminal cuts it — with an ellipsis, never silently.
        t = Text(f"{L('year')} {self.settings.year} · {L('as_of')} {self.as_of}")
        if self.view_as_of and self.view_as_of != self.settings.as_of:
            t.append(f" ({L('view_only')})")
        t.append(" · ")
        t.append(literal(self.user))
        role = self.role_name
        t.append(f" ({role})" if self.lang == "en" else f"（{role}）")
        if self.by_status:
            t.append(f" · {L('sorted_status')}")
        t.append(f" · jixiao · {L('app_title')}")
        room = max(1, self.app.size.width - 2)        # the header's padding is one cell a side
        self.query_one("#header", Static).update(fit(t, room))

    # --- what the sync workers report -------------------------------------------------------
    def _take(self, serial: int, dataset) -> bool:
        """Show the published ``dataset`` if it is newer than the one shown (versions posted
        from different threads may arrive out of order); whether it was taken."""
        if serial <= self._shown_serial:
            return False
        self._shown_serial = serial
        self.dataset = dataset
        self.browser = (self.browser.for_dataset(dataset) if self.browser is not None
                        else Browser(dataset, None))
        return True

    @on(messages.LoadFailed)
    def _failed(self, message: messages.LoadFailed) -> None:
        # The panes have nothing to show: the message, in full, takes the whole screen until
        # the user retries (after restoring the file) or quits with the error's exit status.
        error = message.error
        self.app.failure = error
        self.app.push_screen(ErrorScreen(error.text(self.lang), lang=self.lang, exit_code=error.exit_code),
                             self._failure_handled)

    def _failure_handled(self, choice: str | None) -> None:
        if choice == "retry":
            self.app.failure = None
            self.sync.load()
        else:
            failure = self.app.failure
            self.app.exit(return_code=failure.exit_code if failure else 2)

    @on(messages.Loaded)
    def _loaded(self, message: messages.Loaded) -> None:
        self._shown_serial = 0            # a retried load starts the count again
        self.browser = None
        self._take(message.serial, message.dataset)
        role = message.role
        self.user, self.user_role = message.user, role or "reader"
        self.may_report = message.may_report
        self._editable.clear()
        units = self.query_one("#units", VirtualList)
        units.empty = label("no_units", self.lang)
        units.set_rows(self.browser.units(), announce=False)
        self._show_unit(units.current.code if units.current else None)
        self._update_header()
        if message.evaluation is not None:
            self._colour(message.dataset, message.evaluation, message.as_of)
        if self._waiting is not None and not self.browser.complete:
            self._show_waiting()          # a key pressed before the first unit was shown
        if self.browser.complete:
            self.sync.poll()
        else:
            # The poll starts with the complete state (``_completed``); a refresh of the first
            # stage would read every other file in the poll worker meanwhile. The rest of the
            # directory loads once this first screen is painted.
            self.call_after_refresh(self.sync.shown)

    @on(messages.LoadProgress)
    def _load_progress(self, message: messages.LoadProgress) -> None:
        key = "loading_units" if message.done < message.total else "colouring"
        self._loading_text = label(key, self.lang).format(done=message.done, total=message.total)
        if self._waiting is not None:
            self._show_waiting()

    @on(messages.Summarized)
    def _summarized(self, message: messages.Summarized) -> None:
        """The middle stage of a start-up: every unit, most from the store's summaries, with
        its colours; cursors stay where the user put them, and a key that waited for every
        unit (triage, search, n/N) acts now. Or the lead stage before it: the units holding
        the worst alerts, and a waiting triage list shows its head."""
        if message.as_of == self.as_of:       # else the user chose another date meanwhile
            if self._take(message.serial, message.dataset):
                self._apply_evaluation(message.evaluation, reshow=True)
            else:
                self.reevaluate()
        if (self._waiting is not None and self.browser.lead
                and LIST_WAITS.get(self._waiting[0]) == "triage"):
            self._show_waiting()              # ``r`` pressed before: the head of the list now
        whole = self._waiting_whole if self._waiting is not None else None
        if isinstance(whole, str) and whole in self.browser.summarized:
            self.sync.take_whole(whole)       # a form key pressed before: its unit now
        # The histories load once this is painted (and a waiting triage list with it).
        self.call_after_refresh(self.sync.shown)

    @on(messages.Completed)
    def _completed(self, message: messages.Completed) -> None:
        """The second stage of a start-up: the complete dataset and its colours replace the
        first unit's; cursors stay where the user put them. Then the poll starts."""
        if self._take(message.serial, message.dataset):
            self._editable.clear()
            self._apply_if_current(message.evaluation, message.as_of)
        else:
            # A newer version (the user's write, derived from this one) is shown already,
            # with the first stage's colours: colour it whole.
            self.reevaluate()
        self.sync.poll()

    @on(messages.Refreshed)
    def _refreshed(self, message: messages.Refreshed) -> None:
        if message.foreign:
            self.app.notify(label("refreshed", self.lang), timeout=2)
        if not self._take(message.serial, message.dataset):
            return
        self._editable.clear()            # grants may have changed too
        self._apply_if_current(message.evaluation, message.as_of)

    def _apply_if_current(self, evaluation, as_of: str) -> None:
        if as_of == self.as_of:
            self._apply_evaluation(evaluation, reshow=True)
        else:                             # the user changed the date meanwhile
            self._apply_evaluation(self.browser.evaluation, reshow=True)
            self.reevaluate()

    @on(messages.Published)
    def _published(self, message: messages.Published) -> None:
        self._take(message.serial, message.dataset)

    @on(messages.Evaluated)
    def _evaluated(self, message: messages.Evaluated) -> None:
        self._colour(message.dataset, message.evaluation, message.as_of)

    def _colour(self, dataset, evaluation, as_of: str) -> None:
        # An evaluation of a version or a date no longer shown is dropped: the newer one
        # brings (or asks for) its own.
        if dataset is self.dataset and as_of == self.as_of:
            self._apply_evaluation(evaluation, reshow=self.by_status)

    @on(messages.DateChanged)
    def _date_changed(self, message: messages.DateChanged) -> None:
        if message.serial:
            self._take(message.serial, message.dataset)
        self.view_as_of = message.view
        if message.dataset is self.dataset:
            self._apply_evaluation(message.evaluation, reshow=True)
        else:                             # a newer version arrived meanwhile: colour that one
            self._apply_evaluation(self.browser.evaluation, reshow=True)
            self.reevaluate()

    @on(messages.Notice)
    def _notice(self, message: messages.Notice) -> None:
        self.app.notify(message.text, severity=message.severity, timeout=message.timeout)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """A sync worker that fails unexpectedly leaves the app running and says so."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.app.notify(f"{label('worker_failed', self.lang)}: {error}", severity="error",
                            timeout=30)

    def _apply_evaluation(self, evaluation, *, reshow: bool = False) -> None:
        self.browser.set_evaluation(evaluation)
        if reshow or (self._head_only and self.browser.complete):
            self._reshow()
        for id in ("units", "projects", "indicators"):
            self.query_one(f"#{id}", VirtualList).redraw()
        self._show_money()
        self._show_detail()
        self._update_header()
        self._sync_bindings()
        if (self._waiting is not None and evaluation is not None
                and self._ready_for(self._waiting_whole)):
            self._do_waiting()
        # After the paint: building search and triage caches meanwhile would slow it.
        self.call_after_refresh(self.sync.warm, self.browser)

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
        if self.mode in ("triage", "review") and (self.browser.complete or (
                self._head_only and self.browser.lead)):
            current = pane.current
            ids = self._list_rows(self.mode)
            pane.border_title = self._list_title(self.mode, ids)
            pane.set_rows(ids, ids.index(current) if current in ids else pane.cursor, announce=False)
            self._head_only = not self.browser.complete

    def _list_rows(self, mode: str) -> list:
        """What the triage, review or search list shows now (triage: as far as it is known)."""
        if mode == "triage":
            return self.browser.triage_head()
        if mode == "review":
            return self.browser.reviews()
        return self.browser.search(self.query_one("#search", Input).value)

    def _list_title(self, mode: str, rows: list) -> str:
        """The indicators pane's title for a triage, review or search list of ``rows``."""
        if mode == "triage" and rows and not self.browser.complete:
            return label("triage_lead_title", self.lang).format(n=len(rows))
        title = label({"triage": "triage_title", "review": "review_title"}.get(
            mode, "search_title"), self.lang)
        return f"{title} · {len(rows)}"

    def reevaluate(self) -> None:
        """Every colour again, in a worker, for the dataset and date shown now."""
        self.sync.evaluate(self.dataset, self.as_of)

    # --- moving between panes ---------------------------------------------------------------
    def on_virtual_list_highlighted(self, event: VirtualList.Highlighted) -> None:
        """The cursor moved in a pane: show what belongs to the new row."""
        if self.browser is None or isinstance(event, VirtualList.Selected):
            return
        if event.row is not event.vlist.current:
            # Stale: the list changed before this was handled (a key read with the move switched
            # it to the triage list or back); the list's own change showed what belongs to it.
            return
        pane = event.vlist.id
        # A move a key read together with it has already applied (``_settle``) is not applied
        # again: it would undo what that key did (↓ r: the triage list it opened).
        if pane == "units":
            code = event.row.code if event.row else None
            if code != self.unit_code:
                self._show_unit(code)
        elif pane == "projects":
            pid = event.row.id if event.row else None
            if pid != self.project_id:
                self._show_project(pid)
        elif pane == "indicators":
            if self.mode == "browse":
                self.indicator_id = event.row.id if event.row else None
            self._show_detail()
            self._sync_bindings()

    def on_virtual_list_selected(self, event: VirtualList.Selected) -> None:
        """Enter drills down: unit → projects → indicators → detail; in the triage or search
        list it jumps to the chosen row in context."""
        if event.vlist.id == "indicators" and self.mode in ("triage", "review"):
            self.jump_to(event.row)
            return
        if event.vlist.id == "indicators" and self.mode == "search":
            self._jump_hit(event.row)
            return
        nxt = {"units": "#projects", "projects": "#indicators", "indicators": "#detail"}.get(event.vlist.id)
        if nxt:
            self.set_focus(self.query_one(nxt))

    def _show_unit(self, code: str | None, *, project_id: str | None = None,
                   indicator_id: str | None = None) -> None:
        self.unit_code = code
        if self._whole_timer is not None:
            self._whole_timer.stop()
            self._whole_timer = None
        if code is not None and code in self.browser.summarized:
            # Its recorded values come with its history: read it once the cursor rests on it
            # (not for each of 500 units the cursor runs past).
            self._whole_timer = self.set_timer(0.3, partial(self.sync.take_whole, code))
        projects = self.query_one("#projects", VirtualList)
        # A unit whose file is not read yet has no projects *yet*: say so, not "no projects".
        # No unit at all: the units pane already says what to do; "no projects in this unit"
        # would speak of a unit that does not exist.
        projects.empty = ("" if code is None else
                          label("loading" if code in self.browser.pending else "no_projects",
                                self.lang))
        rows = self.browser.projects(code, by_status=self.by_status) if code else []
        index = next((n for n, p in enumerate(rows) if p.id == project_id), 0)
        projects.set_rows(rows, index, announce=False)
        self._show_project(projects.current.id if projects.current else None, indicator_id=indicator_id)

    def _show_project(self, project_id: str | None, *, indicator_id: str | None = None) -> None:
        self.project_id = project_id
        self._set_mode("browse")
        indicators = self.query_one("#indicators", VirtualList)
        # No project (an empty store, a unit without projects): no "this project has none".
        indicators.empty = label("no_indicators", self.lang) if project_id else ""
        rows = self.browser.indicators(project_id, by_status=self.by_status) if project_id else []
        index = next((n for n, i in enumerate(rows) if i.id == indicator_id), 0)
        indicators.set_rows(rows, index, announce=False)
        self.indicator_id = indicators.current.id if indicators.current else None
        self._show_money()
        self._show_detail()
        self._sync_bindings()

    def _show_money(self) -> None:
        # The selected project's budget, spent, rate and light on the pane's bottom border:
        # at 80 columns the rows have no room for the spent and rate columns.
        projects = self.query_one("#projects", VirtualList)
        rows = ProjectRows(self.browser, self.lang, lambda: self.as_of)
        projects.border_subtitle = rows.summary(self.dataset.projects.get(self.project_id)
                                                if self.project_id else None)

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
        ds = self.dataset
        proj = ds.projects.get(ind.project_id)
        unit = ds.units.get(proj.unit_code) if proj else None
        history = self._history(ind.id)
        if self.browser.unit_of(ind) in self.browser.summarized:   # no history held: read it
            counting = next((e for e in reversed(history) if e.as_of <= self.as_of), None)
        else:
            counting = ds.counting_progress(ind.id, self.as_of)
        target = self._target(ind)
        expected, actual = history_series(ind, history, self.settings, target)
        return DetailData(
            unit_name=unit.name if unit else "", project_name=proj.name if proj else "",
            indicator=ind, status=self.browser.status(ind.id),
            kind=getattr(target, "kind", None), unit=getattr(target, "unit", None),
            history=history, counting=counting,
            expected_by_entry=expected, actual_by_entry=actual,
            source=getattr(target, "source", "inferred"),
            review=target.review_text(self.lang) if target is not None else None)

    def _history(self, indicator_id: str) -> list:
        """Every progress entry of one indicator: the dataset holds only those that can count
        from its date on (``Store.load(since=…)``), so the rest comes from the store."""
        ds = self.dataset
        ind = ds.indicators.get(indicator_id)
        if ds.history_from is None and (ind is None
                                        or self.browser.unit_of(ind) not in self.browser.summarized):
            return list(ds.progress.get(indicator_id, ()))
        try:
            return self.store.progress_history(indicator_id)
        except (JixiaoError, OSError):  # its file is being replaced or was damaged meanwhile
            return list(ds.progress.get(indicator_id, ()))

    def _target(self, ind):
        try:
            return target_of(ind, self.settings.year)
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
        self.set_focus(self.query_one("#indicators", VirtualList))

    def _jump_hit(self, hit: Hit | None) -> None:
        if hit is None:
            return
        if hit.indicator_id:
            self.jump_to(hit.indicator_id)
            return
        units = self.query_one("#units", VirtualList)
        units.move_to(self.browser.unit_index(hit.unit_code) or 0, announce=False)
        self._show_unit(hit.unit_code, project_id=hit.project_id)
        self.set_focus(self.query_one("#projects" if hit.project_id else "#units", VirtualList))

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
                return label("refuse_edit", self.lang).format(user=self.user, role=self.role_name,
                                                              unit=project.unit_code)
        if action == "reading":
            if self.current_indicator() is None:
                return label("pick_indicator", self.lang)
            if self.user_role != "admin":
                return label("refuse_reading", self.lang).format(user=self.user,
                                                                 role=self.role_name)
        if action == "export" and not self.may_report:
            return label("refuse_export", self.lang).format(user=self.user, role=self.role_name)
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit keys show as disabled (``None``) in the footer where the user may not edit;
        with nothing selected they stay enabled, and pressing them says what to select."""
        if action in NEEDS_DATA and self._empty():
            return False      # an empty store: nothing to list, find, record, date or export
        if action in BROWSE_ONLY and self.mode != "browse":
            return False      # the lists have their own order; the key must not leave them
        if action in EDIT_ACTIONS and self.dataset is not None:
            reason = self.refusal(action)
            if reason and reason not in (label("pick_indicator", self.lang),
                                         label("pick_project", self.lang)):
                return None
        return True

    def _empty(self) -> bool:
        """Whether the store is loaded and holds no unit at all (nothing imported yet)."""
        return self.dataset is not None and not self.dataset.units

    def _sync_bindings(self) -> None:
        # Redrawing the footer costs ~100 ms; do it only when an edit key changes state.
        state = (self.mode,) + tuple(self.check_action(a, ()) for a in EDIT_ACTIONS + NEEDS_DATA)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def on_key(self, event) -> None:
        """A disabled edit key still explains itself instead of doing nothing, and so does a
        key an empty store does not offer (there is no data yet). Keys typed together with
        ``e`` or ``s`` go into the form those keys open."""
        # The app hands each key to whatever has the focus when it arrives, so keys that arrive
        # in one read with ``e``, ``d`` or ``x`` (a fast typist, a slow SSH link) reach this
        # screen before the dialog that key opens is up. Marked as this screen's, the app hands
        # them on to the dialog (``JixiaoApp.on_event``).
        event.monitor_screen = self
        if self.type_ahead(event.key, event.character):
            # Here, before the app looks up any binding (q, d, …), which it does only once a key
            # has come up to it: ``e 5 q`` typed while the form waits for its unit puts 5q into
            # the form.
            event.stop()
            event.prevent_default()
            return
        for key, action, _, _ in ACTIONS:
            if event.key == key and action_name(action) in NEEDS_DATA and self._empty():
                event.stop()
                self.app.notify(label("no_units", self.lang), severity="warning")
                return
            if event.key == key and action in EDIT_ACTIONS:
                # Only a disabled binding needs this: an enabled one explains in its action.
                if self.check_action(action, ()) is None:
                    event.stop()
                    self.app.notify(self.refusal(action) or "", severity="warning")
                return

    def type_ahead(self, key: str, character: str | None) -> bool:
        """Keep a key typed while a form key waits for its unit's history: it goes into the
        form when it opens. ``False`` when no form waits, and for Esc, which gives the wait up
        (``action_back``)."""
        if self._waiting is None or self._waiting[0] not in FORM_WAITS or key == "escape":
            return False
        self._typed_ahead.append((key, character))
        return True

    def _settle(self) -> None:
        """Bring the panes in line with cursor moves whose messages are not handled yet: keys
        read together (↓ then ``e``) must act on the row the user moved to."""
        if self.mode != "browse" or self.browser is None:
            return
        units = self.query_one("#units", VirtualList)
        if units.current is not None and units.current.code != self.unit_code:
            self._show_unit(units.current.code)
        projects = self.query_one("#projects", VirtualList)
        if projects.current is not None and projects.current.id != self.project_id:
            self._show_project(projects.current.id)

    def _explain(self, action: str) -> bool:
        reason = self.refusal(action)
        if reason:
            self.app.notify(reason, severity="warning")
            return True
        return False

    # --- actions ----------------------------------------------------------------------------
    def action_record(self) -> None:
        """Open the record-progress form on the selected indicator."""
        self._settle()
        if self._explain("record"):
            return
        ind = self.current_indicator()
        if self._still_loading("action_record", ind.id, whole=self.browser.unit_of(ind)):
            return
        target = self._target(ind)
        settings, year, as_of, lang = self.settings, self.settings.year, self.as_of, self.lang

        def check(text: str) -> str | None:
            # Without a parsed target the form cannot judge; the store still checks on save.
            return readings.check_actual(text, target, lang=lang) if target is not None else None

        def check_done(text: str) -> str | None:
            if target is None:
                return None
            return readings.check_entry_actual(text, target, as_of, lang=lang)

        screen = RecordProgressScreen(
            indicator=ind, target=target, lang=self.lang, as_of=as_of, check=check,
            check_actual=check_done,
            preview=lambda entry: indicator_status(ind, entry, as_of, settings, year),
            save=partial(self.sync.write_progress, ind.id),
            previous=self.dataset.counting_progress(ind.id, as_of))
        self.app.push_screen(screen, self._recorded)

    def _take_latest(self) -> None:
        # The form's worker published the version holding its entry before the form closed;
        # take it now, whichever of that message and this callback came first.
        serial, dataset = self.sync.versions.current()
        if dataset is not None:
            self._take(serial, dataset)

    def _saved(self) -> None:
        self.app.notify(label("saved", self.lang), timeout=2)

    def _recorded(self, entry) -> None:
        if entry is None:
            return
        self._take_latest()
        # The new colour shows at once; roll-ups follow from the full re-evaluation.
        ind = self.dataset.indicators.get(entry.indicator_id)
        evaluation = self.browser.evaluation
        status = None
        if ind is not None and evaluation is not None:
            counting = self.dataset.counting_progress(ind.id, self.as_of)
            try:
                status = indicator_status(ind, counting, self.as_of, self.settings,
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
        self.reevaluate()

    def action_spend(self) -> None:
        """Open the spending form on the selected project."""
        self._settle()
        if self._explain("spend"):
            return
        proj = self.current_project()
        if self._still_loading("action_spend", proj.id, whole=proj.unit_code):
            return
        screen = SpendingScreen(project=proj, lang=self.lang, as_of=self.as_of,
                                previous=self.dataset.counting_spending(proj.id, self.as_of),
                                save=partial(self.sync.write_spending, proj.id))
        self.app.push_screen(screen, self._spent)

    def _spent(self, entry) -> None:
        if entry is None:
            return
        self._take_latest()
        self.query_one("#projects", VirtualList).redraw()
        self._show_money()
        self._saved()
        self.reevaluate()

    def _set_mode(self, mode: str, rows: list | None = None) -> None:
        """Switch what the indicators pane lists; ``rows`` for triage and search."""
        pane = self.query_one("#indicators", VirtualList)
        search = self.query_one("#search", Input)
        self._head_only = False
        if mode == "browse":
            if self.mode != "browse":
                pane.formatter, pane.header = self._indicator_rows, self._indicator_header
                pane.empty = label("no_indicators", self.lang)
                pane.border_title = label("indicators", self.lang)
                search.display = False
            self.mode = mode
            self._sync_bindings()
            return
        self.mode = mode
        if mode in ("triage", "review"):
            pane.formatter, pane.header = self._triage_rows, self._triage_header
        else:
            pane.formatter, pane.header = self._hit_rows, None
        pane.empty = label({"triage": "triage_empty", "review": "review_empty"}.get(
            mode, "search_none"), self.lang)
        pane.border_title = self._list_title(mode, rows or [])
        search.display = mode == "search"
        pane.set_rows(rows or [], announce=False)
        self._show_detail()
        self._sync_bindings()

    def _leave_mode(self) -> None:
        """Back from triage or search to where the user was browsing."""
        self._waiting = None
        # The whole browse view again, not just the project: the unit may have come in while
        # the list was up (its projects pane still said "loading").
        self._show_unit(self.unit_code, project_id=self.project_id, indicator_id=self.indicator_id)
        self.set_focus(self.query_one("#indicators", VirtualList))

    def _still_loading(self, *action, whole: bool | str = False) -> bool:
        """Whether ``action`` (a method name and its arguments) needs every unit while only the
        first is loaded — triage, search and n/N over part of the data would pass for answers
        about all of it — or, with ``whole``, needs histories not read yet: of every unit
        (``True``: a change of date, an export) or of the unit with that code (recording).
        Then it is remembered and done as soon as they are in (a key is never lost; the last
        such key wins), and meanwhile the screen says what it waits for: the triage or review
        list or the search opens at once, empty, with the progress."""
        if self._ready_for(whole):
            return False
        self._waiting, self._waiting_whole = action, whole
        self._waiting_said, self._typed_ahead = 0.0, []
        if isinstance(whole, str) and self.browser is not None and self.browser.complete:
            self.sync.take_whole(whole)      # that one unit now, not after every other
        self._show_waiting()
        return True

    def _ready_for(self, whole: bool | str) -> bool:
        # What ``_still_loading`` waits for is there (see there).
        browser = self.browser
        if browser is None or not browser.complete:
            return False
        if whole is True:
            return browser.whole
        return not whole or whole not in browser.summarized

    def _show_waiting(self) -> None:
        name = self._waiting[0]
        mode = LIST_WAITS.get(name)
        if self.browser is None or mode is None:
            # No list to show the wait in (nothing shown yet, or n/N, a form, a date): one
            # message, renewed every 2 s as loading goes on, never stacked.
            now = time.monotonic()
            if now - self._waiting_said < 2.0:
                return
            self._waiting_said = now
            whole = self._waiting_whole
            text = (label("reading_unit_records", self.lang).format(code=whole)
                    if isinstance(whole, str) and self.browser is not None
                    and self.browser.complete else self._loading_text)
            self.app.clear_notifications()
            self.app.notify(text, timeout=3)
            return
        if mode == "triage" and self.browser.lead:
            # A start-up's lead stage knows the head of the list: that is the answer for now,
            # and grows into the whole list, cursor kept, once every unit is in (``_reshow``).
            self._waiting = None
            self._set_mode(mode, self.browser.triage_head())
            self._head_only = True
            self.set_focus(self.query_one("#indicators", VirtualList))
            return
        if self.mode != mode:
            self._set_mode(mode, [])
            pane = self.query_one("#indicators", VirtualList)
            if mode == "search":
                self.set_focus(self.query_one("#search", Input))
            else:
                self.set_focus(pane)
        pane = self.query_one("#indicators", VirtualList)
        pane.empty = self._loading_text
        pane.redraw()

    def _do_waiting(self) -> None:
        """Every unit is in and coloured: do the key that waited for it (a list already open
        for it fills in)."""
        name, *args = self._waiting
        self._waiting = None
        mode = LIST_WAITS.get(name)
        if mode is not None and self.mode == mode:
            rows = self._list_rows(mode)
            self._set_mode(mode, rows)
            if mode == "search" and self._search_entered and rows:
                self._jump_hit(rows[0])       # Enter pressed while it waited: the first match
            self._search_entered = False
            return
        if name in FORM_WAITS:
            # The form of the row the key was pressed on, whatever the cursor did meanwhile,
            # with what was typed for it.
            row, typed, self._typed_ahead = args[0], self._typed_ahead, []
            if name == "action_spend":
                self._jump_hit(Hit("project", self.dataset.projects[row].unit_code, row))
            else:
                self.jump_to(row)
            self.app.clear_notifications()
            getattr(self, name)()
            self._replay(typed)
            return
        getattr(self, name)(*args)

    def _replay(self, typed: list, tries: int = 50) -> None:
        """Hand ``typed`` (keys typed while a form waited) to the form once it is the screen
        with the focus — a pushed screen is mounted a few messages later — in order."""
        if not typed:
            return
        form = self.app.screen
        if form is self or form.focused is None:
            if tries:
                self.set_timer(0.02, partial(self._replay, typed, tries - 1))
            return

        def post() -> None:
            for key, character in typed:
                self.app.post_message(events.Key(key, character))
        # Two turns later: the form moves the focus to its first field when mounted, a turn
        # after the screen's own first focus.
        self.app.call_after_refresh(self.app.call_after_refresh, post)

    def action_triage(self) -> None:
        """Every red and amber indicator of every unit, worst first, in the indicators pane;
        Enter jumps to one in context, ``r`` or Esc goes back."""
        if self.mode == "triage":
            self._leave_mode()
            return
        self._settle()
        if self._still_loading("action_triage"):
            return
        if self.mode == "triage":
            self._leave_mode()
            return
        self._set_mode("triage", self.browser.triage())
        self.set_focus(self.query_one("#indicators", VirtualList))

    def action_review(self) -> None:
        """Every indicator whose reading of 指标值 needs review, in table order, in the
        indicators pane — an officer walks them with ↑↓ and Enter, settles each with ``t``;
        ``v`` or Esc goes back."""
        if self.mode == "review":
            self._leave_mode()
            return
        self._settle()
        if self._still_loading("action_review"):
            return
        if self.mode == "review":
            self._leave_mode()
            return
        self._set_mode("review", self.browser.reviews())
        self.set_focus(self.query_one("#indicators", VirtualList))

    def action_reading(self) -> None:
        """Open the reading form on the selected indicator (admins only)."""
        self._settle()
        if self._explain("reading"):
            return
        ind = self.current_indicator()
        if self._still_loading("action_reading", ind.id, whole=self.browser.unit_of(ind)):
            return
        year = self._year_of(ind)
        screen = ReadingScreen(
            indicator=ind, target=target_of(ind, year), lang=self.lang,
            inferred=parse_target(ind.target_text, year=year, level1=ind.level1,
                                  category=ind.category, name=ind.name),
            save=partial(self.sync.write_reading, ind.id))
        self.app.push_screen(screen, self._reading_set)

    def _year_of(self, ind) -> int:
        proj = self.dataset.projects.get(ind.project_id)
        return proj.year if proj else self.settings.year

    def _reading_set(self, indicator) -> None:
        if indicator is None:
            return
        self._take_latest()
        if self.mode != "browse":
            # The list follows: a settled reading leaves the review list.
            self._reshow()
        else:
            self._show_project(self.project_id, indicator_id=indicator.id)
        self._saved()
        self.reevaluate()

    def action_next_alert(self, step: int) -> None:
        """Jump to the next (1) or previous (-1) red or amber indicator anywhere; a larger
        ``step`` jumps that many (``n n n`` pressed while the units load)."""
        self._settle()
        waiting = self._waiting
        if waiting is not None and waiting[0] == "action_next_alert" and not self._ready_for(False):
            step += waiting[1]            # each press counts, not only the last
        if self._still_loading("action_next_alert", step):
            return
        current = self.current_indicator()
        iid = current.id if current else None
        for _ in range(max(1, abs(step))):
            iid = self.browser.next_alert(iid, 1 if step >= 0 else -1)
            if iid is None:
                break
        if iid is None:
            self.app.notify(label("no_alert", self.lang), timeout=2)
        else:
            self.jump_to(iid)

    def action_search(self) -> None:
        """Search units, projects and indicators (names and targets) as you type; the matches
        fill the indicators pane, ↓ moves into them, Enter jumps, Esc goes back."""
        search = self.query_one("#search", Input)
        if self.focused is search:
            # ``/`` is a priority key (``keys.PRIORITY_KEYS``): in the field it is typed (元/人),
            # behind the characters typed before it that the field has not taken in yet.
            search.post_message(events.Key("slash", "/"))
            return
        if self._still_loading("action_search"):
            return
        if self.mode != "search":
            self._set_mode("search", self.browser.search(search.value))
        # Focus moves here and in every key's action at once (``set_focus``), not on the next
        # turn as ``Widget.focus()`` does: a key typed right after must reach the new focus
        # (↓ ↓ from the search field lost its second ↓).
        self.set_focus(search)

    def action_into_results(self) -> None:
        """↓ in the search field moves into the matches."""
        pane = self.query_one("#indicators", VirtualList)
        if self.focused is not None and self.focused.id == "search" and pane.rows:
            self.set_focus(pane)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        """Search again on every keystroke (once every unit is in)."""
        self._search_entered = False      # typed after Enter: the Enter was not for this text
        if self.mode == "search" and self.browser is not None and self.browser.complete:
            hits = self.browser.search(event.value)
            pane = self.query_one("#indicators", VirtualList)
            pane.border_title = self._list_title("search", hits)
            pane.set_rows(hits, announce=False)
            self._show_detail()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        """Enter in the search field takes the first match — once there are matches, when
        the search still waits for every unit (``_do_waiting``)."""
        current = self.query_one("#indicators", VirtualList).current
        if current is not None:
            self._jump_hit(current)
        elif self._waiting is not None and self._waiting[0] == "action_search":
            self._search_entered = True

    def action_sort(self) -> None:
        """Toggle table order / worst first for the project and indicator panes (browsing only:
        the triage, review and search lists keep their own order and their row)."""
        if self.browser is None or self.mode != "browse":
            return
        self.by_status = not self.by_status
        self._show_unit(self.unit_code, project_id=self.project_id, indicator_id=self.indicator_id)
        self.app.notify(label("sorted_status" if self.by_status else "sorted_table", self.lang),
                        timeout=2)

    def action_date(self) -> None:
        """Change the monitoring date; every colour recomputes."""
        if self.dataset is None or self._still_loading("action_date", whole=True):
            return
        screen = DateScreen(year=self.settings.year, current=self.as_of, lang=self.lang,
                            view_only=self.user_role != "admin")
        self.app.push_screen(screen, self._date_chosen)

    def _date_chosen(self, new: str | None) -> None:
        if not new or new == self.as_of:
            return
        self.sync.change_date(new, self.dataset, self.user_role == "admin")

    def action_export(self) -> None:
        """Write the quarterly snapshot at the monitoring date to a file."""
        if self._explain("export") or self._still_loading("action_export", whole=True):
            return
        default = str(Path.cwd() / f"jixiao-snapshot-{self.as_of}.json")
        self.app.push_screen(ExportScreen(default=default, lang=self.lang), self._export_to)

    def _export_to(self, path: str | None) -> None:
        if path:
            self.app.notify(label("exporting", self.lang), timeout=2)
            self.sync.export(path, self.dataset, self.as_of, label("exported", self.lang))

    def action_help(self) -> None:
        """List every key."""
        hidden = {binding_id(action) for _, action, _, _ in ACTIONS
                  if self.check_action(action_name(action), ()) is False}
        self.app.push_screen(HelpScreen(help_keys(self.lang, hidden), self.lang))

    def action_back(self) -> None:
        """Esc climbs back up: detail → indicators → projects → units."""
        focused = self.focused.id if self.focused else None
        if self.mode != "browse":
            self._leave_mode()
            return
        if self._waiting is not None:
            # A key still waiting for data (a form, a date, an export): Esc gives it up.
            self._waiting, self._typed_ahead = None, []
            self.app.clear_notifications()
            self.app.notify(label("wait_cancelled", self.lang), timeout=2)
            return
        prev = {"detail": "#indicators", "indicators": "#projects", "projects": "#units"}.get(focused or "")
        if prev:
            self.set_focus(self.query_one(prev))
