"""Issue 13, case 5: unbounded input. A header over 64 KiB characters or a cell over a million is
an error naming file, line and column; echoed text is clipped; devices are refused by type (a
pipe is read); ``--data ""`` says the name is empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import atlas, run
from oracle import COL, DATA, base_rows, write_rows

from atlascli.validate import CELL_LIMIT, HEADER_LIMIT


def test_a_cell_over_the_limit_names_file_line_and_column(tmp_path: Path) -> None:
    rows = base_rows()
    rows[3][COL["strategie"]] = "y" * (CELL_LIMIT + 1)
    path = write_rows(tmp_path / "big.tsv", rows)
    result = run("--data", str(path), "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"atlas: {path}:5: strategie: the cell has {CELL_LIMIT + 1:,} characters, "
        f"over the limit of {CELL_LIMIT:,}\n"
    )


def test_a_long_header_is_an_error_and_not_echoed(tmp_path: Path) -> None:
    path = tmp_path / "header.tsv"
    path.write_text("x" * (HEADER_LIMIT + 1) + "\n", encoding="utf-8")
    result = run("--data", str(path), "list")
    assert result.exit_code == 1
    assert len(result.stderr) < 300
    assert f"{path}:1: the header line has" in result.stderr


def test_an_unknown_column_is_clipped_in_the_message(tmp_path: Path) -> None:
    path = tmp_path / "column.tsv"
    header, rest = DATA.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(header + "\t" + "z" * 50_000 + "\n" + rest, encoding="utf-8")
    result = run("--data", str(path), "list")
    assert result.exit_code == 1
    assert "unknown column" in result.stderr
    assert max(len(line) for line in result.stderr.splitlines()) < 600


def test_a_device_is_refused_by_type() -> None:
    result = run("--data", "/dev/zero", "list")
    assert result.exit_code == 1
    assert result.stderr == "atlas: /dev/zero: is not a regular file or a pipe (a device or a socket?)\n"


def test_standard_input_is_read() -> None:
    with DATA.open("rb") as source:
        done = atlas("--data", "/dev/stdin", "list", "-f", "csv", stdin=source.fileno())
    assert done.returncode == 0, done.stderr
    assert "Bonn" in done.stdout


def test_an_empty_data_name_says_so() -> None:
    result = run("--data", "", "list")
    assert (result.exit_code, result.stderr) == (1, "atlas: --data: the file name is empty\n")


@pytest.mark.parametrize(
    "args",
    [
        ["show", "Bonn", "x" * 128_000],  # an extra argument, echoed by Click
        ["list", "--format", "y" * 128_000],  # an invalid choice, echoed by Click
        ["filter", "--" + "z" * 128_000],  # an unknown option, echoed by Click
    ],
    ids=["extra argument", "invalid choice", "unknown option"],
)
def test_usage_errors_clip_what_they_echo(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert 0 < len(result.stderr) < 2_000, len(result.stderr)
    assert "…" in result.stderr
