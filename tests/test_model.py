"""Tests of the typed records (atlascli.model) and the TSV serialisation (atlascli.tsv)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from records import make_city

from atlascli.loader import parse_atlas
from atlascli.memory import MemoryAtlas
from atlascli.model import ALL_FIELDS, FIELD_BY_NAME, Atlas, City, Handlungsfeld, Project
from atlascli.tsv import COLUMNS, city_cells, dumps, format_project, split_items, split_project

F = Handlungsfeld


# a record with something in every field, for the serialisation tests
BONN = make_city(
    "Bonn",
    bundesland="Nordrhein-Westfalen",
    einwohner=325490,
    flaeche_km2=141,
    organisation="Lenkungskreis",
    strategie="Digitales Bonn",
    handlungsfelder=(F.BILDUNG, F.MOBILITAET),
    netzwerke=("Digital Hub Region Bonn",),
    projektbeispiele=(Project("Handyparken", (F.MOBILITAET,)), Project("Bare")),
    foerderprogramme=("»Lead City« (BMU, BMVI)",),
    links=("https://smartcity.bonn.de/",),
)


# --- City ------------------------------------------------------------------------------------


def test_einwohner_pro_km2() -> None:
    assert make_city("Bonn", einwohner=1000, flaeche_km2=4).einwohner_pro_km2 == 250.0
    aachen = make_city("Aachen", einwohner=246272, flaeche_km2=161)
    assert aachen.einwohner_pro_km2 == pytest.approx(1529.64, abs=0.01)
    assert make_city("Bonn", einwohner=0, flaeche_km2=5).einwohner_pro_km2 == 0.0


def test_einwohner_pro_km2_is_none_for_zero_area() -> None:
    assert make_city("Bonn", einwohner=1000, flaeche_km2=0).einwohner_pro_km2 is None
    assert make_city("Bonn", einwohner=0, flaeche_km2=0).einwohner_pro_km2 is None


def test_records_are_immutable() -> None:
    city = make_city("Bonn")
    with pytest.raises(AttributeError):
        city.einwohner = 1  # type: ignore[misc]


def test_handlungsfelder_vocabulary() -> None:
    assert len(ALL_FIELDS) == 10
    assert FIELD_BY_NAME["Energie & Umwelt"] is F.ENERGIE_UMWELT
    assert str(F.MOBILITAET) == "Mobilität"
    assert set(FIELD_BY_NAME) == {f.value for f in ALL_FIELDS}


# --- Atlas -----------------------------------------------------------------------------------

MUENSTER_NFC = unicodedata.normalize("NFC", "Münster")
MUENSTER_NFD = unicodedata.normalize("NFD", "Münster")


@pytest.fixture
def atlas() -> Atlas:
    return MemoryAtlas((make_city("Bonn"), make_city(MUENSTER_NFC), make_city("Halle (Saale)")))


def test_atlas_basics(atlas: Atlas) -> None:
    assert len(atlas) == 3
    assert atlas.names == ("Bonn", "Münster", "Halle (Saale)")
    assert [c.stadt for c in atlas] == list(atlas.names)


@pytest.mark.parametrize("query", ["Münster", "münster", "MÜNSTER", MUENSTER_NFD, "  münster ", "mÜnStEr"])
def test_lookup_ignores_case_and_normal_form(atlas: Atlas, query: str) -> None:
    city = atlas.get(query)
    assert city is not None
    assert city.stadt == MUENSTER_NFC
    assert atlas[query] is city
    assert query in atlas


def test_lookup_of_a_city_stored_in_nfd() -> None:
    atlas = MemoryAtlas((make_city(MUENSTER_NFD),))
    assert atlas.get(MUENSTER_NFC) is atlas.cities[0]
    assert "MÜNSTER" in atlas


def test_lookup_of_name_with_parentheses(atlas: Atlas) -> None:
    assert atlas["halle (saale)"].stadt == "Halle (Saale)"


@pytest.mark.parametrize("query", ["Köln", "", "Mnster", "Bonn2", "Halle"])
def test_unknown_city(atlas: Atlas, query: str) -> None:
    assert atlas.get(query) is None
    assert query not in atlas
    with pytest.raises(KeyError):
        atlas[query]


@pytest.mark.parametrize("query", [None, 42, ("Bonn",), b"Bonn"])
def test_contains_refuses_non_strings(atlas: Atlas, query: object) -> None:
    assert query not in atlas


def test_lookup_is_exact_but_for_case_and_normal_form(atlas: Atlas) -> None:
    # umlaut spellings are the resolver's job (query.resolve_city), not the collection's
    assert atlas.get("Muenster") is None
    assert atlas.get("MÜNSTER") is not None


def test_atlas_equality_ignores_lookup_table() -> None:
    assert MemoryAtlas((make_city("Bonn"),)) == MemoryAtlas((make_city("Bonn"),))
    assert MemoryAtlas((make_city("Bonn"),)) != MemoryAtlas((make_city("Köln"),))


# --- TSV serialisation -----------------------------------------------------------------------


def test_dumps_layout() -> None:
    text = dumps([BONN])
    lines = text.split("\n")
    assert lines[0] == "\t".join(COLUMNS)
    assert lines[-1] == ""
    assert len(lines) == 3
    assert lines[1].split("\t") == city_cells(BONN)
    assert city_cells(BONN)[6:9] == [
        "Bildung; Mobilität",
        "Digital Hub Region Bonn",
        "Handyparken (Mobilität); Bare",
    ]


def test_dumps_of_no_cities_is_just_the_header() -> None:
    assert dumps([]) == "\t".join(COLUMNS) + "\n"


def test_format_and_split_project() -> None:
    project = Project("Smart Traffic", (F.MOBILITAET, F.ENERGIE_UMWELT))
    assert format_project(project) == "Smart Traffic (Mobilität / Energie & Umwelt)"
    assert split_project(format_project(project)) == ("Smart Traffic", ["Mobilität", "Energie & Umwelt"])
    assert format_project(Project("Datenplattform")) == "Datenplattform"
    assert split_project("Datenplattform") == ("Datenplattform", [])


def test_split_items() -> None:
    assert split_items("") == []
    assert split_items("  ") == []
    assert split_items("a; b ;c") == ["a", "b", "c"]


def test_dumps_round_trip_of_a_fixed_example() -> None:
    cities = [BONN, replace(BONN, stadt="Köln", handlungsfelder=(), projektbeispiele=(), links=())]
    assert parse_atlas(dumps(cities).encode("utf-8")).cities == tuple(cities)


# --- round trip, property-based --------------------------------------------------------------

_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\t\n\r;")
_TEXT = st.text(_CHARS, max_size=30).filter(lambda s: s == s.strip())
_NON_EMPTY = _TEXT.filter(bool)
_PROJECT_NAME = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\t\n\r;()/"),
        min_size=1,
        max_size=20,
    )
    .filter(lambda s: s == s.strip())
    .filter(bool)
)
_LINK = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789"), min_size=1, max_size=12).map(
    lambda s: f"https://example.org/{s}"
)
_FIELDS = st.lists(st.sampled_from(ALL_FIELDS), max_size=4, unique=True).map(tuple)
_PROJECT = st.builds(Project, _PROJECT_NAME, _FIELDS)


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


_CITY = st.builds(
    City,
    stadt=_NON_EMPTY,
    bundesland=_TEXT,
    einwohner=st.integers(min_value=0, max_value=10**10),
    flaeche_km2=st.integers(min_value=0, max_value=10**6),
    organisation=_TEXT,
    strategie=_TEXT,
    handlungsfelder=_FIELDS,
    netzwerke=st.lists(_NON_EMPTY, max_size=4).map(tuple),
    projektbeispiele=st.lists(_PROJECT, max_size=4).map(tuple),
    foerderprogramme=st.lists(_NON_EMPTY, max_size=4).map(tuple),
    links=st.lists(_LINK, max_size=3).map(tuple),
)


@settings(max_examples=50, deadline=None)
@given(st.lists(_CITY, min_size=1, max_size=5, unique_by=lambda c: _key(c.stadt)))
def test_dumps_then_parse_gives_the_same_cities(cities: list[City]) -> None:
    text = dumps(cities)
    assert text.endswith("\n")
    assert text.count("\n") == len(cities) + 1
    atlas = parse_atlas(text.encode("utf-8"), "generated.tsv")
    assert atlas.cities == tuple(cities)
    assert atlas.source == "generated.tsv"
    for city in cities:
        assert atlas[city.stadt] == city
