"""Projects, the Handlungsfelder and the city × field matrix (``atlas projects``, ``atlas fields``,
``atlas matrix``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from atlascli.insights import FieldCoverage, FieldDetail, Matrix, ProjectRow
from atlascli.render.terminal import can_encode, safe_text
from atlascli.render.views import Marks, t
from atlascli.render.views.grid import GAP, ITEMS, READABLE, Column, fitted_table, wrap_items
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


BAR = 20  # the widest bar; narrower where the terminal is, none below 5


def fields_chart(console: Console, coverage: Sequence[FieldCoverage], total: int) -> Table:
    """The ten fields as a bar chart of how many cities work on each, with the cities; where the
    terminal is narrow the bar shrinks, then goes, before a name would break."""
    counts = [f"{fc.anzahl}/{total}" for fc in coverage]
    longest_city = max((len(c) + 1 for fc in coverage for c in fc.staedte), default=0)
    need = (
        max((len(fc.feld.value) for fc in coverage), default=0)
        + max([len("Cities"), *(len(c) for c in counts)])
        + max(longest_city, READABLE)
        + 3 * GAP
    )
    bar = min(BAR, console.width - need - GAP)
    columns = [Column("Handlungsfeld", "whole", style="bold")]
    if bar >= 5:
        columns.append(Column("", "whole"))
    columns += [Column("Cities", "number"), Column("", "items", style="dim")]
    rows = []
    for fc, count in zip(coverage, counts, strict=True):
        row = [Text(fc.feld.value)]
        if bar >= 5:
            row.append(_bar(console, fc.anzahl, total, bar))
        rows.append([*row, Text(count), t(ITEMS.join(fc.staedte))])
    return fitted_table(console, columns, rows)


def field_view(console: Console, detail: FieldDetail) -> Group:
    marks = Marks(console)
    cities = detail.staedte
    head = Text(detail.feld.value, style="bold")
    head.append(f"  {marks.dash}  {len(cities)} cities", style="")
    names = Text("Cities: ", style="bold") + (
        wrap_items([safe_text(c) for c in cities], console.width) if cities else Text("none")
    )
    projects: RenderableType = (
        projects_table(console, detail.projekte)
        if detail.projekte
        else Text("No example project in this field.")
    )
    return Group(head, Text(), names, Text(), Text("Projektbeispiele", style="bold underline"), projects)


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def matrix_grid(console: Console, matrix: Matrix) -> Group:
    """Cities × fields, laid out by hand (a Rich table would wrap names or drop columns): the
    fields' abbreviations as column heads where they fit, else one letter per field with marks a
    space apart, else with none; city names are never broken. The letters' legend carries each
    field's count of cities, which no longer fits under its column."""
    marks = Marks(console)
    names = [safe_text(r.stadt) for r in matrix.rows]
    name_w = max([len("Stadt"), len(TOTALS), *(len(n) for n in names)])
    sigma = "Σ" if can_encode(console, "Σ") else "n"
    sigma_w = max([len(sigma), *(len(str(r.coverage)) for r in matrix.rows)])
    totals = [sum(r.marks[i] for r in matrix.rows) for i in range(len(matrix.felder))]
    layouts = [
        ([f.short for f in matrix.felder], " "),
        (list(LETTERS[: len(matrix.felder)]), " "),
        (list(LETTERS[: len(matrix.felder)]), ""),
    ]
    for heads, sep in layouts:
        widths = [max(len(h), 1) for h in heads]
        if name_w + 1 + sum(widths) + len(sep) * (len(widths) - 1) + 1 + sigma_w <= console.width:
            break
    lettered = heads[0] != matrix.felder[0].short if matrix.felder else False
    lines = [Text(" ".join(["Stadt".ljust(name_w), sep.join(heads), sigma.rjust(sigma_w)]), style="bold")]
    for name, row in zip(names, matrix.rows, strict=True):
        line = Text(name.ljust(name_w), style="bold") + " "
        for i, (m, w) in enumerate(zip(row.marks, widths, strict=True)):
            if i:
                line.append(sep)
            line.append((marks.yes if m else marks.no).center(w), style="green" if m else "dim")
        line.append(" " + str(row.coverage).rjust(sigma_w))
        lines.append(line)
    if not lettered:
        counts = sep.join(str(n).center(w) for n, w in zip(totals, widths, strict=True))
        lines.append(Text(f"{TOTALS.ljust(name_w)} {counts}", style="dim"))
    # packed by hand: Rich would wrap between an abbreviation and its field
    legend: list[str] = []
    for head, feld, n in zip(heads, matrix.felder, totals, strict=True):
        entry = f"{head} {feld.value} ({n})" if lettered else f"{head} {feld.value}"
        if legend and len(legend[-1]) + 3 + len(entry) <= console.width:
            legend[-1] += " · " + entry
        else:
            legend.append(entry)
    return Group(*lines, Text("\n".join(legend), style="dim"))


TOTALS = "Cities"  # the row of each field's count of cities
