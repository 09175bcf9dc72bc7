"""The ``atlas`` Typer app: its global options, and the commands it is built with.

The app is made for each run with only the command being run (Typer turns every registered
command into a Click command on every run, a few milliseconds each); help, completion, the tests
and the reference docs make it with every command (:func:`make_app` without names).
"""

import contextlib
import functools
import shlex
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer import _click as click  # Typer vendors Click: its commands and errors are these classes
from typer.core import TyperCommand, TyperGroup, TyperOption

from atlascli import __version__
from atlascli.cli import commands
from atlascli.cli.errors import clip_words, note, quiet_broken_pipe
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
FLAG_OPTIONS = frozenset({"--no-color", "--no-pager", "--excel-safe", "--no-cache"})  # and those that do not


def hoisted(args: Sequence[str], command_values: Iterable[str] = ()) -> list[str]:
    """``args`` with the global options written after the command moved before it, as Click
    wants them: ``list --no-color`` is ``--no-color list``. Nothing after ``--`` moves, nor the
    value of one of the command's own options (``command_values``, e.g. ``--columns``)."""
    args = list(args)
    at = _command_at(args)
    if at is None:
        return args
    own = frozenset(command_values)
    moved: list[str] = []
    kept: list[str] = []
    rest = args[at + 1 :]
    i = 0
    while i < len(rest):
        arg = rest[i]
        has_value = i + 1 < len(rest) and rest[i + 1] != "--"
        if arg == "--":
            kept += rest[i:]
            break
        if arg in FLAG_OPTIONS or (arg.partition("=")[0] in VALUE_OPTIONS and "=" in arg):
            moved.append(arg)
        elif arg in VALUE_OPTIONS and has_value:
            moved += rest[i : i + 2]
            i += 1
        elif arg in own and has_value:
            kept += rest[i : i + 2]
            i += 1
        else:  # an argument, or an option whose value is missing: Click will say so
            kept.append(arg)
        i += 1
    return [*args[:at], *moved, args[at], *kept]


def requested_command(args: Sequence[str]) -> str | None:
    """The command named on a command line, after the global options before it."""
    at = _command_at(args)
    return None if at is None else args[at]


def _command_at(args: Sequence[str]) -> int | None:
    """Where the command's name is in ``args``, after the global options before it."""
    skip = False
    for at, arg in enumerate(args):
        if skip:
            skip = False
        elif arg == "--":
            return None
        elif arg in VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return at
    return None


def _value_options(command: click.Command | None) -> set[str]:
    """The options of a command that take a value (``--format``, ``-f``, ``--limit``, ...)."""
    options = [p for p in command.params if isinstance(p, TyperOption)] if command else []
    return {o for p in options if not p.is_flag and not p.count for o in (*p.opts, *p.secondary_opts)}


def _positionals(args: Sequence[str], values: set[str]) -> list[str]:
    """The arguments of a command line that are neither options nor their values."""
    found: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            found += rest
        elif arg in values:
            next(rest, None)
        elif not arg.startswith("-") or arg == "-":
            found.append(arg)
    return found


@contextlib.contextmanager
def _atlas_style(
    path: str = "atlas", command: click.Command | None = None, args: Sequence[str] = ()
) -> Iterator[None]:
    """Click's usage errors said the way atlas says everything (``atlas: ...`` and where to look,
    not a boxed panel), with the same exit status; help into a closed pipe ends quietly. ``path``,
    ``command`` and its ``args`` are the command being run, for errors that do not name it."""
    try:
        yield
    except BrokenPipeError:
        raise typer.Exit(quiet_broken_pipe()) from None
    except SystemExit as exc:
        if isinstance(exc.__context__, BrokenPipeError):  # Rich's help console gave up (exit 1)
            raise typer.Exit(quiet_broken_pipe()) from None
        raise
    except click.exceptions.NoArgsIsHelpError:
        raise  # plain `atlas`: Typer shows the help
    except click.ClickException as exc:
        message = exc.format_message().strip()
        if message[1:2].islower():
            message = message[0].lower() + message[1:]
        note(clip_words(message.removesuffix(".")))
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            path, command = ctx.command_path, ctx.command
        cities = _positionals(args, _value_options(command))
        if command is not None and command.name == "show" and len(cities) > 1:
            note(clip_words(f"to compare cities: atlas compare {shlex.join(cities)}"))
        if isinstance(exc, click.exceptions.UsageError):
            print(f"Try '{path} -h' for help.", file=sys.stderr)
        raise typer.Exit(exc.exit_code) from None


class AtlasCommand(TyperCommand):
    """An ``atlas`` command: its usage names a required argument ``CITY``, as man pages do, not
    Typer's ``{CITY}`` (optional ones stay ``[FIELD]``)."""

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


class AtlasGroup(TyperGroup):
    """The ``atlas`` group: global options also after the command, usage errors in atlas's style."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        named = next((a for a in args if a in self.commands), None)
        return super().parse_args(ctx, hoisted(args, _value_options(self.commands.get(named or ""))))

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        with _atlas_style():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        name, *args = [*ctx._protected_args, *ctx.args] or [""]
        command = self.commands.get(name)
        path = f"{ctx.command_path} {name}" if command else ctx.command_path
        with _atlas_style(path, command, args):
            return super().invoke(ctx)


def make_app(names: Iterable[str] | None = None) -> typer.Typer:
    """The app with these commands (every command when None), in their help order."""
    app = typer.Typer(
        name="atlas",
        cls=AtlasGroup,
        help=HELP,
        context_settings={"help_option_names": ["-h", "--help"]},
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=True,
    )
    app.callback()(_global_options)
    for name, function in commands.load(commands.names() if names is None else names):
        app.command(name, cls=AtlasCommand)(_answering(function))
    return app


def _answering(function: Any) -> Any:
    """The command as Typer runs it: what the function returns is kept for :func:`main` to emit
    (Typer discards a command's value)."""

    @functools.wraps(function)
    def command(**params: Any) -> None:
        current(params["ctx"]).answer = function(**params)

    return command
