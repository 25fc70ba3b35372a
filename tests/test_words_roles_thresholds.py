"""Roles, thresholds and reading operators are named in the run's language (issue 15 §4).

Chinese mode showed the header's role as ``root (admin)``, listed the thresholds as
``red_below`` … and offered the operators as ``range qualitative deadline``; the names come from
the one word table (``core.words``), with the key a user types beside a threshold.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao.cli.main import main
from jixiao.core.model import Thresholds
from jixiao.core.textwidth import width
from jixiao.store.repository import Store

SEED = Path(__file__).resolve().parents[1] / "sample_data" / "tianjin_2023_targets.txt"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A data directory with the seed tables of 2023 (this user its admin)."""
    data = tmp_path_factory.mktemp("seed")
    assert main(["--data", str(data), "import", str(SEED), "--year", "2023"]) == 0
    return data


def _english_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{3,}", text)


# --- the command line ---------------------------------------------------------------------------
def test_chinese_settings_name_each_threshold_with_its_key_in_one_column(seeded, capsys):
    capsys.readouterr()
    assert main(["--data", str(seeded), "settings"]) == 0
    lines = capsys.readouterr().out.splitlines()
    keys = list(Thresholds().to_dict())
    listed = [line for line in lines if any(f" {k} " in line for k in keys)]
    assert len(listed) == len(keys)
    assert any(line.startswith("红色阈值 red_below ") for line in listed)
    assert any(line.startswith("时限预警天数 deadline_warning_days ") for line in listed)
    for line in listed:
        # The Chinese name first, the one key beside it, nothing else English.
        assert re.match(r"[\u4e00-\u9fff]+ [a-z_]+ +\S+$", line), line
        assert not _english_words(re.sub(r" [a-z_]+ ", " ", line, count=1)), line
    # Every value starts in the same terminal column, the year's and date's included.
    values = [line for line in lines if line.startswith(("年度", "监控日期"))] + listed
    starts = {width(re.match(r"(.*?\S)( {2,})\S+$", line).group(1)) +
              len(re.match(r"(.*?\S)( {2,})\S+$", line).group(2)) for line in values}
    assert len(starts) == 1, values


def test_english_settings_list_the_keys_as_before(seeded, capsys):
    capsys.readouterr()
    assert main(["--data", str(seeded), "--lang", "en", "settings"]) == 0
    out = capsys.readouterr().out
    assert "red_below             0.6" in out and "阈值" not in out


def test_a_threshold_change_is_logged_with_the_thresholds_chinese_name(seeded, tmp_path, capsys):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(seeded, data)
    assert main(["--data", str(data), "settings", "--threshold", "red_below=0.5"]) == 0
    capsys.readouterr()
    assert main(["--data", str(data), "log"]) == 0
    assert "红色阈值 red_below 0.6 → 0.5" in capsys.readouterr().out


def test_grants_name_the_role_as_typed_with_its_chinese_name(seeded, tmp_path, capsys):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(seeded, data)
    me = Store(data).user
    assert main(["--data", str(data), "grant", me, "--role", "admin"]) == 0
    assert main(["--data", str(data), "grant", "clerk", "--role", "owner", "--unit", "301101"]) == 0
    capsys.readouterr()
    assert main(["--data", str(data), "grants"]) == 0
    out = capsys.readouterr().out
    assert f"{me}  admin（管理员）" in out and "clerk  owner（填报人）" in out
    assert f"你是 {me}：admin（管理员）" in out


@pytest.mark.parametrize("lang, listed", [
    ("zh", "运算符必须是 ≥ ≤ > < = 区间 定性 时限 之一，而不是 'foo'"),
    ("en", "op must be one of ≥ ≤ > < = range qualitative deadline, not 'foo'")])
def test_a_refused_operator_lists_the_operators_in_the_run_language(seeded, tmp_path, capsys,
                                                                    lang, listed):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(seeded, data)
    count = next(i.id for i in Store(data).load().indicators.values() if i.target_text == "≥8个")
    capsys.readouterr()
    assert main(["--data", str(data), "--lang", lang, "reading", count, "--op", "foo"]) == 2
    assert listed in capsys.readouterr().err
    # The Chinese names are what the refusal offers, so they are taken.
    assert main(["--data", str(data), "reading", count, "--op", "区间", "--value", "1-3"]) == 0
    assert "已覆盖：区间：1–3个" in capsys.readouterr().out


# --- the monitoring screen ----------------------------------------------------------------------
@pytest.fixture
def store_of(small_dataset, tmp_path):
    """``store_of(user)``: the small dataset, alice its admin, olga owner of 301101; ``user``'s
    view of it."""
    path = tmp_path / "data"
    admin = Store(path, user="alice")
    admin.bulk_load(small_dataset())
    admin.grant("alice", "admin")
    admin.grant("olga", "owner", ["301101"])
    return lambda user: Store(path, user=user)


def _header(app) -> str:
    return app.monitor.query_one("#header").render_line(0).text.rstrip()


@pytest.mark.parametrize("user, lang, shown", [
    ("alice", "zh", "alice（管理员）"), ("olga", "zh", "olga（填报人）"), ("vera", "zh", "vera（查看者）"),
    ("alice", "en", "alice (admin)"), ("vera", "en", "vera (reader)")])
async def test_the_header_names_the_role_in_the_ui_language(store_of, loaded, user, lang, shown):
    from jixiao.tui.app import JixiaoApp

    app = JixiaoApp(store_of(user), lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert shown in _header(app)


async def test_a_refusal_names_the_role_in_chinese(store_of, loaded, small_dataset):
    from jixiao.tui.app import JixiaoApp

    app = JixiaoApp(store_of("olga"))
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("t")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("olga（填报人）无权更改指标值解读" in m and "admin（管理员）" in m for m in said), said


@pytest.mark.parametrize("lang, operators, prefilled, refused", [
    ("zh", "运算符（≥ ≤ > < = 区间 定性 时限）", "定性", "运算符必须是 ≥ ≤ > < = 区间 定性 时限 之一"),
    ("en", "Operator (≥ ≤ > < = range qualitative deadline)", "qualitative",
     "op must be one of ≥ ≤ > < = range qualitative deadline")])
async def test_the_reading_form_names_operators_and_refuses_in_the_ui_language(
        store_of, loaded, until, screen_text, lang, operators, prefilled, refused):
    from textual.widgets import RadioSet

    from jixiao.tui.app import JixiaoApp
    from jixiao.tui.screens.reading import ReadingScreen

    store = store_of("alice")
    qualitative = next(i.id for i in store.load().indicators.values() if i.target_text == "及时")
    app = JixiaoApp(store, lang=lang)
    async with app.run_test(size=(100, 40)) as pilot:
        await loaded(pilot)
        app.monitor.jump_to(qualitative)
        await pilot.pause()
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ReadingScreen))
        form = app.screen
        assert operators in screen_text(app)
        assert form.query_one("#op").value == prefilled
        if lang == "zh":
            assert "指标值：及时" in screen_text(app) and "解读（推断）：" in screen_text(app)
        # The prefilled word is taken back as it is: change it to something unknown instead.
        form.query_one("#do", RadioSet).query("StateRadioButton")[1].value = True
        form.query_one("#op").value = "foo"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: refused in screen_text(app))
        assert isinstance(app.screen, ReadingScreen)
