"""The documentation a reader meets: a short front page, one guide per reader, working links.

The README is the front page — short, the Quick start near the top, a picture of the real screen
that exists — and the guides in docs/ hold the manual. Links between them must lead somewhere: a
file that exists and, with ``#anchor``, a heading of that file. No marker that says how a text
was written (``owner:``, issue numbers) belongs in what a user reads.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
GUIDES = ("owners", "managers", "officers", "server", "rules", "reference", "architecture")
DOCUMENTS = [README, ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
_LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]+)\)")
_FENCED = re.compile(r"^```.*?^```", re.S | re.M)
_CODE = re.compile(r"^```.*?^```|`[^`\n]*`", re.S | re.M)
QUICK_START = (
    "python3 -m venv .venv && . .venv/bin/activate && pip install . && jixiao --demo\n"
    "python3 -m venv .venv && . .venv/bin/activate && pip install \".[test]\" && "
    "python -m pytest -q\n")


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(doc: Path) -> set[str]:
    text = _FENCED.sub("", doc.read_text(encoding="utf-8"))
    return {_slug(m.group(1)) for m in re.finditer(r"^#+\s+(.*)$", text, re.M)}


def test_readme_is_a_front_page_with_the_quick_start_near_the_top():
    text = README.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) <= 300
    start = text.index("## Quick start")
    assert text[:start].count("\n") < 40
    block = text[start:].split("```sh\n", 1)[1]
    assert block.startswith(QUICK_START), "the Quick start commands changed"
    assert text[:start + len(QUICK_START) + 40].count("\n") <= 40


def test_readme_shows_a_picture_of_the_screen_that_exists():
    pictures = [target for bang, target in _LINK.findall(README.read_text(encoding="utf-8"))
                if bang]
    assert pictures, "the README shows no picture"
    for target in pictures:
        assert (ROOT / target).is_file(), target


def test_every_guide_is_there_and_the_readme_links_to_it():
    text = README.read_text(encoding="utf-8")
    for name in GUIDES:
        assert (ROOT / "docs" / f"{name}.md").is_file(), name
        assert f"(docs/{name}.md)" in text, f"the README does not link docs/{name}.md"


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda d: str(d.relative_to(ROOT)))
def test_no_process_markers(doc):
    text = doc.read_text(encoding="utf-8")
    assert "<!-- section:" not in text
    assert not re.search(r"owner:\s*\w", text), "an owner: marker"
    assert not re.search(r"\bissues?\s+\d+", text, re.I), "an issue number"


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda d: str(d.relative_to(ROOT)))
def test_links_lead_to_files_and_headings_that_exist(doc):
    text = _CODE.sub("", doc.read_text(encoding="utf-8"))
    for _, target in _LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        where = (doc.parent / path).resolve() if path else doc
        assert where.exists(), f"{doc.name}: {target} leads nowhere"
        if anchor:
            assert anchor in _anchors(where), f"{doc.name}: no heading for {target}"
