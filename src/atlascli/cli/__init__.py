"""The ``atlas`` command line: parse options, call the core, hand the result to a renderer.

No business logic and no formatting here. Core errors become messages on stderr and exit codes:
0 success (also an empty result), 1 unknown city or bad data, 2 usage error.

``atlascli.cli.app`` is the full Typer app with every command; :func:`main` runs the app in this
process (tests, ``python -m atlascli``) and builds only the command it is asked for. The
``atlas`` executable runs :func:`console`: the same, as a short-lived process.

Importing this package imports neither Typer nor the commands: :func:`console` needs to switch
the garbage collector off before they load.
"""

import atexit
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

__all__ = ["app", "console", "main"]


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the app on ``argv`` (default ``sys.argv[1:]``); it ends with SystemExit and the exit
    status, the output flushed. No traceback reaches a user."""
    from atlascli.cli.common import main as run_app

    run_app(argv)


def console() -> NoReturn:
    """The ``atlas`` executable: :func:`main`, with two shortcuts only a process that ends with the
    command can take (together about a fifth of a table command's time, see benchmarks/README.md).

    - No collector passes while Python loads Typer and atlascli: their objects live as long as
      the process, so the passes find nothing; afterwards they are frozen (never scanned again)
      and the collector works as usual for whatever the command builds.
    - No interpreter teardown: once the output is flushed, the process ends with ``os._exit``
      instead of freeing every module and object one by one. Exit handlers still run first.
    """
    gc.disable()
    from atlascli.cli.common import main as run_app

    gc.freeze()
    gc.enable()
    try:
        run_app(None)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1  # run_app gives the status
    atexit._run_exitfuncs()  # what interpreter shutdown would have run (nothing registers any today)
    for stream in (sys.stdout, sys.stderr):  # main has flushed (and reported a failure): this is
        with contextlib.suppress(OSError):  # for whatever the exit handlers wrote
            stream.flush()
    os._exit(status)


def __getattr__(name: str) -> Any:
    if name == "app":
        from atlascli.cli.common import full_app

        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
