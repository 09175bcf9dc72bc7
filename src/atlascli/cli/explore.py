"""Commands that look across the atlas: projects, fields, matrix, similar, stats, export."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from atlascli.cli.common import (
    EXIT_FAILURE,
    AnyOption,
    BundeslandOption,
    CityArgument,
    FeldOption,
    FormatOption,
    LimitOption,
    MaxOption,
    MinOption,
    city_filter,
    command,
    complete_city,
    complete_field,
    fail,
    find_city,
    frame_out,
    json_out,
    load,
    note,
    rows_or_view,
    table_out,
    user_errors,
)
from atlascli.query import filter_cities, resolve_field
from atlascli.render import OutputFormat

if TYPE_CHECKING:
    from atlascli.insights import ItemCount, Summary
    from atlascli.render.machine import Cell

# atlascli.insights (and its statistics import) is loaded inside the commands that use it, so
# the other commands do not pay for it at start-up.


def _fields(fields: tuple[object, ...]) -> list[str]:
    return [str(f) for f in fields]


@command("projects")
def projects_command(
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
) -> None:
    """Every example project across all cities, with its Handlungsfelder.

    Examples: atlas projects --feld Mobilität · atlas projects --stadt Bonn ·
    atlas projects --search open -f csv
    """
    from atlascli.insights import projects

    with user_errors():
        atlas = load(ctx)
        cities = [find_city(atlas, stadt)] if stadt is not None else list(atlas)
        rows = projects(cities, resolve_field(feld) if feld is not None else None, text)

        def view(console: Any) -> Any:
            from atlascli.render.explore_views import projects_table

            return projects_table(console, rows)

        frame = [[r.stadt, r.projekt, _fields(r.handlungsfelder)] for r in rows]
        rows_or_view(ctx, fmt, ["stadt", "projekt", "handlungsfelder"], frame, view, "no project matches")


@command("fields")
def fields(
    ctx: typer.Context,
    feld: Annotated[
        str | None,
        typer.Argument(
            help="Show this field's cities and projects.", shell_complete=complete_field, show_default=False
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The ten Handlungsfelder and how many cities work on each; or one field in detail.

    Examples: atlas fields · atlas fields Gesundheit · atlas fields -f csv
    """
    from atlascli.insights import field_coverage, projects

    with user_errors():
        atlas = load(ctx)
        if feld is None:
            coverage = field_coverage(atlas.cities)
            if fmt is OutputFormat.table:
                from atlascli.render.explore_views import fields_chart

                table_out(ctx, lambda console: fields_chart(console, coverage, len(atlas)))
            else:
                frame_out(
                    ctx,
                    ["handlungsfeld", "anzahl", "staedte"],
                    [[fc.feld.value, fc.anzahl, list(fc.staedte)] for fc in coverage],
                    fmt,
                )
            return
        chosen = resolve_field(feld)
        cities = [c for c in atlas if chosen in c.handlungsfelder]
        rows = projects(atlas, chosen)
        if fmt is OutputFormat.table:
            from atlascli.render.explore_views import field_detail

            table_out(ctx, lambda console: field_detail(console, chosen, [c.stadt for c in cities], rows))
        elif fmt in (OutputFormat.json, OutputFormat.jsonl):
            json_out(
                {
                    "handlungsfeld": chosen.value,
                    "staedte": [c.stadt for c in cities],
                    "projekte": [
                        {
                            "stadt": r.stadt,
                            "projekt": r.projekt,
                            "handlungsfelder": _fields(r.handlungsfelder),
                        }
                        for r in rows
                    ],
                },
                fmt,
            )
        else:
            # the field's cities, and cities that have a project in the field without naming the
            # field themselves (Dortmund's Smart Service Power is a Gesundheit project)
            names = [c.stadt for c in atlas if c in cities or any(r.stadt == c.stadt for r in rows)]
            frame_out(
                ctx,
                ["stadt", "im_handlungsfeld", "projekte"],
                [
                    [
                        name,
                        int(any(c.stadt == name for c in cities)),
                        [r.projekt for r in rows if r.stadt == name],
                    ]
                    for name in names
                ],
                fmt,
            )


