"""Tests of the ``atlas`` command line through Typer's CliRunner, checked against the data itself.

Expectations are computed from ``data/atlas.tsv`` read here with plain string handling (not with
the package's loader), so a wrong loader, filter or renderer cannot agree with itself by accident.
Machine formats are parsed (csv, json) rather than compared as strings.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from harness import FORMATS, command_formats, csv_out, csv_rows, json_out, ok, run
from oracle import (
    BY_NAME,
    COL,
    COLUMNS,
    FIELDS,
    NAMES,
    ROWS,
    base_rows,
    cities_where,
    fields_of,
    project_names,
    row_of,
    write_rows,
)
from oracle import items as _items

import atlascli

COMMANDS = command_formats()  # every command of the app, and whether it takes --format


# --- running the app --------------------------------------------------------------------------


def csv_names(*args: str) -> list[str]:
    return [row["stadt"] for row in csv_out(*args)]


# --- version and help --------------------------------------------------------------------------


def test_version() -> None:
    result = ok("--version")
    assert result.stdout.strip() == f"atlas {atlascli.__version__}"


def test_the_command_list_is_the_apps() -> None:
    assert {"list", "show", "filter", "search", "compare", "export"} <= set(COMMANDS)
    assert [name for name, takes_format in COMMANDS.items() if not takes_format] == [
        "export",
        "schema",
        "browse",
    ]


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_app_help_lists_every_command(flag: str) -> None:
    out = ok(flag).stdout
    assert "Usage" in out
    for command in COMMANDS:
        assert re.search(rf"\b{command}\b", out), command


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize("command", COMMANDS)
def test_command_help(command: str, flag: str) -> None:
    out = ok(command, flag).stdout
    assert f"atlas {command}" in out
    assert "Examples" in out
    assert ("--format" in out) is COMMANDS[command]


# --- list --------------------------------------------------------------------------------------


def test_data_has_twenty_cities() -> None:
    assert len(ROWS) == 20


@pytest.mark.parametrize("fmt", FORMATS)
def test_list_every_format_has_every_city(fmt: str) -> None:
    out = ok("list", "-f", fmt).stdout
    if fmt == "table":
        for name in NAMES:
            assert name in out
        return
    if fmt == "csv":
        rows = csv_rows(out)
        assert [r["stadt"] for r in rows] == NAMES
    elif fmt == "tsv":
        lines = out.splitlines()
        assert lines[0].split("\t") == COLUMNS
        assert [line.split("\t")[0] for line in lines[1:]] == NAMES
    elif fmt == "json":
        records = json.loads(out)
        assert isinstance(records, list)
        assert [r["stadt"] for r in records] == NAMES
    elif fmt == "jsonl":
        lines = out.splitlines()
        assert len(lines) == 20
        assert [json.loads(line)["stadt"] for line in lines] == NAMES
    elif fmt == "markdown":
        lines = out.splitlines()
        assert len(lines) == 22  # header, separator, 20 rows
        pipes = {len(re.findall(r"(?<!\\)\|", line)) for line in lines}
        assert pipes == {len(COLUMNS) + 1}
        assert [line.split("|")[1].strip() for line in lines[2:]] == NAMES


def test_list_csv_cells_match_data() -> None:
    rows = csv_out("list")
    assert [list(r) for r in rows[:1]] == [COLUMNS]
    for got, want in zip(rows, ROWS, strict=True):
        assert got == want


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_list_json_records(fmt: str) -> None:
    out = ok("list", "-f", fmt).stdout
    records = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
    assert len(records) == 20
    for record, row in zip(records, ROWS, strict=True):
        assert list(record) == COLUMNS
        assert type(record["einwohner"]) is int
        assert type(record["flaeche_km2"]) is int
        assert record["einwohner"] == int(row["einwohner"])
        assert record["flaeche_km2"] == int(row["flaeche_km2"])
        assert record["handlungsfelder"] == _items(row["handlungsfelder"])
        assert record["netzwerke"] == _items(row["netzwerke"])
        assert record["foerderprogramme"] == _items(row["foerderprogramme"])
        assert record["links"] == _items(row["links"])
        assert record["organisation"] == row["organisation"]
        assert [p["name"] for p in record["projektbeispiele"]] == project_names(row["stadt"])
        for project in record["projektbeispiele"]:
            assert set(project) == {"name", "handlungsfelder"}
            assert isinstance(project["handlungsfelder"], list)
            assert set(project["handlungsfelder"]) <= set(FIELDS)


def test_list_json_project_fields_match_data() -> None:
    darmstadt = next(r for r in json_out("list") if r["stadt"] == "Darmstadt")
    assert {"name": "Smart Traffic", "handlungsfelder": ["Mobilität", "Energie & Umwelt"]} in darmstadt[
        "projektbeispiele"
    ]


def test_list_json_is_not_ascii_escaped() -> None:
    assert "Münster" in ok("list", "-f", "json").stdout


def test_list_sort_einwohner_is_numeric() -> None:
    rows = csv_out("list", "--sort", "einwohner")
    values = [int(r["einwohner"]) for r in rows]
    assert values == sorted(int(r["einwohner"]) for r in ROWS)
    assert sorted(r["stadt"] for r in rows) == sorted(NAMES)


def test_list_sort_reverse() -> None:
    rows = csv_out("list", "--sort", "einwohner", "--reverse")
    values = [int(r["einwohner"]) for r in rows]
    assert values == sorted((int(r["einwohner"]) for r in ROWS), reverse=True)


def test_list_reverse_without_sort_reverses_file_order() -> None:
    assert csv_names("list", "-r") == NAMES[::-1]


def test_list_limit() -> None:
    assert csv_names("list", "--limit", "3") == NAMES[:3]
    assert len(json_out("list", "-n", "3")) == 3


def test_list_largest_three() -> None:
    largest = sorted(ROWS, key=lambda r: -int(r["einwohner"]))[:3]
    assert csv_names("list", "--sort", "einwohner", "-r", "-n", "3") == [r["stadt"] for r in largest]
    assert [r["stadt"] for r in largest] == ["Dortmund", "Leipzig", "Dresden"]


def test_list_sort_stadt_folds_umlauts() -> None:
    names = csv_names("list", "--sort", "stadt")
    assert names.index("Leipzig") < names.index("Münster") < names.index("Oldenburg")


def test_list_columns_csv() -> None:
    out = ok("list", "-f", "csv", "--columns", "stadt,einwohner").stdout
    reader = csv.DictReader(io.StringIO(out))
    rows = list(reader)
    assert reader.fieldnames == ["stadt", "einwohner"]
    assert [(r["stadt"], r["einwohner"]) for r in rows] == [(r["stadt"], r["einwohner"]) for r in ROWS]


def test_list_columns_json_gives_only_those_keys() -> None:
    records = json_out("list", "--columns", "stadt,einwohner")
    assert [list(r) for r in records] == [["stadt", "einwohner"]] * 20


def test_list_derived_column_density() -> None:
    rows = csv_out("list", "--columns", "stadt,einwohner_pro_km2")
    for got, row in zip(rows, ROWS, strict=True):
        assert float(got["einwohner_pro_km2"]) == pytest.approx(
            int(row["einwohner"]) / int(row["flaeche_km2"]), abs=0.05
        )


@pytest.mark.parametrize("spec", ["stadt,nope", "nope", ","])
def test_list_unknown_column_is_usage_error(spec: str) -> None:
    result = run("list", "-f", "csv", "--columns", spec)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "column" in result.stderr


def test_list_unknown_sort_key_is_usage_error() -> None:
    assert run("list", "--sort", "nope").exit_code == 2


def test_list_negative_limit_is_usage_error() -> None:
    assert run("list", "--limit", "-1").exit_code == 2


def test_list_unknown_format_is_usage_error() -> None:
    assert run("list", "-f", "xml").exit_code == 2


def test_list_tsv_has_no_raw_tab_in_a_cell() -> None:
    lines = ok("list", "-f", "tsv").stdout.split("\n")
    assert lines[-1] == ""
    lines = lines[:-1]
    assert len(lines) == 21
    assert {line.count("\t") for line in lines} == {len(COLUMNS) - 1}
    assert not any("\r" in line for line in lines)


def _table_field_counts(out: str) -> list[str]:
    """The last cell (the number of Handlungsfelder) of each row of the ``list`` table, or of
    each city's block where the terminal is too narrow for a row per city."""
    lines = out.splitlines()
    if not any(line.startswith("━") for line in lines):
        blocks = [[c.strip() for c in line.split("│")] for line in lines]
        return [cells[1] for cells in blocks if cells[0] == "Fields"]
    body = lines[next(i for i, line in enumerate(lines) if line.startswith("━")) + 1 :]
    counts = []
    for line in body:
        cells = [c.strip() for c in line.split("│")]
        if len(cells) > 2 and cells[2]:  # Einwohner does not wrap: a non-blank cell starts a row
            counts.append(cells[-1])
    return counts


