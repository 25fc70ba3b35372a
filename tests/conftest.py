"""Set-up shared by every test file."""

import atexit
import os
import shutil
import tempfile

# The store's per-user read cache (store.cache) would otherwise be written under the real
# ~/.cache of whoever runs the tests; child processes inherit this as well. Removed when the
# test run ends, so runs do not pile up folders in the temporary directory.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="jixiao-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], ignore_errors=True)
# A developer's own database must never be what a test without --db writes to.
os.environ.pop("JIXIAO_DB", None)

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

import office_files  # noqa: E402  (this folder is on sys.path, as for every conftest)
import os_accounts  # noqa: E402
import store_kit  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "tianjin_2023_targets.txt"


@pytest.fixture
def umask() -> int:
    """The process's file-creation mask: what a new file's mode is made from (0o666 & ~umask)."""
    mask = os.umask(0o022)      # the only way to read it is to set it; put straight back
    os.umask(mask)
    return mask


@pytest.fixture(scope="session")
def account_python():
    """``account_python(name, probe=…)``: ``(argv, env)`` of a python the local account
    ``name`` (made when missing; root only) can run jixiao with, or a sentence saying why
    there is none (``tests/os_accounts.py``)."""
    pythons = os_accounts.Pythons()
    yield pythons.python_for
    pythons.close()


@pytest.fixture
def sample_docx():
    """``sample_docx(path, unit_above_every=0)``: the sample's tables as a published Word
    document (``tests/office_files.py``)."""
    return office_files.sample_docx


@pytest.fixture
def add_project_table():
    """``add_project_table(document, number, table, unit=…)``: one project's table added to a
    python-docx document as the published layout has it."""
    return office_files.add_project_table


@pytest.fixture
def workbook():
    """``workbook(path, {sheet: rows})``: an .xlsx file written with openpyxl."""
    return office_files.workbook


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory) -> Path:
    """A data directory holding the seed tables of 2023 (this user its admin), monitoring date
    2023-07-31, made once per run through the CLI: read it, never write to it (``seeded_copy``
    is a copy to write to)."""
    from jixiao.cli.main import main

    data = tmp_path_factory.mktemp("seeded") / "data"
    assert main(["--data", str(data), "import", str(SEED), "--year", "2023"]) == 0
    assert main(["--data", str(data), "settings", "--year", "2023", "--as-of", "2023-07-31"]) == 0
    return data


@pytest.fixture
def seeded_copy(seeded_dir, tmp_path) -> Path:
    """A fresh copy of ``seeded_dir`` per test, so what one test records never reaches another."""
    copy = tmp_path / "seeded"
    shutil.copytree(seeded_dir, copy)
    return copy


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


def _tui_kit():
    import tui_kit  # loads Textual: only for the tests that drive the TUI
    return tui_kit



@pytest.fixture
def small_dataset():
    """``small_dataset()``: two units; 301101 has a count, a rate and a qualitative target."""
    return _tui_kit().small_dataset


@pytest.fixture
def second_year():
    """``second_year(ds, code)``: ``ds`` with a 2022 copy of unit ``code``'s first project."""
    return _tui_kit().second_year


@pytest.fixture
def held_store():
    """``held_store(data_dir, user=…)``: a ``Store`` whose complete load waits for its
    ``release`` event (``held`` is set once it waits), so a test sees the stages before it."""
    return _tui_kit().HeldStore


@pytest.fixture
def refreshes():
    """A fresh ``Refreshes``: pass it as ``run_test(message_hook=…)``; it lists every
    ``Refreshed`` message (another process's change or the echo of one's own) once."""
    return _tui_kit().Refreshes()


@pytest.fixture
def until():
    """``await until(pilot, predicate)``: let the app run until ``predicate()`` holds."""
    return _tui_kit().until


@pytest.fixture
def record_through_the_form():
    """``await record_through_the_form(pilot, name, actual)``: find, press e, type, save."""
    return _tui_kit().record_through_the_form


