"""The test oracle: ``data/atlas.tsv`` read independently of atlascli (nothing here imports it).

Plain string handling only: lines split on LF, cells on tab, list cells on ``"; "``, a project
``Name (A / B)`` split into its name and fields. Expected values in the tests come from here or
are written out by hand, never from the code under test. The published schema (column names and
order, the ten fields) is written out here too, so a change in the code cannot move it unseen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "atlas.tsv"

COLUMNS = [
    "stadt",
    "bundesland",
    "einwohner",
    "flaeche_km2",
    "organisation",
    "strategie",
    "handlungsfelder",
    "netzwerke",
    "projektbeispiele",
    "foerderprogramme",
    "links",
]
FIELDS = [
    "Bildung",
    "Datenplattform",
    "Energie & Umwelt",
    "Gesellschaft",
    "Gesundheit",
    "Handel",
    "IT-Infrastruktur",
    "Mobilität",
    "Sicherheit",
    "Verwaltung",
]
COL = {name: i for i, name in enumerate(COLUMNS)}
LIST_COLUMNS = {"handlungsfelder", "netzwerke", "projektbeispiele", "foerderprogramme", "links"}
NUMBER_COLUMNS = {"einwohner", "flaeche_km2"}
_PROJECT = re.compile(r"(?P<name>.*?)\s*\((?P<fields>[^()]*)\)", re.DOTALL)


def read_rows(data: bytes) -> list[list[str]]:
    """Rows of a TSV as the file has them: split on LF and tab only (a cell may hold \\r, \\x85 ...)."""
    lines = data.decode("utf-8").split("\n")
    return [line.split("\t") for line in lines[1:] if line]


def tsv_text(rows: Sequence[Sequence[str]], header: Sequence[str] = COLUMNS) -> str:
    """The text of a TSV file: the header (the published one unless given) and these rows, each
    line ended by LF. ``tsv_text(base_rows())`` is the bundled file, byte for byte."""
    return "\n".join(["\t".join(header), *("\t".join(r) for r in rows)]) + "\n"


def write_rows(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = COLUMNS) -> Path:
    """A UTF-8 TSV file with the header (the published one unless given) and these rows."""
    path.write_bytes(tsv_text(rows, header).encode("utf-8"))
    return path


def items(cell: str) -> list[str]:
    """The items of a list cell as the file writes them ("; " between items)."""
    return cell.split("; ") if cell else []


def split_project(item: str) -> tuple[str, list[str]]:
    """``Name (A / B)`` → name and fields; an item without a trailing field list has no fields."""
    match = _PROJECT.fullmatch(item)
    if match is None:
        return item, []
    return match["name"], [f.strip() for f in match["fields"].split("/")]


def record(row: Sequence[str]) -> dict[str, object]:
    """The JSON record of a raw row: numbers as numbers, lists as lists, projects as objects."""
    result: dict[str, object] = {}
    for name, cell in zip(COLUMNS, row, strict=True):
        if name in NUMBER_COLUMNS:
            result[name] = int(cell)
        elif name == "projektbeispiele":
            result[name] = [
                {"name": n, "handlungsfelder": f} for n, f in (split_project(i) for i in items(cell))
            ]
        elif name in LIST_COLUMNS:
            result[name] = items(cell)
        else:
            result[name] = cell
    return result


# --- the bundled atlas --------------------------------------------------------------------------

BASE_ROWS = read_rows(DATA.read_bytes())
ROWS: list[dict[str, str]] = [dict(zip(COLUMNS, r, strict=True)) for r in BASE_ROWS]
NAMES = [r["stadt"] for r in ROWS]
BY_NAME = {r["stadt"]: r for r in ROWS}
RECORDS = [record(r) for r in BASE_ROWS]
# the line of the file each city's row stands on (the header is line 1)
LINE = {
    text.split("\t")[0]: number
    for number, text in enumerate(DATA.read_text(encoding="utf-8").split("\n"), start=1)
    if number > 1 and text
}


def base_rows() -> list[list[str]]:
    """A fresh copy of the bundled rows, as lists of cells, for a test to change."""
    return [list(r) for r in BASE_ROWS]


def row_of(rows: list[list[str]], name: str) -> list[str]:
    return next(r for r in rows if r[0] == name)


def fields_of(name: str) -> list[str]:
    return items(BY_NAME[name]["handlungsfelder"])


def project_names(name: str) -> list[str]:
    return [split_project(i)[0] for i in items(BY_NAME[name]["projektbeispiele"])]


def cities_where(predicate: Callable[[dict[str, str]], object]) -> list[str]:
    return [r["stadt"] for r in ROWS if predicate(r)]


def cities_with(feld: str) -> list[str]:
    return [name for name in NAMES if feld in fields_of(name)]
