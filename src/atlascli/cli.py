"""The ``atlas`` command line: parse options, call the core, hand the result to a renderer.

No business logic and no formatting here. Core errors become messages on stderr and exit codes:
0 success (also an empty result), 1 unknown city or bad data, 2 usage error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer

from atlascli import __version__
from atlascli.atlas import AtlasDataError, load_atlas
from atlascli.model import Atlas, City
from atlascli.query import (
    CityFilter,
    QueryError,
    SortKey,
    UnknownCity,
    UnknownValue,
    compare_cities,
    filter_cities,
    resolve_bundesland,
    resolve_city,
    resolve_field,
    sort_cities,
)
from atlascli.render import OutputFormat
from atlascli.render.machine import Cell
from atlascli.render.terminal import safe_text
from atlascli.tsv import COLUMNS, DERIVED_COLUMNS

EXIT_FAILURE = 1
EXIT_USAGE = 2

app = typer.Typer(
    name="atlas",
    help=(
        "Explore how German cities organise their digital transformation "
        "(Smart City Atlas, Bitkom 2019, with later additions).\n\n"
        "Examples: atlas show Darmstadt · atlas filter --feld Gesundheit · "
        "atlas compare Bonn Münster · atlas search open data · atlas list -f csv"
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)


@dataclass(frozen=True)
class Settings:
    data: Path | None
    no_color: bool


def _version(value: bool) -> None:
    if value:
        print(f"atlas {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar="ATLAS_DATA",
            help="Use this atlas TSV file instead of the bundled one (same schema).",
            show_default=False,
        ),
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour or other escape codes.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    ctx.obj = Settings(data=data, no_color=no_color)


# --- shared plumbing ---------------------------------------------------------------------------


def _settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings(None, False)


def note(message: str) -> None:
    """A one-line note or error for the user, on stderr."""
    print(f"atlas: {safe_text(message)}", file=sys.stderr)


def fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    note(message)
    raise typer.Exit(code)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn the core's domain errors into messages and exit codes; flush stdout inside the try so
    that a closed pipe is noticed here, not at interpreter shutdown."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    except AtlasDataError as exc:
        for line in str(exc).splitlines():
            note(line)
        raise typer.Exit(EXIT_FAILURE) from None
    except UnknownCity as exc:
        fail(str(exc), EXIT_FAILURE)
    except UnknownValue as exc:
        fail(str(exc), EXIT_USAGE)
    except QueryError as exc:
        fail(str(exc), EXIT_USAGE)


def _atlas(ctx: typer.Context) -> Atlas:
    return load_atlas(_settings(ctx).data)


def _city(atlas: Atlas, query: str) -> City:
    resolved = resolve_city(atlas, query)
    if resolved.note:
        note(resolved.note)
    return resolved.city


def _columns(spec: str | None, default: Sequence[str]) -> list[str]:
    if spec is None:
        return list(default)
    valid = (*COLUMNS, *DERIVED_COLUMNS)
    chosen = [c.strip() for c in spec.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in valid]
    if unknown or not chosen:
        raise UnknownValue("column", ",".join(unknown) or spec, valid)
    return chosen


def _table_out(ctx: typer.Context, build: Callable[[Any], Any]) -> None:
    """Draw a Rich view on stdout; ``build`` makes it from the console (for its width and encoding)."""
    from atlascli.render.terminal import make_console

    console = make_console(_settings(ctx).no_color)
    console.print(build(console))


def _machine_out() -> TextIO:
    return sys.stdout


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
]
ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help="Comma-separated columns for table/csv/tsv/markdown, e.g. stadt,einwohner,links.",
        show_default=False,
    ),
]
SortOption = Annotated[
    SortKey | None,
    typer.Option(
        "--sort", help="Sort by this column (numbers numerically, lists by length).", show_default=False
    ),
]
ReverseOption = Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=0, help="Show at most N results.", show_default=False)
]

TABLE_COLUMNS = ("stadt", "bundesland", "einwohner", "flaeche_km2", "handlungsfelder")


def _emit_cities(ctx: typer.Context, cities: list[City], fmt: OutputFormat, columns: str | None) -> None:
    from atlascli.render import machine
    from atlascli.tsv import city_record, column_value

    if fmt is OutputFormat.table:
        chosen = _columns(columns, TABLE_COLUMNS)
        if not cities:
            note("no city matches")
            return
        from atlascli.render.views import cities_table

        _table_out(ctx, lambda console: cities_table(console, cities, chosen))
    elif fmt in (OutputFormat.json, OutputFormat.jsonl) and columns is None:
        machine.write_json([city_record(c) for c in cities], fmt, _machine_out())
    else:
        chosen = _columns(columns, COLUMNS)
        rows = [[column_value(c, col) for col in chosen] for c in cities]
        machine.write_frame(chosen, rows, fmt, _machine_out())


# --- commands --------------------------------------------------------------------------------


@app.command("list")
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
    with _user_errors():
        cities = sort_cities(_atlas(ctx), sort, reverse)[:limit]
        _emit_cities(ctx, cities, fmt, columns)


@app.command()
def show(
    ctx: typer.Context,
    city: Annotated[str, typer.Argument(help="City name; forgiving of case, umlauts, prefixes and typos.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Everything the atlas says about one city.

    Examples: atlas show Darmstadt · atlas show muenster · atlas show Oldenbrug -f json
    """
    from atlascli.render import machine
    from atlascli.tsv import city_record, column_value

    with _user_errors():
        found = _city(_atlas(ctx), city)
        if fmt is OutputFormat.table:
            from atlascli.render.views import city_view

            _table_out(ctx, lambda console: city_view(console, found))
        elif fmt in (OutputFormat.json, OutputFormat.jsonl):
            machine.write_json(city_record(found), fmt, _machine_out())
        else:
            machine.write_frame(COLUMNS, [[column_value(found, c) for c in COLUMNS]], fmt, _machine_out())


