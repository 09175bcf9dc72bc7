"""Projects, the Handlungsfelder and the city × field matrix (``atlas projects``, ``atlas fields``,
``atlas matrix``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from atlascli.insights import FieldCoverage, FieldDetail, Matrix, ProjectRow
from atlascli.render.terminal import can_encode
from atlascli.render.views import Marks, make_table, t
from atlascli.render.views.grid import Column, fitted_table
from atlascli.schema import FIELD_SEPARATOR


def projects_table(console: Console, rows: Sequence[ProjectRow]) -> Table:
    columns = [
        Column("Stadt", "whole", style="bold"),
        Column("Projekt"),
        Column("Handlungsfelder", style="cyan"),
    ]
    cells = [
        [t(row.stadt), t(row.projekt), Text(FIELD_SEPARATOR.join(f.value for f in row.handlungsfelder))]
        for row in rows
    ]
    return fitted_table(console, columns, cells)


def _bar(console: Console, value: int, total: int, width: int = 20) -> Text:
    full = "█" if can_encode(console, "█") else "#"
    filled = round(width * value / total) if total else 0
    return Text(full * filled, style="green") + Text(" " * (width - filled))


def fields_chart(console: Console, coverage: Sequence[FieldCoverage], total: int) -> Table:
    """The ten fields as a bar chart of how many cities work on each, with the cities."""
    table = make_table(console)
    table.add_column("Handlungsfeld", style="bold", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("Cities", justify="right", no_wrap=True)
    table.add_column("", overflow="fold", style="dim", ratio=1)
    for fc in coverage:
        table.add_row(
            fc.feld.value,
            _bar(console, fc.anzahl, total),
            f"{fc.anzahl}/{total}",
            t(", ".join(fc.staedte)),
        )
    return table


def field_view(console: Console, detail: FieldDetail) -> Group:
    marks = Marks(console)
    cities = detail.staedte
    head = Text(detail.feld.value, style="bold")
    head.append(f"  {marks.dash}  {len(cities)} cities", style="")
    names = Text("Cities: ", style="bold") + t(", ".join(cities) if cities else "none")
    projects: RenderableType = (
        projects_table(console, detail.projekte)
        if detail.projekte
        else Text("No example project in this field.")
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
    table.add_row(Text("Cities", style="dim"), *[Text(n, style="dim") for n in totals], "")
    # packed by hand: Rich would wrap between an abbreviation and its field
    lines: list[str] = []
    for entry in (f"{f.short} {f.value}" for f in matrix.felder):
        if lines and len(lines[-1]) + 3 + len(entry) <= console.width:
            lines[-1] += " · " + entry
        else:
            lines.append(entry)
    legend = Text("\n".join(lines), style="dim")
    return Group(table, legend)
