"""Local OS accounts for the tests that need real separation (a second user on the machine):
made when missing (root only) and given a python that can import jixiao. Reached through the
``account_python`` fixture of ``conftest.py``; the accounts stay for the next run, since making
them is the slow part."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNUSER = shutil.which("runuser") or "runuser"
PROBE = "import tinydb, jixiao.core, jixiao.store, jixiao.cli.main"


def ensure_account(name: str) -> str | None:
    """``None`` when the account ``name`` exists or was made, else why it cannot be."""
    if os.geteuid() != 0:
        return "not running as root, so no second account can be created"
    if not shutil.which("useradd") or not shutil.which("runuser"):
        return "useradd/runuser are not installed"
    if subprocess.run(["id", name], capture_output=True).returncode != 0:
        made = subprocess.run(["useradd", "--no-create-home", "--user-group", name],
                              capture_output=True, text=True)
        if made.returncode != 0:
            return f"useradd failed: {made.stderr.strip()}"
    return None


class Pythons:
    """Pythons other accounts can run jixiao with, sharing one installed-layout tree of the
    checkout (removed by ``close``)."""

    def __init__(self) -> None:
        """Nothing is made until the first ``python_for``."""
        self._tree: Path | None = None

    def _jixiao_tree(self) -> Path:
        # ``jixiao/`` laid out as installed (the package-dir mapping as symlinks into the
        # checkout), so a python without this venv's import hooks finds it.
        if self._tree is None:
            top = Path(tempfile.mkdtemp(prefix="jixiao-path-", dir="/tmp"))
            os.chmod(top, 0o755)
            pkg = top / "jixiao"
            shutil.copytree(ROOT / "package", pkg)
            for name in ("core", "store", "tui", "cli", "sample_data", "bench"):
                (pkg / name).symlink_to(ROOT / name)
            subprocess.run(["chmod", "-R", "a+rX", str(top)], check=True)
            self._tree = top
        return self._tree

    def python_for(self, name: str, probe: str = PROBE) -> tuple[list[str], dict] | str:
        """``(argv, env)`` of a python the account ``name`` (made when missing) can execute
        with the project and its dependencies (``probe`` imports them) importable; else a
        sentence saying why there is none."""
        why = ensure_account(name)
        if why is not None:
            return why
        env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}
        site = sysconfig.get_paths()["purelib"]
        env_with_path = dict(env, PYTHONPATH=f"{self._jixiao_tree()}{os.pathsep}{site}")
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        # /root (where a pyenv interpreter may live) is closed to other accounts; a system
        # python of the same version with the project and its pure-Python dependencies on the
        # path works.
        candidates = [(sys.executable, env)] + [(f"{d}/{version}", env_with_path)
                                                for d in ("/usr/bin", "/usr/local/bin")]
        for exe, e in candidates:
            if not os.path.exists(exe):
                continue
            ok = subprocess.run([RUNUSER, "-u", name, "--", exe, "-c", probe], env=e,
                                capture_output=True, cwd="/tmp")
            if ok.returncode == 0:
                return [exe], e
        return (f"account {name} can execute neither {sys.executable} nor a system python of "
                f"the same version with the project on PYTHONPATH")

    def close(self) -> None:
        """Remove the shared tree."""
        if self._tree is not None:
            shutil.rmtree(self._tree, ignore_errors=True)
            self._tree = None
