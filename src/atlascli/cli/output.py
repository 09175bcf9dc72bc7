"""What a command answers, and the one function that writes it in the format asked for.

A command computes its result with the core and returns an :class:`Output`: the result as a frame
(csv, tsv, markdown, and json records), as a JSON document where it is not a table, and as a Rich
view for the terminal, each made only if that format is asked for. :func:`emit` writes it.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TextIO

from atlascli.cli.errors import note
from atlascli.cli.options import chosen_columns
from atlascli.model import Atlas
from atlascli.query import sort_cities
from atlascli.render import Frame, OutputFormat
from atlascli.render.records import city_record, city_rows
from atlascli.schema import COLUMNS, TABLE_COLUMNS, SortKey

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from atlascli.cli.root import Run


class Output:
    """A command's answer in every format."""

    __slots__ = ("document", "empty", "fmt", "frame", "view")

    def __init__(
        self,
        fmt: OutputFormat,
        frame: Frame,
        view: Callable[[Console], RenderableType | None],
        *,
        document: object = None,
        empty: str = "nothing found",
    ) -> None:
        self.fmt = fmt
        self.frame = frame  # csv, tsv, markdown; json and jsonl as records unless there is a document
        self.view = view  # the table; None when there is nothing to show
        self.document = document  # json and jsonl: this mapping, or these records, instead of the frame
        self.empty = empty  # the note on stderr when the view has nothing to show


def emit(output: Output, run: Run) -> None:
    """Write the answer on stdout in its format; an empty table is a note on stderr (an empty
    frame is its header)."""
    fmt = output.fmt
    if fmt is OutputFormat.table:
        from atlascli.render.terminal import make_console

        console = make_console(run.no_color)
        if console.width < NARROWEST:
            _print_lines(output)
            return
        shown = output.view(console)
        if shown is None:
            note(output.empty)
        else:
            _print_paged(console, shown, run)
    else:
        terminal = fmt is OutputFormat.markdown and sys.stdout.isatty()
        write_machine(output, sys.stdout, excel=run.excel_safe, terminal=terminal)


def write_machine(output: Output, out: TextIO, *, excel: bool, terminal: bool = False) -> None:
    """Write the answer in its machine format (any but the table) on ``out``: what the command
    writes on stdout, and ``atlas browse`` exports to a file."""
    fmt = output.fmt
    if fmt.is_json and output.document is not None:
        from atlascli.render.machine import write_json

        write_json(output.document, fmt, out)  # type: ignore[arg-type]  # a mapping or records
    else:
        from atlascli.render.machine import write_frame

        write_frame(output.frame, fmt, out, excel=excel, terminal=terminal)


NARROWEST = 20  # columns: below this no table layout fits, and the data is shown line by line


def _print_lines(output: Output) -> None:
    """The answer on a terminal too narrow for any table: one ``key: value`` line per cell, a blank
    line between records (made safe as in tables)."""
    from atlascli.render.machine import flat
    from atlascli.render.terminal import safe_text

    header = output.frame.header
    records = 0
    for row in output.frame.rows:
        lines = (
            f"{key}: {safe_text(flat(cell)).replace(chr(10), ' ')}"
            for key, cell in zip(header, row, strict=True)
        )
        sys.stdout.write(("\n" if records else "") + "\n".join(lines) + "\n")
        records += 1
    if not records:
        note(output.empty)


def _print_paged(console: Console, shown: RenderableType, run: Run) -> None:
    """Print the view; through a pager when it is longer than the terminal (see render.pager)."""
    if run.no_pager or not sys.stdout.isatty():
        console.print(shown)
        return
    from atlascli.render.pager import page, pager_command  # subprocess: only on a terminal

    command = pager_command()
    if command is None:
        console.print(shown)
        return
    with console.capture() as captured:
        console.print(shown)
    text = captured.get()
    if text.count("\n") < console.height or not page(text, command):
        sys.stdout.write(text)


def cities_output(
    atlas: Atlas,
    positions: Iterable[int],
    *,
    fmt: OutputFormat,
    columns: str | None,
    sort: SortKey | None,
    reverse: bool,
    limit: int | None,
) -> Output:
    """The cities at these positions of ``atlas``, sorted and limited: chosen columns in a table
    and the flat formats, whole records in json (or the chosen columns)."""
    chosen = chosen_columns(columns, TABLE_COLUMNS if fmt is OutputFormat.table else COLUMNS)
    if sort is None and not reverse and columns is None and fmt.is_flat:
        # whole records in file order go straight from the rows' cells: no record is built for
        # a large file's rows
        shown = positions if limit is None else itertools.islice(positions, limit)
        frame = Frame(COLUMNS, atlas.cells(shown), text=True, csv_lines=lambda: atlas.csv_lines(shown))
        return Output(fmt, frame, view=lambda console: None)
    cities = sort_cities(atlas.cities_at(positions), sort, reverse=reverse, limit=limit)

    def view(console: Console) -> RenderableType | None:
        from atlascli.render.views.cities import cities_table

        shown = list(cities)
        return cities_table(console, shown, chosen, field_count=columns is None) if shown else None

    return Output(
        fmt,
        Frame(chosen, city_rows(cities, chosen, flat=not fmt.is_json)),
        view,
        document=(city_record(c) for c in cities) if columns is None else None,
        empty="no city matches",
    )
