"""One command that measures jixiao at city and province scale (issue 8).

    python bench/run.py [--sizes 1000,20000,100000] [--seed 1] [--json]
                        [--backend file|postgres --pg-server URL] [--groups startup,record,core,tui]

For each size it builds (once, cached under ``bench/out/``) a generated data set written through
the store, then measures in fresh child processes (``bench/measure.py``) and prints medians:

========================  ====================================================================
``startup_s``             spawn of ``jixiao --data DIR`` (headless) → first interactive screen,
                          the first unit's data shown with its colours
``full_ready_s``          the same spawn → every unit listed with its counts and colours
                          (triage, search and n/N ready: from the store's unit summaries, before
                          the histories are read); warm read cache (median)
``full_ready_cold_s``     the same with the read cache emptied first (one run)
``lead_ready_s``          (PostgreSQL; printed under the table) the same spawn → the head of the
                          triage list known, the worst alerts' units read first (``r`` shows it);
                          ``lead_wait_s`` the same from the first screen, per run
``quit_s``                ``q`` pressed once settled → the process has ended (median)
``bare_textual_s``        the same for a minimal Textual app with one static line (the floor)
``record_ms``             one progress entry through ``Store.record_progress``, durable
``naive_record_ms``       the same append into ONE TinyDB file, default ``JSONStorage``
``recompute_s``           ``Evaluator.evaluate(dataset, other_date)`` after a date change
``triage_ms``             ``r`` → triage list painted, minus a no-op key's floor (see below)
``search_ms``             ``/`` + query: slowest single keystroke or Enter, minus the floor
``cursor_ms``             ``down``/``up``: the slowest pane (units, projects, indicators)
``snapshot_s``            ``build_snapshot`` + ``dump_snapshot`` of a quarter
``diff_s``                parse two snapshot documents + diff them
``peak_rss_mb``           peak RSS (VmHWM) of a fresh app process with the data set open and used
========================  ====================================================================

With ``--backend postgres`` the same data set is copied (once, cached as the database
``jixiao_bench_N_SEED``) into PostgreSQL through ``PgStore.bulk_load``, on the server named by
``--pg-server`` (a libpq URL of a role that may create databases, e.g. the test cluster's
``$JIXIAO_TEST_PG``), and every figure is taken with ``--db`` instead of ``--data``; the naive
single-file TinyDB figure stays the file store's yardstick.

TUI figures (``App.run_test``, 160×50): each key event is handed to the app's driver and the
clock stops when every message it caused has been processed, workers (other than the app's
lifelong poller) are done and the screen has been painted (the compositor is asked to render at
once instead of at its next refresh tick). ``Pilot.press``/``pause`` are not used for timing:
they sleep in 20 ms slices until the process looks idle, which adds 40-60 ms of noise per key.
The same path run with a key nothing is bound to gives the floor, subtracted from every figure;
process CPU time of the same steps is printed too (``*_cpu_ms``) as a cross-check that does not
depend on the other load on the machine.

The table ends with the ratios ``startup_s / bare_textual_s`` and ``naive_record_ms /
record_ms`` (each from the same run: the machine is shared and noisy, ratios travel better than
absolute figures). A figure whose piece of jixiao has not landed or failed prints as ``—`` (JSON
``null``) with the reason on stderr; nothing is ever estimated.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from jixiao.bench.generate import OUT, ensure, ensure_sample

MEASURE = Path(__file__).resolve().with_name("measure.py")

CACHE_HOME = OUT / "xdg-cache"
"""``XDG_CACHE_HOME`` of every child: the store's per-user read cache of parsed partitions goes
here, never into the user's own ``~/.cache``, and can be emptied to measure a cold start."""

KEYS = ("startup_s", "full_ready_s", "full_ready_cold_s", "quit_s", "bare_textual_s", "record_ms", "naive_record_ms", "recompute_s",
        "triage_ms", "search_ms", "cursor_ms", "snapshot_s", "diff_s", "peak_rss_mb")
