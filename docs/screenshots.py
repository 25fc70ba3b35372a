"""Re-create the pictures in docs/img/ from the real app on the sample data (``--demo``).

    python docs/screenshots.py [--out docs/img] [--only NAME ...]

Each picture is one scene: the keys a user presses after start-up, at a terminal size, saved as
an SVG by Textual itself. Run it again whenever the screen changes; the pictures in the README
and the guides are these files.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jixiao.sample_data import load_sample
from jixiao.store.repository import Store
from jixiao.tui.app import JixiaoApp

OUT = Path(__file__).resolve().parent / "img"


@dataclass(frozen=True)
class Scene:
    """A picture: its file name, what the user presses, the terminal size and language."""

    name: str
    keys: tuple[str, ...]
    size: tuple[int, int] = (120, 35)
    lang: str = "zh"
    title: str = ""


SCENES = (
    Scene("monitor", (), title="监控主界面 / the monitoring screen"),
    Scene("monitor-en", (), lang="en", title="the monitoring screen, --lang en"),
    Scene("triage", ("r",), title="红黄清单 / triage: every red and amber indicator"),
    # 印制数量 (unit 301205) has three reports, so its sparkline has something to show.
    Scene("detail", ("down", "enter", "enter", "enter"), size=(120, 40),
          title="详情 / the detail pane with its sparkline"),
    # A value typed in: the form shows the colour it would give and asks for causes and measures.
    Scene("record", ("tab", "tab", "e", "3"), title="记录进度 / the record form"),
    Scene("review", ("v",), title="待确认读法 / readings that need review"),
    Scene("monitor-80x24", (), size=(80, 24), title="80×24"),
)


async def _settle(pilot, timeout: float = 20.0) -> None:
    """Wait until the monitor shows every unit with its colours, then for the screen to idle."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        browser = getattr(app.monitor, "browser", None)
        if browser is not None and browser.evaluation is not None and browser.complete:
            break
        await pilot.pause(0.05)
    await pilot.pause(0.3)


def shoot(scene: Scene, data: Path, out: Path) -> Path:
    """Run the app headless on ``data``, press the scene's keys and save its SVG in ``out``."""
    app = JixiaoApp(Store(data), lang=scene.lang, poll_interval=3600)
    target = out / f"{scene.name}.svg"

    async def pilot_script(pilot) -> None:
        await _settle(pilot)
        for key in scene.keys:
            await pilot.press(key)
            await pilot.pause(0.2)
        await pilot.pause(0.5)
        app.save_screenshot(filename=target.name, path=str(out))
        app.exit()

    app.run(headless=True, size=scene.size, auto_pilot=pilot_script)
    return target


def main(argv: list[str] | None = None) -> int:
    """Make every scene's picture (or those named with ``--only``); exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder of the pictures")
    parser.add_argument("--only", nargs="*", default=None, metavar="NAME",
                        help="scene names: " + ", ".join(s.name for s in SCENES))
    args = parser.parse_args(argv)
    chosen = [s for s in SCENES if args.only is None or s.name in args.only]
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-screenshots-"))
    try:
        data = tmp / "data"
        Store(data).bulk_load(load_sample())
        for scene in chosen:
            print(shoot(scene, data, args.out))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
