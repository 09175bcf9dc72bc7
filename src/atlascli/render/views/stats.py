"""Totals, medians and the commonest names (``atlas stats``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from atlascli.insights import ItemCount, Stats, Summary
from atlascli.render.terminal import safe_text
from atlascli.render.views import number, t
from atlascli.render.views.fields import fields_chart
from atlascli.render.views.grid import ITEMS, Column, fitted_table


def _median(value: float) -> str:
    return number(int(value)) if value.is_integer() else f"{value:,.1f}"


def _summary_row(label: str, s: Summary) -> list[Text]:
    figures = (number(s.summe), _median(s.median), number(s.minimum), number(s.maximum))
    return [Text(label), *(Text(f) for f in figures)]


def _titled(table: Table, title: str, style: str = "bold underline") -> Table:
    table.title, table.title_justify, table.title_style = title, "left", style
    return table


def _counts(console: Console, title: str, counts: Sequence[ItemCount]) -> Table:
    columns = [Column("Name"), Column("Cities", "number"), Column("", "items", style="dim")]
    rows = [[t(c.name), Text(str(c.anzahl)), t(ITEMS.join(c.staedte))] for c in counts]
    if not rows:
        rows = [[Text("none named by two or more cities", style="dim"), Text(""), Text("")]]
    return _titled(fitted_table(console, columns, rows), title)


def stats_view(console: Console, stats: Stats) -> Group:
    figures = [Column(""), *(Column(h, "number") for h in ("Total", "Median", "Min", "Max"))]
    numbers = fitted_table(
        console,
        figures,
        [
            _summary_row("Einwohner", stats.einwohner),
            _summary_row("Fläche km²", stats.flaeche_km2),
            _summary_row("Handlungsfelder per city", stats.handlungsfelder_pro_stadt),
        ],
    )
    _titled(numbers, f"{stats.staedte} cities", "bold")
    lands = fitted_table(
        console,
        [Column("Bundesland", "label"), Column("Cities", "number")],
        [[t(land or "–"), Text(str(n))] for land, n in stats.staedte_pro_bundesland],
    )
    _titled(lands, "Cities per Bundesland")
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
