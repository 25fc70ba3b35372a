"""A throw-away PostgreSQL cluster for the tests: socket only, peer authentication.

Used by ``.ci/run`` (``python tests/pg_cluster.py start DIR`` prints the superuser URL to export
as ``JIXIAO_TEST_PG``; ``stop DIR`` ends it) and by the ``pg_server`` fixture when the tests
run by hand. PostgreSQL refuses to run as root: as root the cluster runs as the unprivileged
account ``jixiaopg`` (created when missing). ``pg_ident.conf`` lets the account running the
tests log in as the superuser and as the test roles of ``TEST_ROLES`` — a test cluster's
convenience, so one process can play several users; every other OS account logs in as itself.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

ACCOUNT = "jixiaopg"
"""The unprivileged account that runs the cluster when the tests run as root."""

TEST_ROLES = ("admin1", "mgr", "own", "stranger", "newbie")
"""Database roles the account running the tests may log in as (pg_ident map)."""


def binaries() -> Path | None:
    """The directory of the PostgreSQL server programs, ``None`` when not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    return Path(dirs[-1]) if dirs and Path(dirs[-1], "initdb").exists() else None


def _runner() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name


def _server_account() -> str:
    if os.geteuid() != 0:
        return _runner()
    if subprocess.run(["id", ACCOUNT], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--system", "--no-create-home", "--user-group",
                        "--shell", "/usr/sbin/nologin", ACCOUNT], check=True)
    return ACCOUNT


def _as_server(account: str, argv: list[str], **kw) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        argv = ["runuser", "-u", account, "--"] + argv
    done = subprocess.run(argv, capture_output=True, text=True, cwd="/", **kw)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")
    return done


def start(top: Path) -> str:
    """initdb into ``top/data`` and start the server with its socket in ``top/sock``; the
    libpq URL of the superuser's ``postgres`` database."""
    bindir = binaries()
    if bindir is None:
        raise RuntimeError("PostgreSQL server programs not found (apt-get install postgresql)")
    account = _server_account()
    top.mkdir(parents=True, exist_ok=True)
    # The server account must reach its directories; nothing secret lies on the way.
    for d in (top, top.parent):
        if d.stat().st_uid == os.geteuid() and d != Path(d.anchor):
            os.chmod(d, d.stat().st_mode | 0o111)
    data, sock = top / "data", top / "sock"
    for d in (data, sock):
        d.mkdir(exist_ok=True)
        shutil.chown(d, account, pwd.getpwnam(account).pw_gid)
    os.chmod(sock, 0o755)
    _as_server(account, [str(bindir / "initdb"), "-D", str(data), "-U", account, "-E", "UTF8",
                         "--no-locale", "--no-sync", "--auth-local=peer", "--auth-host=reject"])
    (data / "pg_hba.conf").write_text("local all all peer map=jixiao\n")
    runner = _runner()
    ident = ["jixiao /^(.*)$ \\1", f"jixiao {runner} {account}"]
    ident += [f"jixiao {runner} {role}" for role in TEST_ROLES]
    (data / "pg_ident.conf").write_text("\n".join(ident) + "\n")
    for name in ("pg_hba.conf", "pg_ident.conf"):
        shutil.chown(data / name, account)
    _as_server(account, [
        str(bindir / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w", "start",
        "-o", f"-c listen_addresses='' -c unix_socket_directories='{sock}' -c fsync=off "
              "-c synchronous_commit=off -c full_page_writes=off"])
    return f"postgresql:///postgres?host={sock}&user={account}"


def stop(top: Path) -> None:
    """Stop the server of ``top`` (if running) and remove ``top``."""
    bindir, data = binaries(), top / "data"
    if bindir is not None and (data / "postmaster.pid").exists():
        owner = pwd.getpwuid(data.stat().st_uid).pw_name
        _as_server(owner, [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
    shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    command, directory = sys.argv[1], Path(sys.argv[2])
    if command == "start":
        print(start(directory))
    else:
        stop(directory)
