"""Serialisation of cities to and from the atlas TSV schema: the one place that knows the format.

A row has the columns of :data:`COLUMNS`. List columns join their items with ``"; "``; a project
is written ``Name (Feld / Feld)`` or as a bare name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from atlascli.model import City, Handlungsfeld, Project

COLUMNS: tuple[str, ...] = (
    "stadt",
    "bundesland",
    "einwohner",
    "flaeche_km2",
    "organisation",
    "strategie",
    "handlungsfelder",
    "netzwerke",
    "projektbeispiele",
    "foerderprogramme",
    "links",
)
LIST_COLUMNS: frozenset[str] = frozenset(
    {"handlungsfelder", "netzwerke", "projektbeispiele", "foerderprogramme", "links"}
)
INT_COLUMNS: frozenset[str] = frozenset({"einwohner", "flaeche_km2"})
ITEM_SEPARATOR = "; "
FIELD_SEPARATOR = " / "

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
    return f"{project.name} ({FIELD_SEPARATOR.join(f.value for f in project.handlungsfelder)})"


def format_fields(fields: Iterable[Handlungsfeld]) -> str:
    return ITEM_SEPARATOR.join(f.value for f in fields)


def city_cells(city: City) -> list[str]:
    """The TSV cells of a city, in :data:`COLUMNS` order."""
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


DERIVED_COLUMNS: tuple[str, ...] = ("einwohner_pro_km2",)


def city_record(city: City) -> dict[str, object]:
    """A city as a JSON-ready mapping: the TSV column names as keys, lists as lists, numbers as numbers."""
    return {
        "stadt": city.stadt,
        "bundesland": city.bundesland,
        "einwohner": city.einwohner,
        "flaeche_km2": city.flaeche_km2,
        "organisation": city.organisation,
        "strategie": city.strategie,
        "handlungsfelder": [f.value for f in city.handlungsfelder],
        "netzwerke": list(city.netzwerke),
        "projektbeispiele": [
            {"name": p.name, "handlungsfelder": [f.value for f in p.handlungsfelder]}
            for p in city.projektbeispiele
        ],
        "foerderprogramme": list(city.foerderprogramme),
        "links": list(city.links),
    }


def column_value(city: City, column: str) -> str | int | float | list[str] | None:
    """One column of a city for the flat formats (projects written as in the TSV)."""
    if column == "einwohner_pro_km2":
        return city.einwohner_pro_km2
    if column == "handlungsfelder":
        return [f.value for f in city.handlungsfelder]
    if column == "projektbeispiele":
        return [format_project(p) for p in city.projektbeispiele]
    value: str | int | tuple[str, ...] = getattr(city, column)
    return list(value) if isinstance(value, tuple) else value
