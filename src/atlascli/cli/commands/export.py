"""``atlas export``: the atlas as a normalised SQLite database."""

from pathlib import Path
from typing import Annotated

import typer

from atlascli.cli.errors import note
from atlascli.cli.root import load

RANK = 11


def command(
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
    from atlascli.export import export_sqlite

    count = export_sqlite(load(ctx), sqlite, force=force)
    note(f"wrote {count} cities to {sqlite}")
