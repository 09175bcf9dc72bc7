"""The typed records of the atlas (cities, their projects and the ten Handlungsfelder), the
conditions a city can be selected by, and :class:`Atlas`: what the core asks of a set of cities,
whichever way they are stored (:mod:`atlascli.memory` in memory, :mod:`atlascli.store` in SQLite)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from atlascli.text import folded_contains, match_key

if TYPE_CHECKING:
    import sqlite3

# how a large atlas tells of a build that takes a while: (what is built, done, in all); the first
# validation counts bytes, later builds (search words, SQL tables) count cities
Progress = Callable[[str, int, int], None]


class Handlungsfeld(StrEnum):
    """The fixed vocabulary of the ten fields of action, in the atlas's own spelling."""

    BILDUNG = "Bildung"
    DATENPLATTFORM = "Datenplattform"
    ENERGIE_UMWELT = "Energie & Umwelt"
    GESELLSCHAFT = "Gesellschaft"
    GESUNDHEIT = "Gesundheit"
    HANDEL = "Handel"
    IT_INFRASTRUKTUR = "IT-Infrastruktur"
    MOBILITAET = "Mobilität"
    SICHERHEIT = "Sicherheit"
    VERWALTUNG = "Verwaltung"

    @property
    def key(self) -> str:
        """Stable ASCII snake_case name for machine formats: ``energie_umwelt``, ``mobilitaet``."""
        return _FIELD_KEYS[self]

    @property
    def short(self) -> str:
        """Three-letter abbreviation for compact grids."""
        return _FIELD_SHORT[self]


_FIELD_KEYS = {f: f.name.lower() for f in Handlungsfeld}
_FIELD_SHORT = {
    Handlungsfeld.BILDUNG: "BIL",
    Handlungsfeld.DATENPLATTFORM: "DAT",
    Handlungsfeld.ENERGIE_UMWELT: "E&U",
    Handlungsfeld.GESELLSCHAFT: "GES",
    Handlungsfeld.GESUNDHEIT: "GSH",
    Handlungsfeld.HANDEL: "HAN",
    Handlungsfeld.IT_INFRASTRUKTUR: "IT",
    Handlungsfeld.MOBILITAET: "MOB",
    Handlungsfeld.SICHERHEIT: "SIC",
    Handlungsfeld.VERWALTUNG: "VER",
}
ALL_FIELDS: tuple[Handlungsfeld, ...] = tuple(Handlungsfeld)
FIELD_BY_NAME: dict[str, Handlungsfeld] = {f.value: f for f in Handlungsfeld}


@dataclass(frozen=True, slots=True)
class Project:
    """An example project, with the Handlungsfelder the atlas assigns to it (possibly none)."""

    name: str
    handlungsfelder: tuple[Handlungsfeld, ...] = ()


@dataclass(frozen=True, slots=True)
class City:
    """One row of the atlas."""

    stadt: str
    bundesland: str
    einwohner: int
    flaeche_km2: int
    organisation: str
    strategie: str
    handlungsfelder: tuple[Handlungsfeld, ...]
    netzwerke: tuple[str, ...]
    projektbeispiele: tuple[Project, ...]
    foerderprogramme: tuple[str, ...]
    links: tuple[str, ...]

    @property
    def einwohner_pro_km2(self) -> float | None:
        """Inhabitants per km², or None where the area is zero."""
        if self.flaeche_km2 == 0:
            return None
        return self.einwohner / self.flaeche_km2

    def profile(self) -> Profile:
        return Profile(
            self.stadt,
            self.bundesland,
            self.einwohner,
            self.flaeche_km2,
            self.handlungsfelder,
            self.netzwerke,
            self.foerderprogramme,
        )


@dataclass(frozen=True, slots=True)
class Profile:
    """A city as the questions across the atlas see it (stats, fields, similar, matrix): its name,
    place, size, fields, networks and programmes, without texts, projects and links, which a large
    atlas then need not read."""

    stadt: str
    bundesland: str
    einwohner: int
    flaeche_km2: int
    handlungsfelder: tuple[Handlungsfeld, ...]
    netzwerke: tuple[str, ...]
    foerderprogramme: tuple[str, ...]


PROFILE_COLUMNS: tuple[str, ...] = Profile.__match_args__  # its fields, in order


