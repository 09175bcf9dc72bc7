"""Tests of scripts/build_atlas.py: its general rules one by one, the corrections file, and the
clean data it produces (data/atlas.tsv)."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlascli.loader import load_atlas
from atlascli.model import Atlas, City, Handlungsfeld, Project

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build_atlas.py"
ATLAS_TSV = ROOT / "data" / "atlas.tsv"
RAW_TABLE = ROOT / "data" / "source" / "smart-city-atlas-2019.txt"
CORRECTIONS_TSV = ROOT / "data" / "source" / "corrections.tsv"

HEADER = (
    "stadt\tbundesland\teinwohner\tflaeche_km2\torganisation\tstrategie\t"
    "handlungsfelder\tnetzwerke\tprojektbeispiele\tfoerderprogramme\tlinks"
)
BUNDESLAENDER = {
    "Baden-Württemberg",
    "Bayern",
    "Berlin",
    "Brandenburg",
    "Bremen",
    "Hamburg",
    "Hessen",
    "Mecklenburg-Vorpommern",
    "Niedersachsen",
    "Nordrhein-Westfalen",
    "Rheinland-Pfalz",
    "Saarland",
    "Sachsen",
    "Sachsen-Anhalt",
    "Schleswig-Holstein",
    "Thüringen",
}
F = Handlungsfeld


def _load_build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_atlas", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building Correction
    spec.loader.exec_module(module)
    return module


build_atlas = _load_build_module()
BuildError = build_atlas.BuildError
Correction = build_atlas.Correction


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas(ATLAS_TSV)


def all_cells() -> list[tuple[str, str, str]]:
    """(city, column, cell text) for every cell of the clean file, as written on disk."""
    lines = ATLAS_TSV.read_text(encoding="utf-8").split("\n")
    columns = lines[0].split("\t")
    found = []
    for line in lines[1:]:
        if line:
            cells = line.split("\t")
            found.extend((cells[0], column, cell) for column, cell in zip(columns, cells, strict=True))
    return found


# --- the whole build -------------------------------------------------------------------------


def test_rebuild_is_byte_identical_to_the_committed_file() -> None:
    data = ATLAS_TSV.read_bytes()
    assert build_atlas.build() == data.decode("utf-8")


def test_committed_file_has_lf_line_ends_no_bom_and_a_final_newline() -> None:
    data = ATLAS_TSV.read_bytes()
    assert b"\r" not in data
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\n")
    assert not data.endswith(b"\n\n")


def test_check_mode_reports_the_committed_file_as_current() -> None:
    assert build_atlas.main(["--check"]) == 0


# --- general rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("246.272", 246272), ("161", 161), ("0", 0), (" 1.000.000 ", 1000000), ("586.600", 586600)],
)
def test_rule_german_integer(cell: str, expected: int) -> None:
    assert build_atlas.rule_german_integer(cell) == expected


@pytest.mark.parametrize("cell", ["24,6", "", "1.23", "12.3456", ".123", "-5", "1 000", "zwölf", "1..000"])
def test_rule_german_integer_rejects(cell: str) -> None:
    with pytest.raises(BuildError):
        build_atlas.rule_german_integer(cell)


@settings(max_examples=50)
@given(st.integers(min_value=0, max_value=10**15))
def test_rule_german_integer_reads_back_any_german_formatted_number(n: int) -> None:
    german = f"{n:,}".replace(",", ".")
    assert build_atlas.rule_german_integer(german) == n


def test_rule_anchors_to_urls_extracts_hrefs_in_order() -> None:
    cell = (
        '<a href="https://a.example/">https://a.example/</a> '
        '<a href="http://b.example/x?y=1">http://b.example/x?y=1</a>'
    )
    assert build_atlas.rule_anchors_to_urls(cell) == ["https://a.example/", "http://b.example/x?y=1"]


def test_rule_anchors_to_urls_empty_cell_has_no_urls() -> None:
    assert build_atlas.rule_anchors_to_urls("") == []
    assert build_atlas.rule_anchors_to_urls("  ") == []


def test_rule_anchors_to_urls_accepts_label_differing_only_in_white_space() -> None:
    cell = '<a href="https://www.buerger serviceportal.de/">https://www.buerger  serviceportal.de/</a>'
    assert build_atlas.rule_anchors_to_urls(cell) == ["https://www.buerger serviceportal.de/"]


def test_rule_anchors_to_urls_rejects_mismatched_label() -> None:
    with pytest.raises(BuildError, match="differs"):
        build_atlas.rule_anchors_to_urls('<a href="https://a.example/">https://evil.example/</a>')


@pytest.mark.parametrize(
    "cell",
    [
        'siehe <a href="https://a.example/">https://a.example/</a>',
        '<a href="https://a.example/">https://a.example/</a>, und mehr',
        "https://a.example/",
    ],
)
def test_rule_anchors_to_urls_rejects_stray_text(cell: str) -> None:
    with pytest.raises(BuildError, match="outside"):
        build_atlas.rule_anchors_to_urls(cell)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  a \t b\n c  ", "a b c"),
        ("ohne", "ohne"),
        ("", ""),
        ("Wirtschafts  -   förderung", "Wirtschafts - förderung"),
    ],
)
def test_rule_collapse_spaces(text: str, expected: str) -> None:
    assert build_atlas.rule_collapse_spaces(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wirtschafts - förderung", "Wirtschaftsförderung"),
        ("der Wirtschafts - förderung, RWTH", "der Wirtschaftsförderung, RWTH"),
        ("ENaQ - Energetisches Nachbarschaftsquartier", "ENaQ - Energetisches Nachbarschaftsquartier"),
        ("Smart Urban Services – Datenbasierte", "Smart Urban Services – Datenbasierte"),
        ("2017 - 2020", "2017 - 2020"),
        ("Kultur- und Kreativwirtschaft", "Kultur- und Kreativwirtschaft"),
        ("Digital-Lotsen", "Digital-Lotsen"),
    ],
)
def test_rule_join_broken_words(text: str, expected: str) -> None:
    assert build_atlas.rule_join_broken_words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("E-Government-Forum,", "E-Government-Forum"),
        ("a, b,", "a, b"),
        ("a, b, ", "a, b"),
        ("a,,", "a"),
        ("a, b", "a, b"),
        ("", ""),
    ],
)
def test_rule_strip_trailing_commas(text: str, expected: str) -> None:
    assert build_atlas.rule_strip_trailing_commas(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a, b, c", ["a", "b", "c"]),
        (
            "Förderung (Bund), Lead City (BMU, BMVI), Sofortprogramm",
            ["Förderung (Bund)", "Lead City (BMU, BMVI)", "Sofortprogramm"],
        ),
        ("»Digitale Modellregion, NRW« (Land), x", ["»Digitale Modellregion, NRW« (Land)", "x"]),
        (
            "MATCHUp (Energie & Umwelt, Mobilität), Rathaus",
            ["MATCHUp (Energie & Umwelt, Mobilität)", "Rathaus"],
        ),
        ("a (b, (c, d), e), f", ["a (b, (c, d), e)", "f"]),
        ("a,, b", ["a", "b"]),
        ("", []),
        ("  eins  ", ["eins"]),
    ],
)
def test_rule_split_top_level(text: str, expected: list[str]) -> None:
    assert build_atlas.rule_split_top_level(text) == expected


_PLAIN = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=",()»«"),
    min_size=1,
    max_size=15,
).filter(lambda s: s == s.strip() and s != "")


@settings(max_examples=50)
@given(st.lists(_PLAIN, min_size=1, max_size=8))
def test_rule_split_top_level_splits_joined_items_back(items: list[str]) -> None:
    assert build_atlas.rule_split_top_level(", ".join(items)) == items


@st.composite
def _item_with_groups(draw: st.DrawFn) -> str:
    """An item, perhaps followed by a (parenthesised, comma list) and/or a »quoted, comma list«."""
    item = draw(_PLAIN)
    if draw(st.booleans()):
        item += " (" + ", ".join(draw(st.lists(_PLAIN, min_size=1, max_size=3))) + ")"
    if draw(st.booleans()):
        item = "»" + ", ".join(draw(st.lists(_PLAIN, min_size=1, max_size=3))) + "« " + item
    return item


@settings(max_examples=50)
@given(st.lists(_item_with_groups(), min_size=1, max_size=6))
def test_rule_split_top_level_keeps_grouped_commas(items: list[str]) -> None:
    assert build_atlas.rule_split_top_level(", ".join(items)) == items


def test_rule_keep_clauses_merges_consecutive_items() -> None:
    items = ["a", "b", "c", "d"]
    merged, used = build_atlas.rule_keep_clauses(items, ["b, c"])
    assert merged == ["a", "b, c", "d"]
    assert used == {"b, c"}
    assert items == ["a", "b", "c", "d"], "the input list must not be modified"


def test_rule_keep_clauses_whole_list_and_several_clauses() -> None:
    merged, used = build_atlas.rule_keep_clauses(["a", "b", "c", "d", "e"], ["a, b", "d, e"])
    assert merged == ["a, b", "c", "d, e"]
    assert used == {"a, b", "d, e"}


def test_rule_keep_clauses_reports_clause_not_found() -> None:
    merged, used = build_atlas.rule_keep_clauses(["a", "b", "c"], ["a, c", "x"])
    assert merged == ["a", "b", "c"]
    assert used == set()


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("MATCHUp (Energie & Umwelt, Mobilität)", Project("MATCHUp", (F.ENERGIE_UMWELT, F.MOBILITAET))),
        (
            "Smart Traffic (Mobilität / Energie & Umwelt)",
            Project("Smart Traffic", (F.MOBILITAET, F.ENERGIE_UMWELT)),
        ),
        ("Schul-IT (Bildung / IT-Infrastruktur)", Project("Schul-IT", (F.BILDUNG, F.IT_INFRASTRUKTUR))),
        ("Online-Bürgerservice/Portal (Verwaltung)", Project("Online-Bürgerservice/Portal", (F.VERWALTUNG,))),
        ("Datenplattform", Project("Datenplattform", ())),
        ("X (Foo)", Project("X (Foo)", ())),
        ("X (Mobilität, Foo)", Project("X (Mobilität, Foo)", ())),
        ("Testfeld (AVF) im Realverkehr", Project("Testfeld (AVF) im Realverkehr", ())),
    ],
)
def test_rule_project(item: str, expected: Project) -> None:
    assert build_atlas.rule_project(item) == expected


def test_rule_unique_keeps_first_occurrence_in_order() -> None:
    assert build_atlas.rule_unique(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]
    assert build_atlas.rule_unique([]) == []


# --- the corrections file --------------------------------------------------------------------


def _corrections_rows() -> list[dict[str, str]]:
    with CORRECTIONS_TSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_every_correction_has_a_reason_and_a_known_kind() -> None:
    rows = _corrections_rows()
    assert rows
    for row in rows:
        assert None not in row, f"extra cells in {row}"
        assert (row["reason"] or "").strip(), f"no reason for {row['stadt']}/{row['spalte']}"
        assert row["kind"] in {"replace", "move", "keep"}
        assert row["stadt"] in build_atlas.BUNDESLAND
    assert len(build_atlas.read_corrections()) == len(rows)


def test_every_replace_changes_something() -> None:
    for c in build_atlas.read_corrections():
        if c.kind == "replace":
            assert c.raw and c.raw != c.fixed, c


def test_read_corrections_refuses_a_line_without_reason(tmp_path: Path) -> None:
    path = tmp_path / "corrections.tsv"
    path.write_text(
        "kind\tstadt\tspalte\traw\tfixed\treason\nreplace\tBonn\tnetzwerke\ta\tb\t\n", encoding="utf-8"
    )
    with pytest.raises(BuildError, match="reason"):
        build_atlas.read_corrections(path)


def test_read_corrections_refuses_an_unknown_kind(tmp_path: Path) -> None:
    path = tmp_path / "corrections.tsv"
    path.write_text(
        "kind\tstadt\tspalte\traw\tfixed\treason\nrewrite\tBonn\tnetzwerke\ta\tb\tweil\n", encoding="utf-8"
    )
    with pytest.raises(BuildError, match="kind"):
        build_atlas.read_corrections(path)


def _raw_text() -> str:
    return RAW_TABLE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("bogus", "message"),
    [
        (Correction("replace", "Aachen", "netzwerke", "gibt es nicht", "x", "test"), "exactly once"),
        (Correction("replace", "Atlantis", "netzwerke", "RWTH", "x", "test"), "did not apply"),
        (Correction("keep", "Aachen", "netzwerke", "RWTH Aachen, Mars", "", "test"), "did not apply"),
        (
            Correction("keep", "Aachen", "foerderprogramme", "RWTH Aachen, digitalHUB Aachen", "", "t"),
            "did not apply",
        ),
    ],
)
def test_a_correction_that_does_not_apply_fails_the_build(bogus: object, message: str) -> None:
    corrections = [*build_atlas.read_corrections(), bogus]
    with pytest.raises(BuildError, match=message):
        build_atlas.build_cities(_raw_text(), corrections)


def test_a_replace_that_matches_twice_fails_the_build() -> None:
    twice = Correction("replace", "Aachen", "netzwerke", "Aachen", "x", "test")
    with pytest.raises(BuildError, match="exactly once"):
        build_atlas.build_cities(_raw_text(), [*build_atlas.read_corrections(), twice])


@pytest.mark.parametrize("index", range(len(build_atlas.read_corrections())))
def test_every_correction_is_needed(index: int) -> None:
    """Leaving out any one correction fails the build or changes its result."""
    corrections = build_atlas.read_corrections()
    expected = build_atlas.build_cities(_raw_text(), corrections)
    try:
        without = build_atlas.build_cities(_raw_text(), corrections[:index] + corrections[index + 1 :])
    except BuildError:
        return
    assert without != expected, corrections[index]


# --- nothing is lost -------------------------------------------------------------------------

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_THOUSANDS = re.compile(r"(?<![\w.])[0-9]{1,3}(?:\.[0-9]{3})+(?![\w.])")
_WORD = re.compile(r"\w+")


def _raw_words(text: str) -> set[str]:
    text = _TAG.sub(" ", text)
    text = _THOUSANDS.sub(lambda m: m.group(0).replace(".", ""), text)
    return set(_WORD.findall(text))


def _independent_raw_rows() -> dict[str, list[str]]:
    """The raw table's data rows by city, parsed without the build's own reader."""
    rows: dict[str, list[str]] = {}
    for line in RAW_TABLE.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("Stadt") or line.startswith("Quelle:"):
            continue
        cells = line.split("\t")
        assert len(cells) == 10, line[:60]
        rows[cells[0].strip()] = cells
    return rows


def _clean_rows() -> dict[str, list[str]]:
    lines = ATLAS_TSV.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    bundesland = header.index("bundesland")
    rows = {}
    for line in lines[1:]:
        if line:
            cells = line.split("\t")
            rows[cells[0]] = [cell for i, cell in enumerate(cells) if i != bundesland]
    return rows


RAW_ROWS = _independent_raw_rows()
CLEAN_ROWS = _clean_rows()


def test_raw_and_clean_tables_have_the_same_cities() -> None:
    assert len(RAW_ROWS) == 20
    assert sorted(RAW_ROWS) == sorted(CLEAN_ROWS)


@pytest.mark.parametrize("stadt", sorted(RAW_ROWS))
def test_nothing_is_lost(stadt: str) -> None:
    """Words change between the raw and the clean row only where a replace-correction says so."""
    raw = _raw_words("\t".join(RAW_ROWS[stadt]))
    clean = set(_WORD.findall("\t".join(CLEAN_ROWS[stadt])))
    allowed_lost: set[str] = set()
    allowed_added: set[str] = set()
    for c in build_atlas.read_corrections():
        if c.stadt == stadt and c.kind == "replace":
            allowed_lost |= _raw_words(c.raw)
            allowed_added |= set(_WORD.findall(c.fixed))
    assert raw - clean <= allowed_lost, f"lost without a correction: {sorted(raw - clean - allowed_lost)}"
    assert clean - raw <= allowed_added, f"added without a correction: {sorted(clean - raw - allowed_added)}"


def test_nothing_is_lost_check_is_sensitive() -> None:
    """The word comparison notices a dropped word (guards the test above against being vacuous)."""
    raw = _raw_words("\t".join(RAW_ROWS["Aachen"]))
    clean = set(_WORD.findall("\t".join(CLEAN_ROWS["Aachen"]).replace("RWTH Aachen", "Aachen")))
    assert "RWTH" in raw - clean
    assert "246272" in raw
    assert "biilität" in raw
    assert "span" not in raw


# --- the clean data --------------------------------------------------------------------------


def test_header_is_exact() -> None:
    assert ATLAS_TSV.read_text(encoding="utf-8").split("\n", 1)[0] == HEADER


def test_twenty_cities(atlas: Atlas) -> None:
    assert len(atlas) == 20
    assert len(set(atlas.names)) == 20


def test_aachen(atlas: Atlas) -> None:
    aachen = atlas["Aachen"]
    assert F.MOBILITAET in aachen.handlungsfelder
    assert "Wirtschaftsförderung" in aachen.netzwerke
    assert aachen.einwohner == 246272
    assert aachen.flaeche_km2 == 161


def test_bonn_networks_keep_the_hyphen_of_the_state(atlas: Atlas) -> None:
    netzwerke = "; ".join(atlas["Bonn"].netzwerke)
    assert "Nordrhein-Westfalen" in netzwerke
    assert "NordrheinWestfalen" not in netzwerke
    assert "verwaltungsinterne Vernetzung, mit dem Ziel flacher Hierarchien" in atlas["Bonn"].netzwerke


@pytest.mark.parametrize("bad", ["<", ">", "  ", "NordrheinWestfalen", "biilität"])
def test_no_cell_contains(bad: str) -> None:
    offending = [(stadt, column) for stadt, column, cell in all_cells() if bad in cell]
    assert offending == []


def test_no_cell_or_item_has_trailing_comma_or_stray_spaces() -> None:
    for stadt, column, cell in all_cells():
        assert not cell.endswith(","), (stadt, column)
        assert cell == cell.strip(), (stadt, column)
        if cell:
            for item in cell.split("; "):
                assert item and item == item.strip(), (stadt, column, item)
                assert not item.endswith(","), (stadt, column, item)


def _guillemets_ok(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "»":
            depth += 1
        elif ch == "«":
            depth -= 1
        if depth not in (0, 1):
            return False
    return depth == 0


def test_guillemets_check_is_sensitive() -> None:
    assert _guillemets_ok("»a« und »b«")
    assert not _guillemets_ok("«a»")
    assert not _guillemets_ok("»a")
    assert not _guillemets_ok("a«")
    assert not _guillemets_ok("»»a««")


def test_guillemets_balanced_and_ordered_in_every_cell_and_item() -> None:
    for stadt, column, cell in all_cells():
        assert _guillemets_ok(cell), (stadt, column, cell)
        for item in cell.split("; "):
            assert _guillemets_ok(item), (stadt, column, item)
    assert any("»" in cell for _, _, cell in all_cells())


def test_augsburg_links_moved_out_of_foerderprogramme(atlas: Atlas) -> None:
    augsburg = atlas["Augsburg"]
    assert augsburg.foerderprogramme == ()
    assert augsburg.links == (
        "https://ratsinfo.augsburg.de/bi/to020.asp?TOLFDNR=20433",
        "https://www.buergerserviceportal.de/bayern/augsburg",
    )


def test_gelsenkirchen_links_have_no_duplicates(atlas: Atlas) -> None:
    links = atlas["Gelsenkirchen"].links
    assert len(links) == 2
    assert len(set(links)) == 2


def test_no_city_lists_an_item_twice(atlas: Atlas) -> None:
    for city in atlas:
        for column in ("links", "netzwerke", "foerderprogramme", "handlungsfelder"):
            values = getattr(city, column)
            assert len(values) == len(set(values)), (city.stadt, column)


def test_bonn_has_a_project_with_fields(atlas: Atlas) -> None:
    assert any(p.handlungsfelder for p in atlas["Bonn"].projektbeispiele)
    assert Project("Handyparken", (F.MOBILITAET,)) in atlas["Bonn"].projektbeispiele


def test_oldenburg_open_government_project_has_its_fields(atlas: Atlas) -> None:
    projects = {p.name: p for p in atlas["Oldenburg"].projektbeispiele}
    assert projects["Modellkommune Open Government"].handlungsfelder == (
        F.VERWALTUNG,
        F.GESELLSCHAFT,
        F.DATENPLATTFORM,
    )
    enaq = "»ENaQ - Energetisches Nachbarschaftsquartier Fliegerhorst Oldenburg«"
    assert projects[enaq].handlungsfelder == (F.ENERGIE_UMWELT,)


def test_projects_with_a_field_list_in_the_source_kept_their_fields(atlas: Atlas) -> None:
    dresden = {p.name: p for p in atlas["Dresden"].projektbeispiele}
    assert dresden["MATCHUp"].handlungsfelder == (F.ENERGIE_UMWELT, F.MOBILITAET)
    darmstadt = {p.name: p for p in atlas["Darmstadt"].projektbeispiele}
    assert darmstadt["Datenplattform"].handlungsfelder == ()
    assert darmstadt["Smart Traffic"].handlungsfelder == (F.MOBILITAET, F.ENERGIE_UMWELT)


def test_urls_are_well_formed(atlas: Atlas) -> None:
    urls = [url for city in atlas for url in city.links]
    assert len(urls) >= 20
    for url in urls:
        assert " " not in url, url
        assert re.fullmatch(r"https?://[^\s/]+(/\S*)?", url), url


def test_darmstadt_link(atlas: Atlas) -> None:
    assert atlas["Darmstadt"].links == ("https://www.digitalstadt-darmstadt.de/",)


def test_repaired_urls(atlas: Atlas) -> None:
    links = [url for city in atlas for url in city.links]
    assert any(url.startswith("https://verkehrsforschung.dlr.de/de/projekte/testfeld-") for url in links)
    assert "https://ratsinfo.braunschweig.de/bi/vo020.asp?VOLFDNR=1011484" in links
    assert any("stadt_buerger/politik_verwaltung" in url for url in atlas["Aachen"].links)


def test_every_city_has_a_german_state(atlas: Atlas) -> None:
    for city in atlas:
        assert city.bundesland in BUNDESLAENDER, city.stadt
    assert atlas["Münster"].bundesland == "Nordrhein-Westfalen"
    assert atlas["Rostock"].bundesland == "Mecklenburg-Vorpommern"


def test_halle_has_no_handlungsfelder(atlas: Atlas) -> None:
    halle = atlas["Halle (Saale)"]
    assert halle.handlungsfelder == ()
    assert halle.foerderprogramme == (
        "Antragstellung Modellprojekte Smart Cities (BMI), 3. Staffel beabsichtigt",
    )


def test_numbers_are_plausible(atlas: Atlas) -> None:
    for city in atlas:
        assert 100_000 < city.einwohner < 1_000_000, city.stadt
        assert 50 < city.flaeche_km2 < 1000, city.stadt


def test_texts_are_nfc() -> None:
    for stadt, column, cell in all_cells():
        assert unicodedata.is_normalized("NFC", cell), (stadt, column)


def test_build_cities_equals_loaded_records(atlas: Atlas) -> None:
    built = build_atlas.build_cities(_raw_text(), build_atlas.read_corrections())
    assert tuple(built) == atlas.cities
    assert all(isinstance(c, City) for c in built)
