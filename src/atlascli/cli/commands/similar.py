"""``atlas similar``: the cities most like one city."""

from typing import Any

import typer

from atlascli.cli.options import CityArgument, FormatOption, LimitOption
from atlascli.cli.output import Output
from atlascli.cli.root import find_city, load
from atlascli.render import OutputFormat
from atlascli.render.records import similar_frame

RANK = 9


def command(
    ctx: typer.Context,
    city: CityArgument,
    limit: LimitOption = 5,
    fmt: FormatOption = OutputFormat.table,
) -> Output:
    """Cities ranked by how alike their profile is: rare shared fields, networks, programmes, size.

    Examples: atlas similar Darmstadt · atlas similar Bonn -n 10 -f csv
    """
    from atlascli.insights import similar_cities

    atlas = load(ctx)
    found = find_city(atlas, city)
    rows = similar_cities(atlas, found.profile(), limit=limit)

    def view(console: Any) -> Any:
        from atlascli.render.views.similar import similar_table

        return similar_table(console, found.stadt, rows)

    return Output(fmt, similar_frame(rows), view)
