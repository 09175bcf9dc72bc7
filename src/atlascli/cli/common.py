"""The ``atlas`` app, its global options and the plumbing every command shares.

No business logic and no formatting here. Core errors become messages on stderr and exit codes:
0 success (also an empty result), 1 unknown city or bad data, 2 usage error.

The cli modules do without ``from __future__ import annotations``: Typer reads every command's
annotations, and from strings it has to eval each of them (about a tenth of a table command's
time above the interpreter, Typer and Rich). The few names needed only for type checking are
quoted where they are used.
"""

import contextlib
import itertools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, NoReturn

import typer

from atlascli import __version__
from atlascli.atlas import AtlasDataError, load_atlas
from atlascli.model import ALL_FIELDS, Atlas, City
from atlascli.query import (
    BUNDESLAENDER,
    CityFilter,
    QueryError,
    SortKey,
    UnknownCity,
    UnknownValue,
    resolve_bundesland,
    resolve_city,
    resolve_field,
    sort_cities,
)
from atlascli.render import OutputFormat
from atlascli.render.terminal import safe_text
from atlascli.text import fold
from atlascli.tsv import COLUMNS, DERIVED_COLUMNS

if TYPE_CHECKING:
    from atlascli.render.machine import Cell

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


class Settings(NamedTuple):
    data: Path | None = None
    no_color: bool = False
    excel_safe: bool = False
    no_cache: bool = False


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
    excel_safe: Annotated[
        bool,
        typer.Option(
            "--excel-safe",
            help="In csv/tsv, prefix cells starting with = + - @ tab or CR with ' so spreadsheets "
            "do not run them as formulas (numbers stay as they are).",
        ),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Neither read nor write the cache kept for large --data files (also ATLAS_NO_CACHE=1).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    ctx.obj = Settings(data=data, no_color=no_color, excel_safe=excel_safe, no_cache=no_cache)


# --- command registry: only the command being run is built -------------------------------------
#
# Typer turns every registered command into a Click command (signatures, type hints, options) on
# every run, a few milliseconds each. The command modules therefore register their functions
# here, and main() hands Typer only the command the user asked for; the full app (help, tests,
# completion, the reference docs) registers all of them.

COMMAND_MODULES: dict[str, str] = {
    "list": "everyday",
    "show": "everyday",
    "filter": "everyday",
    "search": "everyday",
    "compare": "everyday",
    "projects": "explore",
    "fields": "explore",
    "matrix": "explore",
    "similar": "explore",
    "stats": "explore",
    "export": "explore",
}
_COMMANDS: dict[str, Callable[..., Any]] = {}
_registered: set[str] = set()


def command(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Record a command function under its name; it reaches Typer through :func:`register`."""

    def record(func: Callable[..., Any]) -> Callable[..., Any]:
        _COMMANDS[name] = func
        return func

    return record


def register(names: Iterable[str]) -> typer.Typer:
    """The app with these commands registered (in the order of COMMAND_MODULES)."""
    import importlib

    wanted = set(names)
    for module in sorted({COMMAND_MODULES[n] for n in wanted}):
        importlib.import_module(f"atlascli.cli.{module}")
    for name in COMMAND_MODULES:
        if name in wanted and name not in _registered:
            app.command(name)(_COMMANDS[name])
            _registered.add(name)
    order = list(COMMAND_MODULES)
    app.registered_commands.sort(key=lambda info: order.index(info.name or ""))
    return app


def full_app() -> typer.Typer:
    return register(COMMAND_MODULES)


_VALUE_OPTIONS = frozenset({"--data"})


def requested_command(args: Sequence[str]) -> str | None:
    """The subcommand named on a command line, skipping the global options before it."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


# --- shared plumbing ---------------------------------------------------------------------------


def settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings()


def note(message: str) -> None:
    """A one-line note or error for the user, on stderr."""
    print(f"atlas: {safe_text(message)}", file=sys.stderr)


def fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    note(message)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
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


def load(ctx: typer.Context) -> Atlas:
    chosen = settings(ctx)
    return load_atlas(chosen.data, cache=not chosen.no_cache)


def find_city(atlas: Atlas, query: str) -> City:
    """The city meant by ``query``; a note on stderr when it was a prefix or typo match."""
    resolved = resolve_city(atlas, query)
    if resolved.note:
        note(resolved.note)
    return resolved.city


def chosen_columns(spec: str | None, default: Sequence[str]) -> list[str]:
    if spec is None:
        return list(default)
    valid = (*COLUMNS, *DERIVED_COLUMNS)
    chosen = [c.strip() for c in spec.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in valid]
    if unknown or not chosen:
        raise UnknownValue("column", ",".join(unknown) or spec, valid)
    return chosen


def table_out(ctx: typer.Context, build: Callable[[Any], Any]) -> None:
    """Draw a Rich view on stdout; ``build`` makes it from the console (for its width and encoding)."""
    from atlascli.render.terminal import make_console

    console = make_console(settings(ctx).no_color)
    console.print(build(console))


def frame_out(
    ctx: typer.Context, header: Sequence[str], rows: "Iterable[Sequence[Cell]]", fmt: OutputFormat
) -> None:
    from atlascli.render.machine import write_frame

    write_frame(header, rows, fmt, sys.stdout, excel=settings(ctx).excel_safe)


def rows_or_view(
    ctx: typer.Context,
    fmt: OutputFormat,
    header: Sequence[str],
    rows: "Sequence[Sequence[Cell]]",
    view: Callable[[Any], Any],
    empty: str,
) -> None:
    """A result as a frame in a machine format, or as a Rich view; an empty result is a note on
    stderr in table mode (and a header-only frame otherwise)."""
    if fmt is not OutputFormat.table:
        frame_out(ctx, header, rows, fmt)
    elif not rows:
        note(empty)
    else:
        table_out(ctx, view)


def json_out(value: Mapping[str, Any] | Iterable[Any], fmt: OutputFormat) -> None:
    from atlascli.render.machine import write_json

    write_json(value, fmt, sys.stdout)


# --- shell completion: cheap (no fuzzy matching, no Rich), folded prefix ------------------------


def _completion_atlas(ctx: typer.Context) -> Atlas | None:
    data = ctx.find_root().params.get("data") or os.environ.get("ATLAS_DATA") or None
    try:
        return load_atlas(data)
    except AtlasDataError:
        return None


def _starting_with(names: Iterable[str], incomplete: str) -> list[str]:
    # Given to Click's shell_complete, not Typer's autocompletion: Typer would drop every
    # candidate that does not start with the typed text case-sensitively ("mü" → Münster).
    start = fold(incomplete)
    found = [name for name in names if fold(name).startswith(start)]
    if os.environ.get("_ATLAS_COMPLETE", "").endswith("_bash"):
        # bash puts a candidate into the command line as it is: escape spaces, & and ( )
        found = [re.sub(r"([^\w@%+=:,./-])", r"\\\1", name) for name in found]
    return found


def complete_city(ctx: typer.Context, param: object, incomplete: str) -> list[str]:
    atlas = _completion_atlas(ctx)
    return _starting_with(atlas.names, incomplete) if atlas is not None else []


def complete_field(ctx: typer.Context, param: object, incomplete: str) -> list[str]:
    return _starting_with((f.value for f in ALL_FIELDS), incomplete)


def complete_bundesland(ctx: typer.Context, param: object, incomplete: str) -> list[str]:
    return _starting_with(BUNDESLAENDER, incomplete)


# --- options shared by several commands -------------------------------------------------------

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
CityArgument = Annotated[
    str,
    typer.Argument(
        help="City name; forgiving of case, umlauts, prefixes and typos.",
        shell_complete=complete_city,
        show_default=False,
    ),
]
FeldOption = Annotated[
    list[str] | None,
    typer.Option(
        "--feld",
        help="Handlungsfeld the city works on (repeatable; all must hold), e.g. gesundheit, mobilitaet.",
        shell_complete=complete_field,
        show_default=False,
    ),
]
AnyOption = Annotated[bool, typer.Option("--any", help="At least one --feld instead of all.")]
BundeslandOption = Annotated[
    str | None,
    typer.Option(
        "--bundesland",
        "-b",
        help="Federal state: full name or abbreviation (NRW, BY, SN ...).",
        shell_complete=complete_bundesland,
        show_default=False,
    ),
]
MinOption = Annotated[
    int | None, typer.Option("--min-einwohner", min=0, help="At least N inhabitants.", show_default=False)
]
MaxOption = Annotated[
    int | None, typer.Option("--max-einwohner", min=0, help="At most N inhabitants.", show_default=False)
]


def city_filter(
    atlas: Atlas,
    feld: list[str] | None = None,
    any_feld: bool = False,
    bundesland: str | None = None,
    min_einwohner: int | None = None,
    max_einwohner: int | None = None,
    netzwerk: str | None = None,
    foerderprogramm: str | None = None,
    projekt: str | None = None,
) -> CityFilter:
    """The conditions of the filter options, with field and Bundesland names resolved."""
    return CityFilter(
        felder=tuple(resolve_field(f) for f in feld or ()),
        any_feld=any_feld,
        bundesland=resolve_bundesland(bundesland, atlas) if bundesland is not None else None,
        min_einwohner=min_einwohner,
        max_einwohner=max_einwohner,
        netzwerk=netzwerk,
        foerderprogramm=foerderprogramm,
        projekt=projekt,
    )


TABLE_COLUMNS = ("stadt", "bundesland", "einwohner", "flaeche_km2", "handlungsfelder")


def emit_selection(
    ctx: typer.Context,
    atlas: Atlas,
    positions: Iterable[int],
    fmt: OutputFormat,
    columns: str | None,
    sort: SortKey | None,
    reverse: bool,
    limit: int | None,
) -> None:
    """The cities at these positions of ``atlas``, sorted and limited, in any format.

    Whole records in a flat format and file order go straight from the rows' cells, which for a
    large file means no record is built at all."""
    if sort is None and not reverse and columns is None and fmt in FLAT_FORMATS:
        from atlascli.tsv import rows_of

        frame_out(ctx, COLUMNS, rows_of(atlas.cities, itertools.islice(positions, limit)), fmt)
        return
    chosen = sort_cities((atlas.cities[i] for i in positions), sort, reverse, limit)
    emit_cities(ctx, chosen, fmt, columns)


FLAT_FORMATS = frozenset({OutputFormat.csv, OutputFormat.tsv, OutputFormat.markdown})


def emit_cities(ctx: typer.Context, cities: Iterable[City], fmt: OutputFormat, columns: str | None) -> None:
    """Records in any format: chosen columns for table/csv/tsv/markdown, full records in json."""
    from atlascli.tsv import city_cells, city_record, column_value

    # machine formats stream: a large atlas's matches are written as they are found, never held
    if fmt is OutputFormat.table:
        chosen = chosen_columns(columns, TABLE_COLUMNS)
        shown = list(cities)
        if not shown:
            note("no city matches")
            return
        from atlascli.render.views import cities_table

        table_out(ctx, lambda console: cities_table(console, shown, chosen, field_count=columns is None))
    elif fmt in (OutputFormat.json, OutputFormat.jsonl) and columns is None:
        json_out((city_record(c) for c in cities), fmt)
    else:
        chosen = chosen_columns(columns, COLUMNS)
        if chosen == list(COLUMNS) and fmt not in (OutputFormat.json, OutputFormat.jsonl):
            # every column as flat text: the TSV's own cells, in one step per city
            frame_out(ctx, chosen, (city_cells(c) for c in cities), fmt)
        else:
            frame_out(ctx, chosen, ([column_value(c, col) for col in chosen] for c in cities), fmt)


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


def exit_status(code: object) -> int:
    """What the interpreter makes of a SystemExit code at shutdown, done before it: flush the
    output (a write error is reported, not lost), print a message code, give the exit status."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = EXIT_FAILURE
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    except OSError as exc:
        status = EXIT_FAILURE
        with contextlib.suppress(OSError):  # stderr gone too: nowhere left to say it
            note(f"cannot write the output: {exc.strerror or exc}")
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    return status


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the app; it ends with SystemExit and the exit status, the output flushed. No traceback
    reaches a user."""
    _degrade_unencodable_output()
    args = list(argv) if argv is not None else sys.argv[1:]
    name = requested_command(args)
    completing = any(key.endswith("_COMPLETE") for key in os.environ)
    register([name] if name in COMMAND_MODULES and not completing else COMMAND_MODULES)
    code: object = 0
    try:
        app(args=args, prog_name="atlas")
    except BrokenPipeError:
        _quiet_broken_pipe()
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        raise SystemExit(130) from None
    except SystemExit as exc:
        code = exc.code
    except OSError as exc:
        if os.environ.get("ATLAS_DEBUG"):
            raise
        # most often the output: a full disk, a closed terminal
        where = f" ({exc.filename})" if exc.filename else ""
        note(f"{exc.strerror or exc}{where} (run with ATLAS_DEBUG=1 for details)")
        code = EXIT_FAILURE
    except Exception as exc:
        if os.environ.get("ATLAS_DEBUG"):
            raise
        note(f"unexpected error: {type(exc).__name__}: {exc} (run with ATLAS_DEBUG=1 for details)")
        code = EXIT_FAILURE
    raise SystemExit(exit_status(code))
