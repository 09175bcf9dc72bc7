"""The everyday commands: list, show, filter, search, compare."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from atlascli.cli.common import (
    EXIT_USAGE,
    AnyOption,
    BundeslandOption,
    CityArgument,
    ColumnsOption,
    FeldOption,
    FormatOption,
    LimitOption,
    MaxOption,
    MinOption,
    ReverseOption,
    SortOption,
    city_filter,
    command,
    complete_city,
    emit_selection,
    fail,
    find_city,
    frame_out,
    json_out,
    load,
    rows_or_view,
    table_out,
    user_errors,
)
from atlascli.query import compare_cities, filtered_positions
from atlascli.render import OutputFormat
from atlascli.tsv import COLUMNS

if TYPE_CHECKING:
    from atlascli.render.machine import Cell


@command("list")
def list_cities(
    ctx: typer.Context,
    fmt: FormatOption = OutputFormat.table,
    sort: SortOption = None,
    reverse: ReverseOption = False,
    limit: LimitOption = None,
    columns: ColumnsOption = None,
) -> None:
    """List every city of the atlas.

    Examples: atlas list · atlas list --sort einwohner -r -n 5 · atlas list -f csv --columns stadt,einwohner
    """
    with user_errors():
        atlas = load(ctx)
        emit_selection(ctx, atlas, range(len(atlas)), fmt, columns, sort, reverse, limit)


@command("show")
def show(ctx: typer.Context, city: CityArgument, fmt: FormatOption = OutputFormat.table) -> None:
    """Everything the atlas says about one city.

    Examples: atlas show Darmstadt · atlas show muenster · atlas show Oldenbrug -f json
    """
    from atlascli.tsv import city_record, column_value

    with user_errors():
        found = find_city(load(ctx), city)
        if fmt is OutputFormat.table:
            from atlascli.render.views import city_view

            table_out(ctx, lambda console: city_view(console, found))
        elif fmt in (OutputFormat.json, OutputFormat.jsonl):
            json_out(city_record(found), fmt)
        else:
            frame_out(ctx, COLUMNS, [[column_value(found, c) for c in COLUMNS]], fmt)


@command("filter")
def filter_command(
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
) -> None:
    """Cities that meet all given conditions.

    Examples: atlas filter --feld Gesundheit · atlas filter --feld mobilitaet --feld energie -b NRW ·
    atlas filter --netzwerk Städtetag --min-einwohner 300000 -f csv
    """
    with user_errors():
        atlas = load(ctx)
        conditions = city_filter(
            atlas,
            feld,
            any_feld,
            bundesland,
            min_einwohner,
            max_einwohner,
            netzwerk,
            foerderprogramm,
            projekt,
        )
        positions = filtered_positions(atlas, conditions)
        emit_selection(ctx, atlas, positions, fmt, columns, sort, reverse, limit)


@command("search")
def search(
    ctx: typer.Context,
    query: Annotated[
        list[str], typer.Argument(help="Words to find; every word must match somewhere in a city.")
    ],
    column: Annotated[
        str | None,
        typer.Option(
            "--in", help="Search only this column, e.g. netzwerke or projektbeispiele.", show_default=False
        ),
    ] = None,
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Fuzzy full-text search: typo-tolerant, case- and umlaut-insensitive, best match first.

    Examples: atlas search open data · atlas search Luftreinhaltung ·
    atlas search lora wan --in projektbeispiele
    """
    from atlascli.search import search as run_search

    with user_errors():
        hits = run_search(load(ctx), " ".join(query), column, limit)

        def view(console: Any) -> Any:
            from atlascli.render.views import hits_table

            return hits_table(console, hits)

        rows: list[list[Cell]] = [[h.stadt, h.spalte, h.score, h.treffer] for h in hits]
        rows_or_view(ctx, fmt, ["stadt", "spalte", "score", "treffer"], rows, view, "nothing found")


@command("compare")
def compare(
    ctx: typer.Context,
    cities: Annotated[
        list[str],
        typer.Argument(help="Two or more city names.", shell_complete=complete_city, show_default=False),
    ],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Compare cities side by side: size, Handlungsfelder, projects, networks, funding.

    Examples: atlas compare Bonn Münster · atlas compare Dresden Leipzig Chemnitz -f json
    """
    if len(cities) < 2:
        fail("compare needs at least two cities, e.g. atlas compare Bonn Münster", EXIT_USAGE)
    with user_errors():
        atlas = load(ctx)
        comparison = compare_cities([find_city(atlas, name) for name in cities])
        if fmt is OutputFormat.table:
            from atlascli.render.views import comparison_view

            table_out(ctx, lambda console: comparison_view(console, comparison))
        elif fmt in (OutputFormat.json, OutputFormat.jsonl):
            from atlascli.render.compare import comparison_record

            json_out(comparison_record(comparison), fmt)
        else:
            from atlascli.render.compare import comparison_frame

            frame_out(ctx, *comparison_frame(comparison), fmt)
