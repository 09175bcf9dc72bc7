"""One voice: everything atlas says (headings, notes, errors, help) is English; the data's German
terms (Handlungsfelder, Bundesland, the column keys, field names) are names and stay as they are.

Every command's help and a table run of every command are scanned for common German words of
the kind a heading, note or error would use. The bundled data must not contain them (checked
first), so a hit is the tool speaking German, never a city's text."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from harness import command_formats, run

# words a German heading, note or error would use; none is a name in the data
GERMAN = (
    "Häufigste",
    "häufigste",
    "Städte",
    "Summe",
    "pro",
    "keine",
    "kein",
    "nicht",
    "gefunden",
    "Anzahl",
    "Fehler",
    "Beispiel",
    "Beispiele",
    "Hilfe",
    "siehe",
    "oder",
    "nur",
    "Felder",
    "Einwohner/km²",
)
# a whole word: "Städte" but not "Städtetag" nor the data's "Deutschen Städte- und Gemeindebunds"
WORDS = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, GERMAN)) + r")(?![\w-])")

# a table run of every command (each command must be here: a new one is added with its example)
RUNS: dict[str, list[str]] = {
    "list": ["list"],
    "show": ["show", "Darmstadt"],
    "filter": ["filter", "--feld", "Gesundheit"],
    "search": ["search", "open", "data"],
    "compare": ["compare", "Bonn", "Münster", "Aachen"],
    "projects": ["projects", "--feld", "Bildung"],
    "fields": ["fields"],
    "matrix": ["matrix"],
    "similar": ["similar", "Darmstadt"],
    "stats": ["stats"],
    "export": ["export", "--help"],
    "sql": ["sql", "SELECT stadt FROM staedte LIMIT 2"],
    "schema": ["schema"],
    "browse": ["browse", "--help"],  # the app itself needs a terminal: tests/test_browse.py
}
FAILURES = [
    ["show", "Berlinn"],
    ["show"],
    ["filter", "--feld", "Gesundhiet"],
    ["list", "--sort", "nope"],
    ["fields", "Gesundhiet"],
    ["sql", "SELECT nope"],
    ["nope"],
    ["browse"],  # no terminal in the tests
]


def german(text: str) -> list[str]:
    return sorted(set(WORDS.findall(text)))


def test_the_word_list_is_not_in_the_data() -> None:
    data = resources.files("atlascli").joinpath("data/atlas.tsv").read_text(encoding="utf-8")
    assert german(data) == []


def test_every_command_has_a_run() -> None:
    assert sorted(RUNS) == sorted(command_formats())


@pytest.mark.parametrize("name", sorted(RUNS))
def test_help_is_english(name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0
    assert german(result.output) == []


def test_the_app_help_is_english() -> None:
    assert german(run("--help").output) == []


@pytest.mark.parametrize("name", sorted(RUNS))
@pytest.mark.parametrize("columns", ["60", "100"])
def test_table_output_is_english(name: str, columns: str) -> None:
    result = run(*RUNS[name], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    assert german(result.output) == []


@pytest.mark.parametrize("args", FAILURES, ids=" ".join)
def test_errors_are_english(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code != 0
    assert german(result.output) == []


def test_the_scan_finds_german() -> None:
    assert german("Städte pro Bundesland\nHäufigste Netzwerke") == ["Häufigste", "Städte", "pro"]
    assert german("Deutscher Städtetag; des Deutschen Städte- und Gemeindebunds") == []
