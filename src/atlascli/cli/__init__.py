"""The ``atlas`` command line: parse options, call the core, emit the answer.

- ``root``: the Typer app and its global options; made for each run with only the command run.
- ``commands``: one module per command (``atlas NAME`` is ``commands/NAME.py``), discovered.
- ``options``: options shared by several commands; ``completion``: shell completion.
- ``output``: what a command answers (:class:`~atlascli.cli.output.Output`) and the one function
  that writes it in the format asked for.
- ``errors``: exit statuses, and the one place where an error becomes a message and a status.

:func:`main` is the one entry point: the ``atlas`` executable (through :func:`console`),
``python -m atlascli`` and the tests run it. Importing this package imports neither Typer nor the
commands: :func:`console` needs to switch the garbage collector off before they load.
"""

import atexit
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

__all__ = ["app", "console", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``atlas`` on ``argv`` (default ``sys.argv[1:]``) and give the exit status, the output
    flushed. Errors become messages on stderr here, and only here; no traceback reaches a user."""
    args = list(argv) if argv is not None else sys.argv[1:]
    return _run(args, _app_for(args))


def _app_for(args: Sequence[str]) -> Any:
    """The app with only the command named in ``args`` (every command for help and completion)."""
    from atlascli.cli.commands import names
    from atlascli.cli.root import make_app, requested_command

    name = requested_command(args)
    completing = any(key.endswith("_COMPLETE") for key in os.environ)
    return make_app([name] if name in names() and not completing else None)


def _run(args: list[str], app: Any) -> int:
    from atlascli.cli.errors import ExitCode, exit_status, quiet_broken_pipe, reported
    from atlascli.cli.output import Output, emit
    from atlascli.cli.root import Run

    closed = _closed_streams()
    if closed is not None:
        return closed
    _degrade_unencodable_output()
    run = Run()
    code: object = ExitCode.OK
    try:
        try:
            app(args=args, prog_name="atlas", obj=run)
        except SystemExit as exc:  # Typer ends every run so; usage errors are shown by then
            code = exc.code
        if isinstance(run.answer, Output) and code in (0, None):
            emit(run.answer, run)
    except BrokenPipeError:
        code = quiet_broken_pipe()
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        code = ExitCode.INTERRUPTED
    except Exception as exc:
        code = reported(exc)
    return exit_status(code)


def _closed_streams() -> int | None:
    """A closed standard stream (``2>&-``, ``>&-``): Python has no file for it, and ``print`` to a
    missing stderr would write to stdout. A closed stderr becomes the null device (notes are
    dropped, the command's status stands); with stdout closed there is nothing to answer on: one
    line on stderr and status 1, without running the command."""
    if sys.stderr is None:
        sys.stderr = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115  # lives as long as the run
    if sys.stdout is None:
        from atlascli.cli.errors import ExitCode, note

        note("standard output is closed: nothing to write the answer to")
        return int(ExitCode.FAILURE)
    return None


def _degrade_unencodable_output() -> None:
    """A stdout that cannot encode umlauts (PYTHONIOENCODING=ascii) gets replacements, not a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") not in (
            "utf8",
            "utf_8",
        ):
            reconfigure(errors="replace")


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
    args = sys.argv[1:]
    app = _app_for(args)  # Typer, atlascli and the command's module
    import atlascli.cli.output  # noqa: F401  # and what emits its answer

    gc.freeze()
    gc.enable()
    status = _run(args, app)
    atexit._run_exitfuncs()  # what interpreter shutdown would have run (nothing registers any today)
    for stream in (sys.stdout, sys.stderr):  # main has flushed (and reported a failure): this is
        with contextlib.suppress(OSError):  # for whatever the exit handlers wrote
            if stream is not None:  # a stream closed before the start (>&-) has no file
                stream.flush()
    os._exit(status)


def __getattr__(name: str) -> Any:
    if name == "app":  # the full app, every command registered (help, docs, tests)
        from atlascli.cli.root import make_app

        return make_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