class CityFilter(NamedTuple):
    """Conditions a city must meet; every given condition must hold."""

    felder: tuple[Handlungsfeld, ...] = ()
    any_feld: bool = False
    bundesland: str | None = None
    min_einwohner: int | None = None
    max_einwohner: int | None = None
    netzwerk: str | None = None
    foerderprogramm: str | None = None
    projekt: str | None = None

    def text_conditions(self) -> CityFilter:
        """Only the conditions on text (networks, programmes, projects), which no index answers."""
        return CityFilter(netzwerk=self.netzwerk, foerderprogramm=self.foerderprogramm, projekt=self.projekt)

    def predicates(self) -> list[Callable[[City], bool]]:
        tests: list[Callable[[City], bool]] = []
        if self.felder:
            combine = any if self.any_feld else all
            felder = self.felder
            tests.append(lambda c: combine(f in c.handlungsfelder for f in felder))
        if self.bundesland is not None:
            land = match_key(self.bundesland)
            tests.append(lambda c: match_key(c.bundesland) == land)
        if self.min_einwohner is not None:
            low = self.min_einwohner
            tests.append(lambda c: c.einwohner >= low)
        if self.max_einwohner is not None:
            high = self.max_einwohner
            tests.append(lambda c: c.einwohner <= high)
        for text, items in (
            (self.netzwerk, lambda c: c.netzwerke),
            (self.foerderprogramm, lambda c: c.foerderprogramme),
            (self.projekt, lambda c: tuple(p.name for p in c.projektbeispiele)),
        ):
            if text is not None:
                tests.append(_contains_test(text, items))
        return tests


def _contains_test(text: str, items: Callable[[City], tuple[str, ...]]) -> Callable[[City], bool]:
    contains = folded_contains(text)
    return lambda c: any(contains(item) for item in items(c))


class Vocabulary(NamedTuple):
    """The folded words of an atlas's searched text (:func:`atlascli.search.city_words`), each with
    the positions of the cities whose text holds it, in atlas order."""

    words: Sequence[str]  # sorted
    rows: Mapping[str, Sequence[int]]


class Tallies(NamedTuple):
    """What ``atlas stats`` counts over every city (:func:`atlascli.insights.atlas_stats`): each
    city's name, inhabitants, area and number of Handlungsfelder, in atlas order; how many cities
    each Bundesland has; each field's cities, in atlas order; and each network and funding
    programme, as written, in order of first appearance, with the positions of the cities naming it."""

    names: Sequence[str]
    einwohner: Sequence[int]
    flaeche_km2: Sequence[int]
    felder_pro_stadt: Sequence[int]
    per_land: Mapping[str, int]
    staedte: Mapping[Handlungsfeld, Sequence[str]]  # every field, in ALL_FIELDS order
    netzwerke: Mapping[str, Sequence[int]]
    foerderprogramme: Mapping[str, Sequence[int]]


def tallies_of(profiles: Iterable[Profile]) -> Tallies:
    """The :class:`Tallies` of these cities, in one pass (none is kept)."""
    names: list[str] = []
    einwohner: list[int] = []
    flaeche: list[int] = []
    felder_pro_stadt: list[int] = []
    per_land: dict[str, int] = {}
    staedte: dict[Handlungsfeld, list[str]] = {f: [] for f in ALL_FIELDS}
    lists_of: dict[tuple[Handlungsfeld, ...], list[list[str]]] = {}  # a field set's city lists
    netzwerke: dict[str, list[int]] = {}
    foerderprogramme: dict[str, list[int]] = {}
    for i, c in enumerate(profiles):
        stadt = c.stadt
        names.append(stadt)
        einwohner.append(c.einwohner)
        flaeche.append(c.flaeche_km2)
        felder = c.handlungsfelder
        felder_pro_stadt.append(len(felder))
        per_land[c.bundesland] = per_land.get(c.bundesland, 0) + 1
        lists = lists_of.get(felder)
        if lists is None:
            lists = lists_of[felder] = [staedte[f] for f in dict.fromkeys(felder)]
        for field_names in lists:
            field_names.append(stadt)
        for item in c.netzwerke:
            netzwerke.setdefault(item, []).append(i)
        for item in c.foerderprogramme:
            foerderprogramme.setdefault(item, []).append(i)
    return Tallies(
        names, einwohner, flaeche, felder_pro_stadt, per_land, staedte, netzwerke, foerderprogramme
    )


