"""Unit tests of atlascli.query: resolving names, fields and states; filtering, sorting, comparing."""

from __future__ import annotations

import json
import sys
import unicodedata

import pytest
from harness import spawn
from records import make_city

from atlascli import load_atlas
from atlascli.memory import MemoryAtlas
from atlascli.model import ALL_FIELDS, City, Handlungsfeld, Project
from atlascli.query import (
    CityFilter,
    Comparison,
    QueryError,
    SortKey,
    UnknownCity,
    UnknownValue,
    compare_cities,
    filter_cities,
    resolve_bundesland,
    resolve_city,
    resolve_field,
    sort_cities,
)

ATLAS = load_atlas()
NAMES = [c.stadt for c in ATLAS]
H = Handlungsfeld


def city(name: str) -> City:
    return ATLAS[name]


def names(cities: list[City]) -> list[str]:
    return [c.stadt for c in cities]


# --- resolve_city ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_city_resolves_exactly_by_its_name(name: str) -> None:
    for spelling in (
        name,
        name.upper(),
        name.lower(),
        unicodedata.normalize("NFD", name),
        f"  {name}  ",
    ):
        resolved = resolve_city(ATLAS, spelling)
        assert resolved.city.stadt == name, spelling
        assert resolved.note is None, spelling


@pytest.mark.parametrize("name", [n for n in NAMES if any(ch in n for ch in "äöüÄÖÜß")])
def test_ascii_umlaut_spellings_resolve_without_note(name: str) -> None:
    for spelling in (
        name.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss"),
        name.replace("ü", "u").replace("ö", "o").replace("ä", "a"),
    ):
        resolved = resolve_city(ATLAS, spelling)
        assert resolved.city.stadt == name
        assert resolved.note is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("halle", "Halle (Saale)"),
        ("Halle/Saale", "Halle (Saale)"),
        ("Halle Saale", "Halle (Saale)"),
        ("freiburg", "Freiburg im Breisgau"),
        ("Freiburg", "Freiburg im Breisgau"),
        ("freiburg-im-breisgau", "Freiburg im Breisgau"),
    ],
)
def test_folded_and_qualifier_tiers_have_no_note(query: str, expected: str) -> None:
    resolved = resolve_city(ATLAS, query)
    assert resolved.city.stadt == expected
    assert resolved.note is None


@pytest.mark.parametrize(
    ("query", "expected"), [("Karlsruh", "Karlsruhe"), ("Gelsen", "Gelsenkirchen"), ("wupp", "Wuppertal")]
)
def test_prefix_tier_sets_note(query: str, expected: str) -> None:
    resolved = resolve_city(ATLAS, query)
    assert resolved.city.stadt == expected
    assert resolved.note is not None
    assert expected in resolved.note
    assert query in resolved.note


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Oldenbrug", "Oldenburg"),
        ("Dresdn", "Dresden"),
        ("Hanover", "Hannover"),
        ("Brunschweig", "Braunschweig"),
    ],
)
def test_fuzzy_tier_sets_note(query: str, expected: str) -> None:
    resolved = resolve_city(ATLAS, query)
    assert resolved.city.stadt == expected
    assert resolved.note is not None
    assert expected in resolved.note


def test_ambiguous_prefix() -> None:
    with pytest.raises(UnknownCity) as info:
        resolve_city(ATLAS, "d")
    assert info.value.ambiguous
    assert set(info.value.suggestions) == {n for n in NAMES if n.lower().startswith("d")}
    assert len(info.value.suggestions) >= 2
    assert "several" in str(info.value)


@pytest.mark.parametrize("query", ["München", "Berlin", "Hamburg", "Stuttgart", "xyz"])
def test_city_not_in_atlas_has_no_silly_suggestions(query: str) -> None:
    with pytest.raises(UnknownCity) as info:
        resolve_city(ATLAS, query)
    assert not info.value.ambiguous
    assert info.value.suggestions == ()
    assert "not in the atlas" in str(info.value)


def test_near_miss_gets_suggestions() -> None:
    with pytest.raises(UnknownCity) as info:
        resolve_city(ATLAS, "Dortmburg")
    assert "Dortmund" in info.value.suggestions
    assert not info.value.ambiguous
    assert "did you mean" in str(info.value)


@pytest.mark.parametrize("query", ["", "   ", "!!!", "/"])
def test_empty_query_is_unknown(query: str) -> None:
    with pytest.raises(UnknownCity):
        resolve_city(ATLAS, query)


