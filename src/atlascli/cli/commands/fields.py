"""``atlas fields``: the ten Handlungsfelder, or one of them in detail."""

from typing import Annotated, Any

import typer

from atlascli.cli.completion import complete_field
from atlascli.cli.options import FormatOption
from atlascli.cli.output import Output
from atlascli.cli.root import load
from atlascli.query import resolve_field
from atlascli.render import OutputFormat
from atlascli.render.records import coverage_frame, field_frame, field_record

RANK = 7


def command(
    ctx: typer.Context,
    feld: Annotated[
        str | None,
        typer.Argument(
            help="Show this field's cities and projects.",
            metavar="FIELD",
            shell_complete=complete_field,
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> Output:
    """The ten Handlungsfelder and how many cities work on each; or one field in detail.

    Examples: atlas fields · atlas fields Gesundheit · atlas fields -f csv
    """
    from atlascli.insights import field_coverage, field_detail

    atlas = load(ctx)
    if feld is None:
        coverage = field_coverage(atlas.profiles())

        def chart(console: Any) -> Any:
            from atlascli.render.views.fields import fields_chart

            return fields_chart(console, coverage, len(atlas))

        return Output(fmt, coverage_frame(coverage), chart)
    detail = field_detail(atlas.cities, resolve_field(feld))

    def view(console: Any) -> Any:
        from atlascli.render.views.fields import field_view

        return field_view(console, detail)

    return Output(fmt, field_frame(detail), view, document=field_record(detail))
