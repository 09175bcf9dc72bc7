"""Issue 13, case 7: invisible and bidi characters, removed by Unicode property (Cc, Cf, Zl, Zp,
default-ignorable) from what reaches a terminal and refused in URLs."""

from __future__ import annotations

import os
import pty
import subprocess
import unicodedata
from pathlib import Path

import pytest
from harness import atlas, atlas_program, ok, process_env, run
from hostile_text import HOSTILE_TEXT, INVISIBLE
from hypothesis import given
from oracle import COL, base_rows, write_rows

from atlascli.chars import first_hidden, is_hidden, visible
from atlascli.errors import AtlasDataError
from atlascli.loader import load_atlas
from atlascli.render.terminal import safe_text

# what the issue found: U+061C (a bidi control), U+2028/2029, a tag character, ESC, U+202E
FOUND = "\u061c\u2028\u2029\U000e0041\x1b\u202e"
URL_REFUSED = ["\u061c", "\U000e0041", "\u00ad", "\ufe0f", "\u180e", "\u3164"]


def hidden_in(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if c not in "\n" and is_hidden(c)]


def test_the_property_covers_what_was_found() -> None:
    assert all(is_hidden(c) for c in FOUND + INVISIBLE)
    assert not any(is_hidden(c) for c in "aä ß€🚀\u00a0\u3000»«")
    assert {unicodedata.category(c) for c in "\ufe0f\u3164"} == {"Mn", "Lo"}  # ignorable, not Cf


@given(HOSTILE_TEXT)
def test_safe_text_leaves_nothing_hidden(text: str) -> None:
    assert hidden_in(safe_text(text)) == []
    assert first_hidden(visible(text)) is None
    assert visible(text) == "".join(c for c in text if not is_hidden(c))


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = base_rows()
    bonn = next(r for r in rows if r[0] == "Bonn")
    bonn[COL["strategie"]] = "Anfang" + "".join(f"{c}x" for c in FOUND) + "Ende"
    bonn[COL["netzwerke"]] = "Netz\u061cwerk; Tag\U000e0041s"
    rows[1][COL["stadt"]] = "Evil\x1b[31m\u202eStadt"
    return write_rows(tmp_path_factory.mktemp("marked") / "marked.tsv", rows)


@pytest.mark.parametrize(
    "args", [["show", "Bonn"], ["list"], ["compare", "Bonn", "Evil"], ["stats"], ["similar", "Bonn"]]
)
def test_tables_show_nothing_hidden(marked: Path, args: list[str]) -> None:
    result = ok("--data", str(marked), *args, env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert hidden_in(result.stdout) == []
    assert hidden_in(result.stderr) == []


def test_errors_show_nothing_hidden(marked: Path) -> None:
    result = run("--data", str(marked), "show", "Nirgend\u202ewo\x1b]0;x\x07\u2028")
    assert result.exit_code == 1
    assert hidden_in(result.stderr) == []


@pytest.mark.parametrize("char", URL_REFUSED, ids=[f"U+{ord(c):04X}" for c in URL_REFUSED])
def test_urls_with_hidden_characters_are_refused(tmp_path: Path, char: str) -> None:
    rows = base_rows()
    rows[0][COL["links"]] = f"https://exam{char}ple.org/pfad"
    with pytest.raises(AtlasDataError, match="not a valid http"):
        load_atlas(write_rows(tmp_path / "url.tsv", rows))


def test_completion_candidates_show_nothing_hidden(marked: Path) -> None:
    line = f"atlas --data {marked} show Ev"
    result = atlas(
        env={
            "_ATLAS_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(line.split(" ")) - 1),
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "no candidate"
    assert hidden_in(result.stdout) == []


def test_markdown_on_a_terminal_shows_nothing_hidden(marked: Path) -> None:
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [atlas_program(), "--data", str(marked), "show", "Bonn", "-f", "markdown"],
            stdout=follower,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=process_env({"COLUMNS": "200"}),
            timeout=60,
            check=False,
        )
        os.close(follower)
        follower = -1
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            out += chunk
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 0, done.stderr
    text = out.decode("utf-8").replace("\r\n", "\n")
    assert "AnfangxxxxxxEnde" in text.replace("\n", "")
    assert hidden_in(text) == []


def test_markdown_in_a_pipe_keeps_every_character(marked: Path) -> None:
    out = ok("--data", str(marked), "show", "Bonn", "-f", "markdown").stdout
    assert "\U000e0041" in out and "\u061c" in out
