"""Property-based tests (hypothesis) of the loader, the TSV writer and the command line.

* Generated valid atlases survive load → ``tsv.dumps`` → load unchanged, and ``list -f json``
  gives back every generated city's fields exactly (the expected records built here from the
  generated values, not by the code under test).
* Arbitrary bytes as a data file: ``load_atlas`` returns an Atlas or raises AtlasDataError, and
  the CLI exits 0 or 1, never with a traceback.
* Arbitrary command-line text as city names, queries and field names: every command exits with
  0, 1 or 2, never with a traceback, and never echoes a raw escape character.

The number of examples per test is bounded for CI (50 by default). For a longer run:

    ATLAS_HYPOTHESIS_EXAMPLES=5000 pytest tests/test_properties.py
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from harness import root_command, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import COLUMNS

from atlascli import tsv
from atlascli.loader import AtlasDataError, load_atlas, parse_atlas
from atlascli.model import ALL_FIELDS, Atlas, City, Project
from atlascli.text import match_key

EXAMPLES = int(os.environ.get("ATLAS_HYPOTHESIS_EXAMPLES", "50"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextmanager
def data_file(content: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "atlas.tsv"
        path.write_bytes(content)
        yield path


# --- generated valid atlases --------------------------------------------------------------------

# Any character a UTF-8 file can hold except the TSV's own separators (tab, LF, CR) and NUL.
CHARS = st.characters(codec="utf-8", exclude_characters="\t\n\r\x00")


def clean_text(
    min_size: int = 0, max_size: int = 30, forbidden: str = "", alphabet: st.SearchStrategy[str] = CHARS
) -> st.SearchStrategy[str]:
    """Text without surrounding blanks (the loader strips them) and without ``forbidden`` characters."""
    return (
        st.text(alphabet, min_size=min_size, max_size=max_size)
        .map(str.strip)
        .filter(lambda s: len(s) >= min_size and not any(c in s for c in forbidden))
    )


ITEM = clean_text(min_size=1, forbidden=";")
PROJECT_NAME = clean_text(min_size=1, forbidden=";()/")
FIELDS = st.lists(st.sampled_from(ALL_FIELDS), unique=True, max_size=len(ALL_FIELDS)).map(tuple)
TOKEN = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"), max_size=12
)
LINK = TOKEN.map(lambda token: f"https://example.org/{token}")


def item_list(element: st.SearchStrategy[str] = ITEM) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(element, max_size=4).map(tuple)


PROJECT = st.builds(Project, name=PROJECT_NAME, handlungsfelder=FIELDS)
NUMBER = st.integers(min_value=0, max_value=10**12)

CITY = st.builds(
    City,
    stadt=clean_text(min_size=1),
    bundesland=clean_text(),
    einwohner=NUMBER,
    flaeche_km2=NUMBER,
    organisation=clean_text(max_size=60),
    strategie=clean_text(max_size=60),
    handlungsfelder=FIELDS,
    netzwerke=item_list(),
    projektbeispiele=st.lists(PROJECT, max_size=4).map(tuple),
    foerderprogramme=item_list(),
    links=item_list(LINK),
)
CITIES = st.lists(CITY, min_size=1, max_size=6, unique_by=lambda c: match_key(c.stadt))


@PROPERTY
@given(CITIES)
def test_dumps_and_load_round_trip(cities: list[City]) -> None:
    text = tsv.dumps(cities)
    with data_file(text.encode("utf-8")) as path:
        first = load_atlas(path)
    assert list(first.cities) == cities
    again = parse_atlas(tsv.dumps(first.cities).encode("utf-8"), "again.tsv")
    assert again.cities == first.cities


@PROPERTY
@given(CITIES)
def test_list_json_gives_back_every_record(cities: list[City]) -> None:
    with data_file(tsv.dumps(cities).encode("utf-8")) as path:
        result = run("--data", str(path), "list", "-f", "json")
        jsonl = run("--data", str(path), "list", "-f", "jsonl")
    assert result.exit_code == 0, result.stderr
    expected = [
        {
            "stadt": c.stadt,
            "bundesland": c.bundesland,
            "einwohner": c.einwohner,
            "flaeche_km2": c.flaeche_km2,
            "organisation": c.organisation,
            "strategie": c.strategie,
            "handlungsfelder": [f.value for f in c.handlungsfelder],
            "netzwerke": list(c.netzwerke),
            "projektbeispiele": [
                {"name": p.name, "handlungsfelder": [f.value for f in p.handlungsfelder]}
                for p in c.projektbeispiele
            ],
            "foerderprogramme": list(c.foerderprogramme),
            "links": list(c.links),
        }
        for c in cities
    ]
    assert json.loads(result.stdout) == expected
    assert [json.loads(line) for line in jsonl.stdout.split("\n") if line] == expected


# --- arbitrary bytes as a data file -------------------------------------------------------------

HEADER = ("\t".join(COLUMNS) + "\n").encode()
ROW = "Bonn\tNordrhein-Westfalen\t325490\t141\tOrg\tStrat\tBildung\tNetz\tProjekt (Bildung)\tFörder\thttps://bonn.de\n"

BYTES = st.one_of(
    st.binary(max_size=400),
    st.binary(max_size=400).map(lambda b: HEADER + b),
    st.binary(max_size=200).map(lambda b: HEADER + ROW.encode() + b),
    # a valid file with a few bytes changed: near-misses reach deeper into the parser
    st.tuples(st.integers(0, len(HEADER) + len(ROW.encode()) - 1), st.binary(min_size=1, max_size=4)).map(
        lambda p: (HEADER + ROW.encode())[: p[0]] + p[1] + (HEADER + ROW.encode())[p[0] + len(p[1]) :]
    ),
    st.text(CHARS | st.sampled_from("\t\n\r;()/"), max_size=300).map(lambda t: HEADER + t.encode("utf-8")),
)


@PROPERTY
@given(BYTES)
def test_arbitrary_bytes_load_or_are_refused(content: bytes) -> None:
    with data_file(content) as path:
        try:
            atlas = load_atlas(path)
        except AtlasDataError as exc:
            assert exc.problems
            assert all(p.path == str(path) for p in exc.problems)
        else:
            assert isinstance(atlas, Atlas) and len(atlas) >= 1
        result = run("--data", str(path), "list", "-f", "csv")
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        assert result.stdout == ""
        assert result.stderr.startswith("atlas: ")
        assert str(path) in result.stderr


# --- arbitrary command-line text ----------------------------------------------------------------

# What a user can type: anything but NUL (argv cannot carry it) and lone surrogates.
ARG_CHARS = st.characters(codec="utf-8", exclude_characters="\x00")
ARG = st.one_of(
    st.text(ARG_CHARS, max_size=30),
    st.text(
        st.sampled_from("[]/()\\-=@äöüÄÖÜßé\u0308\x1b\x07\u202e\u200b ;,.*?'\"bonmüstergdh"), max_size=20
    ),
    st.sampled_from(["", " ", "-", "--", "-h", "--help", "[bold]", "[/]", "Münster", "Mu\u0308nster", "bon"]),
)


def _text_slots() -> dict[str, Callable[[str], list[str]]]:
    """Every place of every command (taken from the app) where the user types free text: each
    text option and argument, the command's other required arguments filled in."""
    slots: dict[str, Callable[[str], list[str]]] = {}
    for name, command in root_command().commands.items():
        params = [p for p in command.params if getattr(p.type, "name", "") == "str"]
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        for target in params:

            def argv(
                text: str, name: str = name, target: Any = target, arguments: list[Any] = arguments
            ) -> list[str]:
                options = [target.opts[0], text] if target.param_type_name == "option" else []
                positional = []
                for argument in arguments:
                    value = text if argument is target else "Bonn"
                    positional += [value, "Bonn"] if argument.nargs == -1 else [value]
                return [name, *options, "--", *positional]

            slots[f"{name} {target.name}"] = argv
    return slots


