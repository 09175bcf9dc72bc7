"""The ``atlas`` executable's entry (cli.console) and the exit status every run ends with.

``console`` frees nothing at the end (``os._exit``) and keeps the collector off while the program
loads; these tests check that it still behaves as a normal Python exit would: flushed output,
exit handlers run, the status kept, the collector working for the command itself.
"""

from __future__ import annotations

import errno
import io
import sys

import pytest
from harness import spawn

from atlascli.cli.errors import ExitCode, exit_status

EXIT_FAILURE = ExitCode.FAILURE


class _Unwritable(io.StringIO):
    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def flush(self) -> None:
        raise self.error


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (2, 2), (130, 130), (True, 1)])
def test_exit_status_of_numbers(code: object, status: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_status(code) == status
    assert capsys.readouterr().err == ""


def test_exit_status_of_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_status("something went wrong") == EXIT_FAILURE
    assert capsys.readouterr().err == "something went wrong\n"


def test_a_failing_flush_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", _Unwritable(OSError(errno.ENOSPC, "No space left on device")))
    monkeypatch.setattr(sys, "stderr", err)
    assert exit_status(0) == EXIT_FAILURE
    assert err.getvalue() == "atlas: cannot write the output: No space left on device\n"


def test_a_failing_flush_with_no_stderr_left_is_still_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", _Unwritable(OSError(errno.EIO, "Input/output error")))
    monkeypatch.setattr(sys, "stderr", _Unwritable(OSError(errno.EIO, "Input/output error")))
    assert exit_status(0) == EXIT_FAILURE


PROBE = """
import atexit, gc, sys
import atlascli.cli as cli

def probe(args, app):
    atexit.register(lambda: print("exit handler ran"))
    print("typer loaded", "typer" in sys.modules)
    print("collector on", gc.isenabled())
    print("start-up frozen", gc.get_freeze_count() > 0)
    print("unflushed output", end="")
    return int(sys.argv[1])

cli._run = probe
from atlascli.cli import console
console()
print("never reached")
"""


@pytest.mark.parametrize("status", [0, 1, 2])
def test_console_exits_like_python_would(status: int) -> None:
    result = spawn([sys.executable, "-c", PROBE, str(status)])
    assert result.returncode == status, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "typer loaded True",
        "collector on True",
        "start-up frozen True",
        "unflushed outputexit handler ran",
    ]
