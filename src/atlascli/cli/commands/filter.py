"""``atlas filter``: the cities that meet all given conditions."""

from typing import Annotated

import typer

from atlascli.cli.options import (
    AnyOption,
    BundeslandOption,
    ColumnsOption,
    FeldOption,
    FormatOption,
    LimitOption,
    MaxOption,
    MinOption,
    ReverseOption,
    SortOption,
    city_filter,
)
from atlascli.cli.output import Output, cities_output
from atlascli.cli.root import load
from atlascli.query import filtered_positions
from atlascli.render import OutputFormat

RANK = 3


def command(
    ctx: typer.Context,
    feld: FeldOption = None,
    any_feld: AnyOption = False,
    bundesland: BundeslandOption = None,
    min_einwohner: MinOption = None,
    max_einwohner: MaxOption = None,
    netzwerk: Annotated[
        str | None, typer.Option("--netzwerk", help="A network containing this text.", show_default=False)
    ] = None,
    foerderprogramm: Annotated[
        str | None,
        typer.Option(
            "--foerderprogramm", help="A funding programme containing this text.", show_default=False
        ),
    ] = None,
    projekt: Annotated[
        str | None,
        typer.Option("--projekt", help="An example project containing this text.", show_default=False),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    sort: SortOption = None,
    reverse: ReverseOption = False,
    limit: LimitOption = None,
    columns: ColumnsOption = None,
) -> Output:
    """Cities that meet all given conditions.

    Examples: atlas filter --feld Gesundheit · atlas filter --feld mobilitaet --feld energie -b NRW ·
    atlas filter --netzwerk Städtetag --min-einwohner 300000 -f csv
    """
    atlas = load(ctx)
    conditions = city_filter(
        atlas,
        feld=feld,
        any_feld=any_feld,
        bundesland=bundesland,
        min_einwohner=min_einwohner,
        max_einwohner=max_einwohner,
        netzwerk=netzwerk,
        foerderprogramm=foerderprogramm,
        projekt=projekt,
    )
    positions = filtered_positions(atlas, conditions)
    return cities_output(atlas, positions, fmt=fmt, columns=columns, sort=sort, reverse=reverse, limit=limit)
