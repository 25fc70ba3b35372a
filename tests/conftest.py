"""Set-up shared by every test file."""

import os
import tempfile

# The store's per-user read cache (store.cache) would otherwise be written under the real
# ~/.cache of whoever runs the tests; child processes inherit this as well.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="jixiao-test-cache-")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "tianjin_2023_targets.txt"


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
