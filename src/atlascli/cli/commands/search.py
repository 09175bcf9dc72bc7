"""``atlas search``: fuzzy full-text search across the atlas."""

from typing import Annotated, Any

import typer

from atlascli.cli.options import FormatOption, LimitOption
from atlascli.cli.output import Output
from atlascli.cli.root import load
from atlascli.render import OutputFormat
from atlascli.render.records import hits_frame

RANK = 4


def command(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(help="Words to find; every word must match somewhere in a city.", metavar="QUERY..."),
    ],
    column: Annotated[
        str | None,
        typer.Option(
            "--in", help="Search only this column, e.g. netzwerke or projektbeispiele.", show_default=False
        ),
    ] = None,
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> Output:
    """Fuzzy full-text search, best first: typos (one from 4 letters, two from 8), word forms, umlauts.

    Case and umlauts do not matter (Mobilität, mobilitaet); German word forms meet (Schulen, Schul-IT).

    Examples: atlas search open data · atlas search Luftreinhaltung · atlas search Schul-IT ·
    atlas search lora wan --in projektbeispiele
    """
    from atlascli.search import search

    hits = search(load(ctx), " ".join(query), column=column, limit=limit)

    def view(console: Any) -> Any:
        from atlascli.render.views.search import hits_table

        return hits_table(console, hits) if hits else None

    return Output(fmt, hits_frame(hits), view)