"""The figures per size, in table order; ``--json`` prints exactly these keys."""

TARGETS = {"startup_s": 1.5, "full_ready_s": 1.5, "full_ready_cold_s": 1.5, "quit_s": 1.0,
           "record_ms": 20, "recompute_s": 0.5, "triage_ms": 100,
           "search_ms": 100, "cursor_ms": 100, "snapshot_s": 3, "diff_s": 2, "peak_rss_mb": 300}
"""The targets at 100k indicators (DESIGN.md §11, issues 3-6, 8 and 18): a figure must be ≤
these."""

EXTRAS = ("lead_ready_s", "lead_wait_s", "whole_ready_s", "whole_ready_cold_s", "startup_cold_s", "startup_ready_s", "startup_panes_s", "startup_settled_s", "startup_exit_s",
          "startup_rss_mb", "record_cold_ms", "load_s", "evaluate_first_s", "snapshot_mb", "tui_open_s",
          "tui_floor_ms", "triage_cpu_ms", "search_cpu_ms", "cursor_cpu_ms", "cursor_units_ms",
          "cursor_projects_ms", "cursor_indicators_ms", "search_key_ms", "search_enter_ms", "search_first_ms",
          "naive_file_mb", "store_mb", "store_files")
"""Context printed under the table (not in ``--json``): what the main figures rest on."""


