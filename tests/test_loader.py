"""Tests of atlascli.loader.load_atlas: valid files load, and every kind of broken file is refused
with a precise message, through the API and through the command line.

* :data:`BROKEN` is the one table of broken files. Each case is checked through ``load_atlas`` (the
  problems' file, line, column and message, in file order) and through ``atlas --data`` (exit
  status 1, nothing on stdout, a short message on stderr naming the file, line and column, the same
  report as the API's, no traceback).
* A broken file is the bundled data as the oracle reads it, changed in one place and written back
  by the oracle (or bytes made here); the expected lines are the oracle's lines of the cities
  changed, the expected messages are written out by hand.
"""

from __future__ import annotations

import json
import os
import random
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from harness import atlas, run, spawn
from oracle import COL, COLUMNS, DATA, FIELDS, LINE, NAMES, base_rows, row_of, tsv_text, write_rows

from atlascli.loader import AtlasDataError, load_atlas
from atlascli.model import FIELD_BY_NAME, Atlas, Handlungsfeld, Project

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


def row(**changes: str) -> list[str]:
    """The cells of a small made-up row, in the published order."""
    cells = {**DEFAULTS, **changes}
    return [cells[c] for c in COLUMNS]


def line(**changes: str) -> str:
    return "\t".join(row(**changes))


