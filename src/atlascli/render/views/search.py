"""Search hits, the matched words highlighted (``atlas search``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from atlascli.render.terminal import safe_text
from atlascli.render.views import make_table, t
from atlascli.search import Hit


def hits_table(console: Console, hits: Sequence[Hit]) -> Table:
    table = make_table(console)
    table.add_column("Stadt", style="bold", overflow="fold", min_width=8)
    table.add_column("Spalte", overflow="fold")
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Treffer", overflow="fold", ratio=1)
    for hit in hits:
        table.add_row(
            t(hit.stadt), Text(hit.spalte), Text(f"{hit.score:.1f}"), highlighted(hit.ausschnitt, hit.spans)
        )
    return table


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