@pytest.mark.parametrize(
    "width",
    [
        60,
        80,
        100,
        200,
        50,
        40,
    ],
)
def test_list_table_keeps_every_value_at_width(width: int) -> None:
    out = ok("list", env={"COLUMNS": str(width)}).stdout
    assert _table_field_counts(out) == [str(len(_items(r["handlungsfelder"]))) for r in ROWS]
    assert all(len(line) <= width for line in out.splitlines())


def test_list_table_no_color_has_no_escape_codes() -> None:
    out = ok("list").stdout
    assert "\x1b" not in out
    out = ok("--no-color", "list", env={"NO_COLOR": None, "FORCE_COLOR": "1"}).stdout
    assert "\x1b" not in out


# --- show --------------------------------------------------------------------------------------


def test_show_darmstadt_table() -> None:
    result = ok("show", "Darmstadt")
    assert "Darmstadt" in result.stdout
    assert "Hessen" in result.stdout
    names = project_names("Darmstadt")
    assert names
    for name in names:
        assert name in result.stdout
    assert result.stderr == ""


def test_show_json_is_one_object() -> None:
    record = json_out("show", "darmstadt")
    assert isinstance(record, dict)
    assert record["stadt"] == "Darmstadt"
    assert record["bundesland"] == "Hessen"
    assert list(record) == COLUMNS
    assert record["einwohner"] == int(BY_NAME["Darmstadt"]["einwohner"])