@app.command("filter")
def filter_command(
    ctx: typer.Context,
    feld: Annotated[
        list[str] | None,
        typer.Option(
            "--feld",
            help="Handlungsfeld the city works on (repeatable; all must hold), e.g. gesundheit, mobilitaet.",
            show_default=False,
        ),
    ] = None,
    any_feld: Annotated[bool, typer.Option("--any", help="At least one --feld instead of all.")] = False,
    bundesland: Annotated[
        str | None,
        typer.Option(
            "--bundesland",
            "-b",
            help="Federal state: full name or abbreviation (NRW, BY, SN ...).",
            show_default=False,
        ),
    ] = None,
    min_einwohner: Annotated[
        int | None, typer.Option("--min-einwohner", min=0, help="At least N inhabitants.", show_default=False)
    ] = None,
    max_einwohner: Annotated[
        int | None, typer.Option("--max-einwohner", min=0, help="At most N inhabitants.", show_default=False)
    ] = None,
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
    with _user_errors():
        atlas = _atlas(ctx)
        conditions = CityFilter(
            felder=tuple(resolve_field(f) for f in feld or ()),
            any_feld=any_feld,
            bundesland=resolve_bundesland(bundesland, atlas) if bundesland is not None else None,
            min_einwohner=min_einwohner,
            max_einwohner=max_einwohner,
            netzwerk=netzwerk,
            foerderprogramm=foerderprogramm,
            projekt=projekt,
        )
        cities = sort_cities(filter_cities(atlas, conditions), sort, reverse)[:limit]
        _emit_cities(ctx, cities, fmt, columns)


@app.command()
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
    from atlascli.render import machine
    from atlascli.search import search as run_search

    with _user_errors():
        hits = run_search(_atlas(ctx), " ".join(query), column, limit)
        if fmt is OutputFormat.table:
            if not hits:
                note("nothing found")
                return
            from atlascli.render.views import hits_table

            _table_out(ctx, lambda console: hits_table(console, hits))
        else:
            rows: list[list[Cell]] = [[h.stadt, h.spalte, h.score, h.treffer] for h in hits]
            machine.write_frame(["stadt", "spalte", "score", "treffer"], rows, fmt, _machine_out())


@app.command()
def compare(
    ctx: typer.Context,
    cities: Annotated[list[str], typer.Argument(help="Two or more city names.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Compare cities side by side: size, Handlungsfelder, projects, networks, funding.

    Examples: atlas compare Bonn Münster · atlas compare Dresden Leipzig Chemnitz -f json
    """
    from atlascli.render import machine
    from atlascli.render.compare import comparison_frame, comparison_record

    if len(cities) < 2:
        fail("compare needs at least two cities, e.g. atlas compare Bonn Münster", EXIT_USAGE)
    with _user_errors():
        atlas = _atlas(ctx)
        comparison = compare_cities([_city(atlas, name) for name in cities])
        if fmt is OutputFormat.table:
            from atlascli.render.views import comparison_view

            _table_out(ctx, lambda console: comparison_view(console, comparison))
        elif fmt in (OutputFormat.json, OutputFormat.jsonl):
            machine.write_json(comparison_record(comparison), fmt, _machine_out())
        else:
            header, rows = comparison_frame(comparison)
            machine.write_frame(header, rows, fmt, _machine_out())


# --- entry point -------------------------------------------------------------------------------


def _quiet_broken_pipe() -> NoReturn:
    """The reader went away (``| head -1``): stop quietly, as the Python signal docs recommend."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(0)


def _degrade_unencodable_output() -> None:
    """A stdout that cannot encode umlauts (PYTHONIOENCODING=ascii) gets replacements, not a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") not in (
            "utf8",
            "utf_8",
        ):
            reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: run the app; no traceback reaches a user."""
    _degrade_unencodable_output()
    try:
        app(args=list(argv) if argv is not None else None, prog_name="atlas")
    except BrokenPipeError:
        _quiet_broken_pipe()
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        raise SystemExit(130) from None
    except SystemExit as exc:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_broken_pipe()
        raise SystemExit(exc.code) from None
    except Exception as exc:
        if os.environ.get("ATLAS_DEBUG"):
            raise
        note(f"unexpected error: {type(exc).__name__}: {exc} (run with ATLAS_DEBUG=1 for details)")
        raise SystemExit(EXIT_FAILURE) from None
