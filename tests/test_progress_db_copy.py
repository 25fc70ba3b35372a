"""``jixiao db copy`` both ways with the progress bar around its two long steps (issue 16): the
copy arrives whole, and standard error stays free of any bar when it is not a terminal."""

from jixiao.cli.main import main
from jixiao.sample_data import load_sample
from jixiao.store.repository import Store


def test_db_copy_both_ways_with_no_bar_off_a_terminal(tmp_path, capsys, monkeypatch, pg_url):
    monkeypatch.setenv("PGUSER", "admin1")
    source = tmp_path / "source"
    Store(source, user="admin1").bulk_load(load_sample())
    assert main(["--db", pg_url, "db", "copy", "--from", str(source)]) == 0
    assert main(["--lang", "en", "--db", pg_url, "db", "copy", "--to", str(tmp_path / "back")]) == 0
    out, err = capsys.readouterr()
    assert "已把 4 个单位的 128 项指标从" in out
    assert "copied 128 indicator(s) of 4 unit(s)" in out
    assert "━" not in err and "\x1b[" not in err
    assert len(Store(tmp_path / "back").load().indicators) == 128
