"""``atlas stats``: totals, medians and the commonest networks and programmes."""

from typing import Annotated, Any

import typer

from atlascli.cli.options import FormatOption
from atlascli.cli.output import Output
from atlascli.cli.root import load
from atlascli.render import OutputFormat
from atlascli.render.records import stats_frame, stats_record

RANK = 10


def command(
    ctx: typer.Context,
    top: Annotated[int, typer.Option("--top", min=1, help="How many networks and programmes to list.")] = 10,
    fmt: FormatOption = OutputFormat.table,
) -> Output:
    """Totals and medians, cities per Bundesland, fields per city, the commonest networks and programmes.

    Examples: atlas stats · atlas stats -f json
    """
    from atlascli.insights import atlas_stats

    result = atlas_stats(load(ctx).tallies(), top)

    def view(console: Any) -> Any:
        from atlascli.render.views.stats import stats_view

        return stats_view(console, result)

    return Output(fmt, stats_frame(result), view, document=stats_record(result))
