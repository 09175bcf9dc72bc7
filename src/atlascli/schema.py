"""The columns of the atlas, each described once.

Everything that knows about columns derives from :data:`SCHEMA`: the TSV reader and writer, the
JSON records, the flat formats' cells, the sort keys, the search columns, the table headings and
the default table columns, and the exported SQL tables. A column's ``name`` is the one name it has
everywhere: the TSV header, the JSON key, ``--columns`` and ``--sort``.

No imports beyond the standard library: every command reads this module.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

ITEM_SEPARATOR = "; "  # between the items of a list cell: ``Bitkom; Deutscher Städtetag``
FIELD_SEPARATOR = " / "  # between a project's Handlungsfelder: ``Name (Mobilität / Energie & Umwelt)``


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"  # a whole number, stored
    LIST = "list"  # items joined with ITEM_SEPARATOR in flat formats, an array in JSON
    DERIVED = "derived"  # computed from other columns, never stored (a number)


class Item(StrEnum):
    """What the items of a list column are."""

    TEXT = "text"
    FELD = "feld"  # a Handlungsfeld, by its name
    PROJEKT = "projekt"  # a project: ``Name (Feld / Feld)`` or a bare name


class Column(NamedTuple):
    name: str
    heading: str  # in terminal tables
    short: str  # the heading where a table is narrow
    kind: Kind
    items: Item = Item.TEXT  # of a list column
    trimmed: bool = False  # surrounding blanks of the cell are not part of the value (names)
    searched: bool = False  # full-text search looks into it
    in_table: bool = False  # one of the cities table's default columns

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.NUMBER, Kind.DERIVED)

    @property
    def stored(self) -> bool:
        return self.kind is not Kind.DERIVED


SCHEMA: tuple[Column, ...] = (
    Column("stadt", "Stadt", "Stadt", Kind.TEXT, trimmed=True, searched=True, in_table=True),
    Column("bundesland", "Bundesland", "Bundesland", Kind.TEXT, trimmed=True, searched=True, in_table=True),
    Column("einwohner", "Einwohner", "Einw.", Kind.NUMBER, in_table=True),
    Column("flaeche_km2", "Fläche km²", "km²", Kind.NUMBER, in_table=True),
    Column("organisation", "Organisation", "Organisation", Kind.TEXT, searched=True),
    Column("strategie", "Strategie", "Strategie", Kind.TEXT, searched=True),
    Column(
        "handlungsfelder",
        "Handlungsfelder",
        "Handlungsfelder",
        Kind.LIST,
        Item.FELD,
        searched=True,
        in_table=True,
    ),
    Column("netzwerke", "Netzwerke", "Netzwerke", Kind.LIST, searched=True),
    Column(
        "projektbeispiele", "Projektbeispiele", "Projektbeispiele", Kind.LIST, Item.PROJEKT, searched=True
    ),
    Column("foerderprogramme", "Förderprogramme", "Förderprogramme", Kind.LIST, searched=True),
    Column("links", "Links", "Links", Kind.LIST, searched=True),
    Column("einwohner_pro_km2", "Einw./km²", "/km²", Kind.DERIVED),
)

BY_NAME: dict[str, Column] = {c.name: c for c in SCHEMA}
STORED: tuple[Column, ...] = tuple(c for c in SCHEMA if c.stored)
COLUMNS: tuple[str, ...] = tuple(c.name for c in SCHEMA if c.stored)  # a TSV row, in order
ALL_COLUMNS: tuple[str, ...] = tuple(c.name for c in SCHEMA)  # what --columns takes
INT_COLUMNS: frozenset[str] = frozenset(c.name for c in SCHEMA if c.kind is Kind.NUMBER)
NUMERIC_COLUMNS: frozenset[str] = frozenset(c.name for c in SCHEMA if c.numeric)
SEARCH_COLUMNS: tuple[str, ...] = tuple(c.name for c in SCHEMA if c.searched)
TABLE_COLUMNS: tuple[str, ...] = tuple(c.name for c in SCHEMA if c.in_table)

# what --sort takes: every column (numbers numerically, text by its folded spelling, lists by length)
SortKey = StrEnum("SortKey", [(name, name) for name in ALL_COLUMNS])  # type: ignore[misc]  # mypy cannot see members made from the schema