def write(tmp_path: Path, content: str | bytes, name: str = "atlas.tsv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# --- valid files -------------------------------------------------------------------------------


def test_valid_file_loads(tmp_path: Path) -> None:
    atlas = load_atlas(write_rows(tmp_path / "atlas.tsv", [row(), row(stadt="Köln")]))
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
    empty = row(handlungsfelder="", netzwerke="", projektbeispiele="", foerderprogramme="", links="")
    city = load_atlas(write_rows(tmp_path / "atlas.tsv", [empty]))["Bonn"]
    assert city.handlungsfelder == ()
    assert city.netzwerke == ()
    assert city.projektbeispiele == ()
    assert city.foerderprogramme == ()
    assert city.links == ()


def test_bom_and_crlf_load_like_lf(tmp_path: Path) -> None:
    lf = tsv_text([row(), row(stadt="Köln")])
    crlf = b"\xef\xbb\xbf" + lf.replace("\n", "\r\n").encode("utf-8")
    assert b"\r\n" in crlf
    a = load_atlas(write(tmp_path, lf, "lf.tsv"))
    b = load_atlas(write(tmp_path, crlf, "crlf.tsv"))
    assert a.cities == b.cities
    assert b["Bonn"].links[-1] == "http://example.org/a?b=1#c"


def test_columns_in_a_different_order(tmp_path: Path) -> None:
    order = list(reversed(COLUMNS))
    reordered = load_atlas(write_rows(tmp_path / "reordered.tsv", [[DEFAULTS[c] for c in order]], order))
    plain = load_atlas(write_rows(tmp_path / "plain.tsv", [row()]))
    assert reordered.cities == plain.cities


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    content = "\n\n" + "\t".join(COLUMNS) + "\n\n" + line() + "\n   \n\n" + line(stadt="Köln") + "\n\n"
    atlas = load_atlas(write(tmp_path, content))
    assert atlas.names == ("Bonn", "Köln")


def test_bundled_atlas_loads_without_argument() -> None:
    atlas = load_atlas()
    assert isinstance(atlas, Atlas)
    assert len(atlas) == 20
    assert "Darmstadt" in atlas
    assert atlas.cities == load_atlas(DATA).cities


def test_public_api_import() -> None:
    import atlascli
    from atlascli import load_atlas as exported

    assert exported is load_atlas
    assert {"load_atlas", "AtlasDataError", "Atlas", "City"} <= set(atlascli.__all__)


def test_load_accepts_str_path(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "atlas.tsv", [row()])
    assert load_atlas(str(path)).names == ("Bonn",)


# --- broken files: the table -------------------------------------------------------------------

Make = Callable[[Path], object]  # makes the file (or whatever is there) at a path
Where = tuple[int | None, str | None, str]  # a problem's line, column and (part of its) message


@dataclass(frozen=True)
class Broken:
    """A file the loader refuses: how to make it, and its problems in file order (the first one's
    line, column and message, then any others)."""

    make: Make
    line: int | None
    column: str | None
    message: str  # part of the first problem's message; all of it when exact
    more: tuple[Where, ...] = ()
    exact: bool = False
    marks: tuple[pytest.MarkDecorator, ...] = ()

    @property
    def problems(self) -> tuple[Where, ...]:
        return ((self.line, self.column, self.message), *self.more)


AFTER_LAST = max(LINE.values()) + 1  # the line of a row added after the bundled file's last one


def content(data: Callable[[], bytes]) -> Make:
    """A file of these bytes."""
    return lambda path: path.write_bytes(data())


def with_rows(change: Callable[[list[list[str]]], object]) -> Make:
    """The bundled rows, changed in place by CHANGE, under the published header."""

    def make(path: Path) -> None:
        rows = base_rows()
        change(rows)
        write_rows(path, rows)

    return make


def with_cell(city: str, column: str, value: str) -> Make:
    """The bundled data with one cell of CITY's row replaced."""

    def change(rows: list[list[str]]) -> None:
        row_of(rows, city)[COL[column]] = value

    return with_rows(change)


def with_row(city: str, change: Callable[[list[str]], list[str]]) -> Make:
    """The bundled data with CITY's row replaced by what CHANGE makes of it (more or fewer cells)."""

    def change_rows(rows: list[list[str]]) -> None:
        rows[rows.index(row_of(rows, city))] = change(row_of(rows, city))

    return with_rows(change_rows)


def with_copy(city: str, named: str, renamed: str | None = None) -> Make:
    """The bundled data and, after its last row, a copy of CITY's row named NAMED (CITY's own row
    renamed to RENAMED, if given)."""

    def change(rows: list[list[str]]) -> None:
        original = row_of(rows, city)
        rows.append([named, *original[1:]])
        original[0] = renamed or original[0]

    return with_rows(change)


def every_line(change: Callable[[list[str]], list[str]]) -> Make:
    """The bundled data with CHANGE made to the header and to every row."""
    return lambda path: write_rows(path, [change(r) for r in base_rows()], header=change(list(COLUMNS)))


def without_links(cells: list[str]) -> list[str]:
    return cells[: COL["links"]]


def renamed_stadt(cells: list[str]) -> list[str]:
    return ["Stadt" if c == "stadt" else c for c in cells]


def garbage() -> bytes:
    """Random bytes; the first NUL comes after 300 bytes without a newline (so: line 1)."""
    rnd = random.Random(5)
    head = bytes(b for b in rnd.randbytes(400) if b not in (0, 10))[:300]
    return head + b"\x00" + rnd.randbytes(3000)


def latin1() -> bytes:
    return tsv_text(base_rows()).encode("latin-1", errors="replace")


def latin1_message() -> str:
    """What the loader says of :func:`latin1`: the first byte that is not ASCII on Aachen's line."""
    text = "\t".join(row_of(base_rows(), "Aachen"))
    first = next(i for i, ch in enumerate(text) if ord(ch) > 127)
    return (
        f"is not valid UTF-8 (byte 0x{ord(text[first]):02x} at column {first + 1}); "
        "it may be Latin-1 or Windows-1252: save it as UTF-8"
    )


def cp1252() -> bytes:
    """A line appended in a Windows editor: the lines before Bonn's are UTF-8, Bonn's is Windows-1252."""
    rows = base_rows()
    bonn = row_of(rows, "Bonn")
    bonn[COL["organisation"]] = "„Digitale Stadt“ – 5 Mio €"
    head = tsv_text(rows[: rows.index(bonn)]).encode("utf-8")
    return head + "\t".join(bonn).encode("cp1252", errors="replace") + b"\n"


def unreadable(path: Path) -> None:
    write_rows(path, base_rows())
    path.chmod(0)


def several_problems(rows: list[list[str]]) -> None:
    """Two problems in Aachen's row, one in Augsburg's, none for Bonn named like the refused
    Augsburg row (a duplicate of a refused row is not one), two cells missing in Braunschweig's."""
    aachen = row_of(rows, "Aachen")
    aachen[COL["einwohner"]] = "viele"
    aachen[COL["links"]] = "htp://x"
    row_of(rows, "Augsburg")[COL["handlungsfelder"]] = "Raumfahrt"
    row_of(rows, "Bonn")[COL["stadt"]] = "Augsburg"
    braunschweig = row_of(rows, "Braunschweig")
    del braunschweig[-2:]


def every_einwohner(value: str) -> Make:
    def change(rows: list[list[str]]) -> None:
        for r in rows:
            r[COL["einwohner"]] = value

    return with_rows(change)


def bad_url(city: str, url: str) -> Broken:
    """CITY's links: a good one, then URL."""
    return Broken(
        with_cell(city, "links", f"https://ok.example/; {url}"),
        LINE[city],
        "links",
        f"{url!r} is not a valid http(s) URL",
    )


def number(city: str, column: str, value: str, message: str, exact: bool = False) -> Broken:
    return Broken(with_cell(city, column, value), LINE[city], column, message, exact=exact)


def duplicate(city: str, named: str, renamed: str | None = None) -> Broken:
    return Broken(
        with_copy(city, named, renamed),
        AFTER_LAST,
        "stadt",
        f"duplicate city {named!r} (first on line {LINE[city]})",
    )


def fields(city: str, column: str, value: str, message: str) -> Broken:
    return Broken(with_cell(city, column, value), LINE[city], column, message)


VALID_FIELDS = ", ".join(FIELDS)
ROOT = os.geteuid() == 0
NFD_MUENSTER = unicodedata.normalize("NFD", "Münster")

BROKEN: dict[str, Broken] = {
    # the file itself
    "missing file": Broken(lambda path: None, None, None, "no such file", exact=True),
    "directory": Broken(Path.mkdir, None, None, "is a directory, not an atlas file", exact=True),
    "unreadable file": Broken(
        unreadable,
        None,
        None,
        "permission denied",
        exact=True,
        marks=(pytest.mark.skipif(ROOT, reason="root can read a file whatever its mode"),),
    ),
    "empty": Broken(content(lambda: b""), None, None, "empty"),
    "blank lines only": Broken(content(lambda: b"\n \r\n\t\n"), None, None, "empty"),
    "bom only": Broken(content(lambda: b"\xef\xbb\xbf"), None, None, "empty"),
    "bom and blank lines": Broken(content(lambda: b"\xef\xbb\xbf\r\n\r\n"), None, None, "empty"),
    "header only": Broken(
        content(lambda: tsv_text([]).encode()), None, None, "has a header but no cities", exact=True
    ),
    # bytes that are not UTF-8 text
    "binary garbage": Broken(content(garbage), 1, None, "NUL byte"),
    "nul byte in a row": Broken(
        with_cell("Augsburg", "bundesland", "B\x00ayern"), LINE["Augsburg"], None, "NUL byte"
    ),
    "nul byte after the last row": Broken(
        content(lambda: tsv_text(base_rows()).encode() + b"\x00\x01\x02"), AFTER_LAST, None, "NUL byte"
    ),
    "latin-1": Broken(content(latin1), LINE["Aachen"], None, latin1_message(), exact=True),
    "windows-1252": Broken(content(cp1252), LINE["Bonn"], None, "not valid UTF-8"),
    # the header
    "missing column": Broken(every_line(without_links), 1, None, "missing column 'links'"),
    "unknown column": Broken(
        every_line(lambda c: [*c, "extra"]),
        1,
        None,
        f"unknown column 'extra' (expected: {', '.join(COLUMNS)})",
    ),
    "misspelt column": Broken(
        every_line(renamed_stadt),
        1,
        None,
        "unknown column 'Stadt'",
        more=((1, None, "missing column 'stadt'"),),
    ),
    "doubled column": Broken(every_line(lambda c: [*c, c[0]]), 1, None, "column 'stadt' appears twice"),
    "header after blank lines": Broken(
        content(
            lambda: (
                b"\n\n" + tsv_text([without_links(r) for r in base_rows()], without_links(COLUMNS)).encode()
            )
        ),
        3,
        None,
        "missing column 'links'",
    ),
    # rows of the wrong length
    "short row": Broken(with_row("Bonn", lambda r: r[:-1]), LINE["Bonn"], None, "has 10 cells, expected 11"),
    "long row": Broken(
        with_row("Braunschweig", lambda r: [*r, "more"]),
        LINE["Braunschweig"],
        None,
        "has 12 cells, expected 11",
    ),
    # numbers
    "einwohner not a number": number("Augsburg", "einwohner", "viele", "'viele' is not a whole number"),
    "einwohner decimal": number("Augsburg", "einwohner", "292851.5", "'292851.5' is not a whole number"),
    "einwohner in e-notation": number("Augsburg", "einwohner", "3.5e5", "'3.5e5' is not a whole number"),
    "flaeche with decimal comma": number("Bonn", "flaeche_km2", "141,5", "'141,5' is not a whole number"),
    "einwohner negative": number("Chemnitz", "einwohner", "-5", "'-5' is negative"),
    "flaeche negative": number("Chemnitz", "flaeche_km2", "-141", "'-141' is negative"),
    "einwohner empty": number("Chemnitz", "einwohner", "", "is empty"),
    # a database stores at most 2**63 - 1; int() reads at most 4,300 digits
    "einwohner too large": number(
        "Chemnitz",
        "einwohner",
        "9223372036854775808",
        "'9223372036854775808' is too large (at most 9223372036854775807)",
    ),
    "flaeche of 5,000 digits": number("Chemnitz", "flaeche_km2", "1" * 5000, "111…' is too large"),
    "flaeche empty": number("Chemnitz", "flaeche_km2", "", "is empty"),
    "thousands dot": number(
        "Aachen", "einwohner", "246.272", "'246.272' has thousands separators; write it as 246272", exact=True
    ),
    "thousands comma": number("Aachen", "einwohner", "246,272", "write it as 246272"),
    "thousands twice": number("Aachen", "einwohner", "1.234.567", "write it as 1234567"),
    "long value is clipped": number("Aachen", "einwohner", "x" * 500, "xxx…' is not a whole number"),
    "every row": Broken(
        every_einwohner("x"),
        LINE[NAMES[0]],
        "einwohner",
        "'x' is not a whole number",
        more=tuple((LINE[name], "einwohner", "'x' is not a whole number") for name in NAMES[1:]),
    ),
    # city names
    "empty name": fields("Darmstadt", "stadt", "", "the city name is empty"),
    "blank name": fields("Darmstadt", "stadt", "   ", "the city name is empty"),
    "duplicate city": duplicate("Bonn", "Bonn"),
    "duplicate city in lower case": duplicate("Bonn", "bonn"),
    "duplicate city in upper case": duplicate("Bonn", "BONN"),
    "duplicate city in NFD": duplicate("Münster", NFD_MUENSTER),
    "duplicate city in NFC of NFD": duplicate("Münster", "MÜNSTER", renamed=NFD_MUENSTER),
    "duplicate city with doubled space": duplicate("Halle (Saale)", "Halle  (Saale)"),
    # Handlungsfelder
    "unknown Handlungsfeld": fields(
        "Dortmund",
        "handlungsfelder",
        "Bildung; Mobilitaet",
        f"unknown Handlungsfeld 'Mobilitaet' (valid: {VALID_FIELDS})",
    ),
    "Handlungsfelder with commas": fields(
        "Dortmund", "handlungsfelder", "Bildung, Mobilität", "unknown Handlungsfeld 'Bildung, Mobilität'"
    ),
    "Handlungsfeld listed twice": fields(
        "Dortmund", "handlungsfelder", "Bildung; Bildung", "Handlungsfeld 'Bildung' is listed twice"
    ),
    "unknown project field": fields(
        "Dortmund",
        "projektbeispiele",
        "Handyparken (Mobilität); Theater (Kultur)",
        f"unknown Handlungsfeld 'Kultur' (valid: {VALID_FIELDS})",
    ),
    "project without name": fields(
        "Dortmund", "projektbeispiele", "(Mobilität)", "project '(Mobilität)' has no name"
    ),
    # links: a URL becomes a terminal hyperlink, so nothing in it may act on a terminal
    "url without scheme": bad_url("Dresden", "www.example.org"),
    "url with misspelt scheme": bad_url("Dresden", "htp://x"),
    "url with ftp scheme": bad_url("Dresden", "ftp://example.org/"),
    "url with javascript scheme": bad_url("Dresden", "javascript:alert(1)"),
    "url without host": bad_url("Dresden", "https://"),
    "url with empty host": bad_url("Dresden", "https:///pfad"),
    "url with space": bad_url("Dresden", "https://exa mple.org/"),
    "url with escape sequence": Broken(  # the ";" of the OSC sequence separates two items
        with_cell("Dresden", "links", "https://example.org/\x1b]0;x\x07"),
        LINE["Dresden"],
        "links",
        "'https://example.org/\\x1b]0' is not a valid http(s) URL",
        more=((LINE["Dresden"], "links", "'x\\x07' is not a valid http(s) URL"),),
    ),
    "url with C1 control": bad_url("Dresden", "https://evil.example/a\x9b31m"),
    "url with NEL": bad_url("Dresden", "https://evil.example/a\x85x"),
    "url with bidi override": bad_url("Dresden", "https://evil.example/a\u202eb"),
    "url with zero-width space": bad_url("Dresden", "https://evil.example/a\u200bc"),
    # several problems: all reported, in file order
    "several problems": Broken(
        with_rows(several_problems),
        LINE["Aachen"],
        "einwohner",
        "'viele' is not a whole number",
        more=(
            (LINE["Aachen"], "links", "'htp://x' is not a valid http(s) URL"),
            (LINE["Augsburg"], "handlungsfelder", "unknown Handlungsfeld 'Raumfahrt'"),
            (LINE["Braunschweig"], None, "has 9 cells, expected 11"),
        ),
    ),
}
CASES = [pytest.param(name, marks=case.marks, id=name) for name, case in BROKEN.items()]
SHOWN = 10  # problems a report lists; a line then says how many more there are


def where(path: Path, line: int | None, column: str | None) -> str:
    """How a report names a problem's place: the file, its line, the column."""
    place = str(path) if line is None else f"{path}:{line}"
    return place if column is None else f"{place}: {column}"


def says(text: str, message: str, exact: bool) -> bool:
    return text == message if exact else message in text


def summary(case: Broken) -> list[str]:
    hidden = len(case.problems) - SHOWN
    return [f"... and {hidden} more problems"] if hidden > 0 else []


def made(tmp_path: Path, name: str) -> tuple[Broken, Path]:
    """The case NAME and its file, made in TMP_PATH."""
    case = BROKEN[name]
    path = tmp_path / "mine.tsv"
    case.make(path)
    return case, path


@pytest.mark.parametrize("name", CASES)
def test_broken_file_through_load_atlas(tmp_path: Path, name: str) -> None:
    case, path = made(tmp_path, name)
    with pytest.raises(AtlasDataError) as info:
        load_atlas(path)
    problems = info.value.problems
    assert [(p.path, p.line, p.column) for p in problems] == [(str(path), n, c) for n, c, _ in case.problems]
    for problem, (_, _, message) in zip(problems, case.problems, strict=True):
        assert says(problem.message, message, case.exact), problem
        assert len(problem.message) <= 200, problem  # short, whatever the file holds
        assert str(problem) == f"{where(path, problem.line, problem.column)}: {problem.message}"
    assert str(info.value).split("\n") == [str(p) for p in problems[:SHOWN]] + summary(case)


@pytest.mark.parametrize("name", CASES)
def test_broken_file_through_cli(tmp_path: Path, name: str) -> None:
    case, path = made(tmp_path, name)
    result = run("--data", str(path), "list", "-f", "csv")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "\x1b" not in result.stderr and "\x00" not in result.stderr
    assert result.stderr.endswith("\n"), result.stderr
    lines = result.stderr[:-1].split("\n")
    shown = case.problems[:SHOWN]
    assert len(lines) == len(shown) + len(summary(case)), result.stderr
    for text, (line, column, message) in zip(lines, shown, strict=False):
        prefix = f"atlas: {where(path, line, column)}: "
        assert text.startswith(prefix), result.stderr
        assert says(text[len(prefix) :], message, case.exact), result.stderr
        assert len(text) <= 400, result.stderr
    assert lines[len(shown) :] == [f"atlas: {s}" for s in summary(case)]
    # the command line reports what load_atlas reports, word for word
    with pytest.raises(AtlasDataError) as info:
        load_atlas(path)
    assert lines == [f"atlas: {text}" for text in str(info.value).split("\n")]


def test_the_oracle_writes_the_bundled_file_back() -> None:
    """The cases' files are the bundled one changed in one place: unchanged, it is byte for byte."""
    assert tsv_text(base_rows()).encode("utf-8") == DATA.read_bytes()


# --- a missing file, however it is named --------------------------------------------------------

# The table has a missing file named with --data; here it is named with ATLAS_DATA, and by the
# installed executable (with a name relative to its working directory) both ways.
MISSING_VIA = ["env", "atlas option", "atlas env"]


@pytest.mark.parametrize("via", MISSING_VIA)
def test_missing_file(tmp_path: Path, via: str) -> None:
    path = tmp_path / "nowhere.tsv"
    executable = via.startswith("atlas ")
    named = path.name if executable else str(path)
    by_option = via.endswith("option")
    args = ["--data", named, "list"] if by_option else ["show", "Bonn"]
    env = {} if by_option else {"ATLAS_DATA": named}
    if executable:
        done = atlas(*args, cwd=tmp_path, env=env)
        code, out, err = done.returncode, done.stdout, done.stderr
    else:
        result = run(*args, env=env)
        code, out, err = result.exit_code, result.stdout, result.stderr
    assert code == 1
    assert out == ""
    assert err == f"atlas: {named}: no such file\n"  # one line, naming the file as given


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


# --- what the validator remembers from row to row -----------------------------------------------


@pytest.mark.parametrize("limit", [1, 2, 8192])
def test_repeated_cells_give_the_same_cities_and_every_defect_on_every_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    """Handlungsfelder cells, projects and URLs are remembered once read without a problem: a
    repeated defect is still reported on each of its lines, and remembered values change nothing
    (also when the memory starts again after ``limit`` values)."""
    import atlascli.validate

    monkeypatch.setattr(atlascli.validate, "MEMO_LIMIT", limit)
    good = [
        line(
            stadt=f"Stadt {n}",
            projektbeispiele=["A (Mobilität)", "B", "A (Mobilität); C (Energie & Umwelt)"][n % 3],
        )
        for n in range(9)
    ]
    bad = {
        "handlungsfelder": "Mobilität; Mobilität",
        "projektbeispiele": "A (Mobilität); X (Zauberei)",
        "links": "https://ok.example/; ftp://nope.example/",
    }
    lines = [*good]
    for n, (column, value) in enumerate(bad.items()):
        lines += [line(stadt=f"Bad {n}-{k}", **{column: value}) for k in range(2)]
        lines.append(good[0].replace("Stadt 0", f"Good again {n}"))
    with pytest.raises(AtlasDataError) as raised:
        load_atlas(write(tmp_path, "\t".join(COLUMNS) + "\n" + "\n".join(lines) + "\n"))
    found = [(p.line, p.column) for p in raised.value.problems]
    expected = [
        (number, column)
        for number, text in enumerate(lines, start=2)
        for column in bad
        if text.startswith("Bad") and bad[column] in text
    ]
    assert found == expected and len(found) == 6
    atlas = load_atlas(write(tmp_path, "\t".join(COLUMNS) + "\n" + "\n".join(good) + "\n", "good.tsv"))
    mobil, umwelt = FIELD_BY_NAME["Mobilität"], FIELD_BY_NAME["Energie & Umwelt"]
    kinds = [
        (Project("A", (mobil,)),),
        (Project("B", ()),),
        (Project("A", (mobil,)), Project("C", (umwelt,))),
    ]
    assert [c.projektbeispiele for c in atlas.cities] == [kinds[n % 3] for n in range(9)]


@pytest.mark.parametrize("store_from", ["4000000", "0"])  # in memory, and as a large file
def test_a_number_after_thousands_of_leading_zeros_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_from: str
) -> None:
    """int() refuses more than 4,300 digits, leading zeros counted: they are not digits here."""
    monkeypatch.setenv("ATLAS_STORE_FROM", store_from)
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "zeros.tsv"
    with_cell("Chemnitz", "flaeche_km2", "0" * 5000 + "221")(path)
    assert load_atlas(path)["Chemnitz"].flaeche_km2 == 221
