"""Hostile input: unusual bytes and hostile text in valid files, and spreadsheet safety. Broken
files are test_loader's (one table, each file through the CLI and through ``load_atlas``).

* A BOM and CRLF line ends change nothing; a cell at the limit (a million characters) is kept whole.
* Hostile text in a valid file (Rich markup, ANSI/OSC escapes, C0/C1 controls, bidi overrides,
  zero-width characters, a 10,000-character word, emoji, decomposed umlauts) shows as harmless
  literal text in every table, and every machine format keeps every cell exactly as in the file.
* ``--excel-safe`` neutralises formula-like cells in csv/tsv; without it csv is byte-exact.

Expected values come from the raw file as the oracle reads it (plain string handling).
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import unicodedata
from pathlib import Path

import pytest
from harness import command_formats, ok
from oracle import COL, COLUMNS, DATA, LIST_COLUMNS, base_rows, items, row_of, write_rows
from oracle import record as record_of

from atlascli.loader import load_atlas
from atlascli.render.machine import excel_safe
from atlascli.validate import CELL_LIMIT

# the hostile files are checked on a wide, colour-capable terminal, with colour off or forced on
WIDE: dict[str, str | None] = {"COLUMNS": "200", "TERM": "xterm-256color", "COLORTERM": None}
PLAIN: dict[str, str | None] = {**WIDE, "NO_COLOR": "1", "FORCE_COLOR": None}
COLOUR: dict[str, str | None] = {**WIDE, "NO_COLOR": None, "FORCE_COLOR": "1"}


# =============================================================================================
# 1. Valid files with unusual bytes: a BOM, CRLF line ends, a cell at the size limit
# =============================================================================================


def test_bom_and_crlf_load_like_the_plain_file(tmp_path: Path) -> None:
    plain = tmp_path / "plain.tsv"
    plain.write_bytes(DATA.read_bytes())
    windows = tmp_path / "windows.tsv"
    windows.write_bytes(b"\xef\xbb\xbf" + DATA.read_bytes().replace(b"\n", b"\r\n"))
    assert load_atlas(windows).cities == load_atlas(plain).cities
    for fmt in ("csv", "json", "tsv"):
        a = ok("--data", str(plain), "list", "-f", fmt).stdout_bytes
        b = ok("--data", str(windows), "list", "-f", fmt).stdout_bytes
        assert a == b


def test_a_cell_at_the_limit_is_kept_whole(tmp_path: Path) -> None:
    rnd = random.Random(1)
    words = ["Digitalisierung", "Münster", "Straße", "🚀", "[bold]", "x"]
    big = " ".join(rnd.choice(words) for _ in range(200_000))[:CELL_LIMIT].strip()
    assert len(big) > CELL_LIMIT - 20  # over a megabyte of UTF-8
    rows = base_rows()
    row_of(rows, "Bonn")[COL["strategie"]] = big
    path = write_rows(tmp_path / "big.tsv", rows)
    assert load_atlas(path)["Bonn"].strategie == big
    record = json.loads(ok("--data", str(path), "show", "Bonn", "-f", "json").stdout)
    assert record["strategie"] == big
    assert parse_output("tsv", ok("--data", str(path), "list", "-f", "tsv").stdout_bytes) == rows


# =============================================================================================
# 2. Hostile text in a valid file
# =============================================================================================

MARKUP = "[bold]x[/] [/] [link=http://evil.example]y[/link] [words]"
ESCAPES = (
    "\x1b[31mRED\x1b[0m \x1b]8;;http://evil\x07click\x1b]8;;\x07 \x1b]0;title\x07 \x1b[2Jclear \x1b[5mblink"
)
CONTROLS = "BEL\x07 BS\x08 NEL\x85 CSI\x9b31m VT\x0b FF\x0c US\x1f DEL\x7f"  # CR: see test_cr_*
INVISIBLE = "RLO\u202egnp.exe ZW\u200bspace LRI\u2066x\u2069 BOM\ufeffmid"
EMOJI = "🚀🏙️👩‍💻🇩🇪"
HOSTILE = f"{MARKUP} {ESCAPES} {CONTROLS} {INVISIBLE} {EMOJI} Zauberwortxyz"
LONG_WORD = "Lang" + "w" * 10_000
EVIL_CITY = "Evil[bold]Stadt[/]\x1b[31m\u202e\x07"
EVIL_LAND = "[bold]Evilland[/]\x1b[5m\u200b"
NFD_CITY = "Mu\u0308nster-Test"
NFC_CITY = "Münster-Test"
SHARED_NETZ = "[bold]Netz[/]\x1b[31m\u202eWerk\x9b"
SHARED_FOERDER = "\x1b[31mFörder\x85programm\x07 🚀"  # no ";": it separates items
EVIL_PROJECT = "[link=http://evil.example]Projekt[/link]\x1b[5m\u200b (Verwaltung / Mobilität)"

# What must never reach a terminal from the data (Rich emits only SGR and its own OSC 8 links).
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
RICH_SGR = re.compile(r"\x1b\[[0-9;]*m")
RICH_LINK = re.compile(r"\x1b\]8;(?:id=[0-9]+)?;[^\x1b\x07]*\x1b\\")
DATA_SEQUENCES = ("\x1b[31m", "\x1b[5m", "\x1b[2J", "\x1b]0;", "\x1b]8;;http://evil")


def hostile_rows() -> list[list[str]]:
    rows = base_rows()
    bonn = row_of(rows, "Bonn")
    bonn[COL["organisation"]] = HOSTILE
    bonn[COL["strategie"]] = f"{MARKUP} {EMOJI} Strategie"
    bonn[COL["netzwerke"]] = f"{SHARED_NETZ}; {bonn[COL['netzwerke']]}"
    bonn[COL["projektbeispiele"]] = f"{EVIL_PROJECT}; {bonn[COL['projektbeispiele']]}"
    bonn[COL["foerderprogramme"]] = f"{SHARED_FOERDER}; {bonn[COL['foerderprogramme']]}"
    aachen = row_of(rows, "Aachen")
    aachen[COL["strategie"]] = f"Anfang {LONG_WORD} Ende"
    darmstadt = row_of(rows, "Darmstadt")
    darmstadt[COL["stadt"]] = EVIL_CITY
    darmstadt[COL["bundesland"]] = EVIL_LAND
    darmstadt[COL["organisation"]] = ESCAPES
    darmstadt[COL["netzwerke"]] = f"{SHARED_NETZ}; {darmstadt[COL['netzwerke']]}"
    darmstadt[COL["foerderprogramme"]] = f"{SHARED_FOERDER}; {darmstadt[COL['foerderprogramme']]}"
    oldenburg = row_of(rows, "Oldenburg")
    oldenburg[COL["stadt"]] = NFD_CITY
    oldenburg[COL["strategie"]] = f"{EMOJI} {NFD_CITY} {INVISIBLE}"
    return rows


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_rows(tmp_path_factory.mktemp("hostile") / "hostile.tsv", hostile_rows())


def test_hostile_file_is_valid(hostile: Path) -> None:
    atlas = load_atlas(hostile)
    assert len(atlas) == 20
    assert atlas["Bonn"].organisation == HOSTILE
    assert atlas[EVIL_CITY].bundesland == EVIL_LAND
    assert atlas[NFD_CITY].stadt == NFD_CITY


def assert_harmless(out: str, colour: bool) -> str:
    """Check terminal output for anything from the data that could act on a terminal; return it
    without Rich's own styling codes."""
    assert "Traceback" not in out
    for sequence in DATA_SEQUENCES:
        assert sequence not in out, repr(sequence)
    plain = RICH_LINK.sub("", RICH_SGR.sub("", out)) if colour else out
    assert "\x1b" not in plain, repr(plain[plain.index("\x1b") - 40 : plain.index("\x1b") + 40])
    bad = FORBIDDEN.search(out.replace("\x1b", ""))
    assert bad is None, repr(out[max(bad.start() - 40, 0) : bad.end() + 40])
    return plain


