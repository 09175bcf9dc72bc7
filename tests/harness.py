"""The one test harness: a fixed environment and the app run in-process through its entry point.

Every CLI test runs ``atlascli.cli.main`` the way the executable does, with streams and
environment isolated (Click's test isolation) and ``COLUMNS`` fixed. A crash (an exception the
entry point would turn into "unexpected error") fails the test with its traceback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from typer.testing import CliRunner

FORMATS = ["table", "csv", "tsv", "json", "jsonl", "markdown"]
BASE_ENV: dict[str, str | None] = {
    "COLUMNS": "100",
    "NO_COLOR": "1",
    "ATLAS_DATA": None,
    "FORCE_COLOR": None,
    "ATLAS_DEBUG": "1",  # the entry point re-raises what it would report as "unexpected error"
}


class Result(NamedTuple):
    """What a run printed and how it ended."""

    exit_code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_main(argv: Sequence[str], env: Mapping[str, str | None]) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``atlas ARGV`` run in this process."""
    code, out, err = _run(argv, env)
    return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def _run(argv: Sequence[str], env: Mapping[str, str | None]) -> tuple[int, bytes, bytes]:
    from atlascli.cli import main

    with CliRunner().isolation(env=env) as (stdout, stderr, _):
        try:
            status: Any = main(list(argv))
        except SystemExit as exc:
            status = exc.code
        return (status if isinstance(status, int) else 1), stdout.getvalue(), stderr.getvalue()


def run(*args: str, env: Mapping[str, str | None] | None = None) -> Result:
    """Run ``atlas ARGS``; no traceback may reach the output."""
    code, out, err = _run(args, {**BASE_ENV, **(env or {})})
    result = Result(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), out)
    assert "Traceback" not in result.output, result.output
    return result


def ok(*args: str, env: Mapping[str, str | None] | None = None) -> Result:
    """Run ``atlas ARGS``, which must succeed."""
    result = run(*args, env=env)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def root_command() -> Any:
    """The Click group of the full app, every command registered (typed loosely: Typer vendors Click)."""
    import typer

    from atlascli.cli import app

    return typer.main.get_command(app)


def command_formats() -> dict[str, bool]:
    """Each command of the app, in help order, and whether it takes ``--format``."""
    commands = root_command().commands
    return {
        name: any("--format" in getattr(p, "opts", ()) for p in command.params)
        for name, command in commands.items()
    }
