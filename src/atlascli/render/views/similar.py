"""Cities most like one city (``atlas similar``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.text import Text

from atlascli.insights import Similarity
from atlascli.render.views import make_table, t


def similar_table(console: Console, city: str, rows: Sequence[Similarity]) -> Group:
    table = make_table(console)
    table.add_column("Stadt", style="bold", overflow="fold", min_width=8)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Why", overflow="fold", ratio=1)
    for row in rows:
        table.add_row(t(row.stadt), f"{row.score:.0f}", t(row.grund))
    return Group(Text("Cities most like ", style="bold") + t(city, "bold"), table)
