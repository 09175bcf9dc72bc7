"""The typed records of the atlas: cities, their projects and the ten Handlungsfelder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from atlascli.text import match_key


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

    def has_field(self, feld: Handlungsfeld) -> bool:
        return feld in self.handlungsfelder


class Atlas:
    """The cities of one atlas file, in file order, with lookup by name.

    A plain class, not a dataclass: it is a collection, and building a dataclass costs start-up time.
    """

    __slots__ = ("_by_key", "cities", "source")

    def __init__(self, cities: tuple[City, ...], source: str = "atlas.tsv") -> None:
        self.cities = cities
        self.source = source
        self._by_key = {match_key(c.stadt): c for c in cities}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Atlas) and self.cities == other.cities

    def __hash__(self) -> int:
        return hash(self.cities)

    def __repr__(self) -> str:
        return f"Atlas({len(self.cities)} cities from {self.source!r})"

    def __iter__(self) -> Iterator[City]:
        return iter(self.cities)

    def __len__(self) -> int:
        return len(self.cities)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and match_key(name) in self._by_key

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.stadt for c in self.cities)

    def get(self, name: str) -> City | None:
        """The city of exactly this name, ignoring case, Unicode normal form and surrounding blanks.

        Forgiving lookups (umlaut spellings, prefixes, typos) are :func:`atlascli.query.resolve_city`'s."""
        return self._by_key.get(match_key(name))

    def __getitem__(self, name: str) -> City:
        city = self.get(name)
        if city is None:
            raise KeyError(name)
        return city
