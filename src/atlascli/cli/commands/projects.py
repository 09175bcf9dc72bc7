"""``atlas projects``: every example project, with its Handlungsfelder."""

from typing import Annotated, Any

import typer

from atlascli.cli.completion import complete_city, complete_field
from atlascli.cli.options import FormatOption
from atlascli.cli.output import Output
from atlascli.cli.root import find_city, load
from atlascli.query import resolve_field
from atlascli.render import OutputFormat
from atlascli.render.records import projects_frame

RANK = 6


def command(
    ctx: typer.Context,
    feld: Annotated[
        str | None,
        typer.Option(
            "--feld",
            help="Only projects in this Handlungsfeld.",
            shell_complete=complete_field,
            show_default=False,
        ),
    ] = None,
    stadt: Annotated[
        str | None,
        typer.Option(
            "--stadt", help="Only this city's projects.", shell_complete=complete_city, show_default=False
        ),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option("--search", help="Only projects whose name contains this text.", show_default=False),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> Output:
    """Every example project across all cities, with its Handlungsfelder.

    Examples: atlas projects --feld Mobilität · atlas projects --stadt Bonn ·
    atlas projects --search open -f csv
    """
    from atlascli.insights import projects

    atlas = load(ctx)
    city = find_city(atlas, stadt) if stadt is not None else None
    rows = projects(
        [city] if city is not None else atlas,  # every city read as it comes
        feld=resolve_field(feld) if feld is not None else None,
        text=text,
    )
    empty = "no project matches"
    if city is not None:
        only_city = feld is None and text is None
        empty = (
            f"{city.stadt} has no example projects" if only_city else f"no project of {city.stadt} matches"
        )

    def view(console: Any) -> Any:
        from atlascli.render.views.fields import projects_table

        return projects_table(console, rows) if rows else None

    return Output(fmt, projects_frame(rows), view, empty=empty)