TABLE_COMMANDS: dict[str, list[str]] = {
    "show Bonn": ["show", "Bonn"],
    "show evil city": ["show", EVIL_CITY],
    "show long word": ["show", "Aachen"],
    "show NFD": ["show", NFD_CITY],
    "list": ["list"],
    "list hostile columns": [
        "list",
        "--columns",
        "stadt,bundesland,organisation,strategie,netzwerke,projektbeispiele,foerderprogramme,links",
    ],
    "filter": ["filter", "--feld", "Verwaltung", "--columns", "stadt,bundesland,organisation,netzwerke"],
    "filter evil bundesland": ["filter", "-b", EVIL_LAND],
    "search": ["search", "Zauberwortxyz"],
    "search shared": ["search", "Werk", "--in", "netzwerke"],
    "compare": ["compare", "Bonn", EVIL_CITY, NFD_CITY],
    "projects": ["projects"],
    "projects Bonn": ["projects", "--stadt", "Bonn"],
    "fields": ["fields"],
    "fields Verwaltung": ["fields", "Verwaltung"],
    "matrix": ["matrix"],
    "similar Bonn": ["similar", "Bonn"],
    "similar evil": ["similar", EVIL_CITY, "-n", "19"],
    "stats": ["stats"],
    "sql": ["sql", "SELECT stadt, bundesland, organisation, strategie FROM staedte"],
    "sql rows as blocks": ["sql", "SELECT * FROM atlas"],
}


