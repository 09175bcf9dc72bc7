"""The ``atlas`` Typer app: its global options, and the commands it is built with.

The app is made for each run with only the command being run (Typer turns every registered
command into a Click command on every run, a few milliseconds each); help, completion, the tests
and the reference docs make it with every command (:func:`make_app` without names).
"""

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from atlascli import __version__
from atlascli.cli import commands
from atlascli.cli.errors import note
from atlascli.loader import load_atlas
from atlascli.model import Atlas, City
from atlascli.query import resolve_city

HELP = (
    "Explore how German cities organise their digital transformation "
    "(Smart City Atlas, Bitkom 2019, with later additions).\n\n"
    "Examples: atlas show Darmstadt · atlas filter --feld Gesundheit · "
    "atlas compare Bonn Münster · atlas search open data · atlas list -f csv"
)


class Run:
    """One run of the app: the global options as parsed, and what the command answered (emitted
    by :func:`atlascli.cli.main` once the app has returned)."""

    __slots__ = ("answer", "data", "excel_safe", "no_cache", "no_color", "no_pager")

    def __init__(self) -> None:
        self.data: Path | None = None
        self.no_color = False
        self.excel_safe = False
        self.no_cache = False
        self.no_pager = False
        self.answer: Any = None


def current(ctx: typer.Context) -> Run:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Run) else Run()


def load(ctx: typer.Context) -> Atlas:
    """The atlas the global options name (the bundled one by default)."""
    run = current(ctx)
    if run.data is None:
        return load_atlas(None)
    from atlascli.render.terminal import BuildProgress

    # open until the command ends: a large atlas also builds its search words and its SQL tables
    # the first time a command asks for them, and says so on the same bar
    progress = BuildProgress(run.no_color)
    ctx.call_on_close(progress.close)
    return load_atlas(run.data, cache=not run.no_cache, progress=progress)


def find_city(atlas: Atlas, query: str) -> City:
    """The city meant by ``query``; a note on stderr when it was a prefix or typo match."""
    resolved = resolve_city(atlas, query)
    if resolved.note:
        note(resolved.note)
    return resolved.city


def _version(value: bool) -> None:
    if value:
        print(f"atlas {__version__}")
        raise typer.Exit()


def _global_options(
    ctx: typer.Context,
    data: Annotated[
        str | None,  # not Path: Path("") would be ".", and an empty name is an error of its own
        typer.Option(
            "--data",
            envvar="ATLAS_DATA",
            metavar="<path>",  # as Path showed it
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
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Print long tables straight to the terminal instead of through $ATLAS_PAGER, "
            "$PAGER or less (never used in a pipe).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    run = current(ctx)
    if data == "":
        from atlascli.errors import AtlasDataError

        raise AtlasDataError.single("--data", "the file name is empty")
    run.no_color, run.excel_safe, run.no_cache = no_color, excel_safe, no_cache
    run.data = Path(data) if data is not None else None
    run.no_pager = no_pager


VALUE_OPTIONS = frozenset({"--data"})  # the global options that take a value


def make_app(names: Iterable[str] | None = None) -> typer.Typer:
    """The app with these commands (every command when None), in their help order."""
    app = typer.Typer(
        name="atlas",
        help=HELP,
        context_settings={"help_option_names": ["-h", "--help"]},
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=True,
    )
    app.callback()(_global_options)
    for name, function in commands.load(commands.names() if names is None else names):
        app.command(name)(_answering(function))
    return app


def _answering(function: Any) -> Any:
    """The command as Typer runs it: what the function returns is kept for :func:`main` to emit
    (Typer discards a command's value)."""

    @functools.wraps(function)
    def command(**params: Any) -> None:
        current(params["ctx"]).answer = function(**params)

    return command
