"""The command list is the package's modules: a new module is a new command, with nothing else to
edit (issue 10). A throwaway command is added in a folder of its own and then removed again."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from harness import command_formats, ok, run

import atlascli.cli.commands as commands

THROWAWAY = '''
"""``atlas biggest``: the largest cities (a command for a test only)."""

import typer

from atlascli.cli.options import FormatOption, LimitOption
from atlascli.cli.output import Output, cities_output
from atlascli.cli.root import load
from atlascli.render import OutputFormat
from atlascli.schema import SortKey

RANK = 99


def command(ctx: typer.Context, limit: LimitOption = 3, fmt: FormatOption = OutputFormat.table) -> Output:
    """The largest cities by inhabitants."""
    atlas = load(ctx)
    return cities_output(
        atlas, range(len(atlas)), fmt=fmt, columns=None, sort=SortKey.einwohner, reverse=True, limit=limit
    )
'''


@pytest.fixture
def throwaway(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "biggest.py").write_text(THROWAWAY, encoding="utf-8")
    commands.__path__.append(str(tmp_path))
    try:
        yield "biggest"
    finally:
        commands.__path__.remove(str(tmp_path))
        sys.modules.pop("atlascli.cli.commands.biggest", None)


def test_a_new_module_is_a_new_command(throwaway: str) -> None:
    assert throwaway in command_formats()
    assert throwaway in ok("--help").stdout
    records = json.loads(ok(throwaway, "-f", "json").stdout)
    populations = [r["einwohner"] for r in records]
    assert len(records) == 3 and populations == sorted(populations, reverse=True)
    assert "Einwohner" in ok(throwaway).stdout  # the table goes through the same emit


def test_a_removed_module_is_no_command() -> None:
    assert "biggest" not in command_formats()
    assert run("biggest").exit_code == 2


def test_the_commands_are_the_modules_in_help_order() -> None:
    everyday = ["list", "show", "filter", "search", "compare"]
    across = ["projects", "fields", "matrix", "similar", "stats", "export", "sql", "schema", "browse"]
    assert list(command_formats()) == everyday + across
    assert sorted(commands.names()) == sorted(command_formats())