def test_every_table_command_meets_the_hostile_file() -> None:
    """A command added to the app must be added above, with arguments that show the hostile cells."""
    covered = {args[0] for args in TABLE_COMMANDS.values()}
    assert covered == {name for name, takes_format in command_formats().items() if takes_format}


@pytest.mark.parametrize("colour", [False, True], ids=["NO_COLOR", "FORCE_COLOR"])
@pytest.mark.parametrize("name", list(TABLE_COMMANDS))
def test_hostile_text_is_harmless_in_tables(hostile: Path, name: str, colour: bool) -> None:
    result = ok("--data", str(hostile), *TABLE_COMMANDS[name], env=COLOUR if colour else PLAIN)
    assert result.stdout.strip()
    if colour:
        assert "\x1b[" in result.stdout  # colour really was on
    assert_harmless(result.stdout, colour)
    assert_harmless(result.stderr, colour=False)


@pytest.mark.parametrize("colour", [False, True], ids=["NO_COLOR", "FORCE_COLOR"])
def test_hostile_text_shows_literally_in_show(hostile: Path, colour: bool) -> None:
    out = ok("--data", str(hostile), "show", "Bonn", env=COLOUR if colour else PLAIN).stdout
    plain = assert_harmless(out, colour)
    for literal in ("[bold]x[/]", "[/]", "[link=http://evil.example]y[/link]", "[words]"):
        assert literal in plain
    # escape sequences lose their ESC/BEL and show as inert text
    for literal in ("[31mRED[0m", "]8;;http://evilclick]8;;", "]0;title", "[2Jclear", "CSI31m", "DEL"):
        assert literal in plain
    assert "gnp.exe" in plain and "ZWspace" in plain
    assert "🚀" in plain and "Zauberwortxyz" in plain
    assert "[link=http://evil.example]Projekt[/link]" in plain


def test_hostile_city_name_shows_literally(hostile: Path) -> None:
    plain = assert_harmless(ok("--data", str(hostile), "list", env=PLAIN).stdout, colour=False)
    assert "Evil[bold]Stadt[/][31m" in plain
    assert "[bold]Evilland[/][5m" in plain


def test_long_word_is_kept_whole_in_show(hostile: Path) -> None:
    out = ok("--data", str(hostile), "show", "Aachen", env={**PLAIN, "COLUMNS": "80"}).stdout
    # folded over many lines, but every character is there and no line is wider than the terminal
    assert max(len(line) for line in out.splitlines()) <= 80
    assert re.sub(r"\s", "", out).count("w") >= 10_000