def log(msg: str) -> None:
    """Progress on stderr, so ``--json`` output stays clean."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def spawn(args: list[str], timeout: float) -> dict:
    """Run ``python bench/measure.py ARGS`` and return its wall time (spawn → exit), its own
    peak RSS (``os.wait4``, so no other child's peak leaks in), exit status and output."""
    out_path = OUT / f".child-{os.getpid()}.out"
    err_path = out_path.with_suffix(".err")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("wb") as out, err_path.open("wb") as err:
        t = time.perf_counter()
        env = dict(os.environ, XDG_CACHE_HOME=str(CACHE_HOME),
                   JIXIAO_BENCH_SPAWNED=repr(time.time()))
        p = subprocess.Popen([sys.executable, str(MEASURE), *args], stdout=out, stderr=err,
                             stdin=subprocess.DEVNULL, env=env)
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        ended = time.time()
        timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen consistent
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    out_path.unlink(missing_ok=True)
    err_path.unlink(missing_ok=True)
    result = {}
    lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
    if lines:
        try:
            result = json.loads(lines[-1])
        except ValueError:
            pass
    if p.returncode and not result.get("missing"):
        why = "timed out" if p.returncode == -9 else f"exit {p.returncode}: " + (
            stderr.strip().splitlines() or ["no output"])[-1][:200]
        result.setdefault("missing", {})[args[0]] = why
    if "quit_at" in result:  # the child marked when it pressed q: the time until it ended
        result["quit_s"] = ended - result.pop("quit_at")
    # The child's own peak when it could tell (see ``measure._peak_rss_mb``); else the kernel's.
    rss_mb = result.pop("hwm_mb", None) or usage.ru_maxrss / 1024
    return {"wall": wall, "rss_mb": rss_mb, "rc": p.returncode,
            "result": result, "stderr": stderr}


def _reasons(result: dict) -> dict:
    return result.get("missing") or {}


def measure_startup(store_dir: Path, *, reps: int, budget: float, timeout: float):
    """``(figures, extras, missing)`` of start-up: jixiao on ``store_dir`` and the bare app,
    alternating so both see the same noise. Each child reports the seconds from its spawn to
    each stage of its first screen (see ``measure._until_interactive``)."""
    figures, extras, missing = {}, {}, {}
    runs: dict[str, list[dict]] = {"bare": [], "startup": []}
    # The first start-up runs with the store's read cache empty (the first start after the data
    # changed); it is reported apart as startup_cold_s. The median is of the warm ones after it,
    # as a user who opens the app again sees it.
    shutil.rmtree(CACHE_HOME, ignore_errors=True)
    cold = spawn(["startup", str(store_dir)], timeout)
    if cold["rc"] == 0 and "startup_s" in cold["result"]:
        extras["startup_cold_s"] = cold["result"]["startup_s"]
        figures["full_ready_cold_s"] = cold["result"].get("full_ready_s")
        extras["whole_ready_cold_s"] = cold["result"].get("whole_ready_s")
    else:
        missing["startup_s"] = next(iter(_reasons(cold["result"]).values()), "failed")
    t0 = time.perf_counter()
    for i in range(reps):
        for kind, args in (("bare", []), ("startup", [str(store_dir)])):
            if kind == "startup" and "startup_s" in missing:
                continue  # a start-up that fails once will fail again
            r = spawn([kind, *args], 60 if kind == "bare" else timeout)
            if r["rc"] == 0 and "startup_s" in r["result"]:
                runs[kind].append({**r["result"], "rss_mb": r["rss_mb"], "exit_s": r["wall"]})
            else:
                key = "bare_textual_s" if kind == "bare" else "startup_s"
                missing[key] = next(iter(_reasons(r["result"]).values()), "failed")
        if i >= 1 and time.perf_counter() - t0 > budget:
            break

    def med(kind: str, key: str):
        values = [r[key] for r in runs[kind] if key in r]
        return statistics.median(values) if values else None

    figures["bare_textual_s"] = med("bare", "startup_s")
    figures["startup_s"] = med("startup", "startup_s")
    figures["full_ready_s"] = med("startup", "full_ready_s")
    figures["quit_s"] = med("startup", "quit_s")
    for key in ("lead_ready_s", "lead_wait_s", "whole_ready_s", "startup_ready_s", "startup_panes_s",
                "startup_settled_s"):
        extras[key] = med("startup", key)
    extras["startup_exit_s"] = med("startup", "exit_s")
    if runs["startup"]:
        extras["startup_rss_mb"] = max(r["rss_mb"] for r in runs["startup"])
    return figures, extras, missing


def measure_sample() -> str:
    """Start-up with the 128-indicator sample data against the bare app (DESIGN.md §11: ≤ 2×),
    as one line for under the table."""
    try:
        store_dir = ensure_sample()
    except Exception as exc:  # noqa: BLE001 — the sample is context; never fail the run on it
        return f"sample data: start-up not measured ({type(exc).__name__}: {exc})"
    log("sample data: start-up (jixiao vs bare Textual)")
    st, _, miss = measure_startup(store_dir, reps=5, budget=20.0, timeout=60.0)
    ratio = _ratio(st.get("startup_s"), st.get("bare_textual_s"))
    if ratio is None:
        return f"sample data: start-up missing ({'; '.join(f'{k}: {v}' for k, v in miss.items())})"
    return (f"Sample data (128 indicators): startup_s {_fmt(st['startup_s'])}, bare_textual_s "
            f"{_fmt(st['bare_textual_s'])} → {ratio:.2f}× (target ≤ 2×: "
            f"{'met' if ratio <= 2 else 'MISSED'})")


def ensure_database(server: str, n: int, seed: int, store_dir: Path) -> str:
    """The URL of the database ``jixiao_bench_N_SEED`` on ``server`` holding the data set of
    ``store_dir`` (created and filled on first use, reused after)."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    from jixiao.store import pg_schema
    from jixiao.store.postgres import PgStore, connect
    from jixiao.store.repository import Store

    name = f"jixiao_bench_{n}_{seed}"
    with psycopg.connect(server, autocommit=True) as su:
        if not su.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            su.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_conninfo(server, dbname=name)
    with connect(url) as conn:
        if pg_schema.version(conn) is None:
            pg_schema.init(conn)
    store = PgStore(url)
    if not store.partition_keys():
        log(f"n={n}: copying the data set into PostgreSQL ({name})")
        t = time.perf_counter()
        store.bulk_load(Store(store_dir, user="bench").load(), what="copied")
        log(f"n={n}: copied in {time.perf_counter() - t:.1f} s")
    store.close()
    return url


GROUPS = ("startup", "record", "core", "tui")
"""The groups of figures, each measured by its own children (``--groups``)."""


def measure_size(n: int, seed: int, pg_server: str | None = None,
                 groups: tuple[str, ...] = GROUPS) -> tuple[dict, dict, dict]:
    """``(figures, extras, missing)`` for one size (on PostgreSQL with ``pg_server``), of the
    ``groups`` asked for."""
    figures: dict = {k: None for k in KEYS}
    extras: dict = {}
    missing: dict = {}
    store_dir, naive = ensure(n, seed, log=log)
    files = [f for f in store_dir.rglob("*") if f.is_file()]
    extras["store_files"] = len(files)
    extras["store_mb"] = sum(f.stat().st_size for f in files) / 1e6
    if pg_server:
        store_dir = ensure_database(pg_server, n, seed, store_dir)
    big = n >= 50000
    # At 1M a child spends minutes loading, and the naive yardstick re-writes a 1.5 GB file
    # per append: 300 s cut the record, core and tui children short there (2026-12-02).
    timeout = 1200.0 if n >= 500000 else 300.0 if big else 120.0

    if "startup" in groups:
        log(f"n={n}: start-up (jixiao vs bare Textual)")
        st, st_extras, st_missing = measure_startup(store_dir, reps=3 if big else 5,
                                                    budget=90.0 if big else 30.0,
                                                    timeout=timeout)
        figures.update(st)
        extras.update(st_extras)
        missing.update(st_missing)

    for kind, args in (("record", [str(store_dir), str(naive)]), ("core", [str(store_dir)]),
                       ("tui", [str(store_dir)])):
        if kind not in groups:
            continue
        log(f"n={n}: {kind}")
        r = spawn([kind, *args], timeout)
        res = r["result"]
        for k, v in res.items():
            if k in figures:
                figures[k] = v
            elif k != "missing":
                extras[k] = v
        for k, why in _reasons(res).items():
            if k == kind:  # the whole child failed: every figure it owns is missing
                owned = {"record": ("record_ms", "naive_record_ms"),
                         "core": ("recompute_s", "snapshot_s", "diff_s"),
                         "tui": ("triage_ms", "search_ms", "cursor_ms", "peak_rss_mb")}[kind]
                for o in owned:
                    if figures.get(o) is None:
                        missing.setdefault(o, why)
            else:
                missing[k] = why
        if kind == "tui" and r["rc"] == 0 and not (_reasons(res).keys() & {"tui"}):
            figures["peak_rss_mb"] = r["rss_mb"]
        if r["rc"] and r["stderr"]:
            log(f"n={n}: {kind} child stderr (tail): " + r["stderr"].strip()[-400:])
    for k in KEYS:
        if figures[k] is None:
            missing.setdefault(k, "not measured")
        else:
            missing.pop(k, None)
    return figures, extras, missing


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, int):
        return str(v)
    a = abs(v)
    return f"{v:,.0f}" if a >= 100 else f"{v:.1f}" if a >= 10 else f"{v:.2f}" if a >= 1 else f"{v:.3f}"


def _ratio(a, b):
    return a / b if a is not None and b else None


def table(results: dict[int, tuple[dict, dict, dict]]) -> str:
    """The markdown table: figures, the 100k target and whether the largest size meets it,
    context rows, then the two ratios."""
    sizes = sorted(results)
    largest = sizes[-1]
    head = ["figure", *(f"{n:,}" for n in sizes), "target (100k)", f"met at {largest:,}"]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * len(sizes) + "---:|:---:|"]
    for k in KEYS:
        vals = [results[n][0][k] for n in sizes]
        tgt = TARGETS.get(k)
        met = "" if tgt is None or vals[-1] is None else ("yes" if vals[-1] <= tgt else "**NO**")
        lines.append("| " + " | ".join([k, *map(_fmt, vals), f"≤ {tgt}" if tgt else "", met]) + " |")
    for k in EXTRAS:
        vals = [results[n][1].get(k) for n in sizes]
        if any(v is not None for v in vals):
            lines.append("| " + " | ".join([f"<sub>{k}</sub>", *map(_fmt, vals), "", ""]) + " |")
    r1 = [_ratio(results[n][0]["startup_s"], results[n][0]["bare_textual_s"]) for n in sizes]
    r2 = [_ratio(results[n][0]["naive_record_ms"], results[n][0]["record_ms"]) for n in sizes]
    lines.append("| " + " | ".join(["**startup_s / bare_textual_s**", *map(_fmt, r1), "", ""]) + " |")
    lines.append("| " + " | ".join(["**naive_record_ms / record_ms**", *map(_fmt, r2), "", ""]) + " |")
    return "\n".join(lines)


def compile_sources() -> None:
    """Byte-compile jixiao's modules before any child starts, as ``pip install .`` does at
    install time. An editable install run with ``PYTHONDONTWRITEBYTECODE`` set (as on this
    machine) otherwise compiles every module from source on every start — 0.1 s of start-up a
    user never pays — while the bare Textual app is always loaded precompiled."""
    import compileall
    import importlib

    for name in ("jixiao", "jixiao.core", "jixiao.store", "jixiao.tui", "jixiao.cli"):
        for folder in importlib.import_module(name).__path__:
            compileall.compile_dir(folder, quiet=2)


def main(argv: list[str] | None = None) -> int:
    """Measure every size, print the table (or ``--json``); exit 0 even when figures are missing."""
    ap = argparse.ArgumentParser(description="Measure jixiao at city and province scale.")
    ap.add_argument("--sizes", default="1000,20000,100000",
                    help="comma-separated indicator counts (default: 1000,20000,100000)")
    ap.add_argument("--seed", type=int, default=1, help="data-set seed (default: 1)")
    ap.add_argument("--json", action="store_true", help="print one JSON object keyed by size")
    ap.add_argument("--backend", choices=("file", "postgres"), default="file",
                    help="the store measured (default: file)")
    ap.add_argument("--pg-server", metavar="URL", default=os.environ.get("JIXIAO_TEST_PG"),
                    help="with --backend postgres: a libpq URL of a role that may create "
                         "databases (default: $JIXIAO_TEST_PG)")
    ap.add_argument("--groups", default=",".join(GROUPS),
                    help="comma-separated groups of figures to measure (default: all of "
                         + ", ".join(GROUPS) + "); the others print as not measured")
    args = ap.parse_args(argv)
    groups = tuple(g.strip() for g in args.groups.split(",") if g.strip())
    if set(groups) - set(GROUPS):
        ap.error(f"--groups takes {', '.join(GROUPS)}")
    if args.backend == "postgres" and not args.pg_server:
        ap.error("--backend postgres needs --pg-server URL (or $JIXIAO_TEST_PG)")
    pg_server = args.pg_server if args.backend == "postgres" else None
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    t0 = time.perf_counter()
    compile_sources()
    results = {}
    for n in sizes:
        results[n] = measure_size(n, args.seed, pg_server, groups)
        for k, why in sorted(results[n][2].items()):
            log(f"n={n}: {k} missing: {why}")
    sample = None if args.json or pg_server else measure_sample()
    log(f"done in {time.perf_counter() - t0:.0f} s")
    if args.json:
        print(json.dumps({str(n): {k: results[n][0][k] for k in KEYS} for n in sizes}, indent=2))
    else:
        # Notes first: the printout ends with the table, whose last rows are the two ratios.
        notes = sorted({f"{k}: {why}" for n in sizes for k, why in results[n][2].items()})
        for note in notes:
            print(f"- missing {note}")
        if sample:
            print(f"- {sample}")
        print()
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
