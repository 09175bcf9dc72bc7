"""Large atlas files: validated once, then read row by row, with what was learnt kept in a cache.

A file of 100,000 cities is about 100 MB; as Python objects all of it would take five times that.
So a large file is validated in one pass that keeps, per row, only where the row is in the file
and the few values filters need without parsing (name, Handlungsfelder, inhabitants, Bundesland):
a :class:`RowIndex`. Cities are parsed from their bytes when they are asked for.

The index is stored in the user's cache directory (``$XDG_CACHE_HOME/atlascli`` or
``~/.cache/atlascli``; ``ATLAS_CACHE_DIR`` overrides it) under a key made of the file's real path,
size, modification time and a SHA-1 of its content, so a cache is never used for a file that
changed. It is written atomically (a temporary file renamed into place) and ignored and rebuilt
when it cannot be read. ``atlas --no-cache`` (``ATLAS_NO_CACHE=1``) neither reads nor writes it.
The search vocabulary of a large file is cached the same way, the first time it is searched.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, overload

from atlascli.model import ALL_FIELDS, Atlas, City, CityFilter, Handlungsfeld, Vocabulary
from atlascli.text import base_key, match_key, name_key
from atlascli.tsv import city_cells
from atlascli.validate import Data, RowParser, header_order, no_gc, validated_rows

FORMAT = 3  # bump when the cached structures change
FIELD_BITS = {f: 1 << i for i, f in enumerate(ALL_FIELDS)}

T = TypeVar("T")


class RowIndex(NamedTuple):
    """What validation learnt of every row of one file, in file order."""

    order: list[int]  # the file's column order, for reading rows back
    lines: array[int]  # line number of each row
    starts: array[int]  # byte range of each row in the file
    ends: array[int]
    names: list[str]
    keys: list[str]  # text.match_key of each name
    fields: array[int]  # Handlungsfelder of each row as a bit mask (FIELD_BITS)
    einwohner: array[int]
    bundesland: list[str]
    canonical: array[int]  # 1 where the row's cells are already as the TSV writer writes them


def field_mask(fields: Iterable[Handlungsfeld]) -> int:
    mask = 0
    for f in fields:
        mask |= FIELD_BITS[f]
    return mask


class LazyCities(Sequence[City]):
    """The cities of a large file, each parsed from its bytes when it is asked for."""

    def __init__(self, data: Data, index: RowIndex, shown: str) -> None:
        self._data = data
        self._index = index
        self._parser = RowParser(shown, index.order, [])

    def __len__(self) -> int:
        return len(self._index.starts)

    @overload
    def __getitem__(self, i: int) -> City: ...

    @overload
    def __getitem__(self, i: slice) -> list[City]: ...

    def __getitem__(self, i: int | slice) -> City | list[City]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        index = self._index
        return self._parser.read(self._data[index.starts[i] : index.ends[i]].decode("utf-8"))

    def __iter__(self) -> Iterator[City]:
        # no gc.disable() here: a generator would keep the collector off for as long as its
        # consumer runs, whatever that consumer builds
        return (self[i] for i in range(len(self)))

    def cells(self, i: int) -> list[str]:
        """Row ``i`` as the TSV writer writes it (tsv.city_cells), straight from the file's bytes
        when the row is written that way already (as rows written by atlascli are)."""
        index = self._index
        if not index.canonical[i]:
            return city_cells(self[i])
        cells = self._data[index.starts[i] : index.ends[i]].decode("utf-8").split("\t")
        return [cells[j] for j in index.order]


def build_index(data: Data, shown: str) -> RowIndex:
    """Validate a whole file (raising AtlasDataError as the full loader does) and index its rows."""
    lines, starts, ends = array("Q"), array("Q"), array("Q")
    names: list[str] = []
    keys: list[str] = []
    fields, einwohner = array("H"), array("Q")
    bundesland: list[str] = []
    canonical = array("B")
    shared: dict[str, str] = {}
    order = header_order(data, shown)
    rows = validated_rows(data, shown)
    with no_gc():
        for row in rows:
            city = row.city
            raw = data[row.start : row.end].decode("utf-8").split("\t")
            canonical.append([raw[j] for j in order] == city_cells(city))
            lines.append(row.line)
            starts.append(row.start)
            ends.append(row.end)
            names.append(city.stadt)
            keys.append(match_key(city.stadt))
            fields.append(field_mask(city.handlungsfelder))
            einwohner.append(city.einwohner)
            bundesland.append(shared.setdefault(city.bundesland, city.bundesland))
    return RowIndex(
        order,
        lines,
        starts,
        ends,
        names,
        keys,
        fields,
        einwohner,
        bundesland,
        canonical,
    )


# --- the cache -----------------------------------------------------------------------------


def cache_dir() -> Path:
    configured = os.environ.get("ATLAS_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "atlascli"


def cache_enabled(requested: bool) -> bool:
    return requested and not os.environ.get("ATLAS_NO_CACHE")


def _cache_key(path: Path) -> tuple[str, int, int, str]:
    real = path.resolve()
    stat = real.stat()
    # read in chunks rather than through the mapping, which would make the whole file resident
    with real.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha1").hexdigest()
    return str(real), stat.st_size, stat.st_mtime_ns, digest


def _cache_file(key: tuple[str, int, int, str], kind: str) -> Path:
    name = hashlib.sha1(key[0].encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return cache_dir() / f"{name}.{kind}"


def read_cached(key: tuple[str, int, int, str], kind: str) -> Any | None:
    """The cached value for this key, or None when there is none or it cannot be used."""
    try:
        with _cache_file(key, kind).open("rb") as handle:
            stored = pickle.load(handle)
    except Exception:  # a cache that cannot be read (truncated, another version, ...) is rebuilt
        return None
    if not isinstance(stored, tuple) or len(stored) != 3 or stored[0] != FORMAT or stored[1] != key:
        return None
    return stored[2]


def write_cached(key: tuple[str, int, int, str], kind: str, value: object) -> None:
    """Store a value atomically; a cache that cannot be written is simply not written."""
    target = _cache_file(key, kind)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((FORMAT, key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
            Path(tmp).replace(target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def cached(key: tuple[str, int, int, str] | None, kind: str, build: Callable[[], T]) -> T:
    if key is None:
        return build()
    value = read_cached(key, kind)
    if value is None:
        value = build()
        write_cached(key, kind, value)
    return value


# --- loading ----------------------------------------------------------------------------------


class LargeAtlas(Atlas):
    """An atlas read lazily from a large file, with its row index and cache key."""

    __slots__ = ("_by_key", "_cities", "_index", "_keys", "cache_key")

    def __init__(
        self, data: Data, shown: str, index: RowIndex, key: tuple[str, int, int, str] | None
    ) -> None:
        super().__init__(shown)
        self._cities = LazyCities(data, index, shown)
        self._index = index
        self._by_key = {k: i for i, k in enumerate(index.keys)}
        self._keys: list[tuple[str, str]] | None = None
        self.cache_key = key

    @property
    def cities(self) -> Sequence[City]:
        return self._cities

    @property
    def names(self) -> Sequence[str]:
        return self._index.names

    def position(self, name: str) -> int | None:
        return self._by_key.get(match_key(name))

    def select(self, conditions: CityFilter) -> Iterator[int]:
        rows = candidate_rows(self._index, conditions)
        text_only = conditions.text_conditions().predicates()
        if not text_only:
            return rows
        return (i for i in rows if all(t(self._cities[i]) for t in text_only))

    def name_keys(self) -> Sequence[tuple[str, str]]:
        if self._keys is None:
            self._keys = [(name_key(n), base_key(n)) for n in self._index.names]
        return self._keys

    def bundeslaender(self) -> list[str]:
        return list(dict.fromkeys(self._index.bundesland))

    def vocabulary(self) -> Vocabulary:
        from atlascli.search import build_vocabulary

        return cached(self.cache_key, "words", lambda: build_vocabulary(self._cities))

    def cells(self, positions: Iterable[int]) -> Iterator[list[str]]:
        return (self._cities.cells(i) for i in positions)


def load_large(data: Data, shown: str, path: Path, use_cache: bool) -> Atlas:
    key = _cache_key(path) if cache_enabled(use_cache) else None
    index = cached(key, "index", lambda: build_index(data, shown))
    return LargeAtlas(data, shown, index, key)


def candidate_rows(index: RowIndex, conditions: CityFilter) -> Iterator[int]:
    """Rows that can meet these conditions, decided from the index without parsing a row."""
    mask = field_mask(conditions.felder)
    any_feld = conditions.any_feld
    land = match_key(conditions.bundesland) if conditions.bundesland is not None else None
    land_ok: dict[str, bool] = {}
    low = conditions.min_einwohner if conditions.min_einwohner is not None else 0
    high = conditions.max_einwohner
    for i, (bits, people) in enumerate(zip(index.fields, index.einwohner, strict=True)):
        if mask and ((bits & mask) == 0 if any_feld else (bits & mask) != mask):
            continue
        if people < low or (high is not None and people > high):
            continue
        if land is not None:
            value = index.bundesland[i]
            ok = land_ok.get(value)
            if ok is None:
                ok = land_ok[value] = match_key(value) == land
            if not ok:
                continue
        yield i