# --- machine formats keep every cell exactly ----------------------------------------------------


def unescape_tsv(cell: str) -> str:
    return re.sub(r"\\[\\tnr]", lambda m: {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}[m[0]], cell)


def parse_output(fmt: str, data: bytes) -> list[list[str]] | list[dict[str, object]]:
    text = data.decode("utf-8")
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0] == COLUMNS
        return rows[1:]
    if fmt == "tsv":
        lines = text.split("\n")
        assert lines[0].split("\t") == COLUMNS and lines[-1] == ""
        return [[unescape_tsv(c) for c in line.split("\t")] for line in lines[1:-1]]
    if fmt == "json":
        value = json.loads(text)
        return value if isinstance(value, list) else [value]
    return [json.loads(line) for line in text.split("\n") if line]


def test_hostile_cells_are_canonical() -> None:
    """The expectations below compare whole cells, so the file's list cells must be written as the
    tool writes them ("; " between items) and hold no backslashes (TSV escapes)."""
    for row in hostile_rows():
        for name, cell in zip(COLUMNS, row, strict=True):
            assert "\\" not in cell
            if name in LIST_COLUMNS:  # the loader's lenient split agrees with the file's "; "
                assert ([i.strip() for i in cell.split(";")] if cell.strip() else []) == items(cell)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl"])
def test_list_keeps_every_cell(hostile: Path, fmt: str) -> None:
    rows = hostile_rows()
    got = parse_output(fmt, ok("--data", str(hostile), "list", "-f", fmt, env=COLOUR).stdout_bytes)
    if fmt in ("csv", "tsv"):
        assert got == rows
    else:
        assert got == [record_of(r) for r in rows]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl"])
def test_list_with_all_columns_keeps_every_cell(hostile: Path, fmt: str) -> None:
    """Through the frame writer (--columns): list cells joined with "; " in JSON too."""
    rows = hostile_rows()
    out = ok("--data", str(hostile), "list", "-f", fmt, "--columns", ",".join(COLUMNS)).stdout_bytes
    got = parse_output(fmt, out)
    if fmt in ("csv", "tsv"):
        assert got == rows
    else:
        for record, row in zip(got, rows, strict=True):
            assert isinstance(record, dict)
            flat = {k: "; ".join(v) if isinstance(v, list) else str(v) for k, v in record.items()}
            assert flat == dict(zip(COLUMNS, row, strict=True))


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl"])
@pytest.mark.parametrize("city", ["Bonn", EVIL_CITY, NFD_CITY, "Aachen"])
def test_show_keeps_every_cell(hostile: Path, fmt: str, city: str) -> None:
    row = row_of(hostile_rows(), city)
    got = parse_output(fmt, ok("--data", str(hostile), "show", city, "-f", fmt, env=COLOUR).stdout_bytes)
    assert got == ([row] if fmt in ("csv", "tsv") else [record_of(row)])


def test_compare_json_keeps_every_cell(hostile: Path) -> None:
    rows = hostile_rows()
    out = ok("--data", str(hostile), "compare", "Bonn", EVIL_CITY, "-f", "json").stdout
    records = json.loads(out)["staedte"]
    assert records == [record_of(row_of(rows, "Bonn")), record_of(row_of(rows, EVIL_CITY))]


def test_hostile_name_in_machine_headers(hostile: Path) -> None:
    out = ok("--data", str(hostile), "compare", "Bonn", EVIL_CITY, "-f", "csv").stdout
    assert next(csv.reader(io.StringIO(out))) == ["attribut", "Bonn", EVIL_CITY]


def test_tsv_output_is_unambiguous_for_backslashes(tmp_path: Path) -> None:
    rows = base_rows()
    row_of(rows, "Bonn")[COL["organisation"]] = r"Laufwerk C:\new\table und Zeile1" + "\r" + "Zeile2"
    path = write_rows(tmp_path / "backslash.tsv", rows)
    got = parse_output("tsv", ok("--data", str(path), "show", "Bonn", "-f", "tsv").stdout_bytes)
    assert got == [row_of(rows, "Bonn")]


