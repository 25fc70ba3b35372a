"""The jixiao schema in a PostgreSQL database: create it, upgrade it, refuse a newer one.

Each migration is one SQL file in ``store/sql`` (``v1.sql`` creates everything; ``vN.sql``
takes version N-1 to N) and runs in one transaction, so a failed upgrade changes nothing.
"""

from __future__ import annotations

from importlib import resources

import psycopg

from jixiao.core.errors import JixiaoError
from jixiao.core.faults import said
from jixiao.core.language import Said

MIGRATIONS = ("v1.sql", "v2.sql", "v3.sql", "v4.sql", "v5.sql", "v6.sql", "v7.sql")
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
        raise JixiaoError(said("db_no_schema"))
    if found > LATEST:
        raise JixiaoError(_too_new(found))
    if found < LATEST:
        raise JixiaoError(said("db_schema_old", found=found, latest=LATEST))


def init(conn: psycopg.Connection) -> None:
    """Create the jixiao schema at the latest version; the connected role owns it and is its
    first admin. Refuses a database that has one."""
    found = version(conn)
    if found is not None:
        raise JixiaoError(said("db_schema_exists", found=found))
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


def _too_new(found: int) -> Said:
    return said("db_schema_new", found=found, latest=LATEST)
