"""``atlas show``: everything the atlas says about one city."""

from typing import Any

import typer

from atlascli.cli.options import CityArgument, FormatOption
from atlascli.cli.output import Output
from atlascli.cli.root import find_city, load
from atlascli.render import OutputFormat
from atlascli.render.records import city_frame, city_record

RANK = 2


def command(ctx: typer.Context, city: CityArgument, fmt: FormatOption = OutputFormat.table) -> Output:
    """Everything the atlas says about one city.

    Examples: atlas show Darmstadt · atlas show muenster · atlas show Oldenbrug -f json
    """
    found = find_city(load(ctx), city)

    def view(console: Any) -> Any:
        from atlascli.render.views.cities import city_view

        return city_view(console, found)

    return Output(fmt, city_frame(found), view, document=city_record(found))
