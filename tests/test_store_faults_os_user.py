"""Issue 14: an account outside the data directory's group gets a message naming who lacks
what (exit 2), never a traceback — for every command, as the second local account of
``test_access_os_user`` (needs root to create it; skipped with the reason otherwise)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from test_access_os_user import ACCOUNT, _as_account, account  # noqa: F401 (a fixture)
from test_store_support import filled_store, first_indicator


@pytest.fixture
def closed_dir():
    """A store as the README sets it up, of root's group, which the account is not in."""
    top = Path(tempfile.mkdtemp(prefix="jixiao-closed-", dir="/tmp"))
    os.chmod(top, 0o755)
    yield top / "data"
    shutil.rmtree(top, ignore_errors=True)


@pytest.mark.parametrize("argv", [
    ("report",), ("check",), ("log",), ("grants",), ("settings",),
    ("settings", "--as-of", "2023-08-31"), ("export-targets",), ("grant", ACCOUNT, "--role",
                                                                   "admin"),
])
def test_an_account_outside_the_group_is_told_who_lacks_what(account, closed_dir, argv):  # noqa: F811
    filled_store(closed_dir)
    done = _as_account(account, closed_dir, "--lang", "en", *argv)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (2, 3), done.stdout + done.stderr
    assert f"{ACCOUNT} may not read {closed_dir}" in done.stderr, done.stderr
    assert "usermod -aG root " + ACCOUNT in done.stderr


def test_an_outsider_record_is_refused_and_changes_nothing(account, closed_dir):  # noqa: F811
    _, ds = filled_store(closed_dir)
    before = {p: p.read_bytes() for p in closed_dir.rglob("*.json")}
    done = _as_account(account, closed_dir, "--lang", "en", "record",
                       first_indicator(ds, "301205"), "--actual", "3个", "--as-of", "2023-07-31")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{ACCOUNT} may not read" in done.stderr
    assert {p: p.read_bytes() for p in closed_dir.rglob("*.json")} == before
