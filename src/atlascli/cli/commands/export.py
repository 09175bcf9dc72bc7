"""``atlas export``: the atlas as a normalised SQLite database."""

from typing import Annotated

import typer

from atlascli.cli.errors import note
from atlascli.cli.root import load

RANK = 11


def command(
    ctx: typer.Context,
    sqlite: Annotated[
        str,  # not Path, which drops a final "/" (a folder name must be refused, not made a file)
        typer.Option(
            "--sqlite",
            help="Write a normalised SQLite database to this file.",
            show_default=False,
            metavar="<path>",  # as Path showed it
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Export the atlas as a normalised SQLite database for sqlite3, Datasette or DuckDB.

    Examples: atlas export --sqlite atlas.db · sqlite3 atlas.db 'SELECT stadt, einwohner FROM atlas'
    """
    from atlascli.export import export_sqlite

    count = export_sqlite(load(ctx), sqlite, force=force)
    note(f"wrote {count} cities to {sqlite}")