COMMANDS = _text_slots()


def test_every_command_with_free_text_is_tried() -> None:
    assert {key.split()[0] for key in COMMANDS} >= {"show", "search", "filter", "list", "compare", "projects"}
    assert {"search column", "filter netzwerk", "list columns", "matrix feld", "compare cities"} <= set(
        COMMANDS
    )


@PROPERTY
@given(st.sampled_from(sorted(COMMANDS)), ARG)
def test_arbitrary_command_line_text(command: str, text: str) -> None:
    # in a folder of its own: `export --sqlite TEXT` writes a database named by the text
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        result = run(*COMMANDS[command](text))
    assert result.exit_code in (0, 1, 2), (command, text, result.exit_code)
    # the user's text may be quoted back in a message, but never as a raw control sequence
    assert "\x1b" not in result.output and "\x07" not in result.output, (command, text)
    if result.exit_code != 0:
        assert result.stderr.strip(), (command, text)


_CSV_TEXT = st.text(alphabet=st.sampled_from(list('ab ,"\r\n\t;ü')) | st.characters(), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CSV_TEXT, min_size=1, max_size=5))
def test_a_csv_line_reads_back_as_its_cells(cells: list[str]) -> None:
    from atlascli.render.machine import csv_line

    line = csv_line(cells)
    assert line.endswith("\n")
    (row,) = list(csv.reader(io.StringIO(line, newline=""), strict=True))
    assert row == cells or (cells == [""] and row == [])  # one empty cell: an empty line
