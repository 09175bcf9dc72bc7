"""The typed records of the atlas: cities, their projects and the ten Handlungsfelder."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from atlascli.text import match_key

if TYPE_CHECKING:
    from atlascli.store import RowIndex


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


class Atlas:
    """The cities of one atlas file, in file order, with lookup by name.

    ``cities`` is a sequence: a tuple for a file parsed whole, or (for a large file) a lazy
    sequence that reads each city from the file when it is asked for (:mod:`atlascli.store`),
    with ``index`` holding what is known of every row without parsing it. A plain class, not a
    dataclass: it is a collection, and building a dataclass costs start-up time.
    """

    __slots__ = ("_by_key", "cities", "index", "names", "source")

    def __init__(
        self,
        cities: Sequence[City],
        source: str = "atlas.tsv",
        names: Sequence[str] | None = None,
        keys: Iterable[str] | None = None,
        index: RowIndex | None = None,
    ) -> None:
        self.cities = cities
        self.source = source
        self.names: tuple[str, ...] = tuple(names) if names is not None else tuple(c.stadt for c in cities)
        self.index = index
        self._by_key = {
            key: i for i, key in enumerate(keys if keys is not None else map(match_key, self.names))
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Atlas) and list(self.cities) == list(other.cities)

    def __hash__(self) -> int:
        return hash(tuple(self.names))

    def __repr__(self) -> str:
        return f"Atlas({len(self.cities)} cities from {self.source!r})"

    def __iter__(self) -> Iterator[City]:
        return iter(self.cities)

    def __len__(self) -> int:
        return len(self.cities)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and match_key(name) in self._by_key

    def position(self, name: str) -> int | None:
        """Where the city of this exact name (see :meth:`get`) stands in ``cities``."""
        return self._by_key.get(match_key(name))

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
