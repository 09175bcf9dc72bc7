"""Serialisation of cities to and from the atlas TSV: the one place that knows the format.

A row has the stored columns of :mod:`atlascli.schema`, in its order. List columns join their items
with :data:`~atlascli.schema.ITEM_SEPARATOR`; a project is written ``Name (Feld / Feld)`` or as a
bare name. Reading here trusts the cells (they were validated by :mod:`atlascli.loader`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter

from atlascli.model import FIELD_BY_NAME, PROFILE_COLUMNS, City, Handlungsfeld, Profile, Project
from atlascli.schema import COLUMNS, FIELD_SEPARATOR, ITEM_SEPARATOR, STORED, Column, Item, Kind


def split_items(cell: str) -> list[str]:
    """Items of a list cell; an empty cell has none. Surrounding blanks of each item are dropped."""
    if not cell.strip():
        return []
    return [item.strip() for item in cell.split(";")]


def split_project(item: str) -> tuple[str, list[str]]:
    """Split ``Name (A / B)`` into its name and field names; a bare name has no fields.

    Plain string searches, not a regular expression: linear in the item's length whatever it
    holds (a pattern with a lazy name before ``\\s*`` took quadratic time on long blank runs)."""
    body = item[:-1] if item.endswith(")\n") else item  # as the pattern's $: before a final newline
    if not body.endswith(")"):
        return item, []
    open_at = body.rfind("(", 0, len(body) - 1)
    if open_at < 0 or ")" in body[open_at + 1 : -1]:
        return item, []
    return body[:open_at].rstrip(), [f.strip() for f in body[open_at + 1 : -1].split("/")]


def format_project(project: Project) -> str:
    if not project.handlungsfelder:
        return project.name
    return f"{project.name} ({format_fields(project.handlungsfelder, FIELD_SEPARATOR)})"


def format_fields(fields: Iterable[Handlungsfeld], separator: str = ITEM_SEPARATOR) -> str:
    return separator.join(fields)  # a StrEnum member is the str of its value: no .value per field


def _writer(column: Column) -> Callable[[City], str]:
    get = attrgetter(column.name)
    if column.kind == Kind.NUMBER:
        return lambda city: str(get(city))
    if column.kind == Kind.TEXT:
        return get
    if column.items != Item.PROJEKT:  # text, or Handlungsfelder: StrEnum members, each the str of its value
        return lambda city: ITEM_SEPARATOR.join(get(city))
    return lambda city: ITEM_SEPARATOR.join(map(format_project, get(city)))


_WRITERS = tuple(_writer(c) for c in STORED)


def city_cells(city: City) -> list[str]:
    """The TSV cells of a city, in :data:`~atlascli.schema.COLUMNS` order."""
    return [write(city) for write in _WRITERS]


def dumps(cities: Iterable[City]) -> str:
    """The atlas TSV text (UTF-8 content, LF line ends, one header row) for these cities."""
    lines = ["\t".join(COLUMNS)]
    lines.extend("\t".join(city_cells(c)) for c in cities)
    return "\n".join(lines) + "\n"


@functools.lru_cache(maxsize=65536)  # a large atlas's projects repeat: each is split once
def _project_name(item: str) -> str:
    return split_project(item)[0]


def _written_texts(column: Column) -> Callable[[str], list[str]]:
    if column.kind != Kind.LIST:
        return lambda cell: [cell]
    if column.items == Item.PROJEKT:
        return lambda cell: list(map(_project_name, cell.split(ITEM_SEPARATOR))) if cell else []
    return lambda cell: cell.split(ITEM_SEPARATOR) if cell else []


_TEXTS = {c.name: (i, _written_texts(c)) for i, c in enumerate(STORED)}


def written_pairs(columns: Sequence[str]) -> Callable[[Sequence[str]], list[tuple[str, str]]]:
    """A function giving the (column, text) pairs of these columns of a row's cells exactly as
    :func:`city_cells` writes them (a large atlas's stored rows), as the City read from them holds
    them: a text or number cell whole, a list cell's items, a project's name. The columns are
    looked up once, for every row a search reads."""
    readers = [(column, *_TEXTS[column]) for column in columns]

    def pairs(cells: Sequence[str]) -> list[tuple[str, str]]:
        return [(column, text) for column, at, texts in readers for text in texts(cells[at])]

    return pairs


def read_project(item: str) -> Project:
    name, field_names = split_project(item)
    return Project(name, tuple(FIELD_BY_NAME[f] for f in field_names))


def _reader(column: Column) -> Callable[[str], object]:
    if column.kind == Kind.NUMBER:
        return int
    if column.kind == Kind.TEXT:
        return str.strip if column.trimmed else str
    if column.items == Item.TEXT:
        return lambda cell: tuple(split_items(cell))
    item = read_project if column.items == Item.PROJEKT else FIELD_BY_NAME.__getitem__
    return lambda cell: tuple(item(i) for i in split_items(cell))


Reader = Callable[[str], object]
# how each stored column's cell becomes its value; City's fields are the stored columns, in order
READERS: dict[str, Reader] = {c.name: _reader(c) for c in STORED}
_TRUSTED = tuple(READERS.values())


def city_of(cells: Sequence[str], readers: Sequence[Reader] = _TRUSTED) -> City:
    """The City of a row's cells in COLUMNS order, each read by its column's reader (the loader
    passes readers that also check the cell): the one place a City is made from a row."""
    values = [read(cell) for read, cell in zip(readers, cells, strict=True)]
    return City(*values)  # type: ignore[arg-type]  # each reader gives its column's type


_PROFILE_READERS = tuple((COLUMNS.index(name), READERS[name]) for name in PROFILE_COLUMNS)


def profile_of(cells: Sequence[str]) -> Profile:
    """The :class:`~atlascli.model.Profile` of a row's trusted cells: only its columns are read
    (a project list, the longest cell, stays text)."""
    values = [read(cells[j]) for j, read in _PROFILE_READERS]
    return Profile(*values)  # type: ignore[arg-type]  # each reader gives its column's type


def _written_items(cell: str) -> tuple[str, ...]:
    # as the writer joins them: no item holds ";" nor starts or ends with a blank
    return tuple(cell.split(ITEM_SEPARATOR)) if cell else ()


_written_fields = functools.lru_cache(maxsize=4096)(READERS["handlungsfelder"])  # few subsets of ten
PROFILE_CELLS = tuple(COLUMNS.index(name) for name in PROFILE_COLUMNS)  # where a row's profile cells are


def _written_reader(column: Column) -> Reader:
    if column.kind != Kind.LIST:
        return READERS[column.name]
    return _written_fields if column.items == Item.FELD else _written_items


_WRITTEN_READERS = tuple(_written_reader(STORED[j]) for j in PROFILE_CELLS)


def written_profile_of(cells: Sequence[str]) -> Profile:
    """:func:`profile_of` for cells exactly as :func:`city_cells` writes them (a large atlas's
    stored rows), read quicker: list items split at the writer's separator, not each stripped,
    and each Handlungsfelder cell read once."""
    return profile_of_cells([cells[j] for j in PROFILE_CELLS])


def profile_of_cells(cells: Sequence[str]) -> Profile:
    """:func:`written_profile_of` of only the profile cells of such a row (at :data:`PROFILE_CELLS`)."""
    a, b, c, d, e, f, g = cells  # one reader per cell, called by name: this runs for every city
    ra, rb, rc, rd, re, rf, rg = _WRITTEN_READERS
    return Profile(ra(a), rb(b), rc(c), rd(d), re(e), rf(f), rg(g))  # type: ignore[arg-type]  # each reader gives its column's type