def test_show_jsonl_is_one_line() -> None:
    lines = ok("show", "Bonn", "-f", "jsonl").stdout.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["stadt"] == "Bonn"


def test_show_csv_is_one_row() -> None:
    rows = csv_out("show", "Bonn")
    assert rows == [BY_NAME["Bonn"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Münster", "Münster"),
        ("muenster", "Münster"),
        ("MÜNSTER", "Münster"),
        ("munster", "Münster"),
        (unicodedata.normalize("NFD", "Münster"), "Münster"),
        ("Mu\u0308nster", "Münster"),
        ("halle", "Halle (Saale)"),
        ("Halle/Saale", "Halle (Saale)"),
        ("halle (saale)", "Halle (Saale)"),
        ("freiburg", "Freiburg im Breisgau"),
        ("Freiburg im Breisgau", "Freiburg im Breisgau"),
    ],
)
def test_show_resolves_names_silently(query: str, expected: str) -> None:
    result = ok("show", query, "-f", "json")
    assert json.loads(result.stdout)["stadt"] == expected
    assert result.stderr == ""


@pytest.mark.parametrize(("query", "expected"), [("Oldenbrug", "Oldenburg"), ("Karlsruh", "Karlsruhe")])
def test_show_close_match_says_so_on_stderr(query: str, expected: str) -> None:
    result = ok("show", query, "-f", "json")
    assert json.loads(result.stdout)["stadt"] == expected
    assert f"showing {expected}" in result.stderr
    assert query in result.stderr


def test_show_close_match_note_in_table_mode_too() -> None:
    result = ok("show", "Oldenbrug")
    assert "showing Oldenburg" in result.stderr
    assert "showing" not in result.stdout
    assert "Niedersachsen" in result.stdout


