"""The jixiao schema in a PostgreSQL database: create it, upgrade it, refuse a newer one.

Each migration is one SQL file in ``store/sql`` (``v1.sql`` creates everything; ``vN.sql``
takes version N-1 to N) and runs in one transaction, so a failed upgrade changes nothing.
"""

from __future__ import annotations

from importlib import resources

import psycopg

from jixiao.core.errors import JixiaoError

MIGRATIONS = ("v1.sql", "v2.sql")
"""The migration files in order; version N is reached by the N-th."""

LATEST = len(MIGRATIONS)
"""The schema version this jixiao reads and writes."""


def version(conn: psycopg.Connection) -> int | None:
    """The schema version of the database, ``None`` when it has no jixiao schema."""
    if conn.execute("SELECT to_regnamespace('jixiao')").fetchone()[0] is None:
        return None
    try:
        row = conn.execute("SELECT value FROM jixiao.meta WHERE key = 'schema_version'").fetchone()
    except psycopg.errors.InsufficientPrivilege:
        return LATEST  # not readable by this role: the store's privilege check says why
    return int(row[0]) if row else None


def require_current(conn: psycopg.Connection) -> None:
    """Raise ``JixiaoError`` unless the database has the schema version this jixiao knows."""
    found = version(conn)
    if found is None:
        raise JixiaoError("this database has no jixiao schema yet: the database owner runs "
                          "`jixiao db init` first")
    if found > LATEST:
        raise JixiaoError(_too_new(found))
    if found < LATEST:
        raise JixiaoError(f"the jixiao schema of this database is version {found}, older than "
                          f"this jixiao's {LATEST}: run `jixiao db upgrade` (as its owner)")


def init(conn: psycopg.Connection) -> None:
    """Create the jixiao schema at the latest version; the connected role owns it and is its
    first admin. Refuses a database that has one."""
    found = version(conn)
    if found is not None:
        raise JixiaoError(f"this database has a jixiao schema already (version {found}); "
                          "`jixiao db upgrade` brings an older one up to date")
    upgrade(conn)


def upgrade(conn: psycopg.Connection, to: int = LATEST) -> list[int]:
    """Apply every migration the database lacks up to version ``to`` (tests stop early), each
    in its own transaction; the versions applied. Refuses a schema newer than this jixiao."""
    found = version(conn) or 0
    if found > LATEST:
        raise JixiaoError(_too_new(found))
    done = []
    for number in range(found + 1, to + 1):
        text = resources.files("jixiao.store").joinpath("sql", MIGRATIONS[number - 1]).read_text(
            encoding="utf-8")
        with conn.transaction():
            conn.execute(text)
            conn.execute("UPDATE jixiao.meta SET value = %s WHERE key = 'schema_version'",
                         (str(number),))
        done.append(number)
    return done


def _too_new(found: int) -> str:
    return (f"the jixiao schema of this database is version {found}, newer than this jixiao "
            f"understands ({LATEST}); nothing was changed: upgrade jixiao")
