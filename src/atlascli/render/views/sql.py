"""The rows of a SQL query for the terminal (``atlas sql``), each value written as in csv (NULL
dimmed): a table with one column per result column, numbers right-aligned and never narrower
than their widest value (Rich would crop them where a terminal is narrow), text and headings
folded; where that leaves text columns too narrow to read (``SELECT * FROM atlas``), each row as
a block of ``column  value`` lines instead."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from atlascli.render.records import query_cell
from atlascli.render.views import make_table, t

if TYPE_CHECKING:
    from atlascli.sql import Value

GAP = 3  # between two columns: " │ "
READABLE = 12  # the narrowest a text column may get before rows are shown as blocks


def rows_view(console: Console, header: Sequence[str], rows: Sequence[Sequence[Value]]) -> Table:
    cells = [[Text("NULL", style="dim") if v is None else t(str(query_cell(v))) for v in row] for row in rows]
    headings = [t(name) for name in header]
    numeric = [_numbers([row[i] for row in rows]) for i in range(len(header))]
    widest = [max(row[i].cell_len for row in cells) for i in range(len(header))]
    natural = [max(h.cell_len, widest[i]) for i, h in enumerate(headings)]
    fixed = [widest[i] if numeric[i] else 0 for i in range(len(header))]  # headings fold instead
    least = sum(f or min(n, READABLE) for f, n in zip(fixed, natural, strict=True))
    if least + GAP * (len(header) - 1) > console.width:
        return _blocks(console, headings, cells)
    widths = _widths(console.width, natural, fixed)
    table = make_table(console)
    for i, heading in enumerate(headings):
        table.add_column(heading, justify="right" if numeric[i] else "left", overflow="fold", width=widths[i])
    for row in cells:
        table.add_row(*row)
    return table


def _blocks(console: Console, headings: Sequence[Text], cells: Sequence[Sequence[Text]]) -> Table:
    """Each row as lines of heading and value, a rule between two rows."""
    table = make_table(console, show_header=False)
    name_width = min(max(h.cell_len for h in headings), max(console.width // 3, 1))
    table.add_column(style="bold", overflow="fold", width=name_width)
    table.add_column(overflow="fold", ratio=1)
    for n, row in enumerate(cells):
        for i, (heading, cell) in enumerate(zip(headings, row, strict=True)):
            table.add_row(heading, cell, end_section=i == len(row) - 1 and n < len(cells) - 1)
    return table


def _widths(total: int, natural: Sequence[int], fixed: Sequence[int]) -> list[int]:
    """Column widths that fit ``total``: each column's natural width where all fit; else number
    columns (``fixed``) as wide as their widest value, their headings folded, and the text columns
    share the rest fairly, a column narrower than its share keeping its own width (so that one
    long column folds, not every column a little)."""
    room = total - GAP * (len(natural) - 1)
    if sum(natural) <= room:
        return list(natural)
    widths = [f or n for f, n in zip(fixed, natural, strict=True)]
    room -= sum(fixed)
    text = [i for i, f in enumerate(fixed) if not f]
    while text:
        share = room // len(text)
        narrow = [i for i in text if natural[i] <= share]
        if not narrow:
            for n, i in enumerate(text):
                widths[i] = max(share + (n < room % len(text)), 1)
            break
        room -= sum(natural[i] for i in narrow)
        text = [i for i in text if i not in narrow]
    return widths


def _numbers(values: Sequence[Value]) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, int | float) for v in present)
