"""The quicker ways some commands answer on a large file give exactly what the plain rules give:
each is checked against the rule written out plainly here (the oracle), on the bundled atlas, on
a stored atlas and on generated ones."""

from __future__ import annotations

import io
import sqlite3
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from records import make_city

from atlascli import search as search_module
from atlascli import store
from atlascli.errors import UnknownCity, UnknownValue
from atlascli.insights import ItemCount, Stats, _summary, atlas_stats, field_coverage, frequent_items
from atlascli.memory import MemoryAtlas
from atlascli.model import ALL_FIELDS, Atlas, City, CityFilter, Profile, tallies_of
from atlascli.query import (
    BUNDESLAENDER,
    FUZZY_ACCEPT,
    FUZZY_MARGIN,
    FUZZY_SUGGEST,
    _resolve_choice,
    _resolve_fuzzy,
    resolve_bundesland,
)
from atlascli.render import Frame, OutputFormat, machine
from atlascli.schema import COLUMNS
from atlascli.search import Hit, search
from atlascli.store import StoredAtlas
from atlascli.text import fold, item_key, item_label, match_key, name_key
from atlascli.tsv import city_cells, dumps, profile_of, written_profile_of

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


CELL_TEXT = st.text(alphabet=st.sampled_from('ab ,;"\t\n\r\\äß\x00'), max_size=8)


def stored(cities: Sequence[City]) -> StoredAtlas:
    data = dumps(cities).encode("utf-8")
    return StoredAtlas("generated.tsv", lambda: data, None, None)  # no cache folder: in memory


def unique(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for n in names:
        if n.strip():
            seen.setdefault(match_key(n), n.strip())
    return list(seen.values())


# --- show with a typo --------------------------------------------------------------------------


def plain_fuzzy(atlas: Atlas, query: str, key: str) -> tuple[str, str | None] | tuple[list[str], bool]:
    """The fuzzy rule as first written: every city scored one ratio call at a time."""
    from rapidfuzz import fuzz

    scored = [
        (max(fuzz.ratio(key, name, processor=None), fuzz.ratio(key, base, processor=None)), i)
        for i, (name, base) in enumerate(atlas.name_keys())
    ]
    scored.sort(key=lambda pair: -pair[0])
    best_score, best = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best_score >= FUZZY_ACCEPT and best_score - runner_up >= FUZZY_MARGIN:
        return atlas.cities[best].stadt, f"showing {atlas.cities[best].stadt} for {query!r}"
    return [atlas.cities[i].stadt for s, i in scored[:3] if s >= FUZZY_SUGGEST and best_score - s < 15], False


def quick_fuzzy(atlas: Atlas, query: str, key: str) -> tuple[str, str | None] | tuple[list[str], bool]:
    try:
        found = _resolve_fuzzy(atlas, query, key)
    except UnknownCity as exc:
        return list(exc.suggestions), exc.ambiguous
    return found.city.stadt, found.note


def test_a_missing_runner_up_is_always_far_enough_behind() -> None:
    # what lets the fuzzy pass skip every name below FUZZY_SUGGEST
    assert FUZZY_ACCEPT - FUZZY_SUGGEST >= FUZZY_MARGIN


NAMES = st.text(alphabet="abcdeäü -()/", min_size=1, max_size=9)


@settings(max_examples=60, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=25), NAMES)
def test_the_fuzzy_pass_gives_what_scoring_every_name_gives(names: list[str], query: str) -> None:
    key = name_key(query)
    cities = [make_city(n) for n in unique(names)]
    if not key or not cities:
        return
    for atlas in (MemoryAtlas(cities), stored(cities)):
        assert quick_fuzzy(atlas, query, key) == plain_fuzzy(atlas, query, key)


@pytest.mark.parametrize(
    "query", ["Oldenbrug", "Darmstat", "Münstr", "Hale", "Bonm", "Aachn", "xyzzy", "Kiell"]
)
def test_the_fuzzy_pass_on_the_bundled_atlas(query: str) -> None:
    from atlascli import load_atlas

    atlas = load_atlas(None)
    assert quick_fuzzy(atlas, query, name_key(query)) == plain_fuzzy(atlas, query, name_key(query))


