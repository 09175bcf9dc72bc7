"""``atlas matrix``: cities × Handlungsfelder as a grid."""

from typing import Annotated, Any

import typer

from atlascli.cli.options import (
    AnyOption,
    BundeslandOption,
    FeldOption,
    FormatOption,
    MaxOption,
    MinOption,
    city_filter,
)
from atlascli.cli.output import Output
from atlascli.cli.root import load
from atlascli.render import OutputFormat
from atlascli.render.records import matrix_frame

RANK = 8


def command(
    ctx: typer.Context,
    feld: FeldOption = None,
    any_feld: AnyOption = False,
    bundesland: BundeslandOption = None,
    min_einwohner: MinOption = None,
    max_einwohner: MaxOption = None,
    coverage: Annotated[
        bool,
        typer.Option("--by-coverage", "-c", help="Cities with most fields first, commonest fields first."),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> Output:
    """Cities × Handlungsfelder as a grid of marks (csv/json: 0/1); takes the filter options.

    Examples: atlas matrix · atlas matrix --by-coverage · atlas matrix -b NRW -f csv
    """
    from atlascli.insights import field_matrix

    atlas = load(ctx)
    conditions = city_filter(
        atlas,
        feld=feld,
        any_feld=any_feld,
        bundesland=bundesland,
        min_einwohner=min_einwohner,
        max_einwohner=max_einwohner,
    )
    grid = field_matrix(atlas.profiles(atlas.select(conditions)), by_coverage=coverage)

    def view(console: Any) -> Any:
        from atlascli.render.views.fields import matrix_grid

        return matrix_grid(console, grid) if grid.rows else None

    return Output(fmt, matrix_frame(grid), view, empty="no city matches")
