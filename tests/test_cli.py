"""The console script as a whole: the demo is a throw-away store for every command."""

import json

from jixiao.cli.main import main


def test_demo_commands_never_touch_the_users_store(tmp_path, monkeypatch, capsys):
    own = tmp_path / "own"
    monkeypatch.setenv("JIXIAO_DATA", str(own))
    seed = "sample_data/tianjin_2023_targets.txt"

    # An import under --demo goes into the throw-away copy, which already holds the seed.
    assert main(["--lang", "en", "--demo", "import", seed]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert not own.exists()

    assert main(["--lang", "en", "--demo", "snapshot", "--as-of", "2023-07-31"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert sum(len(p["indicators"]) for u in doc["units"] for p in u["projects"]) == 128
    assert not own.exists()


def test_unknown_command_is_a_usage_error(capsys):
    try:
        main(["--lang", "en", "no-such-command"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_no_command_prints_control_characters_from_user_text(tmp_path, capsys):
    # A CSV whose 三级指标 carries an ESC sequence: imported as typed, never sent to the terminal.
    csv = tmp_path / "t.csv"
    csv.write_text(
        "unit_code,unit_name,project,budget_total,budget_fiscal,budget_other,level1,category,"
        "name,description,target,year\n"
        "301101,单位,项目,10,10,0,产出指标,数量指标,\x1b[31mesc [red]x[/],描述,≥8个,2023\n",
        encoding="utf-8")
    data = str(tmp_path / "d")
    assert main(["--lang", "en", "--data", data, "import", str(csv)]) == 0
    for argv in (["report"], ["report", "--format", "csv"], ["export-targets"]):
        capsys.readouterr()
        assert main(["--lang", "en", "--data", data, *argv]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "␛[31mesc [red]x[/]" in out


def test_csv_on_stdout_keeps_its_line_ends_and_round_trips(tmp_path, capsysbinary):
    data = str(tmp_path / "d")
    assert main(["--lang", "en", "--data", data, "import", "sample_data/tianjin_2023_targets.txt"]) == 0
    capsysbinary.readouterr()
    assert main(["--lang", "en", "--data", data, "export-targets"]) == 0
    out = capsysbinary.readouterr().out
    assert out.count(b"\r\n") == 129 and "␍".encode() not in out
    again = tmp_path / "again.csv"
    again.write_bytes(out)
    capsysbinary.readouterr()
    assert main(["--lang", "en", "--data", data, "import", str(again)]) == 0
    assert b"nothing changed" in capsysbinary.readouterr().out
