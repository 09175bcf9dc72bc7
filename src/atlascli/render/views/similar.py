"""Cities most like one city (``atlas similar``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.text import Text

from atlascli.insights import Similarity
from atlascli.render.views import t
from atlascli.render.views.grid import Column, fitted_table


def similar_table(console: Console, city: str, rows: Sequence[Similarity]) -> Group:
    columns = [Column("Stadt", "whole", style="bold"), Column("Score", "number"), Column("Why")]
    table = fitted_table(console, columns, [[t(r.stadt), Text(f"{r.score:.0f}"), t(r.grund)] for r in rows])
    return Group(Text("Cities most like ", style="bold") + t(city, "bold"), table)
