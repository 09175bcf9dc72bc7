"""The quicker ways some commands answer on a large file give exactly what the plain rules give:
each is checked against the rule written out plainly here (the oracle), on the bundled atlas, on
a stored atlas and on generated ones."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from records import make_city

from atlascli.errors import UnknownCity, UnknownValue
from atlascli.memory import MemoryAtlas
from atlascli.model import Atlas, City
from atlascli.query import (
    BUNDESLAENDER,
    FUZZY_ACCEPT,
    FUZZY_MARGIN,
    FUZZY_SUGGEST,
    _resolve_choice,
    _resolve_fuzzy,
    resolve_bundesland,
)
from atlascli.store import StoredAtlas
from atlascli.text import match_key, name_key
from atlascli.tsv import dumps


def stored(cities: Sequence[City]) -> StoredAtlas:
    data = dumps(cities).encode("utf-8")
    return StoredAtlas("generated.tsv", lambda: data, None, None)  # built in memory


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
