"""Issue 13, case 4: closed standard streams, in real processes (only they can close one).

With stderr closed (``2>&-``) notes are dropped and the command ends as it would; with stdout
closed (``>&-``) there is one line on stderr, status 1 and no traceback."""

from __future__ import annotations

import json

from harness import atlas_program, spawn


def _closing(redirect: str, *args: str) -> list[str]:
    """A shell line that runs ``atlas ARGS`` with a stream closed by ``redirect``."""
    return ["sh", "-c", f'exec "$0" "$@" {redirect}', atlas_program(), *args]


def test_closed_stderr_drops_notes_and_keeps_the_status() -> None:
    shown = spawn(_closing("2>&-", "show", "Oldenbrug", "-f", "json"))  # a did-you-mean note
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["stadt"] == "Oldenburg"
    assert spawn(_closing("2>&-", "list")).returncode == 0
    assert spawn(_closing("2>&-", "show", "Nirgendwo")).returncode == 1


def test_full_stderr_drops_notes() -> None:
    done = spawn(_closing("2>/dev/full", "show", "Oldenbrug", "-f", "json"))
    assert (done.returncode, json.loads(done.stdout)["stadt"]) == (0, "Oldenburg")


def test_closed_stdout_is_one_line_and_status_1() -> None:
    done = spawn(_closing(">&-", "list", "-f", "json"))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "standard output is closed" in done.stderr