def test_unknown_city_is_a_query_error() -> None:
    assert issubclass(UnknownCity, QueryError)
    assert issubclass(UnknownValue, QueryError)


def test_two_cities_with_same_base_name_are_ambiguous() -> None:
    atlas = MemoryAtlas((make_city("Frankfurt am Main"), make_city("Frankfurt (Oder)", "Brandenburg")))
    with pytest.raises(UnknownCity) as info:
        resolve_city(atlas, "frankfurt")
    assert info.value.ambiguous
    assert set(info.value.suggestions) == {"Frankfurt am Main", "Frankfurt (Oder)"}
    assert resolve_city(atlas, "Frankfurt (Oder)").city.stadt == "Frankfurt (Oder)"
    assert resolve_city(atlas, "frankfurt oder").city.stadt == "Frankfurt (Oder)"


# --- resolve_field -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Gesundheit", H.GESUNDHEIT),
        ("gesundheit", H.GESUNDHEIT),
        ("GESUNDHEIT", H.GESUNDHEIT),
        ("gesund", H.GESUNDHEIT),
        ("Mobilität", H.MOBILITAET),
        ("mobilitaet", H.MOBILITAET),
        ("mobilitat", H.MOBILITAET),
        ("energie", H.ENERGIE_UMWELT),
        ("Energie & Umwelt", H.ENERGIE_UMWELT),
        ("energie umwelt", H.ENERGIE_UMWELT),
        ("it", H.IT_INFRASTRUKTUR),
        ("IT-Infrastruktur", H.IT_INFRASTRUKTUR),
        ("it infrastruktur", H.IT_INFRASTRUKTUR),
        ("daten", H.DATENPLATTFORM),
        ("verwaltung", H.VERWALTUNG),
    ],
)
def test_resolve_field(query: str, expected: Handlungsfeld) -> None:
    assert resolve_field(query) is expected


@pytest.mark.parametrize("feld", ALL_FIELDS)
def test_every_field_resolves_by_its_own_name(feld: Handlungsfeld) -> None:
    assert resolve_field(feld.value) is feld
    assert resolve_field(feld.value.upper()) is feld


def test_ambiguous_field() -> None:
    with pytest.raises(UnknownValue) as info:
        resolve_field("ge")
    assert "ambiguous" in str(info.value)
    assert "Gesellschaft" in str(info.value)
    assert "Gesundheit" in str(info.value)


@pytest.mark.parametrize("query", ["Raumfahrt", "", "xyz", "umwelt"])
def test_unknown_field_lists_valid(query: str) -> None:
    with pytest.raises(UnknownValue) as info:
        resolve_field(query)
    assert info.value.valid == tuple(f.value for f in ALL_FIELDS)
    for feld in ALL_FIELDS:
        assert feld.value in str(info.value)


# --- resolve_bundesland ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("NRW", "Nordrhein-Westfalen"),
        ("NW", "Nordrhein-Westfalen"),
        ("nrw", "Nordrhein-Westfalen"),
        ("nordrhein-westfalen", "Nordrhein-Westfalen"),
        ("Nordrhein Westfalen", "Nordrhein-Westfalen"),
        ("BY", "Bayern"),
        ("by", "Bayern"),
        ("BW", "Baden-Württemberg"),
        ("baden-wuerttemberg", "Baden-Württemberg"),
        ("SN", "Sachsen"),
        ("ST", "Sachsen-Anhalt"),
        ("HE", "Hessen"),
        ("NI", "Niedersachsen"),
        ("MV", "Mecklenburg-Vorpommern"),
        ("TH", "Thüringen"),
        ("thueringen", "Thüringen"),
        ("HH", "Hamburg"),
        ("HB", "Bremen"),
        ("BE", "Berlin"),
        ("BB", "Brandenburg"),
        ("SH", "Schleswig-Holstein"),
        ("SL", "Saarland"),
        ("RP", "Rheinland-Pfalz"),
        ("meck", "Mecklenburg-Vorpommern"),
    ],
)
def test_resolve_bundesland(query: str, expected: str) -> None:
    assert resolve_bundesland(query) == expected


