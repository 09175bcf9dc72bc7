"""The one test harness: a fixed environment, the app run in-process through its entry point,
and the installed executable run in a real process.

Every in-process CLI test runs ``atlascli.cli.main`` the way the executable does, with streams
and environment isolated (Click's test isolation) and ``COLUMNS`` fixed. A crash (an exception the
entry point would turn into "unexpected error") fails the test with its traceback.

What an in-process run cannot show (closed pipes, real exit codes, a terminal, an unencodable
stdout) goes through :func:`atlas`: the installed ``atlas`` in a subprocess, with
:func:`process_env` as its environment. Every test that starts a process uses that recipe.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pytest
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


def csv_rows(text: str) -> list[dict[str, str]]:
    """The records of csv output."""
    return list(csv.DictReader(io.StringIO(text)))


def csv_out(*args: str) -> list[dict[str, str]]:
    """The records of ``atlas ARGS -f csv``, which must succeed."""
    return csv_rows(ok(*args, "-f", "csv").stdout)


def json_out(*args: str) -> Any:
    """The parsed output of ``atlas ARGS -f json``, which must succeed."""
    return json.loads(ok(*args, "-f", "json").stdout)


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


# --- the installed executable in a real process ---------------------------------------------------

# Variables that change what atlas writes or how it runs; a real process gets none of them from the
# environment the tests run in, only what PROCESS_ENV and each test set.
_NOT_INHERITED = (
    "COLUMNS",
    "LINES",
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "COLORTERM",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "COMP_WORDS",
    "COMP_CWORD",
)
PROCESS_ENV: dict[str, str | None] = {
    **{k: v for k, v in BASE_ENV.items() if k != "ATLAS_DEBUG"},  # a user's run: no ATLAS_DEBUG
    "TERM": "xterm-256color",
    "PYTHONIOENCODING": "utf-8",
    "PYTHONUTF8": "1",  # argv and the locale stay UTF-8 whatever the test runner's locale
}


def process_env(changes: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The environment of a real atlas process: this one's (so PATH, HOME and the tests' private
    ATLAS_CACHE_DIR), without anything that changes the output, with :data:`PROCESS_ENV` and
    ``changes`` on top (``None`` removes a variable)."""
    env: dict[str, str | None] = {
        k: v
        for k, v in os.environ.items()
        if k not in _NOT_INHERITED
        and not k.endswith("_COMPLETE")
        and not (k.startswith("ATLAS_") and k != "ATLAS_CACHE_DIR")
    }
    env.update(PROCESS_ENV)
    env.update(changes or {})
    return {k: v for k, v in env.items() if v is not None}


@functools.cache
def _installed_atlas() -> str | None:
    return shutil.which("atlas", path=str(Path(sys.executable).parent)) or shutil.which("atlas")


def atlas_program() -> str:
    """The installed ``atlas`` executable (the one next to this interpreter first); the test is
    skipped if there is none."""
    found = _installed_atlas()
    if found is None:
        pytest.skip("the atlas program is not installed")
    return found


class Finished(NamedTuple):
    """How a real process ended and what it wrote."""

    returncode: int
    stdout_bytes: bytes
    stderr_bytes: bytes

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode("utf-8", "replace")

    @property
    def stderr(self) -> str:
        return self.stderr_bytes.decode("utf-8", "replace")


def spawn(
    argv: Sequence[str],
    *,
    cwd: Path | str | None = None,
    env: Mapping[str, str | None] | None = None,
    stdin: int | None = subprocess.DEVNULL,
) -> Finished:
    """Run ARGV in a real process with :func:`process_env` (plus ``env``) and wait for it; no
    traceback and no "Exception ignored" (a failure at interpreter shutdown) may reach the output."""
    done = subprocess.run(
        list(argv), cwd=cwd, env=process_env(env), stdin=stdin, capture_output=True, timeout=60, check=False
    )
    result = Finished(done.returncode, done.stdout, done.stderr)
    for marker in (b"Traceback", b"Exception ignored"):
        assert marker not in done.stdout + done.stderr, result.stderr
    return result


def atlas(
    *args: str,
    cwd: Path | str | None = None,
    env: Mapping[str, str | None] | None = None,
    stdin: int | None = subprocess.DEVNULL,
) -> Finished:
    """Run the installed ``atlas ARGS`` in a real process (see :func:`spawn`)."""
    return spawn([atlas_program(), *args], cwd=cwd, env=env, stdin=stdin)


def into_closed_pipe(*args: str) -> Finished:
    """Run the installed ``atlas ARGS`` with stdout a pipe whose reader has gone before atlas
    writes a byte (``| head -1`` at its quickest)."""
    read_fd, write_fd = os.pipe()
    os.close(read_fd)  # a pipe with no reader: every write to it fails with EPIPE
    with os.fdopen(write_fd, "wb") as closed:
        done = subprocess.run(
            [atlas_program(), *args], env=process_env(), stdout=closed, capture_output=False,
            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60, check=False,
        )  # fmt: skip
    return Finished(done.returncode, b"", done.stderr)


def python_m_atlascli(*args: str, cwd: Path | str | None = None) -> Finished:
    """Run ``python -m atlascli ARGS`` in a real process (see :func:`spawn`)."""
    return spawn([sys.executable, "-m", "atlascli", *args], cwd=cwd)
