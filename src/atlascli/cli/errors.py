"""Exit statuses, and the one place where an error becomes a message and a status.

0 success (also an empty result), 1 a failure the user can fix (a bad data file, an unknown city,
an export that cannot be written, a SQL query that cannot be run), 2 a usage error, 130
interrupted. No traceback reaches a user: an unexpected error is one line, with ``ATLAS_DEBUG=1``
for the traceback.
"""

import contextlib
import os
import sys
from enum import IntEnum

from atlascli.errors import AtlasDataError, AtlasError, QueryError, UnknownCity
from atlascli.render.terminal import safe_text


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1
    USAGE = 2
    INTERRUPTED = 130


def clip_words(text: str, limit: int = 200) -> str:
    """``text`` with every run of more than ``limit`` characters without a blank (an argument
    echoed back, say) cut to ``limit`` with ``…``: a 128 KB argument is not written back whole."""
    words = text.split(" ")
    if all(len(w) <= limit for w in words):
        return text
    return " ".join(w if len(w) <= limit else w[: limit - 1] + "…" for w in words)


def note(message: str) -> None:
    """A one-line note or error for the user, on stderr; dropped when stderr cannot be written
    (closed, a broken pipe, a full disk): a note never changes how the command ends."""
    with contextlib.suppress(OSError, ValueError):  # ValueError: a stream closed in this process
        print(f"atlas: {safe_text(message)}", file=sys.stderr)


def reported(exc: BaseException) -> int:
    """Say what went wrong on stderr and give the exit status for it; re-raised with ATLAS_DEBUG."""
    if isinstance(exc, AtlasDataError):
        for line in str(exc).splitlines():
            note(line)
        return ExitCode.FAILURE
    if isinstance(exc, AtlasError):
        note(str(exc))
        if isinstance(exc, UnknownCity) and not exc.suggestions:
            note("'atlas list' shows the cities in the atlas")
        usage = isinstance(exc, QueryError) and not isinstance(exc, UnknownCity)
        return ExitCode.USAGE if usage else ExitCode.FAILURE
    if os.environ.get("ATLAS_DEBUG"):
        raise exc
    if isinstance(exc, OSError):  # most often the output: a full disk, a closed terminal
        where = f" ({exc.filename})" if exc.filename else ""
        note(f"{exc.strerror or exc}{where} (run with ATLAS_DEBUG=1 for details)")
    else:
        note(f"unexpected error: {type(exc).__name__}: {exc} (run with ATLAS_DEBUG=1 for details)")
    return ExitCode.FAILURE


def quiet_broken_pipe() -> int:
    """The reader went away (``| head -1``): stop quietly, as the Python signal docs recommend:
    the rest of the output goes to devnull, so that the interpreter's last flush cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return ExitCode.OK


def exit_status(code: object) -> int:
    """What the interpreter makes of a SystemExit code at shutdown, done before it: flush the
    output (a write error is reported, not lost), print a message code, give the exit status."""
    status: int
    if code is None:
        status = ExitCode.OK
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = ExitCode.FAILURE
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return quiet_broken_pipe()
    except OSError as exc:
        status = ExitCode.FAILURE
        with contextlib.suppress(OSError):  # stderr gone too: nowhere left to say it
            note(f"cannot write the output: {exc.strerror or exc}")
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    return int(status)
