"""Tables that fit any terminal width without breaking what must stay whole.

Every table of rows (cities, search hits, projects, similar cities, SQL results) is laid out
here. A column is one of three kinds:

- ``number``: right-aligned, never narrower than its widest value (Rich would crop or split it);
- ``whole``: a name (Stadt) that must not break, also never narrower than its widest value;
- ``label``: like ``whole``, but where the terminal is too narrow it may wrap after a hyphen
  (``Mecklenburg-`` / ``Vorpommern``), never inside a word;
- ``items``: names joined by ``", "`` (the cities of a count), wrapped between two items only, so
  never narrower than its longest item;
- ``text``: folds at word boundaries (a word longer than the column folds inside).

Where the terminal is too narrow for the number and whole columns plus a readable width for each
text column, each row becomes a block of ``heading  value`` lines instead, a rule between two
rows: nothing is cut, nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, NamedTuple

from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from atlascli.render.views import make_table

GAP = 3  # between two columns: " │ "
READABLE = 12  # the narrowest a text column may get before rows are shown as blocks

Kind = Literal["number", "whole", "label", "items", "text"]
ITEMS = ", "


class Column(NamedTuple):
    heading: str | Text
    kind: Kind = "text"
    style: str = ""
    short: str | None = None  # a shorter heading, used when the long ones do not fit


def fitted_table(console: Console, columns: Sequence[Column], rows: Sequence[Sequence[Text]]) -> Table:
    """``rows`` (one Text per column) as a table that fits ``console.width``, or as blocks."""
    long_headings = [Text(c.heading) if isinstance(c.heading, str) else c.heading for c in columns]
    headings = long_headings
    widest = [max((row[i].cell_len for row in rows), default=0) for i in range(len(columns))]
    natural = [max(h.cell_len, widest[i]) for i, h in enumerate(headings)]
    gaps = GAP * (len(columns) - 1)
    if sum(natural) + gaps > console.width and any(c.short for c in columns):
        headings = [Text(c.short) if c.short is not None else headings[i] for i, c in enumerate(columns)]
        natural = [max(h.cell_len, widest[i]) for i, h in enumerate(headings)]
    fixed = [
        max([widest[i], *(len(w) for w in h.plain.split())]) if c.kind not in ("text", "items") else 0
        for i, (c, h) in enumerate(zip(columns, headings, strict=True))
    ]
    floor = [
        max([min(natural[i], READABLE), *(len(x) + 1 for r in rows for x in r[i].plain.split(ITEMS))])
        if c.kind == "items"
        else min(natural[i], READABLE)
        for i, c in enumerate(columns)
    ]
    least = sum(f or m for f, m in zip(fixed, floor, strict=True))
    if least + gaps > console.width and any(c.kind == "label" for c in columns):
        for i, c in enumerate(columns):
            if c.kind == "label":
                fixed[i] = max([len(w) for row in rows for w in label_pieces(row[i].plain)] + [fixed[i] // 2])
        least = sum(f or m for f, m in zip(fixed, floor, strict=True))
    if least + gaps > console.width:
        return blocks(console, long_headings, rows, [c.style for c in columns])
    widths = share_widths(console.width, natural, fixed, floor)
    rows = [
        [_fitted(c, cell, widths[i]) for i, (c, cell) in enumerate(zip(columns, row, strict=True))]
        for row in rows
    ]
    table = make_table(console)
    for i, column in enumerate(columns):
        table.add_column(
            headings[i],
            justify="right" if column.kind == "number" else "left",
            style=column.style,
            overflow="fold",
            width=widths[i],
        )
    for row in rows:
        table.add_row(*row)
    return table


def label_pieces(text: str) -> list[str]:
    """A label's unbreakable pieces: words, each hyphen kept with the part before it."""
    return [piece for word in text.split() for piece in re.findall(r"[^-]+-?|-", word)]


def _fitted(column: Column, cell: Text, width: int) -> Text:
    """A label cell wrapped after its hyphens, an items cell between its items, where the column
    is narrower than the cell."""
    if cell.cell_len <= width:
        return cell
    if column.kind == "label":
        return wrap_label(cell, width)
    if column.kind == "items":
        return wrap_items(cell.plain.split(ITEMS), width, cell.style)
    return cell


def wrap_items(items: Sequence[str], width: int, style: str | Style = "") -> Text:
    """Items joined by ", " in lines of at most ``width``, broken only between two items."""
    lines: list[str] = []
    for n, item in enumerate(items):
        piece = item + ("," if n < len(items) - 1 else "")
        if lines and len(lines[-1]) + 1 + len(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(piece)
    return Text("\n".join(lines), style=style)


def wrap_label(cell: Text, width: int) -> Text:
    """The label wrapped after hyphens and spaces to ``width`` (pieces longer stay whole)."""
    if cell.cell_len <= width:
        return cell
    lines: list[str] = []
    for piece in label_pieces(cell.plain):
        joiner = "" if lines and lines[-1].endswith("-") else " "
        if lines and len(lines[-1]) + len(joiner) + len(piece) <= width:
            lines[-1] += joiner + piece
        else:
            lines.append(piece)
    wrapped = Text("\n".join(lines))
    wrapped.stylize(cell.style)
    return wrapped


def blocks(
    console: Console,
    headings: Sequence[Text],
    rows: Sequence[Sequence[Text]],
    styles: Sequence[str] | None = None,
) -> Table:
    """Each row as lines of heading and value, a rule between two rows."""
    table = make_table(console, show_header=False)
    longest = max(h.cell_len for h in headings)
    # headings whole while they leave the values half the line, else folded to a third
    name_width = longest if longest <= console.width // 2 else max(console.width // 3, 1)
    table.add_column(style="bold", overflow="fold", width=name_width)
    table.add_column(overflow="fold", ratio=1)
    for n, row in enumerate(rows):
        for i, (heading, cell) in enumerate(zip(headings, row, strict=True)):
            value = cell.copy()
            if styles is not None and styles[i]:
                value.stylize(styles[i])
            table.add_row(heading, value, end_section=i == len(row) - 1 and n < len(rows) - 1)
    return table


def share_widths(
    total: int, natural: Sequence[int], fixed: Sequence[int], floor: Sequence[int] | None = None
) -> list[int]:
    """Column widths that fit ``total``: each column's natural width where all fit; else the
    ``fixed`` columns (numbers, names) as wide as their widest value, and the text columns share
    the rest fairly, a column narrower than its share keeping its own width (so that one long
    column folds, not every column a little), and none narrower than its ``floor``."""
    room = total - GAP * (len(natural) - 1)
    if sum(natural) <= room:
        return list(natural)
    floors = list(floor) if floor is not None else [0] * len(natural)
    widths = [f or n for f, n in zip(fixed, natural, strict=True)]
    room -= sum(fixed)
    text = [i for i, f in enumerate(fixed) if not f]
    while text:
        share = room // len(text)
        narrow = [i for i in text if natural[i] <= share]
        held = [i for i in text if floors[i] > share and i not in narrow]
        if held:  # wider than their share must be: they take their floor, the rest share again
            for i in held:
                widths[i] = floors[i]
            room -= sum(widths[i] for i in held)
            text = [i for i in text if i not in held]
            continue
        if not narrow:
            for n, i in enumerate(text):
                widths[i] = max(share + (n < room % len(text)), 1)
            break
        room -= sum(natural[i] for i in narrow)
        text = [i for i in text if i not in narrow]
    return widths
