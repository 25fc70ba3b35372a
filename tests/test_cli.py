"""The console script as a whole: the demo is a throw-away store for every command."""

import json

from tui.cli import main


def test_demo_commands_never_touch_the_users_store(tmp_path, monkeypatch, capsys):
    own = tmp_path / "own"
    monkeypatch.setenv("JIXIAO_DATA", str(own))
    seed = "sample_data/tianjin_2023_targets.txt"

    # An import under --demo goes into the throw-away copy, which already holds the seed.
    assert main(["--demo", "import", seed]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert not own.exists()

    assert main(["--demo", "snapshot", "--as-of", "2023-07-31"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert sum(len(p["indicators"]) for u in doc["units"] for p in u["projects"]) == 128
    assert not own.exists()


def test_unknown_command_is_a_usage_error(capsys):
    try:
        main(["no-such-command"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "invalid choice" in capsys.readouterr().err
