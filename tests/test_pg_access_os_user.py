"""The PostgreSQL store with real OS accounts (issue 13, "Must show"): peer authentication makes
the account the database role; the server refuses what the grants do not allow, even to an
owner typing SQL into psql.

Needs root (accounts are added) and a test cluster (``pg_server``). The accounts stay for the
next run, like ``test_access_os_user``'s.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

OWNER, OUTSIDER = "jixiaotest", "jixiaoout"
RUNUSER = shutil.which("runuser") or "runuser"
ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sample_data" / "tianjin_2023_targets.txt"
PROBE = "import tinydb, psycopg, jixiao.store.postgres, jixiao.cli.main"
STAMP = ["--as-of", "2023-07-31", "--generated-at", "2023-08-01T00:00:00+00:00"]


@pytest.fixture(scope="module")
def accounts(account_python):
    """A python each account can run jixiao with: ``{account: (argv, env)}``."""
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("CI runs as root so that these tests can add accounts")
        pytest.skip("not running as root, so no other accounts can be created")
    found = {}
    for name in (OWNER, OUTSIDER):
        python = account_python(name, PROBE)
        assert not isinstance(python, str), python
        found[name] = python
    return found


@pytest.fixture
def database(pg_server, accounts):
    """A database owned by the account running the tests, with roles for both accounts (the
    DBA's createuser), initialised by ``jixiao db init``, holding the sample tables, the owner
    granted 301205. Yields ``(url, superuser url, indicator ids by unit)``."""
    import uuid

    me = pwd.getpwuid(os.geteuid()).pw_name
    name = f"jxt_os_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server, autocommit=True) as su:
        for role in (me, OWNER, OUTSIDER):
            if not su.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                su.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        su.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name),
                                                                 sql.Identifier(me)))
    host = conninfo_to_dict(pg_server)["host"]
    url = f"postgresql:///{name}?host={host}"
    for argv in (["db", "init"], ["import", str(SEED)],
                 ["grant", OWNER, "--role", "owner", "--unit", "301205"]):
        done = _jixiao(url, *argv)
        assert done.returncode == 0, done.stdout + done.stderr
    with psycopg.connect(url) as conn:
        ids = {}
        for code in ("301205", "301101"):
            ids[code] = conn.execute(
                "SELECT i.id FROM jixiao.indicators i WHERE i.unit_code = %s AND "
                "i.doc->>'target_text' LIKE '≥%%份' OR i.unit_code = %s AND i.doc->>'target_text' LIKE '≥%%个' ORDER BY i.seq LIMIT 1", (code, code)).fetchone()[0]
    yield url, pg_server, ids
    with psycopg.connect(pg_server, autocommit=True) as su:
        su.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def _jixiao(url: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, JIXIAO_DB=url)
    return subprocess.run([sys.executable, "-m", "jixiao", "--lang", "en", *args], env=env,
                          capture_output=True,
                          text=True, timeout=120)


def _as(accounts, account: str, url: str, *args: str, code: str | None = None):
    exe, env = accounts[account]
    argv = [*exe, "-c", code, *args] if code else [*exe, "-m", "jixiao", "--lang", "en", *args]
    return subprocess.run([RUNUSER, "-u", account, "--", *argv], env=dict(env, JIXIAO_DB=url),
                          capture_output=True, text=True, cwd="/tmp", timeout=120)


def _value(url: str, indicator_id: str) -> str:
    with psycopg.connect(url) as conn:
        target = conn.execute("SELECT doc->>'target_text' FROM jixiao.indicators WHERE id = %s",
                              (indicator_id,)).fetchone()[0]
    return target.lstrip("≥")


def test_the_snapshot_is_byte_identical_to_the_file_stores(database, tmp_path):
    url, _, _ = database
    assert _jixiao(url, "snapshot", *STAMP, "-o", str(tmp_path / "pg.json")).returncode == 0
    data = str(tmp_path / "data")
    assert _jixiao(url, "--db", url, "--data", data, "import", str(SEED)).returncode == 2
    env = {k: v for k, v in os.environ.items() if k != "JIXIAO_DB"}
    for argv in (["import", str(SEED)], ["snapshot", *STAMP, "-o", str(tmp_path / "f.json")]):
        done = subprocess.run([sys.executable, "-m", "jixiao", "--lang", "en", "--data", data, *argv],
                              env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "pg.json").read_bytes() == (tmp_path / "f.json").read_bytes()


def test_the_owner_writes_its_unit_only_and_nobody_else_writes(accounts, database):
    url, _, ids = database
    own, other = ids["301205"], ids["301101"]
    done = _as(accounts, OWNER, url, "record", own, "--actual", _value(url, own),
               "--as-of", "2023-07-31")
    assert done.returncode == 0, done.stdout + done.stderr
    done = _as(accounts, OWNER, url, "record", other, "--actual", _value(url, other),
               "--as-of", "2023-07-31")
    assert done.returncode == 3, done.stdout + done.stderr
    assert f"{OWNER} may not record progress for unit 301101: that needs the owner role for " \
           "unit 301101 (or admin)" in done.stderr
    done = _as(accounts, OUTSIDER, url, "record", own, "--actual", _value(url, own),
               "--as-of", "2023-07-31")
    assert done.returncode == 3 and f"{OUTSIDER} may not use the jixiao data" in done.stderr
    done = _as(accounts, OWNER, url, "grant", OWNER, "--role", "admin")
    assert done.returncode == 3
    assert f"{OWNER} may not change grants: that needs the admin role" in done.stderr
    log = _jixiao(url, "log", "--unit", "301205").stdout
    progress = [line for line in log.splitlines() if " progress " in line]
    assert len(progress) == 1 and f" {OWNER} " in progress[0]
    # The identity is the server's: the account the socket's peer is.
    done = _as(accounts, OWNER, url, "grants")
    assert f"you are {OWNER}: owner" in done.stdout


def _dump(superuser_url: str, url: str) -> bytes:
    params = conninfo_to_dict(superuser_url)
    dbname = url.split("///")[1].split("?")[0]
    bindir = Path(shutil.which("pg_dump") or "pg_dump").parent
    out = subprocess.run([str(bindir / "pg_dump"), "--data-only", "-h", params["host"],
                          "-U", params["user"], dbname], check=True, capture_output=True,
                         cwd="/tmp").stdout
    # Newer pg_dump frames its output with a random \restrict key: not data.
    return b"\n".join(line for line in out.splitlines() if not line.startswith(b"\\"))


def test_the_owner_changes_nothing_with_sql_of_its_own(accounts, database):
    url, superuser, ids = database
    done = _as(accounts, OWNER, url, "record", ids["301205"], "--actual",
               _value(url, ids["301205"]), "--as-of", "2023-07-31")
    assert done.returncode == 0, done.stderr
    with psycopg.connect(url) as conn:
        tables = [t for (t,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'jixiao' ORDER BY 1")]
        first_column = {t: conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum = 1",
            (f"jixiao.{t}",)).fetchone()[0] for t in tables}
    assert {"grants", "progress", "audit", "indicators", "settings"} <= set(tables)
    before = _dump(superuser, url)
    assert b"COPY jixiao.progress" in before
    statements = []
    for t in tables:
        c = first_column[t]
        statements += [f"UPDATE jixiao.{t} SET {c} = {c}", f"DELETE FROM jixiao.{t}",
                       f"INSERT INTO jixiao.{t} SELECT * FROM jixiao.{t}",
                       f"TRUNCATE jixiao.{t}"]
    statements += ["SELECT jixiao.set_grants('[]', '[{\"user\": \"jixiaotest\", \"role\": "
                   "\"admin\"}]', 'grant', 'x', '{}')",
                   "SELECT jixiao.save_settings('{}', 'x')", "SELECT jixiao.import_staged()"]
    code = ("import sys, psycopg\nrefused = 0\nfor s in sys.argv[1:]:\n"
            "    try:\n        psycopg.connect(" + repr(url) + ", autocommit=True).execute(s)\n"
            "    except psycopg.errors.InsufficientPrivilege:\n        refused += 1\n"
            "print(refused)\n")
    done = _as(accounts, OWNER, url, *statements, code=code)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(statements)
    psql = shutil.which("psql")
    if psql:  # the same by hand, as a person at a psql prompt would try it
        done = subprocess.run([RUNUSER, "-u", OWNER, "--", psql, "-X", "-v", "ON_ERROR_STOP=1",
                               "-d", url, "-c", "DELETE FROM jixiao.progress"],
                              capture_output=True, text=True, cwd="/tmp")
        assert done.returncode != 0 and "permission denied" in done.stderr
    assert _dump(superuser, url) == before


WRITER = """
import sys
from jixiao.store.postgres import PgStore
store = PgStore(sys.argv[1])
for n in range(int(sys.argv[3])):
    store.record_progress(sys.argv[2], as_of="2023-07-31", actual=sys.argv[4], note=f"w{n}")
"""


def test_eight_concurrent_writers_lose_nothing(accounts, database):
    url, _, ids = database
    own = ids["301205"]
    exe, env = accounts[OWNER]
    writers = [subprocess.Popen([RUNUSER, "-u", OWNER, "--", *exe, "-c", WRITER, url, own, "15",
                                 _value(url, own)], env=env, cwd="/tmp",
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for _ in range(8)]
    for w in writers:
        _, err = w.communicate(timeout=300)
        assert w.returncode == 0, err.decode()
    log = _jixiao(url, "log", "--user", OWNER).stdout.splitlines()
    assert len([line for line in log if " progress " in line]) == 120
