"""Search hits, the matched words highlighted (``atlas search``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from atlascli.render.terminal import safe_text
from atlascli.render.views import t
from atlascli.render.views.grid import Column, fitted_table
from atlascli.search import Hit


def hits_table(console: Console, hits: Sequence[Hit]) -> Table:
    columns = [
        Column("Stadt", "whole", style="bold"),
        Column("Spalte", "whole"),
        Column("Score", "number"),
        Column("Treffer"),
    ]
    rows = [
        [t(hit.stadt), Text(hit.spalte), Text(f"{hit.score:.1f}"), highlighted(hit.ausschnitt, hit.spans)]
        for hit in hits
    ]
    return fitted_table(console, columns, rows)


def highlighted(text: str, spans: Sequence[tuple[int, int]]) -> Text:
    """Text with the matched spans emphasised; controls are removed piece by piece so spans stay put."""
    out = Text()
    position = 0
    for start, end in spans:
        out.append(safe_text(text[position:start]))
        out.append(safe_text(text[start:end]), style="bold yellow reverse")
        position = end
    out.append(safe_text(text[position:]))
    return out