def test_show_city_not_in_atlas() -> None:
    result = run("show", "München")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "not in the atlas" in result.stderr
    assert "München" in result.stderr
    assert "did you mean" not in result.stderr
    for name in NAMES:
        assert name not in result.stderr
    assert result.stderr.strip().splitlines()[1:] == ["atlas: 'atlas list' shows the cities in the atlas"]


def test_show_ambiguous_prefix_lists_candidates() -> None:
    result = run("show", "d")
    assert result.exit_code == 1
    assert result.stdout == ""
    candidates = [n for n in NAMES if n.lower().startswith("d")]
    assert len(candidates) >= 2
    for name in candidates:
        assert name in result.stderr
    for name in set(NAMES) - set(candidates):
        assert name not in result.stderr


def test_show_suggests_close_names() -> None:
    result = run("show", "Dortmburg")
    assert result.exit_code == 1
    assert "Dortmund" in result.stderr
    assert "did you mean" in result.stderr


def test_show_needs_a_city() -> None:
    assert run("show").exit_code == 2


# --- filter ------------------------------------------------------------------------------------


def test_filter_one_field() -> None:
    expected = cities_where(lambda r: "Gesundheit" in _items(r["handlungsfelder"]))
    assert csv_names("filter", "--feld", "Gesundheit") == expected
    assert expected == [
        "Braunschweig",
        "Darmstadt",
        "Dresden",
        "Duisburg",
        "Gelsenkirchen",
        "Heidelberg",
        "Oldenburg",
    ]


def test_filter_one_field_json_records_hold_the_field() -> None:
    records = json_out("filter", "--feld", "Gesundheit")
    assert records
    for record in records:
        assert "Gesundheit" in record["handlungsfelder"]


def test_filter_two_fields_all_must_hold() -> None:
    expected = cities_where(lambda r: {"Gesundheit", "Handel"} <= set(_items(r["handlungsfelder"])))
    got = csv_names("filter", "--feld", "Gesundheit", "--feld", "Handel")
    assert got == expected
    assert set(got) < set(csv_names("filter", "--feld", "Gesundheit"))


def test_filter_any_field() -> None:
    expected = cities_where(lambda r: {"Gesundheit", "Handel"} & set(_items(r["handlungsfelder"])))
    got = csv_names("filter", "--feld", "Gesundheit", "--feld", "Handel", "--any")
    assert got == expected
    assert len(got) > len(csv_names("filter", "--feld", "Gesundheit"))


@pytest.mark.parametrize(
    ("spelling", "field"),
    [
        ("gesundheit", "Gesundheit"),
        ("GESUNDHEIT", "Gesundheit"),
        ("mobilitaet", "Mobilität"),
        ("mobilität", "Mobilität"),
        ("energie", "Energie & Umwelt"),
        ("energie & umwelt", "Energie & Umwelt"),
        ("it", "IT-Infrastruktur"),
        ("daten", "Datenplattform"),
    ],
)
def test_filter_forgiving_field_names(spelling: str, field: str) -> None:
    expected = cities_where(lambda r: field in _items(r["handlungsfelder"]))
    assert expected
    assert csv_names("filter", "--feld", spelling) == expected


@pytest.mark.parametrize("spelling", ["NRW", "NW", "nrw", "nordrhein-westfalen", "Nordrhein-Westfalen"])
def test_filter_bundesland_nrw(spelling: str) -> None:
    expected = cities_where(lambda r: r["bundesland"] == "Nordrhein-Westfalen")
    assert len(expected) == 7
    assert csv_names("filter", "--bundesland", spelling) == expected
    assert csv_names("filter", "-b", spelling) == expected


@pytest.mark.parametrize(
    ("spelling", "land"),
    [
        ("BY", "Bayern"),
        ("SN", "Sachsen"),
        ("Sachsen", "Sachsen"),
        ("ST", "Sachsen-Anhalt"),
        ("BW", "Baden-Württemberg"),
    ],
)
def test_filter_bundesland_other(spelling: str, land: str) -> None:
    expected = cities_where(lambda r: r["bundesland"] == land)
    assert expected
    assert csv_names("filter", "-b", spelling) == expected


def test_filter_unknown_bundesland() -> None:
    result = run("filter", "-b", "Atlantis")
    assert result.exit_code == 2
    assert "Bayern" in result.stderr


