"""Set-up shared by every test file."""

import os
import tempfile

# The store's per-user read cache (store.cache) would otherwise be written under the real
# ~/.cache of whoever runs the tests; child processes inherit this as well.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="jixiao-test-cache-")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

import store_kit  # noqa: E402  (this folder is on sys.path, as for every conftest)

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "tianjin_2023_targets.txt"


@pytest.fixture
def umask() -> int:
    """The process's file-creation mask: what a new file's mode is made from (0o666 & ~umask)."""
    mask = os.umask(0o022)      # the only way to read it is to set it; put straight back
    os.umask(mask)
    return mask


@pytest.fixture
def seed_path() -> Path:
    """The seed tables as shipped (``sample_data/tianjin_2023_targets.txt``)."""
    return SEED


@pytest.fixture
def store_units() -> tuple:
    """The unit codes of ``make_dataset``'s dataset, in order."""
    return store_kit.UNITS


@pytest.fixture
def make_dataset():
    """``make_dataset(units=…, projects_per_unit=…, …)``: a small dataset without history."""
    return store_kit.make_dataset


@pytest.fixture
def filled_store():
    """``filled_store(path, **kw)``: a store at ``path`` bulk-loaded with ``make_dataset(**kw)``."""
    return store_kit.filled_store


@pytest.fixture
def first_indicator():
    """``first_indicator(ds, unit)``: the id of the first indicator of the unit's first project."""
    return store_kit.first_indicator


@pytest.fixture
def start_writer():
    """``start_writer(data, user, indicator, count)``: another process appending progress entries."""
    return store_kit.start_writer


@pytest.fixture
def run_cli():
    """``run_cli(data, *args, user_cmd=None)``: ``python -m jixiao --data DATA ARGS`` in a child."""
    return store_kit.run_cli


@pytest.fixture
def seed_dataset():
    """Build an in-memory ``Dataset`` holding the seed tables as imported; ``adjust`` may change
    each indicator on its way in (e.g. a user's ``measure`` override)."""
    from jixiao.core.dataset import Dataset
    from jixiao.core.importing import plan_import
    from jixiao.core.model import Settings
    from jixiao.core.tables import read_tables

    def build(adjust=lambda indicator: indicator):
        ds = Dataset(Settings(2023, "2023-07-31"))
        plan = plan_import(read_tables(SEED), ds)
        for unit in plan.units:
            ds.add_unit(unit)
        for project in plan.projects:
            ds.add_project(project)
        for indicator in plan.indicators:
            ds.add_indicator(adjust(indicator))
        return ds
    return build
