"""``atlas browse``: explore the atlas interactively in the terminal (a Textual app)."""

import gc
import os
import sys

import typer

from atlascli.cli.errors import ExitCode, note
from atlascli.cli.root import current, load

RANK = 14


def colour_for_textual(no_color: bool) -> None:
    """Colour off in the app exactly when the other commands have it off (``--no-color``,
    ``NO_COLOR`` not empty, ``TERM=dumb``). Textual's switch is ``NO_COLOR``, read when the app is
    made, and it takes one that is set but empty for off too: the environment is set to say what
    the commands decided."""
    from atlascli.render.terminal import colour_wanted

    if colour_wanted(no_color, sys.stdout) is False:
        os.environ["NO_COLOR"] = "1"
    else:
        os.environ.pop("NO_COLOR", None)


def command(ctx: typer.Context) -> None:
    """Explore the atlas interactively in the terminal (needs a terminal on stdin and stdout).

    A city list that filters as you type (names as the commands resolve them, else words as atlas
    search finds them) and the highlighted city in full. Keys: / search, arrows move, m mark,
    c compare the marked cities, s similar cities, u unmark all, f facets (fields, Bundesland,
    inhabitants), e export the list to a file with its atlas filter command line, p the listed
    cities' projects, x their matrix, o open the city's link, Esc back, ? help, q quit.

    Examples: atlas browse · atlas --data my-atlas.tsv browse
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        note("browse needs a terminal on stdin and stdout (for scripts: atlas list, filter, search)")
        raise typer.Exit(ExitCode.USAGE)
    atlas = load(ctx)
    # a large --data file builds its name and search indexes on first use, with a progress bar on
    # stderr: build them now, and end the bar (ctx.close runs what load registered), before the
    # app takes the screen
    atlas.name_keys()
    atlas.vocabulary()
    ctx.close()
    # the atlas's records and indexes live as long as the app: out of the collector's full passes
    # (measured at 100,000 cities: one took over a second, in the middle of typing)
    gc.freeze()
    run = current(ctx)
    colour_for_textual(run.no_color)
    from atlascli.browse import BrowseApp  # Textual: only this command imports it

    # the command lines the app shows (export, facets) name the same atlas and the same csv safety
    prefix = ["atlas", *(["--data", str(run.data)] if run.data is not None else [])]
    prefix += ["--excel-safe"] if run.excel_safe else []
    BrowseApp(atlas, prefix=prefix, excel=run.excel_safe).run()
