"""Issue 13, case 3: ``--excel-safe`` covers every cell that comes from data, header cells included
(``compare -f csv`` heads its columns with the city names). A property test over every command
that writes csv/tsv: formula-like city names and items, and no csv/tsv cell of any output, header
or body, is left for a spreadsheet to run."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from harness import command_formats, ok
from hostile_text import commands
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import COL, base_rows, write_rows

TRIGGERS = "=+-@"
FORMULA = st.tuples(
    st.sampled_from(TRIGGERS), st.text(st.sampled_from("ABCHYPERLINK(\"')!|/ 12"), min_size=1, max_size=12)
).map("".join)


def cells(fmt: str, text: str) -> list[str]:
    if fmt == "csv":
        return [c for row in csv.reader(io.StringIO(text)) for c in row]
    return [c for line in text.splitlines() for c in line.split("\t")]


def unsafe(cell: str) -> bool:
    if not cell.startswith(tuple(TRIGGERS)):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def test_every_csv_command_is_covered() -> None:
    covered = set(commands("a", "b"))
    assert covered == {name for name, takes_format in command_formats().items() if takes_format}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=FORMULA, second=FORMULA, item=FORMULA)
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_excel_safe_leaves_no_formula_anywhere(
    tmp_path: Path, fmt: str, first: str, second: str, item: str
) -> None:
    first, second = "=A" + first, "@B" + second  # never the same name, never a number
    rows = base_rows()
    rows[0][COL["stadt"]], rows[1][COL["stadt"]] = first, second
    for row in rows[:2]:
        row[COL["netzwerke"]] = item
        row[COL["foerderprogramme"]] = item
        row[COL["projektbeispiele"]] = f"{item} (Verwaltung)"
    data = write_rows(tmp_path / "formulas.tsv", rows)
    for name, args in commands(first, second).items():
        out = ok("--excel-safe", "--data", str(data), *args, "-f", fmt).stdout
        bad = [c for c in cells(fmt, out) if unsafe(c)]
        assert not bad, (name, bad)
