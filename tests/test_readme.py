"""The README's examples are real: every `$ atlas ...` line in a console block is run, and every
line of output the README shows must be a line of what the command prints now.

The README may leave lines out (marked "…"), but what it shows must not drift from the tool.
Commands run in one temporary folder, in order (the sqlite3 examples query the exported file);
a line starting with "> " continues the command above it. Illustrations that need a file of
the reader's own are fenced as ``text``, not ``console``, and are not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from harness import process_env

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)
BIN = Path(sys.executable).parent


def blocks() -> list[list[tuple[str, list[str]]]]:
    """Each console block as (command, shown output lines) pairs."""
    found = []
    for match in BLOCK.finditer(README.read_text(encoding="utf-8")):
        steps: list[tuple[str, list[str]]] = []
        for line in match.group(1).splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif line.startswith("> ") and steps:  # a command continued on the next line
                steps[-1] = (steps[-1][0] + "\n" + line[2:], steps[-1][1])
            elif steps:
                steps[-1][1].append(line.rstrip())
        found.append(steps)
    return found


BLOCKS = blocks()


def test_the_readme_has_examples_of_every_command() -> None:
    commands = " ".join(cmd for block in BLOCKS for cmd, _ in block)
    for name in ("list", "show", "filter", "search", "compare", "projects", "fields", "matrix"):
        assert f"atlas {name}" in commands
    for name in ("similar", "stats", "export"):
        assert f"atlas {name}" in commands


def test_readme_example_output_is_what_the_tool_prints(tmp_path: Path) -> None:
    if shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 command-line tool is not installed")
    env = process_env({"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "90"})
    drift = []
    for command, shown in (step for block in BLOCKS for step in block):
        result = subprocess.run(
            command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )
        assert "Traceback" not in result.stderr, command
        printed = {line.rstrip() for line in (result.stdout + result.stderr).splitlines()}
        missing = [line for line in shown if line and "…" not in line and line not in printed]
        if missing:
            drift.append(f"$ {command}\n  no longer prints:\n  " + "\n  ".join(missing))
    assert not drift, "\n\n".join(drift)
