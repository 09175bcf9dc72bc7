"""Rich views for the commands that look across the atlas: projects, fields, matrix, similar, stats."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from atlascli.insights import FieldCoverage, ItemCount, Matrix, ProjectRow, Similarity, Stats, Summary
from atlascli.model import Handlungsfeld
from atlascli.render.terminal import can_encode, safe_text
from atlascli.render.views import Marks, make_table, number, t


def projects_table(console: Console, rows: Sequence[ProjectRow]) -> Table:
    table = make_table(console)
    table.add_column("Stadt", style="bold", overflow="fold", min_width=8)
    table.add_column("Projekt", overflow="fold", ratio=3)
    table.add_column("Handlungsfelder", overflow="fold", style="cyan", ratio=2)
    for row in rows:
        table.add_row(t(row.stadt), t(row.projekt), Text(" / ".join(f.value for f in row.handlungsfelder)))
    return table


def _bar(console: Console, value: int, total: int, width: int = 20) -> Text:
    full = "█" if can_encode(console, "█") else "#"
    filled = round(width * value / total) if total else 0
    return Text(full * filled, style="green") + Text(" " * (width - filled))


def fields_chart(console: Console, coverage: Sequence[FieldCoverage], total: int) -> Table:
    """The ten fields as a bar chart of how many cities work on each, with the cities."""
    table = make_table(console)
    table.add_column("Handlungsfeld", style="bold", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("Städte", justify="right", no_wrap=True)
    table.add_column("", overflow="fold", style="dim", ratio=1)
    for fc in coverage:
        table.add_row(
            fc.feld.value,
            _bar(console, fc.anzahl, total),
            f"{fc.anzahl}/{total}",
            t(", ".join(fc.staedte)),
        )
    return table


def field_detail(
    console: Console, feld: Handlungsfeld, cities: Sequence[str], rows: Sequence[ProjectRow]
) -> Group:
    marks = Marks(console)
    head = Text(feld.value, style="bold")
    head.append(f"  {marks.dash}  {len(cities)} cities", style="")
    names = Text("Städte: ", style="bold") + t(", ".join(cities) if cities else "none")
    projects: RenderableType = (
        projects_table(console, rows) if rows else Text("No example project in this field.")
    )
    return Group(head, Text(), names, Text(), Text("Projektbeispiele", style="bold underline"), projects)


def matrix_grid(console: Console, matrix: Matrix) -> Group:
    marks = Marks(console)
    # no rules between the mark columns: ten of them must leave room for the names at 60 columns
    table = make_table(console, box=None, padding=(0, 1), collapse_padding=True)
    table.add_column("Stadt", style="bold", overflow="fold", min_width=8)
    for feld in matrix.felder:
        table.add_column(feld.short, justify="center", no_wrap=True)
    table.add_column("Σ" if can_encode(console, "Σ") else "n", justify="right", no_wrap=True)
    for row in matrix.rows:
        cells = [Text(marks.yes, style="green") if m else Text(marks.no, style="dim") for m in row.marks]
        table.add_row(t(row.stadt), *cells, str(row.coverage))
    totals = [str(sum(r.marks[i] for r in matrix.rows)) for i in range(len(matrix.felder))]
    table.add_section()
    table.add_row(Text("Städte", style="dim"), *[Text(n, style="dim") for n in totals], "")
    # packed by hand: Rich would wrap between an abbreviation and its field
    lines: list[str] = []
    for entry in (f"{f.short} {f.value}" for f in matrix.felder):
        if lines and len(lines[-1]) + 3 + len(entry) <= console.width:
            lines[-1] += " · " + entry
        else:
            lines.append(entry)
    legend = Text("\n".join(lines), style="dim")
    return Group(table, legend)


def similar_table(console: Console, city: str, rows: Sequence[Similarity]) -> Group:
    table = make_table(console)
    table.add_column("Stadt", style="bold", overflow="fold", min_width=8)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Why", overflow="fold", ratio=1)
    for row in rows:
        table.add_row(t(row.stadt), f"{row.score:.0f}", t(row.grund))
    return Group(Text("Cities most like ", style="bold") + t(city, "bold"), table)


def _median(value: float) -> str:
    return number(int(value)) if value.is_integer() else f"{value:,.1f}"


def _summary_row(table: Table, label: str, s: Summary) -> None:
    table.add_row(label, number(s.summe), _median(s.median), number(s.minimum), number(s.maximum))


def _counts(console: Console, title: str, counts: Sequence[ItemCount]) -> Table:
    table = make_table(console, title=title, title_justify="left", title_style="bold underline")
    table.add_column("Name", overflow="fold", ratio=1)
    table.add_column("Städte", justify="right", no_wrap=True)
    table.add_column("", overflow="fold", style="dim", ratio=1)
    for c in counts:
        table.add_row(t(c.name), str(c.anzahl), t(", ".join(c.staedte)))
    if not counts:
        table.add_row(Text("none named by two or more cities", style="dim"), "", "")
    return table


def stats_view(console: Console, stats: Stats) -> Group:
    numbers = make_table(console, title=f"{stats.staedte} cities", title_justify="left", title_style="bold")
    for heading in ("", "Summe", "Median", "Min", "Max"):
        numbers.add_column(heading, justify="left" if not heading else "right", no_wrap=True)
    _summary_row(numbers, "Einwohner", stats.einwohner)
    _summary_row(numbers, "Fläche km²", stats.flaeche_km2)
    _summary_row(numbers, "Handlungsfelder pro Stadt", stats.handlungsfelder_pro_stadt)
    lands = make_table(
        console, title="Städte pro Bundesland", title_justify="left", title_style="bold underline"
    )
    lands.add_column("Bundesland", overflow="fold")
    lands.add_column("Städte", justify="right", no_wrap=True)
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
        _counts(console, "Häufigste Netzwerke", stats.netzwerke),
        Text(),
        _counts(console, "Häufigste Förderprogramme", stats.foerderprogramme),
        Text(
            safe_text("Names are counted after normalising: the »quoted« title, case, articles, endings."),
            style="dim",
        ),
    )
