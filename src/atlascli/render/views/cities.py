"""Cities as a table (``atlas list``, ``atlas filter``) and one city in full (``atlas show``)."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from atlascli.model import ALL_FIELDS, City
from atlascli.render.records import column_value
from atlascli.render.terminal import can_encode, safe_text
from atlascli.render.views import Marks, bullets, make_table, number, t
from atlascli.render.views.grid import Column, Kind, fitted_table
from atlascli.schema import BY_NAME, FIELD_SEPARATOR, ITEM_SEPARATOR, NUMERIC_COLUMNS

# the Handlungsfelder column of the cities table counts them
COUNT_HEADING, COUNT_SHORT = "Fields", "HF"
# names that must not break across lines (a Bundesland may wrap after its hyphen)
KINDS: dict[str, Kind] = {"stadt": "whole", "bundesland": "label"}


def cities_table(
    console: Console, cities: Sequence[City], columns: Sequence[str], field_count: bool = False
) -> Table:
    """Cities as rows; with ``field_count`` the Handlungsfelder column shows how many there are.

    Nothing is cropped or broken at any width (see :mod:`atlascli.render.views.grid`): names and
    numbers stay whole, text folds, and where that leaves no room each city is a block of lines.
    """
    rows: list[list[Text]] = []
    for city in cities:
        row: list[Text] = []
        for column in columns:
            value = column_value(city, column)
            if column == "handlungsfelder" and field_count:
                row.append(Text(str(len(city.handlungsfelder))))
            elif column in NUMERIC_COLUMNS:
                row.append(Text(number(value if isinstance(value, int | float) else None)))
            elif isinstance(value, list):
                row.append(t(ITEM_SEPARATOR.join(value)))
            else:
                row.append(t("" if value is None else str(value)))
        rows.append(row)
    counted = [c == "handlungsfelder" and field_count for c in columns]
    layout = [
        Column(
            COUNT_HEADING if counted[i] else BY_NAME[c].heading,
            "number" if c in NUMERIC_COLUMNS or counted[i] else KINDS.get(c, "text"),
            style="bold" if c == "stadt" else "",
            short=COUNT_SHORT if counted[i] else BY_NAME[c].short,
        )
        for i, c in enumerate(columns)
    ]
    return fitted_table(console, layout, rows)


def short_url(url: str, width: int) -> str:
    """``url`` as it fits ``width``: whole, else its host and last part around a ``…`` (a URL
    folded over two lines would break when copied)."""
    if len(url) <= width:
        return url
    host_end = url.find("/", url.find("://") + 3 if "://" in url else 0)
    tail = url[url.rstrip("/").rfind("/") :] if host_end >= 0 else ""
    if host_end >= 0 and host_end + 1 + len(tail) <= width:
        return url[:host_end] + "/…" + tail
    keep = max(width - 1, 2)
    return url[: keep - keep // 2] + "…" + url[len(url) - keep // 2 :]


def _links(city: City, width: int) -> Text:
    """One link per line, each whole or shortened to the line; on terminals the OSC 8 link keeps
    the whole URL (its target goes into an escape sequence, so it is made safe like the text)."""
    lines = [Text(short_url(safe_text(url), width), style=f"link {safe_text(url)}") for url in city.links]
    links = Text("\n").join(lines)
    if any(line.plain != safe_text(url) for line, url in zip(lines, city.links, strict=True)):
        whole = f"atlas show {shlex.quote(safe_text(city.stadt))} -f json"
        links.append(f"\n(shortened to fit; every link whole: {whole})", style="dim")
    return links


def _section(title: str, body: RenderableType) -> Group:
    return Group(Text(title, style="bold underline"), Padding(body, (0, 0, 1, 2), expand=False))


def city_view(console: Console, city: City) -> Group:
    marks = Marks(console)
    header = Text()
    header.append(safe_text(city.stadt), style="bold")
    facts = [
        safe_text(city.bundesland) or "Bundesland unknown",
        f"{number(city.einwohner)} inhabitants",
        f"{number(city.flaeche_km2)} km²",
        f"{number(city.einwohner_pro_km2)} per km²",
    ]
    header.append(
        f"  {marks.dash}  " + " · ".join(facts) if can_encode(console, "·²") else "  " + ", ".join(facts)
    )
    fields = Text()
    for i, feld in enumerate(ALL_FIELDS):
        if i:
            fields.append("\n")
        if feld in city.handlungsfelder:
            fields.append(f"{marks.yes} {feld.value}", style="green")
        else:
            fields.append(f"{marks.no} {feld.value}", style="dim")
    fields.append(f"\n{len(city.handlungsfelder)} of {len(ALL_FIELDS)}", style="dim")
    projects: RenderableType
    if city.projektbeispiele:
        projects = make_table(console, show_header=False, box=None)
        projects.add_column(overflow="fold", ratio=3)
        projects.add_column(overflow="fold", style="cyan", ratio=2)
        for p in city.projektbeispiele:
            projects.add_row(t(p.name), t(FIELD_SEPARATOR.join(f.value for f in p.handlungsfelder)))
    else:
        projects = Text("none listed", style="dim")
    links = _links(city, console.width - 2) if city.links else None
    parts: list[RenderableType] = [
        Padding(header, (0, 0, 1, 0), expand=False),
        _section("Organisation", t(city.organisation) if city.organisation else Text("–", style="dim")),
        _section("Strategie", t(city.strategie) if city.strategie else Text("–", style="dim")),
        _section("Handlungsfelder", fields),
        _section("Projektbeispiele", projects),
        _section("Netzwerke", bullets(city.netzwerke, marks, width=console.width - 2)),
        _section("Förderprogramme", bullets(city.foerderprogramme, marks, width=console.width - 2)),
        _section("Links", links if links is not None else Text("none listed", style="dim")),
    ]
    return Group(*parts)
