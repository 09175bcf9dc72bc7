"""Tests of the commands that look across the atlas: projects, fields, matrix, similar, stats,
export, and shell completion.

Every expectation is computed from ``data/atlas.tsv`` read here with plain string handling (tabs and
``"; "``), not with the package's loader, so a wrong loader, query or renderer cannot agree with
itself. The SQLite export is queried with the plain ``sqlite3`` program (and Python's ``sqlite3``
module for the joins); completion runs the installed ``atlas`` script as a shell would.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from harness import FORMATS, atlas, csv_out, csv_rows, json_out, ok, run, spawn
from oracle import (
    BY_NAME,
    COL,
    COLUMNS,
    DATA,
    FIELDS,
    NAMES,
    ROWS,
    base_rows,
    cities_with,
    fields_of,
    items,
    split_project,
    write_rows,
)

SQLITE3 = shutil.which("sqlite3")

KEYS = [
    "bildung",
    "datenplattform",
    "energie_umwelt",
    "gesellschaft",
    "gesundheit",
    "handel",
    "it_infrastruktur",
    "mobilitaet",
    "sicherheit",
    "verwaltung",
]


HEADER = COLUMNS


# (stadt, project name, its fields) for every project item of the file, in file order
PROJECTS: list[tuple[str, str, list[str]]] = [
    (r["stadt"], *split_project(item)) for r in ROWS for item in items(r["projektbeispiele"])
]


def quoted(cell: str) -> set[str]:
    return set(re.findall(r"»([^«]+)«", cell))


def named_items(name: str) -> list[str]:
    row = BY_NAME[name]
    return items(row["netzwerke"]) + items(row["foerderprogramme"])


# --- running the app --------------------------------------------------------------------------


def csv_header(*args: str) -> list[str]:
    return next(csv.reader(io.StringIO(ok(*args, "-f", "csv").stdout)))


def flat(value: object) -> str:
    """A JSON value as the flat formats write it: lists joined with "; ", numbers as text."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def parse_flat(fmt: str, text: str) -> list[dict[str, str]]:
    """Records of a csv, tsv or markdown frame."""
    if fmt == "csv":
        return csv_rows(text)
    lines = text.splitlines()
    if fmt == "tsv":
        header = lines[0].split("\t")
        return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    assert fmt == "markdown"
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines), text
    cells = [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]
    assert all(re.fullmatch(r":?-{3,}:?", c) for c in cells[1]), cells[1]  # alignment row
    return [dict(zip(cells[0], row, strict=True)) for row in cells[2:]]


# --- every explore command in every format -----------------------------------------------------

