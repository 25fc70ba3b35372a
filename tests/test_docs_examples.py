"""Every example the documentation shows on the sample data works as written.

The README and the guides in docs/ show commands in fenced ``sh`` blocks. Each line of such a
block that starts with ``jixiao --demo`` and names a sub-command is run here, in the order the
block gives, in one scratch directory per block (so a snapshot written by one line can be
diffed by the next), with ``sample_data/`` reachable by its relative path. A line passes when it
exits 0, or with the status its trailing comment promises (``# exit 3``). ``jixiao --demo``
alone opens the monitoring screen and is not run here; the TUI tests cover it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```sh\s*\n(.*?)^```", re.M | re.S)
_EXIT = re.compile(r"#\s*exit\s+(\d+)\s*$")


def _examples() -> list[tuple[str, list[tuple[str, int]]]]:
    """(document:line, [(command, expected exit status), ...]) per fenced block."""
    found = []
    for doc in DOCUMENTS:
        if not doc.exists():
            continue
        text = doc.read_text(encoding="utf-8")
        for block in _FENCE.finditer(text):
            commands = []
            for line in block.group(1).splitlines():
                line = line.strip()
                if not line.startswith("jixiao --demo ") or line.split("#")[0].strip() == \
                        "jixiao --demo":
                    continue
                expected = _EXIT.search(line)
                commands.append((line, int(expected.group(1)) if expected else 0))
            if commands:
                where = f"{doc.relative_to(ROOT)}:{text.count(chr(10), 0, block.start()) + 1}"
                found.append((where, commands))
    return found


EXAMPLES = _examples()


def test_the_documentation_shows_examples_on_the_sample_data():
    """The docs must keep showing runnable examples, or this file tests nothing."""
    assert sum(len(commands) for _, commands in EXAMPLES) >= 10


@pytest.mark.parametrize("where,commands", EXAMPLES, ids=[w for w, _ in EXAMPLES])
def test_documented_example_runs_as_written(where, commands, tmp_path):
    (tmp_path / "sample_data").symlink_to(ROOT / "sample_data")
    bindir = str(Path(sys.executable).parent)
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
               XDG_CACHE_HOME=str(tmp_path / "cache"), TMPDIR=str(tmp_path))
    if not shutil.which("jixiao", path=env["PATH"]):
        pytest.fail(f"the jixiao command is not installed beside {sys.executable}")
    for command, expected in commands:
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)
        assert done.returncode == expected, (
            f"{where}: `{command}` exited {done.returncode}, expected {expected}\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        assert "Traceback" not in done.stderr, f"{where}: `{command}`\n{done.stderr}"
