"""``atlas sql``: one read-only SQL query over the atlas, in the schema ``atlas export`` writes."""

from typing import Annotated, Any

import typer

from atlascli.cli.options import FormatOption
from atlascli.cli.output import Output
from atlascli.cli.root import load
from atlascli.render import OutputFormat
from atlascli.render.records import query_frame, query_header, query_records

RANK = 12


def command(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            help="One SELECT statement; quote it for the shell.", metavar="QUERY", show_default=False
        ),
    ],
    fmt: FormatOption = OutputFormat.table,
) -> Output:
    """Answer a question in SQL (SQLite, read-only) over the tables atlas export writes.

    Tables: staedte, handlungsfelder, stadt_handlungsfelder, projekte, projekt_handlungsfelder,
    netzwerke, foerderprogramme, links; the view atlas has one row per city with the columns of
    the TSV. A statement that would write is refused.

    Examples: atlas sql "SELECT stadt, einwohner FROM atlas ORDER BY einwohner DESC LIMIT 3" ·
    atlas sql "SELECT h.name, count(sh.stadt_id) AS staedte FROM handlungsfelder h
    LEFT JOIN stadt_handlungsfelder sh ON sh.feld_id = h.id GROUP BY h.id ORDER BY staedte DESC, h.name"
    """
    from atlascli.sql import database_of, run_query

    result = run_query(database_of(load(ctx)), query)

    def view(console: Any) -> Any:
        from atlascli.render.views.sql import rows_view

        rows = list(result.rows)
        return rows_view(console, query_header(result.columns), rows) if rows else None

    return Output(fmt, query_frame(result), view, document=query_records(result), empty="no rows")
