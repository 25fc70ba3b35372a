"""``jixiao db init|upgrade|copy|summarize`` and ``--db`` on the command line (issue 13)."""

from __future__ import annotations

import psycopg

from jixiao.cli.main import main
from jixiao.store.pg_schema import LATEST

STAMP = ["--as-of", "2023-07-31", "--generated-at", "2023-08-01T00:00:00+00:00"]


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_no_database_is_a_clear_error(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("JIXIAO_DB", raising=False)
    code, _, err = run(capsys, "db", "init")
    assert code == 2 and "jixiao db 需要一个数据库：--db URL 或 $JIXIAO_DB" in err
    code, _, err = run(capsys, "--lang", "en", "--db", f"postgresql:///x?host={tmp_path}",
                       "grants")
    assert code == 2 and "cannot connect to the database" in err and "Traceback" not in err
    code, _, err = run(capsys, "--db", f"postgresql:///x?host={tmp_path}", "grants")
    assert code == 2 and "无法连接数据库" in err and "Traceback" not in err
    code, _, err = run(capsys, "--db", "postgresql:///x", "--data", str(tmp_path), "grants")
    assert code == 2 and "只能给一个" in err


def test_init_twice_and_a_newer_schema_are_refused(capsys, pg_url):
    url = pg_url + " user=admin1"
    code, _, err = run(capsys, "--lang", "en", "--db", url, "db", "init")
    assert code == 2 and f"has a jixiao schema already (version {LATEST})" in err
    code, _, err = run(capsys, "--db", url, "db", "init")
    assert code == 2 and f"该数据库已有 jixiao 模式（版本 {LATEST}）" in err
    assert run(capsys, "--lang", "en", "--db", url, "db", "upgrade")[1].startswith(
        "the schema is up to date")
    assert run(capsys, "--db", url, "db", "upgrade")[1].startswith(f"模式已是最新（版本 {LATEST}）")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE jixiao.meta SET value = '99' WHERE key = 'schema_version'")
    for argv in (["db", "upgrade"], ["grants"]):
        code, _, err = run(capsys, "--lang", "en", "--db", url, *argv)
        assert code == 2 and f"version 99, newer than this jixiao understands ({LATEST})" in err
        code, _, err = run(capsys, "--db", url, *argv)
        assert code == 2 and f"版本 99，比本 jixiao 能理解的（{LATEST}）新" in err


def test_copy_in_and_out_keeps_the_snapshot_byte_for_byte(capsys, pg_url, tmp_path, seed_path):
    url = pg_url + " user=admin1"
    source, back = tmp_path / "source", tmp_path / "back"
    assert run(capsys, "--data", str(source), "import", str(seed_path))[0] == 0
    code, out, err = run(capsys, "--db", url, "db", "copy", "--from", str(source))
    assert code == 0, err
    code, _, err = run(capsys, "--lang", "en", "--db", url, "db", "copy", "--from", str(source))
    assert code == 2 and "is in the database already" in err
    assert run(capsys, "--db", url, "db", "copy", "--to", str(back))[0] == 0
    code, _, err = run(capsys, "--db", url, "db", "copy", "--to", str(back))
    assert code == 2 and "不是空目录；未写入任何内容" in err
    for where, name in ((["--data", str(source)], "a"), (["--db", url], "b"),
                        (["--data", str(back)], "c")):
        assert run(capsys, *where, "snapshot", *STAMP, "-o", str(tmp_path / name))[0] == 0
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes() \
        == (tmp_path / "c").read_bytes()


def test_an_older_schema_is_upgraded_in_place(capsys, pg_server, make_dataset):
    import uuid

    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    from jixiao.store import pg_schema

    name = f"jxt_old_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server, autocommit=True) as su:
        su.execute(sql.SQL("CREATE DATABASE {} OWNER admin1").format(sql.Identifier(name)))
    url = make_conninfo(dbname=name, host=conninfo_to_dict(pg_server)["host"], user="admin1")
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            assert pg_schema.upgrade(conn, to=1) == [1]
        code, _, err = run(capsys, "--lang", "en", "--db", url, "grants")
        assert code == 2 and f"older than this jixiao's {LATEST}: run `jixiao db upgrade`" in err
        code, out, _ = run(capsys, "--lang", "en", "--db", url, "db", "upgrade")
        assert code == 0 and out.startswith(f"upgraded to version {LATEST}")
        from jixiao.store.postgres import PgStore

        store = PgStore(url)
        store.bulk_load(make_dataset())
        assert [e.what for e in store.log() if e.action == "import"][0] == \
            "loaded 2 project(s), 6 indicator(s)"
        store.close()
    finally:
        with psycopg.connect(pg_server, autocommit=True) as su:
            su.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def test_db_summarize_renews_the_summaries_the_caller_may_renew(capsys, pg_url, make_dataset):
    from psycopg.conninfo import make_conninfo

    from jixiao.store.postgres import PgStore

    admin = PgStore(pg_url, user="admin1")
    admin.bulk_load(make_dataset())
    admin.grant("admin1", "admin")
    admin.grant("own", "owner", ["301205"])
    with psycopg.connect(pg_url, user="admin1", autocommit=True) as conn:
        # as after `db upgrade` from a schema without summaries
        conn.execute("DELETE FROM jixiao.summaries")
    as_admin, as_owner = (make_conninfo(pg_url, user=u) for u in ("admin1", "own"))
    code, out, _ = run(capsys, "--lang", "en", "--db", as_admin, "db", "summarize")
    assert code == 0 and out.strip() == "renewed 3 unit summary(ies); 3 of 3 current"
    ds = admin.load()
    for code in ("301101", "301205"):                 # both go stale; the owner renews its own
        iid = next(i.id for p in ds.projects_of(code) for i in ds.indicators_of(p.id))
        admin.record_progress(iid, as_of="2023-07-31", actual="1", causes=("其他",),
                              measures="加快")
    code, out, _ = run(capsys, "--db", as_owner, "db", "summarize")
    assert code == 0 and out.strip() == "已更新 1 个单位摘要；3 个中 2 个为最新"