# --- filter -b --------------------------------------------------------------------------------


def plain_bundesland(query: str, lands: Sequence[str]) -> str | tuple[str, str]:
    choices: dict[str, str] = {}
    for name, codes in BUNDESLAENDER.items():
        choices[name_key(name)] = name
        for code in codes:
            choices[name_key(code)] = name
    for land in lands:
        choices.setdefault(name_key(land), land)
    try:
        display = [f"{name} ({'/'.join(codes)})" for name, codes in BUNDESLAENDER.items()]
        return _resolve_choice("Bundesland", query, choices, display)
    except UnknownValue as exc:
        return "unknown", str(exc)


LANDS = st.sampled_from(
    [*BUNDESLAENDER, "BY", "nrw", "Bayern-Nord", "BAYERN", "Wien", "Tirol", "Bay", "Sachsen 2"]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(LANDS, max_size=5), st.one_of(LANDS, st.text(alphabet="abnsy -", max_size=6)))
def test_a_bundesland_resolves_as_with_every_spelling_of_the_atlas(lands: list[str], query: str) -> None:
    atlas = MemoryAtlas([make_city(f"Stadt {i}", land) for i, land in enumerate(lands)])
    try:
        found: str | tuple[str, str] = resolve_bundesland(query, atlas)
    except UnknownValue as exc:
        found = "unknown", str(exc)
    assert found == plain_bundesland(query, lands)


class NoSpellings(MemoryAtlas):
    def bundeslaender(self) -> list[str]:
        raise AssertionError("a German state or code needs no list of the atlas's spellings")


@pytest.mark.parametrize("query", ["Bayern", "by", "NRW", "nordrhein westfalen", "Thueringen"])
def test_a_german_state_is_resolved_without_listing_the_atlas(query: str) -> None:
    assert resolve_bundesland(query, NoSpellings([make_city("A", "Bayern-Nord")])) in BUNDESLAENDER


# --- stats -------------------------------------------------------------------------------------


def plain_frequent_items(cities: Sequence[Profile], column: str, minimum: int = 2) -> list[ItemCount]:
    """Networks or programmes counted as first written: each item named, one by one."""
    labels: dict[str, Counter[str]] = {}
    where: dict[str, dict[str, None]] = {}
    for city in cities:
        for item in getattr(city, column):
            key, label = item_key(item), item_label(item)
            if not key:
                continue
            labels.setdefault(key, Counter())[label] += 1
            where.setdefault(key, {})[city.stadt] = None
    counts = [
        ItemCount(labels[key].most_common(1)[0][0], len(staedte), tuple(staedte))
        for key, staedte in where.items()
        if len(staedte) >= minimum
    ]
    counts.sort(key=lambda c: (-c.anzahl, fold(c.name)))
    return counts


def plain_stats(cities: Sequence[Profile], top: int) -> Stats:
    per_land = Counter(c.bundesland for c in cities)
    return Stats(
        staedte=len(cities),
        einwohner=_summary([c.einwohner for c in cities]),
        flaeche_km2=_summary([c.flaeche_km2 for c in cities]),
        handlungsfelder_pro_stadt=_summary([len(c.handlungsfelder) for c in cities]),
        staedte_pro_bundesland=tuple(sorted(per_land.items(), key=lambda kv: (-kv[1], fold(kv[0])))),
        felder=tuple(field_coverage(cities)),
        netzwerke=tuple(plain_frequent_items(cities, "netzwerke")[:top]),
        foerderprogramme=tuple(plain_frequent_items(cities, "foerderprogramme")[:top]),
    )


# items that meet by their key (stems, quoted titles, parentheses) and some that have none
ITEMS = st.sampled_from(
    [
        "Netzwerk A",
        "Netzwerke A",
        "»Eurocities«",
        "Verband »Eurocities« e.V.",
        "Eurocities",
        "der",
        "(nur Klammer)",
        "Modellregion (NRW)",
        "Modellregionen",
        "Bitkom",
        "bitkom",
    ]
)
PROFILES = st.builds(
    Profile,
    st.sampled_from(["Aachen", "Bonn", "Köln", "Kiel", "Ulm"]),  # names may repeat
    st.sampled_from(["Bayern", "Hessen", "hessen", ""]),
    st.integers(0, 10**6),
    st.integers(0, 900),
    st.lists(st.sampled_from(ALL_FIELDS), max_size=4).map(tuple),  # a field may repeat
    st.lists(ITEMS, max_size=5).map(tuple),
    st.lists(ITEMS, max_size=3).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PROFILES, max_size=30), st.integers(1, 4))
