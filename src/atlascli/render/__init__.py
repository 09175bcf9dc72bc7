"""Output: every result in every format, shaped in one place per kind.

- ``records``: a result as a frame (header and rows of cells) or a JSON document, for the machine
  formats; standard library only.
- ``machine``: writes a frame or a document as csv, tsv, json, jsonl or markdown.
- ``terminal``: the Rich console, and data made safe to show on a terminal.
- ``views``: Rich views by subject (cities, compare, search, fields, similar, stats), imported
  only when a table is really shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import Any

# one cell of a frame: text, a number, None (empty) or a list (joined in the flat formats)
Cell = str | int | float | None | Sequence[Any]


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"

    @property
    def is_json(self) -> bool:
        return self in (OutputFormat.json, OutputFormat.jsonl)

    @property
    def is_flat(self) -> bool:
        """One line of text per row: csv, tsv and markdown."""
        return self in (OutputFormat.csv, OutputFormat.tsv, OutputFormat.markdown)


class Frame:
    """A result as a table of plain cells: what csv, tsv and markdown write (and json, as records).
    (A plain class: every command imports this module, and a NamedTuple costs start-up time.)"""

    __slots__ = ("csv_lines", "header", "rows", "text")

    def __init__(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[Cell]],
        *,
        text: bool = False,
        csv_lines: Callable[[], Iterable[bytes] | None] | None = None,
    ) -> None:
        self.header = header
        self.rows = rows
        self.text = text  # every cell is a str (a city's TSV cells): written without flat()
        # the rows as CSV lines in UTF-8, if the atlas keeps them ready (asked for only when csv
        # is written, instead of the rows; None from it: the rows are written)
        self.csv_lines = csv_lines