def test_filter_population_bounds_inclusive() -> None:
    low, high = 246272, 313559  # Aachen and Münster: the bounds themselves are included
    expected = cities_where(lambda r: low <= int(r["einwohner"]) <= high)
    got = csv_names("filter", "--min-einwohner", str(low), "--max-einwohner", str(high))
    assert got == expected
    assert {"Aachen", "Münster"} <= set(got)
    assert csv_names("filter", "--min-einwohner", "500000") == cities_where(
        lambda r: int(r["einwohner"]) >= 500000
    )
    assert csv_names("filter", "--max-einwohner", "200000") == cities_where(
        lambda r: int(r["einwohner"]) <= 200000
    )


def _netzwerk_staedtetag(r: dict[str, str]) -> bool:
    return any("städtetag" in n.lower() for n in _items(r["netzwerke"]))


@pytest.mark.parametrize("text", ["städtetag", "Städtetag", "STÄDTETAG", "staedtetag", "Staedtetag"])
def test_filter_netzwerk_substring(text: str) -> None:
    expected = cities_where(_netzwerk_staedtetag)
    assert expected == ["Bonn", "Braunschweig", "Darmstadt", "Dortmund", "Wuppertal"]
    assert csv_names("filter", "--netzwerk", text) == expected


def test_filter_foerderprogramm() -> None:
    expected = cities_where(
        lambda r: any("stadt.land.digital" in f.lower() for f in _items(r["foerderprogramme"]))
    )
    assert expected
    assert csv_names("filter", "--foerderprogramm", "Stadt.Land.Digital") == expected


def test_filter_projekt() -> None:
    expected = cities_where(lambda r: any("lorawan" in p.lower() for p in project_names(r["stadt"])))
    assert expected == ["Gelsenkirchen", "Karlsruhe"]
    assert csv_names("filter", "--projekt", "lorawan") == expected


def test_filter_projekt_matches_names_not_fields() -> None:
    # "Mobilität" is a project field of many cities; as a project name it is rarer
    expected = cities_where(lambda r: any("mobilität" in p.lower() for p in project_names(r["stadt"])))
    assert csv_names("filter", "--projekt", "mobilität") == expected


def test_filter_conditions_combine() -> None:
    expected = cities_where(
        lambda r: (
            r["bundesland"] == "Nordrhein-Westfalen"
            and "Mobilität" in _items(r["handlungsfelder"])
            and int(r["einwohner"]) >= 300000
        )
    )
    got = csv_names("filter", "-b", "NRW", "--feld", "mobilitaet", "--min-einwohner", "300000")
    assert got == expected
    assert got


def test_filter_without_conditions_gives_all() -> None:
    assert csv_names("filter") == NAMES


def test_filter_sort_and_limit() -> None:
    gesund = cities_where(lambda r: "Gesundheit" in _items(r["handlungsfelder"]))
    biggest = sorted(gesund, key=lambda n: -int(BY_NAME[n]["einwohner"]))[:2]
    assert csv_names("filter", "--feld", "Gesundheit", "--sort", "einwohner", "-r", "-n", "2") == biggest


def test_filter_unknown_field_lists_valid_values() -> None:
    result = run("filter", "--feld", "Raumfahrt")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Raumfahrt" in result.stderr
    for field in FIELDS:
        assert field in result.stderr


def test_filter_ambiguous_field() -> None:
    result = run("filter", "--feld", "ge")
    assert result.exit_code == 2
    assert "ambiguous" in result.stderr
    assert "Gesellschaft" in result.stderr
    assert "Gesundheit" in result.stderr


def test_filter_empty_result() -> None:
    args = ("filter", "--feld", "Gesundheit", "-b", "BY")
    assert not cities_where(
        lambda r: r["bundesland"] == "Bayern" and "Gesundheit" in _items(r["handlungsfelder"])
    )
    as_csv = ok(*args, "-f", "csv")
    assert as_csv.stdout == ",".join(COLUMNS) + "\n"
    as_json = ok(*args, "-f", "json")
    assert json.loads(as_json.stdout) == []
    as_jsonl = ok(*args, "-f", "jsonl")
    assert as_jsonl.stdout == ""
    as_table = ok(*args)
    assert as_table.stdout == ""
    assert "no city" in as_table.stderr
    assert as_csv.stderr == as_json.stderr == ""


