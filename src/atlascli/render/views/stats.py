"""Totals, medians and the commonest names (``atlas stats``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from atlascli.insights import ItemCount, Stats, Summary
from atlascli.render.terminal import safe_text
from atlascli.render.views import make_table, number, t
from atlascli.render.views.fields import fields_chart


def _median(value: float) -> str:
    return number(int(value)) if value.is_integer() else f"{value:,.1f}"


def _summary_row(table: Table, label: str, s: Summary) -> None:
    table.add_row(label, number(s.summe), _median(s.median), number(s.minimum), number(s.maximum))


def _counts(console: Console, title: str, counts: Sequence[ItemCount]) -> Table:
    table = make_table(console, title=title, title_justify="left", title_style="bold underline")
    table.add_column("Name", overflow="fold", ratio=1)
    table.add_column("Cities", justify="right", no_wrap=True)
    table.add_column("", overflow="fold", style="dim", ratio=1)
    for c in counts:
        table.add_row(t(c.name), str(c.anzahl), t(", ".join(c.staedte)))
    if not counts:
        table.add_row(Text("none named by two or more cities", style="dim"), "", "")
    return table


def stats_view(console: Console, stats: Stats) -> Group:
    numbers = make_table(console, title=f"{stats.staedte} cities", title_justify="left", title_style="bold")
    for heading in ("", "Total", "Median", "Min", "Max"):
        numbers.add_column(heading, justify="left" if not heading else "right", no_wrap=True)
    _summary_row(numbers, "Einwohner", stats.einwohner)
    _summary_row(numbers, "Fläche km²", stats.flaeche_km2)
    _summary_row(numbers, "Handlungsfelder per city", stats.handlungsfelder_pro_stadt)
    lands = make_table(
        console, title="Cities per Bundesland", title_justify="left", title_style="bold underline"
    )
    lands.add_column("Bundesland", overflow="fold")
    lands.add_column("Cities", justify="right", no_wrap=True)
    for land, n in stats.staedte_pro_bundesland:
        lands.add_row(t(land or "–"), str(n))
    fields = fields_chart(console, stats.felder, stats.staedte)
    return Group(
        numbers,
        Text(),
        lands,
        Text(),
        Text("Handlungsfelder", style="bold underline"),
        fields,
        Text(),
        _counts(console, "Most common Netzwerke", stats.netzwerke),
        Text(),
        _counts(console, "Most common Förderprogramme", stats.foerderprogramme),
        Text(
            safe_text("Names are counted after normalising: the »quoted« title, case, articles, endings."),
            style="dim",
        ),
    )