def test_stats_count_what_naming_every_item_one_by_one_counts(profiles: list[Profile], top: int) -> None:
    assert atlas_stats(tallies_of(iter(profiles)), top) == plain_stats(profiles, top)
    for column in ("netzwerke", "foerderprogramme"):
        assert frequent_items(profiles, column) == plain_frequent_items(profiles, column)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Aachen", "Bonn", "Köln", "Kiel", "Ulm", "Trier"]), unique=True), st.data())
def test_stats_of_unique_names_count_what_naming_every_item_counts(
    names: list[str], data: st.DataObject
) -> None:
    drawn = [data.draw(PROFILES) for _ in names]
    profiles = [Profile(n, *astuple_tail(p)) for n, p in zip(names, drawn, strict=True)]
    assert atlas_stats(tallies_of(profiles), 3) == plain_stats(profiles, 3)


def astuple_tail(p: Profile) -> tuple[object, ...]:
    return (p.bundesland, p.einwohner, p.flaeche_km2, p.handlungsfelder, p.netzwerke, p.foerderprogramme)


def test_stats_of_the_bundled_and_a_stored_atlas() -> None:
    from atlascli import load_atlas

    atlas = load_atlas(None)
    for each in (atlas, stored(list(atlas.cities))):
        assert atlas_stats(each.tallies(), 5) == plain_stats(list(atlas.profiles()), 5)


CITIES = st.builds(
    make_city,
    st.sampled_from(["Aachen", "Bonn"]),
    netzwerke=st.lists(ITEMS, max_size=4).map(tuple),
    foerderprogramme=st.lists(ITEMS, max_size=3).map(tuple),
    handlungsfelder=st.lists(st.sampled_from(ALL_FIELDS), unique=True).map(tuple),
)


@settings(max_examples=100, deadline=None)
@given(CITIES)
def test_a_written_row_gives_the_profile_the_plain_reader_gives(city: City) -> None:
    cells = city_cells(city)
    assert written_profile_of(cells) == profile_of(cells) == city.profile()


# --- search ------------------------------------------------------------------------------------


def plain_city_hit(stadt: str, pairs: list[tuple[str, str]], query: search_module._Query) -> Hit | None:
    """A city's hit as first written: every cell scored, every cell ranked."""
    cells = [search_module._Cell(*pair) for pair in pairs]
    per_word = query.per_word
    best = [0.0] * len(per_word)
    qualities = []
    for cell in cells:
        found = search_module._text_tokens(cell.text)
        quality = [max((matches[t] for t in found if t in matches), default=0.0) for matches in per_word]
        qualities.append(quality)
        best = [max(b, q) for b, q in zip(best, quality, strict=True)]
    if not all(best):
        return None

    def rank(c: int) -> tuple[float, float, int]:
        return (search_module._tier(cells[c], qualities[c], query), sum(qualities[c]), -c)

    chosen = max(range(len(cells)), key=rank)
    cell = cells[chosen]
    base = search_module._tier(cell, qualities[chosen], query)
    if base == 0.0:
        base = min(min(best), search_module.WORDS)
    spans = search_module._spans(cell.text, query.tokens)
    score = base + (search_module.TEXT_BONUS if cell.column != "links" else 0.0)
    score += search_module.TIGHTNESS * sum(b - a for a, b in spans) / max(len(cell.text), 1)
    shown, kept = search_module._snippet(cell.text, spans)
    return Hit(stadt, cell.column, round(score, 1), cell.text, shown, kept)


@settings(max_examples=100, deadline=None)
@given(CITIES)
def test_a_written_row_gives_the_search_cells_of_its_city(city: City) -> None:
    from atlascli import load_atlas
    from atlascli.schema import SEARCH_COLUMNS

    for each in (city, *load_atlas(None).cities):  # the bundled atlas: projects with fields
        for columns in (SEARCH_COLUMNS, ("projektbeispiele",), ("links", "stadt")):
            assert search_module._row_cells(city_cells(each), columns) == list(
                search_module._cells(each, columns)
            )