class Atlas:
    """The cities of one atlas file, in file order: what the core asks of them.

    Two kinds implement it: :class:`atlascli.memory.MemoryAtlas` (the records in memory) and
    :class:`atlascli.store.StoredAtlas` (a large file's rows in a SQLite database). Positions are
    indexes into :attr:`cities`, in file order. Names are matched by :func:`atlascli.text.name_key`
    and :func:`atlascli.text.base_key`.
    """

    __slots__ = ("source",)

    def __init__(self, source: str) -> None:
        self.source = source

    # --- what each kind provides -----------------------------------------------------------

    @property
    def cities(self) -> Sequence[City]:
        """Every city, in file order (read as they are asked for, where the atlas is stored)."""
        raise NotImplementedError

    @property
    def names(self) -> Sequence[str]:
        """Every city's name, in file order."""
        raise NotImplementedError

    def position(self, name: str) -> int | None:
        """Where the city of exactly this name (:func:`~atlascli.text.match_key`) stands."""
        raise NotImplementedError

    def select(self, conditions: CityFilter) -> Iterator[int]:
        """The positions of the cities meeting ``conditions``, in file order."""
        raise NotImplementedError

    def name_keys(self) -> Sequence[tuple[str, str]]:
        """(name key, base key) of every city, for fuzzy matching."""
        raise NotImplementedError

    def bundeslaender(self) -> list[str]:
        """The Bundesland spellings in the atlas, each once, in order of first appearance."""
        raise NotImplementedError

    def vocabulary(self) -> Vocabulary:
        """The words of the cities' searched text, and where each occurs."""
        raise NotImplementedError

    def cells(self, positions: Iterable[int]) -> Iterator[list[str]]:
        """The TSV cells (:func:`atlascli.tsv.city_cells`) of the cities at these positions."""
        raise NotImplementedError

    # --- the same for every kind, unless it knows a quicker way ------------------------------

    def csv_lines(self, positions: Iterable[int]) -> Iterator[bytes] | None:
        """The CSV line (with its line end, in UTF-8) of each city at these positions, if the
        atlas keeps them ready (a large file's store, for what it selected itself); None: the
        writer makes them from the cells."""
        return None

    def sql_database(self) -> sqlite3.Connection | None:
        """A database of this atlas in the schema of ``atlas export`` that the atlas keeps itself
        (a large file's, in the cache), or None: then :func:`atlascli.sql.database_of` builds one."""
        return None

    def field_counts(self) -> dict[Handlungsfeld, int]:
        """How many cities name each Handlungsfeld (every field, in :data:`ALL_FIELDS` order)."""
        counts = dict.fromkeys(ALL_FIELDS, 0)
        for profile in self.profiles():
            for feld in set(profile.handlungsfelder):
                counts[feld] += 1
        return counts

    def tallies(self) -> Tallies:
        """What ``atlas stats`` counts (:class:`Tallies`), over every city."""
        return tallies_of(self.profiles())

    def profiles(self, positions: Iterable[int] | None = None) -> Iterator[Profile]:
        """The :class:`Profile` of every city (or of those at these positions), in that order."""
        cities = self.cities if positions is None else self.cities_at(positions)
        return (c.profile() for c in cities)

    def cities_at(self, positions: Iterable[int]) -> Iterator[City]:
        """The cities at these positions, in that order."""
        cities = self.cities
        return (cities[i] for i in positions)

    def keyed_names(self, *, base: bool = False) -> tuple[Sequence[int], Sequence[str]]:
        """Every city's position and its name key (or base key), two sequences in the same order
        (not necessarily the atlas's): what a fuzzy pass scores."""
        which = 1 if base else 0
        keys = self.name_keys()
        return range(len(keys)), [k[which] for k in keys]

    def named(self, key: str, *, base: bool = False, prefix: bool = False) -> list[int]:
        """Positions of the cities whose name key (or base key) is ``key`` (or starts with it)."""
        which = 1 if base else 0
        if prefix:
            return [i for i, keys in enumerate(self.name_keys()) if keys[which].startswith(key)]
        return [i for i, keys in enumerate(self.name_keys()) if keys[which] == key]

    def get(self, name: str) -> City | None:
        """The city of exactly this name, ignoring case, Unicode normal form and surrounding blanks.

        Forgiving lookups (umlaut spellings, prefixes, typos) are :func:`atlascli.query.resolve_city`'s."""
        i = self.position(name)
        return None if i is None else self.cities[i]

    def __getitem__(self, name: str) -> City:
        city = self.get(name)
        if city is None:
            raise KeyError(name)
        return city

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.position(name) is not None

    def __iter__(self) -> Iterator[City]:
        return iter(self.cities)

    def __len__(self) -> int:
        return len(self.cities)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Atlas) and list(self.cities) == list(other.cities)

    def __hash__(self) -> int:
        return hash(tuple(self.names))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} cities from {self.source!r})"
