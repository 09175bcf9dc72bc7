"""A comparison as machine data: a JSON document, or a frame with one row per attribute."""

from __future__ import annotations

from typing import Any

from atlascli.model import ALL_FIELDS
from atlascli.query import Comparison
from atlascli.render.machine import Cell
from atlascli.text import item_key
from atlascli.tsv import city_record


def shared_items(comparison: Comparison) -> dict[str, list[str]]:
    """Per list column, the items two or more of the cities name (first spelling, in city order)."""
    out: dict[str, list[str]] = {}
    for block in comparison.lists:
        seen: dict[str, str] = {}
        for items in block.per_city.values():
            for item in items:
                if block.is_shared(item):
                    seen.setdefault(item_key(item), item)
        out[block.column] = list(seen.values())
    return out


def comparison_record(comparison: Comparison) -> dict[str, Any]:
    return {
        "staedte": [city_record(c) for c in comparison.cities],
        "handlungsfelder": {
            "alle": [f.value for f in comparison.fields_in_all],
            "nur_in": {name: [f.value for f in only] for name, only in comparison.fields_only_in.items()},
            "keine": [f.value for f in comparison.fields_in_none],
        },
        "gemeinsam": shared_items(comparison),
    }


def comparison_frame(comparison: Comparison) -> tuple[list[str], list[list[Cell]]]:
    """One row per attribute (``attribut``), one column per city; Handlungsfelder as 1/0."""
    cities = comparison.cities
    header = ["attribut", *[c.stadt for c in cities]]
    rows: list[list[Cell]] = [
        ["bundesland", *[c.bundesland for c in cities]],
        ["einwohner", *[c.einwohner for c in cities]],
        ["flaeche_km2", *[c.flaeche_km2 for c in cities]],
        ["einwohner_pro_km2", *[c.einwohner_pro_km2 for c in cities]],
    ]
    for feld in ALL_FIELDS:
        rows.append([feld.value, *[1 if feld in c.handlungsfelder else 0 for c in cities]])
    for block in comparison.lists:
        rows.append([block.column, *[list(block.per_city[c.stadt]) for c in cities]])
    return header, rows
