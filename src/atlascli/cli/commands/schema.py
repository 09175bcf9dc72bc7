"""``atlas schema``: the atlas's columns and tables, as JSON, for other tools."""

from typing import Annotated

import typer

from atlascli.cli.output import Output
from atlascli.render import Frame, OutputFormat

RANK = 13


def command(
    ctx: typer.Context,
    database: Annotated[
        str,
        typer.Option(
            "--database",
            metavar="NAME",
            help="The name Datasette gives the exported file (its name without .db), for the metadata.",
        ),
    ] = "atlas",
    datasette: Annotated[
        bool, typer.Option("--datasette", help="Only the Datasette metadata (for datasette -m FILE).")
    ] = False,
) -> Output:
    """Describe the TSV's columns, the SQLite tables and Datasette's metadata as JSON.

    The TSV part gives its dialect (tab, no quoting, four backslash escapes), and each column's
    name, type (string, integer, list, number) and list separator; the SQLite part the tables and
    views of atlas export and atlas sql, with their columns and foreign keys.

    Examples: atlas schema · atlas schema --datasette > metadata.json && datasette atlas.db -m metadata.json
    """
    from atlascli.export import schema_document

    document = schema_document(database)
    shown = document["datasette"] if datasette else document
    return Output(OutputFormat.json, Frame([], []), lambda console: None, document=shown)
