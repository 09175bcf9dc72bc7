"""Tests of atlascli.loader.load_atlas: every kind of broken file is refused with a precise message."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest
from harness import run, spawn
from oracle import COLUMNS

from atlascli.errors import Problem
from atlascli.loader import AtlasDataError, load_atlas
from atlascli.model import Atlas, Handlungsfeld

ROOT = Path(__file__).resolve().parent.parent
HEADER = "\t".join(COLUMNS)
DEFAULTS = {
    "stadt": "Bonn",
    "bundesland": "Nordrhein-Westfalen",
    "einwohner": "325490",
    "flaeche_km2": "141",
    "organisation": "Lenkungskreis Smart City",
    "strategie": "Digitales Bonn",
    "handlungsfelder": "Bildung; Mobilität",
    "netzwerke": "Digital Hub Region Bonn; Cyber Security Cluster",
    "projektbeispiele": "Handyparken (Mobilität); Online-Bürgerservice (Verwaltung / Gesellschaft); Bare",
    "foerderprogramme": "»Lead City« (BMU, BMVI)",
    "links": "https://smartcity.bonn.de/; http://example.org/a?b=1#c",
}


def row(**changes: str) -> str:
    cells = {**DEFAULTS, **changes}
    return "\t".join(cells[c] for c in COLUMNS)


def tsv(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def write(tmp_path: Path, content: str | bytes, name: str = "atlas.tsv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return path


def problems_of(path: Path) -> tuple[Problem, ...]:
    """The problems load_atlas finds in PATH; the CLI must refuse the file with the same report
    (exit 1, nothing on stdout, each line on stderr after "atlas: ", no traceback)."""
    with pytest.raises(AtlasDataError) as info:
        load_atlas(path)
    problems = info.value.problems
    assert problems, "AtlasDataError without problems"
    for p in problems:
        assert p.path == str(path)
        assert str(p).startswith(str(path))
    result = run("--data", str(path), "list", "-f", "csv")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "".join(f"atlas: {line}\n" for line in str(info.value).splitlines())
    return problems


def single_problem(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# --- a valid file, as a baseline ---------------------------------------------------------------


def test_valid_file_loads(tmp_path: Path) -> None:
    atlas = load_atlas(write(tmp_path, tsv(row(), row(stadt="Köln"))))
    assert atlas.names == ("Bonn", "Köln")
    bonn = atlas["Bonn"]
    assert bonn.einwohner == 325490
    assert bonn.flaeche_km2 == 141
    assert bonn.handlungsfelder == (Handlungsfeld.BILDUNG, Handlungsfeld.MOBILITAET)
    assert bonn.netzwerke == ("Digital Hub Region Bonn", "Cyber Security Cluster")
    assert [(p.name, p.handlungsfelder) for p in bonn.projektbeispiele] == [
        ("Handyparken", (Handlungsfeld.MOBILITAET,)),
        ("Online-Bürgerservice", (Handlungsfeld.VERWALTUNG, Handlungsfeld.GESELLSCHAFT)),
        ("Bare", ()),
    ]
    assert bonn.foerderprogramme == ("»Lead City« (BMU, BMVI)",)
    assert bonn.links == ("https://smartcity.bonn.de/", "http://example.org/a?b=1#c")


def test_empty_list_cells_give_empty_tuples(tmp_path: Path) -> None:
    content = tsv(row(handlungsfelder="", netzwerke="", projektbeispiele="", foerderprogramme="", links=""))
    city = load_atlas(write(tmp_path, content))["Bonn"]
    assert city.handlungsfelder == ()
    assert city.netzwerke == ()
    assert city.projektbeispiele == ()
    assert city.foerderprogramme == ()
    assert city.links == ()


def test_bom_and_crlf_load_like_lf(tmp_path: Path) -> None:
    lf = tsv(row(), row(stadt="Köln"))
    crlf = b"\xef\xbb\xbf" + lf.replace("\n", "\r\n").encode("utf-8")
    assert b"\r\n" in crlf
    a = load_atlas(write(tmp_path, lf, "lf.tsv"))
    b = load_atlas(write(tmp_path, crlf, "crlf.tsv"))
    assert a.cities == b.cities
    assert b["Bonn"].links[-1] == "http://example.org/a?b=1#c"


def test_columns_in_a_different_order(tmp_path: Path) -> None:
    order = list(reversed(COLUMNS))
    cells = {**DEFAULTS}
    content = "\t".join(order) + "\n" + "\t".join(cells[c] for c in order) + "\n"
    reordered = load_atlas(write(tmp_path, content, "reordered.tsv"))
    plain = load_atlas(write(tmp_path, tsv(row()), "plain.tsv"))
    assert reordered.cities == plain.cities


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    content = "\n\n" + HEADER + "\n\n" + row() + "\n   \n\n" + row(stadt="Köln") + "\n\n"
    atlas = load_atlas(write(tmp_path, content))
    assert atlas.names == ("Bonn", "Köln")


def test_bundled_atlas_loads_without_argument() -> None:
    atlas = load_atlas()
    assert isinstance(atlas, Atlas)
    assert len(atlas) == 20
    assert "Darmstadt" in atlas
    assert atlas.cities == load_atlas(ROOT / "data" / "atlas.tsv").cities


def test_public_api_import() -> None:
    import atlascli
    from atlascli import load_atlas as exported

    assert exported is load_atlas
    assert {"load_atlas", "AtlasDataError", "Atlas", "City"} <= set(atlascli.__all__)


def test_load_accepts_str_path(tmp_path: Path) -> None:
    path = write(tmp_path, tsv(row()))
    assert load_atlas(str(path)).names == ("Bonn",)


# --- files that are not an atlas ---------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    p = single_problem(write(tmp_path, b""))
    assert "empty" in p.message


def test_whitespace_only_file(tmp_path: Path) -> None:
    p = single_problem(write(tmp_path, b" \n\t\r\n  \n"))
    assert "empty" in p.message


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n\r\n"])
def test_bom_only_file_is_reported_as_empty(tmp_path: Path, content: bytes) -> None:
    p = single_problem(write(tmp_path, content))
    assert "empty" in p.message


def test_header_only(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "\n\n")
    p = single_problem(path)
    assert "no cities" in p.message
    assert str(p) == f"{path}: has a header but no cities"


def test_directory(tmp_path: Path) -> None:
    path = tmp_path / "ordner"
    path.mkdir()
    p = single_problem(path)
    assert "directory" in p.message


def test_latin1_bytes(tmp_path: Path) -> None:
    ascii_only = {"handlungsfelder": "Bildung", "projektbeispiele": "Bare", "foerderprogramme": ""}
    content = tsv(row(**ascii_only), row(**ascii_only, stadt="Köln")).encode("latin-1")
    path = write(tmp_path, content, "latin1.tsv")
    p = single_problem(path)
    assert p.line == 3
    assert "not valid UTF-8" in p.message
    assert "0xf6" in p.message
    assert "column 2" in p.message
    assert "latin1.tsv:3:" in str(p)


def test_nul_byte(tmp_path: Path) -> None:
    content = tsv(row()).encode("utf-8") + b"\x00\x01\x02"
    p = single_problem(write(tmp_path, content, "binary.tsv"))
    assert "NUL" in p.message
    assert p.line == 3
    assert "binary.tsv:3:" in str(p)


# --- header problems ---------------------------------------------------------------------------


def test_missing_column(tmp_path: Path) -> None:
    header = "\t".join(c for c in COLUMNS if c != "links")
    content = header + "\n" + "\t".join(DEFAULTS[c] for c in COLUMNS if c != "links") + "\n"
    path = write(tmp_path, content)
    p = single_problem(path)
    assert "missing column 'links'" in p.message
    assert p.line == 1
    assert str(p).startswith(f"{path}:1:")


def test_unknown_column(tmp_path: Path) -> None:
    content = HEADER + "\tpostleitzahl\n" + row() + "\t53111\n"
    p = single_problem(write(tmp_path, content))
    assert "unknown column 'postleitzahl'" in p.message
    assert "stadt" in p.message, "the message should list the expected columns"
    assert p.line == 1


def test_misspelt_column_is_both_unknown_and_missing(tmp_path: Path) -> None:
    content = HEADER.replace("einwohner", "Einwohner") + "\n" + row() + "\n"
    messages = [p.message for p in problems_of(write(tmp_path, content))]
    assert any("unknown column 'Einwohner'" in m for m in messages)
    assert any("missing column 'einwohner'" in m for m in messages)


def test_duplicate_column(tmp_path: Path) -> None:
    content = HEADER + "\tstadt\n" + row() + "\tBonn\n"
    p = single_problem(write(tmp_path, content))
    assert "'stadt' appears twice" in p.message
    assert p.line == 1


def test_header_after_blank_lines_reports_its_own_line(tmp_path: Path) -> None:
    content = "\n\n" + HEADER.replace("\tlinks", "") + "\n"
    p = single_problem(write(tmp_path, content))
    assert p.line == 3


# --- row problems ------------------------------------------------------------------------------


def test_short_row(tmp_path: Path) -> None:
    short = row().rsplit("\t", 1)[0]
    path = write(tmp_path, tsv(row(stadt="Köln"), short))
    p = single_problem(path)
    assert p.line == 3
    assert "10 cells" in p.message
    assert "expected 11" in p.message
    assert str(p).startswith(f"{path}:3:")


def test_long_row(tmp_path: Path) -> None:
    p = single_problem(write(tmp_path, tsv(row() + "\textra")))
    assert p.line == 2
    assert "12 cells" in p.message
    assert "expected 11" in p.message


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("einwohner", "viele", "'viele' is not a whole number"),
        ("einwohner", "-5", "negative"),
        ("flaeche_km2", "-141", "negative"),
        ("einwohner", "", "empty"),
        ("einwohner", "3.5e5", "not a whole number"),
        ("flaeche_km2", "141,5", "not a whole number"),
    ],
)
def test_bad_numbers(tmp_path: Path, column: str, value: str, expected: str) -> None:
    path = write(tmp_path, tsv(row(**{column: value})))
    p = single_problem(path)
    assert p.column == column
    assert p.line == 2
    assert expected in p.message
    assert str(p).startswith(f"{path}:2: {column}: ")


@pytest.mark.parametrize("value", ["246.272", "246,272", "1.234.567"])
def test_thousands_separator_suggests_plain_number(tmp_path: Path, value: str) -> None:
    p = single_problem(write(tmp_path, tsv(row(einwohner=value))))
    assert p.column == "einwohner"
    assert "thousands" in p.message
    assert value.replace(".", "").replace(",", "") in p.message


def test_thousands_separator_message_for_aachen(tmp_path: Path) -> None:
    p = single_problem(write(tmp_path, tsv(row(einwohner="246.272"))))
    assert "write it as 246272" in p.message


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_city_name(tmp_path: Path, name: str) -> None:
    p = single_problem(write(tmp_path, tsv(row(stadt=name))))
    assert p.column == "stadt"
    assert p.line == 2
    assert "empty" in p.message


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Bonn", "bonn"),
        ("Bonn", "BONN"),
        ("Münster", unicodedata.normalize("NFD", "Münster")),
        (unicodedata.normalize("NFD", "Münster"), "MÜNSTER"),
        ("Halle (Saale)", "Halle  (Saale)"),
    ],
)
def test_duplicate_city(tmp_path: Path, first: str, second: str) -> None:
    assert first != second
    path = write(tmp_path, tsv(row(stadt=first), row(stadt="Köln"), row(stadt=second)))
    p = single_problem(path)
    assert p.line == 4
    assert p.column == "stadt"
    assert "duplicate city" in p.message
    assert "line 2" in p.message
    assert str(p).startswith(f"{path}:4: stadt: ")


def test_unknown_handlungsfeld_lists_valid_ones(tmp_path: Path) -> None:
    p = single_problem(write(tmp_path, tsv(row(handlungsfelder="Bildung; Mobilitaet"))))
    assert p.column == "handlungsfelder"
    assert "'Mobilitaet'" in p.message
    for feld in Handlungsfeld:
        assert feld.value in p.message


def test_handlungsfelder_with_comma_separator_is_refused(tmp_path: Path) -> None:
    p = single_problem(write(tmp_path, tsv(row(handlungsfelder="Bildung, Mobilität"))))
    assert p.column == "handlungsfelder"
    assert "Bildung, Mobilität" in p.message


def test_unknown_field_in_project(tmp_path: Path) -> None:
    path = write(tmp_path, tsv(row(projektbeispiele="Handyparken (Mobilität); X (Foo)")))
    p = single_problem(path)
    assert p.column == "projektbeispiele"
    assert "'Foo'" in p.message
    assert "Mobilität" in p.message
    assert str(p).startswith(f"{path}:2: projektbeispiele: ")


def test_project_without_name(tmp_path: Path) -> None:
    p = single_problem(write(tmp_path, tsv(row(projektbeispiele="(Mobilität)"))))
    assert p.column == "projektbeispiele"
    assert "no name" in p.message


@pytest.mark.parametrize(
    "url",
    ["htp://x", "https://exa mple.com", "www.example.org", "https://", "https:///pfad", "ftp://example.org/"],
)
def test_malformed_url(tmp_path: Path, url: str) -> None:
    path = write(tmp_path, tsv(row(links=f"https://ok.example/; {url}")))
    p = single_problem(path)
    assert p.column == "links"
    assert repr(url) in p.message
    assert "not a valid http(s) URL" in p.message
    assert str(p).startswith(f"{path}:2: links: ")


def test_long_values_are_clipped_in_messages(tmp_path: Path) -> None:
    p = single_problem(write(tmp_path, tsv(row(einwohner="x" * 500))))
    assert len(p.message) < 120
    assert "…" in p.message


def test_several_problems_are_all_reported_in_file_order(tmp_path: Path) -> None:
    content = tsv(
        row(einwohner="viele", links="htp://x"),
        row(stadt="Köln", handlungsfelder="Raumfahrt"),
        row(stadt="Köln"),
        row(stadt="Ulm").rsplit("\t", 2)[0],
    )
    path = write(tmp_path, content)
    problems = problems_of(path)
    assert len(problems) >= 3
    assert [(p.line, p.column) for p in problems] == [
        (2, "einwohner"),
        (2, "links"),
        (3, "handlungsfelder"),
        (5, None),
    ]
    text = str(AtlasDataError(list(problems)))
    assert text.count("\n") == len(problems) - 1


def test_many_problems_are_summarised_after_ten(tmp_path: Path) -> None:
    content = tsv(*(row(stadt=f"Stadt {i}", einwohner="viele") for i in range(14)))
    with pytest.raises(AtlasDataError) as info:
        load_atlas(write(tmp_path, content))
    assert len(info.value.problems) == 14
    lines = str(info.value).split("\n")
    assert len(lines) == 11
    assert lines[-1] == "... and 4 more problems"


# --- the core does not pull in the CLI's dependencies -------------------------------------------


def test_core_modules_import_no_cli_dependencies() -> None:
    code = (
        "import json, sys\n"
        "import atlascli, atlascli.loader, atlascli.model, atlascli.tsv, atlascli.text\n"
        "atlascli.load_atlas()\n"
        "print(json.dumps({m: m in sys.modules for m in ('typer', 'rich', 'rapidfuzz')}))\n"
    )
    result = spawn([sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"typer": False, "rich": False, "rapidfuzz": False}


def test_a_field_listed_twice_is_refused(tmp_path: Path) -> None:
    p = single_problem(write(tmp_path, tsv(row(handlungsfelder="Bildung; Bildung"))))
    assert p.line == 2
    assert p.column == "handlungsfelder"
    assert "listed twice" in p.message
