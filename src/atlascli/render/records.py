"""Every result as machine data: a frame (header and rows of cells) for csv, tsv, markdown and
json records, or a JSON document where a result is not a table. Standard library only; the keys
are stable ASCII snake_case (the column names of :mod:`atlascli.schema`)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from atlascli.model import ALL_FIELDS, City, Handlungsfeld
from atlascli.render import Cell, Frame
from atlascli.schema import BY_NAME, COLUMNS, STORED, Column, Item, Kind
from atlascli.text import named_items
from atlascli.tsv import city_cells, format_project

if TYPE_CHECKING:  # the results' modules are loaded by the commands that make them
    from atlascli.insights import (
        FieldCoverage,
        FieldDetail,
        ItemCount,
        Matrix,
        ProjectRow,
        Similarity,
        Stats,
        Summary,
    )
    from atlascli.query import Comparison
    from atlascli.search import Hit
    from atlascli.sql import QueryResult, Value

# --- cities --------------------------------------------------------------------------------------


def city_record(city: City) -> dict[str, object]:
    """A city as a JSON-ready mapping: the column names as keys, lists as lists, numbers as numbers."""
    return {c.name: _json_value(c, getattr(city, c.name)) for c in STORED}


def _json_value(column: Column, value: Any) -> object:
    if column.kind != Kind.LIST:
        return value
    if column.items == Item.FELD:
        return _values(value)
    if column.items == Item.PROJEKT:
        return [{"name": p.name, "handlungsfelder": _values(p.handlungsfelder)} for p in value]
    return list(value)


def column_value(city: City, column: str) -> Cell:
    """One column of a city as a cell (projects written as in the TSV)."""
    value = getattr(city, column)
    if not isinstance(value, tuple):
        return value  # type: ignore[no-any-return]  # text, a number, or the density
    items = BY_NAME[column].items
    if items == Item.PROJEKT:
        return [format_project(p) for p in value]
    return _values(value) if items == Item.FELD else list(value)


def city_rows(cities: Iterable[City], columns: Sequence[str], *, flat: bool) -> Iterator[Sequence[Cell]]:
    """The cells of these columns for each city; every column in a flat format is the TSV's own
    cells, made in one step per city."""
    if flat and list(columns) == list(COLUMNS):
        return (city_cells(c) for c in cities)
    return ([column_value(c, col) for col in columns] for c in cities)


def city_frame(city: City) -> Frame:
    return Frame(COLUMNS, [[column_value(city, c) for c in COLUMNS]])


def _values(fields: Iterable[Handlungsfeld]) -> list[str]:
    return [f.value for f in fields]


# --- search, projects, fields, matrix, similar ----------------------------------------------------


def hits_frame(hits: Sequence[Hit]) -> Frame:
    return Frame(
        ["stadt", "spalte", "score", "treffer", "ausschnitt"],
        [[h.stadt, h.spalte, h.score, h.treffer, h.ausschnitt] for h in hits],
    )


def projects_frame(rows: Sequence[ProjectRow]) -> Frame:
    return Frame(
        ["stadt", "projekt", "handlungsfelder"],
        ([r.stadt, r.projekt, _values(r.handlungsfelder)] for r in rows),
    )


def coverage_frame(coverage: Sequence[FieldCoverage]) -> Frame:
    return Frame(
        ["handlungsfeld", "anzahl", "staedte"],
        [[fc.feld.value, fc.anzahl, list(fc.staedte)] for fc in coverage],
    )


def field_record(detail: FieldDetail) -> dict[str, object]:
    return {
        "handlungsfeld": detail.feld.value,
        "staedte": list(detail.staedte),
        "projekte": [
            {"stadt": r.stadt, "projekt": r.projekt, "handlungsfelder": _values(r.handlungsfelder)}
            for r in detail.projekte
        ],
    }


def field_frame(detail: FieldDetail) -> Frame:
    """One row per city of the field or with a project in it (Dortmund's Smart Service Power is a
    Gesundheit project, though Dortmund does not name the field)."""
    return Frame(
        ["stadt", "im_handlungsfeld", "projekte"],
        [
            [name, int(name in detail.staedte), [r.projekt for r in detail.projekte if r.stadt == name]]
            for name in detail.beteiligte
        ],
    )


def matrix_frame(matrix: Matrix) -> Frame:
    return Frame(
        ["stadt", *[f.key for f in matrix.felder], "anzahl"],
        [[r.stadt, *[int(m) for m in r.marks], r.coverage] for r in matrix.rows],
    )


def similar_frame(rows: Sequence[Similarity]) -> Frame:
    return Frame(
        ["stadt", "score", "grund", "gemeinsame_felder", "felder_zusammen", "gemeinsam"],
        [[r.stadt, r.score, r.grund, r.shared_fields, r.union_fields, list(r.shared_items)] for r in rows],
    )


# --- comparison ----------------------------------------------------------------------------------


def shared_items(comparison: Comparison) -> dict[str, list[str]]:
    """Per list column, the items two or more of the cities name (first spelling, in city order)."""
    out: dict[str, list[str]] = {}
    for block in comparison.lists:
        named = named_items(item for items in block.per_city.values() for item in items)
        out[block.column] = [item for key, item in named.items() if key in block.shared]
    return out


def comparison_record(comparison: Comparison) -> dict[str, Any]:
    return {
        "staedte": [city_record(c) for c in comparison.cities],
        "handlungsfelder": {
            "alle": _values(comparison.fields_in_all),
            "nur_in": {name: _values(only) for name, only in comparison.fields_only_in.items()},
            "keine": _values(comparison.fields_in_none),
        },
        "gemeinsam": shared_items(comparison),
    }


def comparison_frame(comparison: Comparison) -> Frame:
    """One row per attribute (``attribut``), one column per city; Handlungsfelder as 1/0."""
    cities = comparison.cities
    rows: list[list[Cell]] = [
        [column, *[column_value(c, column) for c in cities]]
        for column in ("bundesland", "einwohner", "flaeche_km2", "einwohner_pro_km2")
    ]
    for feld in ALL_FIELDS:
        rows.append([feld.value, *[1 if feld in c.handlungsfelder else 0 for c in cities]])
    for block in comparison.lists:
        rows.append([block.column, *[list(block.per_city[c.stadt]) for c in cities]])
    return Frame(["attribut", *[c.stadt for c in cities]], rows)


# --- statistics ----------------------------------------------------------------------------------


def _summary_record(s: Summary) -> dict[str, float | int]:
    return {"summe": s.summe, "median": s.median, "min": s.minimum, "max": s.maximum}


def _count_records(counts: Sequence[ItemCount]) -> list[dict[str, object]]:
    return [{"name": c.name, "anzahl": c.anzahl, "staedte": list(c.staedte)} for c in counts]


_SUMMARIES = ("einwohner", "flaeche_km2", "handlungsfelder_pro_stadt")


def stats_record(stats: Stats) -> dict[str, object]:
    return {
        "staedte": stats.staedte,
        **{name: _summary_record(getattr(stats, name)) for name in _SUMMARIES},
        "staedte_pro_bundesland": dict(stats.staedte_pro_bundesland),
        "handlungsfelder": {fc.feld.value: fc.anzahl for fc in stats.felder},
        "netzwerke": _count_records(stats.netzwerke),
        "foerderprogramme": _count_records(stats.foerderprogramme),
    }


def stats_frame(stats: Stats) -> Frame:
    """One row per figure: ``bereich`` (what it is about), ``name`` and ``wert``."""
    rows: list[list[Cell]] = [["staedte", "anzahl", stats.staedte]]
    for name in _SUMMARIES:
        rows += [[name, key, value] for key, value in _summary_record(getattr(stats, name)).items()]
    rows += [["bundesland", land, n] for land, n in stats.staedte_pro_bundesland]
    rows += [["handlungsfeld", fc.feld.value, fc.anzahl] for fc in stats.felder]
    rows += [["netzwerk", c.name, c.anzahl] for c in stats.netzwerke]
    rows += [["foerderprogramm", c.name, c.anzahl] for c in stats.foerderprogramme]
    return Frame(["bereich", "name", "wert"], rows)


# --- sql -----------------------------------------------------------------------------------------


def query_header(columns: Sequence[str]) -> list[str]:
    """A query's column names, made unique (JSON keys must be): a name seen before gets ``_2``,
    ``_3`` ... (``SELECT s.id, p.id`` gives ``id`` and ``id_2``)."""
    seen: set[str] = set()
    header = []
    for name in columns:
        unique, n = name, 1
        while unique in seen:
            n += 1
            unique = f"{name}_{n}"
        seen.add(unique)
        header.append(unique)
    return header


def query_cell(value: Value) -> Cell:
    """A value of a query as a cell of the flat formats and the table: numbers and text as they
    are, a real number written exactly (``repr``: 0.30000000000000004; ``Infinity``), a BLOB as
    SQLite's ``quote()`` writes it (``X'00FF'``)."""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, bytes):
        return f"X'{value.hex().upper()}'"
    return value


def query_frame(result: QueryResult) -> Frame:
    return Frame(query_header(result.columns), ([query_cell(v) for v in row] for row in result.rows))


def query_records(result: QueryResult) -> Iterator[dict[str, object]]:
    """The rows as JSON objects: numbers as numbers (a real one exactly; infinity, which JSON has
    no number for, and a BLOB as in :func:`query_cell`), NULL as null."""
    header = query_header(result.columns)
    for row in result.rows:
        yield {key: _query_json(value) for key, value in zip(header, row, strict=True)}


def _query_json(value: Value) -> object:
    if isinstance(value, float) and math.isfinite(value):
        return value
    return query_cell(value)
