"""Issue 13, case 8: a terminal narrower than the smallest table layout (under 20 columns) still
shows the data, one ``key: value`` line per cell, instead of failing ("invalid width") or
printing borders without data."""

from __future__ import annotations

import pytest
from harness import command_formats, json_out, ok
from hostile_text import commands

BOX = set("┃│╇━─┏┓┗┛┡┩")
INVOCATIONS = commands("Bonn", "Dresden")


def test_every_table_command_is_covered() -> None:
    assert set(INVOCATIONS) == {name for name, takes_format in command_formats().items() if takes_format}


@pytest.mark.parametrize("columns", ["1", "4", "19"])
@pytest.mark.parametrize("name", list(INVOCATIONS))
def test_tiny_terminal_prints_key_value_lines(name: str, columns: str) -> None:
    out = ok(*INVOCATIONS[name], env={"COLUMNS": columns}).stdout
    lines = [line for line in out.splitlines() if line]
    assert lines, "no data"
    assert not BOX & set(out)
    assert all(": " in line for line in lines)


def test_tiny_show_has_every_value() -> None:
    lines = ok("show", "Bonn", env={"COLUMNS": "1"}).stdout.splitlines()
    record = json_out("show", "Bonn")
    assert f"stadt: {record['stadt']}" in lines
    assert f"einwohner: {record['einwohner']}" in lines


def test_twenty_columns_is_a_table() -> None:
    assert BOX & set(ok("fields", env={"COLUMNS": "20"}).stdout)