# --- compare -----------------------------------------------------------------------------------


def test_compare_table() -> None:
    out = ok("compare", "Bonn", "Münster").stdout
    for text in ("Bonn", "Münster", "Nordrhein-Westfalen", *FIELDS):
        assert text in out
    assert "\x1b" not in out


def test_compare_json() -> None:
    record = json_out("compare", "Bonn", "Münster")
    assert isinstance(record, dict)
    assert [c["stadt"] for c in record["staedte"]] == ["Bonn", "Münster"]
    assert all(list(c) == COLUMNS for c in record["staedte"])
    bonn, muenster = set(fields_of("Bonn")), set(fields_of("Münster"))
    felder = record["handlungsfelder"]
    assert felder["alle"] == [f for f in FIELDS if f in bonn & muenster]
    assert felder["nur_in"] == {
        "Bonn": [f for f in FIELDS if f in bonn - muenster],
        "Münster": [f for f in FIELDS if f in muenster - bonn],
    }
    assert felder["keine"] == [f for f in FIELDS if f not in bonn | muenster]
    assert felder["alle"] == [
        "Bildung",
        "Datenplattform",
        "Energie & Umwelt",
        "IT-Infrastruktur",
        "Verwaltung",
    ]


def test_compare_three_cities_json() -> None:
    names = ["Dresden", "Leipzig", "Chemnitz"]
    record = json_out("compare", *names)
    sets = {n: set(fields_of(n)) for n in names}
    felder = record["handlungsfelder"]
    assert felder["alle"] == [f for f in FIELDS if all(f in s for s in sets.values())]
    for name in names:
        others = set().union(*(s for n, s in sets.items() if n != name))
        assert set(felder["nur_in"][name]) == sets[name] - others


def test_compare_csv() -> None:
    out = ok("compare", "Bonn", "Münster", "-f", "csv").stdout
    reader = csv.reader(io.StringIO(out))
    header, *rows = list(reader)
    assert header == ["attribut", "Bonn", "Münster"]
    by_attr = {row[0]: row[1:] for row in rows}
    assert len(by_attr) == len(rows)
    assert all(len(row) == 3 for row in rows)
    for field in FIELDS:
        assert by_attr[field] == [
            "1" if field in fields_of("Bonn") else "0",
            "1" if field in fields_of("Münster") else "0",
        ]
    assert by_attr["einwohner"] == [BY_NAME["Bonn"]["einwohner"], BY_NAME["Münster"]["einwohner"]]
    assert by_attr["bundesland"] == ["Nordrhein-Westfalen", "Nordrhein-Westfalen"]


@pytest.mark.parametrize(
    ("pair", "column", "shared"),
    [
        (("Gelsenkirchen", "Karlsruhe"), "projektbeispiele", ["LoRaWAN"]),
        (("Münster", "Oldenburg"), "projektbeispiele", ["Schul-IT"]),
        (("Darmstadt", "Münster"), "foerderprogramme", ["»Stadt.Land.Digital« des BMWi"]),
        (("Bonn", "Münster"), "netzwerke", []),
    ],
)
def test_compare_json_shared_items(pair: tuple[str, str], column: str, shared: list[str]) -> None:
    record = json_out("compare", *pair)
    assert record["gemeinsam"][column] == shared

    def named(city: str) -> set[str]:
        items = project_names(city) if column == "projektbeispiele" else _items(BY_NAME[city][column])
        return {i.casefold() for i in items}

    assert {i.casefold() for i in shared} == named(pair[0]) & named(pair[1])


def test_compare_table_stars_shared_items() -> None:
    out = ok("compare", "Gelsenkirchen", "Karlsruhe").stdout
    assert out.count("★ LoRaWAN") == 2