@pytest.fixture
def ended_soon():
    """``await ended_soon(returned)`` after ``run_test`` ends: fail unless the event
    ``returned`` (a slow store call's end) is set within 2 s (quitting waits for that
    thread)."""
    return _tui_kit().ended_soon


@pytest.fixture
def first_shown():
    """``await first_shown(pilot)``: the app with its first unit shown, coloured."""
    return _tui_kit().first_shown


@pytest.fixture
def loaded():
    """``await loaded(pilot)``: the app with its complete state on screen."""
    return _tui_kit().loaded


@pytest.fixture
def rows_text():
    """``rows_text(vlist)``: the plain text of every visible line of a virtual list."""
    return _tui_kit().rows_text


@pytest.fixture
def indicators_pane():
    """``indicators_pane(app)``: the indicators list of the monitor screen."""
    return _tui_kit().indicators_pane


@pytest.fixture
def row_of():
    """``row_of(app, indicator_id)``: the indicators pane's line for one indicator."""
    return _tui_kit().row_of


@pytest.fixture
def cursor_line():
    """``cursor_line(vlist)``: the visible line that carries the cursor marker."""
    return _tui_kit().cursor_line


@pytest.fixture
def screen_text():
    """``screen_text(app)``: everything on the screen as plain text, what a user reads."""
    return _tui_kit().screen_text


# --- PostgreSQL (issue 13) ------------------------------------------------------------------------
@pytest.fixture(scope="session")
def pg_server():
    """The superuser URL of a throw-away PostgreSQL cluster: ``$JIXIAO_TEST_PG`` (``.ci/run``
    starts one), else one started here for this session when the server programs exist. In CI
    (``$CI`` set) a missing cluster fails instead of skipping."""
    import shutil

    import pg_cluster

    url = os.environ.get("JIXIAO_TEST_PG")
    if url:
        yield url
        return
    if pg_cluster.binaries() is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs PostgreSQL: no $JIXIAO_TEST_PG and no server programs")
        pytest.skip("PostgreSQL server programs are not installed (apt-get install postgresql)")
    top = Path(tempfile.mkdtemp(prefix="jixiao-pg-"))
    try:
        url = pg_cluster.start(top / "cluster")
    except Exception:
        shutil.rmtree(top, ignore_errors=True)
        raise
    yield url
    pg_cluster.stop(top / "cluster")
    shutil.rmtree(top, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_template(pg_server):
    """A database with the jixiao schema, initialised by the role ``admin1`` (its owner and
    first admin), that ``pg_url`` copies; the roles of ``pg_cluster.TEST_ROLES`` exist."""
    import uuid

    import psycopg
    from psycopg import sql

    import pg_cluster
    from jixiao.store import pg_schema

    name = f"jxt_template_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server, autocommit=True) as su:
        for role in pg_cluster.TEST_ROLES:
            if not su.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                su.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        su.execute(sql.SQL("CREATE DATABASE {} OWNER admin1").format(sql.Identifier(name)))
    with psycopg.connect(_database_url(pg_server, name), user="admin1", autocommit=True) as conn:
        pg_schema.init(conn)
    yield name
    with psycopg.connect(pg_server, autocommit=True) as su:
        su.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def _database_url(server_url: str, name: str) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    return make_conninfo(dbname=name, host=conninfo_to_dict(server_url)["host"])


@pytest.fixture
def pg_url(pg_server, pg_template):
    """A fresh copy of ``pg_template`` (the jixiao schema, no data, admin1 its first admin),
    as a libpq connection string without a user; dropped afterwards."""
    import uuid

    import psycopg
    from psycopg import sql

    name = f"jxt_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server, autocommit=True) as su:
        su.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {} OWNER admin1 STRATEGY FILE_COPY")
                   .format(sql.Identifier(name), sql.Identifier(pg_template)))
    yield _database_url(pg_server, name)
    with psycopg.connect(pg_server, autocommit=True) as su:
        su.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