def test_exact_name_beats_prefix() -> None:
    assert resolve_bundesland("Sachsen") == "Sachsen"
    assert resolve_bundesland("sachsen") == "Sachsen"
    assert resolve_bundesland("Sachsen-Anhalt") == "Sachsen-Anhalt"
    assert resolve_bundesland("sachsen anh") == "Sachsen-Anhalt"


def test_ambiguous_bundesland() -> None:
    with pytest.raises(UnknownValue) as info:
        resolve_bundesland("Sa")
    message = str(info.value)
    assert "ambiguous" in message
    for land in ("Saarland", "Sachsen", "Sachsen-Anhalt"):
        assert land in message


def test_unknown_bundesland() -> None:
    with pytest.raises(UnknownValue) as info:
        resolve_bundesland("Atlantis")
    assert "Bayern (BY)" in str(info.value)


def test_bundesland_from_users_own_atlas() -> None:
    atlas = MemoryAtlas((make_city("Innsbruck", "Tirol"),))
    assert resolve_bundesland("tirol", atlas) == "Tirol"
    with pytest.raises(UnknownValue):
        resolve_bundesland("tirol")


def test_every_bundesland_of_the_atlas_resolves() -> None:
    for c in ATLAS:
        assert resolve_bundesland(c.bundesland, ATLAS) == c.bundesland


# --- filter_cities -----------------------------------------------------------------------------


def test_empty_filter_keeps_everything_in_order() -> None:
    assert names(filter_cities(ATLAS, CityFilter())) == NAMES


@pytest.mark.parametrize("feld", ALL_FIELDS)
def test_filter_by_one_field(feld: Handlungsfeld) -> None:
    expected = [c.stadt for c in ATLAS if feld in c.handlungsfelder]
    assert names(filter_cities(ATLAS, CityFilter(felder=(feld,)))) == expected


def test_filter_gesundheit_pinned() -> None:
    got = names(filter_cities(ATLAS, CityFilter(felder=(H.GESUNDHEIT,))))
    assert got == [
        "Braunschweig",
        "Darmstadt",
        "Dresden",
        "Duisburg",
        "Gelsenkirchen",
        "Heidelberg",
        "Oldenburg",
    ]


def test_filter_all_versus_any() -> None:
    felder = (H.GESUNDHEIT, H.HANDEL)
    all_of = names(filter_cities(ATLAS, CityFilter(felder=felder)))
    any_of = names(filter_cities(ATLAS, CityFilter(felder=felder, any_feld=True)))
    assert all_of == [
        c.stadt for c in ATLAS if H.GESUNDHEIT in c.handlungsfelder and H.HANDEL in c.handlungsfelder
    ]
    assert any_of == [
        c.stadt for c in ATLAS if H.GESUNDHEIT in c.handlungsfelder or H.HANDEL in c.handlungsfelder
    ]
    assert set(all_of) < set(any_of)


def test_filter_bundesland_is_case_insensitive() -> None:
    expected = [c.stadt for c in ATLAS if c.bundesland == "Sachsen"]
    assert expected == ["Chemnitz", "Dresden", "Leipzig"]
    assert names(filter_cities(ATLAS, CityFilter(bundesland="Sachsen"))) == expected
    assert names(filter_cities(ATLAS, CityFilter(bundesland="sachsen"))) == expected


def test_filter_population() -> None:
    got = filter_cities(ATLAS, CityFilter(min_einwohner=300000, max_einwohner=500000))
    assert names(got) == [c.stadt for c in ATLAS if 300000 <= c.einwohner <= 500000]
    exact = city("Bonn").einwohner
    assert "Bonn" in names(filter_cities(ATLAS, CityFilter(min_einwohner=exact, max_einwohner=exact)))
    assert filter_cities(ATLAS, CityFilter(min_einwohner=10**9)) == []


@pytest.mark.parametrize("text", ["Städtetag", "städtetag", "STAEDTETAG", "stadtetag"])
def test_filter_netzwerk_folds(text: str) -> None:
    expected = [c.stadt for c in ATLAS if any("städtetag" in n.lower() for n in c.netzwerke)]
    assert len(expected) == 5
    assert names(filter_cities(ATLAS, CityFilter(netzwerk=text))) == expected


def test_filter_foerderprogramm_and_projekt() -> None:
    got = names(filter_cities(ATLAS, CityFilter(foerderprogramm="lead city")))
    assert got == [c.stadt for c in ATLAS if any("lead city" in f.lower() for f in c.foerderprogramme)]
    assert "Bonn" in got
    assert names(filter_cities(ATLAS, CityFilter(projekt="LoRaWAN"))) == ["Gelsenkirchen", "Karlsruhe"]


