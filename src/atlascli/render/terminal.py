"""The terminal: a Rich console set up once, and data made safe to show on it.

Rich itself is imported inside :func:`make_console`, so importing this module costs nothing.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING, TextIO

from atlascli.text import encodes

if TYPE_CHECKING:
    from rich.console import Console

# C0 and C1 controls (tab and newline are kept), DEL, bidi embeddings/overrides/isolates and
# invisible format characters that could reorder or hide text on a terminal.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def safe_text(text: str) -> str:
    """Text from the data as harmless literal text: control and bidi characters removed, tabs as spaces."""
    return _UNSAFE.sub("", text).replace("\t", " ")


def colour_wanted(no_color: bool, stream: TextIO) -> bool | None:
    """True to force colour, False to forbid it, None to let Rich decide from the terminal.

    ``--no-color``, ``NO_COLOR`` (non-empty) and ``TERM=dumb`` turn colour off; ``FORCE_COLOR``
    (non-empty) turns it on even in a pipe.
    """
    if no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return None


def make_console(no_color: bool = False, stream: TextIO | None = None) -> Console:
    from rich.console import Console

    stream = stream if stream is not None else sys.stdout
    colour = colour_wanted(no_color, stream)
    return Console(
        file=stream,
        color_system=None if colour is False else "auto",
        force_terminal=True if colour else None,
        no_color=colour is False,
        emoji=False,
        markup=False,
        highlight=False,
    )


def can_encode(console: Console, sample: str) -> bool:
    return encodes(console.encoding, sample)
