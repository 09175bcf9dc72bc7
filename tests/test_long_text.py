"""Issue 13, case 6: huge cells in tables. A table view clips a text over 20,000 characters with
``…`` and a note of its full length (a 4 MB strategie took 13 s to lay out); JSON stays exact."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import json_out, ok
from oracle import COL, base_rows, row_of, write_rows

from atlascli.render.terminal import SHOWN_LIMIT

LONG = ("Digitalisierung Straße " * 20_000)[:400_000] + "ENDE"


@pytest.fixture(scope="module")
def long_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = base_rows()
    row_of(rows, "Bonn")[COL["strategie"]] = LONG
    return write_rows(tmp_path_factory.mktemp("long") / "long.tsv", rows)


def test_table_clips_long_text_and_says_how_long(long_file: Path) -> None:
    out = ok("--data", str(long_file), "show", "Bonn", env={"COLUMNS": "100"}).stdout
    flat = " ".join(out.split())
    assert f"… ({len(LONG):,} characters in all; -f json shows the whole text)" in flat
    assert "ENDE" not in out
    assert len(out) < 2 * SHOWN_LIMIT + 20_000  # the clipped text and the rest of the view


def test_json_keeps_the_whole_text(long_file: Path) -> None:
    assert json_out("--data", str(long_file), "show", "Bonn")["strategie"] == LONG


def test_text_at_the_limit_is_whole(tmp_path: Path) -> None:
    rows = base_rows()
    text = "x" * (SHOWN_LIMIT - 4) + " END"
    row_of(rows, "Bonn")[COL["strategie"]] = text
    out = ok("--data", str(write_rows(tmp_path / "edge.tsv", rows)), "show", "Bonn").stdout
    assert "END" in out and "characters in all" not in out
