"""The pager: long tables on a terminal go through $ATLAS_PAGER / $PAGER / less, never in a pipe."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from harness import atlas, atlas_program, process_env

from atlascli.render.pager import DEFAULT, page, pager_command


def test_the_pager_is_atlas_pager_then_pager_then_less() -> None:
    assert pager_command({}) == DEFAULT.split()
    assert pager_command({"PAGER": "more -s"}) == ["more", "-s"]
    assert pager_command({"PAGER": "more", "ATLAS_PAGER": "less -S"}) == ["less", "-S"]
    # as in git: empty or cat means no pager, also when it only overrides a PAGER
    for off in ("", "  ", "cat"):
        assert pager_command({"ATLAS_PAGER": off, "PAGER": "more"}) is None
    assert pager_command({"PAGER": "less 'unbalanced"}) is None
    assert pager_command({"TERM": "dumb", "PAGER": "less"}) is None


def test_a_pager_that_cannot_start_leaves_the_printing_to_the_caller(tmp_path: Path) -> None:
    assert page("text\n", [str(tmp_path / "no-such-pager")]) is False


def test_a_pager_that_quits_early_is_not_an_error(tmp_path: Path) -> None:
    quitter = [sys.executable, "-c", "import sys; sys.stdin.read(1)"]
    assert page("line\n" * 200_000, quitter) is True


def _copying_pager(tmp_path: Path) -> tuple[str, Path]:
    """A pager command that copies what it is given to a file."""
    copy = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(f"import sys\nopen({str(copy)!r}, 'wb').write(sys.stdin.buffer.read())\n")
    return f"{sys.executable} {script}", copy


def _on_a_terminal(args: list[str], env: dict[str, str | None]) -> bytes:
    """What ``atlas ARGS`` writes to a terminal of 80 × 24."""
    import pty

    master, slave = pty.openpty()
    run = subprocess.Popen(
        [atlas_program(), *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env=process_env({"COLUMNS": "80", "LINES": "24", **env}),
    )
    os.close(slave)
    seen = b""
    with contextlib.suppress(OSError):  # the terminal's other end is closed once the run ends
        while chunk := os.read(master, 65536):
            seen += chunk
    os.close(master)
    assert run.wait(timeout=60) == 0, seen
    return seen


def test_long_tables_on_a_terminal_go_through_the_pager(tmp_path: Path) -> None:
    pager, copy = _copying_pager(tmp_path)
    seen = _on_a_terminal(["stats"], {"ATLAS_PAGER": pager})
    paged = copy.read_text("utf-8")
    assert "Handlungsfelder" in paged and paged.count("\n") > 24
    assert b"Handlungsfelder" not in seen  # the pager had it all


def test_short_tables_no_pager_and_pipes_print_directly(tmp_path: Path) -> None:
    pager, copy = _copying_pager(tmp_path)
    assert b"Bonn" in _on_a_terminal(["list", "--limit", "3"], {"ATLAS_PAGER": pager})
    assert b"Handlungsfelder" in _on_a_terminal(["--no-pager", "stats"], {"ATLAS_PAGER": pager})
    piped = atlas("stats", env={"ATLAS_PAGER": pager, "LINES": "24"})
    assert piped.returncode == 0 and "Handlungsfelder" in piped.stdout
    assert not copy.exists()


def test_a_missing_pager_prints_the_table_itself(tmp_path: Path) -> None:
    seen = _on_a_terminal(["stats"], {"ATLAS_PAGER": str(tmp_path / "no-such-pager")})
    assert b"Handlungsfelder" in seen
