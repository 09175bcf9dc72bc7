"""Shell habits: global options before or after the command, one error style for usage errors
(``atlas: ...`` and ``Try 'atlas CMD -h' for help.``), capital metavars, suggestions that say
what to type, and help into a closed pipe."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import csv_rows, into_closed_pipe, ok, run
from hypothesis import given
from hypothesis import strategies as st

from atlascli.cli.root import FLAG_OPTIONS, VALUE_OPTIONS, hoisted


@pytest.mark.parametrize(
    ("args", "want"),
    [
        (["list", "--no-color"], ["--no-color", "list"]),
        (["show", "Bonn", "--data", "x.tsv"], ["--data", "x.tsv", "show", "Bonn"]),
        (["show", "--data=x.tsv", "Bonn"], ["--data=x.tsv", "show", "Bonn"]),
        (
            ["--no-cache", "list", "--excel-safe", "-f", "csv"],
            ["--no-cache", "--excel-safe", "list", "-f", "csv"],
        ),
        (["--data", "list", "show", "Bonn"], ["--data", "list", "show", "Bonn"]),  # a file named list
        (["search", "--", "--no-color"], ["search", "--", "--no-color"]),
        (["--", "list", "--no-color"], ["--", "list", "--no-color"]),
        (["list", "--columns", "--no-color"], ["list", "--columns", "--no-color"]),  # a value
        (["list", "--data"], ["list", "--data"]),  # no value: left for Click to say so
        (["--no-color"], ["--no-color"]),
    ],
)
def test_hoisted(args: list[str], want: list[str]) -> None:
    assert hoisted(args, {"--columns", "-f"}) == want


WORDS = st.sampled_from(
    ["list", "show", "Bonn", "-f", "csv", "--", "--columns", "x", *FLAG_OPTIONS, *VALUE_OPTIONS]
)


@given(st.lists(WORDS, max_size=8))
def test_hoisting_keeps_every_argument_and_the_order_of_the_rest(args: list[str]) -> None:
    moved = hoisted(args, {"--columns", "-f"})
    assert sorted(moved) == sorted(args)
    globals_ = FLAG_OPTIONS | VALUE_OPTIONS
    takes_value = VALUE_OPTIONS | {"--columns", "-f"}
    first = args.index("--") if "--" in args else None
    # a "--" right after an option that takes a value may be that value (--data --), not the end
    # of the options
    if first is not None and not (first and args[first - 1] in takes_value):
        assert moved[moved.index("--") :] == args[first:]
    assert [a for a in moved if a not in globals_] == [a for a in args if a not in globals_] or any(
        a in VALUE_OPTIONS for a in args
    )


@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_after_the_command(where: str, tmp_path: Path) -> None:
    path = str(tmp_path / "atlas.tsv")
    Path(path).write_text(ok("list", "-f", "tsv").stdout.replace("Bonn\t", "Bonn-Beuel\t"), encoding="utf-8")
    args = ["--data", path, "--no-color", "show", "Bonn-Beuel"]
    if where == "after":
        args = ["show", "Bonn-Beuel", "--no-color", "--data", path]
    result = ok(*args, env={"NO_COLOR": None, "FORCE_COLOR": "1"})
    assert "Bonn-Beuel" in result.stdout
    assert "\x1b" not in result.stdout


def test_excel_safe_after_the_command() -> None:
    rows = csv_rows(ok("sql", "SELECT '=1' AS x", "-f", "csv", "--excel-safe").stdout)
    assert rows == [{"x": "'=1"}]


@pytest.mark.parametrize(
    ("args", "first", "command"),
    [
        (["show"], "atlas: missing argument 'CITY'", "atlas show"),
        (["list", "--sort", "nope"], "atlas: invalid value for '--sort'", "atlas list"),
        (["list", "-n"], "atlas: option '-n' requires an argument", "atlas list"),
        (["list", "--nope"], "atlas: no such option: --nope", "atlas list"),
        (["nope"], "atlas: no such command 'nope'", "atlas"),
    ],
)
def test_usage_errors_in_one_style(args: list[str], first: str, command: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(first)
    assert lines[-1] == f"Try '{command} -h' for help."
    assert not any(c in result.stderr for c in "╭│╰")


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("show", "CITY"),
        ("compare", "CITY..."),
        ("search", "QUERY..."),
        ("sql", "QUERY"),
        ("similar", "CITY"),
        ("fields", "[FIELD]"),
    ],
)
def test_metavars_in_capitals(command: str, usage: str) -> None:
    out = ok(command, "--help").stdout
    assert f"Usage: atlas {command} [OPTIONS] {usage}" in out
    assert "{" not in out.split("\n\n")[0]


def test_show_with_two_cities_suggests_compare() -> None:
    result = run("show", "Darmstadt", "Bonn")
    assert result.exit_code == 2
    assert "atlas: to compare cities: atlas compare Darmstadt Bonn" in result.stderr.splitlines()


def test_show_of_a_city_not_in_the_atlas_says_how_to_see_them() -> None:
    result = run("show", "Berlin")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "atlas: 'Berlin' is not in the atlas",
        "atlas: 'atlas list' shows the cities in the atlas",
    ]


def test_a_city_without_projects_says_so() -> None:
    result = ok("projects", "--stadt", "Halle")
    assert result.stdout == ""
    assert "atlas: Halle (Saale) has no example projects" in result.stderr.splitlines()
    assert "no project of Bonn matches" in ok("projects", "--stadt", "Bonn", "--feld", "Handel").stderr


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["show", "--help"], ["list", "-h"]], ids=" ".join)
def test_help_into_a_closed_pipe_exits_0(args: list[str]) -> None:
    """``atlas --help | head -1`` with the reader gone before atlas writes (Rich's help console
    would exit 1): status 0, nothing on stderr, so ``set -o pipefail`` holds."""
    result = into_closed_pipe(*args)
    assert result.stderr == ""
    assert result.returncode == 0
