"""``atlas compare``: cities side by side."""

from typing import Any

import typer

from atlascli.cli.options import CitiesArgument, FormatOption
from atlascli.cli.output import Output
from atlascli.cli.root import find_city, load
from atlascli.errors import QueryError
from atlascli.query import compare_cities
from atlascli.render import OutputFormat
from atlascli.render.records import comparison_frame, comparison_record

RANK = 5


def command(ctx: typer.Context, cities: CitiesArgument, fmt: FormatOption = OutputFormat.table) -> Output:
    """Compare cities side by side: size, Handlungsfelder, projects, networks, funding.

    Examples: atlas compare Bonn Münster · atlas compare Dresden Leipzig Chemnitz -f json
    """
    if len(cities) < 2:
        raise QueryError("compare needs at least two cities, e.g. atlas compare Bonn Münster")
    atlas = load(ctx)
    comparison = compare_cities([find_city(atlas, name) for name in cities])

    def view(console: Any) -> Any:
        from atlascli.render.views.compare import comparison_view

        return comparison_view(console, comparison)

    return Output(fmt, comparison_frame(comparison), view, document=comparison_record(comparison))
