"""Serialisation of cities to and from the atlas TSV: the one place that knows the format.

A row has the stored columns of :mod:`atlascli.schema`, in its order. List columns join their items
with :data:`~atlascli.schema.ITEM_SEPARATOR`; a project is written ``Name (Feld / Feld)`` or as a
bare name. Reading here trusts the cells (they were validated by :mod:`atlascli.loader`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from atlascli.model import FIELD_BY_NAME, City, Handlungsfeld, Project
from atlascli.schema import COLUMNS, FIELD_SEPARATOR, ITEM_SEPARATOR

_PROJECT = re.compile(r"^(?P<name>.*?)\s*\((?P<fields>[^()]*)\)$", re.DOTALL)


def split_items(cell: str) -> list[str]:
    """Items of a list cell; an empty cell has none. Surrounding blanks of each item are dropped."""
    if not cell.strip():
        return []
    return [item.strip() for item in cell.split(";")]


def split_project(item: str) -> tuple[str, list[str]]:
    """Split ``Name (A / B)`` into its name and field names; a bare name has no fields."""
    match = _PROJECT.match(item)
    if match is None:
        return item, []
    return match["name"], [f.strip() for f in match["fields"].split("/")]


def format_project(project: Project) -> str:
    if not project.handlungsfelder:
        return project.name
    return f"{project.name} ({format_fields(project.handlungsfelder, FIELD_SEPARATOR)})"


def format_fields(fields: Iterable[Handlungsfeld], separator: str = ITEM_SEPARATOR) -> str:
    return separator.join(f.value for f in fields)


def city_cells(city: City) -> list[str]:
    """The TSV cells of a city, in :data:`~atlascli.schema.COLUMNS` order."""
    return [
        city.stadt,
        city.bundesland,
        str(city.einwohner),
        str(city.flaeche_km2),
        city.organisation,
        city.strategie,
        format_fields(city.handlungsfelder),
        ITEM_SEPARATOR.join(city.netzwerke),
        ITEM_SEPARATOR.join(format_project(p) for p in city.projektbeispiele),
        ITEM_SEPARATOR.join(city.foerderprogramme),
        ITEM_SEPARATOR.join(city.links),
    ]


def rows_of(cities: Sequence[City], positions: Iterable[int]) -> Iterator[list[str]]:
    """The TSV cells (:func:`city_cells`) of the cities at these positions; a large file's lazy
    sequence gives them without building the records."""
    cells = getattr(cities, "cells", None)
    for i in positions:
        yield cells(i) if cells is not None else city_cells(cities[i])


def dumps(cities: Iterable[City]) -> str:
    """The atlas TSV text (UTF-8 content, LF line ends, one header row) for these cities."""
    lines = ["\t".join(COLUMNS)]
    lines.extend("\t".join(city_cells(c)) for c in cities)
    return "\n".join(lines) + "\n"


def read_project(item: str) -> Project:
    name, field_names = split_project(item)
    return Project(name, tuple(FIELD_BY_NAME[f] for f in field_names))


def _items(cell: str) -> tuple[str, ...]:
    return tuple(split_items(cell))


def _fields(cell: str) -> tuple[Handlungsfeld, ...]:
    return tuple(FIELD_BY_NAME[name] for name in split_items(cell))


def _projects(cell: str) -> tuple[Project, ...]:
    return tuple(read_project(item) for item in split_items(cell))


def _name(cell: str) -> str:
    return cell.strip()


# how each stored column's cell becomes its value, in COLUMNS order (City's fields have that order)
READERS: dict[str, Callable[[str], object]] = {
    "stadt": _name,
    "bundesland": _name,
    "einwohner": int,
    "flaeche_km2": int,
    "organisation": str,
    "strategie": str,
    "handlungsfelder": _fields,
    "netzwerke": _items,
    "projektbeispiele": _projects,
    "foerderprogramme": _items,
    "links": _items,
}
_READ_IN_ORDER = tuple(READERS[name] for name in COLUMNS)


def city_of(cells: Sequence[str]) -> City:
    """The City of validated cells in COLUMNS order: the one place a City is made from a row."""
    return City(*[read(cell) for read, cell in zip(_READ_IN_ORDER, cells, strict=True)])  # type: ignore[arg-type]  # each reader gives its column's type
