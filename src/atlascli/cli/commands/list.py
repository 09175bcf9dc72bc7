"""``atlas list``: every city of the atlas."""

import typer

from atlascli.cli.options import ColumnsOption, FormatOption, LimitOption, ReverseOption, SortOption
from atlascli.cli.output import Output, cities_output
from atlascli.cli.root import load
from atlascli.render import OutputFormat

RANK = 1


def command(
    ctx: typer.Context,
    fmt: FormatOption = OutputFormat.table,
    sort: SortOption = None,
    reverse: ReverseOption = False,
    limit: LimitOption = None,
    columns: ColumnsOption = None,
) -> Output:
    """List every city of the atlas.

    Examples: atlas list · atlas list --sort einwohner -r -n 5 · atlas list -f csv --columns stadt,einwohner
    """
    atlas = load(ctx)
    return cities_output(
        atlas, range(len(atlas)), fmt=fmt, columns=columns, sort=sort, reverse=reverse, limit=limit
    )
