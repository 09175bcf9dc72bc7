"""The SVG snapshots of ``atlas browse``'s screens (scripts/browse_snapshots.py) match the app, and
the check notices a snapshot that does not (issue 15)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from test_docs import README, load_script


@pytest.fixture(scope="module")
def snapshots() -> ModuleType:
    return load_script("browse_snapshots")


def test_every_snapshot_shows_what_the_app_shows(snapshots: ModuleType) -> None:
    assert snapshots.stale() == [], "run python scripts/browse_snapshots.py and look at what changed"


def test_the_snapshots_are_the_main_screens(snapshots: ModuleType) -> None:
    files = {s.file for s in snapshots.SNAPSHOTS_MADE}
    assert {"list.svg", "search.svg", "compare.svg", "similar.svg", "projects.svg", "matrix.svg"} <= files
    assert {"help.svg", "small.svg", "browse.svg"} <= files
    text = snapshots.screen_text((snapshots.SNAPSHOTS / "compare.svg").read_text(encoding="utf-8"))
    assert "Bonn · Dresden" in text.replace("\xa0", " ")


def test_the_readme_shows_the_browse_picture(snapshots: ModuleType) -> None:
    picture = next(s for s in snapshots.SNAPSHOTS_MADE if s.file == "browse.svg")
    assert picture.folder == snapshots.IMAGES
    assert "](docs/images/browse.svg)" in README.read_text(encoding="utf-8")


def _one(snapshots: ModuleType) -> object:
    return next(s for s in snapshots.SNAPSHOTS_MADE if s.file == "small.svg")


def test_the_check_notices_a_changed_or_missing_snapshot(snapshots: ModuleType, tmp_path: Path) -> None:
    snapshot = _one(snapshots)
    assert snapshots.differs(snapshot, tmp_path)  # missing
    copy = tmp_path / "small.svg"
    shutil.copy(snapshots.SNAPSHOTS / "small.svg", copy)
    assert not snapshots.differs(snapshot, tmp_path)
    recorded = copy.read_text(encoding="utf-8")
    styled = re.sub(r"(\.terminal-\d+-r1 \{ fill: #)[0-9a-f]{6}", r"\g<1>123456", recorded, count=1)
    assert styled != recorded
    copy.write_text(styled, encoding="utf-8")
    assert snapshots.differs(snapshot, tmp_path)  # same Textual: byte for byte


def test_with_another_textual_only_the_text_counts(snapshots: ModuleType, tmp_path: Path) -> None:
    snapshot = _one(snapshots)
    recorded = (snapshots.SNAPSHOTS / "small.svg").read_text(encoding="utf-8")
    other = recorded.replace(f"| textual {snapshots.textual_version()} |", "| textual 0.0.1 |", 1)
    styled = re.sub(r"(\.terminal-\d+-r1 \{ fill: #)[0-9a-f]{6}", r"\g<1>123456", other, count=1)
    copy = tmp_path / "small.svg"
    copy.write_text(styled, encoding="utf-8")
    assert not snapshots.differs(snapshot, tmp_path)  # another style, the same screen
    # a screen whose text differs: its hash is not the one recorded
    changed = re.sub(r"text-sha256: [0-9a-f]{64}", "text-sha256: " + "0" * 64, styled, count=1)
    copy.write_text(changed, encoding="utf-8")
    assert snapshots.differs(snapshot, tmp_path)


def test_the_text_of_a_screen_is_read_from_its_svg(snapshots: ModuleType) -> None:
    svg = (snapshots.SNAPSHOTS / "small.svg").read_text(encoding="utf-8")
    text = snapshots.screen_text(svg).replace("\xa0", " ")
    assert "Münster" in text and "&#160;" not in text and "<" not in text
