"""Questions asked of an atlas: resolve names, filter, sort and compare cities.

Plain Python values in and out; no typer, rich or I/O here. RapidFuzz is imported only when a
fuzzy match is really needed (exact, folded and prefix matches never load it).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from atlascli.errors import QueryError, UnknownCity, UnknownValue
from atlascli.model import ALL_FIELDS, Atlas, City, CityFilter, Handlungsfeld
from atlascli.schema import BY_NAME, Kind, SortKey
from atlascli.text import fold, item_key, match_key, name_key, named_items

# --- names -----------------------------------------------------------------------------------

FUZZY_ACCEPT = 80.0  # a fuzzy score at or above this is a clear match ...
FUZZY_MARGIN = 8.0  # ... if the runner-up is at least this far behind
FUZZY_SUGGEST = 70.0  # below this a name is not worth suggesting ("München" is not "Aachen")


class Resolved(NamedTuple):
    """A city found for a query; ``note`` says how, when the match was not exact."""

    city: City
    note: str | None = None


def resolve_city(atlas: Atlas, query: str) -> Resolved:
    """The one city meant by ``query``: exact, then folded, qualifier-less, prefix, then fuzzy."""
    city = atlas.get(query)
    if city is not None:
        return Resolved(city)
    key = name_key(query)
    if not key:
        raise UnknownCity(query)
    cities = atlas.cities
    for base in (False, True):
        found = atlas.named(key, base=base)
        if len(found) == 1:
            return Resolved(cities[found[0]])
        if len(found) > 1:
            raise UnknownCity(query, [cities[i].stadt for i in found], ambiguous=True)
    found = atlas.named(key, prefix=True)
    if len(found) == 1:
        city = cities[found[0]]
        return Resolved(city, f"showing {city.stadt} for {query!r}")
    if len(found) > 1:
        raise UnknownCity(query, [cities[i].stadt for i in found[:8]], ambiguous=True)
    return _resolve_fuzzy(atlas, query, key)


def _resolve_fuzzy(atlas: Atlas, query: str, key: str) -> Resolved:
    """The city whose name key or base key is clearly the closest to ``key`` (RapidFuzz's ratio),
    else UnknownCity with the close names as suggestions."""
    scored = fuzzy_scores(atlas, key)
    if not scored:
        raise UnknownCity(query, [], ambiguous=False)
    cities = atlas.cities
    best_score, best = scored[0]
    # scores below FUZZY_SUGGEST are not listed: a missing runner-up is below it, so more than
    # FUZZY_MARGIN behind any best score that is accepted (FUZZY_ACCEPT - FUZZY_SUGGEST > MARGIN)
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best_score >= FUZZY_ACCEPT and best_score - runner_up >= FUZZY_MARGIN:
        city = cities[best]
        return Resolved(city, f"showing {city.stadt} for {query!r}")
    suggestions = [cities[i].stadt for s, i in scored[:3] if best_score - s < 15]
    raise UnknownCity(query, suggestions, ambiguous=False)


def fuzzy_scores(atlas: Atlas, key: str, cutoff: float = FUZZY_SUGGEST) -> list[tuple[float, int]]:
    """(score, position) of every city whose name key or base key scores at least ``cutoff``
    against ``key`` (the better of the two, by RapidFuzz's ratio), best first, ties in atlas
    order. Scored by RapidFuzz in one call per key column: the positions and keys are read
    once (:meth:`~atlascli.model.Atlas.keyed_names`) and names below the cutoff are skipped
    inside RapidFuzz."""
    from rapidfuzz import fuzz, process  # only now: exact and prefix matches never pay for the import

    best: dict[int, float] = {}
    for base in (False, True):
        positions, keys = atlas.keyed_names(base=base)
        for _, score, j in process.extract(
            key, keys, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=None
        ):
            i = positions[j]
            if score > best.get(i, -1.0):
                best[i] = score
    return sorted(((s, i) for i, s in best.items()), key=lambda pair: (-pair[0], pair[1]))


# --- vocabularies: fields, Bundesländer, columns ----------------------------------------------


def _resolve_choice(kind: str, query: str, choices: dict[str, str], display: Sequence[str]) -> str:
    """Value in ``choices`` (folded key → value) meant by ``query``: exact fold, then unique prefix."""
    key = name_key(query)
    if key in choices:
        return choices[key]
    starts = sorted({v for k, v in choices.items() if key and k.startswith(key)})
    if len(starts) == 1:
        return starts[0]
    raise UnknownValue(kind, query, display, ambiguous=starts if len(starts) > 1 else ())


def resolve_field(query: str) -> Handlungsfeld:
    """A Handlungsfeld from a forgiving spelling: ``gesundheit``, ``mobilitaet``, ``energie``."""
    choices = {name_key(f.value): f.value for f in ALL_FIELDS}
    value = _resolve_choice("Handlungsfeld", query, choices, [f.value for f in ALL_FIELDS])
    return Handlungsfeld(value)


BUNDESLAENDER: dict[str, tuple[str, ...]] = {
    "Baden-Württemberg": ("BW",),
    "Bayern": ("BY",),
    "Berlin": ("BE",),
    "Brandenburg": ("BB",),
    "Bremen": ("HB",),
    "Hamburg": ("HH",),
    "Hessen": ("HE",),
    "Mecklenburg-Vorpommern": ("MV",),
    "Niedersachsen": ("NI",),
    "Nordrhein-Westfalen": ("NW", "NRW"),
    "Rheinland-Pfalz": ("RP",),
    "Saarland": ("SL",),
    "Sachsen": ("SN",),
    "Sachsen-Anhalt": ("ST",),
    "Schleswig-Holstein": ("SH",),
    "Thüringen": ("TH",),
}


def resolve_bundesland(query: str, atlas: Atlas | None = None) -> str:
    """The full name of a federal state from its name, a unique prefix or its usual abbreviation.

    States that appear in ``atlas`` but are not German (a user's own atlas) are accepted by name.
    """
    choices: dict[str, str] = {}
    for name, codes in BUNDESLAENDER.items():
        choices[name_key(name)] = name
        for code in codes:
            choices[name_key(code)] = name
    known = choices.get(name_key(query))
    if known is not None:
        # the atlas's own spellings are only added where no German state or code has that key
        # (setdefault below), so an exact state or code is the answer whatever the atlas holds:
        # a large atlas need not list its Bundesländer (a scan of every row)
        return known
    if atlas is not None:
        for land in atlas.bundeslaender():
            choices.setdefault(name_key(land), land)
    display = [f"{name} ({'/'.join(codes)})" for name, codes in BUNDESLAENDER.items()]
    return _resolve_choice("Bundesland", query, choices, display)


# --- filtering and sorting ---------------------------------------------------------------------


def filtered_positions(atlas: Atlas, conditions: CityFilter) -> Iterator[int]:
    """Where the cities meeting ``conditions`` stand in ``atlas.cities``, in atlas order."""
    return atlas.select(conditions)


def filtered_cities(atlas: Atlas | Iterable[City], conditions: CityFilter) -> Iterator[City]:
    """The cities meeting ``conditions``, one at a time, in atlas order."""
    if isinstance(atlas, Atlas):
        return atlas.cities_at(filtered_positions(atlas, conditions))
    tests = conditions.predicates()
    return (c for c in atlas if all(t(c) for t in tests))


def filter_cities(atlas: Atlas | Iterable[City], conditions: CityFilter) -> list[City]:
    return list(filtered_cities(atlas, conditions))


def _sort_value(key: SortKey) -> Callable[[City], tuple[float, str, str]]:
    """Numbers numerically, text by its folded spelling, lists by their number of items; the city
    name breaks ties."""
    name = key.value
    kind = BY_NAME[name].kind
    if kind == Kind.TEXT:
        return lambda c: (0.0, fold(getattr(c, name)), fold(c.stadt))
    if kind == Kind.LIST:
        return lambda c: (float(len(getattr(c, name))), "", fold(c.stadt))
    return lambda c: (float(getattr(c, name) or 0), "", fold(c.stadt))  # a density may be None


def sort_cities(
    cities: Iterable[City], key: SortKey | None, *, reverse: bool = False, limit: int | None = None
) -> Iterable[City]:
    """Cities ordered by a column: numbers numerically, text by folded spelling, lists by length;
    at most ``limit`` of them. Unsorted and unreversed, they stream through one at a time."""
    if key is None and not reverse:
        return cities if limit is None else itertools.islice(cities, limit)
    ordered = list(cities)
    if key is not None:
        ordered.sort(key=_sort_value(key), reverse=reverse)
    elif reverse:
        ordered.reverse()
    return ordered[:limit]


# --- comparison --------------------------------------------------------------------------------


class SharedItems(NamedTuple):
    """One list attribute across compared cities: each city's items and which are shared."""

    column: str
    per_city: dict[str, tuple[str, ...]]
    shared: tuple[str, ...]  # keys (text.item_key) of items named by two or more of the cities

    def is_shared(self, item: str) -> bool:
        return item_key(item) in self.shared


class Comparison(NamedTuple):
    cities: tuple[City, ...]
    fields_in_all: tuple[Handlungsfeld, ...]
    fields_only_in: dict[str, tuple[Handlungsfeld, ...]]
    fields_in_none: tuple[Handlungsfeld, ...]
    lists: tuple[SharedItems, ...] = ()


def compare_cities(cities: Sequence[City]) -> Comparison:
    """Side-by-side facts of two or more cities: shared and unique Handlungsfelder and items."""
    if len(cities) < 2:
        raise QueryError("compare needs at least two cities")
    names = [c.stadt for c in cities]
    if len({match_key(n) for n in names}) < len(names):
        raise QueryError("compare needs different cities; a city was named twice")
    in_all = tuple(f for f in ALL_FIELDS if all(f in c.handlungsfelder for c in cities))
    in_none = tuple(f for f in ALL_FIELDS if not any(f in c.handlungsfelder for c in cities))
    only_in: dict[str, tuple[Handlungsfeld, ...]] = {}
    for city in cities:
        others = [c for c in cities if c is not city]
        only_in[city.stadt] = tuple(
            f for f in city.handlungsfelder if not any(f in o.handlungsfelder for o in others)
        )
    lists = []
    for column in ("projektbeispiele", "netzwerke", "foerderprogramme"):
        per_city = {c.stadt: _items(c, column) for c in cities}
        counts: dict[str, int] = {}
        for items in per_city.values():
            for key in named_items(items):
                counts[key] = counts.get(key, 0) + 1
        shared = tuple(sorted(k for k, n in counts.items() if n > 1))
        lists.append(SharedItems(column, per_city, shared))
    return Comparison(tuple(cities), in_all, only_in, in_none, tuple(lists))


def _items(city: City, column: str) -> tuple[str, ...]:
    if column == "projektbeispiele":
        return tuple(p.name for p in city.projektbeispiele)
    value: tuple[str, ...] = getattr(city, column)
    return value