@command("matrix")
def matrix(
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
) -> None:
    """Cities × Handlungsfelder as a grid of marks (csv/json: 0/1); takes the filter options.

    Examples: atlas matrix · atlas matrix --by-coverage · atlas matrix -b NRW -f csv
    """
    from atlascli.insights import field_matrix

    with user_errors():
        atlas = load(ctx)
        cities = filter_cities(
            atlas, city_filter(atlas, feld, any_feld, bundesland, min_einwohner, max_einwohner)
        )
        grid = field_matrix(cities, coverage)
        if fmt is OutputFormat.table:
            if not grid.rows:
                note("no city matches")
                return
            from atlascli.render.explore_views import matrix_grid

            table_out(ctx, lambda console: matrix_grid(console, grid))
        else:
            header = ["stadt", *[f.key for f in grid.felder], "anzahl"]
            rows: list[list[Cell]] = [[r.stadt, *[int(m) for m in r.marks], r.coverage] for r in grid.rows]
            frame_out(ctx, header, rows, fmt)


@command("similar")
def similar(
    ctx: typer.Context,
    city: CityArgument,
    limit: LimitOption = 5,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Cities ranked by how alike their profile is: rare shared fields, networks, programmes, size.

    Examples: atlas similar Darmstadt · atlas similar Bonn -n 10 -f csv
    """
    from atlascli.insights import similar_cities

    with user_errors():
        atlas = load(ctx)
        found = find_city(atlas, city)
        rows = similar_cities(atlas, found, limit)
        if fmt is OutputFormat.table:
            from atlascli.render.explore_views import similar_table

            table_out(ctx, lambda console: similar_table(console, found.stadt, rows))
        else:
            frame_out(
                ctx,
                ["stadt", "score", "grund", "gemeinsame_felder", "felder_zusammen", "gemeinsam"],
                [
                    [r.stadt, r.score, r.grund, r.shared_fields, r.union_fields, list(r.shared_items)]
                    for r in rows
                ],
                fmt,
            )


def _summary_record(s: "Summary") -> dict[str, float | int]:
    return {"summe": s.summe, "median": s.median, "min": s.minimum, "max": s.maximum}


def _count_records(counts: "tuple[ItemCount, ...]") -> list[dict[str, object]]:
    return [{"name": c.name, "anzahl": c.anzahl, "staedte": list(c.staedte)} for c in counts]


@command("stats")
def stats(
    ctx: typer.Context,
    top: Annotated[int, typer.Option("--top", min=1, help="How many networks and programmes to list.")] = 10,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Totals and medians, cities per Bundesland, fields per city, the commonest networks and programmes.

    Examples: atlas stats · atlas stats -f json
    """
    from atlascli.insights import atlas_stats

    with user_errors():
        result = atlas_stats(load(ctx).cities, top)
        if fmt is OutputFormat.table:
            from atlascli.render.explore_views import stats_view

            table_out(ctx, lambda console: stats_view(console, result))
            return
        record = {
            "staedte": result.staedte,
            "einwohner": _summary_record(result.einwohner),
            "flaeche_km2": _summary_record(result.flaeche_km2),
            "handlungsfelder_pro_stadt": _summary_record(result.handlungsfelder_pro_stadt),
            "staedte_pro_bundesland": dict(result.staedte_pro_bundesland),
            "handlungsfelder": {fc.feld.value: fc.anzahl for fc in result.felder},
            "netzwerke": _count_records(result.netzwerke),
            "foerderprogramme": _count_records(result.foerderprogramme),
        }
        if fmt in (OutputFormat.json, OutputFormat.jsonl):
            json_out(record, fmt)
            return
        rows: list[list[Cell]] = [["staedte", "anzahl", result.staedte]]
        for name in ("einwohner", "flaeche_km2", "handlungsfelder_pro_stadt"):
            summary: Summary = getattr(result, name)
            rows += [[name, key, value] for key, value in _summary_record(summary).items()]
        rows += [["bundesland", land, n] for land, n in result.staedte_pro_bundesland]
        rows += [["handlungsfeld", fc.feld.value, fc.anzahl] for fc in result.felder]
        rows += [["netzwerk", c.name, c.anzahl] for c in result.netzwerke]
        rows += [["foerderprogramm", c.name, c.anzahl] for c in result.foerderprogramme]
        frame_out(ctx, ["bereich", "name", "wert"], rows, fmt)


@command("export")
def export(
    ctx: typer.Context,
    sqlite: Annotated[
        Path,
        typer.Option("--sqlite", help="Write a normalised SQLite database to this file.", show_default=False),
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Export the atlas as a normalised SQLite database for sqlite3, Datasette or DuckDB.

    Examples: atlas export --sqlite atlas.db · sqlite3 atlas.db 'SELECT stadt, einwohner FROM atlas'
    """
    from atlascli.export import ExportError, export_sqlite

    with user_errors():
        atlas = load(ctx)
        try:
            count = export_sqlite(atlas, sqlite, force)
        except ExportError as exc:
            fail(str(exc), EXIT_FAILURE)
        note(f"wrote {count} cities to {sqlite}")
