"""Shared helpers of the store and access tests: a small dataset, a writer process, the CLI.

Imported by ``conftest.py`` only, which hands each helper to the tests as a fixture of the same
name; a test module never imports another test module or this one.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jixiao.core.dataset import Dataset
from jixiao.core.model import Budget, Indicator, Project, Settings, Unit
from jixiao.store.repository import Store

UNITS = ("301101", "301205", "301206")


def make_dataset(units=UNITS, projects_per_unit=2, indicators_per_project=3, year=2023) -> Dataset:
    """A dataset of a few units, projects and quantity indicators, without history."""
    ds = Dataset(settings=Settings(year=year, as_of=f"{year}-07-31"))
    for code in units:
        ds.add_unit(Unit(code, f"单位{code}"))
        for n in range(projects_per_unit):
            name = f"项目{n}"
            p = Project(Project.make_id(code, year, name), code, year, name,
                        Budget(100.0, 100.0, 0.0), order=n)
            ds.add_project(p)
            for k in range(indicators_per_project):
                iid = Indicator.make_id(p.id, "产出指标", "数量", f"指标{k}")
                ds.add_indicator(Indicator(iid, p.id, k, "产出指标", "数量", f"指标{k}",
                                           "描述", f"≥{10 + k}个"))
    return ds


def filled_store(path: Path, **kw) -> tuple[Store, Dataset]:
    """A store at ``path`` bulk-loaded with ``make_dataset(**kw)`` by single-user admin."""
    ds = make_dataset(**kw)
    store = Store(path, user="admin1")
    store.bulk_load(ds)
    return store, ds


def first_indicator(ds: Dataset, unit: str) -> str:
    """The id of the first indicator of ``unit``'s first project."""
    return ds.indicators_of(ds.projects_of(unit)[0].id)[0].id


WRITER = r"""
import sys
from jixiao.store.repository import Store
data, user, indicator, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = Store(data, user=user)
for n in range(count):
    e = store.record_progress(indicator, as_of="2023-07-31", actual=f"{n}个", note=f"{user}-{n}",
                              causes=("其他",), measures="加快进度")
    print("ack", e.id, flush=True)
"""
"""A process that appends ``count`` progress entries and prints ``ack ID`` after each one."""


def start_writer(data: Path, user: str, indicator: str, count: int) -> subprocess.Popen:
    """Start ``WRITER`` in a new interpreter."""
    return subprocess.Popen([sys.executable, "-c", WRITER, str(data), user, indicator, str(count)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_cli(data: Path, *args: str, user_cmd: list[str] | None = None,
            lang: str = "en") -> subprocess.CompletedProcess:
    """Run ``python -m jixiao --lang LANG --data DATA ARGS`` (prefixed by ``user_cmd``, e.g.
    runuser); English unless told, as the messages the tests read are."""
    cmd = (user_cmd or []) + [sys.executable, "-m", "jixiao", "--lang", lang, "--data", str(data),
                              *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parent.parent)

