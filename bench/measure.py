"""The measurements of ``bench/run.py``, each run in a fresh child process.

``python bench/measure.py KIND ARGS...`` prints one JSON object on its last stdout line: the
figures it measured, and under ``"missing"`` the figures it could not take with the reason (a
piece of jixiao that has not landed yet, or that failed). It never prints a made-up number.

Kinds:

* ``bare`` — a minimal Textual app that shows one static line, headless, exits when interactive.
* ``startup DIR`` — ``jixiao --data DIR`` through the real console-script entry point, headless:
  ``startup_s`` when its first screen is interactive with the first unit's data and colours,
  ``full_ready_s`` when every unit's counts are known; exits once every loading worker is done.
* ``tui DIR`` — the jixiao app under ``App.run_test``: key-press floor, cursor moves, the triage
  view and a search.
* ``core DIR`` — load the store, recompute every status at other monitoring dates, build and dump
  two quarterly snapshots, diff them.
* ``record DIR NAIVE_FILE`` — record progress entries through the store (on a copy of DIR), and
  the same append into one default-storage TinyDB file (on a copy of NAIVE_FILE).

Processes are fresh so that each figure includes no cache warmed by another, and so the parent
can read each child's own peak RSS (``os.wait4``).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path


# --- helpers -----------------------------------------------------------------------------------
RESULT: dict = {"missing": {}}


def _missing(keys, exc: BaseException | str) -> None:
    """Record why ``keys`` could not be measured (an import error, a crash)."""
    if isinstance(exc, BaseException):
        if isinstance(exc, ImportError):
            why = f"cannot import: {exc}"
        else:
            tb = traceback.extract_tb(exc.__traceback__)
            where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
            why = f"failed: {type(exc).__name__}: {exc}"[:200] + where
    else:
        why = exc
    for k in ([keys] if isinstance(keys, str) else keys):
        RESULT["missing"][k] = why


def _peak_rss_mb() -> float | None:
    # VmHWM belongs to this process's own memory map, which exec starts afresh. ``ru_maxrss``
    # does not: Linux carries it over from the forked parent, so a child of a bench that had
    # just generated a 100k data set in-process "peaked" at the bench's 525 MB.
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _as_a_command_runs() -> None:
    """The process settings every ``jixiao`` command runs with (``cli.main``): figures taken
    outside the entry point are taken as a user would meet them."""
    import gc

    from jixiao.cli.main import GC_THRESHOLDS

    gc.set_threshold(*GC_THRESHOLDS)


def _emit() -> None:
    RESULT["hwm_mb"] = _peak_rss_mb()
    print(json.dumps(RESULT, ensure_ascii=False))


def _timed(fn, reps: int, budget_s: float, *, min_reps: int = 1) -> list[float]:
    """Wall times of ``fn()`` (seconds): ``reps`` runs, fewer when over ``budget_s``."""
    times = []
    start = time.perf_counter()
    for i in range(reps):
        t = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t)
        if i + 1 >= min_reps and time.perf_counter() - start > budget_s:
            break
    return times


# --- Textual start-up --------------------------------------------------------------------------
LONG_RUNNING_GROUPS = {"poll"}
"""Worker groups that run for the life of the app (jixiao polls ``Store.refresh`` in one): never
waited for, or nothing would ever count as settled."""


async def _workers_done(app) -> None:
    """Wait until every worker except the long-running ones has finished."""
    while _busy(app):
        await asyncio.sleep(0.002)


def _busy(app) -> bool:
    """Some worker (pending or running, other than the long-running ones) is not done yet."""
    return any(not w.is_finished and w.group not in LONG_RUNNING_GROUPS for w in app.workers)


async def _until_interactive(pilot) -> None:
    """Follow the app from its first screen to fully settled, marking (epoch seconds, in
    ``STATE["marks"]``) when each stage is painted:

    * ``ready`` — first screen painted and taking keys (the auto-pilot starts after ``on_ready``;
      jixiao still says "loading" here);
    * ``panes`` — the data is in the panes (jixiao's ``browser`` is set);
    * ``colours`` — the first screen a person came for, and the ``startup_s`` figure: the unit
      the cursor starts on shown with its projects, indicators and colours, and taking keys
      (``browser.evaluation`` is set; jixiao loads that unit's partition first and the others
      after it, listing them with counts "…");
    * ``lead`` — on PostgreSQL, the head of the triage list known (``browser.lead``: the units
      holding the store's worst alerts are in; ``lead_ready_s``), before every summary is read;
    * ``full`` — every unit listed and coloured, so counts, triage, search and n/N answer
      for all of it (``browser.complete``; the ``full_ready_s`` figure) — from the store's
      summaries, before the histories are read;
    * ``whole`` — every history read too (``browser.whole``; ``whole_ready_s``): what a change
      of date or an export waits for;
    * ``settled`` — every start-up worker done (jixiao also warms its triage/search caches).

    An app without those attributes (the bare app) reaches every stage at once."""
    app = pilot.app
    marks = STATE.setdefault("marks", {})
    marks["ready"] = time.time()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and getattr(app, "_exception", None) is None:
        browser = _browser(app)
        if browser is not None and "panes" not in marks:
            await _drain(pilot, workers=False)  # the worker goes on computing the colours
            marks["panes"] = time.time()
        if (browser is not None and getattr(browser, "evaluation", True) is not None
                and "colours" not in marks):
            await _drain(pilot, workers=False)
            marks["colours"] = time.time()
        if "colours" in marks and "lead" not in marks and getattr(browser, "lead", 0):
            await _drain(pilot, workers=False)
            marks["lead"] = time.time()
        if "colours" in marks and "full" not in marks and _complete(browser):
            await _drain(pilot, workers=False)
            marks["full"] = time.time()
        if "full" in marks and getattr(_browser(app), "whole", True):
            marks["whole"] = time.time()
            break
        if "colours" in marks and not _busy(app) and not _complete(_browser(app)):
            # A worker that has just finished may have posted what completes the screen:
            # handle that first, then decide.
            await _drain(pilot, workers=False)
            if not _busy(app) and not _complete(_browser(app)):
                break  # nothing is loading any more, and it is not complete: it never will be
        # Every 2 ms until the first screen; then every 50 ms: a loop waking the UI thread every
        # 2 ms took the interpreter from the loading thread so often that the middle stage took
        # ~0.5 s longer than in a terminal (its mark is late by 25 ms on average for it).
        await asyncio.sleep(0.05 if "colours" in marks else 0.002)
    await _workers_done(app)
    await _drain(pilot)
    marks["settled"] = time.time()


def _browser(app):
    """jixiao's ``Browser`` (on its monitor screen; ``None`` before the data is in), or ``True``
    for an app without one (the bare app)."""
    return getattr(getattr(app, "monitor", app), "browser", True)


def _complete(browser) -> bool:
    """Every unit's data loaded and every unit's counts known (an app without the notion, like
    the bare one, is complete when it shows anything)."""
    if browser is True:
        return True
    if browser is None or not getattr(browser, "complete", True):
        return False
    ev = getattr(browser, "evaluation", None)
    return ev is not None and ev.units.keys() >= browser.dataset.units.keys()


STATE: dict = {}


def _headless_autopilot(exit_after=_until_interactive, before_quit=None):
    """Patch ``App.run`` so any app runs headless and exits once settled; ``STATE`` records the
    app and the marks of ``_until_interactive``. With ``before_quit``, that is called once
    settled and the app is then quit with its own ``q`` key, as a user quits it. The patch is
    made when the program imports Textual, not before: a ``jixiao`` process does work before
    it imports its UI (on PostgreSQL it forks a reader then), and the figure must be of that
    order of things."""
    def patch(module) -> None:
        App = module.App
        original = App.run

        def run(self, *args, **kwargs):
            async def auto_pilot(pilot):
                await exit_after(pilot)
                if before_quit is None:
                    pilot.app.exit()
                    return
                before_quit()
                await pilot.press("q")

            STATE["app"] = self
            kwargs.update(headless=True, auto_pilot=auto_pilot, size=(160, 50))
            return original(self, *args, **kwargs)

        App.run = run

    _when_imported("textual.app", patch)


def _when_imported(name: str, then) -> None:
    """Call ``then(module)`` once the module ``name`` has been imported (at once if it was)."""
    if name in sys.modules:
        then(sys.modules[name])
        return
    import importlib.abc
    import importlib.util

    class Hook(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path, target=None):
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            run_module = spec.loader.exec_module

            def exec_module(module):
                run_module(module)
                then(module)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, Hook())


def _report_marks(key: str) -> None:
    """Seconds from spawn (the parent's clock, passed in the environment) to each mark; a crash,
    or an app that never showed its colours, becomes a missing figure instead."""
    app = STATE.get("app")
    marks = STATE.get("marks", {})
    if app is None:
        _missing(key, "no Textual app was started")
        return
    if key == "startup" and _browser(app) is True:
        # Without jixiao's `browser` the stages cannot be told apart: never report first paint
        # as the start-up figure.
        _missing(key, f"{type(app).__name__} has no `browser`: cannot tell when data is shown")
        return
    if "colours" not in marks:
        exc = getattr(app, "_exception", None)
        _missing(key, exc if exc is not None else "the app exited before its data was on screen")
        return
    if "JIXIAO_BENCH_SPAWNED" not in os.environ:
        _missing(key, "no spawn time: run through bench/run.py")
        return
    spawned = float(os.environ["JIXIAO_BENCH_SPAWNED"])
    RESULT["startup_ready_s"] = marks["ready"] - spawned
    RESULT["startup_panes_s"] = marks["panes"] - spawned
    RESULT["startup_s"] = marks["colours"] - spawned
    if "lead" in marks:
        RESULT["lead_ready_s"] = marks["lead"] - spawned
        # What ``r`` pressed at the first screen waits for its rows, in the same run.
        RESULT["lead_wait_s"] = marks["lead"] - marks["colours"]
    if "full" in marks:
        RESULT["full_ready_s"] = marks["full"] - spawned
    if "whole" in marks:
        RESULT["whole_ready_s"] = marks["whole"] - spawned
    else:
        _missing("full_ready", "the app exited before every unit's counts were known")
    RESULT["startup_settled_s"] = marks["settled"] - spawned


def bare() -> None:
    """A minimal Textual app with one static line, headless, until interactive."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App):
        """One static line."""

        def compose(self) -> ComposeResult:
            yield Static("jixiao bench: one static line")

    _headless_autopilot()
    Bare().run()
    _report_marks("bare")


def _where(location: str) -> list[str]:
    """The ``jixiao`` arguments that open ``location``: a libpq URL (``--backend postgres``)
    or a data directory."""
    return ["--db", location] if _is_db(location) else ["--data", location]


def _is_db(location: str) -> bool:
    return location.startswith(("postgresql:", "postgres:")) or "dbname=" in location


def _open(location: str):
    """The store at ``location`` (see ``_where``), acting as the bench user where it can."""
    if _is_db(location):
        from jixiao.store.postgres import PgStore

        return PgStore(location)
    from jixiao.store.repository import Store

    return Store(Path(location), user="bench")


def startup(data_dir: str) -> None:
    """``jixiao --data DIR`` (or ``--db URL``) as a user starts it (the console script's own
    entry), but headless; once settled the figures are printed, ``quit_at`` (epoch seconds) is
    marked and ``q`` is pressed: the parent takes ``quit_s`` from that mark to the process's
    end."""
    def report() -> None:
        _report_marks("startup")
        RESULT["quit_at"] = time.time()
        _emit()
        sys.stdout.flush()

    _headless_autopilot(before_quit=report)
    from jixiao.cli import main as cli

    sys.argv = ["jixiao", *_where(data_dir)]
    entry = getattr(cli, "entry", None)
    try:
        if entry is not None:
            entry()  # ends the process (after the figures were printed)
        code = cli.main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
    if "quit_at" not in RESULT:
        _report_marks("startup")  # the app exited before it settled: say why
    if code and not RESULT["missing"]:
        _missing("startup", f"jixiao exited with status {code}")


# --- the TUI under run_test --------------------------------------------------------------------
async def _settle(pilot) -> None:
    """Wait until every effect of the last input is on screen: workers done, no pending messages,
    and the process idle (a ``pause`` that returns at its first 20 ms slice)."""
    app = pilot.app
    while True:
        await _workers_done(app)
        t = time.perf_counter()
        await pilot.pause()
        if time.perf_counter() - t < 0.045 and not _busy(app):
            return


def _quiet(app) -> bool:
    """Nothing left to do on screen: no queued messages, no pending paint or callbacks."""
    screen = app.screen
    try:
        for node in (app, screen, *screen.walk_children()):
            if node._message_queue.qsize() or node._next_callbacks:
                return False
        return not (screen._dirty_widgets or screen._layout_required or screen._repaint_required
                    or screen._callbacks)
    except AttributeError:  # another Textual version: fall back to one round
        return True


async def _drain(pilot, *, workers: bool = True) -> None:
    """Process everything the last input caused, and paint the result, without the 20 ms sleep
    slices of ``Pilot.pause``: the wall time then is the handler plus the repaint. With
    ``workers=False`` the workers it started are not waited for (start-up stages)."""
    app = pilot.app
    for _ in range(100):
        await asyncio.sleep(0)
        await pilot._wait_for_screen()
        if workers:
            await _workers_done(app)
        await app._animator.wait_until_complete()
        app.screen._on_timer_update()  # paint now rather than at the next refresh tick
        if _quiet(app):
            return


def _key_event(key: str):
    """The ``events.Key`` a terminal would send for ``key`` (as ``Pilot.press`` builds it)."""
    import unicodedata

    from textual import events
    from textual.keys import _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def _press_timed(pilot, key: str) -> tuple[float, float]:
    """``(wall, cpu)`` seconds from a key reaching the app until its effect is painted."""
    app = pilot.app
    await _settle(pilot)
    event = _key_event(key)
    event.set_sender(app)
    w, c = time.perf_counter(), time.process_time()
    app._driver.send_message(event)
    await _drain(pilot)
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    return wall, cpu


def _unbound_key(app) -> str:
    """A key nothing is bound to, to measure the floor of a key press + settle."""
    bound = set(app.active_bindings)
    for key in ("f19", "f18", "f17", "f16", "f15"):
        if key not in bound:
            return key
    return "f20"


async def _tui_session(app, reps: int) -> None:
    """Drive the app: floor, cursor moves, triage view, search. Fills ``RESULT``."""
    async with app.run_test(size=(160, 50)) as pilot:
        t = time.perf_counter()
        await _settle(pilot)
        RESULT["tui_open_s"] = time.perf_counter() - t
        noop = _unbound_key(pilot.app)
        floors = [await _press_timed(pilot, noop) for _ in range(max(5, reps))]
        floor_w = statistics.median(w for w, _ in floors)
        floor_c = statistics.median(c for _, c in floors)
        RESULT["tui_floor_ms"] = floor_w * 1000
        RESULT["tui_floor_cpu_ms"] = floor_c * 1000

        def record(name: str, samples: list[tuple[float, float]]) -> None:
            # The figure is what the user waits for beyond the harness' own cost of a key press:
            # median wall time minus the floor, and the same for process CPU time.
            RESULT[name] = max(0.0, statistics.median(w for w, _ in samples) - floor_w) * 1000
            RESULT[name.replace("_ms", "_cpu_ms")] = max(
                0.0, statistics.median(c for _, c in samples) - floor_c) * 1000

        # Cursor: down/up alternately (so the cursor stays where the data is) in each pane:
        # units (switches unit: refills projects and indicators), projects (refills indicators),
        # indicators (updates the detail pane). The figure is the slowest pane's median.
        try:
            per_pane = {}
            for pane in ("units", "projects", "indicators"):
                pilot.app.query_one(f"#{pane}").focus()
                await _settle(pilot)
                samples = [await _press_timed(pilot, "down" if i % 2 == 0 else "up")
                           for i in range(2 * reps)]
                record(f"cursor_{pane}_ms", samples)
                per_pane[pane] = samples
            worst = max(per_pane, key=lambda p: RESULT[f"cursor_{p}_ms"])
            record("cursor_ms", per_pane[worst])
            pilot.app.query_one("#units").focus()
            await _settle(pilot)
        except Exception as exc:  # noqa: BLE001 — report and go on with the other figures
            _missing(["cursor_ms"], exc)

        # Triage (`r`): open it, then go back (Escape) between samples. Whether the view is a
        # screen of its own or a mode of the main screen, it must change what is shown.
        home = _view(pilot.app)
        try:
            samples = []
            for _ in range(reps):
                samples.append(await _press_timed(pilot, "r"))
                if _view(pilot.app) == home:
                    raise RuntimeError("`r` did not open a triage view")
                await _back_to(pilot, home)
            record("triage_ms", samples)
        except Exception as exc:  # noqa: BLE001
            _missing(["triage_ms"], exc)

        # Search (`/`, live as you type): open it, type the query key by key, Enter (jumps to
        # the first hit). The figure is the slowest single step (what a user waits for after
        # one key), median over the repetitions; the first search also builds the index, shown
        # apart as search_first_ms.
        try:
            queries = ["满意度", "网络安全", "河湖长制", "301"]
            worst, keys, enters = [], [], []
            for i in range(reps + 1):
                await pilot.press("slash")
                await _settle(pilot)
                if _view(pilot.app) == home:
                    raise RuntimeError("`/` did not open a search view")
                steps = [await _press_timed(pilot, ch) for ch in queries[i % len(queries)]]
                keys += steps if i else []
                steps.append(await _press_timed(pilot, "enter"))
                enters += steps[-1:] if i else []
                worst.append(max(steps))
                await _back_to(pilot, home)
                _clear_search(pilot.app)
                await _settle(pilot)
            RESULT["search_first_ms"] = max(0.0, worst[0][0] - floor_w) * 1000
            record("search_ms", worst[1:])
            record("search_key_ms", keys)      # one typed character: filter + repaint
            record("search_enter_ms", enters)  # Enter: jump to the first hit in context
        except Exception as exc:  # noqa: BLE001
            _missing(["search_ms"], exc)


def _view(app) -> tuple:
    """What the app is showing, coarsely: the screen on top and jixiao's pane mode, if any."""
    return (id(app.screen), getattr(app.screen, "mode", None))


def _clear_search(app) -> None:
    """Empty the search field between queries (the app keeps the last query for the user)."""
    from textual.widgets import Input

    for inp in app.screen.query(Input):
        inp.value = ""


async def _back_to(pilot, view) -> None:
    """Press Escape until ``view`` shows again."""
    for _ in range(4):
        if _view(pilot.app) == view:
            return
        await pilot.press("escape")
        await _settle(pilot)
    if _view(pilot.app) != view:
        raise RuntimeError("Escape did not go back to the panes")


def tui(data_dir: str, reps: str = "7") -> None:
    """The TUI figures: build the app the way ``jixiao --data DIR`` does, then drive it."""
    captured = {}
    from textual.app import App

    def capture(self, *args, **kwargs):
        captured["app"] = self

    App.run = capture  # let the real launch path build the app, then take it over
    from jixiao.cli.main import main

    main(_where(data_dir))
    if "app" not in captured:
        raise RuntimeError("jixiao did not start a Textual app")
    asyncio.run(_tui_session(captured["app"], int(reps)))


# --- core: recompute, snapshot, diff -----------------------------------------------------------
def core(data_dir: str) -> None:
    """Recompute, snapshot and diff figures on the data set loaded through the store."""
    _as_a_command_runs()
    t = time.perf_counter()
    ds = _open(data_dir).load()
    RESULT["load_s"] = time.perf_counter() - t
    RESULT["n_indicators"] = len(ds.indicators)
    n = len(ds.indicators)
    try:
        from jixiao.core.evaluator import Evaluator

        evaluate = Evaluator().evaluate   # the app keeps one evaluator, as here
        t = time.perf_counter()
        evaluate(ds)  # the app's first evaluation at the stored monitoring date
        RESULT["evaluate_first_s"] = time.perf_counter() - t
        dates = ["2023-06-30", "2023-09-30", "2023-03-31", "2023-12-31", "2023-08-15"]
        times = _timed(lambda i: evaluate(ds, dates[i % len(dates)]), 5, 20.0 if n > 50000 else 10.0)
        RESULT["recompute_s"] = statistics.median(times)
    except Exception as exc:  # noqa: BLE001
        _missing(["recompute_s"], exc)
    q2 = q3 = None
    try:
        from jixiao.core.evaluator import Evaluator
        from jixiao.core.snapshot import build_snapshot, dump_snapshot

        evaluator = Evaluator()   # as the app exports with the evaluator it keeps

        def snap(as_of: str) -> str:
            return dump_snapshot(build_snapshot(ds, as_of, evaluation=evaluator.evaluate(ds, as_of),
                                                generated_at="2023-07-31T00:00:00+08:00"))

        out: dict[int, str] = {}
        times = _timed(lambda i: out.__setitem__(i, snap("2023-06-30")), 3, 20.0)
        RESULT["snapshot_s"] = statistics.median(times)
        q2 = out[0]
        q3 = snap("2023-09-30")
        RESULT["snapshot_mb"] = len(q2.encode()) / 1e6
    except Exception as exc:  # noqa: BLE001
        _missing(["snapshot_s", "diff_s"], exc)
    if q2 is not None:
        try:
            import jixiao.core.snapshot_diff as sd

            diff_fn = _diff_function()
            fmt = getattr(sd, "format_diff", None)
            tmp = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
            old, new = tmp / "2023Q2.json", tmp / "2023Q3.json"
            old.write_text(q2, encoding="utf-8")
            new.write_text(q3, encoding="utf-8")

            def diff(_i):
                # As `jixiao diff OLD NEW` does: read both files, diff, format the table.
                # core.snapshot_diff takes the raw bytes (its fast path); a diff that only takes
                # parsed documents gets them parsed here, inside the timing.
                a, b = old.read_bytes(), new.read_bytes()
                try:
                    result = diff_fn(a, b)
                except (TypeError, AttributeError):
                    result = diff_fn(json.loads(a), json.loads(b))
                if fmt is not None:
                    fmt(result)

            try:
                RESULT["diff_s"] = statistics.median(_timed(diff, 3, 15.0))
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        except Exception as exc:  # noqa: BLE001
            _missing(["diff_s"], exc)


def _diff_function():
    """The public two-snapshot diff function of ``core.snapshot_diff``."""
    import inspect

    import jixiao.core.snapshot_diff as sd

    for name in ("diff_snapshots", "diff", "compare_snapshots", "compare"):
        fn = getattr(sd, name, None)
        if callable(fn):
            return fn
    candidates = [f for n, f in inspect.getmembers(sd, inspect.isfunction)
                  if f.__module__ == sd.__name__ and not n.startswith("_")
                  and len(inspect.signature(f).parameters) >= 2 and "diff" in n]
    if not candidates:
        raise ImportError("no diff function found in core.snapshot_diff")
    return candidates[0]


# --- store writes ------------------------------------------------------------------------------
_COUNT_TARGET = re.compile(r"^≥\d+个$")


def record(data_dir: str, naive_file: str) -> None:
    """Record progress entries through the store, and the naive single-file TinyDB append."""
    _as_a_command_runs()
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    try:
        _record_store(data_dir, tmp)
        _record_naive(Path(naive_file), tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _record_store(data_dir: str, tmp: Path) -> None:
    try:
        if _is_db(data_dir):
            # The database keeps the entries (a handful per run, append-only like any history).
            copy = data_dir
        else:
            copy = str(tmp / "store")
            shutil.copytree(data_dir, copy)  # keep the cached data set pristine
        store = _open(copy)
        ds = store.load()
        # Count targets (≥N个) in different units: `3` fits them whatever the parser's details.
        by_unit: dict[str, str] = {}
        for ind in ds.indicators.values():
            if _COUNT_TARGET.match(ind.target_text):
                unit = ds.projects[ind.project_id].unit_code
                by_unit.setdefault(unit, ind.id)
        ids = [by_unit[u] for u in sorted(by_unit)]
        del ds
        # Cause and measure given: an entry that leaves an indicator amber or red needs them.
        why = dict(causes=("其他",), measures="bench")
        store.record_progress(ids[0], as_of="2023-07-31", actual="3", **why)  # warm-up
        times = _timed(lambda i: store.record_progress(ids[(i + 1) % len(ids)], as_of="2023-07-31",
                                                       actual=str(4 + i % 3), note="bench", **why),
                       21, 10.0, min_reps=5)
        RESULT["record_ms"] = statistics.median(times) * 1000
        RESULT["record_reps"] = len(times)
        # `jixiao record ID ...` from the shell: a fresh Store that has loaded nothing must
        # first find the indicator's file. Take the last unit (the longest search).
        cold = _timed(lambda i: _open(copy).record_progress(
            ids[-1 - i], as_of="2023-07-31", actual="3", note="bench", **why), 3, 5.0)
        RESULT["record_cold_ms"] = statistics.median(cold) * 1000
    except Exception as exc:  # noqa: BLE001
        _missing(["record_ms"], exc)


def _record_naive(naive_file: Path, tmp: Path) -> None:
    from tinydb import TinyDB

    copy = tmp / "naive.json"
    shutil.copyfile(naive_file, copy)
    db = TinyDB(copy)  # default JSONStorage: each write re-reads and re-writes the whole file
    progress = db.table("progress")

    def insert(i: int) -> None:
        progress.insert({"id": f"Ebench{i:06d}", "indicator_id": "bench", "as_of": "2023-07-31",
                         "actual": "3", "author": "bench", "recorded_at": "2023-07-31T10:00:00+08:00",
                         "forecast": None, "likelihood": None, "causes": [], "measures": None,
                         "note": "bench"})

    times = _timed(insert, 15, 8.0, min_reps=3)
    db.close()
    RESULT["naive_record_ms"] = statistics.median(times) * 1000
    RESULT["naive_record_reps"] = len(times)
    RESULT["naive_file_mb"] = naive_file.stat().st_size / 1e6


KINDS = {"bare": bare, "startup": startup, "tui": tui, "core": core, "record": record}


def main(argv: list[str]) -> int:
    """Run one measurement kind; print its JSON result as the last stdout line."""
    kind, args = argv[0], argv[1:]
    try:
        KINDS[kind](*args)
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 — the parent shows the reason, not a traceback
        _missing([f"{kind}"], exc)
        traceback.print_exc(file=sys.stderr)
    _emit()
    return 1 if RESULT["missing"] and kind in ("bare", "startup") else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
