"""``jixiao db init|upgrade|copy|summarize``: the jixiao schema in a PostgreSQL database (issue 13).

The database and its login roles are the DBA's (``createdb``, ``createuser``); these commands
create and upgrade the schema in it and move data between it and a data directory.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.core.errors import JixiaoError
from jixiao.core.language import say

from ..progress import progress
from .common import db_url


def register(subparsers) -> None:
    """Add the ``db`` sub-command and its own sub-commands."""
    d = subparsers.add_parser(
        "db", help=say("create, upgrade or copy a PostgreSQL store (--db URL / $JIXIAO_DB)",
                       "创建、升级或复制 PostgreSQL 数据库（--db URL / $JIXIAO_DB）"),
        description=say("Manage the jixiao schema in the PostgreSQL database named by --db URL "
                        "or $JIXIAO_DB. The role running `db init` owns the schema and is its "
                        "first admin.",
                        "管理 --db URL 或 $JIXIAO_DB 所指 PostgreSQL 数据库中的 jixiao 模式。运行 "
                        "db init 的角色拥有该模式，并是它的第一个管理员。"))
    sub = d.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    i = sub.add_parser("init", help=say("create the jixiao schema; you become its first admin",
                                        "创建 jixiao 模式；你成为它的第一个管理员"))
    i.set_defaults(func=run_init)
    u = sub.add_parser("upgrade", help=say("bring the schema to this jixiao's version",
                                           "把模式升级到本 jixiao 的版本"))
    u.set_defaults(func=run_upgrade)
    m = sub.add_parser(
        "summarize", help=say("renew the unit summaries every screen starts from",
                              "更新各界面启动时所用的单位摘要"),
        description=say("A screen shows every unit's counts and colours from the units' stored "
                        "summaries before any history is read. A summary goes stale when its "
                        "unit is written and when the settings change; this renews every stale "
                        "one you may renew (an admin: all; an owner: its own units). Run it "
                        "after `db upgrade`, `db copy` or a change of the monitoring date.",
                        "界面先按各单位存储的摘要显示所有单位的计数和颜色，再读取历史。单位被写入或设置改变"
                        "后，其摘要即过期；本命令更新你可更新的每个过期摘要（管理员：全部；责任人：自己的"
                        "单位）。在 db upgrade、db copy 或改变监控日期后运行。"))
    m.set_defaults(func=run_summarize)
    c = sub.add_parser(
        "copy", help=say("copy a data directory into the database, or the database into one",
                         "把数据目录复制进数据库，或把数据库复制到数据目录"),
        description=say("--from DIR: load a data directory's units, projects, indicators, "
                        "history and settings into a database that holds none of its units yet. "
                        "--to DIR: write the database into an empty data directory. Grants are "
                        "not copied: they name database roles on one side and accounts on the "
                        "other.",
                        "--from DIR：把数据目录的单位、项目、指标、历史和设置载入尚无这些单位的数据库。"
                        "--to DIR：把数据库写入一个空的数据目录。授权不复制：一边是数据库角色，另一边是"
                        "系统账户。"))
    way = c.add_mutually_exclusive_group(required=True)
    way.add_argument("--from", dest="source", metavar="DIR",
                     help=say("data directory to read", "要读取的数据目录"))
    way.add_argument("--to", dest="target", metavar="DIR",
                     help=say("empty data directory to write", "要写入的空数据目录"))
    c.set_defaults(func=run_copy)


def _url(args) -> str:
    url = db_url(args)
    if not url:
        raise JixiaoError("jixiao db needs a database: --db URL or $JIXIAO_DB "
                          "(e.g. postgresql:///jixiao)",
                          zh="jixiao db 需要一个数据库：--db URL 或 $JIXIAO_DB（例如 "
                             "postgresql:///jixiao）")
    return url


def run_init(args) -> int:
    """Create the schema; the connected role owns it and is its first admin."""
    from jixiao.store import pg_schema
    from jixiao.store.postgres import connect, server_errors

    url = _url(args)
    conn = connect(url)
    with conn, server_errors():
        user = conn.execute("SELECT session_user").fetchone()[0]
        pg_schema.init(conn)
    print(say(f"created the jixiao schema (version {pg_schema.LATEST}) in {url}; {user} owns it "
              "and is its first admin",
              f"已在 {url} 中创建 jixiao 模式（版本 {pg_schema.LATEST}）；{user} 拥有它，并是它的"
              "第一个管理员"))
    return 0


def run_upgrade(args) -> int:
    """Apply the migrations the database lacks."""
    from jixiao.store import pg_schema
    from jixiao.store.postgres import connect, server_errors

    url = _url(args)
    conn = connect(url)
    with conn, server_errors():
        if pg_schema.version(conn) is None:
            raise JixiaoError("this database has no jixiao schema yet: run `jixiao db init`",
                              zh="该数据库还没有 jixiao 模式：请运行 jixiao db init")
        done = pg_schema.upgrade(conn)
    print(say(f"upgraded to version {pg_schema.LATEST}", f"已升级到版本 {pg_schema.LATEST}")
          if done else say(f"the schema is up to date (version {pg_schema.LATEST})",
                           f"模式已是最新（版本 {pg_schema.LATEST}）"))
    return 0


def run_summarize(args) -> int:
    """Renew every stale unit summary the acting role may renew."""
    from jixiao.store.postgres import PgStore

    database = PgStore(_url(args))
    database.require_data()
    found, stale = database.summaries()
    renewed = database.refresh_summaries(stale) if stale else 0
    total, current = len(found) + len(stale), len(found) + renewed
    print(say(f"renewed {renewed} unit summary(ies); {current} of {total} current",
              f"已更新 {renewed} 个单位摘要；{total} 个中 {current} 个为最新"))
    return 0


def run_copy(args) -> int:
    """Copy a data directory into the database (``--from``) or the database into one (``--to``)."""
    from jixiao.store.postgres import PgStore
    from jixiao.store.repository import Store

    url = _url(args)
    database = PgStore(url)
    if args.source:
        source = Store(Path(args.source).expanduser())
        source.require_data()
        with progress("db copy", total=2) as advance:   # read, then write: two long steps
            dataset = source.load()
            advance(1)
            database.bulk_load(dataset, what="copied")
            advance(1)
        print(_copied(dataset, args.source, url))
        return 0
    target = Path(args.target).expanduser()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise JixiaoError(f"{target} is not an empty directory; nothing was written",
                          zh=f"{target} 不是空目录；未写入任何内容")
    database.require_data()
    with progress("db copy", total=2) as advance:
        dataset = database.load()
        advance(1)
        Store(target).bulk_load(dataset)
        advance(1)
    print(_copied(dataset, url, args.target))
    return 0


def _copied(dataset, source, target) -> str:
    n, units = len(dataset.indicators), len(dataset.units)
    return say(f"copied {n} indicator(s) of {units} unit(s) from {source} into {target}",
               f"已把 {units} 个单位的 {n} 项指标从 {source} 复制到 {target}")
