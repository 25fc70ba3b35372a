"""The layering promise of DESIGN.md §3: core is pure, store has no UI."""

import subprocess
import sys


def _loaded_after_import(module: str) -> set[str]:
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "import pkgutil, {0}; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages({0}.__path__, '{0}.')]; "
        "print(' '.join(sorted(sys.modules)))"
    ).format(module)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(out.stdout.split())


def test_core_imports_neither_textual_nor_tinydb():
    loaded = _loaded_after_import("core")
    assert "core.model" in loaded and "core.status" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "tinydb", "rich")}


def test_store_imports_no_textual():
    loaded = _loaded_after_import("store")
    assert "store.repository" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich")}