# --- names in any Unicode normal form find the same city -----------------------------------------


@pytest.mark.parametrize("spelling", [NFD_CITY, NFC_CITY, NFC_CITY.upper(), "münster-test", " Münster-Test "])
def test_nfd_and_nfc_find_the_same_city(hostile: Path, spelling: str) -> None:
    result = ok("--data", str(hostile), "show", spelling, "-f", "json")
    assert json.loads(result.stdout)["stadt"] == NFD_CITY  # the file's own spelling in machine output
    assert result.stderr == ""  # an exact match, not a fuzzy guess


def test_nfc_name_in_file_found_by_nfd_query() -> None:
    result = ok("show", unicodedata.normalize("NFD", "Münster"), "-f", "json")
    assert json.loads(result.stdout)["stadt"] == "Münster"
    assert result.stderr == ""


def test_nfd_and_nfc_show_tables_are_identical(hostile: Path) -> None:
    a = ok("--data", str(hostile), "show", NFD_CITY, env=PLAIN).stdout
    b = ok("--data", str(hostile), "show", NFC_CITY, env=PLAIN).stdout
    assert a == b


# --- links: the one place where data goes into an escape sequence ---------------------------------
# The loader refuses a URL with controls, bidi or invisible characters (test_loader's "url with ..."
# cases); the view does not rely on that.


def test_link_target_is_made_safe_in_the_view() -> None:
    # the view does not rely on the loader: a City made in code with such a URL shows harmlessly
    import io

    from atlascli.render.terminal import make_console
    from atlascli.render.views.cities import city_view

    city = load_atlas()["Bonn"]
    evil = city.__class__(
        **{
            **{f: getattr(city, f) for f in city.__dataclass_fields__},
            "links": ("https://evil.example/a\x9b31m\u202eb\u200bc\x1b]0;x\x07",),
        }
    )
    stream = io.StringIO()
    console = make_console(stream=stream)
    console.force_terminal = True  # links are only written on a terminal
    console.print(city_view(console, evil))
    out = stream.getvalue()
    assert "\x9b" not in out and "\u202e" not in out and "\u200b" not in out and "\x07" not in out
    assert "\x1b]0;" not in out


def test_link_with_markup_is_literal(tmp_path: Path) -> None:
    rows = base_rows()
    row_of(rows, "Bonn")[COL["links"]] = "https://evil.example/[bold]x[/]"
    path = write_rows(tmp_path / "links.tsv", rows)
    for env in (PLAIN, COLOUR):
        out = ok("--data", str(path), "show", "Bonn", env=env).stdout
        plain = assert_harmless(out, colour=env is COLOUR)
        assert "https://evil.example/[bold]x[/]" in plain


# =============================================================================================
# 3. --excel-safe
# =============================================================================================

FORMULAS = {
    "organisation": '=HYPERLINK("http://evil.example","klick")',
    "strategie": "+SUM(1+1)*cmd|' /C calc'!A0",
    "netzwerke": "-2+3; =1+1",
    "foerderprogramme": "@SUM(1)",
}
NUMBERS = {"organisation": "-5", "strategie": "+49", "foerderprogramme": "-1.5"}


def excel_rows() -> list[list[str]]:
    rows = base_rows()
    for name, value in FORMULAS.items():
        row_of(rows, "Bonn")[COL[name]] = value
    for name, value in NUMBERS.items():
        row_of(rows, "Aachen")[COL[name]] = value
    row_of(rows, "Leipzig")[COL["organisation"]] = "a=1, b-2, c@d"  # triggers only at the start
    return rows


@pytest.fixture(scope="module")
def excel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_rows(tmp_path_factory.mktemp("excel") / "excel.tsv", excel_rows())


def expected_excel(cell: str) -> str:
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(cell)
        except ValueError:
            return "'" + cell
    return cell


