"""Refusals raised inside PostgreSQL reach the user in the user's language (issue 13 §3): the
server names each refusal (a key of ``core.faults`` and its fields), and jixiao says it in the
file store's words, Chinese by default or English with ``--lang en``, exit 3 or 2 as there.

Each refusal here is the server's own: the client's early checks are bypassed (SQL typed by
hand, or a grant revoked between the client's check and the write), so only the database can
have said no.
"""

from __future__ import annotations

import json

import psycopg
import pytest

from jixiao.cli.main import main
from jixiao.core.errors import JixiaoError, PermissionDenied
from jixiao.store import grants as rules
from jixiao.store.pg_errors import translate
from jixiao.store.postgres import PgStore

OWN, OTHER = "301205", "301101"


@pytest.fixture
def db(pg_url, make_dataset):
    """``pg_url`` holding ``make_dataset()``; admin1 admin, mgr manager, own owner of 301205."""
    admin = PgStore(pg_url, user="admin1")
    admin.bulk_load(make_dataset())
    admin.grant("admin1", "admin")
    admin.grant("mgr", "manager")
    admin.grant("own", "owner", [OWN])
    ds = admin.load()
    ids = {code: ds.indicators_of(ds.projects_of(code)[0].id)[0].id for code in (OWN, OTHER)}
    admin.close()
    return pg_url, ids


