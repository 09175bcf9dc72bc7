"""The import budget of a command: what a fresh interpreter loads to answer it (issue 6).

Not a timing: these tests check which heavy modules are imported, which is what start-up time
follows. Timings live in benchmarks/run.py.
"""

from __future__ import annotations

import json
import sys

import pytest
from harness import spawn

PROBE = """
import json, sys
from atlascli.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def modules_after(*args: str) -> set[str]:
    proc = spawn([sys.executable, "-c", PROBE, *args], env={"COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    line = next(line for line in proc.stderr.splitlines() if line.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


def loaded(modules: set[str], package: str) -> bool:
    return any(m == package or m.startswith(package + ".") for m in modules)


@pytest.mark.parametrize(
    "args",
    [
        ("filter", "--feld", "Gesundheit", "--format", "csv"),
        ("show", "Darmstadt", "--format", "json"),
        ("list", "-f", "tsv"),
        ("search", "Luftreinhaltung", "-f", "csv"),
        ("sql", "SELECT stadt, einwohner FROM atlas", "-f", "json"),
    ],
)
def test_machine_formats_do_not_import_rich(args: tuple[str, ...]) -> None:
    modules = modules_after(*args)
    assert "rich.table" not in modules
    assert not loaded(modules, "rich")
    assert not loaded(modules, "textual")


def test_an_exact_show_does_not_import_rapidfuzz() -> None:
    modules = modules_after("show", "Darmstadt")
    assert not loaded(modules, "rapidfuzz")
    assert "rich.table" in modules  # the table view, for contrast
    assert not loaded(modules, "textual")  # only atlas browse imports it


def test_a_word_the_atlas_contains_is_searched_without_rapidfuzz() -> None:
    assert not loaded(modules_after("search", "Luftreinhaltung", "-f", "csv"), "rapidfuzz")


def test_a_typo_loads_rapidfuzz_when_it_is_needed() -> None:
    assert loaded(modules_after("show", "Oldenbrug", "-f", "json"), "rapidfuzz")
    assert loaded(modules_after("search", "Luftreinhaltng", "-f", "csv"), "rapidfuzz")


def test_only_the_command_being_run_is_built() -> None:
    modules = modules_after("show", "Darmstadt", "-f", "json")
    commands = {m for m in modules if m.startswith("atlascli.cli.commands.")}
    assert commands == {"atlascli.cli.commands.show"}
    assert "atlascli.insights" not in modules


def test_the_stemmer_is_loaded_by_search_only() -> None:
    assert "Stemmer" not in modules_after("show", "Darmstadt", "-f", "json")
    assert "Stemmer" not in modules_after("filter", "--feld", "Gesundheit", "-f", "csv")
    assert "Stemmer" in modules_after("search", "Schulen", "-f", "csv")
