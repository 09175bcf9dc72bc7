"""A pager for table output longer than the screen, the way git does it.

Only when stdout is a terminal and the output has more lines than the terminal: the command in
``ATLAS_PAGER``, else ``PAGER``, else ``less -FRX`` (``-F`` quits at once if the text fits after
all, ``-R`` keeps colours, ``-X`` leaves the text on screen). An empty value or ``cat`` means no
pager, as in git; so does ``TERM=dumb`` (less cannot work there). A pager that cannot be started
is skipped: the text is printed as it is.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
from typing import TextIO

DEFAULT = "less -FRX"


def pager_command(environ: dict[str, str] | os._Environ[str] | None = None) -> list[str] | None:
    """The pager to run as an argument list, or None for none."""
    env = os.environ if environ is None else environ
    if env.get("TERM") == "dumb":
        return None
    for name in ("ATLAS_PAGER", "PAGER"):
        if name in env:
            value = env[name].strip()
            break
    else:
        value = DEFAULT
    try:
        words = shlex.split(value)
    except ValueError:  # unbalanced quotes: treat like a pager that cannot be started
        return None
    if not words or words == ["cat"]:
        return None
    return words


def page(text: str, command: list[str], stream: TextIO | None = None) -> bool:
    """Show ``text`` through the pager ``command``; False if it could not be started (then the
    caller prints ``text`` itself). Quitting the pager early is not an error."""
    stream = stream if stream is not None else sys.stdout
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git: also when PAGER is plain `less`
    env.setdefault("LV", "-c")
    with contextlib.suppress(OSError, ValueError):
        stream.flush()
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    # Ctrl-C belongs to the pager while it runs (less uses it to stop a search)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert pager.stdin is not None  # stdin=PIPE
        encoding = getattr(stream, "encoding", None) or "utf-8"
        with contextlib.suppress(BrokenPipeError):  # the user quit before the end
            pager.stdin.write(text.encode(encoding, "replace"))
        with contextlib.suppress(BrokenPipeError):
            pager.stdin.close()
        pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return True