QUERIES = [
    *(
        line.split("\t")[0]
        for line in (BENCHMARKS / "search_queries.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ),
    "open data",
    "lora wan",
    "Schul-IT",
    "smart city strategie",
    "Mobilitat",
    "digitl",
    "https",
]


def test_search_gives_the_hits_of_scoring_every_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    from atlascli import load_atlas

    atlas = load_atlas(None)
    # each city twice: texts repeat, as in a large atlas, and the spans are kept per text
    twice = [*atlas.cities, *(replace(c, stadt=c.stadt + " Zwei") for c in atlas.cities)]
    atlases = (atlas, stored(twice))
    found = [[search(a, q) for q in QUERIES] + [search(a, "daten", column="links")] for a in atlases]
    monkeypatch.setattr(search_module, "_city_hit", plain_city_hit)
    assert found == [[search(a, q) for q in QUERIES] + [search(a, "daten", column="links")] for a in atlases]
    assert any(found[0])


# --- csv and tsv of text cells ------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(CELL_TEXT, min_size=1, max_size=6))
def test_a_row_made_ready_for_csv_is_its_csv_line_and_gives_its_cells_back(cells: list[str]) -> None:
    ready = machine.csv_ready(cells)
    if ready is None:  # a quote, a line break or a tab in some cell: csv_line writes the row
        assert any(c in "".join(cells) for c in '"\n\r\t')
        return
    assert machine.csv_of_ready(ready.encode()) == machine.csv_line(cells).encode()
    assert ready.replace('"', "").split("\t") == cells


def test_csv_lines_kept_ready_are_written_as_the_rows_are_to_any_stream() -> None:
    import io

    rows = [["Köln", "a, b", "c"], ["Bonn", "x", ""]]
    ready = [machine.csv_line(r).encode() for r in rows]

    def written(frame: Frame, stream: io.TextIOBase) -> str:
        machine.write_frame(frame, OutputFormat.csv, stream)  # type: ignore[arg-type]  # a text stream
        stream.flush()
        if isinstance(stream, io.StringIO):
            return stream.getvalue()
        assert isinstance(stream, io.TextIOWrapper)
        raw = stream.buffer
        assert isinstance(raw, io.BytesIO)
        return raw.getvalue().decode(stream.encoding, errors="replace")

    header = ["stadt", "a", "b"]
    for make in (
        io.StringIO,  # no bytes beneath: decoded and written as text
        lambda: io.TextIOWrapper(io.BytesIO(), encoding="utf-8"),  # the bytes as they are
        lambda: io.TextIOWrapper(io.BytesIO(), encoding="latin-1", errors="replace"),  # re-encoded
    ):
        plain = written(Frame(header, rows, text=True), make())
        assert written(Frame(header, rows, text=True, csv_lines=lambda: iter(ready)), make()) == plain
        assert written(Frame(header, rows, text=True, csv_lines=lambda: None), make()) == plain
    assert "Köln" in written(Frame(header, rows, text=True), io.StringIO())


ORGANISATION = st.text(alphabet=st.sampled_from('ab ,"»«'), min_size=1, max_size=8).map(str.strip)


@settings(max_examples=40, deadline=None)
@given(st.lists(ORGANISATION, min_size=1, max_size=6))
def test_a_large_atlas_keeps_csv_lines_ready_with_quotes_commas_or_neither(texts: list[str]) -> None:
    """Rows with a comma (kept ready, quoted), with a quote of their own (kept plain) or neither
    give the same cells and the same CSV lines as the writer makes from the cells."""
    cities = [
        make_city(f"Stadt {i}", organisation=text, netzwerke=("A, B", "C") if i % 2 else ())
        for i, text in enumerate(texts)
    ]
    atlas = stored(cities)
    assert list(atlas.cells(atlas.select(CityFilter()))) == [city_cells(c) for c in cities]
    lines = atlas.csv_lines(atlas.select(CityFilter()))
    assert lines is not None
    assert list(lines) == [machine.csv_line(city_cells(c)).encode() for c in cities]
    assert atlas.csv_lines(iter(range(len(cities)))) is None  # not a selection: the writer's way


@settings(max_examples=300, deadline=None)
@given(st.lists(CELL_TEXT, max_size=6))
def test_a_row_of_text_is_written_as_any_row_is(cells: list[str]) -> None:
    assert machine._csv_text_line(cells) == machine.csv_line(cells)
    assert machine._tsv_text_line(cells) == machine._tsv_line(cells)


@pytest.mark.parametrize("fmt", [OutputFormat.csv, OutputFormat.tsv])
@pytest.mark.parametrize("excel", [False, True])
def test_a_frame_of_text_is_written_as_a_frame_of_cells(fmt: OutputFormat, excel: bool) -> None:
    from atlascli import load_atlas

    rows = [city_cells(c) for c in load_atlas(None).cities]
    rows += [["=1", 'a "b"', "x\ty", "c\\d", "", "e\rf", "g\nh", "i,j", "k", "l", "m"]]
    written = []
    for text in (False, True):
        out = io.StringIO()
        machine.write_frame(Frame(COLUMNS, iter(rows), text=text), fmt, out, excel=excel)
        written.append(out.getvalue())
    assert written[0] == written[1]
    assert len(written[0].splitlines()) > len(rows)


# --- the profile table of a large file --------------------------------------------------------

BUNDLED_TSV = Path(__file__).resolve().parent.parent / "data" / "atlas.tsv"


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ATLAS_STORE_FROM", "0")
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ATLAS_NO_CACHE", raising=False)
    path = tmp_path / "atlas.tsv"
    path.write_bytes(BUNDLED_TSV.read_bytes())
    return path


def tables(path: Path) -> set[str]:
    (database,) = (p for p in (path.parent / "cache").iterdir() if p.name.endswith(".sqlite"))
    with sqlite3.connect(database) as db:
        return {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_the_profile_table_is_added_when_every_profile_is_first_read(large: Path) -> None:
    from atlascli import load_atlas
    from atlascli.loader import parse_atlas

    expected = parse_atlas(large.read_bytes(), str(large))
    atlas = load_atlas(large)
    assert "profile" not in tables(large)
    assert list(atlas.profiles([3, 1])) == list(expected.profiles([3, 1]))  # some: from the rows
    assert "profile" not in tables(large)
    assert list(atlas.profiles()) == list(expected.profiles())
    assert "profile" in tables(large)
    again = load_atlas(large)
    assert list(again.profiles()) == list(expected.profiles())
    assert atlas_stats(again.tallies()) == atlas_stats(expected.tallies())


PROFILE_DAMAGE = {
    "a cell changed": "UPDATE profile SET zellen = replace(zellen, 'Aachen', 'Evil') WHERE id = 0",
    "a row lost": "DELETE FROM profile WHERE id = 7",
    "too few cells": "UPDATE profile SET zellen = 'Aachen', pruefsumme = {crc} WHERE id = 0",
    "another table": "DROP TABLE profile; CREATE TABLE profile (id INTEGER PRIMARY KEY, x TEXT)",
}


@pytest.mark.parametrize("damage", PROFILE_DAMAGE.values(), ids=PROFILE_DAMAGE.keys())
def test_a_damaged_profile_table_is_rebuilt_and_answers_correctly(large: Path, damage: str) -> None:
    from atlascli import load_atlas
    from atlascli.loader import parse_atlas

    expected = parse_atlas(large.read_bytes(), str(large))
    list(load_atlas(large).profiles())
    (database,) = (p for p in (large.parent / "cache").iterdir() if p.name.endswith(".sqlite"))
    with sqlite3.connect(database) as db:
        db.executescript(damage.format(crc=zlib.crc32(b"Aachen")))
    assert list(load_atlas(large).profiles()) == list(expected.profiles())
    assert "profile" in tables(large)


# --- the rows of a selection, read by its own query ---------------------------------------------

CONDITIONS = [
    CityFilter(),
    CityFilter(felder=(ALL_FIELDS[4],)),
    CityFilter(felder=(ALL_FIELDS[4], ALL_FIELDS[7]), any_feld=True),
    CityFilter(felder=(ALL_FIELDS[4], ALL_FIELDS[7])),
    CityFilter(bundesland="Bayern"),
    CityFilter(bundesland="Bayern", min_einwohner=2000, max_einwohner=4000),
    CityFilter(bundesland="Nirgendwo"),
    CityFilter(netzwerk="Netzwerk"),
]


@pytest.mark.parametrize("conditions", CONDITIONS)
def test_the_cells_of_a_selection_are_those_of_its_positions(
    conditions: CityFilter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "BATCH", 7)  # several batches
    lands = ["Bayern", "Hessen", "bayern"]
    cities = [
        make_city(
            f"Stadt {i}",
            lands[i % 3],
            einwohner=1000 * (i % 6),
            handlungsfelder=tuple(f for j, f in enumerate(ALL_FIELDS) if (i >> j) % 3 == 0),
            netzwerke=("Netzwerk A",) if i % 4 else (),
        )
        for i in range(40)
    ]
    atlas, memory = stored(cities), MemoryAtlas(cities)
    want = list(memory.cells(memory.select(conditions)))
    assert list(atlas.cells(atlas.select(conditions))) == want
    assert list(atlas.cells(list(atlas.select(conditions)))) == want
    selection = atlas.select(conditions)
    first = next(selection, None)  # once read, by its positions
    assert list(atlas.cells(selection)) == want[1:]
    assert (first is None) == (not want)


# --- a large file's rows in written form --------------------------------------------------------

# cells near the edges of each column's rules: blanks (also a no-break space), separators with and
# without their blank, empty items, leading zeros, long numbers, field names spelled otherwise,
# projects with and without fields, URLs and near-URLs
_FIELD_NAMES = [f.value for f in ALL_FIELDS]
_PIECES = st.sampled_from(
    [
        *_FIELD_NAMES[:4],
        "Mobilitat",
        "a",
        "b c",
        " ",
        "\u00a0",
        ";",
        "; ",
        " ;",
        "",
        "0",
        "007",
        "42",
        "9" * 18,
        "9" * 19,
        "(",
        ")",
        " (",
        "Projekt (Mobilität)",
        "P (Mobilität / Gesundheit)",
        "P (Mobilität/Gesundheit)",
        "P (Mobilität / Mobilität)",
        "P ()",
        "(Gesundheit)",
        " / ",
        "https://example.org/x",
        "http://a.b",
        "ftp://x",
        "https://a.b/\u200b",
        "-1",
        "1.000",
        "²",
    ]
)
WRITTEN_CELL = st.one_of(
    st.lists(_PIECES, max_size=4).map("".join),
    st.lists(_PIECES, max_size=3).map("; ".join),
    st.text(alphabet=st.sampled_from("ab ;()/0\u00a0"), max_size=6),
)


def _plain_written(parser: object, raw: str, line: int) -> list[str] | None:
    from atlascli.validate import RowParser

    assert isinstance(parser, RowParser)
    parsed = parser.parse(raw, line)
    return None if parsed is None else city_cells(parsed[0])


_TRICKY = [
    "",
    " ",
    "0",
    "00",
    "007",
    "42",
    " 42",
    "9" * 18,
    "9" * 19,
    "-1",
    "1.000",
    "²",
    "Mobilität",
    "Mobilität; Gesundheit",
    "Mobilität;Gesundheit",
    "Mobilität; Mobilität",
    "Mobilität; ",
    "; ",
    "a; ; b",
    "a;  b",
    " a; b",
    "a; b ",
    "a\u00a0; b",
    "P (Mobilität / Gesundheit)",
    "P (Mobilität/Gesundheit)",
    "P (Mobilität / Mobilität)",
    "P ()",
    "(Gesundheit)",
    "P (Mobilitat)",
    "P  (Mobilität)",
    "https://example.org/x",
    "https://a.b; http://c.d",
    "https://a.b;http://c.d",
    "ftp://x",
    "https://a.b/\u200b",
]
_WRITTEN = city_cells(make_city("Bonn", "NRW", einwohner=5, handlungsfelder=ALL_FIELDS[:2]))


def _both_ways(cells: list[str], reversed_header: bool = False) -> None:
    from atlascli.validate import RowParser

    order = list(range(len(COLUMNS)))[::-1] if reversed_header else list(range(len(COLUMNS)))
    raw = "\t".join(cells[::-1] if reversed_header else cells)
    quick_problems: list[object] = []
    plain_problems: list[object] = []
    quick = RowParser("f.tsv", order, quick_problems)  # type: ignore[arg-type]
    plain = RowParser("f.tsv", order, plain_problems)  # type: ignore[arg-type]
    for _ in range(2):  # the second time from what the readers remember
        assert quick.written(raw, 7) == _plain_written(plain, raw, 7), cells
        assert quick_problems == plain_problems


def test_each_tricky_cell_in_each_column_is_written_as_parsing_and_writing_it_gives() -> None:
    for i in range(len(COLUMNS)):
        for cell in _TRICKY:
            _both_ways([*_WRITTEN[:i], cell, *_WRITTEN[i + 1 :]])


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(COLUMNS) - 1), WRITTEN_CELL, st.booleans())
def test_a_row_with_one_generated_cell_is_written_as_parsing_and_writing_it_gives(
    i: int, cell: str, reversed_header: bool
) -> None:
    _both_ways([*_WRITTEN[:i], cell, *_WRITTEN[i + 1 :]], reversed_header)


@settings(max_examples=200, deadline=None)
@given(st.lists(WRITTEN_CELL, min_size=len(COLUMNS), max_size=len(COLUMNS)))
def test_a_generated_row_is_written_as_parsing_and_writing_it_gives(cells: list[str]) -> None:
    _both_ways(cells)


def written_in_parts(data: bytes, count: int) -> list[list[str]]:
    """Every row's written cells, the file validated in ``count`` parts (validate.parts), names
    compared over all of them in file order, the problems raised at the end in file order."""
    from atlascli.errors import Problem
    from atlascli.validate import Names, check_rows, parts, written_part

    order, found = parts(data, "m.tsv", count)
    problems: list[Problem] = []
    rows = [row for part in found for row in written_part(data, "m.tsv", order, part, problems)]
    names = Names("m.tsv", problems)
    kept = [row.cells for row in rows if names.first(row.line, row.key, row.cells[0])]
    problems.sort(key=lambda problem: problem.line or 0)
    check_rows("m.tsv", problems, len(kept))
    return kept


@pytest.mark.parametrize("count", [1, 2, 3])
def test_written_rows_in_parts_are_the_validated_rows_written_with_the_same_problems(count: int) -> None:
    from atlascli.errors import AtlasDataError
    from atlascli.validate import validated_rows

    bundled = BUNDLED_TSV.read_bytes()
    assert written_in_parts(bundled, count) == [city_cells(r.city) for r in validated_rows(bundled, "m.tsv")]
    # blanks, a number with leading zeros, a doubled name, a bad field: written, or the same problems
    lines = bundled.decode("utf-8").splitlines()
    messy = [lines[0], lines[1].replace("\t", " \t", 1), lines[2], lines[1]]
    messy.append(lines[3].replace("Mobilität", "Mobilitaet"))
    messy.append(lines[4].split("\t", 3)[0] + "\t" + lines[4].split("\t", 1)[1].replace("\t", "\t0", 1))
    messy.extend(lines[5:])
    for data in (
        "\n".join(messy).encode(),
        "\n".join([lines[0], lines[5], "", lines[6] + "\r"]).encode(),
        "\n".join([lines[0], "", " "]).encode(),
    ):
        try:
            plain: object = [city_cells(r.city) for r in validated_rows(data, "m.tsv")]
        except AtlasDataError as exc:
            plain = exc.problems
        try:
            quick: object = written_in_parts(data, count)
        except AtlasDataError as exc:
            quick = exc.problems
        assert quick == plain


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("aeouäöüAEÖß -_/()\u00a0\u0308\tim an der.x1"), max_size=24)
    | st.text(max_size=12)
)
def test_the_builds_name_keys_are_name_key_and_base_key(name: str) -> None:
    from atlascli.text import base_key, name_keys

    assert name_keys(name) == (name_key(name), base_key(name))
