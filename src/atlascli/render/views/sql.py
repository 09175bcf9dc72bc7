"""The rows of a SQL query for the terminal (``atlas sql``), each value written as in csv (NULL
dimmed): a table with one column per result column, numbers right-aligned and never narrower
than their widest value (Rich would crop them where a terminal is narrow), text and headings
folded, short text (names, up to 24 characters) whole; where that leaves text columns too narrow
to read (``SELECT * FROM atlas``), each row as a block of ``column  value`` lines instead."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from atlascli.render.records import query_cell
from atlascli.render.views import t
from atlascli.render.views.grid import Column, Kind, fitted_table

if TYPE_CHECKING:
    from atlascli.sql import Value


def rows_view(console: Console, header: Sequence[str], rows: Sequence[Sequence[Value]]) -> Table:
    cells = [[Text("NULL", style="dim") if v is None else t(str(query_cell(v))) for v in row] for row in rows]
    columns = [Column(t(name), _kind([row[i] for row in rows], cells, i)) for i, name in enumerate(header)]
    return fitted_table(console, columns, cells)


SHORT = 24  # a text column no wider than this holds names or labels: kept whole like numbers


def _kind(values: Sequence[Value], cells: Sequence[Sequence[Text]], i: int) -> Kind:
    if _numbers(values):
        return "number"
    return "whole" if max(row[i].cell_len for row in cells) <= SHORT else "text"


def _numbers(values: Sequence[Value]) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, int | float) for v in present)