def test_filter_projekt_searches_names_not_fields() -> None:
    atlas = MemoryAtlas((make_city("A", projektbeispiele=(Project("Parken", (H.MOBILITAET,)),)),))
    assert filter_cities(atlas, CityFilter(projekt="mobilit")) == []
    assert names(filter_cities(atlas, CityFilter(projekt="park"))) == ["A"]


def test_filter_conditions_all_hold() -> None:
    conditions = CityFilter(felder=(H.MOBILITAET,), bundesland="Nordrhein-Westfalen", min_einwohner=300000)
    expected = [
        c.stadt
        for c in ATLAS
        if H.MOBILITAET in c.handlungsfelder
        and c.bundesland == "Nordrhein-Westfalen"
        and c.einwohner >= 300000
    ]
    assert expected
    assert names(filter_cities(ATLAS, conditions)) == expected


# --- sort_cities -------------------------------------------------------------------------------


def test_sort_none_keeps_order_and_reverse_reverses() -> None:
    assert names(sort_cities(ATLAS, None)) == NAMES
    assert names(sort_cities(ATLAS, None, reverse=True)) == NAMES[::-1]


def test_sort_einwohner_numeric() -> None:
    got = sort_cities(ATLAS, SortKey.einwohner)
    assert [c.einwohner for c in got] == sorted(c.einwohner for c in ATLAS)
    down = sort_cities(ATLAS, SortKey.einwohner, reverse=True)
    assert [c.einwohner for c in down] == sorted((c.einwohner for c in ATLAS), reverse=True)
    assert down[0].stadt == "Dortmund"


def test_sort_numbers_not_as_text() -> None:
    atlas = [make_city("A", einwohner=100000), make_city("B", einwohner=99999), make_city("C", einwohner=5)]
    assert names(sort_cities(atlas, SortKey.einwohner)) == ["C", "B", "A"]


def test_sort_stadt_folds_umlauts_and_case() -> None:
    atlas = [make_city("zeta"), make_city("Ülm"), make_city("Ulm-Ost"), make_city("alpha")]
    assert names(sort_cities(atlas, SortKey.stadt)) == ["alpha", "Ülm", "Ulm-Ost", "zeta"]
    got = names(sort_cities(ATLAS, SortKey.stadt))
    assert got.index("Leipzig") < got.index("Münster") < got.index("Oldenburg")


def test_sort_flaeche_and_dichte() -> None:
    by_area = sort_cities(ATLAS, SortKey.flaeche_km2)
    assert [c.flaeche_km2 for c in by_area] == sorted(c.flaeche_km2 for c in ATLAS)
    by_density = sort_cities(ATLAS, SortKey.einwohner_pro_km2)
    densities = [c.einwohner / c.flaeche_km2 for c in by_density]
    assert densities == sorted(densities)


def test_sort_list_columns_by_length() -> None:
    got = sort_cities(ATLAS, SortKey.handlungsfelder)
    assert [len(c.handlungsfelder) for c in got] == sorted(len(c.handlungsfelder) for c in ATLAS)
    assert got[0].stadt == "Halle (Saale)"  # the atlas lists no Handlungsfeld for Halle
    nets = sort_cities(ATLAS, SortKey.netzwerke, reverse=True)
    assert [len(c.netzwerke) for c in nets] == sorted((len(c.netzwerke) for c in ATLAS), reverse=True)


def test_sort_ties_broken_by_name() -> None:
    atlas = [make_city("Cc"), make_city("Aa"), make_city("Bb")]
    assert names(sort_cities(atlas, SortKey.einwohner)) == ["Aa", "Bb", "Cc"]


def test_sort_does_not_change_its_input() -> None:
    cities = list(ATLAS)
    sort_cities(cities, SortKey.einwohner, reverse=True)
    assert names(cities) == NAMES


# --- compare_cities ----------------------------------------------------------------------------


def _check_comparison(comparison: Comparison, cities: list[City]) -> None:
    sets = {c.stadt: set(c.handlungsfelder) for c in cities}
    assert comparison.fields_in_all == tuple(f for f in ALL_FIELDS if all(f in s for s in sets.values()))
    assert comparison.fields_in_none == tuple(f for f in ALL_FIELDS if not any(f in s for s in sets.values()))
    assert list(comparison.fields_only_in) == [c.stadt for c in cities]
    for name, own in sets.items():
        others = set().union(*(s for n, s in sets.items() if n != name))
        assert set(comparison.fields_only_in[name]) == own - others


