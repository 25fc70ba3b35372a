"""The layering promise of DESIGN.md §3: core is pure, store has no UI, arrows point down only;
and the packaging promise: one import name, ``jixiao``, and nothing else in site-packages."""

import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _loaded_after_import(module: str) -> set[str]:
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "import pkgutil, {0}; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages({0}.__path__, '{0}.')]; "
        "print(' '.join(sorted(sys.modules)))"
    ).format(module)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(out.stdout.split())


def _roots(loaded: set[str]) -> set[str]:
    return {m.split(".")[0] for m in loaded}


# What core may take from rich: the cell-width tables the TUI draws with (core.textwidth), so
# reports and the screen measure text alike — no console, markup, styles or Textual.
RICH_CELLS = {"rich", "rich.cells", "rich._extension", "rich._unicode_data"}


def test_core_imports_neither_ui_nor_storage_nor_upper_layers():
    loaded = _loaded_after_import("jixiao.core")
    assert "jixiao.core.model" in loaded and "jixiao.core.status" in loaded
    assert not _roots(loaded) & {"textual", "tinydb", "psycopg"}
    rich = {m for m in loaded if m.split(".")[0] == "rich"}
    assert "rich.cells" in rich
    assert {m for m in rich if not m.startswith("rich._unicode_data.")} <= RICH_CELLS
    assert not {m for m in loaded if m.startswith(("jixiao.store", "jixiao.tui", "jixiao.cli"))}


def test_store_imports_no_ui_and_no_upper_layers():
    loaded = _loaded_after_import("jixiao.store")
    assert "jixiao.store.repository" in loaded
    assert not _roots(loaded) & {"textual", "rich"}
    assert not {m for m in loaded if m.startswith(("jixiao.tui", "jixiao.cli"))}


def test_cli_commands_do_not_load_textual():
    """A command-line call stays quick: only the launcher imports the TUI, and only when used."""
    loaded = _loaded_after_import("jixiao.cli.commands")
    assert "jixiao.cli.commands.record" in loaded
    assert "textual" not in _roots(loaded)


def test_python_dash_m_jixiao_is_the_command():
    out = subprocess.run([sys.executable, "-m", "jixiao", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.startswith("jixiao ")


def test_wheel_installs_exactly_one_top_level_package(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(tmp_path), str(ROOT)], check=True,
                   capture_output=True)
    (wheel,) = tmp_path.glob("jixiao-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"jixiao"}
    for package in ("core", "store", "tui", "cli", "sample_data", "bench"):
        assert f"jixiao/{package}/__init__.py" in names
    assert "jixiao/tui/jixiao.tcss" in names and "jixiao/core/snapshot.schema.json" in names


def test_no_binary_package_is_committed():
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True,
                             text=True).stdout.split()
    assert not [n for n in tracked if n.endswith((".whl", ".egg", ".tar.gz", ".pyc"))]


def test_no_library_code_switches_the_garbage_collector_off():
    # A library must not change process-wide state behind its caller's back (another thread may
    # be relying on the collector meanwhile).
    offenders = []
    for folder in ("core", "store", "tui", "cli", "package"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if re.search(r"\bgc\.(disable|freeze)\s*\(", text):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_test_modules_share_helpers_only_through_conftest_fixtures():
    # A test module importing another couples the two: helpers live in the kits conftest.py
    # imports and hands out as fixtures.
    kits = {p.stem for p in (ROOT / "tests").glob("*.py") if not p.stem.startswith("test_")}
    offenders = []
    for path in (ROOT / "tests").glob("test_*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"\s*(?:from|import)\s+([\w.]+)", line)
            if m and (m.group(1).split(".")[0].startswith("test_")
                      or m.group(1).split(".")[0] in kits - {"conftest"}):
                offenders.append(f"{path.name}: {line.strip()}")
    assert offenders == []