EXPLORE_ARGS = [
    ["projects"],
    ["projects", "--feld", "Mobilität"],
    ["fields"],
    ["fields", "Gesundheit"],
    ["matrix"],
    ["matrix", "--by-coverage"],
    ["similar", "Darmstadt"],
    ["stats"],
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", EXPLORE_ARGS, ids=" ".join)
def test_every_command_every_format(args: list[str], fmt: str) -> None:
    result = ok(*args, "-f", fmt)
    out = result.stdout
    assert out.strip()
    assert "Traceback" not in result.stderr
    if fmt == "json":
        assert isinstance(json.loads(out), list | dict)
    elif fmt == "jsonl":
        assert all(isinstance(json.loads(line), dict) for line in out.splitlines())
    elif fmt in ("csv", "tsv", "markdown"):
        records = parse_flat(fmt, out)
        assert records
    else:
        assert "\x1b[" not in out  # NO_COLOR


# commands whose json is a list of records: the flat formats must give the same records
FRAME_ARGS = [
    ["projects"],
    ["fields"],
    ["fields", "Gesundheit"],
    ["matrix"],
    ["matrix", "-c", "-b", "NRW"],
    ["similar", "Freiburg", "-n", "19"],
    ["stats"],
]


@pytest.mark.parametrize("args", FRAME_ARGS, ids=" ".join)
def test_formats_agree(args: list[str]) -> None:
    records = csv_out(*args)
    assert records
    assert parse_flat("tsv", ok(*args, "-f", "tsv").stdout) == records
    assert parse_flat("markdown", ok(*args, "-f", "markdown").stdout) == records
    data = json_out(*args)
    jsonl = [json.loads(line) for line in ok(*args, "-f", "jsonl").stdout.splitlines()]
    if isinstance(data, list):
        assert jsonl == data
        assert [{k: flat(v) for k, v in record.items()} for record in data] == records
    else:  # one object (fields FELD, stats): jsonl is the same object on one line
        assert jsonl == [data]


# --- projects ------------------------------------------------------------------------------------


def test_projects_every_project_once() -> None:
    records = json_out("projects")
    assert len(records) == len(PROJECTS) == sum(len(items(r["projektbeispiele"])) for r in ROWS)
    assert [(r["stadt"], r["projekt"], r["handlungsfelder"]) for r in records] == [
        (s, n, f) for s, n, f in PROJECTS
    ]


def test_projects_csv_columns() -> None:
    assert csv_header("projects") == ["stadt", "projekt", "handlungsfelder"]
    rows = csv_out("projects")
    assert [(r["stadt"], r["projekt"], r["handlungsfelder"]) for r in rows] == [
        (s, n, "; ".join(f)) for s, n, f in PROJECTS
    ]


@pytest.mark.parametrize("query", ["Mobilität", "mobil", "mobilitaet", "MOBILITÄT"])
def test_projects_feld_mobilitaet(query: str) -> None:
    want = [(s, n) for s, n, f in PROJECTS if "Mobilität" in f]
    assert len(want) >= 5
    assert [(r["stadt"], r["projekt"]) for r in csv_out("projects", "--feld", query)] == want


@pytest.mark.parametrize("feld", FIELDS)
def test_projects_feld_every_field(feld: str) -> None:
    want = [[s, n, f] for s, n, f in PROJECTS if feld in f]
    got = [[r["stadt"], r["projekt"], r["handlungsfelder"]] for r in json_out("projects", "--feld", feld)]
    assert got == want


def test_projects_stadt_bonn() -> None:
    want = [n for s, n, _ in PROJECTS if s == "Bonn"]
    assert len(want) == 3
    for query in ("Bonn", "bonn"):
        rows = csv_out("projects", "--stadt", query)
        assert [r["projekt"] for r in rows] == want
        assert {r["stadt"] for r in rows} == {"Bonn"}


@pytest.mark.parametrize("name", NAMES)
def test_projects_stadt_every_city(name: str) -> None:
    want = [[n, f] for s, n, f in PROJECTS if s == name]
    got = json_out("projects", "--stadt", name)
    assert [[r["projekt"], r["handlungsfelder"]] for r in got] == want
    assert all(r["stadt"] == name for r in got)


def test_projects_city_without_projects() -> None:
    empty = [name for name in NAMES if not BY_NAME[name]["projektbeispiele"]]
    assert empty  # Halle (Saale)
    result = ok("projects", "--stadt", empty[0])
    assert result.stdout == ""
    assert f"{empty[0]} has no example projects" in result.stderr
    assert csv_out("projects", "--stadt", empty[0]) == []


@pytest.mark.parametrize("query", ["open", "OPEN", "Open"])
def test_projects_search_case_insensitive(query: str) -> None:
    want = [(s, n) for s, n, _ in PROJECTS if "open" in n.casefold()]
    assert len(want) >= 3
    assert [(r["stadt"], r["projekt"]) for r in csv_out("projects", "--search", query)] == want


@pytest.mark.parametrize("query", ["bürger", "Buerger", "BÜRGER"])
def test_projects_search_forgives_umlaut_spelling(query: str) -> None:
    want = [(s, n) for s, n, _ in PROJECTS if "bürger" in n.casefold()]
    assert len(want) >= 3
    assert [(r["stadt"], r["projekt"]) for r in csv_out("projects", "--search", query)] == want


def test_projects_filters_combine() -> None:
    want = [n for s, n, f in PROJECTS if s == "Münster" and "Verwaltung" in f]
    assert len(want) == 2
    rows = csv_out("projects", "--stadt", "Münster", "--feld", "Verwaltung")
    assert [r["projekt"] for r in rows] == want


def test_projects_no_match_is_not_an_error() -> None:
    result = ok("projects", "--search", "zzz-nothing-like-this")
    assert result.stdout == ""
    assert "no project matches" in result.stderr
    assert (
        ok("projects", "--search", "zzz-nothing", "-f", "csv").stdout.strip()
        == "stadt,projekt,handlungsfelder"
    )


def test_projects_table_shows_every_project() -> None:
    out = " ".join(ok("projects", "--feld", "Gesundheit").stdout.split())
    for s, n, f in PROJECTS:
        if "Gesundheit" in f:
            assert s in out
            assert n in out


@pytest.mark.parametrize("args", [["--feld", "Kultur"], ["--feld", "xyz"]])
def test_projects_unknown_field_is_usage_error(args: list[str]) -> None:
    result = run("projects", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Handlungsfeld" in result.stderr


def test_projects_unknown_city_exits_1() -> None:
    result = run("projects", "--stadt", "Atlantis")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Atlantis" in result.stderr


# --- fields --------------------------------------------------------------------------------------


def test_fields_counts_match_data() -> None:
    records = json_out("fields")
    assert sorted(r["handlungsfeld"] for r in records) == sorted(FIELDS)
    for record in records:
        want = cities_with(record["handlungsfeld"])
        assert record["staedte"] == want
        assert record["anzahl"] == len(want)
    counts = [r["anzahl"] for r in records]
    assert counts == sorted(counts, reverse=True)


def test_fields_csv() -> None:
    rows = csv_out("fields")
    assert csv_header("fields") == ["handlungsfeld", "anzahl", "staedte"]
    for row in rows:
        assert row["anzahl"] == str(len(cities_with(row["handlungsfeld"])))
        assert row["staedte"] == "; ".join(cities_with(row["handlungsfeld"]))


def test_fields_gesundheit_json() -> None:
    data = json_out("fields", "Gesundheit")
    assert data["handlungsfeld"] == "Gesundheit"
    assert data["staedte"] == cities_with("Gesundheit")
    assert len(data["staedte"]) == 7
    want = [{"stadt": s, "projekt": n, "handlungsfelder": f} for s, n, f in PROJECTS if "Gesundheit" in f]
    assert data["projekte"] == want
    assert {"stadt": "Dortmund", "projekt": "Smart Service Power"}.items() <= next(
        p for p in data["projekte"] if p["stadt"] == "Dortmund"
    ).items()
    assert "Gesundheit" not in fields_of("Dortmund")


@pytest.mark.parametrize("feld", FIELDS)
def test_fields_detail_every_field(feld: str) -> None:
    data = json_out("fields", feld)
    assert data["staedte"] == cities_with(feld)
    assert [[p["stadt"], p["projekt"], p["handlungsfelder"]] for p in data["projekte"]] == [
        [s, n, f] for s, n, f in PROJECTS if feld in f
    ]
    # csv: the field's cities and the cities with a project in it, in file order
    with_project = {s for s, _, f in PROJECTS if feld in f}
    want = [
        {
            "stadt": name,
            "im_handlungsfeld": "1" if feld in fields_of(name) else "0",
            "projekte": "; ".join(n for s, n, f in PROJECTS if s == name and feld in f),
        }
        for name in NAMES
        if feld in fields_of(name) or name in with_project
    ]
    assert csv_out("fields", feld) == want


def test_fields_gesundheit_csv_dortmund() -> None:
    assert csv_header("fields", "Gesundheit") == ["stadt", "im_handlungsfeld", "projekte"]
    rows = {r["stadt"]: r for r in csv_out("fields", "Gesundheit")}
    assert rows["Dortmund"] == {
        "stadt": "Dortmund",
        "im_handlungsfeld": "0",
        "projekte": "Smart Service Power",
    }
    assert rows["Braunschweig"]["im_handlungsfeld"] == "1"
    assert rows["Braunschweig"]["projekte"] == "Ambient Assisted Living"
    assert set(rows) == {*cities_with("Gesundheit"), "Dortmund"}


@pytest.mark.parametrize("query", ["gesundheit", "GESUNDHEIT", "gesund"])
def test_fields_detail_forgiving(query: str) -> None:
    assert json_out("fields", query)["staedte"] == cities_with("Gesundheit")


def test_fields_unknown_is_usage_error() -> None:
    result = run("fields", "Kultur")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_fields_table_bars() -> None:
    lines = ok("fields").stdout.splitlines()
    bars = []
    for feld in FIELDS:
        line = next(line for line in lines if line.startswith(feld + " "))
        count = len(cities_with(feld))
        assert f"{count}/{len(ROWS)}" in line
        assert "█" in line
        bars.append((count, line.count("█")))
    bars.sort(reverse=True)
    assert [b for _, b in bars] == sorted((b for _, b in bars), reverse=True)  # longer bar, more cities
    gesundheit = next(line for line in lines if line.startswith("Gesundheit "))
    assert "7/20" in gesundheit


def test_fields_detail_table() -> None:
    out = ok("fields", "Gesundheit").stdout
    assert f"{len(cities_with('Gesundheit'))} cities" in out
    text = " ".join(out.split())
    for name in cities_with("Gesundheit"):
        assert name in text
    assert "Smart Service Power" in text
    assert "Ambient Assisted Living" in text


# --- matrix --------------------------------------------------------------------------------------


def check_matrix_row(row: dict[str, Any], as_text: bool) -> None:
    fields = fields_of(row["stadt"])
    for feld, key in zip(FIELDS, KEYS, strict=True):
        want = 1 if feld in fields else 0
        assert row[key] == (str(want) if as_text else want), (row["stadt"], key)
    assert row["anzahl"] == (str(len(fields)) if as_text else len(fields))


def test_matrix_csv_matches_data() -> None:
    assert csv_header("matrix") == ["stadt", *KEYS, "anzahl"]
    rows = csv_out("matrix")
    assert [r["stadt"] for r in rows] == NAMES
    for row in rows:
        check_matrix_row(row, as_text=True)


def test_matrix_json_numbers() -> None:
    records = json_out("matrix")
    assert [r["stadt"] for r in records] == NAMES
    for record in records:
        assert list(record) == ["stadt", *KEYS, "anzahl"]
        assert all(type(record[k]) is int for k in [*KEYS, "anzahl"])  # not booleans
        check_matrix_row(record, as_text=False)


def test_matrix_by_coverage() -> None:
    rows = csv_out("matrix", "--by-coverage")
    counts = [int(r["anzahl"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert sorted(r["stadt"] for r in rows) == sorted(NAMES)
    for row in rows:
        check_matrix_row(row, as_text=True)
    # the commonest fields first
    header = csv_header("matrix", "-c")
    assert sorted(header[1:-1]) == sorted(KEYS)
    per_key = {k: len(cities_with(f)) for f, k in zip(FIELDS, KEYS, strict=True)}
    column_counts = [per_key[k] for k in header[1:-1]]
    assert column_counts == sorted(column_counts, reverse=True)


MATRIX_FILTERS: list[tuple[list[str], Callable[[dict[str, str]], bool]]] = [
    (["-b", "NRW"], lambda r: r["bundesland"] == "Nordrhein-Westfalen"),
    (["--bundesland", "sachsen"], lambda r: r["bundesland"] == "Sachsen"),
    (["--feld", "gesundheit"], lambda r: "Gesundheit" in items(r["handlungsfelder"])),
    (
        ["--feld", "Handel", "--feld", "sicherheit"],
        lambda r: {"Handel", "Sicherheit"} <= set(items(r["handlungsfelder"])),
    ),
    (
        ["--feld", "Handel", "--feld", "Gesundheit", "--any"],
        lambda r: bool({"Handel", "Gesundheit"} & set(items(r["handlungsfelder"]))),
    ),
    (["--min-einwohner", "325490"], lambda r: int(r["einwohner"]) >= 325490),  # Bonn's: inclusive
    (["--max-einwohner", "248023"], lambda r: int(r["einwohner"]) <= 248023),  # Braunschweig's
    (["-b", "NRW", "--feld", "Gesundheit"], lambda r: r["stadt"] in ("Duisburg", "Gelsenkirchen")),
]


@pytest.mark.parametrize(("args", "keep"), MATRIX_FILTERS, ids=[" ".join(a) for a, _ in MATRIX_FILTERS])
def test_matrix_filters(args: list[str], keep: Callable[[dict[str, str]], bool]) -> None:
    want = [r["stadt"] for r in ROWS if keep(r)]
    assert want
    rows = csv_out("matrix", *args)
    assert [r["stadt"] for r in rows] == want
    assert [r["stadt"] for r in csv_out("filter", *args)] == want
    for row in rows:
        check_matrix_row(row, as_text=True)


def test_matrix_no_match() -> None:
    result = ok("matrix", "--min-einwohner", "99999999")
    assert result.stdout == ""
    assert "no city matches" in result.stderr
    assert csv_out("matrix", "--min-einwohner", "99999999") == []


def test_matrix_unknown_field_is_usage_error() -> None:
    assert run("matrix", "--feld", "Kultur").exit_code == 2
    assert run("matrix", "-b", "Atlantis").exit_code == 2


def test_matrix_table_nrw() -> None:
    lines = ok("matrix", "-b", "NRW").stdout.splitlines()
    nrw = [r["stadt"] for r in ROWS if r["bundesland"] == "Nordrhein-Westfalen"]
    for name in nrw:
        line = next(line for line in lines if line.startswith(name + " "))
        assert line.count("✓") == len(fields_of(name))
        assert line.split()[-1] == str(len(fields_of(name)))
    for name in set(NAMES) - set(nrw):
        assert not any(line.startswith(name + " ") for line in lines)
    footer = next(line for line in lines if line.startswith("Cities"))
    numbers = [int(token) for token in footer.split() if token.isdigit()]
    assert numbers == [sum(f in fields_of(n) for n in nrw) for f in FIELDS]


# --- similar -------------------------------------------------------------------------------------


@cache
def similar_all(name: str) -> list[dict[str, Any]]:
    return json.loads(ok("similar", name, "-n", "19", "-f", "json").stdout)


def test_similar_darmstadt_default_limit() -> None:
    rows = csv_out("similar", "Darmstadt")
    assert len(rows) == 5
    assert "Darmstadt" not in [r["stadt"] for r in rows]
    assert csv_header("similar", "Darmstadt") == [
        "stadt",
        "score",
        "grund",
        "gemeinsame_felder",
        "felder_zusammen",
        "gemeinsam",
    ]
    table = ok("similar", "Darmstadt").stdout.splitlines()
    listed = [name for name in NAMES if any(line.startswith(name + " ") for line in table)]
    assert len(listed) == 5
    assert "Darmstadt" not in listed
    assert [r["stadt"] for r in rows] == [r["stadt"] for r in similar_all("Darmstadt")[:5]]


@pytest.mark.parametrize("limit", ["0", "1", "3", "19", "25"])
def test_similar_limit(limit: str) -> None:
    rows = json_out("similar", "Darmstadt", "-n", limit)
    assert len(rows) == min(int(limit), 19)


def test_similar_all_others_once() -> None:
    rows = similar_all("Darmstadt")
    assert sorted(r["stadt"] for r in rows) == sorted(n for n in NAMES if n != "Darmstadt")


@pytest.mark.parametrize("name", NAMES)
def test_similar_matches_data(name: str) -> None:
    rows = similar_all(name)
    assert sorted(r["stadt"] for r in rows) == sorted(n for n in NAMES if n != name)
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    mine = set(fields_of(name))
    for row in rows:
        other = row["stadt"]
        theirs = set(fields_of(other))
        shared, union = len(mine & theirs), len(mine | theirs)
        assert (row["gemeinsame_felder"], row["felder_zusammen"]) == (shared, union), other
        if union:
            assert row["grund"].startswith(f"shares {shared}/{union} fields"), (other, row["grund"])
        same_land = BY_NAME[name]["bundesland"] == BY_NAME[other]["bundesland"]
        assert (f"both in {BY_NAME[name]['bundesland']}" in row["grund"]) == same_land, (other, row["grund"])
        # every programme or network title that both name (»quoted«) is among the shared items
        both = quoted("; ".join(named_items(name))) & quoted("; ".join(named_items(other)))
        assert {f"»{t}«" for t in both} <= set(row["gemeinsam"]), (other, row["gemeinsam"])
        # and every shared item is one of this city's own networks or programmes (or its title)
        own = set(named_items(name)) | {f"»{t}«" for t in quoted("; ".join(named_items(name)))}
        assert set(row["gemeinsam"]) <= own, (other, row["gemeinsam"])
        assert ("both name" in row["grund"]) == bool(row["gemeinsam"])


def test_similar_is_symmetric() -> None:
    score = {(name, r["stadt"]): r["score"] for name in NAMES for r in similar_all(name)}
    for (a, b), value in score.items():
        assert score[(b, a)] == value, (a, b)


def test_similar_shared_programme_freiburg_heidelberg() -> None:
    title = "Digitale Zukunftskommune@bw"
    assert title in quoted(BY_NAME["Freiburg im Breisgau"]["foerderprogramme"])
    assert title in quoted(BY_NAME["Heidelberg"]["foerderprogramme"])
    for a, b in (("Freiburg im Breisgau", "Heidelberg"), ("Heidelberg", "Freiburg im Breisgau")):
        row = next(r for r in similar_all(a) if r["stadt"] == b)
        assert f"»{title}«" in row["gemeinsam"]
        assert f"»{title}«" in row["grund"]
    rows = {r["stadt"]: r for r in csv_out("similar", "Freiburg", "-n", "19")}
    assert f"»{title}«" in rows["Heidelberg"]["gemeinsam"].split("; ")


def test_similar_darmstadt_reason_text() -> None:
    rows = similar_all("Darmstadt")
    mine = set(fields_of("Darmstadt"))
    for row in rows:
        theirs = set(fields_of(row["stadt"]))
        assert f"shares {len(mine & theirs)}/{len(mine | theirs)} fields" in row["grund"]
    table = " ".join(ok("similar", "Darmstadt").stdout.split())
    for row in rows[:5]:
        assert row["stadt"] in table
        assert row["grund"].split(",")[0] in table


def test_similar_city_without_fields() -> None:
    for row in similar_all("Halle (Saale)"):
        n = len(fields_of(row["stadt"]))
        assert row["gemeinsame_felder"] == 0
        assert row["grund"].startswith(f"shares 0/{n} fields")


def test_similar_unknown_city() -> None:
    result = run("similar", "Atlantis")
    assert result.exit_code == 1
    assert result.stdout == ""


# --- stats ---------------------------------------------------------------------------------------


def summary(values: list[int]) -> dict[str, float | int]:
    return {"summe": sum(values), "median": statistics.median(values), "min": min(values), "max": max(values)}


EINWOHNER = [int(r["einwohner"]) for r in ROWS]
FLAECHE = [int(r["flaeche_km2"]) for r in ROWS]
FELDER_PRO_STADT = [len(fields_of(n)) for n in NAMES]
PER_LAND = Counter(r["bundesland"] for r in ROWS)


def test_stats_json_matches_data() -> None:
    data = json_out("stats")
    assert data["staedte"] == len(ROWS) == 20
    assert data["einwohner"] == summary(EINWOHNER)
    assert data["flaeche_km2"] == summary(FLAECHE)
    assert data["handlungsfelder_pro_stadt"] == summary(FELDER_PRO_STADT)
    assert data["staedte_pro_bundesland"] == dict(PER_LAND)
    assert data["staedte_pro_bundesland"]["Nordrhein-Westfalen"] == 7
    counts = list(data["staedte_pro_bundesland"].values())
    assert counts == sorted(counts, reverse=True)
    assert data["handlungsfelder"] == {f: len(cities_with(f)) for f in FIELDS}


@pytest.mark.parametrize(
    ("title", "anzahl"), [("Sofortprogramm Saubere Luft 2017-2020", 4), ("Digitale Zukunftskommune@bw", 3)]
)
def test_stats_funding_programmes(title: str, anzahl: int) -> None:
    want = [r["stadt"] for r in ROWS if f"»{title}«" in r["foerderprogramme"]]
    assert len(want) == anzahl
    entry = next(p for p in json_out("stats")["foerderprogramme"] if p["name"] == f"»{title}«")
    assert entry == {"name": f"»{title}«", "anzahl": anzahl, "staedte": want}


def test_stats_sofortprogramm_cities() -> None:
    entry = next(
        p for p in json_out("stats")["foerderprogramme"] if "Sofortprogramm Saubere Luft" in p["name"]
    )
    assert entry["staedte"] == ["Aachen", "Darmstadt", "Dortmund", "Leipzig"]


def test_stats_counted_items_are_consistent() -> None:
    data = json_out("stats")
    for kind, column in (("netzwerke", "netzwerke"), ("foerderprogramme", "foerderprogramme")):
        entries = data[kind]
        counts = [e["anzahl"] for e in entries]
        assert counts == sorted(counts, reverse=True)
        for entry in entries:
            assert entry["anzahl"] == len(entry["staedte"]) >= 2
            assert len(set(entry["staedte"])) == len(entry["staedte"])
            # a »quoted« title is named (exactly) by at least the cities that name it literally
            literal = [r["stadt"] for r in ROWS if entry["name"] in r[column]]
            assert set(literal) <= set(entry["staedte"])
            assert literal


def test_stats_top() -> None:
    data = json_out("stats", "--top", "1")
    assert len(data["foerderprogramme"]) == 1
    assert len(data["netzwerke"]) <= 1
    assert data["foerderprogramme"][0]["anzahl"] == 4
    assert run("stats", "--top", "0").exit_code == 2


def test_stats_csv_rows() -> None:
    assert csv_header("stats") == ["bereich", "name", "wert"]
    rows = [(r["bereich"], r["name"], r["wert"]) for r in csv_out("stats")]
    assert ("staedte", "anzahl", "20") in rows
    for bereich, values in (
        ("einwohner", EINWOHNER),
        ("flaeche_km2", FLAECHE),
        ("handlungsfelder_pro_stadt", FELDER_PRO_STADT),
    ):
        got = {name: float(wert) for b, name, wert in rows if b == bereich}
        assert got == {k: float(v) for k, v in summary(values).items()}
    assert {name: int(wert) for b, name, wert in rows if b == "bundesland"} == dict(PER_LAND)
    assert {name: int(wert) for b, name, wert in rows if b == "handlungsfeld"} == {
        f: len(cities_with(f)) for f in FIELDS
    }
    assert ("foerderprogramm", "»Sofortprogramm Saubere Luft 2017-2020«", "4") in rows
    assert ("foerderprogramm", "»Digitale Zukunftskommune@bw«", "3") in rows


def test_stats_table() -> None:
    out = ok("stats").stdout
    assert "20 cities" in out
    assert f"{sum(EINWOHNER):,}" in out
    assert f"{max(EINWOHNER):,}" in out
    for land in PER_LAND:
        assert land in out
    assert "Sofortprogramm Saubere Luft 2017-2020" in out


# --- export --sqlite ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "atlas.db"
    result = ok("export", "--sqlite", str(path))
    assert result.stdout == ""
    assert f"wrote {len(ROWS)} cities" in result.stderr
    assert path.is_file()
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    return path


def sqlite_cli(db: Path, sql: str) -> list[dict[str, Any]]:
    """Rows of a query run by the plain sqlite3 program, as JSON."""
    if SQLITE3 is None:
        pytest.skip("the sqlite3 command-line program is not installed")
    result = subprocess.run(
        [SQLITE3, "-json", "-readonly", str(db), sql], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout) if result.stdout.strip() else []


def sqlite_py(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def test_export_staedte(database: Path) -> None:
    assert sqlite_cli(database, "SELECT count(*) AS n FROM staedte") == [{"n": 20}]
    rows = sqlite_cli(database, "SELECT * FROM staedte ORDER BY id")
    assert [r["stadt"] for r in rows] == NAMES
    for got, want in zip(rows, ROWS, strict=True):
        assert got["einwohner"] == int(want["einwohner"])
        assert got["flaeche_km2"] == int(want["flaeche_km2"])
        for column in ("bundesland", "organisation", "strategie"):
            assert got[column] == want[column]


def test_export_atlas_view_equals_the_file(database: Path) -> None:
    rows = sqlite_cli(database, "SELECT * FROM atlas")
    assert [list(r) for r in rows[:1]] == [HEADER]
    assert [{k: str(v) for k, v in r.items()} for r in rows] == ROWS


def test_export_atlas_view_as_text_with_separators(database: Path) -> None:
    if SQLITE3 is None:
        pytest.skip("the sqlite3 command-line program is not installed")
    result = subprocess.run(
        [SQLITE3, "-readonly", "-header", "-separator", "\t", str(database), "SELECT * FROM atlas"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert result.stdout == DATA.read_text(encoding="utf-8")


def test_export_handlungsfelder(database: Path) -> None:
    assert [r["name"] for r in sqlite_cli(database, "SELECT name FROM handlungsfelder ORDER BY id")] == FIELDS
    assert [r[0] for r in sqlite_py(database, "SELECT name FROM handlungsfelder ORDER BY id")] == FIELDS


PAIRS_SQL = """
SELECT s.stadt, h.name FROM stadt_handlungsfelder sh
JOIN staedte s ON s.id = sh.stadt_id JOIN handlungsfelder h ON h.id = sh.feld_id
ORDER BY s.id, sh.position
"""


def test_export_city_fields_join(database: Path) -> None:
    want = [(name, feld) for name in NAMES for feld in fields_of(name)]
    assert sqlite_py(database, PAIRS_SQL) == want
    assert len(want) == sum(FELDER_PRO_STADT)
    if SQLITE3 is not None:
        assert [(r["stadt"], r["name"]) for r in sqlite_cli(database, PAIRS_SQL)] == want
        count = sqlite_cli(database, "SELECT count(*) AS n FROM stadt_handlungsfelder")
        assert count == [{"n": len(want)}]


def test_export_field_counts(database: Path) -> None:
    sql = """SELECT h.name, count(sh.stadt_id) FROM handlungsfelder h
             LEFT JOIN stadt_handlungsfelder sh ON sh.feld_id = h.id GROUP BY h.id ORDER BY h.id"""
    assert sqlite_py(database, sql) == [(f, len(cities_with(f))) for f in FIELDS]


def test_export_projects_join(database: Path) -> None:
    projects = sqlite_py(
        database,
        """SELECT s.stadt, p.id, p.name FROM projekte p JOIN staedte s ON s.id = p.stadt_id
           ORDER BY s.id, p.position""",
    )
    got = []
    for stadt, project_id, name in projects:
        fields = sqlite_py(
            database,
            """SELECT h.name FROM projekt_handlungsfelder ph JOIN handlungsfelder h ON h.id = ph.feld_id
               WHERE ph.projekt_id = ? ORDER BY ph.position""",
            project_id,
        )
        got.append((stadt, name, [f for (f,) in fields]))
    assert got == PROJECTS


def test_export_projects_per_city_cli(database: Path) -> None:
    rows = sqlite_cli(
        database,
        """SELECT s.stadt, count(p.id) AS n FROM staedte s LEFT JOIN projekte p ON p.stadt_id = s.id
           GROUP BY s.id ORDER BY s.id""",
    )
    assert [(r["stadt"], r["n"]) for r in rows] == [
        (n, len(items(BY_NAME[n]["projektbeispiele"]))) for n in NAMES
    ]
    sql = """SELECT h.name AS feld, count(*) AS n FROM projekt_handlungsfelder ph
             JOIN handlungsfelder h ON h.id = ph.feld_id GROUP BY h.id ORDER BY h.id"""
    per_field = Counter(f for _, _, fields in PROJECTS for f in fields)
    assert {r["feld"]: r["n"] for r in sqlite_cli(database, sql)} == dict(per_field)


@pytest.mark.parametrize(
    ("table", "column"), [("netzwerke", "name"), ("foerderprogramme", "name"), ("links", "url")]
)
def test_export_list_tables(database: Path, table: str, column: str) -> None:
    got = sqlite_py(
        database,
        f"SELECT s.stadt, t.{column} FROM {table} t JOIN staedte s ON s.id = t.stadt_id "
        "ORDER BY s.id, t.position",
    )
    assert got == [(name, item) for name in NAMES for item in items(BY_NAME[name][table])]


def test_export_readme_query(database: Path) -> None:
    rows = sqlite_cli(
        database,
        """SELECT s.stadt FROM staedte s JOIN stadt_handlungsfelder sh ON sh.stadt_id = s.id
           JOIN handlungsfelder h ON h.id = sh.feld_id
           WHERE h.name = 'Gesundheit' AND s.einwohner > 300000 ORDER BY s.id""",
    )
    want = [n for n in cities_with("Gesundheit") if int(BY_NAME[n]["einwohner"]) > 300000]
    assert [r["stadt"] for r in rows] == want


def test_export_foreign_keys(database: Path) -> None:
    assert sqlite_py(database, "PRAGMA foreign_key_check") == []
    assert sqlite_py(database, "PRAGMA integrity_check") == [("ok",)]
    for table in ("stadt_handlungsfelder", "projekte", "projekt_handlungsfelder", "netzwerke", "links"):
        assert sqlite_py(database, f"PRAGMA foreign_key_list({table})"), table
    assert sqlite_cli(database, "PRAGMA foreign_key_check") == []


def test_export_refuses_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "atlas.db"
    target.write_bytes(b"keep me")
    result = run("export", "--sqlite", str(target))
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert result.stdout == ""
    assert target.read_bytes() == b"keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["atlas.db"]  # no temporary file left


def test_export_force_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "atlas.db"
    target.write_bytes(b"old")
    result = ok("export", "--sqlite", str(target), "--force")
    assert "wrote 20 cities" in result.stderr
    assert target.read_bytes().startswith(b"SQLite format 3\x00")
    assert sqlite_py(target, "SELECT count(*) FROM staedte") == [(20,)]
    assert [p.name for p in tmp_path.iterdir()] == ["atlas.db"]
    ok("export", "--sqlite", str(target), "--force")  # and again over a database
    assert sqlite_py(target, "SELECT count(*) FROM atlas") == [(20,)]


def test_export_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ok("export", "--sqlite", "atlas.db")
    assert sqlite_py(tmp_path / "atlas.db", "SELECT count(*) FROM staedte") == [(20,)]


def test_export_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "atlas.db"
    result = run("export", "--sqlite", str(target))
    assert result.exit_code == 1
    assert "missing" in result.stderr
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_export_directory_target(tmp_path: Path, force: list[str]) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    result = run("export", "--sqlite", str(folder), *force)
    assert result.exit_code == 1
    assert "directory" in result.stderr
    assert folder.is_dir()
    assert list(folder.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["folder"]


def test_export_needs_a_file() -> None:
    assert run("export").exit_code == 2


def test_export_file_mode_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        ok("export", "--sqlite", str(tmp_path / "atlas.db"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "atlas.db").stat().st_mode) == 0o644


def test_export_force_leaves_special_files_alone(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("export", "--sqlite", str(fifo), "--force")
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced by a regular file"
    assert result.exit_code == 1


def _unwritable_folder(tmp_path: Path) -> Path:
    if os.geteuid() != 0:
        folder = tmp_path / "readonly"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    if not Path("/proc/self").is_dir():  # root ignores permissions; /proc takes no new files
        pytest.skip("no folder that refuses new files")
    return Path("/proc")


def test_export_unwritable_folder(tmp_path: Path) -> None:
    folder = _unwritable_folder(tmp_path)
    target = folder / "atlas-test-export.db"
    result = atlas("export", "--sqlite", str(target))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert not target.exists()
    assert "unexpected error" not in result.stderr
    assert "cannot write" in result.stderr


# --- a large file (read lazily) gives the same answers --------------------------------------------


@pytest.fixture(scope="module")
def large_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled atlas with a long strategie text in every row: over 4 MB, so it is read lazily."""
    rows = base_rows()
    for cells in rows:
        cells[COL["strategie"]] += " " + "x" * 220_000
    path = write_rows(tmp_path_factory.mktemp("large") / "atlas.tsv", rows)
    assert path.stat().st_size > 4 * 1024 * 1024
    return path


@pytest.mark.parametrize(
    "args", [["projects"], ["fields"], ["fields", "Gesundheit"], ["matrix", "-c"], ["stats"]], ids=" ".join
)
def test_large_file_same_answers(large_file: Path, args: list[str]) -> None:
    assert json_out("--no-cache", "--data", str(large_file), *args) == json_out(*args)


def test_large_file_similar_excludes_the_city(large_file: Path) -> None:
    rows = json_out("--no-cache", "--data", str(large_file), "similar", "Darmstadt", "-n", "19")
    assert "Darmstadt" not in [r["stadt"] for r in rows]
    assert rows == similar_all("Darmstadt")


# --- shell completion -------------------------------------------------------------------------


def complete_bash(line: str) -> list[str]:
    words = line.split(" ")
    result = atlas(
        env={"_ATLAS_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def bash_escaped(name: str) -> str:
    return re.sub(r"([ &()])", r"\\\1", name)


def test_completion_city_umlaut() -> None:
    assert complete_bash("atlas show mü") == ["Münster"]
    assert complete_bash("atlas show muen") == ["Münster"]


COMPLETIONS = [
    ("atlas filter --feld mo", [f for f in FIELDS if f.lower().startswith("mo")]),
    (
        "atlas filter --bundesland nie",
        sorted({r["bundesland"] for r in ROWS if r["bundesland"].startswith("Nie")}),
    ),
    ("atlas compare Bonn d", [n for n in NAMES if n.lower().startswith("d")]),
    ("atlas similar Hal", [bash_escaped(n) for n in NAMES if n.startswith("Hal")]),
    ("atlas projects --stadt Frei", [bash_escaped(n) for n in NAMES if n.startswith("Frei")]),
    ("atlas projects --feld ge", [f for f in FIELDS if f.lower().startswith("ge")]),
    ("atlas matrix --feld ene", [bash_escaped("Energie & Umwelt")]),
    ("atlas fields Ges", [f for f in FIELDS if f.startswith("Ges")]),
    ("atlas show ", [bash_escaped(n) for n in NAMES]),
]


@pytest.mark.parametrize(("line", "want"), COMPLETIONS, ids=[line for line, _ in COMPLETIONS])
def test_completion_bash(line: str, want: list[str]) -> None:
    assert want
    assert complete_bash(line) == want


def test_completion_expected_values() -> None:
    assert complete_bash("atlas filter --feld mo") == ["Mobilität"]
    assert complete_bash("atlas filter --bundesland nie") == ["Niedersachsen"]
    assert complete_bash("atlas compare Bonn d") == ["Darmstadt", "Dortmund", "Dresden", "Duisburg"]
    assert complete_bash("atlas similar Hal") == [r"Halle\ \(Saale\)"]


def test_completion_zsh() -> None:
    result = atlas(env={"_ATLAS_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "atlas show Dar"})
    assert result.returncode == 0, result.stderr
    assert "Darmstadt" in result.stdout
    assert not any(n in result.stdout for n in NAMES if n != "Darmstadt")


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_show_completion_script(shell: str) -> None:
    result = atlas("--show-completion", shell, env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert result.returncode == 0, result.stderr
    assert "_ATLAS_COMPLETE" in result.stdout
    assert f"complete_{shell}" in result.stdout


@pytest.mark.parametrize(
    ("shell", "script", "rc"),
    [("bash", ".bash_completions/atlas.sh", ".bashrc"), ("zsh", ".zfunc/_atlas", ".zshrc")],
)
def test_install_completion(tmp_path: Path, shell: str, script: str, rc: str) -> None:
    result = atlas(
        "--install-completion",
        shell,
        env={"HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "_ATLAS_COMPLETE" in (tmp_path / script).read_text(encoding="utf-8")
    assert (tmp_path / rc).is_file()


PROBE = """
import sys
from atlascli.cli import main
try:
    main([])
except SystemExit:
    pass
print("rich" in sys.modules, "rapidfuzz" in sys.modules, file=sys.stderr)
"""


@pytest.mark.parametrize(
    "env",
    [
        {"_ATLAS_COMPLETE": "complete_bash", "COMP_WORDS": "atlas show mü", "COMP_CWORD": "2"},
        {"_ATLAS_COMPLETE": "complete_bash", "COMP_WORDS": "atlas similar Dar", "COMP_CWORD": "2"},
        {"_ATLAS_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "atlas compare Bonn Mü"},
    ],
    ids=["bash show", "bash similar", "zsh compare"],
)
def test_completion_is_cheap(env: dict[str, str]) -> None:
    result = spawn([sys.executable, "-c", PROBE], env=env)
    assert result.returncode == 0, result.stderr
    assert "Münster" in result.stdout or "Darmstadt" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "False False"  # neither rich nor rapidfuzz