def _refused(url: str, user: str, statement: str, params=()) -> JixiaoError:
    """What jixiao says when ``user`` runs ``statement`` itself."""
    with psycopg.connect(url, user=user, autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as err:
            conn.execute(statement, params)
    return translate(err.value, user)


def _entry(indicator_id: str) -> str:
    return json.dumps({"id": "e1", "indicator_id": indicator_id, "as_of": "2023-07-31",
                       "actual": "6个"})


def _file_store_says(check) -> PermissionDenied:
    with pytest.raises(PermissionDenied) as err:
        check()
    return err.value


def test_an_owner_refused_by_the_server_reads_the_file_stores_words(db):
    url, ids = db
    said = _refused(url, "own", "SELECT jixiao.record_progress(%s)", (_entry(ids[OTHER]),))
    grants = [rules.Grant("admin1", "admin"), rules.Grant("own", "owner", (OWN,))]
    expected = _file_store_says(lambda: rules.require_unit(grants, "own", OTHER,
                                                           "record progress"))
    assert isinstance(said, PermissionDenied) and said.exit_code == 3
    assert said.text("zh") == expected.text("zh") == (
        f"own 不能为单位 {OTHER} 记录进度：需要该单位的 owner（填报人）角色（或 admin）；own 是单位 "
        f"{OWN} 的 owner（填报人）。请管理员运行：jixiao grant own --role owner --unit {OTHER}")
    assert said.text("en") == expected.text("en") == (
        f"own may not record progress for unit {OTHER}: that needs the owner role for unit "
        f"{OTHER} (or admin); own is owner of unit(s) {OWN}. Ask an admin: jixiao grant own "
        f"--role owner --unit {OTHER}")


def test_a_manager_changing_grants_by_hand_is_refused_in_both_languages(db):
    url, _ = db
    said = _refused(url, "mgr", "SELECT jixiao.set_grants('[]', '[]', 'grant', 'x', '{}')")
    assert said.exit_code == 3
    assert said.text("zh") == "mgr 不能修改授权：需要 admin（管理员）角色；mgr 是manager（管理者）。"
    assert said.text("en") == "mgr may not change grants: that needs the admin role; mgr is " \
                              "manager."


def test_history_is_append_only_even_for_the_schema_owner(db):
    url, _ = db
    said = _refused(url, "admin1", "DELETE FROM jixiao.audit")
    assert said.exit_code == 3
    assert said.text("zh") == "audit 只能追加：其中的记录从不修改或删除"
    assert said.text("en") == "audit is append-only: its records are never changed or deleted"


def test_bad_input_the_server_finds_is_exit_2_in_both_languages(db):
    url, _ = db
    said = _refused(url, "own", "SELECT jixiao.record_progress(%s)", (_entry("nope"),))
    assert type(said) is JixiaoError and said.exit_code == 2
    assert said.text("zh") == "数据库中没有编号为 'nope' 的指标"
    assert said.text("en") == "no indicator with id 'nope' in the database"
    with psycopg.connect(url, user="admin1", autocommit=True) as conn:
        grants = conn.execute("SELECT jsonb_agg(jsonb_build_object('user', user_name, 'role', "
                              "role, 'units', units) ORDER BY seq) FROM jixiao.grants"
                              ).fetchone()[0]
    stale = json.dumps(grants[:-1])
    said = _refused(url, "admin1", "SELECT jixiao.set_grants(%s, %s, 'grant', 'x', '{}')",
                    (stale, json.dumps(grants)))
    assert said.exit_code == 2
    assert said.text("zh") == "准备这次修改时授权已被他人改动；未做任何更改，请重试"
    said = _refused(url, "admin1", "SELECT jixiao.set_grants(%s, '[]', 'revoke', 'x', '{}')",
                    (json.dumps(grants),))
    assert said.text("zh") == "这样将没有 admin（管理员），以后没人能修改授权；请先授权另一个 admin"


def test_a_refusal_this_jixiao_cannot_name_shows_the_servers_words(db):
    url, _ = db
    said = _refused(url, "admin1", "SELECT jixiao.refuse('22023', 'from_a_newer_schema', "
                                   "'{\"x\": 1}', 'the server''s own words')")
    assert said.exit_code == 2 and said.text("en") == "the server's own words"
    assert said.text("zh") == "数据库服务器拒绝了该操作：the server's own words"


def _cli(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_a_grant_revoked_before_the_write_is_refused_by_the_server_in_zh_and_en(
        db, capsys, monkeypatch):
    url, ids = db
    # The client read the grants before an admin revoked the owner's unit (here: it believes
    # everyone is admin), so only the server can refuse.
    monkeypatch.setattr(PgStore, "grants", lambda self: [])
    argv = ["--db", url + " user=own", "record", ids[OTHER], "--actual", "6个",
            "--as-of", "2023-07-31"]
    code, err = _cli(capsys, *argv)
    assert code == 3 and f"own 不能为单位 {OTHER} 记录进度" in err and "Traceback" not in err
    code, err = _cli(capsys, "--lang", "en", *argv)
    assert code == 3 and f"own may not record progress for unit {OTHER}" in err
    monkeypatch.undo()
    assert PgStore(url, user="admin1").load().progress == {}


def test_a_second_copy_into_the_database_is_refused_in_zh_and_en(capsys, pg_url, tmp_path,
                                                                  seed_path):
    url = pg_url + " user=admin1"
    source = tmp_path / "source"
    assert main(["--data", str(source), "import", str(seed_path)]) == 0
    assert main(["--db", url, "db", "copy", "--from", str(source)]) == 0
    capsys.readouterr()
    code, err = _cli(capsys, "--db", url, "db", "copy", "--from", str(source))
    assert code == 2 and "年的单位" in err and "已在数据库中；整体载入只能填充空的存储" in err
    code, err = _cli(capsys, "--lang", "en", "--db", url, "db", "copy", "--from", str(source))
    assert code == 2 and "is in the database already; a bulk load only fills an empty store" in err


def test_a_role_without_a_grant_is_told_so_in_zh_and_en(db, capsys):
    url, _ = db
    code, err = _cli(capsys, "--db", url + " user=stranger", "grants")
    assert code == 3 and "stranger 不能使用该数据库中的 jixiao 数据" in err
    code, err = _cli(capsys, "--lang", "en", "--db", url + " user=stranger", "grants")
    assert code == 3 and "stranger may not use the jixiao data in this database" in err
