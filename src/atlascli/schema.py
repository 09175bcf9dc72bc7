"""The columns of the atlas, each described once.

Everything that knows about columns derives from :data:`SCHEMA`: the TSV reader and writer, the
JSON records, the flat formats' cells, the sort keys, the search columns, the table headings and
the default table columns, and the exported SQL tables. A column's ``name`` is the one name it has
everywhere: the TSV header, the JSON key, ``--columns`` and ``--sort``.

No imports beyond the standard library: every command reads this module.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

ITEM_SEPARATOR = "; "  # between the items of a list cell: ``Bitkom; Deutscher Städtetag``
FIELD_SEPARATOR = " / "  # between a project's Handlungsfelder: ``Name (Mobilität / Energie & Umwelt)``


class Kind:
    """What a column holds (plain constants, not an enum: every command imports this module)."""

    TEXT: Final = "text"
    NUMBER: Final = "number"  # a whole number, stored
    LIST: Final = "list"  # items joined with ITEM_SEPARATOR in flat formats, an array in JSON
    DERIVED: Final = "derived"  # computed from other columns, never stored (a number)


class Item:
    """What the items of a list column are."""

    TEXT: Final = "text"
    FELD: Final = "feld"  # a Handlungsfeld, by its name
    PROJEKT: Final = "projekt"  # a project: ``Name (Feld / Feld)`` or a bare name


class Column:
    """One column: its name everywhere, its headings in tables, and what it holds."""

    __slots__ = ("heading", "in_table", "items", "kind", "name", "searched", "short", "trimmed")

    def __init__(
        self,
        name: str,
        heading: str,
        short: str,
        kind: str,
        items: str = Item.TEXT,
        *,
        trimmed: bool = False,
        searched: bool = False,
        in_table: bool = False,
    ) -> None:
        self.name = name
        self.heading = heading  # in terminal tables
        self.short = short  # the heading where a table is narrow
        self.kind = kind  # a Kind
        self.items = items  # an Item: what a list column's items are
        self.trimmed = trimmed  # surrounding blanks of the cell are not part of the value (names)
        self.searched = searched  # full-text search looks into it
        self.in_table = in_table  # one of the cities table's default columns

    def __repr__(self) -> str:
        return f"Column({self.name!r})"

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.NUMBER, Kind.DERIVED)

    @property
    def stored(self) -> bool:
        return self.kind != Kind.DERIVED


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
INT_COLUMNS: frozenset[str] = frozenset(c.name for c in SCHEMA if c.kind == Kind.NUMBER)
NUMERIC_COLUMNS: frozenset[str] = frozenset(c.name for c in SCHEMA if c.numeric)
SEARCH_COLUMNS: tuple[str, ...] = tuple(c.name for c in SCHEMA if c.searched)
TABLE_COLUMNS: tuple[str, ...] = tuple(c.name for c in SCHEMA if c.in_table)

# what --sort takes: every column (numbers numerically, text by its folded spelling, lists by length)
SortKey = StrEnum("SortKey", [(name, name) for name in ALL_COLUMNS])  # type: ignore[misc]  # mypy cannot see members made from the schema
