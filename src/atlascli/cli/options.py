"""Options and arguments that several commands take, and the values they stand for.

The cli modules do without ``from __future__ import annotations``: Typer reads every command's
annotations, and from strings it has to eval each of them (about a tenth of a table command's
time above the interpreter, Typer and Rich).
"""

from collections.abc import Sequence
from typing import Annotated

import typer

from atlascli.cli.completion import complete_bundesland, complete_city, complete_field
from atlascli.errors import UnknownValue
from atlascli.model import Atlas, CityFilter
from atlascli.query import resolve_bundesland, resolve_field
from atlascli.render import OutputFormat
from atlascli.schema import ALL_COLUMNS, SortKey

FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
]
ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help="Comma-separated columns for table/csv/tsv/markdown, e.g. stadt,einwohner,links.",
        show_default=False,
    ),
]
SortOption = Annotated[
    SortKey | None,
    typer.Option(
        "--sort",
        help="Sort by this column (numbers numerically, text alphabetically, lists by length).",
        show_default=False,
    ),
]
ReverseOption = Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=0, help="Show at most N results.", show_default=False)
]
CityArgument = Annotated[
    str,
    typer.Argument(
        help="City name; forgiving of case, umlauts, prefixes and typos.",
        metavar="CITY",
        shell_complete=complete_city,
        show_default=False,
    ),
]
CitiesArgument = Annotated[
    list[str],
    typer.Argument(
        help="Two or more city names.", metavar="CITY...", shell_complete=complete_city, show_default=False
    ),
]
FeldOption = Annotated[
    list[str] | None,
    typer.Option(
        "--feld",
        help="Handlungsfeld the city works on (repeatable; all must hold), e.g. gesundheit, mobilitaet.",
        shell_complete=complete_field,
        show_default=False,
    ),
]
AnyOption = Annotated[bool, typer.Option("--any", help="At least one --feld instead of all.")]
BundeslandOption = Annotated[
    str | None,
    typer.Option(
        "--bundesland",
        "-b",
        help="Federal state: full name or abbreviation (NRW, BY, SN ...).",
        shell_complete=complete_bundesland,
        show_default=False,
    ),
]
MinOption = Annotated[
    int | None, typer.Option("--min-einwohner", min=0, help="At least N inhabitants.", show_default=False)
]
MaxOption = Annotated[
    int | None, typer.Option("--max-einwohner", min=0, help="At most N inhabitants.", show_default=False)
]


def city_filter(
    atlas: Atlas,
    *,
    feld: Sequence[str] | None = None,
    any_feld: bool = False,
    bundesland: str | None = None,
    min_einwohner: int | None = None,
    max_einwohner: int | None = None,
    netzwerk: str | None = None,
    foerderprogramm: str | None = None,
    projekt: str | None = None,
) -> CityFilter:
    """The conditions of the filter options, with field and Bundesland names resolved."""
    return CityFilter(
        felder=tuple(resolve_field(f) for f in feld or ()),
        any_feld=any_feld,
        bundesland=resolve_bundesland(bundesland, atlas) if bundesland is not None else None,
        min_einwohner=min_einwohner,
        max_einwohner=max_einwohner,
        netzwerk=netzwerk,
        foerderprogramm=foerderprogramm,
        projekt=projekt,
    )


def chosen_columns(spec: str | None, default: Sequence[str]) -> list[str]:
    """The columns a ``--columns`` value names, or the default ones."""
    if spec is None:
        return list(default)
    chosen = [c.strip() for c in spec.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in ALL_COLUMNS]
    if unknown or not chosen:
        raise UnknownValue("column", ",".join(unknown) or spec, ALL_COLUMNS)
    return chosen
