"""Cities side by side (``atlas compare``).

Side by side while every city's column fits whole (its name, its numbers, its Bundesland wrapped
after the hyphen at most) and the lists get a readable width; else one block per attribute, a line
per city, so that no number, name or list item is ever broken.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from atlascli.model import ALL_FIELDS, City
from atlascli.query import Comparison
from atlascli.render.records import column_value
from atlascli.render.terminal import safe_text
from atlascli.render.views import Marks, bullets, make_table, number, t
from atlascli.render.views.grid import GAP, label_pieces, wrap_items, wrap_label
from atlascli.schema import BY_NAME

NUMBERS = ("einwohner", "flaeche_km2", "einwohner_pro_km2")
LIST_WIDTH = 24  # the narrowest a city's list column may be side by side


def _figures(city: City) -> list[str]:
    return [number(column_value(city, c)) for c in NUMBERS]  # type: ignore[arg-type]  # numeric columns hold numbers


def comparison_view(console: Console, comparison: Comparison) -> Group:
    marks = Marks(console)
    cities = comparison.cities
    label_w = max(len(f.value) for f in ALL_FIELDS)
    # each city's column: its name and numbers whole, its Bundesland too where all fit
    city_w = [
        max([len(safe_text(c.stadt)), len(safe_text(c.bundesland)), *map(len, _figures(c))]) for c in cities
    ]
    if label_w + sum(GAP + w for w in city_w) > console.width:
        city_w = [
            max([len(safe_text(c.stadt)), *map(len, _figures(c)), *map(len, label_pieces(c.bundesland))])
            for c in cities
        ]
    side_by_side = label_w + sum(GAP + w for w in city_w) <= console.width
    facts = (
        _facts_table(console, comparison, marks, city_w)
        if side_by_side
        else _facts_blocks(console, comparison, marks)
    )
    parts: list[RenderableType] = [facts, Text(), _summary(console, comparison)]
    lists_fit = len("Projektbeispiele") + len(cities) * (GAP + LIST_WIDTH) <= console.width
    parts += [
        Text(),
        _lists_table(console, comparison, marks) if lists_fit else _lists_blocks(console, comparison, marks),
    ]
    if any(block.shared for block in comparison.lists):
        parts.append(
            Text(
                f"{marks.shared} named by more than one of these cities (after normalising names)",
                style="dim",
            )
        )
    return Group(*parts)


def _mark(marks: Marks, yes: bool) -> Text:
    return Text(marks.yes, style="green") if yes else Text(marks.no, style="dim")


def _facts_table(console: Console, comparison: Comparison, marks: Marks, widths: Sequence[int]) -> Table:
    facts = make_table(console, title=None)
    facts.add_column("", style="bold", no_wrap=True)
    for city, width in zip(comparison.cities, widths, strict=True):
        facts.add_column(t(city.stadt), justify="right", no_wrap=True, width=width)
    facts.add_row(
        "Bundesland",
        *[wrap_label(t(c.bundesland), w) for c, w in zip(comparison.cities, widths, strict=True)],
    )
    figures = [_figures(c) for c in comparison.cities]
    for i, column in enumerate(NUMBERS):
        facts.add_row(BY_NAME[column].heading, *[f[i] for f in figures])
    facts.add_section()
    for feld in ALL_FIELDS:
        facts.add_row(feld.value, *[_mark(marks, feld in c.handlungsfelder) for c in comparison.cities])
    return facts


def _facts_blocks(console: Console, comparison: Comparison, marks: Marks) -> Group:
    """Each fact as a heading with a line per city; each field with the cities that work on it."""
    name_w = max(len(safe_text(c.stadt)) for c in comparison.cities)
    value_w = max(console.width - 2 - name_w - 2, 1)
    parts: list[RenderableType] = []
    rows: list[tuple[str, list[Text]]] = [
        ("Bundesland", [wrap_label(t(c.bundesland), value_w) for c in comparison.cities])
    ]
    figures = [_figures(c) for c in comparison.cities]
    rows += [(BY_NAME[column].heading, [Text(f[i]) for f in figures]) for i, column in enumerate(NUMBERS)]
    for heading, values in rows:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True, width=name_w)
        grid.add_column(justify="right" if heading != "Bundesland" else "left")
        for city, value in zip(comparison.cities, values, strict=True):
            grid.add_row(t(city.stadt), value)
        parts += [Text(heading, style="bold underline"), Padding(grid, (0, 0, 0, 2))]
    fields = Table.grid(padding=(0, 2))
    fields.add_column(no_wrap=True)
    fields.add_column()
    field_w = max(len(f.value) for f in ALL_FIELDS)
    for feld in ALL_FIELDS:
        having = [safe_text(c.stadt) for c in comparison.cities if feld in c.handlungsfelder]
        names = (
            wrap_items(having, max(console.width - 2 - field_w - 2 - 2, 1))
            if having
            else Text("none", style="dim")
        )
        fields.add_row(_mark(marks, bool(having)) + " " + Text(feld.value), names)
    parts += [Text("Handlungsfelder", style="bold underline"), Padding(fields, (0, 0, 0, 2))]
    return Group(*parts)


def _summary(console: Console, comparison: Comparison) -> Text:
    """Shared and unique fields, wrapped between two fields only."""
    lines: list[tuple[str, list[str]]] = [
        ("All share: ", [f.value for f in comparison.fields_in_all] or ["none"])
    ]
    lines += [
        (f"Only in {safe_text(name)}: ", [f.value for f in only])
        for name, only in comparison.fields_only_in.items()
        if only
    ]
    if comparison.fields_in_none:
        lines.append(("None of them: ", [f.value for f in comparison.fields_in_none]))
    summary = Text()
    for n, (prefix, fields) in enumerate(lines):
        if n:
            summary.append("\n")
        summary.append(prefix, style="bold")
        wrapped = wrap_items([" " * len(prefix) + fields[0], *fields[1:]], console.width).plain
        summary.append(wrapped[len(prefix) :])
    return summary


def _lists_table(console: Console, comparison: Comparison, marks: Marks) -> Table:
    lists = make_table(console)
    lists.add_column("", style="bold", no_wrap=True)
    names = [c.stadt for c in comparison.cities]
    for name in names:
        lists.add_column(t(name), overflow="fold", ratio=1)
    column_w = (console.width - len("Projektbeispiele") - GAP * len(names)) // len(names)
    for block in comparison.lists:
        cells = [bullets(block.per_city[name], marks, block.is_shared, width=column_w) for name in names]
        lists.add_row(BY_NAME[block.column].heading, *cells)
        lists.add_section()
    return lists


def _lists_blocks(console: Console, comparison: Comparison, marks: Marks) -> Group:
    """Each list as a heading, then each city's name and its items, wrapped with hanging indents."""
    parts: list[RenderableType] = []
    for block in comparison.lists:
        parts.append(Text(BY_NAME[block.column].heading, style="bold underline"))
        for city in comparison.cities:
            items = bullets(block.per_city[city.stadt], marks, block.is_shared, width=console.width - 4)
            parts += [Padding(t(city.stadt, "bold"), (0, 0, 0, 2)), Padding(items, (0, 0, 0, 4))]
    return Group(*parts)