def test_csv_is_byte_exact_without_the_flag(excel: Path) -> None:
    out = ok("--data", str(excel), "list", "-f", "csv").stdout_bytes
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(excel_rows())
    assert out == expected.getvalue().encode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_excel_safe_neutralises_formulas(excel: Path, fmt: str) -> None:
    rows = excel_rows()
    got = parse_output(fmt, ok("--excel-safe", "--data", str(excel), "list", "-f", fmt).stdout_bytes)
    assert got == [[expected_excel(c) for c in row] for row in rows]
    by_name = {r[0]: r for r in got}
    bonn = by_name["Bonn"]
    assert isinstance(bonn, list)
    for name, value in FORMULAS.items():
        assert bonn[COL[name]] == "'" + value
    aachen = by_name["Aachen"]
    assert isinstance(aachen, list)
    for name, value in NUMBERS.items():
        assert aachen[COL[name]] == value
    assert by_name["Leipzig"][COL["organisation"]] == "a=1, b-2, c@d"
    # numbers of the number columns are never touched
    assert [r[COL["einwohner"]] for r in got] == [r[COL["einwohner"]] for r in rows]


def test_excel_safe_leaves_json_alone(excel: Path) -> None:
    a = ok("--excel-safe", "--data", str(excel), "list", "-f", "json").stdout_bytes
    b = ok("--data", str(excel), "list", "-f", "json").stdout_bytes
    assert a == b


def test_excel_safe_in_other_commands(excel: Path) -> None:
    out = ok("--excel-safe", "--data", str(excel), "show", "Bonn", "-f", "csv").stdout
    row = list(csv.reader(io.StringIO(out)))[1]
    assert row[COL["organisation"]] == "'" + FORMULAS["organisation"]
    assert row[COL["einwohner"]] == row_of(excel_rows(), "Bonn")[COL["einwohner"]]


# --- carriage returns inside cells --------------------------------------------------------------

CR_CELLS = {"organisation": "Zeile1\rZeile2", "strategie": "\rCR first"}


def cr_rows() -> list[list[str]]:
    rows = base_rows()
    for name, value in CR_CELLS.items():
        row_of(rows, "Bonn")[COL[name]] = value
    return rows


def test_cr_in_cells_tsv_json_and_terminal(tmp_path: Path) -> None:
    rows = cr_rows()
    path = write_rows(tmp_path / "cr.tsv", rows)
    assert parse_output("tsv", ok("--data", str(path), "list", "-f", "tsv").stdout_bytes) == rows
    got = parse_output("json", ok("--data", str(path), "list", "-f", "json").stdout_bytes)
    assert got == [record_of(r) for r in rows]
    safe = parse_output("tsv", ok("--excel-safe", "--data", str(path), "list", "-f", "tsv").stdout_bytes)
    assert row_of(safe, "Bonn")[COL["strategie"]] == "'\rCR first"  # type: ignore[arg-type]
    out = ok("--data", str(path), "show", "Bonn", env=PLAIN).stdout
    assert "\r" not in assert_harmless(out, colour=False)
    assert "Zeile1Zeile2" in out


@pytest.mark.parametrize("excel_flag", [[], ["--excel-safe"]], ids=["plain", "excel-safe"])
def test_cr_in_cells_csv(tmp_path: Path, excel_flag: list[str]) -> None:
    rows = cr_rows()
    path = write_rows(tmp_path / "cr.tsv", rows)
    got = parse_output("csv", ok(*excel_flag, "--data", str(path), "list", "-f", "csv").stdout_bytes)
    if excel_flag:
        rows = [[expected_excel(c) for c in row] for row in rows]
        assert row_of(rows, "Bonn")[COL["strategie"]] == "'\rCR first"
    assert got == rows


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49 228 77", "'+49 228 77"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5", "-5"),
        ("+49", "+49"),
        ("-1.5", "-1.5"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_excel_safe_function(cell: str, expected: str) -> None:
    assert excel_safe(cell) == expected
