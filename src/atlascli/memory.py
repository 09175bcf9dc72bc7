"""An atlas held in memory: the records of a file parsed whole (the bundled atlas, small files)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from atlascli.model import Atlas, City, CityFilter, Vocabulary
from atlascli.text import base_key, match_key, name_key
from atlascli.tsv import city_cells


class MemoryAtlas(Atlas):
    """Cities as a tuple of records; lookups by name are built when first asked for."""

    __slots__ = ("_by_key", "_cities", "_keys", "_names", "_vocabulary")

    def __init__(self, cities: Iterable[City], source: str = "atlas.tsv") -> None:
        super().__init__(source)
        self._cities = tuple(cities)
        self._names = tuple(c.stadt for c in self._cities)
        self._by_key = {key: i for i, key in enumerate(map(match_key, self._names))}
        self._keys: list[tuple[str, str]] | None = None
        self._vocabulary: Vocabulary | None = None

    @property
    def cities(self) -> Sequence[City]:
        return self._cities

    @property
    def names(self) -> Sequence[str]:
        return self._names

    def position(self, name: str) -> int | None:
        return self._by_key.get(match_key(name))

    def select(self, conditions: CityFilter) -> Iterator[int]:
        tests = conditions.predicates()
        return (i for i, c in enumerate(self._cities) if all(t(c) for t in tests))

    def name_keys(self) -> Sequence[tuple[str, str]]:
        if self._keys is None:
            self._keys = [(name_key(n), base_key(n)) for n in self._names]
        return self._keys

    def bundeslaender(self) -> list[str]:
        return list(dict.fromkeys(c.bundesland for c in self._cities))

    def vocabulary(self) -> Vocabulary:
        if self._vocabulary is None:
            from atlascli.search import build_vocabulary

            self._vocabulary = build_vocabulary(self._cities)
        return self._vocabulary

    def cells(self, positions: Iterable[int]) -> Iterator[list[str]]:
        cities = self._cities
        return (city_cells(cities[i]) for i in positions)