def test_compare_json_shared_item_listed_once_across_spellings(tmp_path: Path) -> None:
    rows = base_rows()
    row_of(rows, "Bonn")[COL["netzwerke"]] = "Deutscher Städtetag"
    row_of(rows, "Münster")[COL["netzwerke"]] = "Deutscher Staedtetag"
    path = write_rows(tmp_path / "spellings.tsv", rows)
    record = json.loads(ok("--data", str(path), "compare", "Bonn", "Münster", "-f", "json").stdout)
    assert record["gemeinsam"]["netzwerke"] == ["Deutscher Städtetag"]


def test_compare_resolves_forgiving_names() -> None:
    record = json_out("compare", "bonn", "muenster")
    assert [c["stadt"] for c in record["staedte"]] == ["Bonn", "Münster"]


def test_compare_needs_two_cities() -> None:
    result = run("compare", "Bonn")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "two" in result.stderr


def test_compare_same_city_twice_is_usage_error() -> None:
    assert run("compare", "Bonn", "bonn").exit_code == 2


def test_compare_unknown_city() -> None:
    result = run("compare", "Bonn", "Atlantis")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Atlantis" in result.stderr


# --- data from the user: markup and escapes stay data -------------------------------------------

EVIL = "Evil [bold]x[/] \x1b[31mred [link=http://evil]y[/link] end"


@pytest.fixture
def evil_atlas(tmp_path: Path) -> Path:
    rows = base_rows()
    row_of(rows, "Bonn")[COL["organisation"]] = EVIL
    return write_rows(tmp_path / "evil atlas.tsv", rows)


def test_markup_in_data_is_shown_literally(evil_atlas: Path) -> None:
    result = ok("--data", str(evil_atlas), "show", "Bonn")
    assert "[bold]x[/]" in result.stdout
    assert "[link=http://evil]y[/link]" in result.stdout
    assert "\x1b" not in result.stdout
    assert "[31mred" in result.stdout  # the ESC is removed, the rest is shown


def test_markup_in_data_in_list_table(evil_atlas: Path) -> None:
    result = ok("--data", str(evil_atlas), "list", "--columns", "stadt,organisation")
    assert "[bold]x[/]" in result.stdout
    assert "\x1b" not in result.stdout


def test_markup_in_data_search_table(evil_atlas: Path) -> None:
    result = ok("--data", str(evil_atlas), "search", "evil")
    assert "Bonn" in result.stdout
    assert "\x1b" not in result.stdout


def test_machine_formats_keep_cells_byte_exact(evil_atlas: Path) -> None:
    record = json.loads(ok("--data", str(evil_atlas), "show", "Bonn", "-f", "json").stdout)
    assert record["organisation"] == EVIL
    rows = csv_out("--data", str(evil_atlas), "show", "Bonn")
    assert rows[0]["organisation"] == EVIL


def test_atlas_data_env_var_selects_file(evil_atlas: Path) -> None:
    result = ok("show", "Bonn", "-f", "json", env={"ATLAS_DATA": str(evil_atlas)})
    assert json.loads(result.stdout)["organisation"] == EVIL
    plain = ok("show", "Bonn", "-f", "json")
    assert json.loads(plain.stdout)["organisation"] == BY_NAME["Bonn"]["organisation"]


def test_data_option_beats_env_var(evil_atlas: Path) -> None:
    small = write_rows(evil_atlas.parent / "small.tsv", [row_of(base_rows(), "Aachen")])
    result = ok("--data", str(small), "list", "-f", "json", env={"ATLAS_DATA": str(evil_atlas)})
    assert [r["stadt"] for r in json.loads(result.stdout)] == ["Aachen"]


def test_markdown_escapes_pipes_in_data(tmp_path: Path) -> None:
    rows = base_rows()
    cells = rows[0]
    cells[COL["organisation"]] = "A | B \\| C"
    path = write_rows(tmp_path / "pipes.tsv", rows)
    out = ok("--data", str(path), "list", "-f", "markdown").stdout.splitlines()
    pipes = {len(re.findall(r"(?<!\\)(?:\\\\)*\|", line)) for line in out}
    assert pipes == {len(COLUMNS) + 1}
    assert json.loads(ok("--data", str(path), "show", cells[0], "-f", "json").stdout)["organisation"] == (
        "A | B \\| C"
    )