def test_compare_bonn_muenster() -> None:
    cities = [city("Bonn"), city("Münster")]
    comparison = compare_cities(cities)
    assert comparison.cities == tuple(cities)
    _check_comparison(comparison, cities)
    assert comparison.fields_in_all == (
        H.BILDUNG,
        H.DATENPLATTFORM,
        H.ENERGIE_UMWELT,
        H.IT_INFRASTRUKTUR,
        H.VERWALTUNG,
    )
    assert comparison.fields_only_in == {"Bonn": (H.MOBILITAET, H.SICHERHEIT), "Münster": (H.GESELLSCHAFT,)}
    assert comparison.fields_in_none == (H.GESUNDHEIT, H.HANDEL)


@pytest.mark.parametrize(
    "group",
    [
        ["Dresden", "Leipzig", "Chemnitz"],
        ["Halle (Saale)", "Darmstadt"],
        ["Aachen", "Augsburg", "Bonn", "Rostock"],
    ],
)
def test_compare_groups(group: list[str]) -> None:
    cities = [city(n) for n in group]
    _check_comparison(compare_cities(cities), cities)


def test_compare_shared_items() -> None:
    a = make_city("A", netzwerke=("Deutscher Städtetag", "Nur A"), projektbeispiele=(Project("Open Data"),))
    b = make_city("B", netzwerke=("deutscher staedtetag", "Nur B"), projektbeispiele=(Project("open data"),))
    comparison = compare_cities([a, b])
    blocks = {block.column: block for block in comparison.lists}
    assert set(blocks) == {"projektbeispiele", "netzwerke", "foerderprogramme"}
    assert blocks["netzwerke"].is_shared("Deutscher Städtetag")
    assert not blocks["netzwerke"].is_shared("Nur A")
    assert blocks["projektbeispiele"].is_shared("Open Data")
    assert blocks["netzwerke"].per_city == {"A": a.netzwerke, "B": b.netzwerke}
    assert blocks["foerderprogramme"].shared == ()


def test_compare_needs_two_different_cities() -> None:
    with pytest.raises(QueryError):
        compare_cities([city("Bonn")])
    with pytest.raises(QueryError):
        compare_cities([])
    with pytest.raises(QueryError):
        compare_cities([city("Bonn"), city("Bonn")])


# --- the core stays light ----------------------------------------------------------------------

_HEAVY = ("typer", "rich", "rapidfuzz")


def _loaded_after(code: str) -> list[str]:
    probe = (
        f"{code}\nimport json, sys\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(_HEAVY)!r}))))"
    )
    result = spawn([sys.executable, "-c", probe])
    assert result.returncode == 0, result.stderr
    loaded: list[str] = json.loads(result.stdout.splitlines()[-1])
    return loaded


def test_core_imports_no_heavy_modules() -> None:
    assert _loaded_after("import atlascli.query, atlascli.search, atlascli.loader, atlascli.text") == []


def test_exact_and_prefix_resolution_do_not_import_rapidfuzz() -> None:
    code = (
        "from atlascli import load_atlas\n"
        "from atlascli.query import resolve_city, filter_cities, CityFilter, resolve_field\n"
        "a = load_atlas()\n"
        "assert resolve_city(a, 'Münster').city.stadt == 'Münster'\n"
        "assert resolve_city(a, 'muenster').city.stadt == 'Münster'\n"
        "assert resolve_city(a, 'halle').city.stadt == 'Halle (Saale)'\n"
        "assert resolve_city(a, 'Karlsruh').city.stadt == 'Karlsruhe'\n"
        "filter_cities(a, CityFilter(felder=(resolve_field('gesundheit'),), netzwerk='städtetag'))\n"
    )
    assert _loaded_after(code) == []


def test_fuzzy_resolution_does_load_rapidfuzz() -> None:
    code = (
        "from atlascli import load_atlas\n"
        "from atlascli.query import resolve_city\n"
        "assert resolve_city(load_atlas(), 'Oldenbrug').city.stadt == 'Oldenburg'\n"
    )
    assert _loaded_after(code) == ["rapidfuzz"]
